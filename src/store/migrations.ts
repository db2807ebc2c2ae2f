/**
 * The schema's history, in code (no files are read at run time, so the compiled `dist/` works).
 *
 * To change the schema, append a migration to `MIGRATIONS` with the next number
 * (`002_backup_watches`, …) and never edit one that has shipped. Kysely's `Migrator` runs them in
 * name order, each once, recorded in `kysely_migration`.
 *
 * Concurrency: on PostgreSQL the migrator holds a session advisory lock and runs the pending
 * migrations in one transaction, so replicas starting together apply each migration once. On
 * SQLite the store's dialect opens every transaction with `BEGIN IMMEDIATE` and declares DDL
 * transactional (src/store/sqlite-dialect.ts), so a second process waits for the first one's
 * migrations (busy_timeout) and then finds nothing left to do.
 */
import {
  type CreateTableBuilder,
  type Kysely,
  type Migration,
  type MigrationProvider,
  Migrator,
  sql,
} from "kysely";
import type { SqlDialect } from "./schema.js";

export interface StoreMigration {
  /** Sorted by name: keep the zero-padded number prefix. */
  name: string;
  // The schema at migration time is not the current `Database` type, so migrations are untyped.
  up(db: Kysely<unknown>, dialect: SqlDialect): Promise<void>;
}

/** An auto-incrementing integer primary key, in each dialect's own spelling. */
function withIdColumn<N extends string>(
  table: CreateTableBuilder<N, never>,
  dialect: SqlDialect,
): CreateTableBuilder<N, "id"> {
  return dialect === "postgres"
    ? table.addColumn("id", "bigint", (col) => col.primaryKey().generatedByDefaultAsIdentity())
    : table.addColumn("id", "integer", (col) => col.primaryKey().autoIncrement());
}

const initial: StoreMigration = {
  name: "001_initial",
  async up(db, dialect) {
    await db.schema
      .createTable("backup_requests")
      .addColumn("id", "text", (col) => col.primaryKey())
      .addColumn("state", "text", (col) => col.notNull())
      .addColumn("instance_id", "text", (col) => col.notNull())
      .addColumn("params", "text", (col) => col.notNull())
      .addColumn("instance", "text", (col) => col.notNull())
      .addColumn("requester_id", "text", (col) => col.notNull())
      .addColumn("locale", "text", (col) => col.notNull())
      .addColumn("origin_channel_id", "text")
      .addColumn("approvals_required", "integer", (col) => col.notNull())
      .addColumn("allow_self_approval", "integer", (col) => col.notNull())
      .addColumn("decided_by", "text")
      .addColumn("decided_at", "bigint")
      .addColumn("reason", "text")
      .addColumn("card_channel", "text")
      .addColumn("card_ts", "text")
      .addColumn("backup_job_id", "text")
      .addColumn("api_request_id", "text")
      .addColumn("submitted_at", "bigint")
      .addColumn("error", "text")
      .addColumn("created_at", "bigint", (col) => col.notNull())
      .addColumn("updated_at", "bigint", (col) => col.notNull())
      .addColumn("expires_at", "bigint", (col) => col.notNull())
      .execute();
    await db.schema
      .createIndex("backup_requests_backup_job_id")
      .on("backup_requests")
      .column("backup_job_id")
      .execute();
    await db.schema
      .createIndex("backup_requests_state_expires")
      .on("backup_requests")
      .columns(["state", "expires_at"])
      .execute();
    await db.schema
      .createIndex("backup_requests_created")
      .on("backup_requests")
      .column("created_at")
      .execute();
    await db.schema
      .createIndex("backup_requests_requester")
      .on("backup_requests")
      .columns(["requester_id", "created_at"])
      .execute();
    await db.schema
      .createIndex("backup_requests_instance")
      .on("backup_requests")
      .columns(["instance_id", "created_at"])
      .execute();

    await db.schema
      .createTable("approvals")
      .addColumn("request_id", "text", (col) =>
        col.notNull().references("backup_requests.id").onDelete("cascade"),
      )
      .addColumn("user_id", "text", (col) => col.notNull())
      .addColumn("at", "bigint", (col) => col.notNull())
      .addPrimaryKeyConstraint("approvals_pk", ["request_id", "user_id"])
      .execute();

    await withIdColumn(db.schema.createTable("audit_events"), dialect)
      .addColumn("request_id", "text", (col) =>
        col.notNull().references("backup_requests.id").onDelete("cascade"),
      )
      .addColumn("at", "bigint", (col) => col.notNull())
      .addColumn("type", "text", (col) => col.notNull())
      .addColumn("actor", "text", (col) => col.notNull())
      .addColumn("detail", "text")
      .execute();
    await db.schema
      .createIndex("audit_events_request")
      .on("audit_events")
      .columns(["request_id", "id"])
      .execute();

    await withIdColumn(db.schema.createTable("outbox"), dialect)
      .addColumn("request_id", "text", (col) =>
        col.notNull().references("backup_requests.id").onDelete("cascade"),
      )
      .addColumn("dedupe_key", "text")
      .addColumn("notification", "text", (col) => col.notNull())
      .addColumn("attempts", "integer", (col) => col.notNull().defaultTo(0))
      .addColumn("next_attempt_at", "bigint")
      .addColumn("lease_owner", "text")
      .addColumn("lease_until", "bigint")
      .addColumn("delivered_at", "bigint")
      .addColumn("last_error", "text")
      .addColumn("created_at", "bigint", (col) => col.notNull())
      .execute();
    await db.schema
      .createIndex("outbox_dedupe")
      .on("outbox")
      .columns(["request_id", "dedupe_key"])
      .unique()
      .where(sql.ref("dedupe_key"), "is not", null)
      .execute();
    // The dispatcher's scan: undelivered items, by request, oldest first.
    await db.schema
      .createIndex("outbox_undelivered")
      .on("outbox")
      .columns(["request_id", "id"])
      .where(sql.ref("delivered_at"), "is", null)
      .execute();
  },
};

/** Backup jobs followed until they finish; a lease keeps each with one watcher across replicas. */
const backupWatches: StoreMigration = {
  name: "002_backup_watches",
  async up(db) {
    await db.schema
      .createTable("backup_watches")
      .addColumn("request_id", "text", (col) =>
        col.primaryKey().references("backup_requests.id").onDelete("cascade"),
      )
      .addColumn("instance_id", "text", (col) => col.notNull())
      .addColumn("region_id", "text", (col) => col.notNull())
      .addColumn("backup_job_id", "text", (col) => col.notNull())
      .addColumn("started_at", "bigint", (col) => col.notNull())
      .addColumn("next_check_at", "bigint", (col) => col.notNull())
      .addColumn("deadline_at", "bigint", (col) => col.notNull())
      .addColumn("checks", "integer", (col) => col.notNull().defaultTo(0))
      .addColumn("last_status", "text")
      .addColumn("last_progress", "integer")
      .addColumn("last_note_at", "bigint")
      .addColumn("lease_owner", "text")
      .addColumn("lease_until", "bigint")
      .execute();
    await db.schema.createIndex("backup_watches_due").on("backup_watches").column("next_check_at").execute();
  },
};

/** The last pre-flight check of a request (JSON), shown on its card. */
const preflight: StoreMigration = {
  name: "003_preflight",
  async up(db) {
    await db.schema.alterTable("backup_requests").addColumn("preflight", "text").execute();
  },
};

/**
 * The dispatcher claims the oldest undelivered items (`ORDER BY id LIMIT n`). Without an index on
 * undelivered ids, SQLite walks the whole outbox in id order, delivered rows included: a scan that
 * grows with every message ever sent and blocks the event loop (better-sqlite3 is synchronous).
 */
const outboxPending: StoreMigration = {
  name: "004_outbox_pending",
  async up(db) {
    await db.schema
      .createIndex("outbox_pending")
      .on("outbox")
      .column("id")
      .where(sql.ref("delivered_at"), "is", null)
      .execute();
  },
};

/**
 * Starting a backup safely (src/backup/start-backup.ts): the CreateBackup calls made for each
 * request (at most 3, counted before each call), the start record (JSON: unclear answers, retries,
 * what a person was shown) and a lease, so one process at a time carries an approved request to its
 * outcome; and, on watches, since when a job's end is awaited from the listings. A request an older
 * version left `approved` counts one call: one may have gone out, so it is never called blindly.
 */
const startRecord: StoreMigration = {
  name: "005_start_record",
  async up(db) {
    // One column per statement: SQLite's ALTER TABLE adds one at a time.
    await db.schema
      .alterTable("backup_requests")
      .addColumn("create_calls", "integer", (col) => col.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable("backup_requests").addColumn("start_record", "text").execute();
    await db.schema.alterTable("backup_requests").addColumn("lease_owner", "text").execute();
    await db.schema.alterTable("backup_requests").addColumn("lease_until", "bigint").execute();
    await sql`update backup_requests set create_calls = 1 where state = 'approved'`.execute(db);
    await db.schema.alterTable("backup_watches").addColumn("settling_since", "bigint").execute();
  },
};

/**
 * The outbox keeps order per destination of a request (card and thread, requester, each
 * notification channel) instead of per request, so a message Slack refuses holds up no other place;
 * and a message Slack refuses for good can be set aside. Undelivered rows get their destination
 * from the notification they carry (few rows: the outbox is drained continuously).
 */
/** `deliveryLane` (src/backup/ports.ts) as it was when this migration was written, frozen with it. */
function laneOf(notification: { kind?: unknown; channel?: unknown }): string {
  if (notification.kind === "summary") return `channel:${String(notification.channel)}`;
  return notification.kind === "requester" ? "requester" : "approval";
}

const outboxDestinations: StoreMigration = {
  name: "007_outbox_destinations",
  async up(db) {
    await db.schema.alterTable("outbox").addColumn("destination", "text").execute();
    await db.schema.alterTable("outbox").addColumn("set_aside_at", "bigint").execute();
    const pending = await sql<{ id: number | string; notification: string }>`
      select id, notification from outbox where delivered_at is null`.execute(db);
    for (const row of pending.rows) {
      const destination = laneOf(JSON.parse(row.notification) as { kind?: unknown; channel?: unknown });
      await sql`update outbox set destination = ${destination} where id = ${Number(row.id)}`.execute(db);
    }
    // The dispatcher's scan: undelivered items, by request and destination, oldest first.
    await db.schema
      .createIndex("outbox_destination_pending")
      .on("outbox")
      .columns(["request_id", "destination", "id"])
      .where(sql.ref("delivered_at"), "is", null)
      .execute();
  },
};

/**
 * Backups at the right time (src/domain/schedule.ts): each request's schedule (JSON: the time
 * asked for, the policy window, the run plan) and, while it is `scheduled`, when it is next due;
 * the runner's scan (due scheduled requests, by time) has its own index.
 */
const scheduledRuns: StoreMigration = {
  name: "009_scheduled_runs",
  async up(db) {
    await db.schema.alterTable("backup_requests").addColumn("schedule", "text").execute();
    await db.schema.alterTable("backup_requests").addColumn("next_run_at", "bigint").execute();
    await db.schema
      .createIndex("backup_requests_due")
      .on("backup_requests")
      .columns(["state", "next_run_at"])
      .execute();
  },
};

/** Why the requester wants the backup (src/domain/reason.ts): free text, absent when not given. */
const requestReason: StoreMigration = {
  name: "010_request_reason",
  async up(db) {
    await db.schema.alterTable("backup_requests").addColumn("request_reason", "text").execute();
  },
};

/**
 * Reminders of pending requests (src/domain/reminders.ts): one row per reminder sent, keyed by the
 * request and the reminder's kind, so "send it once" is a conditional insert (`on conflict do
 * nothing`) that exactly one replica wins, across restarts too.
 */
const approvalReminders: StoreMigration = {
  name: "011_approval_reminders",
  async up(db) {
    await db.schema
      .createTable("approval_reminders")
      .addColumn("request_id", "text", (col) =>
        col.notNull().references("backup_requests.id").onDelete("cascade"),
      )
      .addColumn("kind", "text", (col) => col.notNull())
      .addColumn("at", "bigint", (col) => col.notNull())
      .addPrimaryKeyConstraint("approval_reminders_pk", ["request_id", "kind"])
      .execute();
  },
};

/**
 * The Home tab (src/backup/home.ts): who opened it, in which language, and what they were last
 * shown; the refresher's question "did any request change since?" reads `updated_at`, indexed.
 */
const homeViews: StoreMigration = {
  name: "012_home_views",
  async up(db) {
    await db.schema
      .createTable("home_views")
      .addColumn("user_id", "text", (col) => col.primaryKey())
      .addColumn("locale", "text", (col) => col.notNull())
      .addColumn("opened_at", "bigint", (col) => col.notNull())
      .addColumn("published_at", "bigint")
      .addColumn("data_hash", "text")
      .addColumn("lease_owner", "text")
      .addColumn("lease_until", "bigint")
      .execute();
    await db.schema
      .createIndex("backup_requests_updated")
      .on("backup_requests")
      .column("updated_at")
      .execute();
  },
};

/** Every migration, oldest first. Append only. */
export const MIGRATIONS: readonly StoreMigration[] = [
  initial,
  backupWatches,
  preflight,
  outboxPending,
  startRecord,
  outboxDestinations,
  scheduledRuns,
  requestReason,
  approvalReminders,
  homeViews,
];

export function migrationProvider(
  dialect: SqlDialect,
  migrations: readonly StoreMigration[] = MIGRATIONS,
): MigrationProvider {
  return {
    async getMigrations() {
      const named: Record<string, Migration> = {};
      for (const migration of migrations) {
        if (named[migration.name]) throw new Error(`duplicate migration name ${migration.name}`);
        named[migration.name] = { up: (db) => migration.up(db, dialect) };
      }
      return named;
    },
  };
}

/** Brings the schema up to date; throws (naming the failed migration) when one fails. */
export async function migrateToLatest(
  // biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema type
  db: Kysely<any>,
  dialect: SqlDialect,
  migrations: readonly StoreMigration[] = MIGRATIONS,
): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider(dialect, migrations) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === "Error");
  if (error !== undefined || failed) {
    const name = failed ? ` (${failed.migrationName})` : "";
    const reason = error instanceof Error ? error.message : String(error ?? "unknown error");
    throw new Error(`database migration failed${name}: ${reason}`, { cause: error });
  }
  return (results ?? [])
    .filter((result) => result.status === "Success")
    .map((result) => result.migrationName);
}
