/**
 * Runs scheduled backups at their start time (issue 16). A `scheduled` request lives in the store
 * with the time it is next due; on the shared polling loop (src/backup/poller.ts) this runner
 * claims the due ones with a lease, as the outbox dispatcher and the job watcher claim theirs, so a
 * run survives restarts and deploys and is taken by one replica at a time. Its poll timer never
 * keeps a stopping process alive.
 *
 * At a run's start time the pre-flight checks run again. When they pass, the request moves from
 * `scheduled` to `approved` (the one conditional update that decides who starts it: a cancel that
 * came first leaves nothing to start) and the backup starts through `BackupStarter`, exactly as an
 * approval starts one: at most three CreateBackup calls, every rule for unclear answers. When the
 * instance is not ready, the thread says so and the runner tries again every `retryMs` until the
 * run's deadline (its window's close, or the grace without one); then the request ends as failed,
 * saying that nothing ran.
 */
import { randomUUID } from "node:crypto";
import type { ApiFailureInfo } from "../domain/api-failure.js";
import {
  type NotReadyReason,
  notReadyReasons,
  type Preflight,
  preflightBlocks,
} from "../domain/preflight.js";
import type { BackupRequest } from "../domain/request.js";
import { GRACE_MS, type RunSchedule, SCHEDULE_MISSED } from "../domain/schedule.js";
import type { Logger } from "../logger.js";
import { Poller } from "./poller.js";
import type { RdsGateway, RequestStore } from "./ports.js";
import { runPreflight } from "./preflight.js";
import type { BackupStarter } from "./start-backup.js";
import { outcomeNotifications } from "./watcher.js";

export interface ScheduledRunOptions {
  /** How often to look for due runs when nobody kicks: how late past its time a run may start. */
  pollMs: number;
  /** How long a claimed run stays with this runner (longer than one check and its move). */
  leaseMs: number;
  /** While the instance is not ready: the pause between checks. */
  retryMs: number;
  /** One look at the instance (the pre-flight checks), retries included. */
  readTimeoutMs: number;
  batchSize: number;
  /** Channels that get a one-line summary of each outcome. */
  notifyChannelIds: readonly string[];
}

export const DEFAULT_SCHEDULED_RUN_OPTIONS: ScheduledRunOptions = {
  pollMs: 1_000,
  leaseMs: 60_000,
  retryMs: 60_000,
  readTimeoutMs: 10_000,
  batchSize: 20,
  notifyChannelIds: [],
};

export interface ScheduledRunDeps {
  store: RequestStore;
  rds: RdsGateway;
  /** Starts the backup once the run's time has come (the approval's own starter). */
  starter: BackupStarter;
  logger: Logger;
  onNotificationsQueued?: (() => void) | undefined;
  clock?: (() => Date) | undefined;
  options?: Partial<ScheduledRunOptions> | undefined;
}

export class ScheduledRunner {
  readonly owner = `scheduler-${randomUUID()}`;
  private readonly options: ScheduledRunOptions;
  private readonly clock: () => Date;
  private readonly poller: Poller;

  constructor(private readonly deps: ScheduledRunDeps) {
    this.options = { ...DEFAULT_SCHEDULED_RUN_OPTIONS, ...deps.options };
    this.clock = deps.clock ?? (() => new Date());
    this.poller = new Poller(() => this.round(), this.options.pollMs, deps.logger, "scheduled run");
  }

  start(): void {
    this.poller.start();
  }

  /** Looks for due runs now (an approval just scheduled one that may already be due). */
  kick(): void {
    this.poller.kick();
  }

  /** Stops taking new rounds and waits for the current one. */
  stop(): Promise<void> {
    return this.poller.stop();
  }

  /** Checks every due run once. Returns how many were checked. */
  async round(): Promise<number> {
    if (this.deps.starter.isStopping) return 0;
    const due = await this.deps.store.claimScheduled(
      this.owner,
      this.clock(),
      this.options.leaseMs,
      this.options.batchSize,
    );
    await Promise.all(due.map((request) => this.check(request)));
    return due.length;
  }

  private async check(request: BackupRequest): Promise<void> {
    const log = this.deps.logger.child({ requestId: request.id, instanceId: request.params.DBInstanceId });
    try {
      const schedule = request.schedule ?? {};
      const deadline = deadlineOf(request);
      if (this.clock().getTime() >= deadline.getTime()) return await this.miss(request, deadline, log);
      if (this.deps.starter.isStopping) return await this.giveBack(request);

      const checked = await runPreflight(
        this.deps.rds,
        { instanceId: request.params.DBInstanceId, regionId: request.instance.regionId },
        this.clock(),
        this.options.readTimeoutMs,
        log,
      );
      if (preflightBlocks(checked.preflight)) {
        return await this.notReady(request, schedule, checked.preflight, deadline, log);
      }
      // Stopping began during the checks: the next start takes the run up, on time or late.
      if (this.deps.starter.isStopping) return await this.giveBack(request);

      const moved = await this.deps.store.transition(
        request.id,
        { from: "scheduled", to: "approved" },
        { preflight: checked.preflight },
        {
          type: "schedule_started",
          actor: "system",
          detail: {
            startAt: schedule.startAt?.toISOString() ?? null,
            notReadyChecks: schedule.notReady?.checks ?? 0,
          },
        },
        [{ kind: "card" }],
      );
      this.queued();
      if (!moved) {
        log.info("the scheduled run was cancelled (or moved on) before it started");
        return;
      }
      log.info(
        { startAt: schedule.startAt?.toISOString() },
        "scheduled backup: its time has come, starting it",
      );
      await this.deps.starter.start(moved, { instance: checked.instance, tasks: checked.tasks });
    } catch (error) {
      // The store or a bug: the lease runs out and the run is checked again (never started twice:
      // the move to `approved` and the starter's counted calls decide that).
      log.error({ err: error }, "checking a scheduled run failed; will try again");
    }
  }

  /** Not ready: say so in the thread (once per change of reason) and try again before the deadline. */
  private async notReady(
    request: BackupRequest,
    schedule: RunSchedule,
    preflight: Preflight,
    deadline: Date,
    log: Logger,
  ): Promise<void> {
    const now = this.clock();
    const reasons = notReadyReasons(preflight);
    const previous = schedule.notReady;
    const checks = (previous?.checks ?? 0) + 1;
    const changed =
      !previous ||
      !request.preflight ||
      reasonsKey(notReadyReasons(request.preflight)) !== reasonsKey(reasons);
    const nextTryAt = new Date(Math.min(now.getTime() + this.options.retryMs, deadline.getTime()));
    log.info(
      { reasons: reasons.map((reason) => reason.kind), checks, nextTryAt: nextTryAt.toISOString() },
      "scheduled backup: the instance is not ready; will try again",
    );
    const event = { type: "schedule_not_ready", reasons, deadline: deadline.toISOString() } as const;
    await this.deps.store.recordScheduleCheck(
      request.id,
      this.owner,
      nextTryAt,
      {
        preflight,
        schedule: { ...schedule, notReady: { checks, since: previous?.since ?? now, nextTryAt } },
      },
      changed
        ? { type: "schedule_not_ready", actor: "system", detail: { reasons: reasonsKey(reasons), checks } }
        : undefined,
      changed ? [{ kind: "card" }, { kind: "thread", event, dedupeKey: `thread:not_ready:${checks}` }] : [],
    );
    if (changed) this.queued();
  }

  /** Its last chance to start has passed: the request ends, and the thread says nothing ran. */
  private async miss(request: BackupRequest, deadline: Date, log: Logger): Promise<void> {
    const notReady = request.schedule?.notReady;
    const reasons = notReady && request.preflight ? notReadyReasons(request.preflight) : undefined;
    const error: ApiFailureInfo = {
      code: SCHEDULE_MISSED,
      message: notReady
        ? `the instance was not ready before ${deadline.toISOString()} (${reasonsKey(reasons ?? [])}); nothing ran`
        : `the backup could not start before ${deadline.toISOString()}; nothing ran`,
      outcome: "not_sent",
      transient: false,
    };
    const event = {
      type: "schedule_missed",
      deadline: deadline.toISOString(),
      ...(reasons && reasons.length > 0 ? { reasons } : {}),
    } as const;
    const moved = await this.deps.store.transition(
      request.id,
      { from: "scheduled", to: "failed" },
      { error },
      {
        type: "schedule_missed",
        actor: "system",
        detail: { deadline: deadline.toISOString(), checks: notReady?.checks ?? 0 },
      },
      outcomeNotifications(event, this.options.notifyChannelIds),
    );
    this.queued();
    if (moved)
      log.warn({ deadline: deadline.toISOString() }, "scheduled backup did not start in time: nothing ran");
  }

  private async giveBack(request: BackupRequest): Promise<void> {
    await this.deps.store.releaseLease(request.id, this.owner, this.clock());
  }

  private queued(): void {
    this.deps.onNotificationsQueued?.();
  }
}

/** A run's last chance to start: its plan's deadline (an older row without one: the grace). */
function deadlineOf(request: BackupRequest): Date {
  const schedule = request.schedule;
  if (schedule?.deadline) return schedule.deadline;
  const start = schedule?.startAt ?? request.updatedAt;
  return new Date(start.getTime() + GRACE_MS);
}

/** The reasons in a few words, for the log and for noticing a change. */
function reasonsKey(reasons: readonly NotReadyReason[]): string {
  return reasons.map(reasonKey).join(",");
}

function reasonKey(reason: NotReadyReason): string {
  switch (reason.kind) {
    case "not_running":
      return `not_running:${reason.status}`;
    case "backup_in_progress":
      return `backup_in_progress:${reason.backupJobId}`;
    case "daily_limit":
      return `daily_limit:${reason.count}`;
  }
}
