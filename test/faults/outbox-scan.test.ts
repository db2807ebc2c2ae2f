/**
 * The dispatcher claims due notifications many times a second. On SQLite (synchronous: a slow query
 * blocks every ack) that claim must read undelivered rows through an index, not walk the whole
 * outbox, whose delivered rows pile up with every message ever sent. Checked on the real query the
 * store issues, with SQLite's own query plan (no timing).
 */
import Sqlite from "better-sqlite3";
import { type CompiledQuery, Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { KyselyRequestStore } from "../../src/store/kysely-store.js";
import type { Database } from "../../src/store/schema.js";
import { ImmediateSqliteDialect } from "../../src/store/sqlite-dialect.js";

let database: Sqlite.Database | undefined;
afterEach(() => {
  database?.close();
  database = undefined;
});

describe("outbox claim on SQLite", () => {
  it("finds due notifications through an index, never by scanning the table", async () => {
    const sqlite = new Sqlite(":memory:");
    database = sqlite;
    const queries: CompiledQuery[] = [];
    const db = new Kysely<Database>({
      dialect: new ImmediateSqliteDialect({ database: sqlite }),
      log: (event) => {
        if (event.level === "query") queries.push(event.query);
      },
    });
    const store = new KyselyRequestStore(db, "sqlite");
    await store.migrate();
    queries.length = 0;
    await store.claimNotifications("owner", new Date(), 30_000, 20);

    const claim = queries.find((query) => /^update "outbox"/i.test(query.sql));
    expect(claim, "the claim's UPDATE").toBeDefined();
    if (!claim) return;
    const plan = sqlite
      .prepare(`explain query plan ${claim.sql}`)
      .all(...(claim.parameters as unknown[])) as { detail: string }[];
    const details = plan.map((row) => row.detail);
    // "SCAN o" (or "SCAN outbox") without "USING … INDEX" reads every row ever written.
    expect(details.filter((detail) => /^SCAN \w+$/.test(detail))).toEqual([]);
  });
});
