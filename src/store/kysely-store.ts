/**
 * The one `RequestStore`, over Kysely, for SQLite and PostgreSQL alike.
 *
 * Where the dialects differ (and only there):
 * - row locks: `SELECT … FOR UPDATE` on PostgreSQL (`lockRequest`); on SQLite every transaction
 *   starts with `BEGIN IMMEDIATE` (src/store/sqlite-dialect.ts), so a write transaction holds the
 *   database's write lock from its first statement and cannot interleave with another writer;
 * - the migrations' id columns (src/store/migrations.ts);
 * - connection set-up (src/store/open-store.ts).
 *
 * How each guarantee holds:
 * - `transition`: one conditional `UPDATE … WHERE id = ? AND state = from`. On PostgreSQL a
 *   concurrent UPDATE of the same row waits for the first to commit and re-checks the WHERE on the
 *   new row version (READ COMMITTED), so exactly one wins; on SQLite writers are serialised. The
 *   audit event and notifications are written in the same transaction, only by the winner.
 * - `addApproval`: the request row is locked first (FOR UPDATE / BEGIN IMMEDIATE), so the checks
 *   (pending? already approved? how many?) and the writes act on a state nobody else can change
 *   until commit; the one approval that reaches the count moves the request, every later one sees
 *   it not pending.
 * - scheduled runs: `addApproval` moves the last approval before the start time to `scheduled`
 *   under the same lock; `claimScheduled` leases due ones with one conditional UPDATE (like the
 *   outbox), and starting or cancelling one is a `transition` from `scheduled`: exactly one wins.
 * - outbox order: every insert into the outbox happens while its request row is locked (create,
 *   transition, addApproval, enqueue), so ids of one request's items are committed in id order and
 *   "oldest undelivered of a destination of a request" is well defined. `claimNotifications` is a
 *   single conditional UPDATE: on PostgreSQL a second claimer blocked on the same row re-checks the
 *   lease and skips it.
 * - reminders: `claimReminder` locks the request row, checks it is still pending, and inserts the
 *   reminder's row keyed by (request, kind) with `on conflict do nothing`; only the insert that
 *   happened writes the audit event and the thread reply. A decision takes the same lock, so a
 *   reminder is either before it in the thread or not sent at all.
 * - releasing set-aside items (`releaseSetAside`): the live requests concerned are locked first
 *   (FOR UPDATE / BEGIN IMMEDIATE), as a move would lock them, then one conditional UPDATE takes
 *   back only items still set aside: a second releaser waits for the first, then finds none, and a
 *   request that ended meanwhile (its move took the lock first) is no longer among them.
 * - the card: `setCard` stores a card only where none is, so of two replicas that both posted one,
 *   the first stored wins and the other learns it must remove its own.
 */
import { type ExpressionBuilder, type Kysely, sql, type Transaction } from "kysely";
import {
  type ApprovalResult,
  type AuditEvent,
  type AuditRecord,
  type BackupWatch,
  deliveryLane,
  type HomeViewer,
  type HomeViewStore,
  type Notification,
  type OutboxItem,
  type ReleasedNotifications,
  type ReminderCandidate,
  type RequestFilter,
  type RequestPatch,
  type RequestStore,
  type ScheduleOnApproval,
  type WatchCheck,
  type WatchEffect,
} from "../backup/ports.js";
import { canMove, isFinal, type Move, REQUEST_STATES } from "../domain/lifecycle.js";
import type { Preflight } from "../domain/preflight.js";
import { REMINDER_KINDS, type ReminderKind } from "../domain/reminders.js";
import type { Approval, BackupRequest, Locale, MessageRef } from "../domain/request.js";
import {
  auditDetailToText,
  notificationToText,
  patchToRow,
  requestToRow,
  rowToApproval,
  rowToAudit,
  rowToOutboxItem,
  rowToRequest,
  rowToWatch,
  toMs,
} from "./mapping.js";
import { MIGRATIONS, migrateToLatest, type StoreMigration } from "./migrations.js";
import type { Database, RequestRow, SqlDialect } from "./schema.js";

/** The part of a pino logger the store uses. */
export interface StoreLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface KyselyStoreOptions {
  logger?: StoreLogger | undefined;
  /** The store's own clock: `updated_at` and audit times of moves, outbox bookkeeping. */
  clock?: (() => Date) | undefined;
  /** For tests of later migrations; the default is every migration. */
  migrations?: readonly StoreMigration[] | undefined;
}

/** States a request can still change from: its set-aside messages may still matter. */
const LIVE_STATES = REQUEST_STATES.filter((state) => !isFinal(state));

/** `last_error` keeps the start of an error message; the log has the rest. */
const MAX_ERROR_LENGTH = 2000;
const MAX_LIST_LIMIT = 1000;

type Db = Kysely<Database>;
type AuditLine = AuditEvent & { requestId: string };

export class KyselyRequestStore implements RequestStore, HomeViewStore {
  readonly #db: Db;
  readonly #dialect: SqlDialect;
  readonly #logger: StoreLogger | undefined;
  readonly #clock: () => Date;
  readonly #migrations: readonly StoreMigration[];
  #closed: Promise<void> | undefined;
  /** Audit events of each open write transaction, logged after it commits. */
  readonly #auditsOf = new WeakMap<Transaction<Database>, AuditLine[]>();

  constructor(db: Db, dialect: SqlDialect, options: KyselyStoreOptions = {}) {
    this.#db = db;
    this.#dialect = dialect;
    this.#logger = options.logger;
    this.#clock = options.clock ?? (() => new Date());
    this.#migrations = options.migrations ?? MIGRATIONS;
  }

  get dialect(): SqlDialect {
    return this.#dialect;
  }

  async migrate(): Promise<void> {
    const applied = await migrateToLatest(this.#db, this.#dialect, this.#migrations);
    if (applied.length > 0) this.#logger?.info({ migrations: applied }, "database migrated");
  }

  async create(
    request: BackupRequest,
    event: AuditEvent,
    notifications: readonly Notification[],
  ): Promise<void> {
    const row = requestToRow(request);
    await this.#write(async (trx) => {
      await trx.insertInto("backup_requests").values(row).execute();
      if (request.approvals.length > 0) {
        await trx
          .insertInto("approvals")
          .values(
            request.approvals.map((a) => ({ request_id: request.id, user_id: a.userId, at: toMs(a.at) })),
          )
          .execute();
      }
      await this.#insertAudit(trx, request.id, toMs(request.createdAt), event);
      await this.#insertOutbox(trx, request.id, notifications);
    });
  }

  async get(id: string): Promise<BackupRequest | undefined> {
    const row = await this.#db
      .selectFrom("backup_requests")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    return row ? this.#withApprovals(this.#db, row) : undefined;
  }

  async findByBackupJobId(backupJobId: string): Promise<BackupRequest | undefined> {
    const row = await this.#db
      .selectFrom("backup_requests")
      .selectAll()
      .where("backup_job_id", "=", backupJobId)
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(1)
      .executeTakeFirst();
    return row ? this.#withApprovals(this.#db, row) : undefined;
  }

  async transition(
    id: string,
    move: Move,
    patch: RequestPatch,
    event: AuditEvent,
    notifications: readonly Notification[] = [],
    watch?: WatchEffect,
  ): Promise<BackupRequest | undefined> {
    if (!canMove(move.from, move.to)) throw new Error(`illegal request transition ${move.from} → ${move.to}`);
    const changes = patchToRow(patch);
    return this.#write(async (trx) => {
      const now = toMs(this.#clock());
      const row = await trx
        .updateTable("backup_requests")
        // A lease belongs to one stay in `approved` (or `scheduled`): any move ends it, and a
        // request that leaves `scheduled` is no longer due.
        .set({
          ...changes,
          state: move.to,
          updated_at: now,
          lease_owner: null,
          lease_until: null,
          ...(move.from === "scheduled" ? { next_run_at: null } : {}),
        })
        .where("id", "=", id)
        .where("state", "=", move.from)
        .returningAll()
        .executeTakeFirst();
      if (!row) return undefined;
      await this.#insertAudit(trx, id, now, event);
      await this.#insertOutbox(trx, id, notifications);
      const request = await this.#withApprovals(trx, row);
      if (watch && "start" in watch) {
        if (!request.backupJobId) throw new Error(`cannot watch ${id}: no backup job id`);
        await trx
          .insertInto("backup_watches")
          .values({
            request_id: id,
            instance_id: request.params.DBInstanceId,
            region_id: request.instance.regionId,
            backup_job_id: request.backupJobId,
            started_at: now,
            next_check_at: toMs(watch.start.firstCheckAt),
            deadline_at: toMs(watch.start.deadlineAt),
            last_status: null,
            last_progress: null,
            last_note_at: null,
            lease_owner: null,
            lease_until: null,
            settling_since: null,
          })
          .onConflict((oc) => oc.doNothing())
          .execute();
      } else if (watch && "end" in watch) {
        await trx.deleteFrom("backup_watches").where("request_id", "=", id).execute();
      }
      return request;
    });
  }

  async leaseApproved(
    id: string,
    owner: string,
    now: Date,
    until: Date,
    idleMs: number,
  ): Promise<BackupRequest | undefined> {
    const nowMs = toMs(now);
    return this.#write(async (trx) => {
      const row = await trx
        .updateTable("backup_requests")
        .set({ lease_owner: owner, lease_until: toMs(until) })
        .where("id", "=", id)
        .where("state", "=", "approved")
        .where((eb) =>
          eb.or([
            eb.and([eb("lease_owner", "is", null), eb("updated_at", "<=", nowMs - Math.max(0, idleMs))]),
            eb("lease_until", "<=", nowMs),
            eb("lease_owner", "=", owner),
          ]),
        )
        .returningAll()
        .executeTakeFirst();
      return row ? this.#withApprovals(trx, row) : undefined;
    });
  }

  async releaseLease(id: string, owner: string, now: Date): Promise<void> {
    await this.#db
      .updateTable("backup_requests")
      .set({ lease_until: toMs(now) })
      .where("id", "=", id)
      .where("lease_owner", "=", owner)
      .execute();
  }

  async countCreateCall(
    id: string,
    owner: string,
    calls: number,
    patch: RequestPatch,
    event: AuditEvent,
    notifications: readonly Notification[] = [],
  ): Promise<BackupRequest | undefined> {
    const changes = patchToRow(patch);
    return this.#write(async (trx) => {
      const now = toMs(this.#clock());
      const row = await trx
        .updateTable("backup_requests")
        .set({ ...changes, create_calls: calls + 1, updated_at: now })
        .where("id", "=", id)
        .where("state", "=", "approved")
        .where("lease_owner", "=", owner)
        .where("create_calls", "=", calls)
        .returningAll()
        .executeTakeFirst();
      if (!row) return undefined;
      await this.#insertAudit(trx, id, now, event);
      await this.#insertOutbox(trx, id, notifications);
      return this.#withApprovals(trx, row);
    });
  }

  async recordStart(
    id: string,
    owner: string,
    patch: RequestPatch,
    event?: AuditEvent,
    notifications: readonly Notification[] = [],
  ): Promise<BackupRequest | undefined> {
    const changes = patchToRow(patch);
    return this.#write(async (trx) => {
      const now = toMs(this.#clock());
      const row = await trx
        .updateTable("backup_requests")
        .set({ ...changes, updated_at: now })
        .where("id", "=", id)
        .where("state", "=", "approved")
        .where("lease_owner", "=", owner)
        .returningAll()
        .executeTakeFirst();
      if (!row) return undefined;
      if (event) await this.#insertAudit(trx, id, now, event);
      await this.#insertOutbox(trx, id, notifications);
      return this.#withApprovals(trx, row);
    });
  }

  async annotate(
    id: string,
    state: BackupRequest["state"],
    patch: RequestPatch,
    event: AuditEvent,
    notifications: readonly Notification[] = [],
  ): Promise<BackupRequest | undefined> {
    const changes = patchToRow(patch);
    return this.#write(async (trx) => {
      const now = toMs(this.#clock());
      const row = await trx
        .updateTable("backup_requests")
        .set({ ...changes, updated_at: now })
        .where("id", "=", id)
        .where("state", "=", state)
        .returningAll()
        .executeTakeFirst();
      if (!row) return undefined;
      await this.#insertAudit(trx, id, now, event);
      await this.#insertOutbox(trx, id, notifications);
      return this.#withApprovals(trx, row);
    });
  }

  // ─── Home tabs ─────────────────────────────────────────────────────────────────────────────────

  async recordHomeOpened(userId: string, locale: Locale, at: Date): Promise<void> {
    const atMs = toMs(at);
    await this.#write((trx) =>
      trx
        .insertInto("home_views")
        .values({ user_id: userId, locale, opened_at: atMs })
        .onConflict((oc) => oc.column("user_id").doUpdateSet({ locale, opened_at: atMs }))
        .execute(),
    );
  }

  async claimStaleHomes(
    owner: string,
    now: Date,
    leaseMs: number,
    openedSince: Date,
    minIntervalMs: number,
    limit: number,
  ): Promise<HomeViewer[]> {
    const nowMs = toMs(now);
    return this.#write(async (trx) => {
      const newest = await trx
        .selectFrom("backup_requests")
        .select((eb) => eb.fn.max("updated_at").as("latest"))
        .executeTakeFirst();
      const latest =
        newest?.latest === null || newest?.latest === undefined ? undefined : Number(newest.latest);
      const rows = await trx
        .updateTable("home_views")
        .set({ lease_owner: owner, lease_until: nowMs + Math.max(0, leaseMs) })
        .where("user_id", "in", (eb) =>
          eb
            .selectFrom("home_views as h")
            .select("h.user_id")
            .where("h.opened_at", ">=", toMs(openedSince))
            .where((e) => e.or([e("h.lease_until", "is", null), e("h.lease_until", "<=", nowMs)]))
            .where((e) =>
              latest === undefined
                ? e("h.published_at", "is", null)
                : e.or([
                    e("h.published_at", "is", null),
                    // Read no later than the newest change (a change in the same millisecond may
                    // have been missed), and not within the last `minIntervalMs`.
                    e.and([
                      e("h.published_at", "<=", latest),
                      e("h.published_at", "<=", nowMs - Math.max(0, minIntervalMs)),
                    ]),
                  ]),
            )
            .orderBy("h.opened_at", "desc")
            .limit(Math.max(0, Math.floor(limit))),
        )
        // Re-checked on the row: a concurrent claimer that got there first keeps it.
        .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<=", nowMs)]))
        .returningAll()
        .execute();
      return rows.map(
        (row): HomeViewer => ({
          userId: row.user_id,
          locale: row.locale === "ja" ? "ja" : "en",
          openedAt: new Date(Number(row.opened_at)),
          publishedAt: row.published_at === null ? undefined : new Date(Number(row.published_at)),
          dataHash: row.data_hash ?? undefined,
        }),
      );
    });
  }

  async recordHomePublished(
    userId: string,
    owner: string | undefined,
    readAt: Date,
    dataHash: string,
  ): Promise<boolean> {
    const readMs = toMs(readAt);
    const result = await this.#write((trx) => {
      let query = trx
        .updateTable("home_views")
        .set({ published_at: readMs, data_hash: dataHash, lease_owner: null, lease_until: null })
        .where("user_id", "=", userId);
      query =
        owner !== undefined
          ? query.where("lease_owner", "=", owner)
          : // A publish outside a lease (the tab just opened) never takes the record back in time.
            query.where((eb) => eb.or([eb("published_at", "is", null), eb("published_at", "<=", readMs)]));
      return query.executeTakeFirst();
    });
    return Number(result.numUpdatedRows) > 0;
  }

  async releaseHome(userId: string, owner: string, retryAt: Date): Promise<void> {
    await this.#write((trx) =>
      trx
        .updateTable("home_views")
        .set({ lease_until: toMs(retryAt) })
        .where("user_id", "=", userId)
        .where("lease_owner", "=", owner)
        .execute(),
    );
  }

  async claimWatches(owner: string, now: Date, leaseMs: number, limit: number): Promise<BackupWatch[]> {
    const nowMs = toMs(now);
    const rows = await this.#write((trx) =>
      trx
        .updateTable("backup_watches")
        .set({ lease_owner: owner, lease_until: nowMs + Math.max(0, leaseMs) })
        .where("request_id", "in", (eb) =>
          eb
            .selectFrom("backup_watches as w")
            .select("w.request_id")
            .where("w.next_check_at", "<=", nowMs)
            .where((eb2) => eb2.or([eb2("w.lease_until", "is", null), eb2("w.lease_until", "<=", nowMs)]))
            .orderBy("w.next_check_at")
            .limit(Math.max(0, Math.floor(limit))),
        )
        // Re-checked on the row: a concurrent claimer that got there first keeps it.
        .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<=", nowMs)]))
        .returningAll()
        .execute(),
    );
    return rows.map(rowToWatch);
  }

  async recordCheck(
    requestId: string,
    owner: string,
    check: WatchCheck,
    notifications: readonly Notification[] = [],
  ): Promise<boolean> {
    return this.#write(async (trx) => {
      const result = await trx
        .updateTable("backup_watches")
        .set((eb) => ({
          checks: eb("checks", "+", 1),
          next_check_at: toMs(check.nextCheckAt),
          ...(check.lastStatus !== undefined ? { last_status: check.lastStatus } : {}),
          ...(check.lastProgress !== undefined ? { last_progress: check.lastProgress } : {}),
          ...(check.lastNoteAt !== undefined ? { last_note_at: toMs(check.lastNoteAt) } : {}),
          ...(check.settlingSince !== undefined
            ? { settling_since: check.settlingSince === null ? null : toMs(check.settlingSince) }
            : {}),
          lease_owner: null,
          lease_until: null,
        }))
        .where("request_id", "=", requestId)
        .where("lease_owner", "=", owner)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) return false;
      if (notifications.length > 0) {
        await this.#lockRequest(trx, requestId);
        await this.#insertOutbox(trx, requestId, notifications);
      }
      return true;
    });
  }

  async endWatch(
    requestId: string,
    owner: string,
    notifications: readonly Notification[] = [],
  ): Promise<void> {
    await this.#write(async (trx) => {
      const result = await trx
        .deleteFrom("backup_watches")
        .where("request_id", "=", requestId)
        .where("lease_owner", "=", owner)
        .executeTakeFirst();
      if (result.numDeletedRows > 0n && notifications.length > 0) {
        await this.#lockRequest(trx, requestId);
        await this.#insertOutbox(trx, requestId, notifications);
      }
    });
  }

  async listWatches(): Promise<BackupWatch[]> {
    const rows = await this.#db.selectFrom("backup_watches").selectAll().orderBy("next_check_at").execute();
    return rows.map(rowToWatch);
  }

  async addApproval(
    id: string,
    userId: string,
    at: Date,
    notificationsIfApproved: readonly Notification[],
    later?: ScheduleOnApproval,
  ): Promise<ApprovalResult> {
    const atMs = toMs(at);
    return this.#write(async (trx): Promise<ApprovalResult> => {
      const locked = await this.#lockRequest(trx, id);
      if (!locked) return { kind: "not_found" };
      if (locked.state !== "pending") {
        return { kind: "not_pending", request: await this.#withApprovals(trx, locked) };
      }
      const inserted = await trx
        .insertInto("approvals")
        .values({ request_id: id, user_id: userId, at: atMs })
        .onConflict((oc) => oc.doNothing())
        .returning("user_id")
        .executeTakeFirst();
      if (!inserted) return { kind: "duplicate", request: await this.#withApprovals(trx, locked) };

      const approvals = await this.#approvalsOf(trx, id);
      const detail = { count: approvals.length, required: locked.approvals_required };
      if (approvals.length >= locked.approvals_required && later) {
        const schedule = rowToRequest(locked, approvals).schedule ?? {};
        const row = await trx
          .updateTable("backup_requests")
          .set({
            ...patchToRow({ schedule: { ...schedule, ...later.plan } }),
            state: "scheduled",
            next_run_at: toMs(later.plan.startAt),
            updated_at: atMs,
          })
          .where("id", "=", id)
          .where("state", "=", "pending")
          .returningAll()
          .executeTakeFirst();
        if (!row) throw new Error(`request ${id} left pending under its own lock`);
        await this.#insertAudit(trx, id, atMs, { type: "approved", actor: userId, detail });
        await this.#insertAudit(trx, id, atMs, {
          type: "scheduled",
          actor: userId,
          detail: { startAt: later.plan.startAt.toISOString(), deadline: later.plan.deadline.toISOString() },
        });
        await this.#insertOutbox(trx, id, later.notifications);
        return { kind: "scheduled", request: rowToRequest(row, approvals) };
      }
      if (approvals.length >= locked.approvals_required) {
        const row = await trx
          .updateTable("backup_requests")
          .set({ state: "approved", updated_at: atMs })
          .where("id", "=", id)
          .where("state", "=", "pending")
          .returningAll()
          .executeTakeFirst();
        // Unreachable while the row is locked; refuse to report a win that did not happen.
        if (!row) throw new Error(`request ${id} left pending under its own lock`);
        await this.#insertAudit(trx, id, atMs, { type: "approved", actor: userId, detail });
        await this.#insertOutbox(trx, id, notificationsIfApproved);
        return { kind: "approved", request: rowToRequest(row, approvals) };
      }
      const row = await trx
        .updateTable("backup_requests")
        .set({ updated_at: atMs })
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.#insertAudit(trx, id, atMs, { type: "approval", actor: userId, detail });
      return { kind: "recorded", request: rowToRequest(row, approvals) };
    });
  }

  async claimScheduled(owner: string, now: Date, leaseMs: number, limit: number): Promise<BackupRequest[]> {
    const count = Math.floor(limit);
    if (count <= 0) return [];
    const nowMs = toMs(now);
    const rows = await this.#write((trx) =>
      trx
        .updateTable("backup_requests")
        .set({ lease_owner: owner, lease_until: nowMs + Math.max(0, leaseMs) })
        .where("id", "in", (eb) =>
          eb
            .selectFrom("backup_requests as r")
            .select("r.id")
            .where("r.state", "=", "scheduled")
            .where("r.next_run_at", "<=", nowMs)
            .where((eb2) => eb2.or([eb2("r.lease_until", "is", null), eb2("r.lease_until", "<=", nowMs)]))
            .orderBy("r.next_run_at")
            .limit(count),
        )
        // Re-checked on the row: a concurrent claimer (another replica) that got there first keeps it.
        .where("state", "=", "scheduled")
        .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<=", nowMs)]))
        .returningAll()
        .execute(),
    );
    const requests = await Promise.all(rows.map((row) => this.#withApprovals(this.#db, row)));
    return requests.sort(
      (a, b) => (a.schedule?.startAt?.getTime() ?? 0) - (b.schedule?.startAt?.getTime() ?? 0),
    );
  }

  async recordScheduleCheck(
    id: string,
    owner: string,
    nextRunAt: Date,
    patch: RequestPatch,
    event?: AuditEvent,
    notifications: readonly Notification[] = [],
  ): Promise<BackupRequest | undefined> {
    const changes = patchToRow(patch);
    return this.#write(async (trx) => {
      const now = toMs(this.#clock());
      const row = await trx
        .updateTable("backup_requests")
        .set({
          ...changes,
          next_run_at: toMs(nextRunAt),
          lease_owner: null,
          lease_until: null,
          updated_at: now,
        })
        .where("id", "=", id)
        .where("state", "=", "scheduled")
        .where("lease_owner", "=", owner)
        .returningAll()
        .executeTakeFirst();
      if (!row) return undefined;
      if (event) await this.#insertAudit(trx, id, now, event);
      await this.#insertOutbox(trx, id, notifications);
      return this.#withApprovals(trx, row);
    });
  }

  async setCard(id: string, card: MessageRef): Promise<MessageRef | undefined> {
    const result = await this.#db
      .updateTable("backup_requests")
      .set({ card_channel: card.channel, card_ts: card.ts })
      .where("id", "=", id)
      .where("card_ts", "is", null)
      .executeTakeFirst();
    if (result.numUpdatedRows > 0n) return card;
    const stored = await this.get(id);
    if (!stored) this.#logger?.warn({ requestId: id }, "setCard: no such request");
    return stored?.card;
  }

  async setPreflight(
    id: string,
    preflight: Preflight,
    notifications: readonly Notification[] = [],
  ): Promise<boolean> {
    return this.#write(async (trx) => {
      const locked = await this.#lockRequest(trx, id);
      // A check made for a click that lost the race (a double click, another approver) is stale.
      if (locked?.state !== "pending") return false;
      await trx.updateTable("backup_requests").set(patchToRow({ preflight })).where("id", "=", id).execute();
      await this.#insertOutbox(trx, id, notifications);
      return true;
    });
  }

  async list(filter: RequestFilter): Promise<BackupRequest[]> {
    if (filter.states !== undefined && filter.states.length === 0) return [];
    const limit = Math.max(0, Math.min(MAX_LIST_LIMIT, Math.floor(filter.limit)));
    if (limit === 0) return [];
    let query = this.#db.selectFrom("backup_requests").selectAll();
    if (filter.instanceId !== undefined) query = query.where("instance_id", "=", filter.instanceId);
    if (filter.requesterId !== undefined) query = query.where("requester_id", "=", filter.requesterId);
    if (filter.states !== undefined) query = query.where("state", "in", filter.states);
    if (filter.expiresBefore !== undefined)
      query = query.where("expires_at", "<", toMs(filter.expiresBefore));
    const rows = await query.orderBy("created_at", "desc").orderBy("id", "desc").limit(limit).execute();
    if (rows.length === 0) return [];

    const approvalRows = await this.#db
      .selectFrom("approvals")
      .select(["request_id", "user_id", "at"])
      .where(
        "request_id",
        "in",
        rows.map((row) => row.id),
      )
      .orderBy("at")
      .orderBy("user_id")
      .execute();
    const byRequest = new Map<string, Approval[]>();
    for (const approval of approvalRows) {
      const list = byRequest.get(approval.request_id) ?? [];
      list.push(rowToApproval(approval, approval.request_id));
      byRequest.set(approval.request_id, list);
    }
    return rows.map((row) => rowToRequest(row, byRequest.get(row.id) ?? []));
  }

  async auditTrail(id: string): Promise<AuditRecord[]> {
    const rows = await this.#db
      .selectFrom("audit_events")
      .selectAll()
      .where("request_id", "=", id)
      .orderBy("id")
      .execute();
    return rows.map(rowToAudit);
  }

  async listRemindable(limit: number): Promise<ReminderCandidate[]> {
    const count = Math.max(0, Math.min(MAX_LIST_LIMIT, Math.floor(limit)));
    if (count === 0) return [];
    const rows = await this.#db
      .selectFrom("backup_requests")
      .selectAll()
      .where("state", "=", "pending")
      .where(
        (eb) =>
          eb
            .selectFrom("approval_reminders as r")
            .select((eb2) => eb2.fn.countAll<number>().as("sent"))
            .whereRef("r.request_id", "=", "backup_requests.id"),
        "<",
        REMINDER_KINDS.length,
      )
      .orderBy("expires_at")
      .orderBy("id")
      .limit(count)
      .execute();
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.id);
    const [approvalRows, reminderRows] = await Promise.all([
      this.#db
        .selectFrom("approvals")
        .select(["request_id", "user_id", "at"])
        .where("request_id", "in", ids)
        .orderBy("at")
        .orderBy("user_id")
        .execute(),
      this.#db
        .selectFrom("approval_reminders")
        .select(["request_id", "kind"])
        .where("request_id", "in", ids)
        .execute(),
    ]);
    const approvals = new Map<string, Approval[]>();
    for (const row of approvalRows) {
      approvals.set(row.request_id, [
        ...(approvals.get(row.request_id) ?? []),
        rowToApproval(row, row.request_id),
      ]);
    }
    const sent = new Map<string, ReminderKind[]>();
    for (const row of reminderRows) {
      const kind = REMINDER_KINDS.find((known) => known === row.kind);
      if (kind) sent.set(row.request_id, [...(sent.get(row.request_id) ?? []), kind]);
    }
    return rows.map((row) => ({
      request: rowToRequest(row, approvals.get(row.id) ?? []),
      sent: sent.get(row.id) ?? [],
    }));
  }

  async claimReminder(
    id: string,
    kind: ReminderKind,
    at: Date,
    event: AuditEvent,
    notifications: readonly Notification[],
  ): Promise<boolean> {
    const atMs = toMs(at);
    return this.#write(async (trx) => {
      // Under the request's lock: a decision cannot slip between the check and the insert.
      const locked = await this.#lockRequest(trx, id);
      if (locked?.state !== "pending") return false;
      const inserted = await trx
        .insertInto("approval_reminders")
        .values({ request_id: id, kind, at: atMs })
        .onConflict((oc) => oc.doNothing())
        .returning("kind")
        .executeTakeFirst();
      if (!inserted) return false;
      await this.#insertAudit(trx, id, atMs, event);
      await this.#insertOutbox(trx, id, notifications);
      return true;
    });
  }

  async enqueue(requestId: string, notifications: readonly Notification[]): Promise<void> {
    if (notifications.length === 0) return;
    await this.#write(async (trx) => {
      // Locked like a move, so this request's outbox ids commit in order (see the file comment).
      const locked = await this.#lockRequest(trx, requestId);
      if (!locked) throw new Error(`cannot enqueue notifications: no request ${requestId}`);
      await this.#insertOutbox(trx, requestId, notifications);
    });
  }

  async claimNotifications(owner: string, now: Date, leaseMs: number, limit: number): Promise<OutboxItem[]> {
    const count = Math.floor(limit);
    if (count <= 0) return [];
    const nowMs = toMs(now);
    const until = nowMs + Math.max(0, leaseMs);
    // Claimable: undelivered, due, and not under a live lease (anyone's, the caller's included:
    // a live lease means a delivery may be in flight, and a second one would post twice).
    const claimable = sql<boolean>`delivered_at is null
      and (next_attempt_at is null or next_attempt_at <= ${nowMs})
      and (lease_until is null or lease_until <= ${nowMs})`;
    const rows = await this.#write((trx) =>
      trx
        .updateTable("outbox")
        .set({ lease_owner: owner, lease_until: until })
        .where("id", "in", (eb) =>
          eb
            .selectFrom("outbox as o")
            .select("o.id")
            .where("o.delivered_at", "is", null)
            .where((eb2) =>
              eb2.or([eb2("o.next_attempt_at", "is", null), eb2("o.next_attempt_at", "<=", nowMs)]),
            )
            .where((eb2) => eb2.or([eb2("o.lease_until", "is", null), eb2("o.lease_until", "<=", nowMs)]))
            // Only the oldest undelivered item of its destination within the request may go.
            .where("o.id", "=", (eb2) =>
              eb2
                .selectFrom("outbox as h")
                .select((eb3) => eb3.fn.min("h.id").as("head"))
                .whereRef("h.request_id", "=", "o.request_id")
                .whereRef("h.destination", "=", "o.destination")
                .where("h.delivered_at", "is", null),
            )
            .orderBy("o.id")
            .limit(count),
        )
        // Re-checked on the row itself: a concurrent claimer that got there first wins.
        .where(claimable)
        .returning(["id", "request_id", "notification", "attempts"])
        .execute(),
    );
    return rows.map(rowToOutboxItem).sort((a, b) => a.id - b.id);
  }

  async markDelivered(itemId: number, owner: string): Promise<void> {
    const result = await this.#db
      .updateTable("outbox")
      .set({ delivered_at: toMs(this.#clock()), lease_until: null })
      .where("id", "=", itemId)
      .where("lease_owner", "=", owner)
      .where("delivered_at", "is", null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) {
      this.#logger?.warn({ itemId, owner }, "markDelivered ignored: not this owner's lease any more");
    }
  }

  async markFailed(itemId: number, owner: string, retryAt: Date, error: string): Promise<void> {
    const result = await this.#db
      .updateTable("outbox")
      .set((eb) => ({
        attempts: eb("attempts", "+", 1),
        next_attempt_at: toMs(retryAt),
        last_error: error.slice(0, MAX_ERROR_LENGTH),
        lease_owner: null,
        lease_until: null,
      }))
      .where("id", "=", itemId)
      .where("lease_owner", "=", owner)
      .where("delivered_at", "is", null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) {
      this.#logger?.warn({ itemId, owner }, "markFailed ignored: not this owner's lease any more");
    }
  }

  async setAside(itemId: number, owner: string, error: string): Promise<void> {
    const now = toMs(this.#clock());
    const result = await this.#db
      .updateTable("outbox")
      .set((eb) => ({
        attempts: eb("attempts", "+", 1),
        // Out of the outbox like a delivered item (no claim or readiness probe sees it again).
        delivered_at: now,
        set_aside_at: now,
        last_error: error.slice(0, MAX_ERROR_LENGTH),
        lease_owner: null,
        lease_until: null,
      }))
      .where("id", "=", itemId)
      .where("lease_owner", "=", owner)
      .where("delivered_at", "is", null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) {
      this.#logger?.warn({ itemId, owner }, "setAside ignored: not this owner's lease any more");
    }
  }

  async releaseSetAside(
    channel: string,
    approvalChannelId: string,
    whenCardReleased: readonly Notification[],
    codes: readonly string[],
  ): Promise<ReleasedNotifications[]> {
    if (codes.length === 0) return [];
    // `setAside` records "code: message"; only the codes given are fixed by being able to post.
    const forCodes = (eb: ExpressionBuilder<Database, "outbox">) =>
      eb.or(codes.map((code) => eb("last_error", "like", `${code}:%`)));
    return this.#write(async (trx) => {
      // The requests concerned, locked like a move locks them (so none ends while we write).
      const query = trx
        .selectFrom("backup_requests as r")
        .select(["r.id", "r.card_ts"])
        .where("r.state", "in", LIVE_STATES)
        // Its card is in that channel or, never posted, is meant for it.
        .where((eb) =>
          channel === approvalChannelId
            ? eb.or([eb("r.card_channel", "=", channel), eb("r.card_channel", "is", null)])
            : eb("r.card_channel", "=", channel),
        )
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom("outbox as o")
              .select("o.id")
              .whereRef("o.request_id", "=", "r.id")
              .where("o.destination", "=", "approval")
              .where("o.set_aside_at", "is not", null)
              .where((inner) => inner.or(codes.map((code) => inner("o.last_error", "like", `${code}:%`)))),
          ),
        )
        .orderBy("r.id");
      const requests = await (this.#dialect === "postgres" ? query.forUpdate("r") : query).execute();
      if (requests.length === 0) return [];
      const ids = requests.map((r) => r.id);
      // Re-checked on each row: an item another releaser took back already is not set aside any more.
      const rows = await trx
        .updateTable("outbox")
        .set({
          delivered_at: null,
          set_aside_at: null,
          attempts: 0,
          next_attempt_at: null,
          lease_owner: null,
          lease_until: null,
        })
        .where("request_id", "in", ids)
        .where("destination", "=", "approval")
        .where("set_aside_at", "is not", null)
        .where(forCodes)
        .returning(["id", "request_id", "notification"])
        .execute();
      const released = new Map<string, ReleasedNotifications>();
      for (const row of rows) {
        const entry = released.get(row.request_id) ?? { requestId: row.request_id, count: 0, card: false };
        entry.count += 1;
        const unposted = requests.find((r) => r.id === row.request_id)?.card_ts === null;
        if (unposted && rowToOutboxItem({ ...row, attempts: 0 }).notification.kind === "card")
          entry.card = true;
        released.set(row.request_id, entry);
      }
      for (const entry of released.values()) {
        if (entry.card) await this.#insertOutbox(trx, entry.requestId, whenCardReleased);
      }
      return [...released.values()].sort((a, b) => a.requestId.localeCompare(b.requestId));
    });
  }

  async outboxEmpty(): Promise<boolean> {
    const row = await this.#db
      .selectFrom("outbox")
      .select("id")
      .where("delivered_at", "is", null)
      .limit(1)
      .executeTakeFirst();
    return row === undefined;
  }

  close(): Promise<void> {
    this.#closed ??= this.#db.destroy();
    return this.#closed;
  }

  // ─── helpers ──────────────────────────────────────────────────────────────────────────────────

  /**
   * A write transaction: BEGIN IMMEDIATE on SQLite, READ COMMITTED on PostgreSQL. Audit events
   * written in it are logged (one structured line each) only once it has committed.
   */
  async #write<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    const audits: AuditLine[] = [];
    const result = await this.#db.transaction().execute((trx) => {
      this.#auditsOf.set(trx, audits);
      return fn(trx);
    });
    for (const audit of audits) {
      this.#logger?.info(
        { audit: audit.type, requestId: audit.requestId, actor: audit.actor, ...audit.detail },
        "audit",
      );
    }
    return result;
  }

  /** Reads the request row and keeps other writers off it until the transaction ends. */
  #lockRequest(trx: Transaction<Database>, id: string): Promise<RequestRow | undefined> {
    const query = trx.selectFrom("backup_requests").selectAll().where("id", "=", id);
    // SQLite has no row locks (and no FOR UPDATE): BEGIN IMMEDIATE already holds the write lock.
    return (this.#dialect === "postgres" ? query.forUpdate() : query).executeTakeFirst();
  }

  async #approvalsOf(db: Db, id: string): Promise<Approval[]> {
    const rows = await db
      .selectFrom("approvals")
      .select(["user_id", "at"])
      .where("request_id", "=", id)
      .orderBy("at")
      .orderBy("user_id")
      .execute();
    return rows.map((row) => rowToApproval(row, id));
  }

  async #withApprovals(db: Db, row: RequestRow): Promise<BackupRequest> {
    return rowToRequest(row, await this.#approvalsOf(db, row.id));
  }

  async #insertAudit(
    trx: Transaction<Database>,
    requestId: string,
    at: number,
    event: AuditEvent,
  ): Promise<void> {
    this.#auditsOf.get(trx)?.push({ requestId, ...event });
    await trx
      .insertInto("audit_events")
      .values({
        request_id: requestId,
        at,
        type: event.type,
        actor: event.actor,
        detail: auditDetailToText(event),
      })
      .execute();
  }

  /** Inserts in the given order; a dedupe key this request already has is skipped silently. */
  async #insertOutbox(
    trx: Transaction<Database>,
    requestId: string,
    notifications: readonly Notification[],
  ): Promise<void> {
    if (notifications.length === 0) return;
    const createdAt = toMs(this.#clock());
    await trx
      .insertInto("outbox")
      .values(
        notifications.map((notification) => ({
          request_id: requestId,
          dedupe_key: notification.dedupeKey ?? null,
          notification: notificationToText(notification),
          destination: deliveryLane(notification),
          next_attempt_at: null,
          created_at: createdAt,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}
