/**
 * The interfaces the use cases talk to. The RDS layer implements `RdsGateway`, the store layer
 * `RequestStore`, the Slack layer `Notifier`; tests of the use cases can pass in-memory versions.
 */
import type { ApiFailureInfo } from "../domain/api-failure.js";
import type { BackupSet, BackupTask, InstanceInfo } from "../domain/instance.js";
import type { Move } from "../domain/lifecycle.js";
import type { BackupParams } from "../domain/params.js";
import type { NotReadyReason, Preflight } from "../domain/preflight.js";
import type { ReminderKind } from "../domain/reminders.js";
import type { BackupRequest, Locale, MessageRef } from "../domain/request.js";
import type { RunPlan } from "../domain/schedule.js";
import type { Finding } from "../domain/start-record.js";

// ─── RDS ────────────────────────────────────────────────────────────────────────────────────────

export interface CallOptions {
  /** Overall deadline for this call, retries included. */
  timeoutMs?: number | undefined;
  /** Region of the instance; the gateway's default region when absent. */
  regionId?: string | undefined;
}

export interface CreateBackupResult {
  backupJobId: string;
  requestId: string;
}

/**
 * Every call either resolves or throws an `ApiFailure` (src/domain/api-failure.ts), never an SDK
 * error. Read calls retry transient failures inside their deadline; `createBackup` never retries.
 */
export interface RdsGateway {
  describeInstance(instanceId: string, options?: CallOptions): Promise<InstanceInfo>;
  /** Every instance of a region, all pages. */
  listInstances(regionId: string, options?: CallOptions): Promise<InstanceInfo[]>;
  describeDatabases(instanceId: string, options?: CallOptions): Promise<string[]>;
  /** Backup jobs of an instance (in progress, or the one asked for by id). */
  describeBackupTasks(
    query: { instanceId: string; backupJobId?: string | undefined },
    options?: CallOptions,
  ): Promise<BackupTask[]>;
  describeBackups(
    query: { instanceId: string; start: Date; end: Date; backupId?: string | undefined },
    options?: CallOptions,
  ): Promise<BackupSet[]>;
  /** Called once per attempt; the caller decides whether another attempt is safe. */
  createBackup(params: BackupParams, options?: CallOptions): Promise<CreateBackupResult>;
}

// ─── Store ──────────────────────────────────────────────────────────────────────────────────────

export const AUDIT_TYPES = [
  "requested",
  "approval",
  "approved",
  /** The last approval came before the start time: the backup waits for it (`scheduled`). */
  "scheduled",
  /** A scheduled backup's start time came and the instance was ready: it starts now (`approved`). */
  "schedule_started",
  /** At its start time the instance was not ready; the bot tries again while the window lasts. */
  "schedule_not_ready",
  /** The window closed before the instance was ready: nothing ran (`failed`). */
  "schedule_missed",
  "rejected",
  "cancelled",
  "expired",
  "create_backup_called",
  /** CreateBackup gave no clear answer (timeout, 5xx, dropped connection): the listings are watched. */
  "unclear_answer",
  "submitted",
  "failed",
  "needs_attention",
  "reconciled",
  "succeeded",
  /** An approver's "Check again" on a request that needs attention. */
  "checked_again",
  /** An approver's "Start the backup again": one more CreateBackup call, decided by a person. */
  "started_again",
  /** An approver's "Close as not started". */
  "closed_not_started",
  /** A pending request's thread reminded the people who may decide (`kind`: waiting or expiring). */
  "reminded",
] as const;
export type AuditType = (typeof AUDIT_TYPES)[number];

export interface AuditEvent {
  type: AuditType;
  /** A Slack user id, or `system` for the bot's own moves (expiry, reconciliation). */
  actor: string;
  /** Facts worth keeping: the CreateBackup RequestId, an error code, a reason. No secrets. */
  detail?: Record<string, string | number | boolean | null> | undefined;
}

export interface AuditRecord extends AuditEvent {
  id: number;
  requestId: string;
  at: Date;
}

/** Fields a move may set besides the state. */
export type RequestPatch = Partial<
  Pick<
    BackupRequest,
    | "decidedBy"
    | "decidedAt"
    | "reason"
    | "backupJobId"
    | "apiRequestId"
    | "submittedAt"
    | "error"
    | "preflight"
    | "start"
    | "schedule"
  >
>;

export type ApprovalResult =
  /** This approval was the last one needed: the request is now `approved`, and this caller owns it. */
  | { kind: "approved"; request: BackupRequest }
  /** The last one needed, before the start time: the request is now `scheduled`. */
  | { kind: "scheduled"; request: BackupRequest }
  /** Counted; more approvals are needed. */
  | { kind: "recorded"; request: BackupRequest }
  /** This person had already approved. Nothing changed. */
  | { kind: "duplicate"; request: BackupRequest }
  /** Someone else already decided (or it expired). Nothing changed. */
  | { kind: "not_pending"; request: BackupRequest }
  | { kind: "not_found" };

export interface RequestFilter {
  instanceId?: string | undefined;
  requesterId?: string | undefined;
  states?: readonly BackupRequest["state"][] | undefined;
  /** Only requests whose `expiresAt` is before this instant. */
  expiresBefore?: Date | undefined;
  limit: number;
}

export interface RequestStore {
  /** Runs the migrations; safe to call at every start and from several replicas at once. */
  migrate(): Promise<void>;
  /** Stores a new `pending` request, its `requested` audit event and its first notifications at once. */
  create(request: BackupRequest, event: AuditEvent, notifications: readonly Notification[]): Promise<void>;
  get(id: string): Promise<BackupRequest | undefined>;
  findByBackupJobId(backupJobId: string): Promise<BackupRequest | undefined>;
  /**
   * The one way a request changes state: an atomic `UPDATE … WHERE id = ? AND state = move.from`,
   * with its audit event and notifications in the same transaction. Returns the updated request,
   * or `undefined` when the request was not in `move.from` (someone else moved it first).
   */
  transition(
    id: string,
    move: Move,
    patch: RequestPatch,
    event: AuditEvent,
    notifications?: readonly Notification[],
    watch?: WatchEffect,
  ): Promise<BackupRequest | undefined>;
  /**
   * Records one person's approval. When it is the last one needed, moves the request from pending
   * to approved in the same transaction (with the `approved` event and notifications); with
   * `later`, to `scheduled` instead, due at `later.plan.startAt` (with `later`'s notifications).
   */
  addApproval(
    id: string,
    userId: string,
    at: Date,
    notificationsIfApproved: readonly Notification[],
    later?: ScheduleOnApproval,
  ): Promise<ApprovalResult>;
  /**
   * Remembers where the approval card was posted, unless a card is stored already (another
   * replica's): the first one stored wins. Returns the card the request has now (undefined: no
   * such request).
   */
  setCard(id: string, card: MessageRef): Promise<MessageRef | undefined>;
  // Starting the backup of an approved request. One process at a time holds a lease on it (several
  // replicas, restarts); the count of CreateBackup calls only ever grows, one atomic step per call.
  /**
   * Takes the lease on an `approved` request, or renews it, until `until`: when it is free (never
   * leased, and unchanged for `idleMs`), expired, or already `owner`'s. Returns the request, or
   * `undefined` when someone else holds it or it is not `approved`.
   */
  leaseApproved(
    id: string,
    owner: string,
    now: Date,
    until: Date,
    idleMs: number,
  ): Promise<BackupRequest | undefined>;
  /** Gives the lease back at once, so another process (or the next start) may take over. */
  releaseLease(id: string, owner: string, now: Date): Promise<void>;
  /**
   * Counts the next CreateBackup call before it is made: `createCalls` goes from `calls` to
   * `calls + 1` only while the request is `approved`, leased by `owner` and at `calls`, with the
   * patch, its audit event and notifications, in one transaction. `undefined`: nothing changed, and
   * the call must not be made.
   */
  countCreateCall(
    id: string,
    owner: string,
    calls: number,
    patch: RequestPatch,
    event: AuditEvent,
    notifications?: readonly Notification[],
  ): Promise<BackupRequest | undefined>;
  /**
   * Records progress on an `approved` request leased by `owner` (its start record, the last error),
   * without a state change. `undefined` when the lease was lost or the request moved on.
   */
  recordStart(
    id: string,
    owner: string,
    patch: RequestPatch,
    event?: AuditEvent,
    notifications?: readonly Notification[],
  ): Promise<BackupRequest | undefined>;
  /**
   * Records something about a request that stays in `state` (an approver's "Check again" on one
   * that needs attention): the patch, its audit event and notifications, only while it is in
   * `state`. `undefined` when it is not (any more).
   */
  annotate(
    id: string,
    state: BackupRequest["state"],
    patch: RequestPatch,
    event: AuditEvent,
    notifications?: readonly Notification[],
  ): Promise<BackupRequest | undefined>;
  // Scheduled runs: requests approved for later, due at their start time. Claimed with a lease like
  // the outbox (several replicas, restarts); moving one on is a `transition` from `scheduled`.
  /**
   * Leases up to `limit` `scheduled` requests that are due (`nextRunAt` reached) and not leased by
   * anyone, until `now + leaseMs`.
   */
  claimScheduled(owner: string, now: Date, leaseMs: number, limit: number): Promise<BackupRequest[]>;
  /**
   * Records a check of a scheduled run that did not start it (the instance was not ready): the
   * patch, the next time it is due, its audit event and notifications; gives the lease back. Only
   * while the request is `scheduled` and leased by `owner`; `undefined` otherwise.
   */
  recordScheduleCheck(
    id: string,
    owner: string,
    nextRunAt: Date,
    patch: RequestPatch,
    event?: AuditEvent,
    notifications?: readonly Notification[],
  ): Promise<BackupRequest | undefined>;
  /**
   * Records a fresh pre-flight check (no state change), with its notifications, while the request
   * is pending; false (nothing written) once it is not.
   */
  setPreflight(id: string, preflight: Preflight, notifications?: readonly Notification[]): Promise<boolean>;
  list(filter: RequestFilter): Promise<BackupRequest[]>;
  auditTrail(id: string): Promise<AuditRecord[]>;

  // Reminders of pending requests (src/domain/reminders.ts): each kind at most once per request.
  /**
   * Up to `limit` pending requests that have not had every reminder yet, the soonest to expire
   * first, each with the reminders it had.
   */
  listRemindable(limit: number): Promise<ReminderCandidate[]>;
  /**
   * Sends reminder `kind` of request `id`: records it, with its audit event and notifications, in
   * one transaction, only while the request is `pending` and has not had it. A conditional insert
   * keyed by (request, kind): of two replicas, or a replica and the next start, exactly one writes
   * it. False when nothing was written.
   */
  claimReminder(
    id: string,
    kind: ReminderKind,
    at: Date,
    event: AuditEvent,
    notifications: readonly Notification[],
  ): Promise<boolean>;

  // Notifications waiting to be delivered to Slack (an outbox: written with the state change,
  // delivered after it, so a Slack outage or a restart loses nothing).
  /** Adds notifications outside a move (for example a pre-flight block at approval). */
  enqueue(requestId: string, notifications: readonly Notification[]): Promise<void>;
  /**
   * Leases up to `limit` due notifications, at most one per destination of a request (its card
   * and thread, its requester, each notification channel: `deliveryLane`) and always that
   * destination's oldest undelivered one, so each place reads in order and one message that
   * cannot go holds up no other place. A lease expires after `leaseMs`.
   */
  claimNotifications(owner: string, now: Date, leaseMs: number, limit: number): Promise<OutboxItem[]>;
  markDelivered(itemId: number, owner: string): Promise<void>;
  /** Gives the item back to be tried again at `retryAt`, recording the error for the log. */
  markFailed(itemId: number, owner: string, retryAt: Date, error: string): Promise<void>;
  /** Takes the item out of the outbox undelivered (Slack refuses it for good), keeping the error. */
  setAside(itemId: number, owner: string, error: string): Promise<void>;
  /**
   * Puts back into the outbox what was set aside in the approval lane (the card and its thread
   * replies) of every request that is not final and whose card is in `channel` (or, never posted,
   * is meant for it: `approvalChannelId`), the bot having just learnt that it may post there again.
   * The items go back as they were, so they go in their old order, the card first. Where the card
   * itself goes back unposted, `whenCardReleased` is queued behind it in the same transaction. One
   * conditional update: of several replicas (or a start-up check and an event) releasing at once,
   * each item goes back exactly once. A request that ended meanwhile (expired, rejected, finished)
   * keeps its items set aside: its card is not posted late. Only items set aside for one of
   * `codes` (the platform's code their recorded error starts with, as `setAside` is given it: "code:
   * message") go back: joining a channel does not fix a message Slack refuses for what it is.
   */
  releaseSetAside(
    channel: string,
    approvalChannelId: string,
    whenCardReleased: readonly Notification[],
    codes: readonly string[],
  ): Promise<ReleasedNotifications[]>;
  /** True when nothing is waiting (tests and graceful shutdown wait for this). */
  outboxEmpty(): Promise<boolean>;

  // Backup jobs under watch until they finish (started and ended by `transition`'s `watch`).
  /** Leases up to `limit` watches whose next check is due; a lease keeps a job with one watcher. */
  claimWatches(owner: string, now: Date, leaseMs: number, limit: number): Promise<BackupWatch[]>;
  /**
   * Records a check (and queues its notifications) if `owner` still holds the lease; releases it.
   * Returns false when the lease was lost (another watcher took over).
   */
  recordCheck(
    requestId: string,
    owner: string,
    check: WatchCheck,
    notifications?: readonly Notification[],
  ): Promise<boolean>;
  /** Stops watching without a state change (the request already reached its end elsewhere). */
  endWatch(requestId: string, owner: string, notifications?: readonly Notification[]): Promise<void>;
  listWatches(): Promise<BackupWatch[]>;

  close(): Promise<void>;
}

/** What `releaseSetAside` put back into the outbox for one request. */
export interface ReleasedNotifications {
  requestId: string;
  /** How many items went back (the card and its replies). */
  count: number;
  /** Whether the unposted card itself went back (the requester is then told once it is posted). */
  card: boolean;
}

/** A pending request, and the reminders it already had. */
export interface ReminderCandidate {
  request: BackupRequest;
  sent: ReminderKind[];
}

/** What the last approval does when the backup is to run later. */
export interface ScheduleOnApproval {
  plan: RunPlan;
  /** Written instead of `notificationsIfApproved`. */
  notifications: readonly Notification[];
}

// ─── Home tabs ───────────────────────────────────────────────────────────────────────────────────

/** Someone who opened the bot's Home tab, and what they were last shown. */
export interface HomeViewer {
  userId: string;
  locale: Locale;
  openedAt: Date;
  /** When the data of the last publish was read (undefined: never published). */
  publishedAt?: Date | undefined;
  /** A fingerprint of that data: the same data is not published again. */
  dataHash?: string | undefined;
}

/**
 * Who opened their Home tab recently, kept in the store so that re-publishing it after a change is
 * right across restarts and replicas: a tab is stale when some request changed (`updated_at`)
 * since the data of its last publish was read.
 */
export interface HomeViewStore {
  /** Remembers that `userId` opened their Home tab at `at`, reading `locale`. */
  recordHomeOpened(userId: string, locale: Locale, at: Date): Promise<void>;
  /**
   * Leases, until `now + leaseMs`, up to `limit` Home tabs opened since `openedSince` that are
   * stale (never published, or published from data read no later than the newest change to a
   * request) and were not published within `minIntervalMs` (a burst of changes makes one publish).
   */
  claimStaleHomes(
    owner: string,
    now: Date,
    leaseMs: number,
    openedSince: Date,
    minIntervalMs: number,
    limit: number,
  ): Promise<HomeViewer[]>;
  /**
   * Records a publish of data read at `readAt`; with `owner`, only while that lease holds (false
   * otherwise), and gives the lease back.
   */
  recordHomePublished(
    userId: string,
    owner: string | undefined,
    readAt: Date,
    dataHash: string,
  ): Promise<boolean>;
  /** Gives a lease back after a failed publish; the tab is not claimed again before `retryAt`. */
  releaseHome(userId: string, owner: string, retryAt: Date): Promise<void>;
}

/** What a person's Home tab shows, read from the store (src/backup/home.ts). */
export interface HomeData {
  userId: string;
  /** Every pending request this person may decide, newest first. */
  waiting: BackupRequest[];
  /** Their own latest requests, newest first. */
  mine: BackupRequest[];
  /** The latest outcomes they may see, newest first. */
  recent: BackupRequest[];
}

/** Shows a person their Home tab (the Slack layer renders and publishes it). */
export interface HomePublisher {
  /** `notice`: a line shown above the rest this once (a refused click from the tab). */
  publish(userId: string, locale: Locale, data: HomeData, notice?: string): Promise<void>;
}

// ─── Watches ─────────────────────────────────────────────────────────────────────────────────────

/** What a move does to the watch of the request's backup job, in the same transaction. */
export type WatchEffect =
  /** Start watching `backupJobId` (from the patch or the request). */
  | { start: { firstCheckAt: Date; deadlineAt: Date } }
  /** The job reached its end: stop watching. */
  | { end: true };

export interface BackupWatch {
  requestId: string;
  instanceId: string;
  regionId: string;
  backupJobId: string;
  startedAt: Date;
  nextCheckAt: Date;
  deadlineAt: Date;
  checks: number;
  lastStatus?: string | undefined;
  lastProgress?: number | undefined;
  /** When a progress note was last posted. */
  lastNoteAt?: Date | undefined;
  /**
   * Since when the job's end is awaited from the listings: it reported Finished but its backup set
   * is not listed yet, or DescribeBackupTasks no longer shows it at all.
   */
  settlingSince?: Date | undefined;
}

export interface WatchCheck {
  nextCheckAt: Date;
  lastStatus?: string | undefined;
  lastProgress?: number | undefined;
  lastNoteAt?: Date | undefined;
  /** Set to start (or keep) waiting for the listings; `null` clears it. */
  settlingSince?: Date | null | undefined;
}

// ─── Notifications ──────────────────────────────────────────────────────────────────────────────

/** What a thread reply is about. The Slack layer renders it from the request, in its locale. */
export type ThreadEvent =
  | { type: "approval_recorded"; by: string; count: number; required: number }
  | { type: "approved"; by: string }
  | { type: "job_started"; backupJobId: string; requestId: string }
  /** CreateBackup (call `call`) gave no clear answer; the bot decides by `decideAt` (ISO time). */
  | { type: "create_unclear"; code: string; call: number; decideAt: string }
  /** The listings showed nothing for as long as they may lag: CreateBackup is called once more. */
  | { type: "create_again"; call: number }
  | { type: "create_failed"; error: ApiFailureInfo }
  | { type: "rejected"; by: string; reason?: string | undefined }
  | { type: "cancelled"; by: string }
  | { type: "expired" }
  | {
      type: "needs_attention";
      error?: ApiFailureInfo | undefined;
      /** What the listings showed. */
      finding?: Finding | undefined;
      /** Who is asked to decide (mentioned in the thread). */
      approvers?: { userIds: string[]; usergroupIds: string[] } | undefined;
      /** Whether "Start the backup again" is still possible (calls left). */
      canStartAgain?: boolean | undefined;
    }
  /** An approver's "Check again" found no job to follow. */
  | { type: "checked_again"; by: string; finding: Finding }
  /** An approver's "Start the backup again": call number `call` goes out. */
  | { type: "started_again"; by: string; call: number }
  | { type: "closed_not_started"; by: string }
  | { type: "job_adopted"; backupJobId: string }
  | { type: "job_progress"; backupJobId: string; percent: number; status: string }
  | { type: "job_finished"; backupJobId: string; backupSet?: BackupSetSummary | undefined }
  | { type: "job_failed"; backupJobId: string; status: string }
  /** The job left the listings and no backup set appeared for it, however long the bot waited. */
  | { type: "job_lost"; backupJobId: string }
  | { type: "watch_gave_up"; backupJobId: string; hours: number }
  /** An approval did not start the backup: a precondition failed; the request stays pending. */
  | { type: "preflight_blocked"; by: string }
  /** The last approval came before the start time: the backup runs at `startAt` (ISO), at the latest by `deadline`. */
  | { type: "scheduled"; by: string; startAt: string; deadline: string }
  /** At its start time the instance was not ready: the bot tries again until `deadline` (ISO). */
  | { type: "schedule_not_ready"; reasons: NotReadyReason[]; deadline: string }
  /** The scheduled run did not start before `deadline` (ISO): nothing ran. */
  | { type: "schedule_missed"; deadline: string; reasons?: NotReadyReason[] | undefined }
  /** A pending request waits: the people who may decide are reminded (src/domain/reminders.ts). */
  | {
      type: "reminder";
      kind: ReminderKind;
      /** Who is mentioned: the rule's approvers, less the requester and who already approved. */
      approvers: { userIds: string[]; usergroupIds: string[] };
    };

/** A finished backup set, as people want to see it. */
export interface BackupSetSummary {
  backupId: string;
  method?: string | undefined;
  sizeBytes?: number | undefined;
  startTime?: string | undefined;
  endTime?: string | undefined;
}

/** What the requester is told about their own request. */
export type RequesterEvent =
  | ThreadEvent
  | { type: "filed" }
  /** The approval card cannot be posted: nobody can approve until someone fixes the channel. */
  | { type: "approval_unreachable"; channel: string; reason: UndeliverableReason; code: string }
  /**
   * The card set aside earlier is posted after all (the bot was invited): the request can be
   * approved now. Delivered behind the card, in its lane, since it links to it.
   */
  | { type: "approval_posted" };

/**
 * A message to deliver. `dedupeKey` makes a message unique per request: an announcement written
 * twice (a double click, a second replica) is stored once and so posted once.
 */
export type Notification = { dedupeKey?: string | undefined } & (
  | { kind: "card" }
  | { kind: "thread"; event: ThreadEvent }
  | { kind: "requester"; event: RequesterEvent }
  /** A one-line summary of an outcome in a notification channel, linking to the thread. */
  | { kind: "summary"; channel: string; event: ThreadEvent }
);

/**
 * Where a notification goes, within its request: the card and its thread share one place (the
 * replies need the card), the requester has one, each notification channel one. The outbox keeps
 * order within a place and lets the places go independently.
 */
export function deliveryLane(notification: Notification): string {
  switch (notification.kind) {
    case "card":
    case "thread":
      return "approval";
    case "requester":
      // "Your card is posted now" needs the card's link: it waits behind the card.
      return notification.event.type === "approval_posted" ? "approval" : "requester";
    case "summary":
      return `channel:${notification.channel}`;
  }
}

export interface OutboxItem {
  id: number;
  requestId: string;
  notification: Notification;
  attempts: number;
}

export interface Notifier {
  /**
   * Delivers one notification about `request` (as the store has it now), finishing or giving up
   * within `withinMs` (the outbox's lease must outlast it). Throws on failure: a `RetryLaterError`
   * says when to try again (a rate limit, the channel's pace, no time left), an
   * `UndeliverableError` that trying again cannot help.
   */
  deliver(
    notification: Notification,
    request: BackupRequest,
    budget?: { withinMs: number },
  ): Promise<{ card?: MessageRef }>;
  /** Deletes a card that lost to another one posted for the same request (two replicas raced). */
  retractCard(card: MessageRef): Promise<void>;
}

export class RetryLaterError extends Error {
  /** Not a failure: the message waits for its turn in the channel (logged quietly). */
  readonly paced: boolean;

  constructor(
    message: string,
    readonly retryAfterMs: number,
    options?: ErrorOptions & { paced?: boolean },
  ) {
    super(message, options);
    this.name = "RetryLaterError";
    this.paced = options?.paced ?? false;
  }
}

/**
 * Why the chat platform will not take a message however often it is asked: the bot cannot reach
 * the channel (`no_access`: not a member, or a private channel it cannot see), the channel is
 * `archived` or `restricted` to some posters, the app lacks a permission (`missing_scope`), the
 * message to change is gone (`message_gone`), the person is deactivated (`recipient_inactive`),
 * the platform refuses the content (`invalid_message`), or the card a reply belongs to was never
 * posted (`no_card`).
 */
export const UNDELIVERABLE_REASONS = [
  "no_access",
  "archived",
  "restricted",
  "missing_scope",
  "message_gone",
  "recipient_inactive",
  "invalid_message",
  "no_card",
] as const;
export type UndeliverableReason = (typeof UNDELIVERABLE_REASONS)[number];

export class UndeliverableError extends Error {
  constructor(
    message: string,
    readonly reason: UndeliverableReason,
    /** The platform's own error code (`not_in_channel`, …) and the channel it concerns. */
    readonly detail: { code: string; channel?: string | undefined },
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "UndeliverableError";
  }
}

// ─── People ─────────────────────────────────────────────────────────────────────────────────────

/** What the chat platform knows about people: group memberships and language. */
export interface Directory {
  /** Which of `groupIds` have `userId` as a member. */
  groupsOf(userId: string, groupIds: readonly string[]): Promise<ReadonlySet<string>>;
}
