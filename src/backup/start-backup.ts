/**
 * Running the backup of an approved request: the part that talks to CreateBackup, with every rule
 * for answers that are not clear. Used by the approval, by reconciliation after a restart, and by
 * the approvers' buttons on a request that needs attention.
 *
 * The rules (issue 12; the facts behind them are in src/domain/start-record.ts):
 * - At most MAX_CREATE_CALLS calls per request in all; each is counted in the store before it is
 *   made, by the one process that holds the request's lease, so no restart, replica or click makes
 *   a call twice.
 * - A refusal (4xx) is final; a call that surely sent nothing (throttling, a refused connection) is
 *   made again after a back-off.
 * - An unclear answer (a timeout, a 5xx, a dropped connection; `BackupJobExists` after one of
 *   those) is said in the thread at once, and settled only from the listings: a job that appears
 *   and is ours is adopted; a backup set that appears, or anything else unclear, goes to a person
 *   (`needs_attention`). One more call is made only when the listings showed nothing new for
 *   `listingLagMs`, and only once.
 * - A job RDS started is never forgotten: when the store cannot record it, the write is retried and
 *   the job id logged at error level if all else fails; CreateBackup is not called again for it.
 * - Waiting (back-off, watching the listings) happens in the background, not in the click's time,
 *   and stops at once on shutdown, leaving the request to the next start; a call already out is
 *   waited for and its answer recorded.
 */
import { randomUUID } from "node:crypto";
import { setMaxListeners } from "node:events";
import { ApiFailure, type ApiFailureInfo } from "../domain/api-failure.js";
import type { BackupTask, InstanceInfo } from "../domain/instance.js";
import { type BackupParams, type RawBackupInput, validateBackupParams } from "../domain/params.js";
import type { BackupRequest } from "../domain/request.js";
import {
  afterLook,
  CLOCK_SKEW_MS,
  currentPhase,
  type Finding,
  FRESH_START,
  judgeListings,
  MAX_CREATE_CALLS,
  type Sighting,
  type StartPhase,
  type StartRecord,
  watchingAfter,
} from "../domain/start-record.js";
import type { Logger } from "../logger.js";
import type { Notification, RdsGateway, RequestPatch, RequestStore } from "./ports.js";
import { outcomeNotifications } from "./watcher.js";

export interface StarterOptions {
  /** One CreateBackup call: exactly this long (the configuration's value, used as is). */
  createTimeoutMs: number;
  /** One look at the listings (DescribeBackupTasks, DescribeBackups), retries included. */
  readTimeoutMs: number;
  /** How long RDS's listings may trail a CreateBackup (`RDS_LISTING_LAG`). */
  listingLagMs: number;
  /** How often the listings are read while an unclear answer is watched. */
  listingPollMs: number;
  /** How long calls that surely sent nothing (throttling) are retried, in a row. */
  retryBudgetMs: number;
  /** How long a lease on a request lasts between renewals (longer than any one step). */
  leaseMs: number;
  /** An approved request nobody ever leased is taken over after this long without a change. */
  abandonedAfterMs: number;
  /** How long a store write that records a started job is retried before giving up. */
  storeRetryMs: number;
}

export const DEFAULT_STARTER_OPTIONS: StarterOptions = {
  createTimeoutMs: 10_000,
  readTimeoutMs: 10_000,
  listingLagMs: 90_000,
  listingPollMs: 10_000,
  retryBudgetMs: 60_000,
  leaseMs: 60_000,
  abandonedAfterMs: 120_000,
  storeRetryMs: 60_000,
};

export interface StarterDeps {
  store: RequestStore;
  rds: RdsGateway;
  logger: Logger;
  /** Who may decide on a request (mentioned when it needs attention). */
  approversOf: (request: BackupRequest) => { userIds: string[]; usergroupIds: string[] } | undefined;
  /** When a started job is first checked and when its watch ends (the watcher's schedule). */
  watchSchedule: (now: Date) => { firstCheckAt: Date; deadlineAt: Date };
  notifyChannelIds?: readonly string[] | undefined;
  onNotificationsQueued?: (() => void) | undefined;
  clock?: (() => Date) | undefined;
  /** Resolves after `ms`, or at once when `signal` aborts (shutdown). */
  sleep?: ((ms: number, signal: AbortSignal) => Promise<void>) | undefined;
  random?: (() => number) | undefined;
  options?: Partial<StarterOptions> | undefined;
}

/** Errors that mean "not in a state to do this"; the reply names the current state. */
const STATE_ERROR_CODES = new Set(["IncorrectDBInstanceState", "InvalideStatus.Format"]);

/** What a look at the listings said, or that they could not be read. */
export type Look = Sighting | { kind: "unreadable"; code: string };

/** What the approval just read from RDS: the instance as it is now and its running tasks. */
interface Known {
  instance?: InstanceInfo | undefined;
  tasks?: readonly BackupTask[] | undefined;
}

type Step = "continue" | "done";

/** Why a call is made (kept in the audit trail). */
type CallReason = "first" | "not_sent_before" | "after_unclear" | "person";

export class BackupStarter {
  readonly owner = `starter-${randomUUID()}`;
  readonly options: StarterOptions;
  private readonly clock: () => Date;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private readonly running = new Set<Promise<unknown>>();
  /** Requests this process carries now: one loop each, whatever reconciliation finds. */
  private readonly carrying = new Set<string>();
  private readonly stopping = new AbortController();

  constructor(private readonly deps: StarterDeps) {
    this.options = { ...DEFAULT_STARTER_OPTIONS, ...deps.options };
    this.clock = deps.clock ?? (() => new Date());
    this.sleep = deps.sleep ?? abortableSleep;
    this.random = deps.random ?? Math.random;
    // Every request waiting (a back-off, a look at the listings) listens for the stop: more than
    // Node's default of 10 at once is normal, not a leak (each wait removes its listener).
    setMaxListeners(0, this.stopping.signal);
  }

  private get store(): RequestStore {
    return this.deps.store;
  }

  get isStopping(): boolean {
    return this.stopping.signal.aborted;
  }

  // ─── Entry points ─────────────────────────────────────────────────────────────────────────────

  /**
   * Starts the backup of a request the caller just moved to `approved` (an approval, or an
   * approver's "Start the backup again"). Resolves once the first call's answer is recorded; what
   * follows (a back-off, watching the listings) goes on in the background. Throws when that answer
   * could not be recorded (the background keeps trying). Once stopping began, nothing is called:
   * the request stays `approved` for the next start.
   */
  async start(
    request: BackupRequest,
    known: { instance?: InstanceInfo | undefined; tasks?: readonly BackupTask[] | undefined } = {},
  ): Promise<BackupRequest> {
    const log = this.logFor(request);
    const leased = await this.lease(request.id, 0);
    if (!leased) return (await this.store.get(request.id)) ?? request;
    if (this.isStopping) {
      await this.release(request.id);
      log.info("not starting the backup: the bot is stopping; the next start takes it up");
      return leased;
    }
    // The same rules once more, against the instance as it is now: nothing invalid reaches RDS.
    const stillValid = validateBackupParams(rawInputOf(leased.params), known.instance ?? leased.instance);
    if (!stillValid.ok) {
      const codes = stillValid.problems.map((problem) => `${problem.field}:${problem.code}`).join(", ");
      return this.recordFailed(leased, {
        code: "InvalidParameters",
        message: `the parameters no longer fit the instance (${codes})`,
        outcome: "not_sent",
        transient: false,
      });
    }
    const first = deferred<void>();
    const work = this.track(this.run(leased.id, first, known));
    await Promise.race([first.promise, work]);
    return (await this.store.get(request.id)) ?? leased;
  }

  /**
   * Takes over an `approved` request nobody is carrying (the process that held it died or stopped)
   * and carries it on in the background. Returns false when someone else holds it.
   */
  async resume(request: BackupRequest): Promise<boolean> {
    if (this.isStopping || this.carrying.has(request.id)) return false;
    const leased = await this.lease(request.id, this.options.abandonedAfterMs);
    if (!leased) return false;
    this.logFor(leased).warn(
      { calls: leased.createCalls ?? 0, phase: currentPhase(leased.createCalls ?? 0, leased.start).kind },
      "carrying on with an approved request nobody was carrying",
    );
    this.track(this.run(leased.id, deferred<void>()));
    return true;
  }

  /**
   * One look at the instance's listings on behalf of `request` (an approver's "Check again").
   * Never throws: a listing that cannot be read is `unreadable`.
   */
  async look(request: BackupRequest): Promise<Look> {
    const instanceId = request.params.DBInstanceId;
    const options = { regionId: request.instance.regionId, timeoutMs: this.options.readTimeoutMs };
    const now = this.clock();
    const firstCallAt = request.submittedAt ?? request.decidedAt ?? request.updatedAt;
    try {
      const [tasks, sets] = await Promise.all([
        this.deps.rds.describeBackupTasks({ instanceId }, options),
        this.deps.rds.describeBackups(
          {
            instanceId,
            start: new Date(firstCallAt.getTime() - CLOCK_SKEW_MS),
            end: new Date(now.getTime() + CLOCK_SKEW_MS),
          },
          options,
        ),
      ]);
      const othersJobIds = new Set<string>();
      for (const task of tasks) {
        const holder = await this.store.findByBackupJobId(task.backupJobId);
        if (holder && holder.id !== request.id) othersJobIds.add(task.backupJobId);
      }
      return judgeListings({
        tasks,
        sets,
        jobsBefore: request.start?.jobsBefore,
        othersJobIds,
        firstCallAt,
      });
    } catch (error) {
      this.logFor(request).warn({ err: error }, "could not read the listings");
      return { kind: "unreadable", code: error instanceof ApiFailure ? error.code : "InternalError" };
    }
  }

  /**
   * Follows a job found for a request: from `approved` (the bot's own watch) or `needs_attention`
   * (an approver's "Check again"). The thread says the job was found, not started.
   */
  async adopt(
    request: BackupRequest,
    backupJobId: string,
    actor: string,
  ): Promise<BackupRequest | undefined> {
    const from = request.state === "needs_attention" ? "needs_attention" : "approved";
    return this.recordSubmitted(request, backupJobId, "", { adopted: true, actor, from });
  }

  /** Stops calling and waiting: sleeps end at once, leases are given back, a call already out is awaited. */
  stop(): void {
    this.stopping.abort();
  }

  /** Resolves when every request this process carries has stopped moving (after `stop`, promptly). */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  // ─── The loop ─────────────────────────────────────────────────────────────────────────────────

  /**
   * Carries one request on, step by step, until it leaves `approved`, the lease is lost, or the
   * bot stops. Each step reads the request afresh (renewing the lease), so it acts on the truth.
   * `first` settles once the first call's answer is recorded.
   */
  private async run(id: string, first: Deferred<void>, known: Known = {}): Promise<void> {
    if (this.carrying.has(id)) return first.resolve();
    this.carrying.add(id);
    try {
      for (;;) {
        if (this.isStopping) {
          await this.release(id).catch(() => undefined);
          return;
        }
        try {
          const request = await this.lease(id, 0);
          if (!request) return; // moved on, or another process carries it now
          if ((await this.step(request, first, known)) === "done") return;
        } catch (error) {
          // The store or a bug: tell the click, then try again from what the store says.
          this.deps.logger.warn(
            { err: error, requestId: id },
            "starting the backup hit an error; will carry on",
          );
          first.reject(error);
          await this.sleep(this.options.listingPollMs, this.stopping.signal);
        }
      }
    } finally {
      this.carrying.delete(id);
      first.resolve();
    }
  }

  private async step(request: BackupRequest, first: Deferred<void>, known: Known): Promise<Step> {
    const calls = request.createCalls ?? 0;
    const record = request.start ?? FRESH_START;
    const phase = currentPhase(calls, request.start);
    const now = this.clock();
    switch (phase.kind) {
      case "ready": {
        const step = await this.call(request, record, phase.by ? "person" : "first", first, known);
        first.resolve();
        return step;
      }
      case "retry": {
        const wait = phase.at.getTime() - now.getTime();
        if (wait > 0) {
          await this.sleep(Math.min(wait, this.options.leaseMs / 3), this.stopping.signal);
          return "continue";
        }
        return this.call(request, record, "not_sent_before", first, known);
      }
      case "calling":
        // A call went out and its answer was never recorded: the process died waiting for it. Its
        // outcome is unknown, and it is settled like any unclear answer, without another call.
        return this.recordUnclear(request, record, "NoAnswer", calls, true, first);
      case "watching":
        return this.watch(request, record, phase, first);
      case "handed_over":
        return "done";
    }
  }

  /** One CreateBackup call, counted first; its answer recorded. */
  private async call(
    request: BackupRequest,
    record: StartRecord,
    reason: CallReason,
    first?: Deferred<void>,
    known: Known = {},
  ): Promise<Step> {
    const log = this.logFor(request);
    const calls = request.createCalls ?? 0;
    if (calls >= MAX_CREATE_CALLS) {
      return this.handOver(request, record, { kind: "calls_used_up" }, request.error);
    }
    let before = record;
    if (calls === 0 && record.jobsBefore === undefined) {
      before = { ...record, jobsBefore: await this.jobsBefore(request, known.tasks) };
    }
    const now = this.clock();
    const phase = currentPhase(calls, request.start);
    const actor = phase.kind === "ready" && phase.by ? phase.by : "system";
    const counted = await this.store.countCreateCall(
      request.id,
      this.owner,
      calls,
      {
        start: { ...before, phase: { kind: "calling", call: calls + 1, at: now } },
        ...(calls === 0 ? { submittedAt: now } : {}),
      },
      { type: "create_backup_called", actor, detail: { call: calls + 1, reason } },
      reason === "after_unclear"
        ? [
            { kind: "card" },
            {
              kind: "thread",
              event: { type: "create_again", call: calls + 1 },
              dedupeKey: `thread:create_again:${calls + 1}`,
            },
          ]
        : [],
    );
    this.queued();
    if (!counted) return "done"; // someone else moved it first; nothing was sent
    const started = Date.now();
    try {
      // The parameters as the rules read them against the instance as last seen: they name the
      // method it takes now (its storage may have moved to cloud disks since the request was filed).
      const checked = validateBackupParams(rawInputOf(request.params), known.instance ?? request.instance);
      const result = await this.deps.rds.createBackup(checked.ok ? checked.value : request.params, {
        regionId: request.instance.regionId,
        timeoutMs: this.options.createTimeoutMs,
      });
      log.info(
        {
          backupJobId: result.backupJobId,
          apiRequestId: result.requestId,
          call: calls + 1,
          ms: Date.now() - started,
        },
        "CreateBackup accepted",
      );
      await this.recordSubmitted(
        counted,
        result.backupJobId,
        result.requestId,
        { adopted: false, actor: "system", from: "approved" },
        (error) => first?.reject(error),
      );
      return "done";
    } catch (error) {
      const failure = asFailure(error);
      log.warn(
        { code: failure.code, apiRequestId: failure.requestId, outcome: failure.outcome, call: calls + 1 },
        "CreateBackup failed",
      );
      const unclear =
        failure.outcome === "unknown" || (failure.code === "BackupJobExists" && before.unclear > 0);
      if (unclear) {
        return this.recordUnclear(counted, before, failure.code, calls + 1, reason === "person", first, {
          error: failure,
        });
      }
      // Surely nothing made: throttling (an answer) or a connection that never opened.
      if (failure.transient && failure.outcome !== "unknown") {
        const since = phase.kind === "retry" ? phase.since : now;
        const at = new Date(this.clock().getTime() + retryDelay(calls + 1, failure, this.random));
        const withinBudget = at.getTime() - since.getTime() <= this.options.retryBudgetMs;
        if (calls + 1 < MAX_CREATE_CALLS && withinBudget) {
          const noted = await this.store.recordStart(request.id, this.owner, {
            start: { ...before, phase: { kind: "retry", at, since } },
            error: failure,
          });
          return noted ? "continue" : "done";
        }
      }
      // Refused, or sent nothing and not worth another try: nothing was started.
      await this.recordFailed(counted, failure);
      return "done";
    }
  }

  /** The manual jobs running right before the first call (not ours, whatever happens next). */
  private async jobsBefore(
    request: BackupRequest,
    known: readonly BackupTask[] | undefined,
  ): Promise<string[] | undefined> {
    const manual = (tasks: readonly BackupTask[]) =>
      tasks
        .filter((task) => !task.mode || task.mode.toLowerCase() === "manual")
        .map((task) => task.backupJobId);
    if (known) return manual(known);
    try {
      const tasks = await this.deps.rds.describeBackupTasks(
        { instanceId: request.params.DBInstanceId },
        { regionId: request.instance.regionId, timeoutMs: this.options.readTimeoutMs },
      );
      return manual(tasks);
    } catch (error) {
      // Without it no job can be adopted after an unclear answer: a person would decide instead.
      this.logFor(request).warn({ err: error }, "could not list the running jobs before CreateBackup");
      return undefined;
    }
  }

  /** An unclear answer: say so at once, then watch the listings. */
  private async recordUnclear(
    request: BackupRequest,
    record: StartRecord,
    code: string,
    call: number,
    byPerson: boolean,
    first?: Deferred<void>,
    patch: RequestPatch = {},
  ): Promise<Step> {
    const now = this.clock();
    const next = watchingAfter(code, record, call, now, this.options.listingLagMs, byPerson);
    const decideAt = next.phase.kind === "watching" ? next.phase.decideAt : now;
    this.logFor(request).warn(
      { code, call, decideAt: decideAt.toISOString() },
      "CreateBackup gave no clear answer: watching the listings before deciding",
    );
    const noted = await this.store.recordStart(
      request.id,
      this.owner,
      { ...patch, start: next },
      { type: "unclear_answer", actor: "system", detail: { code, call, decideAt: decideAt.toISOString() } },
      [
        { kind: "card" },
        {
          kind: "thread",
          event: { type: "create_unclear", code, call, decideAt: decideAt.toISOString() },
          dedupeKey: `thread:create_unclear:${call}`,
        },
      ],
    );
    this.queued();
    first?.resolve();
    return noted ? "continue" : "done";
  }

  /** One look at the listings while watching, and what follows from it. */
  private async watch(
    request: BackupRequest,
    record: StartRecord,
    phase: Extract<StartPhase, { kind: "watching" }>,
    first: Deferred<void>,
  ): Promise<Step> {
    first.resolve();
    const look = await this.look(request);
    const calls = request.createCalls ?? 0;
    const decision = afterLook(phase, look, calls, this.clock());
    switch (decision.kind) {
      case "adopt":
        this.logFor(request).warn(
          { backupJobId: decision.backupJobId },
          "adopting the job RDS shows for the unclear call",
        );
        await this.adopt(request, decision.backupJobId, "system");
        return "done";
      case "call_again":
        return this.call(request, record, "after_unclear", first);
      case "hand_over":
        return this.handOver(request, record, decision.finding, request.error);
      case "keep_watching": {
        const left = phase.decideAt.getTime() - this.clock().getTime();
        const pause = Math.max(1, Math.min(this.options.listingPollMs, left > 0 ? left : Infinity));
        await this.sleep(pause, this.stopping.signal);
        return "continue";
      }
    }
  }

  // ─── Recording outcomes ───────────────────────────────────────────────────────────────────────

  /**
   * Moves the request to `submitted` with its job and starts watching the job. A store that fails
   * here is tried again for `storeRetryMs`: RDS started this job, and forgetting it would invite a
   * second backup. Never calls CreateBackup.
   */
  private async recordSubmitted(
    request: BackupRequest,
    backupJobId: string,
    apiRequestId: string,
    how: { adopted: boolean; actor: string; from: "approved" | "needs_attention" },
    onStoreFailure?: (error: unknown) => void,
  ): Promise<BackupRequest | undefined> {
    const log = this.logFor(request).child({ backupJobId });
    const started = this.clock().getTime();
    const record = request.start ?? FRESH_START;
    const announcement: Notification = how.adopted
      ? { kind: "thread", event: { type: "job_adopted", backupJobId }, dedupeKey: "thread:job" }
      : {
          kind: "thread",
          event: { type: "job_started", backupJobId, requestId: apiRequestId },
          dedupeKey: "thread:job",
        };
    const move = (from: "approved" | "needs_attention") =>
      this.store.transition(
        request.id,
        { from, to: "submitted" },
        {
          backupJobId,
          apiRequestId,
          submittedAt: request.submittedAt ?? this.clock(),
          start: { ...record, phase: { kind: "handed_over", finding: { kind: "nothing" } } },
        },
        {
          type: how.adopted ? "reconciled" : "submitted",
          actor: how.actor,
          detail: { backupJobId, apiRequestId, call: request.createCalls ?? 0, adopted: how.adopted },
        },
        [
          { kind: "card" },
          announcement,
          {
            kind: "requester",
            event: { type: "job_started", backupJobId, requestId: apiRequestId },
            dedupeKey: "requester:job",
          },
        ],
        { start: this.deps.watchSchedule(this.clock()) },
      );
    for (let attempt = 1; ; attempt++) {
      try {
        let moved = await move(how.from);
        // Someone handed it to a person while this call was out: what RDS said wins over a doubt.
        if (!moved && how.from === "approved") {
          const now = await this.store.get(request.id);
          if (now?.state === "needs_attention") moved = await move("needs_attention");
        }
        this.queued();
        return moved ?? (await this.store.get(request.id));
      } catch (error) {
        // A blip is retried quietly; past that the click is told something went wrong (the thread
        // will say what happened once the store answers again).
        if (attempt >= 3) onStoreFailure?.(error);
        const elapsed = this.clock().getTime() - started;
        if (elapsed >= this.options.storeRetryMs || this.isStopping) {
          log.error(
            { err: error, apiRequestId, attempts: attempt },
            `backup job ${backupJobId} was started for this request but could not be recorded; ` +
              "CreateBackup must not be called again for it: reconciliation adopts the job from the listings",
          );
          throw error;
        }
        log.warn({ err: error, attempt }, "could not record the started job; trying again");
        await this.sleep(Math.min(5_000, 200 * 2 ** (attempt - 1)), this.stopping.signal);
      }
    }
  }

  private async recordFailed(request: BackupRequest, reported: ApiFailureInfo): Promise<BackupRequest> {
    const failure = await this.withInstanceStatus(request, reported);
    const moved = await this.store.transition(
      request.id,
      { from: "approved", to: "failed" },
      {
        error: failure,
        start: {
          ...(request.start ?? FRESH_START),
          phase: { kind: "handed_over", finding: { kind: "nothing" } },
        },
      },
      {
        type: "failed",
        actor: "system",
        detail: {
          code: failure.code,
          apiRequestId: failure.requestId ?? null,
          httpStatus: failure.httpStatus ?? null,
          calls: request.createCalls ?? 0,
        },
      },
      outcomeNotifications({ type: "create_failed", error: failure }, this.deps.notifyChannelIds ?? []),
    );
    this.queued();
    return moved ?? (await this.store.get(request.id)) ?? request;
  }

  /** For errors about the instance's state, the state now, so the reply can say what it is. */
  private async withInstanceStatus(request: BackupRequest, failure: ApiFailureInfo): Promise<ApiFailureInfo> {
    if (!STATE_ERROR_CODES.has(failure.code)) return failure;
    try {
      const now = await this.deps.rds.describeInstance(request.params.DBInstanceId, {
        regionId: request.instance.regionId,
        timeoutMs: this.options.readTimeoutMs,
      });
      return { ...failure, instanceStatus: now.status };
    } catch {
      return failure;
    }
  }

  /** What the bot cannot settle goes to the approvers, with what it saw and what they can do. */
  private async handOver(
    request: BackupRequest,
    record: StartRecord,
    finding: Finding,
    error: ApiFailureInfo | undefined,
  ): Promise<Step> {
    const calls = request.createCalls ?? 0;
    this.logFor(request).error(
      { finding: finding.kind, code: error?.code, calls },
      "whether the backup started cannot be settled: handing the request to the approvers",
    );
    const approvers = this.deps.approversOf(request);
    await this.store.transition(
      request.id,
      { from: "approved", to: "needs_attention" },
      { start: { ...record, phase: { kind: "handed_over", finding } } },
      {
        type: "needs_attention",
        actor: "system",
        detail: { finding: finding.kind, code: error?.code ?? null, calls },
      },
      outcomeNotifications(
        {
          type: "needs_attention",
          error,
          finding,
          approvers,
          canStartAgain: calls < MAX_CREATE_CALLS,
        },
        this.deps.notifyChannelIds ?? [],
        // Each time a request is handed over is news (after a "Start the backup again", too).
        `needs_attention:${calls}`,
      ),
    );
    this.queued();
    return "done";
  }

  // ─── Small things ─────────────────────────────────────────────────────────────────────────────

  private lease(id: string, idleMs: number): Promise<BackupRequest | undefined> {
    const now = this.clock();
    return this.store.leaseApproved(
      id,
      this.owner,
      now,
      new Date(now.getTime() + this.options.leaseMs),
      idleMs,
    );
  }

  private release(id: string): Promise<void> {
    return this.store.releaseLease(id, this.owner, this.clock());
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    const forget = () => this.running.delete(work);
    work.then(forget, forget);
    return work;
  }

  private queued(): void {
    this.deps.onNotificationsQueued?.();
  }

  private logFor(request: BackupRequest): Logger {
    return this.deps.logger.child({ requestId: request.id, instanceId: request.params.DBInstanceId });
  }
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

/** A promise settled from outside; only its first settlement counts. */
function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  // Nobody may be listening (a background run): a rejection must not become an unhandled one.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/** Validated parameters back in the shape the validator reads. */
function rawInputOf(params: BackupParams): RawBackupInput {
  return {
    DBInstanceId: params.DBInstanceId,
    DBName: params.DBName,
    BackupStrategy: params.BackupStrategy,
    BackupMethod: params.BackupMethod,
    BackupType: params.BackupType,
    BackupRetentionPeriod: params.BackupRetentionPeriod,
  };
}

function asFailure(error: unknown): ApiFailureInfo {
  if (error instanceof ApiFailure) return error.toInfo();
  // Not from the gateway: a bug of ours, around a call that may have gone out. Unclear.
  return { code: "InternalError", message: "internal error", outcome: "unknown", transient: false };
}

/** Exponential back-off with full jitter, honouring the API's Retry-After. */
export function retryDelay(attempt: number, failure: ApiFailureInfo, random: () => number): number {
  const base = Math.min(8_000, 500 * 2 ** (attempt - 1));
  const jittered = Math.round(base / 2 + random() * (base / 2));
  const asked = (failure.retryAfterSeconds ?? 0) * 1000;
  return Math.max(jittered, asked);
}
