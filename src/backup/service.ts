/**
 * The use cases: file a request, decide on it, run CreateBackup once, and tidy up what a crash or
 * a long wait leaves behind. Slack-free and Alibaba-free: it talks to the ports only.
 */
import { createHash, randomBytes } from "node:crypto";
import { isCredentialFailure } from "../domain/api-errors.js";
import { ApiFailure } from "../domain/api-failure.js";
import type { BackupTask, InstanceInfo } from "../domain/instance.js";
import {
  type Problem,
  parseInstanceId,
  type RawBackupInput,
  validateBackupParams,
} from "../domain/params.js";
import {
  type AttentionAction,
  type DecisionRefusal,
  groupsNamedBy,
  mayCancelScheduled,
  mayDecide,
  mayHandleAttention,
  mayRequest,
  maySeeOutcome,
  type Policy,
  type PolicyRule,
  type RequestRefusal,
  ruleFor,
} from "../domain/policy.js";
import { type Preflight, preflightBlocks } from "../domain/preflight.js";
import { checkReason } from "../domain/reason.js";
import { type BackupRequest, isRequestId, type Locale, newRequestId } from "../domain/request.js";
import {
  approveBy,
  type RunAtInput,
  type RunSchedule,
  resolveRunAt,
  scheduleFor,
  timingAtApproval,
} from "../domain/schedule.js";
import { type Finding, FRESH_START, MAX_CREATE_CALLS } from "../domain/start-record.js";
import type { Logger } from "../logger.js";
import { type InstanceCatalog, type InstanceList, NOT_FOUND_CODES } from "./instance-catalog.js";
import type { AuditRecord, AuditType, Directory, Notification, RdsGateway, RequestStore } from "./ports.js";
import { runPreflight } from "./preflight.js";
import { BackupStarter, DEFAULT_STARTER_OPTIONS, type StarterOptions } from "./start-backup.js";
import { outcomeNotifications } from "./watcher.js";

export interface ServiceOptions {
  /** Deadline for the instance look-up on the submit path (it must fit in Slack's 3 seconds). */
  lookupTimeoutMs: number;
  /** Deadline of one CreateBackup call (used as is), and of the checks around it. */
  createTimeoutMs: number;
  /** How long CreateBackup calls that surely sent nothing (throttling) are retried in a row. */
  createDeadlineMs: number;
  /**
   * An approved request nobody ever took up (an approval recorded while the bot was stopping) is
   * taken up by `reconcileAbandoned` after this long; one whose carrier died, when its lease ends.
   */
  abandonedAfterMs: number;
  /** How long RDS's listings may trail a CreateBackup (`RDS_LISTING_LAG`). */
  listingLagMs: number;
  /** How often the listings are read while an unclear CreateBackup answer is watched. */
  listingPollMs: number;
}

export const DEFAULT_SERVICE_OPTIONS: ServiceOptions = {
  lookupTimeoutMs: 2_000,
  createTimeoutMs: 10_000,
  createDeadlineMs: 60_000,
  abandonedAfterMs: 120_000,
  listingLagMs: DEFAULT_STARTER_OPTIONS.listingLagMs,
  listingPollMs: DEFAULT_STARTER_OPTIONS.listingPollMs,
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
  /** Wakes the scheduled-run runner after an approval scheduled a backup. */
  onScheduled?: () => void;
  /** When a started job is first checked and when its watch ends (the watcher's schedule). */
  watchSchedule: (now: Date) => { firstCheckAt: Date; deadlineAt: Date };
  /** Channels that get a one-line summary of each outcome. */
  notifyChannelIds?: readonly string[] | undefined;
  clock?: () => Date;
  /** Resolves after `ms`, or at once when `signal` aborts (shutdown). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
  options?: Partial<ServiceOptions> | undefined;
  /** Finer settings of the starter (tests). */
  starter?: Partial<StarterOptions> | undefined;
}

export interface Requester {
  userId: string;
  channelId?: string | undefined;
  locale: Locale;
  /** False when the caller already told the requester where the request waits (the inline command). */
  tellWhereItWaits?: boolean | undefined;
  /**
   * Names the submission (a form's view id): the same key files at most one request, across
   * replicas too, because the request's id is derived from it and the store keeps ids unique.
   */
  submissionKey?: string | undefined;
  /** The requester's time zone (Slack's `users.info` `tz`), for a start time given as a clock time. */
  timeZone?: string | undefined;
}

/** What a request says besides the parameters: when to run it, and why it is wanted. */
export interface RequestTiming {
  /** When the requester wants the backup to run; nothing asked: as soon as approved. */
  runAt?: RunAtInput | undefined;
  /** Why the requester wants it, as typed (checked here: src/domain/reason.ts). */
  reason?: string | undefined;
}

export type FileResult =
  /** `alreadyFiled`: the submission had filed this request before (the form sent twice). */
  | { ok: true; request: BackupRequest; alreadyFiled?: true }
  | { ok: false; problems: Problem[] }
  | { ok: false; refusal: RequestRefusal };

export type DecisionRefusalReason =
  | DecisionRefusal
  | "not_found"
  | "invalid"
  | "already_decided"
  | "not_requester"
  | "preflight_failed"
  /** "Start the backup again" when the request's CreateBackup calls are used up. */
  | "calls_used_up"
  /** "Start the backup again" while the bot is stopping. */
  | "stopping"
  /** An approval after the last moment a scheduled request could still start: it has expired. */
  | "too_late"
  /** Cancelling a request whose backup has started. */
  | "already_started"
  /** Cancelling a scheduled run: only its requester and its approvers may. */
  | "not_requester_or_approver";

export type DecisionResult =
  | { kind: "done"; request: BackupRequest }
  | { kind: "refused"; reason: DecisionRefusalReason; request?: BackupRequest | undefined };

/** The approvers' decisions on a request that needs attention, as the audit trail names them. */
const ATTENTION_AUDIT_TYPES: ReadonlySet<AuditType> = new Set([
  "checked_again",
  "started_again",
  "closed_not_started",
]);
/** The pre-flight checks get at least this long, even when finding the region took most of the time box. */
const MIN_CHECK_MS = 500;

export class BackupService {
  private readonly options: ServiceOptions;
  private readonly clock: () => Date;
  /** Runs CreateBackup for approved requests (src/backup/start-backup.ts). */
  readonly starter: BackupStarter;

  constructor(private readonly deps: ServiceDeps) {
    this.options = { ...DEFAULT_SERVICE_OPTIONS, ...deps.options };
    this.clock = deps.clock ?? (() => new Date());
    this.starter = new BackupStarter({
      store: deps.store,
      rds: deps.rds,
      logger: deps.logger,
      approversOf: (request) => {
        const rule = ruleFor(deps.policy(), request.instance);
        return rule
          ? { userIds: [...rule.approvers.userIds], usergroupIds: [...rule.approvers.usergroupIds] }
          : undefined;
      },
      watchSchedule: deps.watchSchedule,
      notifyChannelIds: deps.notifyChannelIds,
      onNotificationsQueued: deps.onNotificationsQueued,
      clock: deps.clock,
      sleep: deps.sleep,
      random: deps.random,
      options: {
        createTimeoutMs: this.options.createTimeoutMs,
        readTimeoutMs: this.options.createTimeoutMs,
        retryBudgetMs: this.options.createDeadlineMs,
        abandonedAfterMs: this.options.abandonedAfterMs,
        listingLagMs: this.options.listingLagMs,
        listingPollMs: this.options.listingPollMs,
        // Longer than any one step (a call, a look at the listings, a pause) with room to spare.
        leaseMs: Math.max(15_000, 2 * this.options.createTimeoutMs),
        ...deps.starter,
      },
    });
  }

  private get log(): Logger {
    return this.deps.logger;
  }

  // ─── Filing ───────────────────────────────────────────────────────────────────────────────────

  /**
   * Checks the instance, the parameters and the start time asked for; a valid request is stored as
   * pending with its card queued. A request that runs later (a time asked, or the rule's window)
   * is filed whatever the instance's state now: the checks run again at its start time.
   */
  async fileRequest(input: RawBackupInput, who: Requester, timing: RequestTiming = {}): Promise<FileResult> {
    const requestId = who.submissionKey ? submissionRequestId(who.submissionKey) : newRequestId(randomBytes);
    const earlier = who.submissionKey ? await this.deps.store.get(requestId) : undefined;
    if (earlier) return this.filedBefore(earlier);

    const id = parseInstanceId(input.DBInstanceId);
    const asked = timing.runAt ? resolveRunAt(timing.runAt, this.clock(), who.timeZone) : undefined;
    // Too long a reason is wrong whatever the rule; a missing one only once the rule is known.
    const reasonShape = checkReason(timing.reason, false);
    const early = [
      ...(id.ok ? [] : id.problems),
      ...(asked && !asked.ok ? asked.problems : []),
      ...(reasonShape.ok ? [] : reasonShape.problems),
    ];
    if (!id.ok || early.length > 0) return { ok: false, problems: early };

    // The person's groups are asked for while RDS is: both are slow at times, and waiting for
    // one after the other would not fit in the time a form submission has.
    const policy = this.deps.policy();
    const groupsAhead = this.deps.directory.groupsOf(who.userId, groupsNamedByPolicy(policy));
    const looked = await this.lookUpInstance(id.value);
    if (!looked.ok) return looked;
    const { instance, preflight } = looked;

    const valid = validateBackupParams(input, instance);
    const rule = ruleFor(policy, instance);
    const reason = checkReason(timing.reason, rule?.requireReason === true);
    if (!valid.ok || !reason.ok) {
      return {
        ok: false,
        problems: [...(valid.ok ? [] : valid.problems), ...(reason.ok ? [] : reason.problems)],
      };
    }
    const schedule = scheduleFor(asked?.ok ? asked.value : undefined, rule?.window);
    if (!schedule && preflightBlocks(preflight)) return { ok: false, problems: preflightProblems(preflight) };

    const groups = rule ? await groupsAhead : new Set<string>();
    const allowed = mayRequest(rule, { userId: who.userId, channelId: who.channelId, groups });
    if (!allowed.ok || !rule) return { ok: false, refusal: allowed.ok ? "no_rule" : allowed.reason };

    const now = this.clock();
    const request: BackupRequest = {
      id: requestId,
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
      ...(schedule ? { schedule } : {}),
      ...(reason.value !== undefined ? { requestReason: reason.value } : {}),
      createdAt: now,
      updatedAt: now,
      // A request for a later time may wait for a decision until that time (and its grace).
      expiresAt: approveBy(schedule) ?? new Date(now.getTime() + rule.maxWaitHours * 3_600_000),
    };
    try {
      await this.deps.store.create(
        request,
        {
          type: "requested",
          actor: who.userId,
          detail: {
            instanceId: instance.id,
            rule: rule.name,
            ...(schedule?.askedFor ? { runAt: schedule.askedFor.toISOString() } : {}),
            ...(reason.value !== undefined ? { reason: reason.value } : {}),
          },
        },
        [
          { kind: "card" },
          ...(who.tellWhereItWaits === false
            ? []
            : [{ kind: "requester", event: { type: "filed" }, dedupeKey: "requester:filed" } as const]),
        ],
      );
    } catch (error) {
      // The same submission, sent twice at once (or to two replicas), filed it first.
      const twin = who.submissionKey ? await this.deps.store.get(requestId) : undefined;
      if (twin) return this.filedBefore(twin);
      throw error;
    }
    this.log.info(
      { requestId: request.id, instanceId: instance.id, requester: who.userId },
      "backup request filed",
    );
    this.notificationsQueued();
    return { ok: true, request };
  }

  private filedBefore(request: BackupRequest): FileResult {
    this.log.info(
      { requestId: request.id },
      "the same form was submitted again; it filed this request already",
    );
    return { ok: true, request, alreadyFiled: true };
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
   * Whether this person's Approve on this pending request would be taken: the very check `approve`
   * makes (the rule's approvers, self-approval, an approval of theirs already counted), so the Home
   * tab offers the buttons exactly where a click would count.
   */
  async mayApprove(request: BackupRequest, userId: string): Promise<boolean> {
    if (request.state !== "pending") return false;
    return (await this.checkDecider(request, userId, "approve")).kind === "allowed";
  }

  /** Whether this person may see how the request ended: its requester and its approvers. */
  async maySeeOutcome(request: BackupRequest, userId: string): Promise<boolean> {
    const rule = ruleFor(this.deps.policy(), request.instance);
    const groups = rule ? await this.deps.directory.groupsOf(userId, groupsNamedBy(rule)) : new Set<string>();
    return maySeeOutcome(rule, request, { userId, groups });
  }

  /**
   * One approver's click. The store decides atomically whether this click completes the approval;
   * only that caller goes on to CreateBackup, whatever the number of clicks (double clicks included) or replicas.
   */
  async approve(requestId: unknown, userId: string): Promise<DecisionResult> {
    const loaded = await this.pendingRequest(requestId);
    if (loaded.kind !== "loaded") return loaded;
    const checked = await this.checkDecider(loaded.request, userId, "approve");
    if (checked.kind !== "allowed") return checked;

    // A request for a later time runs then (or at once, when that time has come and it may still
    // start); past its last chance it can no longer run, and expires now.
    const now = this.clock();
    const timing = timingAtApproval(loaded.request.schedule, now);
    if (timing.kind === "too_late") {
      const expired = await this.finishPending(
        loaded.request,
        "expired",
        "system",
        { type: "expired" },
        undefined,
      );
      return { kind: "refused", reason: "too_late", request: expired.request ?? loaded.request };
    }
    const completes = loaded.request.approvals.length + 1 >= loaded.request.approvalsRequired;

    // The approval that would start the backup checks the preconditions again first; a failing
    // one leaves the request pending, so it can be approved once the instance is ready. One that
    // schedules it does not: the checks run at its start time.
    let fresh: { instance?: InstanceInfo | undefined; tasks?: BackupTask[] | undefined } = {};
    if (completes && timing.kind === "now") {
      const recheck = await this.recheck(loaded.request, userId);
      if (recheck.kind === "refused") return recheck;
      fresh = recheck;
    }
    const later =
      completes && timing.kind === "later"
        ? { plan: timing.plan, notifications: scheduledNotifications(userId, timing.plan) }
        : undefined;

    const result = await this.deps.store.addApproval(
      loaded.request.id,
      userId,
      now,
      [
        { kind: "card" },
        { kind: "thread", event: { type: "approved", by: userId }, dedupeKey: "thread:approved" },
      ],
      later,
    );
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
        return { kind: "done", request: await this.starter.start(result.request, fresh) };
      case "scheduled":
        this.log.info(
          {
            requestId: result.request.id,
            approver: userId,
            startAt: result.request.schedule?.startAt?.toISOString(),
          },
          "backup request approved; it runs at its start time",
        );
        this.notificationsQueued();
        this.deps.onScheduled?.();
        return { kind: "done", request: result.request };
    }
  }

  private async recheck(
    request: BackupRequest,
    userId: string,
  ): Promise<
    | { kind: "passed"; instance?: InstanceInfo | undefined; tasks?: BackupTask[] | undefined }
    | Extract<DecisionResult, { kind: "refused" }>
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
      return { kind: "passed", instance: checked.instance, tasks: checked.tasks };
    }
    const recorded = await this.deps.store.setPreflight(request.id, checked.preflight, [
      { kind: "card" },
      { kind: "thread", event: { type: "preflight_blocked", by: userId } },
    ]);
    if (!recorded) {
      // Decided meanwhile (a double click whose twin started the backup the check now sees).
      return { kind: "refused", reason: "already_decided", request: await this.deps.store.get(request.id) };
    }
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

  /**
   * Cancels a request: the requester withdraws a pending one; a scheduled run is cancelled by its
   * requester or its approvers, until it starts (the move to `approved` and this one are the same
   * conditional update: whichever comes first wins).
   */
  async cancel(requestId: unknown, userId: string): Promise<DecisionResult> {
    if (!isRequestId(requestId)) return { kind: "refused", reason: "invalid" };
    const request = await this.deps.store.get(requestId);
    if (!request) return { kind: "refused", reason: "not_found" };
    switch (request.state) {
      case "pending":
        if (request.requesterId !== userId) return { kind: "refused", reason: "not_requester", request };
        return this.finishPending(request, "cancelled", userId, { type: "cancelled", by: userId }, undefined);
      case "scheduled":
        return this.cancelScheduled(request, userId);
      case "approved":
      case "submitted":
      case "needs_attention":
        return { kind: "refused", reason: "already_started", request };
      default:
        return { kind: "refused", reason: "already_decided", request };
    }
  }

  private async cancelScheduled(request: BackupRequest, userId: string): Promise<DecisionResult> {
    const rule = ruleFor(this.deps.policy(), request.instance);
    const groups = rule ? await this.deps.directory.groupsOf(userId, groupsNamedBy(rule)) : new Set<string>();
    if (!mayCancelScheduled(rule, request, { userId, groups })) {
      return { kind: "refused", reason: "not_requester_or_approver", request };
    }
    const event = { type: "cancelled", by: userId } as const;
    const moved = await this.deps.store.transition(
      request.id,
      { from: "scheduled", to: "cancelled" },
      { decidedBy: userId, decidedAt: this.clock() },
      {
        type: "cancelled",
        actor: userId,
        detail: { scheduled: true, startAt: request.schedule?.startAt?.toISOString() ?? null },
      },
      [
        { kind: "card" },
        { kind: "thread", event, dedupeKey: "thread:cancelled" },
        { kind: "requester", event, dedupeKey: "requester:cancelled" },
      ],
    );
    if (!moved) {
      const current = await this.current(request);
      const started = current.state === "approved" || current.state === "submitted";
      return { kind: "refused", reason: started ? "already_started" : "already_decided", request: current };
    }
    this.log.info({ requestId: request.id, actor: userId }, "scheduled backup cancelled");
    this.notificationsQueued();
    return { kind: "done", request: moved };
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

  // ─── Running the backup (src/backup/start-backup.ts) ───────────────────────────────────────────

  /**
   * Requests left in `approved` that nobody carries any more (the process that held them died or
   * stopped): carried on from where they stood, in the background. Returns how many were taken.
   */
  async reconcileAbandoned(): Promise<number> {
    const approved = await this.deps.store.list({ states: ["approved"], limit: 100 });
    let taken = 0;
    for (const request of approved) if (await this.starter.resume(request)) taken += 1;
    return taken;
  }

  // ─── A request that needs attention: the approvers' buttons ──────────────────────────────────

  private async attentionRequest(
    requestId: unknown,
    userId: string,
    action: AttentionAction,
  ): Promise<{ kind: "loaded"; request: BackupRequest } | Extract<DecisionResult, { kind: "refused" }>> {
    if (!isRequestId(requestId)) return { kind: "refused", reason: "invalid" };
    const request = await this.deps.store.get(requestId);
    if (!request) return { kind: "refused", reason: "not_found" };
    if (request.state !== "needs_attention") return { kind: "refused", reason: "already_decided", request };
    const rule = ruleFor(this.deps.policy(), request.instance);
    const groups = rule ? await this.deps.directory.groupsOf(userId, groupsNamedBy(rule)) : new Set<string>();
    const verdict = mayHandleAttention(rule, request, { userId, groups }, action);
    if (!verdict.ok) return { kind: "refused", reason: verdict.reason, request };
    return { kind: "loaded", request };
  }

  /** "Check again": reads the listings now; a job that is this request's is followed. */
  async checkAgain(requestId: unknown, userId: string): Promise<DecisionResult> {
    const loaded = await this.attentionRequest(requestId, userId, "check_again");
    if (loaded.kind !== "loaded") return loaded;
    const { request } = loaded;
    const look = await this.starter.look(request);
    if (look.kind === "ours") {
      const adopted = await this.starter.adopt(request, look.backupJobId, userId);
      this.log.info(
        { requestId: request.id, backupJobId: look.backupJobId, by: userId },
        "a check by an approver found the job",
      );
      if (adopted?.state === "submitted") return { kind: "done", request: adopted };
      return { kind: "refused", reason: "already_decided", request: adopted ?? request };
    }
    // Whatever else the look saw is what the approvers are shown.
    const finding: Finding = look;
    const noted = await this.deps.store.annotate(
      request.id,
      "needs_attention",
      { start: { ...(request.start ?? FRESH_START), phase: { kind: "handed_over", finding } } },
      { type: "checked_again", actor: userId, detail: { finding: finding.kind } },
      [
        { kind: "card" },
        {
          kind: "thread",
          event: { type: "checked_again", by: userId, finding },
          dedupeKey: `thread:checked_again:${this.clock().getTime()}`,
        },
      ],
    );
    this.notificationsQueued();
    if (!noted) return { kind: "refused", reason: "already_decided", request: await this.current(request) };
    return { kind: "done", request: noted };
  }

  /**
   * "Start the backup again": an approver's explicit decision to call CreateBackup once more (the
   * card warned that a second backup may result). One click wins; the calls stay within the cap.
   */
  async startAgain(requestId: unknown, userId: string): Promise<DecisionResult> {
    const loaded = await this.attentionRequest(requestId, userId, "start_again");
    if (loaded.kind !== "loaded") return loaded;
    const { request } = loaded;
    const calls = request.createCalls ?? 0;
    if (calls >= MAX_CREATE_CALLS) return { kind: "refused", reason: "calls_used_up", request };
    if (this.starter.isStopping) return { kind: "refused", reason: "stopping", request };
    const moved = await this.deps.store.transition(
      request.id,
      { from: "needs_attention", to: "approved" },
      { start: { ...(request.start ?? FRESH_START), phase: { kind: "ready", by: userId } } },
      { type: "started_again", actor: userId, detail: { call: calls + 1 } },
      [
        { kind: "card" },
        {
          kind: "thread",
          event: { type: "started_again", by: userId, call: calls + 1 },
          dedupeKey: `thread:started_again:${calls + 1}`,
        },
      ],
    );
    this.notificationsQueued();
    if (!moved) return { kind: "refused", reason: "already_decided", request: await this.current(request) };
    this.log.warn(
      { requestId: request.id, by: userId, call: calls + 1 },
      "an approver started the backup again",
    );
    return { kind: "done", request: await this.starter.start(moved) };
  }

  /** "Close as not started": an approver's decision that nothing ran; CreateBackup is not called again. */
  async closeNotStarted(requestId: unknown, userId: string): Promise<DecisionResult> {
    const loaded = await this.attentionRequest(requestId, userId, "close");
    if (loaded.kind !== "loaded") return loaded;
    const { request } = loaded;
    const moved = await this.deps.store.transition(
      request.id,
      { from: "needs_attention", to: "cancelled" },
      { decidedBy: userId, decidedAt: this.clock() },
      { type: "closed_not_started", actor: userId, detail: { calls: request.createCalls ?? 0 } },
      outcomeNotifications({ type: "closed_not_started", by: userId }, this.deps.notifyChannelIds ?? []),
    );
    this.notificationsQueued();
    if (!moved) return { kind: "refused", reason: "already_decided", request: await this.current(request) };
    this.log.info({ requestId: request.id, by: userId }, "an approver closed the request as not started");
    return { kind: "done", request: moved };
  }

  /** The approvers' decisions on a request that needed attention, oldest first (status and history). */
  async attentionActions(requestId: string): Promise<AuditRecord[]> {
    const trail = await this.deps.store.auditTrail(requestId);
    return trail.filter((event) => ATTENTION_AUDIT_TYPES.has(event.type));
  }

  private async current(request: BackupRequest): Promise<BackupRequest> {
    return (await this.deps.store.get(request.id)) ?? request;
  }

  // ─── Queries ──────────────────────────────────────────────────────────────────────────────────

  /** Instances matching `query` that the policy lets this person request (for the picker). */
  async requestableInstances(query: string, userId: string, limit: number): Promise<InstanceList> {
    const policy = this.deps.policy();
    // Side by side: the picker's answer has to fit in Slack's 3 seconds (see fileRequest).
    const [list, groups] = await Promise.all([
      this.deps.catalog.search(query, Number.MAX_SAFE_INTEGER),
      this.deps.directory.groupsOf(userId, groupsNamedByPolicy(policy)),
    ]);
    const allowed = list.instances.filter(
      (instance) => mayRequest(ruleFor(policy, instance), { userId, groups }).ok,
    );
    return { ...list, instances: allowed.slice(0, limit) };
  }

  /** Whether the rule that covers `instance` asks for a reason (the form marks the field required). */
  reasonRequiredFor(instance: InstanceInfo): boolean {
    return ruleFor(this.deps.policy(), instance)?.requireReason === true;
  }

  /** The backup window of the rule that covers `instance`, if it has one (the form shows it). */
  windowFor(instance: InstanceInfo): RunSchedule["window"] {
    return ruleFor(this.deps.policy(), instance)?.window;
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

  /**
   * Stopping begins: no CreateBackup call starts from now on (an approval still queued is recorded
   * and left `approved` for the next start); waits end at once.
   */
  stopStarting(): void {
    this.starter.stop();
  }

  /** Resolves when every CreateBackup under way has finished and its outcome is stored. */
  async drain(): Promise<void> {
    await this.starter.drain();
  }
}

/** Every user group any rule names (who may request, approve): one look-up covers them all. */
function groupsNamedByPolicy(policy: Policy): string[] {
  return [...new Set(policy.rules.flatMap((rule) => groupsNamedBy(rule)))];
}

/** The request id a submission files under: the same key gives the same id, in any replica. */
function submissionRequestId(key: string): string {
  const digest = createHash("sha256").update(`submission:${key}`).digest();
  return newRequestId((n) => digest.subarray(0, n));
}

/** What an approval that schedules the backup says: the card, the thread and the requester. */
function scheduledNotifications(by: string, plan: { startAt: Date; deadline: Date }): Notification[] {
  const event = {
    type: "scheduled",
    by,
    startAt: plan.startAt.toISOString(),
    deadline: plan.deadline.toISOString(),
  } as const;
  return [
    { kind: "card" },
    { kind: "thread", event, dedupeKey: "thread:approved" },
    { kind: "requester", event, dedupeKey: "requester:scheduled" },
  ];
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
