/**
 * Rows ↔ domain objects, in one place. Every row read is checked with zod (JSON columns included),
 * so a corrupt or hand-edited row fails loudly with its table, id and column instead of turning
 * into a half-typed object. Absent optional fields are stored as NULL and read back as absent keys.
 */
import { z } from "zod";
import {
  AUDIT_TYPES,
  type AuditEvent,
  type AuditRecord,
  type AuditType,
  type BackupWatch,
  type Notification,
  type OutboxItem,
  type RequestPatch,
  type ThreadEvent,
  UNDELIVERABLE_REASONS,
} from "../backup/ports.js";
import type { ApiFailureInfo } from "../domain/api-failure.js";
import { BACKUP_METHODS, BACKUP_STRATEGIES, BACKUP_TYPES, ENGINES } from "../domain/engine.js";
import type { InstanceInfo } from "../domain/instance.js";
import { type RequestState, TRANSITIONS } from "../domain/lifecycle.js";
import type { BackupParams } from "../domain/params.js";
import { REMINDER_KINDS } from "../domain/reminders.js";
import { type Approval, type BackupRequest, LOCALES, type Locale } from "../domain/request.js";
import type { BackupWindow, RunSchedule } from "../domain/schedule.js";
import type { Finding, StartRecord } from "../domain/start-record.js";
import type {
  ApprovalRow,
  AuditRow,
  NewRequestRow,
  OutboxRow,
  RequestRow,
  RequestRowUpdate,
} from "./schema.js";

/** A row that cannot be read back as what it claims to be. */
export class CorruptRowError extends Error {
  constructor(
    readonly table: string,
    readonly rowId: string | number,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`corrupt ${table} row ${String(rowId)}: ${detail}`, options);
    this.name = "CorruptRowError";
  }
}

// ─── JSON schemas ───────────────────────────────────────────────────────────────────────────────

const optionalString = z.string().optional();

const paramsSchema = z.object({
  DBInstanceId: z.string().min(1),
  DBName: z.array(z.string()).readonly().exactOptional(),
  BackupStrategy: z.enum(BACKUP_STRATEGIES).exactOptional(),
  BackupMethod: z.enum(BACKUP_METHODS).exactOptional(),
  BackupType: z.enum(BACKUP_TYPES).exactOptional(),
  BackupRetentionPeriod: z.number().int().exactOptional(),
});

const instanceSchema = z.object({
  id: z.string(),
  regionId: z.string(),
  engine: z.enum(ENGINES),
  engineVersion: z.string(),
  status: z.string(),
  description: z.string(),
  storageType: optionalString,
  category: optionalString,
  lockMode: optionalString,
  instanceType: optionalString,
  masterInstanceId: optionalString,
});

const apiFailureSchema = z.object({
  code: z.string(),
  message: z.string(),
  httpStatus: z.number().int().optional(),
  requestId: optionalString,
  recommend: optionalString,
  outcome: z.enum(["not_sent", "rejected", "unknown"]),
  transient: z.boolean(),
  retryAfterSeconds: z.number().optional(),
  instanceStatus: optionalString,
});

const checkStatus = z.enum(["pass", "fail", "unknown"]);
const preflightSchema = z.object({
  checkedAt: z.iso.datetime().transform((text) => new Date(text)),
  running: z.object({ status: checkStatus, instanceStatus: optionalString }),
  noBackupInProgress: z.object({ status: checkStatus, backupJobId: optionalString }),
  dailyLimit: z.object({ status: checkStatus, count: z.number().optional(), limit: z.number() }),
});

const isoDate = z.iso.datetime().transform((text) => new Date(text));

const findingSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("nothing") }),
  z.object({ kind: z.literal("backup_set"), backupId: z.string(), startTime: optionalString }),
  z.object({
    kind: z.literal("other_job"),
    backupJobId: z.string(),
    reason: z.enum(["running_before", "other_request", "unknown_before", "several"]),
  }),
  z.object({ kind: z.literal("unreadable"), code: z.string() }),
  z.object({ kind: z.literal("calls_used_up") }),
]);

const startRecordSchema = z.object({
  jobsBefore: z.array(z.string()).readonly().optional(),
  unclear: z.number().int().min(0),
  phase: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("ready"), by: optionalString }),
    z.object({ kind: z.literal("calling"), call: z.number().int(), at: isoDate }),
    z.object({ kind: z.literal("retry"), at: isoDate, since: isoDate }),
    z.object({
      kind: z.literal("watching"),
      code: z.string(),
      at: isoDate,
      decideAt: isoDate,
      mayCallAgain: z.boolean(),
    }),
    z.object({ kind: z.literal("handed_over"), finding: findingSchema }),
  ]),
});

const windowSchema = z.object({
  opens: z.number().int().min(0).max(1439),
  closes: z.number().int().min(1).max(1440),
  timeZone: z.string().min(1),
  days: z.array(z.number().int().min(0).max(6)).readonly(),
});

const scheduleSchema = z.object({
  askedFor: isoDate.optional(),
  window: windowSchema.optional(),
  startAt: isoDate.optional(),
  deadline: isoDate.optional(),
  notReady: z.object({ checks: z.number().int().min(1), since: isoDate, nextTryAt: isoDate }).optional(),
});

const notReadyReasonSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("not_running"), status: z.string() }),
  z.object({ kind: z.literal("backup_in_progress"), backupJobId: z.string() }),
  z.object({ kind: z.literal("daily_limit"), count: z.number().int() }),
]);

const detailSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

const threadEventSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("approval_recorded"),
    by: z.string(),
    count: z.number().int(),
    required: z.number().int(),
  }),
  z.object({ type: z.literal("approved"), by: z.string() }),
  z.object({ type: z.literal("job_started"), backupJobId: z.string(), requestId: z.string() }),
  z.object({
    type: z.literal("create_unclear"),
    code: z.string(),
    call: z.number().int(),
    decideAt: z.string(),
  }),
  z.object({ type: z.literal("create_again"), call: z.number().int() }),
  z.object({ type: z.literal("create_failed"), error: apiFailureSchema }),
  z.object({ type: z.literal("rejected"), by: z.string(), reason: optionalString }),
  z.object({ type: z.literal("cancelled"), by: z.string() }),
  z.object({ type: z.literal("expired") }),
  z.object({
    type: z.literal("needs_attention"),
    error: apiFailureSchema.optional(),
    finding: findingSchema.optional(),
    approvers: z.object({ userIds: z.array(z.string()), usergroupIds: z.array(z.string()) }).optional(),
    canStartAgain: z.boolean().optional(),
  }),
  z.object({ type: z.literal("checked_again"), by: z.string(), finding: findingSchema }),
  z.object({ type: z.literal("started_again"), by: z.string(), call: z.number().int() }),
  z.object({ type: z.literal("closed_not_started"), by: z.string() }),
  z.object({ type: z.literal("job_adopted"), backupJobId: z.string() }),
  z.object({
    type: z.literal("job_progress"),
    backupJobId: z.string(),
    percent: z.number(),
    status: z.string(),
  }),
  z.object({
    type: z.literal("job_finished"),
    backupJobId: z.string(),
    backupSet: z
      .object({
        backupId: z.string(),
        method: optionalString,
        sizeBytes: z.number().optional(),
        startTime: optionalString,
        endTime: optionalString,
      })
      .optional(),
  }),
  z.object({ type: z.literal("job_failed"), backupJobId: z.string(), status: z.string() }),
  z.object({ type: z.literal("job_lost"), backupJobId: z.string() }),
  z.object({ type: z.literal("watch_gave_up"), backupJobId: z.string(), hours: z.number() }),
  z.object({ type: z.literal("preflight_blocked"), by: z.string() }),
  z.object({ type: z.literal("scheduled"), by: z.string(), startAt: z.string(), deadline: z.string() }),
  z.object({
    type: z.literal("schedule_not_ready"),
    reasons: z.array(notReadyReasonSchema),
    deadline: z.string(),
  }),
  z.object({
    type: z.literal("schedule_missed"),
    deadline: z.string(),
    reasons: z.array(notReadyReasonSchema).optional(),
  }),
  z.object({
    type: z.literal("reminder"),
    kind: z.enum(REMINDER_KINDS),
    approvers: z.object({ userIds: z.array(z.string()), usergroupIds: z.array(z.string()) }),
  }),
]);

const notificationSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("card"), dedupeKey: optionalString }),
  z.object({ kind: z.literal("thread"), event: threadEventSchema, dedupeKey: optionalString }),
  z.object({
    kind: z.literal("requester"),
    event: z.union([
      threadEventSchema,
      z.object({ type: z.literal("filed") }),
      z.object({
        type: z.literal("approval_unreachable"),
        channel: z.string(),
        reason: z.enum(UNDELIVERABLE_REASONS),
        code: z.string(),
      }),
      z.object({ type: z.literal("approval_posted") }),
    ]),
    dedupeKey: optionalString,
  }),
  z.object({
    kind: z.literal("summary"),
    channel: z.string(),
    event: threadEventSchema,
    dedupeKey: optionalString,
  }),
]);

// Compile-time guard: the schemas above and the domain types must describe the same shapes, so a
// field added to a domain type without its schema (or the reverse) stops the build.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type SameKeys<A, B> = Same<keyof A, keyof B>;
const schemaChecks: [
  Same<z.output<typeof paramsSchema>, BackupParams>,
  SameKeys<z.output<typeof paramsSchema>, BackupParams>,
  Same<z.output<typeof instanceSchema>, InstanceInfo>,
  SameKeys<z.output<typeof instanceSchema>, InstanceInfo>,
  Same<z.output<typeof apiFailureSchema>, ApiFailureInfo>,
  SameKeys<z.output<typeof apiFailureSchema>, ApiFailureInfo>,
  Same<z.output<typeof threadEventSchema>, ThreadEvent>,
  Same<z.output<typeof notificationSchema>, Notification>,
  Same<z.output<typeof findingSchema>, Finding>,
  Same<z.output<typeof startRecordSchema>, StartRecord>,
  Same<z.output<typeof windowSchema>, BackupWindow>,
  Same<z.output<typeof scheduleSchema>, RunSchedule>,
  SameKeys<z.output<typeof scheduleSchema>, RunSchedule>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true];
void schemaChecks;

// ─── Row schemas (scalar columns; catches a driver returning int8 as a string, too) ─────────────

const epochMs = z.number().int();
const isRequestState = (value: unknown): value is RequestState =>
  typeof value === "string" && Object.hasOwn(TRANSITIONS, value);
const isLocale = (value: unknown): value is Locale => LOCALES.includes(value as Locale);
const isAuditType = (value: unknown): value is AuditType => AUDIT_TYPES.includes(value as AuditType);

const requestRowSchema = z.object({
  id: z.string(),
  state: z.custom<RequestState>(isRequestState, "unknown state"),
  params: z.string(),
  instance: z.string(),
  requester_id: z.string(),
  locale: z.custom<Locale>(isLocale, "unknown locale"),
  origin_channel_id: z.string().nullable(),
  approvals_required: z.number().int().min(1),
  allow_self_approval: z.union([z.literal(0), z.literal(1)]),
  decided_by: z.string().nullable(),
  decided_at: epochMs.nullable(),
  reason: z.string().nullable(),
  request_reason: z.string().nullable(),
  card_channel: z.string().nullable(),
  card_ts: z.string().nullable(),
  backup_job_id: z.string().nullable(),
  api_request_id: z.string().nullable(),
  submitted_at: epochMs.nullable(),
  error: z.string().nullable(),
  preflight: z.string().nullable(),
  create_calls: z.number().int().min(0),
  start_record: z.string().nullable(),
  schedule: z.string().nullable(),
  created_at: epochMs,
  updated_at: epochMs,
  expires_at: epochMs,
});

const approvalRowSchema = z.object({ user_id: z.string(), at: epochMs });

const auditRowSchema = z.object({
  id: z.number().int(),
  request_id: z.string(),
  at: epochMs,
  type: z.custom<AuditType>(isAuditType, "unknown audit type"),
  actor: z.string(),
  detail: z.string().nullable(),
});

const outboxRowSchema = z.object({
  id: z.number().int(),
  request_id: z.string(),
  notification: z.string(),
  attempts: z.number().int(),
});

function check<T>(
  schema: z.ZodType<T>,
  value: unknown,
  table: string,
  rowId: string | number,
  what: string,
): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new CorruptRowError(table, rowId, `${what}: ${z.prettifyError(result.error)}`, {
      cause: result.error,
    });
  }
  return result.data;
}

function parseJson<T>(
  schema: z.ZodType<T>,
  text: string,
  table: string,
  rowId: string | number,
  column: string,
): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CorruptRowError(table, rowId, `column ${column} is not JSON`, { cause: error });
  }
  return check(schema, value, table, rowId, `column ${column}`);
}

function rowIdOf(row: unknown): string | number {
  if (typeof row === "object" && row !== null && "id" in row) {
    const id = (row as { id: unknown }).id;
    if (typeof id === "string" || typeof id === "number") return id;
  }
  return "?";
}

// ─── Dates ──────────────────────────────────────────────────────────────────────────────────────

export function toMs(date: Date): number {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new RangeError("invalid Date given to the store");
  return ms;
}

function optionalMs(date: Date | undefined): number | null {
  return date === undefined ? null : toMs(date);
}

// ─── Requests ───────────────────────────────────────────────────────────────────────────────────

export function requestToRow(request: BackupRequest): NewRequestRow {
  return {
    id: request.id,
    state: request.state,
    instance_id: request.params.DBInstanceId,
    params: JSON.stringify(request.params),
    instance: JSON.stringify(request.instance),
    requester_id: request.requesterId,
    locale: request.locale,
    origin_channel_id: request.originChannelId ?? null,
    approvals_required: request.approvalsRequired,
    allow_self_approval: request.allowSelfApproval ? 1 : 0,
    decided_by: request.decidedBy ?? null,
    decided_at: optionalMs(request.decidedAt),
    reason: request.reason ?? null,
    request_reason: request.requestReason ?? null,
    card_channel: request.card?.channel ?? null,
    card_ts: request.card?.ts ?? null,
    backup_job_id: request.backupJobId ?? null,
    api_request_id: request.apiRequestId ?? null,
    submitted_at: optionalMs(request.submittedAt),
    error: request.error === undefined ? null : JSON.stringify(request.error),
    preflight: request.preflight === undefined ? null : JSON.stringify(request.preflight),
    create_calls: request.createCalls ?? 0,
    start_record: request.start === undefined ? null : JSON.stringify(request.start),
    schedule: request.schedule === undefined ? null : JSON.stringify(request.schedule),
    created_at: toMs(request.createdAt),
    updated_at: toMs(request.updatedAt),
    expires_at: toMs(request.expiresAt),
  };
}

/**
 * The columns a patch sets. A key that is present sets its column, `undefined` included (which
 * clears it); a key that is absent leaves the column alone.
 */
export function patchToRow(patch: RequestPatch): RequestRowUpdate {
  const row: RequestRowUpdate = {};
  const has = (key: keyof RequestPatch) => Object.hasOwn(patch, key);
  if (has("decidedBy")) row.decided_by = patch.decidedBy ?? null;
  if (has("decidedAt")) row.decided_at = optionalMs(patch.decidedAt);
  if (has("reason")) row.reason = patch.reason ?? null;
  if (has("backupJobId")) row.backup_job_id = patch.backupJobId ?? null;
  if (has("apiRequestId")) row.api_request_id = patch.apiRequestId ?? null;
  if (has("submittedAt")) row.submitted_at = optionalMs(patch.submittedAt);
  if (has("error")) row.error = patch.error === undefined ? null : JSON.stringify(patch.error);
  if (has("preflight"))
    row.preflight = patch.preflight === undefined ? null : JSON.stringify(patch.preflight);
  if (has("start")) row.start_record = patch.start === undefined ? null : JSON.stringify(patch.start);
  if (has("schedule")) row.schedule = patch.schedule === undefined ? null : JSON.stringify(patch.schedule);
  return row;
}

export function rowToApproval(row: Pick<ApprovalRow, "user_id" | "at">, requestId: string): Approval {
  const checked = check(approvalRowSchema, row, "approvals", `${requestId}/${String(row.user_id)}`, "row");
  return { userId: checked.user_id, at: new Date(checked.at) };
}

export function rowToRequest(raw: RequestRow, approvals: readonly Approval[]): BackupRequest {
  const id = rowIdOf(raw);
  const row = check(requestRowSchema, raw, "backup_requests", id, "row");
  const table = "backup_requests";
  const request: BackupRequest = {
    id: row.id,
    state: row.state,
    params: parseJson(paramsSchema, row.params, table, id, "params"),
    instance: parseJson(instanceSchema, row.instance, table, id, "instance"),
    requesterId: row.requester_id,
    locale: row.locale,
    approvalsRequired: row.approvals_required,
    approvals: [...approvals],
    allowSelfApproval: row.allow_self_approval === 1,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    expiresAt: new Date(row.expires_at),
  };
  if (row.origin_channel_id !== null) request.originChannelId = row.origin_channel_id;
  if (row.decided_by !== null) request.decidedBy = row.decided_by;
  if (row.decided_at !== null) request.decidedAt = new Date(row.decided_at);
  if (row.reason !== null) request.reason = row.reason;
  if (row.request_reason !== null) request.requestReason = row.request_reason;
  if (row.card_channel !== null && row.card_ts !== null) {
    request.card = { channel: row.card_channel, ts: row.card_ts };
  }
  if (row.backup_job_id !== null) request.backupJobId = row.backup_job_id;
  if (row.api_request_id !== null) request.apiRequestId = row.api_request_id;
  if (row.submitted_at !== null) request.submittedAt = new Date(row.submitted_at);
  if (row.error !== null) request.error = parseJson(apiFailureSchema, row.error, table, id, "error");
  if (row.preflight !== null) {
    request.preflight = parseJson(preflightSchema, row.preflight, table, id, "preflight");
  }
  if (row.create_calls > 0) request.createCalls = row.create_calls;
  if (row.start_record !== null) {
    request.start = parseJson(startRecordSchema, row.start_record, table, id, "start_record");
  }
  if (row.schedule !== null)
    request.schedule = parseJson(scheduleSchema, row.schedule, table, id, "schedule");
  return request;
}

// ─── Audit ──────────────────────────────────────────────────────────────────────────────────────

export function auditDetailToText(event: AuditEvent): string | null {
  return event.detail === undefined ? null : JSON.stringify(event.detail);
}

export function rowToAudit(raw: AuditRow): AuditRecord {
  const id = rowIdOf(raw);
  const row = check(auditRowSchema, raw, "audit_events", id, "row");
  const record: AuditRecord = {
    id: row.id,
    requestId: row.request_id,
    at: new Date(row.at),
    type: row.type,
    actor: row.actor,
  };
  if (row.detail !== null) record.detail = parseJson(detailSchema, row.detail, "audit_events", id, "detail");
  return record;
}

// ─── Outbox ─────────────────────────────────────────────────────────────────────────────────────

export function notificationToText(notification: Notification): string {
  return JSON.stringify(notification);
}

export function rowToOutboxItem(
  raw: Pick<OutboxRow, "id" | "request_id" | "notification" | "attempts">,
): OutboxItem {
  const id = rowIdOf(raw);
  const row = check(outboxRowSchema, raw, "outbox", id, "row");
  return {
    id: row.id,
    requestId: row.request_id,
    notification: parseJson(notificationSchema, row.notification, "outbox", id, "notification"),
    attempts: row.attempts,
  };
}

// ─── Watches ────────────────────────────────────────────────────────────────────────────────────

const watchRowSchema = z.object({
  request_id: z.string(),
  instance_id: z.string(),
  region_id: z.string(),
  backup_job_id: z.string(),
  started_at: epochMs,
  next_check_at: epochMs,
  deadline_at: epochMs,
  checks: z.number().int(),
  last_status: z.string().nullable(),
  last_progress: z.number().nullable(),
  last_note_at: epochMs.nullable(),
  settling_since: epochMs.nullable(),
});

export function rowToWatch(raw: unknown): BackupWatch {
  const id = (raw as { request_id?: unknown } | null)?.request_id;
  const row = check(watchRowSchema, raw, "backup_watches", typeof id === "string" ? id : "?", "row");
  return {
    requestId: row.request_id,
    instanceId: row.instance_id,
    regionId: row.region_id,
    backupJobId: row.backup_job_id,
    startedAt: new Date(row.started_at),
    nextCheckAt: new Date(row.next_check_at),
    deadlineAt: new Date(row.deadline_at),
    checks: row.checks,
    ...(row.last_status !== null ? { lastStatus: row.last_status } : {}),
    ...(row.last_progress !== null ? { lastProgress: row.last_progress } : {}),
    ...(row.last_note_at !== null ? { lastNoteAt: new Date(row.last_note_at) } : {}),
    ...(row.settling_since !== null ? { settlingSince: new Date(row.settling_since) } : {}),
  };
}
