/**
 * Reminds the people who may decide about a request that waits (issue 15): once after
 * APPROVAL_REMINDER_AFTER (or the policy rule's `remind_after`), once more shortly before it
 * expires, in the card's thread (src/domain/reminders.ts says when and whom).
 *
 * It runs beside the job watcher and the scheduled-run runner, on the same polling loop
 * (src/backup/poller.ts), whose timer never keeps a stopping process alive. Each round reads the
 * pending requests that still have a reminder to come, asks the domain which one is due, and
 * claims it in the store: one transaction records the reminder (a conditional insert keyed by
 * request and kind), its audit event and its thread reply in the outbox, only while the request
 * is pending. So each reminder is posted once across replicas and restarts, and the reply goes
 * out in the thread's order with every other reply, through the same delivery (paced, retried,
 * set aside when Slack refuses it for good).
 */
import { randomUUID } from "node:crypto";
import { type Policy, ruleFor } from "../domain/policy.js";
import {
  DEFAULT_REMIND_AFTER_MS,
  dueReminder,
  type RemindAfter,
  type ReminderKind,
  remindAfterFor,
  whoToRemind,
} from "../domain/reminders.js";
import type { Logger } from "../logger.js";
import { Poller } from "./poller.js";
import type { ReminderCandidate, RequestStore } from "./ports.js";

export interface ReminderOptions {
  /** How often to look for due reminders: how late past its time a reminder may come. */
  pollMs: number;
  /** How many pending requests one round looks at (the soonest to expire first). */
  batchSize: number;
}

export const DEFAULT_REMINDER_OPTIONS: ReminderOptions = {
  pollMs: 5_000,
  batchSize: 500,
};

export interface ReminderDeps {
  store: RequestStore;
  policy: () => Policy;
  /** APPROVAL_REMINDER_AFTER: for requests whose rule has no `remind_after`. */
  remindAfter?: RemindAfter | undefined;
  logger: Logger;
  onNotificationsQueued?: (() => void) | undefined;
  clock?: (() => Date) | undefined;
  options?: Partial<ReminderOptions> | undefined;
}

export class ReminderRunner {
  readonly owner = `reminders-${randomUUID()}`;
  private readonly options: ReminderOptions;
  private readonly clock: () => Date;
  private readonly poller: Poller;

  constructor(private readonly deps: ReminderDeps) {
    this.options = { ...DEFAULT_REMINDER_OPTIONS, ...deps.options };
    this.clock = deps.clock ?? (() => new Date());
    this.poller = new Poller(() => this.round(), this.options.pollMs, deps.logger, "reminder");
  }

  start(): void {
    this.poller.start();
  }

  /** Stops taking new rounds and waits for the current one. */
  stop(): Promise<void> {
    return this.poller.stop();
  }

  /** Sends every reminder due now. Returns how many this runner sent (another replica's not counted). */
  async round(): Promise<number> {
    const candidates = await this.deps.store.listRemindable(this.options.batchSize);
    let sent = 0;
    for (const candidate of candidates) {
      try {
        if (await this.remind(candidate)) sent += 1;
      } catch (error) {
        // The store or a bug: the next round tries again (the claim makes a retry safe).
        this.deps.logger.error(
          { err: error, requestId: candidate.request.id },
          "reminding the approvers failed; will try again",
        );
      }
    }
    if (sent > 0) this.deps.onNotificationsQueued?.();
    return sent;
  }

  private async remind({ request, sent }: ReminderCandidate): Promise<boolean> {
    const now = this.clock();
    const rule = ruleFor(this.deps.policy(), request.instance);
    const after = remindAfterFor(rule, this.deps.remindAfter ?? DEFAULT_REMIND_AFTER_MS);
    const kind = dueReminder(request, after, sent, now);
    if (!kind) return false;
    const approvers = whoToRemind(rule, request);
    const claimed = await this.deps.store.claimReminder(
      request.id,
      kind,
      now,
      {
        type: "reminded",
        actor: "system",
        detail: { kind, users: approvers.userIds.length, groups: approvers.usergroupIds.length },
      },
      [{ kind: "thread", event: { type: "reminder", kind, approvers }, dedupeKey: reminderKey(kind) }],
    );
    if (claimed) {
      this.deps.logger.info(
        { requestId: request.id, reminder: kind, waitedMs: now.getTime() - request.createdAt.getTime() },
        "reminded the approvers of a pending request",
      );
    }
    return claimed;
  }
}

/** One reply per reminder in the outbox too, whatever writes it. */
function reminderKey(kind: ReminderKind): string {
  return `thread:reminder:${kind}`;
}
