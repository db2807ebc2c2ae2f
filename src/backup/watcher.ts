/**
 * Follows each started backup job to its end with DescribeBackupTasks, on a backoff schedule
 * bounded in total time, and tells the thread: progress now and then, then finished (with the
 * backup set from DescribeBackups) or failed. Watches live in the store with a lease, so they
 * survive restarts and each job has one watcher even with several replicas.
 */
import { randomUUID } from "node:crypto";
import type { BackupTask } from "../domain/instance.js";
import type { BackupRequest } from "../domain/request.js";
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
  /** Stop following a job after this long (it is then left to the console). */
  maxWatchMs: number;
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
  notifyChannelIds: [],
  batchSize: 20,
};

/** Notifications for an outcome: the thread, the requester, and every notification channel. */
export function outcomeNotifications(
  event: ThreadEvent,
  notifyChannelIds: readonly string[],
): Notification[] {
  return [
    { kind: "card" },
    { kind: "thread", event, dedupeKey: `thread:${event.type}` },
    { kind: "requester", event, dedupeKey: `requester:${event.type}` },
    ...notifyChannelIds.map(
      (channel): Notification => ({ kind: "summary", channel, event, dedupeKey: `summary:${channel}` }),
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
    if (now.getTime() > watch.deadlineAt.getTime()) {
      const hours = Math.round((watch.deadlineAt.getTime() - watch.startedAt.getTime()) / 3_600_000);
      log.warn("backup job still running at the end of its watch; giving up");
      await this.store.endWatch(watch.requestId, this.owner, [
        {
          kind: "thread",
          event: { type: "watch_gave_up", backupJobId: watch.backupJobId, hours },
          dedupeKey: "thread:watch_gave_up",
        },
      ]);
      this.onNotificationsQueued();
      return;
    }

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

    if (task?.status === "Finished") return this.finish(watch, task, log);
    if (task?.status === "Failed") return this.fail(watch, task, log);

    const notes: Notification[] = [];
    const progress = task?.progress;
    const noteDue =
      !watch.lastNoteAt || now.getTime() - watch.lastNoteAt.getTime() >= this.options.progressNoteEveryMs;
    if (task && progress !== undefined && progress !== watch.lastProgress && noteDue) {
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
        lastStatus: task?.status,
        ...(notes.length > 0 ? { lastProgress: progress, lastNoteAt: now } : {}),
      },
      notes,
    );
    if (kept && notes.length > 0) this.onNotificationsQueued();
  }

  private async finish(watch: BackupWatch, task: BackupTask, log: Logger): Promise<void> {
    const backupSet = await this.backupSetOf(watch, task, log);
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

  private async backupSetOf(
    watch: BackupWatch,
    task: BackupTask,
    log: Logger,
  ): Promise<BackupSetSummary | undefined> {
    if (!task.backupId) return undefined;
    try {
      const sets = await this.rds.describeBackups(
        {
          instanceId: watch.instanceId,
          backupId: task.backupId,
          start: new Date(watch.startedAt.getTime() - 3_600_000),
          end: new Date(this.clock().getTime() + 3_600_000),
        },
        { regionId: watch.regionId, timeoutMs: 15_000 },
      );
      const set = sets.find((candidate) => candidate.backupId === task.backupId) ?? sets[0];
      if (!set) return { backupId: task.backupId };
      return {
        backupId: set.backupId,
        method: set.method,
        sizeBytes: set.size,
        startTime: set.startTime,
        endTime: set.endTime,
      };
    } catch (error) {
      log.warn({ err: error }, "could not read the backup set; reporting the job only");
      return { backupId: task.backupId };
    }
  }
}
