/**
 * The use cases: file a request, decide on it, run CreateBackup once, and tidy up what a crash or
 * a long wait leaves behind. Slack-free and Alibaba-free: it talks to the ports only.
 */
import { randomBytes } from "node:crypto";
import { isCredentialFailure } from "../domain/api-errors.js";
import { ApiFailure, type ApiFailureInfo } from "../domain/api-failure.js";
import type { BackupTask, InstanceInfo } from "../domain/instance.js";
import {
  type BackupParams,
  type Problem,
  parseInstanceId,
  type RawBackupInput,
  validateBackupParams,
} from "../domain/params.js";
import {
  type DecisionRefusal,
  groupsNamedBy,
  mayDecide,
  mayRequest,
  type Policy,
  type PolicyRule,
  type RequestRefusal,
  ruleFor,
} from "../domain/policy.js";
import { type Preflight, preflightBlocks } from "../domain/preflight.js";
import { type BackupRequest, isRequestId, type Locale, newRequestId } from "../domain/request.js";
import type { Logger } from "../logger.js";
import { type InstanceCatalog, type InstanceList, NOT_FOUND_CODES } from "./instance-catalog.js";
import type { Directory, Notification, RdsGateway, RequestStore } from "./ports.js";
import { runPreflight } from "./preflight.js";
import { outcomeNotifications } from "./watcher.js";

export interface ServiceOptions {
  /** Deadline for the instance look-up on the submit path (it must fit in Slack's 3 seconds). */
  lookupTimeoutMs: number;
  /** Deadline per CreateBackup attempt. */
  createTimeoutMs: number;
  /** Total time spent trying to start one backup (attempts, checks, waits). */
  createDeadlineMs: number;
  /**
   * An approved request older than this with no recorded outcome was abandoned by a process that
   * died mid-call; `reconcileAbandoned` then looks for its job. Longer than `createDeadlineMs`.
   */
  abandonedAfterMs: number;
}

export const DEFAULT_SERVICE_OPTIONS: ServiceOptions = {
  lookupTimeoutMs: 2_000,
  createTimeoutMs: 10_000,
  createDeadlineMs: 60_000,
  abandonedAfterMs: 120_000,
};

export interface ServiceDeps {
  store: RequestStore;
  rds: RdsGateway;
  catalog: InstanceCatalog;
  directory: Directory;
  policy: () => Policy;
  logger: Logger;
  /** Wakes the notification dispatcher after a write that queued messages. */
  onNotificationsQueued?: () => void;
  /** When a started job is first checked and when its watch ends (the watcher's schedule). */
  watchSchedule: (now: Date) => { firstCheckAt: Date; deadlineAt: Date };
  /** Channels that get a one-line summary of each outcome. */
  notifyChannelIds?: readonly string[] | undefined;
  clock?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  options?: Partial<ServiceOptions> | undefined;
}

export interface Requester {
  userId: string;
  channelId?: string | undefined;
  locale: Locale;
  /** False when the caller already told the requester where the request waits (the inline command). */
  tellWhereItWaits?: boolean | undefined;
}

export type FileResult =
  | { ok: true; request: BackupRequest }
  | { ok: false; problems: Problem[] }
  | { ok: false; refusal: RequestRefusal };

export type DecisionRefusalReason =
  | DecisionRefusal
  | "not_found"
  | "invalid"
  | "already_decided"
  | "not_requester"
  | "preflight_failed";

export type DecisionResult =
  | { kind: "done"; request: BackupRequest }
  | { kind: "refused"; reason: DecisionRefusalReason; request?: BackupRequest | undefined };

/** The pre-flight checks get at least this long, even when finding the region took most of the time box. */
const MIN_CHECK_MS = 500;
/** Errors that mean "not in a state to do this"; the reply names the current state. */
const STATE_ERROR_CODES = new Set(["IncorrectDBInstanceState", "InvalideStatus.Format"]);

export class BackupService {
  private readonly options: ServiceOptions;
  private readonly clock: () => Date;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  /** CreateBackup calls under way, so a graceful shutdown can wait for them. */
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly deps: ServiceDeps) {
    this.options = { ...DEFAULT_SERVICE_OPTIONS, ...deps.options };
    this.clock = deps.clock ?? (() => new Date());
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = deps.random ?? Math.random;
  }

  private get log(): Logger {
    return this.deps.logger;
  }

  // ─── Filing ───────────────────────────────────────────────────────────────────────────────────

  /** Checks the instance and the parameters; a valid request is stored as pending with its card queued. */
  async fileRequest(input: RawBackupInput, who: Requester): Promise<FileResult> {
    const id = parseInstanceId(input.DBInstanceId);
    if (!id.ok) return { ok: false, problems: id.problems };

    const looked = await this.lookUpInstance(id.value);
    if (!looked.ok) return looked;
    const { instance, preflight } = looked;

    const valid = validateBackupParams(input, instance);
    if (!valid.ok) return { ok: false, problems: valid.problems };
    if (preflightBlocks(preflight)) return { ok: false, problems: preflightProblems(preflight) };

    const rule = ruleFor(this.deps.policy(), instance);
    const groups = rule
      ? await this.deps.directory.groupsOf(who.userId, groupsNamedBy(rule))
      : new Set<string>();
    const allowed = mayRequest(rule, { userId: who.userId, channelId: who.channelId, groups });
    if (!allowed.ok || !rule) return { ok: false, refusal: allowed.ok ? "no_rule" : allowed.reason };

    const now = this.clock();
    const request: BackupRequest = {
      id: newRequestId((n) => randomBytes(n)),
      state: "pending",
      params: valid.value,
      instance,
      requesterId: who.userId,
      locale: who.locale,
      originChannelId: who.channelId,
      approvalsRequired: rule.approvalsRequired,
      approvals: [],
      allowSelfApproval: rule.allowSelfApproval,
      preflight,
      createdAt: now,
      updatedAt: now,
      expiresAt: new Date(now.getTime() + rule.maxWaitHours * 3_600_000),
    };
    await this.deps.store.create(
      request,
      { type: "requested", actor: who.userId, detail: { instanceId: instance.id, rule: rule.name } },
      [
        { kind: "card" },
        ...(who.tellWhereItWaits === false
          ? []
          : [{ kind: "requester", event: { type: "filed" }, dedupeKey: "requester:filed" } as const]),
      ],
    );
    this.log.info(
      { requestId: request.id, instanceId: instance.id, requester: who.userId },
      "backup request filed",
    );
    this.notificationsQueued();
    return { ok: true, request };
  }

  /**
   * The instance and the pre-flight checks, inside the submit path's time box: first where the
   * instance lives (known, or asked of each configured region), then the checks there, in parallel.
   */
  private async lookUpInstance(
    instanceId: string,
  ): Promise<
    { ok: true; instance: InstanceInfo; preflight: Preflight } | { ok: false; problems: Problem[] }
  > {
    const started = Date.now();
    const located = await this.deps.catalog.locate(instanceId, this.options.lookupTimeoutMs);
    if (located.kind === "not_found") {
      return {
        ok: false,
        problems: [
          {
            field: "DBInstanceId",
            code: "instance_not_found",
            value: instanceId,
            allowed: located.regionIds,
          },
        ],
      };
    }
    if (located.kind === "failed") return this.lookupFailed(instanceId, located.error);
    // What is left of the time box, but never so little that the checks cannot be asked at all.
    const remainingMs = Math.max(this.options.lookupTimeoutMs - (Date.now() - started), MIN_CHECK_MS);
    const checked = await runPreflight(
      this.deps.rds,
      { instanceId, regionId: located.regionId },
      this.clock(),
      remainingMs,
      this.log,
    );
    if (checked.instance) return { ok: true, instance: checked.instance, preflight: checked.preflight };
    const error = checked.instanceError;
    if (error instanceof ApiFailure && NOT_FOUND_CODES.has(error.code)) {
      return {
        ok: false,
        problems: [
          {
            field: "DBInstanceId",
            code: "instance_not_found",
            value: instanceId,
            allowed: [located.regionId],
          },
        ],
      };
    }
    return this.lookupFailed(instanceId, error);
  }

  private lookupFailed(instanceId: string, error: unknown): { ok: false; problems: Problem[] } {
    const code = error instanceof ApiFailure ? error.code : "InternalError";
    this.log.warn({ err: error, instanceId }, "instance look-up failed while filing");
    // Refused credentials will not get better by trying again: say who must act.
    const problem = isCredentialFailure(code) ? "credentials_failed" : "instance_lookup_failed";
    return { ok: false, problems: [{ field: "DBInstanceId", code: problem, value: code }] };
  }

  // ─── Deciding ─────────────────────────────────────────────────────────────────────────────────

  /** The request behind a button, if it is still waiting for a decision. */
  async pendingRequest(
    requestId: unknown,
  ): Promise<{ kind: "loaded"; request: BackupRequest } | Extract<DecisionResult, { kind: "refused" }>> {
    if (!isRequestId(requestId)) return { kind: "refused", reason: "invalid" };
    const request = await this.deps.store.get(requestId);
    if (!request) return { kind: "refused", reason: "not_found" };
    if (request.state !== "pending") return { kind: "refused", reason: "already_decided", request };
    return { kind: "loaded", request };
  }

  private async checkDecider(
    request: BackupRequest,
    userId: string,
    decision: "approve" | "reject",
  ): Promise<{ kind: "allowed"; rule: PolicyRule } | Extract<DecisionResult, { kind: "refused" }>> {
    const rule = ruleFor(this.deps.policy(), request.instance);
    const groups = rule ? await this.deps.directory.groupsOf(userId, groupsNamedBy(rule)) : new Set<string>();
    const verdict = mayDecide(rule, request, { userId, groups }, decision);
    if (!verdict.ok || !rule)
      return { kind: "refused", reason: verdict.ok ? "no_rule" : verdict.reason, request };
    return { kind: "allowed", rule };
  }

  /**
   * One approver's click. The store decides atomically whether this click completes the approval;
   * only that caller goes on to CreateBackup, whatever the number of clicks, redeliveries or replicas.
   */
  async approve(requestId: unknown, userId: string): Promise<DecisionResult> {
    const loaded = await this.pendingRequest(requestId);
    if (loaded.kind !== "loaded") return loaded;
    const checked = await this.checkDecider(loaded.request, userId, "approve");
    if (checked.kind !== "allowed") return checked;

    // The approval that would start the backup checks the preconditions again first; a failing
    // one leaves the request pending, so it can be approved once the instance is ready.
    let fresh: InstanceInfo | undefined;
    if (loaded.request.approvals.length + 1 >= loaded.request.approvalsRequired) {
      const recheck = await this.recheck(loaded.request, userId);
      if (recheck.kind === "refused") return recheck;
      fresh = recheck.instance;
    }

    const result = await this.deps.store.addApproval(loaded.request.id, userId, this.clock(), [
      { kind: "card" },
      { kind: "thread", event: { type: "approved", by: userId }, dedupeKey: "thread:approved" },
    ]);
    switch (result.kind) {
      case "not_found":
        return { kind: "refused", reason: "not_found" };
      case "duplicate":
        return { kind: "refused", reason: "already_approved", request: result.request };
      case "not_pending":
        return { kind: "refused", reason: "already_decided", request: result.request };
      case "recorded": {
        const { request } = result;
        await this.deps.store.enqueue(request.id, [
          { kind: "card" },
          {
            kind: "thread",
            event: {
              type: "approval_recorded",
              by: userId,
              count: request.approvals.length,
              required: request.approvalsRequired,
            },
            dedupeKey: `thread:approval:${userId}`,
          },
        ]);
        this.notificationsQueued();
        return { kind: "done", request };
      }
      case "approved":
        this.log.info({ requestId: result.request.id, approver: userId }, "backup request approved");
        this.notificationsQueued();
        return { kind: "done", request: await this.track(this.startBackup(result.request, fresh)) };
    }
  }

  private async recheck(
    request: BackupRequest,
    userId: string,
  ): Promise<
    { kind: "passed"; instance?: InstanceInfo | undefined } | Extract<DecisionResult, { kind: "refused" }>
  > {
    const checked = await runPreflight(
      this.deps.rds,
      { instanceId: request.params.DBInstanceId, regionId: request.instance.regionId },
      this.clock(),
      this.options.createTimeoutMs,
      this.log,
    );
    if (!preflightBlocks(checked.preflight)) {
      await this.deps.store.setPreflight(request.id, checked.preflight);
      return { kind: "passed", instance: checked.instance };
    }
    await this.deps.store.setPreflight(request.id, checked.preflight, [
      { kind: "card" },
      { kind: "thread", event: { type: "preflight_blocked", by: userId } },
    ]);
    this.notificationsQueued();
    this.log.info({ requestId: request.id, approver: userId }, "approval held back: a precondition failed");
    return {
      kind: "refused",
      reason: "preflight_failed",
      request: (await this.deps.store.get(request.id)) ?? request,
    };
  }

  async reject(requestId: unknown, userId: string, reason?: string): Promise<DecisionResult> {
    const loaded = await this.pendingRequest(requestId);
    if (loaded.kind !== "loaded") return loaded;
    const checked = await this.checkDecider(loaded.request, userId, "reject");
    if (checked.kind !== "allowed") return checked;
    const cleanReason = reason?.trim() ? reason.trim().slice(0, 500) : undefined;
    return this.finishPending(
      loaded.request,
      "rejected",
      userId,
      { type: "rejected", by: userId, reason: cleanReason },
      cleanReason,
    );
  }

  /** The requester withdraws a pending request. */
  async cancel(requestId: unknown, userId: string): Promise<DecisionResult> {
    const loaded = await this.pendingRequest(requestId);
    if (loaded.kind !== "loaded") return loaded;
    if (loaded.request.requesterId !== userId) {
      return { kind: "refused", reason: "not_requester", request: loaded.request };
    }
    return this.finishPending(
      loaded.request,
      "cancelled",
      userId,
      { type: "cancelled", by: userId },
      undefined,
    );
  }

  private async finishPending(
    request: BackupRequest,
    to: "rejected" | "cancelled" | "expired",
    actor: string,
    event: Extract<Notification, { kind: "thread" }>["event"],
    reason: string | undefined,
  ): Promise<DecisionResult> {
    const now = this.clock();
    const moved = await this.deps.store.transition(
      request.id,
      { from: "pending", to },
      { decidedBy: actor, decidedAt: now, ...(reason ? { reason } : {}) },
      { type: to, actor, detail: reason ? { reason } : undefined },
      [
        { kind: "card" },
        { kind: "thread", event, dedupeKey: `thread:${to}` },
        { kind: "requester", event, dedupeKey: `requester:${to}` },
      ],
    );
    if (!moved) {
      const current = await this.deps.store.get(request.id);
      return { kind: "refused", reason: "already_decided", request: current };
    }
    this.log.info({ requestId: request.id, actor, state: to }, `backup request ${to}`);
    this.notificationsQueued();
    return { kind: "done", request: moved };
  }

  /** Moves every pending request past its deadline to expired. Returns how many expired. */
  async expireDue(): Promise<number> {
    const due = await this.deps.store.list({ states: ["pending"], expiresBefore: this.clock(), limit: 100 });
    let expired = 0;
    for (const request of due) {
      const result = await this.finishPending(request, "expired", "system", { type: "expired" }, undefined);
      if (result.kind === "done") expired += 1;
    }
    return expired;
  }

  // ─── Running the backup ───────────────────────────────────────────────────────────────────────

  /**
   * Calls CreateBackup for a request this process just moved to approved. A business error is
   * final. A failure that surely sent nothing (refused connection, throttling) is retried with
   * backoff. When the outcome is unknown (a timeout after sending), the instance's running tasks
   * are checked first and a job started since the first attempt is adopted; only when there is
   * none is the call made again.
   */
  private async startBackup(request: BackupRequest, fresh?: InstanceInfo): Promise<BackupRequest> {
    const log = this.log.child({ requestId: request.id, instanceId: request.params.DBInstanceId });
    // The same rules once more, against the instance as it is now: nothing invalid reaches RDS.
    const stillValid = validateBackupParams(rawInputOf(request.params), fresh ?? request.instance);
    if (!stillValid.ok) {
      const codes = stillValid.problems.map((problem) => `${problem.field}:${problem.code}`).join(", ");
      return this.recordFailed(request, {
        code: "InvalidParameters",
        message: `the parameters no longer fit the instance (${codes})`,
        outcome: "not_sent",
        transient: false,
      });
    }
    const firstAttemptAt = this.clock();
    const deadline = firstAttemptAt.getTime() + this.options.createDeadlineMs;
    let lastFailure: ApiFailureInfo | undefined;

    for (let attempt = 1; ; attempt += 1) {
      try {
        const started = Date.now();
        // The parameters as validated now: they name the method the instance takes today.
        const result = await this.deps.rds.createBackup(stillValid.value, {
          regionId: request.instance.regionId,
          timeoutMs: this.options.createTimeoutMs,
        });
        log.info(
          {
            backupJobId: result.backupJobId,
            apiRequestId: result.requestId,
            attempt,
            ms: Date.now() - started,
          },
          "CreateBackup accepted",
        );
        return await this.recordSubmitted(request, result.backupJobId, result.requestId, firstAttemptAt, {
          attempt,
        });
      } catch (error) {
        const failure = asFailure(error);
        lastFailure = failure;
        log.warn(
          { code: failure.code, apiRequestId: failure.requestId, outcome: failure.outcome, attempt },
          "CreateBackup failed",
        );

        if (failure.outcome === "unknown") {
          const adopted = await this.findJobStartedSince(request, firstAttemptAt, log);
          // RDS could not be asked, or a backup set appeared whose job we cannot tell: a person looks.
          if (adopted === "unknown" || adopted === "backup_set_appeared") {
            return this.recordNeedsAttention(request, failure, log);
          }
          if (adopted) {
            return this.recordSubmitted(
              request,
              adopted.backupJobId,
              failure.requestId ?? "",
              firstAttemptAt,
              {
                attempt,
                adopted: true,
              },
            );
          }
        } else if (!failure.transient) {
          return this.recordFailed(request, failure);
        }
        const wait = retryDelay(attempt, failure, this.random);
        if (Date.now() + wait >= deadline) break;
        await this.sleep(wait);
      }
    }
    // Out of time. Every attempt whose outcome was unknown was followed by a check that found no
    // job, so nothing was created: the request failed with the last error.
    return this.recordFailed(request, lastFailure ?? unknownFailure());
  }

  /**
   * A manual job on the instance that started at or after `since` (with a little clock skew).
   * DescribeBackupTasks lists only unfinished jobs, so a job that already finished is looked for
   * among the backup sets made since then (`backup_set_appeared`). Returns `undefined` when there
   * is neither and `"unknown"` when RDS could not be asked.
   */
  private async findJobStartedSince(
    request: BackupRequest,
    since: Date,
    log: Logger,
  ): Promise<BackupTask | undefined | "unknown" | "backup_set_appeared"> {
    const skewMs = 60_000;
    const options = { regionId: request.instance.regionId, timeoutMs: this.options.createTimeoutMs };
    const instanceId = request.params.DBInstanceId;
    const isManual = (mode: string | undefined) => !mode || mode.toLowerCase() === "manual";
    const isRecent = (time: string | undefined) => {
      const at = time ? Date.parse(time) : Number.NaN;
      return Number.isNaN(at) || at >= since.getTime() - skewMs;
    };
    try {
      const tasks = await this.deps.rds.describeBackupTasks({ instanceId }, options);
      const task = tasks.find((candidate) => isManual(candidate.mode) && isRecent(candidate.startTime));
      if (task) return task;
      const sets = await this.deps.rds.describeBackups(
        {
          instanceId,
          start: new Date(since.getTime() - skewMs),
          end: new Date(this.clock().getTime() + skewMs),
        },
        options,
      );
      const set = sets.find((candidate) => candidate.mode === "Manual" && isRecent(candidate.startTime));
      return set ? "backup_set_appeared" : undefined;
    } catch (error) {
      log.warn({ err: error }, "could not check for a job after an unknown CreateBackup outcome");
      return "unknown";
    }
  }

  private async recordSubmitted(
    request: BackupRequest,
    backupJobId: string,
    apiRequestId: string,
    submittedAt: Date,
    detail: { attempt: number; adopted?: boolean; reconciled?: boolean },
    from: "approved" | "needs_attention" = "approved",
  ): Promise<BackupRequest> {
    const announcement: Notification[] =
      detail.adopted || detail.reconciled
        ? [{ kind: "thread", event: { type: "job_adopted", backupJobId }, dedupeKey: "thread:job" }]
        : [
            {
              kind: "thread",
              event: { type: "job_started", backupJobId, requestId: apiRequestId },
              dedupeKey: "thread:job",
            },
          ];
    const moved = await this.deps.store.transition(
      request.id,
      { from, to: "submitted" },
      { backupJobId, apiRequestId, submittedAt },
      {
        type: detail.reconciled ? "reconciled" : "submitted",
        actor: "system",
        detail: { backupJobId, apiRequestId, attempt: detail.attempt, adopted: detail.adopted ?? false },
      },
      [
        { kind: "card" },
        ...announcement,
        {
          kind: "requester",
          event: { type: "job_started", backupJobId, requestId: apiRequestId },
          dedupeKey: "requester:job",
        },
      ],
      { start: this.deps.watchSchedule(this.clock()) },
    );
    this.notificationsQueued();
    return moved ?? (await this.current(request));
  }

  private async recordFailed(request: BackupRequest, reported: ApiFailureInfo): Promise<BackupRequest> {
    const failure = await this.withInstanceStatus(request, reported);
    const moved = await this.deps.store.transition(
      request.id,
      { from: "approved", to: "failed" },
      { error: failure },
      {
        type: "failed",
        actor: "system",
        detail: {
          code: failure.code,
          apiRequestId: failure.requestId ?? null,
          httpStatus: failure.httpStatus ?? null,
        },
      },
      outcomeNotifications({ type: "create_failed", error: failure }, this.deps.notifyChannelIds ?? []),
    );
    this.notificationsQueued();
    return moved ?? (await this.current(request));
  }

  private async recordNeedsAttention(
    request: BackupRequest,
    failure: ApiFailureInfo | undefined,
    log: Logger,
  ): Promise<BackupRequest> {
    log.error({ code: failure?.code }, "CreateBackup outcome unknown and no job found: needs a person");
    const moved = await this.deps.store.transition(
      request.id,
      { from: "approved", to: "needs_attention" },
      failure ? { error: failure } : {},
      { type: "needs_attention", actor: "system", detail: { code: failure?.code ?? null } },
      outcomeNotifications({ type: "needs_attention", error: failure }, this.deps.notifyChannelIds ?? []),
    );
    this.notificationsQueued();
    return moved ?? (await this.current(request));
  }

  /** For errors about the instance's state, the state now, so the reply can say what it is. */
  private async withInstanceStatus(request: BackupRequest, failure: ApiFailureInfo): Promise<ApiFailureInfo> {
    if (!STATE_ERROR_CODES.has(failure.code)) return failure;
    try {
      const now = await this.deps.rds.describeInstance(request.params.DBInstanceId, {
        regionId: request.instance.regionId,
        timeoutMs: this.options.lookupTimeoutMs,
      });
      return { ...failure, instanceStatus: now.status };
    } catch {
      return failure;
    }
  }

  private async current(request: BackupRequest): Promise<BackupRequest> {
    return (await this.deps.store.get(request.id)) ?? request;
  }

  /**
   * Requests left in `approved` by a process that died between the approval and the recorded
   * outcome. Never calls CreateBackup again: it adopts a job that RDS shows, or asks a person.
   */
  async reconcileAbandoned(): Promise<number> {
    const cutoff = this.clock().getTime() - this.options.abandonedAfterMs;
    const approved = await this.deps.store.list({ states: ["approved"], limit: 100 });
    let handled = 0;
    for (const request of approved) {
      const approvedAt = request.decidedAt ?? request.updatedAt;
      if (approvedAt.getTime() > cutoff) continue;
      const log = this.log.child({ requestId: request.id, instanceId: request.params.DBInstanceId });
      const job = await this.findJobStartedSince(request, approvedAt, log);
      if (job === "unknown") continue; // RDS unreachable now; try again on the next round
      if (job === "backup_set_appeared") {
        handled += 1;
        await this.recordNeedsAttention(request, undefined, log);
        continue;
      }
      handled += 1;
      if (job) {
        log.warn({ backupJobId: job.backupJobId }, "adopting the job of an abandoned approved request");
        await this.recordSubmitted(request, job.backupJobId, "", approvedAt, {
          attempt: 0,
          reconciled: true,
        });
      } else {
        await this.recordNeedsAttention(request, undefined, log);
      }
    }
    return handled;
  }

  // ─── Queries ──────────────────────────────────────────────────────────────────────────────────

  /** Instances matching `query` that the policy lets this person request (for the picker). */
  async requestableInstances(query: string, userId: string, limit: number): Promise<InstanceList> {
    const list = await this.deps.catalog.search(query, Number.MAX_SAFE_INTEGER);
    const policy = this.deps.policy();
    const allGroups = [...new Set(policy.rules.flatMap((rule) => groupsNamedBy(rule)))];
    const groups = await this.deps.directory.groupsOf(userId, allGroups);
    const allowed = list.instances.filter(
      (instance) => mayRequest(ruleFor(policy, instance), { userId, groups }).ok,
    );
    return { ...list, instances: allowed.slice(0, limit) };
  }

  async find(requestIdOrJobId: string): Promise<BackupRequest | undefined> {
    if (isRequestId(requestIdOrJobId)) return this.deps.store.get(requestIdOrJobId);
    if (/^\d{1,20}$/.test(requestIdOrJobId)) return this.deps.store.findByBackupJobId(requestIdOrJobId);
    return undefined;
  }

  async history(instanceId?: string, limit = 10): Promise<BackupRequest[]> {
    return this.deps.store.list({ instanceId, limit });
  }

  // ─── Lifecycle ────────────────────────────────────────────────────────────────────────────────

  private notificationsQueued(): void {
    this.deps.onNotificationsQueued?.();
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    const forget = () => this.inFlight.delete(work);
    work.then(forget, forget);
    return work;
  }

  /** Resolves when every CreateBackup under way has finished and its outcome is stored. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }
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

/** The failed checks as problems on the instance field (the modal shows them there). */
function preflightProblems(preflight: Preflight): Problem[] {
  const problems: Problem[] = [];
  if (preflight.running.status === "fail") {
    problems.push({
      field: "DBInstanceId",
      code: "instance_not_running",
      value: preflight.running.instanceStatus ?? "",
    });
  }
  if (preflight.noBackupInProgress.status === "fail") {
    problems.push({
      field: "DBInstanceId",
      code: "backup_in_progress",
      value: preflight.noBackupInProgress.backupJobId ?? "",
    });
  }
  if (preflight.dailyLimit.status === "fail") {
    problems.push({
      field: "DBInstanceId",
      code: "daily_limit_reached",
      value: String(preflight.dailyLimit.count ?? ""),
    });
  }
  return problems;
}

function asFailure(error: unknown): ApiFailureInfo {
  if (error instanceof ApiFailure) return error.toInfo();
  // Not from the gateway: a bug of ours. Nothing is known to have been sent; treat as final.
  return { code: "InternalError", message: "internal error", outcome: "unknown", transient: false };
}

function unknownFailure(): ApiFailureInfo {
  return { code: "InternalError", message: "internal error", outcome: "unknown", transient: false };
}

/** Exponential backoff with full jitter, honouring the API's Retry-After. */
export function retryDelay(attempt: number, failure: ApiFailureInfo, random: () => number): number {
  const base = Math.min(8_000, 500 * 2 ** (attempt - 1));
  const jittered = Math.round(base / 2 + random() * (base / 2));
  const asked = (failure.retryAfterSeconds ?? 0) * 1000;
  return Math.max(jittered, asked);
}
