/**
 * The tables as Kysely sees them, the same on SQLite and PostgreSQL.
 *
 * Conventions (the migrations create exactly this):
 * - Every timestamp is epoch milliseconds in a `bigint` column (SQLite stores it as INTEGER; the
 *   PostgreSQL pool parses int8 as a JS number, exact up to 2^53), so values round-trip as `Date`
 *   to the millisecond and compare numerically in SQL on both dialects.
 * - Structured values (parameters, instance snapshot, error, audit detail, notification) are JSON
 *   text, parsed with zod when read (src/store/mapping.ts).
 * - Booleans are integers 0/1 (SQLite has no boolean type).
 */
import type { Generated, Insertable, Selectable, Updateable } from "kysely";
import type { RequestState } from "../domain/lifecycle.js";

export interface BackupRequestsTable {
  id: string;
  state: RequestState;
  /** `params.DBInstanceId`, kept as a column so `list({ instanceId })` can use an index. */
  instance_id: string;
  /** JSON `BackupParams`. */
  params: string;
  /** JSON `InstanceInfo`: the instance as it was when the request was filed. */
  instance: string;
  requester_id: string;
  locale: string;
  origin_channel_id: string | null;
  approvals_required: number;
  /** 0 or 1. */
  allow_self_approval: number;
  decided_by: string | null;
  decided_at: number | null;
  /** Why an approver rejected it. */
  reason: string | null;
  /** Why the requester wants the backup (migration 010). */
  request_reason: string | null;
  card_channel: string | null;
  card_ts: string | null;
  backup_job_id: string | null;
  api_request_id: string | null;
  submitted_at: number | null;
  /** JSON `ApiFailureInfo`. */
  error: string | null;
  /** JSON `Preflight` (dates as ISO strings). */
  preflight: string | null;
  /** CreateBackup calls made; only ever grows, one conditional step per call. */
  create_calls: Generated<number>;
  /** JSON `StartRecord` (dates as ISO strings). */
  start_record: string | null;
  /** Who is starting the backup of this approved request (or checking this scheduled one), and until when. */
  lease_owner: string | null;
  lease_until: number | null;
  /** JSON `RunSchedule` (dates as ISO strings): the time asked for, the window, the run plan. */
  schedule: string | null;
  /** A `scheduled` request's next check (its start time, then each try while not ready); else null. */
  next_run_at: number | null;
  created_at: number;
  updated_at: number;
  expires_at: number;
}

export interface ApprovalsTable {
  request_id: string;
  user_id: string;
  at: number;
}

export interface AuditEventsTable {
  id: Generated<number>;
  request_id: string;
  at: number;
  type: string;
  actor: string;
  /** JSON object of scalars, or null. */
  detail: string | null;
}

export interface OutboxTable {
  id: Generated<number>;
  request_id: string;
  /** Unique per request when not null (partial unique index): a second copy is not stored. */
  dedupe_key: string | null;
  /** JSON `Notification`. */
  notification: string;
  attempts: Generated<number>;
  /** Null: due now (never failed). Otherwise the earliest time of the next attempt. */
  next_attempt_at: number | null;
  lease_owner: string | null;
  lease_until: number | null;
  /** When the item left the outbox: delivered, or set aside (then `set_aside_at` too). */
  delivered_at: number | null;
  last_error: string | null;
  created_at: number;
  /** `deliveryLane` of the notification: order is kept within (request, destination). */
  destination: string | null;
  /** Set aside undelivered: the platform refused it for good (`last_error` says why). */
  set_aside_at: number | null;
}

export interface BackupWatchesTable {
  request_id: string;
  instance_id: string;
  region_id: string;
  backup_job_id: string;
  started_at: number;
  next_check_at: number;
  deadline_at: number;
  checks: Generated<number>;
  last_status: string | null;
  last_progress: number | null;
  last_note_at: number | null;
  lease_owner: string | null;
  lease_until: number | null;
  settling_since: number | null;
}

/** A reminder sent about a pending request: at most one row per request and kind. */
export interface ApprovalRemindersTable {
  request_id: string;
  /** `ReminderKind`: `waiting` or `expiring`. */
  kind: string;
  at: number;
}

/** Who opened the Home tab (src/backup/home.ts): one row per person. */
export interface HomeViewsTable {
  user_id: string;
  locale: string;
  opened_at: number;
  /** When the data of the last publish was read; null: never published. */
  published_at: number | null;
  data_hash: string | null;
  lease_owner: string | null;
  lease_until: number | null;
}

export interface Database {
  backup_requests: BackupRequestsTable;
  approvals: ApprovalsTable;
  audit_events: AuditEventsTable;
  outbox: OutboxTable;
  backup_watches: BackupWatchesTable;
  approval_reminders: ApprovalRemindersTable;
  home_views: HomeViewsTable;
}

export type RequestRow = Selectable<BackupRequestsTable>;
export type NewRequestRow = Insertable<BackupRequestsTable>;
export type RequestRowUpdate = Updateable<BackupRequestsTable>;
export type ApprovalRow = Selectable<ApprovalsTable>;
export type AuditRow = Selectable<AuditEventsTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type WatchRow = Selectable<BackupWatchesTable>;

/** Which SQL dialect a store talks; the few places that differ switch on this. */
export type SqlDialect = "sqlite" | "postgres";
