/**
 * Follows each started backup job to its end with DescribeBackupTasks, on a backoff schedule
 * bounded in total time, and tells the thread: progress now and then, then finished (with the
 * backup set from DescribeBackups) or failed. Watches live in the store with a lease, so they
 * survive restarts and each job has one watcher even with several replicas.
 *
 * Every watch ends in a final state, the listings' lag allowed for (../shared/docs/createbackup.md,
 * "What the listings really do"): a finished job's backup set is awaited for `backupSetWaitMs`
 * before the message goes out with what is known; a job DescribeBackupTasks no longer shows is
 * looked for among the backup sets for as long as the listings may lag, then reported lost; a job
 * still unfinished at the watch limit is closed as failed with its outcome unknown.
 */
import { randomUUID } from "node:crypto";
import type { BackupTask } from "../domain/instance.js";
import type { BackupRequest } from "../domain/request.js";
import { CLOCK_SKEW_MS } from "../domain/start-record.js";
import type { Logger } from "../logger.js";
import { Poller } from "./poller.js";
import type {
  BackupSetSummary,
  BackupWatch,
  Notification,
  RdsGateway,
  RequestStore,
  ThreadEvent,
} from "./ports.js";

export interface WatcherOptions {
  /** How often to look for due watches. */
  pollMs: number;
  /** How long a claimed watch stays with this watcher. */
  leaseMs: number;
  /** The first check comes this long after the job starts; each next one waits twice as long. */
  firstCheckMs: number;
  maxIntervalMs: number;
  /** At most one progress note per this interval. */
  progressNoteEveryMs: number;
  /** Stop following a job after this long (the request is then closed, outcome unknown). */
  maxWatchMs: number;
  /** How long RDS's listings may trail a job (`RDS_LISTING_LAG`): a job missing for longer is lost. */
  listingLagMs: number;
  /** How long a finished job's backup set is awaited in DescribeBackups before reporting without it. */
  backupSetWaitMs: number;
  /** How often a job is checked while the listings are awaited. */
  settleCheckMs: number;
  /** Channels that get a one-line summary of each outcome. */
  notifyChannelIds: readonly string[];
  batchSize: number;
}

export const DEFAULT_WATCHER_OPTIONS: WatcherOptions = {
  pollMs: 2_000,
  leaseMs: 60_000,
  firstCheckMs: 5_000,
  maxIntervalMs: 5 * 60_000,
  progressNoteEveryMs: 3 * 60_000,
  maxWatchMs: 24 * 3_600_000,
  listingLagMs: 90_000,
  backupSetWaitMs: 120_000,
  settleCheckMs: 15_000,
  notifyChannelIds: [],
  batchSize: 20,
};

/**
 * Notifications for an outcome: the thread, the requester, and every notification channel. `key`
 * makes each one unique per request (an outcome said once), `event.type` unless told.
 */
export function outcomeNotifications(
  event: ThreadEvent,
  notifyChannelIds: readonly string[],
  key: string = event.type,
): Notification[] {
  return [
    { kind: "card" },
    { kind: "thread", event, dedupeKey: `thread:${key}` },
    { kind: "requester", event, dedupeKey: `requester:${key}` },
    ...notifyChannelIds.map(
      (channel): Notification => ({
        kind: "summary",
        channel,
        event,
        dedupeKey: key === event.type ? `summary:${channel}` : `summary:${channel}:${key}`,
      }),
    ),
  ];
}

export class BackupWatcher {
  readonly owner = `watcher-${randomUUID()}`;
  private readonly options: WatcherOptions;
  private readonly poller: Poller;

  constructor(
    private readonly store: RequestStore,
    private readonly rds: RdsGateway,
    private readonly log: Logger,
    options: Partial<WatcherOptions> = {},
    private readonly onNotificationsQueued: () => void = () => {},
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.options = { ...DEFAULT_WATCHER_OPTIONS, ...options };
    this.poller = new Poller(() => this.round(), this.options.pollMs, log, "watch");
  }

  /** When a new watch should first be checked, and when to give up on it. */
  schedule(now: Date): { firstCheckAt: Date; deadlineAt: Date } {
    return {
      firstCheckAt: new Date(now.getTime() + this.options.firstCheckMs),
      deadlineAt: new Date(now.getTime() + this.options.maxWatchMs),
    };
  }

  start(): void {
    this.poller.start();
  }

  stop(): Promise<void> {
    return this.poller.stop();
  }

  /** Checks every due watch once. Returns how many were checked. */
  async round(): Promise<number> {
    const watches = await this.store.claimWatches(
      this.owner,
      this.clock(),
      this.options.leaseMs,
      this.options.batchSize,
    );
    await Promise.all(watches.map((watch) => this.check(watch)));
    return watches.length;
  }

  private nextCheck(watch: BackupWatch, now: Date): Date {
    const wait = Math.min(
      this.options.maxIntervalMs,
      this.options.firstCheckMs * 2 ** Math.min(watch.checks + 1, 20),
    );
    return new Date(now.getTime() + wait);
  }

  private async check(watch: BackupWatch): Promise<void> {
    const log = this.log.child({ requestId: watch.requestId, backupJobId: watch.backupJobId });
    const now = this.clock();
    if (now.getTime() > watch.deadlineAt.getTime()) return this.giveUp(watch, log);

    let task: BackupTask | undefined;
    try {
      const tasks = await this.rds.describeBackupTasks(
        { instanceId: watch.instanceId, backupJobId: watch.backupJobId },
        { regionId: watch.regionId, timeoutMs: 15_000 },
      );
      task = tasks.find((candidate) => candidate.backupJobId === watch.backupJobId);
    } catch (error) {
      log.warn({ err: error }, "could not check the backup job; will try again");
      await this.store.recordCheck(watch.requestId, this.owner, { nextCheckAt: this.nextCheck(watch, now) });
      return;
    }

    if (task?.status === "Failed") return this.fail(watch, task, log);
    if (task?.status === "Finished") return this.settleFinished(watch, task, log, now);
    if (!task) return this.settleMissing(watch, log, now);

    const notes: Notification[] = [];
    const progress = task.progress;
    const noteDue =
      !watch.lastNoteAt || now.getTime() - watch.lastNoteAt.getTime() >= this.options.progressNoteEveryMs;
    if (progress !== undefined && progress !== watch.lastProgress && noteDue) {
      notes.push({
        kind: "thread",
        event: {
          type: "job_progress",
          backupJobId: watch.backupJobId,
          percent: progress,
          status: task.status,
        },
        dedupeKey: `thread:progress:${progress}`,
      });
    }
    const kept = await this.store.recordCheck(
      watch.requestId,
      this.owner,
      {
        nextCheckAt: this.nextCheck(watch, now),
        lastStatus: task.status,
        // Listed again after a gap (a new job shows late): nothing is awaited any more.
        ...(watch.settlingSince ? { settlingSince: null } : {}),
        ...(notes.length > 0 ? { lastProgress: progress, lastNoteAt: now } : {}),
      },
      notes,
    );
    if (kept && notes.length > 0) this.onNotificationsQueued();
  }

  /** Finished: with its backup set once DescribeBackups lists it, or after waiting long enough. */
  private async settleFinished(watch: BackupWatch, task: BackupTask, log: Logger, now: Date): Promise<void> {
    const found = await this.backupSetOf(watch, task.backupId, log);
    const since = watch.settlingSince ?? now;
    const waited = now.getTime() - since.getTime();
    if (found !== "unreadable" && (found || waited >= this.options.backupSetWaitMs)) {
      if (!found)
        log.info({ waitedMs: waited }, "the backup set is not listed yet; reporting the job without it");
      return this.finish(watch, found ?? (task.backupId ? { backupId: task.backupId } : undefined), log);
    }
    if (found === "unreadable" && waited >= this.options.backupSetWaitMs) {
      return this.finish(watch, task.backupId ? { backupId: task.backupId } : undefined, log);
    }
    await this.awaitListings(watch, now, since, "Finished");
  }

  /**
   * No longer (or not yet) shown by DescribeBackupTasks: a backup set made since the first call
   * says it finished; none for as long as the listings may lag (and a backup set takes to appear)
   * says it is lost.
   */
  private async settleMissing(watch: BackupWatch, log: Logger, now: Date): Promise<void> {
    const found = await this.backupSetOf(watch, undefined, log);
    if (found && found !== "unreadable") {
      log.info({ backupId: found.backupId }, "the job is no longer listed; its backup set is");
      return this.finish(watch, found, log);
    }
    const since = watch.settlingSince ?? now;
    const patience = this.options.listingLagMs + this.options.backupSetWaitMs;
    if (found !== "unreadable" && now.getTime() - since.getTime() >= patience) return this.lose(watch, log);
    await this.awaitListings(watch, now, since, watch.lastStatus);
  }

  private async awaitListings(
    watch: BackupWatch,
    now: Date,
    since: Date,
    lastStatus: string | undefined,
  ): Promise<void> {
    const next = Math.min(this.nextCheck(watch, now).getTime(), now.getTime() + this.options.settleCheckMs);
    await this.store.recordCheck(watch.requestId, this.owner, {
      nextCheckAt: new Date(next),
      lastStatus,
      settlingSince: since,
    });
  }

  private async finish(
    watch: BackupWatch,
    backupSet: BackupSetSummary | undefined,
    log: Logger,
  ): Promise<void> {
    const event: ThreadEvent = { type: "job_finished", backupJobId: watch.backupJobId, backupSet };
    const moved = await this.store.transition(
      watch.requestId,
      { from: "submitted", to: "succeeded" },
      {},
      {
        type: "succeeded",
        actor: "system",
        detail: {
          backupJobId: watch.backupJobId,
          backupId: backupSet?.backupId ?? null,
          sizeBytes: backupSet?.sizeBytes ?? null,
        },
      },
      outcomeNotifications(event, this.options.notifyChannelIds),
      { end: true },
    );
    await this.settle(watch, moved, log, "finished");
  }

  private async fail(watch: BackupWatch, task: BackupTask, log: Logger): Promise<void> {
    const event: ThreadEvent = { type: "job_failed", backupJobId: watch.backupJobId, status: task.status };
    const moved = await this.store.transition(
      watch.requestId,
      { from: "submitted", to: "failed" },
      {
        error: {
          code: "BackupTaskFailed",
          message: `backup job ${watch.backupJobId} ended with status ${task.status}`,
          outcome: "rejected",
          transient: false,
        },
      },
      { type: "failed", actor: "system", detail: { backupJobId: watch.backupJobId, status: task.status } },
      outcomeNotifications(event, this.options.notifyChannelIds),
      { end: true },
    );
    await this.settle(watch, moved, log, "failed");
  }

  private async settle(
    watch: BackupWatch,
    moved: BackupRequest | undefined,
    log: Logger,
    outcome: string,
  ): Promise<void> {
    if (moved) {
      log.info({ outcome }, `backup job ${outcome}`);
      this.onNotificationsQueued();
      return;
    }
    // The request was no longer `submitted` (someone else recorded the end): just stop watching.
    await this.store.endWatch(watch.requestId, this.owner);
  }

  /**
   * The job's backup set: by its id when the task gave one, otherwise the first manual set that
   * started at or after the request's first CreateBackup call (with clock slack; RDS allows one
   * task at a time, so an earlier set is not this job's). `undefined`: not listed (yet).
   */
  private async backupSetOf(
    watch: BackupWatch,
    backupId: string | undefined,
    log: Logger,
  ): Promise<BackupSetSummary | undefined | "unreadable"> {
    try {
      const request = await this.store.get(watch.requestId);
      const since = (request?.submittedAt ?? watch.startedAt).getTime() - CLOCK_SKEW_MS;
      const sets = await this.rds.describeBackups(
        {
          instanceId: watch.instanceId,
          ...(backupId ? { backupId } : {}),
          start: new Date(since),
          end: new Date(this.clock().getTime() + CLOCK_SKEW_MS),
        },
        { regionId: watch.regionId, timeoutMs: 15_000 },
      );
      const set = backupId
        ? sets.find((candidate) => candidate.backupId === backupId)
        : sets
            .filter((candidate) => {
              const started = candidate.startTime ? Date.parse(candidate.startTime) : Number.NaN;
              return candidate.mode === "Manual" && !Number.isNaN(started) && started >= since;
            })
            .sort((a, b) => Date.parse(a.startTime ?? "") - Date.parse(b.startTime ?? ""))[0];
      if (!set) return undefined;
      return {
        backupId: set.backupId,
        method: set.method,
        sizeBytes: set.size,
        startTime: set.startTime,
        endTime: set.endTime,
      };
    } catch (error) {
      log.warn({ err: error }, "could not read the backup sets; will try again");
      return "unreadable";
    }
  }

  /** Gone from the listings without a backup set: it most likely did not complete. */
  private async lose(watch: BackupWatch, log: Logger): Promise<void> {
    log.warn("the job is no longer listed and no backup set appeared: reporting it lost");
    const moved = await this.store.transition(
      watch.requestId,
      { from: "submitted", to: "failed" },
      {
        error: {
          code: "BackupJobVanished",
          message: `backup job ${watch.backupJobId} left the listings without a backup set`,
          outcome: "unknown",
          transient: false,
        },
      },
      { type: "failed", actor: "system", detail: { backupJobId: watch.backupJobId, status: "Vanished" } },
      outcomeNotifications(
        { type: "job_lost", backupJobId: watch.backupJobId },
        this.options.notifyChannelIds,
      ),
      { end: true },
    );
    await this.settle(watch, moved, log, "lost");
  }

  /** Still unfinished at the watch limit: the request ends, its outcome left to the console. */
  private async giveUp(watch: BackupWatch, log: Logger): Promise<void> {
    const hours = Math.round((watch.deadlineAt.getTime() - watch.startedAt.getTime()) / 3_600_000);
    log.warn({ hours }, "backup job still unfinished at the end of its watch; closing the request");
    const moved = await this.store.transition(
      watch.requestId,
      { from: "submitted", to: "failed" },
      {
        error: {
          code: "WatchTimedOut",
          message: `backup job ${watch.backupJobId} was still not finished after ${hours} hours`,
          outcome: "unknown",
          transient: false,
        },
      },
      {
        type: "failed",
        actor: "system",
        detail: { backupJobId: watch.backupJobId, status: "WatchTimedOut" },
      },
      outcomeNotifications(
        { type: "watch_gave_up", backupJobId: watch.backupJobId, hours },
        this.options.notifyChannelIds,
      ),
      { end: true },
    );
    await this.settle(watch, moved, log, "unfollowed");
  }
}
