/**
 * Migration 007 gives the outbox a destination per item. Items still waiting when the bot is
 * upgraded get theirs from the notification they carry, so after the upgrade they go out as new
 * ones do: in order within their destination, without waiting for the others.
 */
import Sqlite from "better-sqlite3";
import { Kysely, sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import type { Notification } from "../../src/backup/ports.js";
import { KyselyRequestStore } from "../../src/store/kysely-store.js";
import { requestToRow } from "../../src/store/mapping.js";
import { MIGRATIONS } from "../../src/store/migrations.js";
import type { Database } from "../../src/store/schema.js";
import { ImmediateSqliteDialect } from "../../src/store/sqlite-dialect.js";
import { at, minimalRequest } from "./harness.js";

let database: Sqlite.Database | undefined;
afterEach(() => {
  database?.close();
  database = undefined;
});

const BEFORE_007 = MIGRATIONS.filter((migration) => migration.name < "007");

describe("migration 007 (outbox destinations)", () => {
  it("gives waiting items their destination, so they go out per destination after the upgrade", async () => {
    const sqlite = new Sqlite(":memory:");
    database = sqlite;
    const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
    const before = new KyselyRequestStore(db, "sqlite", { migrations: BEFORE_007 });
    await before.migrate();
    const request = minimalRequest();
    // The request's row as the schema before 007 holds it (later migrations add columns it lacks).
    const columns = new Set(
      (sqlite.prepare("pragma table_info(backup_requests)").all() as { name: string }[]).map((c) => c.name),
    );
    const row = Object.fromEntries(
      Object.entries(requestToRow(request)).filter(([column]) => columns.has(column)),
    );
    await db
      .insertInto("backup_requests")
      .values(row as never)
      .execute();
    const waiting: Notification[] = [
      { kind: "card" },
      { kind: "requester", event: { type: "filed" } },
      { kind: "thread", event: { type: "approved", by: "U_A" } },
      { kind: "summary", channel: "C0LOG", event: { type: "expired" } },
    ];
    for (const notification of waiting) {
      await sql`insert into outbox (request_id, notification, created_at)
        values (${request.id}, ${JSON.stringify(notification)}, ${at(1).getTime()})`.execute(db);
    }

    const after = new KyselyRequestStore(db, "sqlite");
    await after.migrate();
    const rows = await sql<{ destination: string }>`select destination from outbox order by id`.execute(db);
    expect(rows.rows.map((row) => row.destination)).toEqual([
      "approval",
      "requester",
      "approval",
      "channel:C0LOG",
    ]);
    const claimed = await after.claimNotifications("w1", at(2), 30_000, 10);
    expect(claimed.map((item) => item.notification.kind)).toEqual(["card", "requester", "summary"]);
  });
});
