/**
 * Prometheus metrics (prom-client), on a registry of the bot's own so that several bots in one
 * process (tests, the demo) never share or clash. Everything is measured at the seams the
 * composition root already has, by wrapping the ports — the use cases do not know about metrics:
 *
 * - the store (`instrumentStore`): every state change that happened (a counter per move, so a
 *   lost race counts nothing) and the decisions among them; reminders sent to approvers; CreateBackup's unclear answers and
 *   what became of them (from the audit events the store writes); plus, on each scrape, how many
 *   requests sit in each open state (read from the store, so it is right across restarts and
 *   replicas);
 * - the RDS gateway (`instrumentGateway`): latency of each API call, CreateBackup included, and
 *   failures by error code;
 * - the notifier (`instrumentNotifier`): Slack messages delivered or not; and the ones set aside
 *   because Slack refuses them for good (`countSetAside`, told by the outbox), and the ones put back
 *   when the bot may post there again (`countReleased`);
 * - Slack acknowledgements (`observeAck`, fed by ../slack/event-tracking.ts): time from receiving a request
 *   to acknowledging it, which must stay under Slack's 3 seconds.
 *
 * Names follow the Prometheus conventions: `rdsbot_` prefix, base units (seconds), `_total` counters.
 * The Node.js process metrics (`process_*`, `nodejs_*`) describe the process, not a bot: they are
 * collected once per process, on a registry of their own, and served next to each bot's.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Notification, Notifier, RdsGateway, RequestStore } from "../backup/ports.js";
import { ApiFailure } from "../domain/api-failure.js";
import { isFinal, REQUEST_STATES, type RequestState } from "../domain/lifecycle.js";
import type { BackupRequest } from "../domain/request.js";

export type Decision = "approve" | "reject" | "cancel" | "expire";

/** The RDS API operation behind each gateway method (the label of the RDS metrics). */
export const GATEWAY_OPERATIONS: Readonly<Record<string, string>> = {
  describeInstance: "DescribeDBInstanceAttribute",
  listInstances: "DescribeDBInstances",
  describeDatabases: "DescribeDatabases",
  describeBackupTasks: "DescribeBackupTasks",
  describeBackups: "DescribeBackups",
  createBackup: "CreateBackup",
};

const DECISION_OF: Partial<Record<RequestState, Decision>> = {
  approved: "approve",
  scheduled: "approve",
  rejected: "reject",
  cancelled: "cancel",
  expired: "expire",
};

/** States a request can still leave: worth a gauge (final states only ever grow). */
export const OPEN_STATES: readonly RequestState[] = REQUEST_STATES.filter((state) => !isFinal(state));
/** The open-requests gauge reads at most this many rows per state. */
const OPEN_COUNT_CAP = 1_000;

let processMetrics: Registry | undefined;
/** Node.js process metrics, set up on first use (one event-loop monitor per process, not per bot). */
function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}

/** A bounded work queue as the metrics see it (the Slack layer's after-ack queue). */
export interface WorkQueue {
  readonly activeCount: number;
  readonly pendingCount: number;
}

export interface BotMetricsOptions {
  /** Serve the Node.js process metrics (`process_*`, `nodejs_*`) too; default true. */
  defaultMetrics?: boolean | undefined;
  /** How long a scrape waits for the store before leaving the open-requests gauge out. */
  storeTimeoutMs?: number | undefined;
}

export class BotMetrics {
  /** This bot's own metrics. */
  readonly registry = new Registry();
  /** What `/metrics` serves: this bot's metrics and, unless turned off, the process's. */
  private readonly exposed: Registry;

  readonly transitions: Counter<"from" | "to">;
  readonly decisions: Counter<"decision">;
  readonly unclearAnswers: Counter<"code">;
  readonly unclearOutcomes: Counter<"outcome">;
  readonly openRequests: Gauge<"state">;
  readonly rdsDuration: Histogram<"operation" | "outcome">;
  readonly rdsErrors: Counter<"operation" | "code">;
  readonly ackDuration: Histogram<"type">;
  readonly notifications: Counter<"kind" | "result">;
  readonly notificationsSetAside: Counter<"kind" | "reason">;
  readonly notificationsReleased: Counter;
  readonly afterAck: Gauge<"state">;
  readonly reminders: Counter<"kind">;

  private afterAckSource: WorkQueue | undefined;
  private openSource: Pick<RequestStore, "list"> | undefined;
  private readonly storeTimeoutMs: number;

  constructor(options: BotMetricsOptions = {}) {
    const registers = [this.registry];
    this.storeTimeoutMs = options.storeTimeoutMs ?? 2_000;

    this.transitions = new Counter({
      name: "rdsbot_request_transitions_total",
      help: "Backup requests that moved between states (from=new: filed).",
      labelNames: ["from", "to"],
      registers,
    });
    this.decisions = new Counter({
      name: "rdsbot_decisions_total",
      help: "Decisions on backup requests: approve (the last approval needed), reject, cancel, expire.",
      labelNames: ["decision"],
      registers,
    });
    this.unclearAnswers = new Counter({
      name: "rdsbot_create_backup_unclear_total",
      help: "CreateBackup answers that left unclear whether a backup started (a timeout, a 5xx, a dropped connection), by code.",
      labelNames: ["code"],
      registers,
    });
    this.unclearOutcomes = new Counter({
      name: "rdsbot_create_backup_unclear_outcomes_total",
      help: "What became of unclear CreateBackup answers: adopted (the job was found), retried (one more call after the listings showed nothing), needs_attention (handed to the approvers).",
      labelNames: ["outcome"],
      registers,
    });
    this.openRequests = new Gauge({
      name: "rdsbot_requests_open",
      help: `Backup requests in each state that is not final, read from the store at scrape time (capped at ${OPEN_COUNT_CAP}).`,
      labelNames: ["state"],
      registers,
      collect: async () => {
        await this.collectOpenRequests(this.openRequests);
      },
    });
    this.rdsDuration = new Histogram({
      name: "rdsbot_rds_call_duration_seconds",
      help: "Duration of RDS API calls by operation (reads include their retries; CreateBackup is one attempt).",
      labelNames: ["operation", "outcome"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
      registers,
    });
    this.rdsErrors = new Counter({
      name: "rdsbot_rds_call_errors_total",
      help: "Failed RDS API calls by operation and error code (the API's Code, or a transport code).",
      labelNames: ["operation", "code"],
      registers,
    });
    this.ackDuration = new Histogram({
      name: "rdsbot_slack_ack_duration_seconds",
      help: "Time from receiving a Slack request to acknowledging it (Slack gives up after 3 s).",
      labelNames: ["type"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 2.5, 3, 5],
      registers,
    });
    this.notifications = new Counter({
      name: "rdsbot_notifications_total",
      help: "Slack notifications by kind (card, thread, requester) and result (delivered, failed).",
      labelNames: ["kind", "result"],
      registers,
    });
    this.notificationsSetAside = new Counter({
      name: "rdsbot_notifications_set_aside_total",
      help: "Slack notifications given up on because Slack refuses them for good, by kind and reason (no_access: the bot is not in the channel; archived; recipient_inactive; …).",
      labelNames: ["kind", "reason"],
      registers,
    });
    this.notificationsReleased = new Counter({
      name: "rdsbot_notifications_released_total",
      help: "Set-aside Slack notifications put back into the outbox because the bot may post in their channel again (it was invited, or the start-up check found the approval channel usable).",
      registers,
    });
    this.reminders = new Counter({
      name: "rdsbot_approval_reminders_total",
      help: "Reminders posted in a pending request's thread for the people who may decide, by kind: waiting (after APPROVAL_REMINDER_AFTER or remind_after), expiring (shortly before it expires).",
      labelNames: ["kind"],
      registers,
    });
    this.afterAck = new Gauge({
      name: "rdsbot_slack_after_ack_work",
      help: "Acknowledged Slack requests whose work is running or waiting for a turn (a bounded number run at once).",
      labelNames: ["state"],
      registers,
      collect: () => {
        this.afterAck.set({ state: "running" }, this.afterAckSource?.activeCount ?? 0);
        this.afterAck.set({ state: "waiting" }, this.afterAckSource?.pendingCount ?? 0);
      },
    });
    // After every metric above is registered: merging copies the registry's list of metrics.
    this.exposed =
      options.defaultMetrics === false ? this.registry : Registry.merge([this.registry, processRegistry()]);
  }

  /** The Prometheus text exposition of every metric. */
  async text(): Promise<string> {
    return this.exposed.metrics();
  }

  get contentType(): string {
    return this.exposed.contentType;
  }

  /** Where the after-ack work queue's depth is read at scrape time. */
  followAfterAck(queue: WorkQueue): void {
    this.afterAckSource = queue;
  }

  observeAck(type: string, seconds: number): void {
    this.ackDuration.observe({ type }, seconds);
  }

  /**
   * The store, counting every state change it makes. A move that lost its race (the store
   * returns nothing) is not counted, so the counters add up across replicas.
   */
  instrumentStore<T extends RequestStore>(store: T): T {
    this.openSource = store;
    const count = (from: string, to: RequestState) => {
      this.transitions.inc({ from, to });
      // A scheduled backup that starts was approved already: its start is no decision.
      const decision = from === "scheduled" && to === "approved" ? undefined : DECISION_OF[to];
      if (decision) this.decisions.inc({ decision });
    };
    const wrapped: Partial<RequestStore> = {
      create: async (...args) => {
        await store.create(...args);
        count("new", "pending");
      },
      transition: async (...args) => {
        const moved = await store.transition(...args);
        if (moved) {
          const [, move, , event] = args;
          count(move.from, move.to);
          if (move.from === "approved" && move.to === "needs_attention") {
            this.unclearOutcomes.inc({ outcome: "needs_attention" });
          }
          if (move.to === "submitted" && event.detail?.adopted === true) {
            this.unclearOutcomes.inc({ outcome: "adopted" });
          }
        }
        return moved;
      },
      claimReminder: async (...args) => {
        const claimed = await store.claimReminder(...args);
        // Counted by the replica that sent it: the sum over replicas is the reminders posted.
        if (claimed) this.reminders.inc({ kind: args[1] });
        return claimed;
      },
      recordStart: async (...args) => {
        const noted = await store.recordStart(...args);
        const event = args[3];
        if (noted && event?.type === "unclear_answer") {
          this.unclearAnswers.inc({ code: String(event.detail?.code ?? "unknown") });
        }
        return noted;
      },
      countCreateCall: async (...args) => {
        const counted = await store.countCreateCall(...args);
        if (counted && args[4].detail?.reason === "after_unclear")
          this.unclearOutcomes.inc({ outcome: "retried" });
        return counted;
      },
      addApproval: async (...args) => {
        const result = await store.addApproval(...args);
        if (result.kind === "approved") count("pending", "approved");
        if (result.kind === "scheduled") count("pending", "scheduled");
        return result;
      },
    };
    return delegate<T>(store, wrapped as Partial<T>);
  }

  /** The gateway, timing every RDS call and counting failures by code. */
  instrumentGateway<T extends RdsGateway>(gateway: T): T {
    const wrapped: Record<string, unknown> = {};
    for (const [method, operation] of Object.entries(GATEWAY_OPERATIONS)) {
      const original = (gateway as unknown as Record<string, unknown>)[method];
      if (typeof original !== "function") continue;
      wrapped[method] = async (...args: unknown[]) => {
        const stop = this.rdsDuration.startTimer({ operation });
        try {
          const value: unknown = await original.apply(gateway, args);
          stop({ outcome: "ok" });
          return value;
        } catch (error) {
          stop({ outcome: "error" });
          this.rdsErrors.inc({ operation, code: error instanceof ApiFailure ? error.code : "InternalError" });
          throw error;
        }
      };
    }
    return delegate(gateway, wrapped as Partial<T>);
  }

  /** The notifier, counting deliveries and failures (each failure is retried by the outbox). */
  instrumentNotifier(notifier: Notifier): Notifier {
    return {
      deliver: async (notification: Notification, request: BackupRequest, budget) => {
        try {
          const result = await notifier.deliver(notification, request, budget);
          this.notifications.inc({ kind: notification.kind, result: "delivered" });
          return result;
        } catch (error) {
          this.notifications.inc({ kind: notification.kind, result: "failed" });
          throw error;
        }
      },
      retractCard: (card) => notifier.retractCard(card),
    };
  }

  /** A notification the outbox set aside: Slack refuses it for good (`reason`). */
  countSetAside(kind: Notification["kind"], reason: string): void {
    this.notificationsSetAside.inc({ kind, reason });
  }

  /** Set-aside notifications that went back into the outbox (the bot may post there again). */
  countReleased(count: number): void {
    this.notificationsReleased.inc(count);
  }

  private async collectOpenRequests(gauge: Gauge<"state">): Promise<void> {
    const source = this.openSource;
    if (!source) return;
    const counts = Promise.all(
      OPEN_STATES.map(
        async (state) =>
          [state, (await source.list({ states: [state], limit: OPEN_COUNT_CAP })).length] as const,
      ),
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.storeTimeoutMs);
      timer.unref();
    });
    try {
      const result = await Promise.race([counts, timeout]);
      gauge.reset();
      // Unknown (the store did not answer): leave the series out rather than report zeros.
      for (const [state, count] of result ?? []) gauge.set({ state }, count);
    } catch {
      gauge.reset();
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * `target` with some methods replaced. Everything else is the target's own, called on the target
 * itself (so classes with `#private` fields keep working) — new methods on the port pass through.
 */
function delegate<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(object, property) {
      if (Object.hasOwn(overrides, property)) return (overrides as Record<PropertyKey, unknown>)[property];
      const value: unknown = Reflect.get(object, property, object);
      return typeof value === "function" ? value.bind(object) : value;
    },
  });
}
