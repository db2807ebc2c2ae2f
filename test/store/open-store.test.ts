import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Sqlite from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { MIGRATIONS } from "../../src/store/migrations.js";
import { dialectOf, openStore, redactDatabaseUrl } from "../../src/store/open-store.js";
import { minimalRequest } from "./harness.js";

describe("openStore", () => {
  const dir = mkdtempSync(join(tmpdir(), "rdsbot-open-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("picks the dialect from the URL", () => {
    expect(dialectOf("postgres://u@h/db")).toBe("postgres");
    expect(dialectOf("PostgreSQL://u@h/db")).toBe("postgres");
    expect(dialectOf("./data/rds-backup-bot.sqlite")).toBe("sqlite");
    expect(dialectOf(":memory:")).toBe("sqlite");
    expect(dialectOf("/var/lib/postgres.sqlite")).toBe("sqlite");
  });

  it("redacts passwords", () => {
    expect(redactDatabaseUrl("postgres://bot:s3cr%40t@db.internal:5432/bot")).toBe(
      "postgres://bot:***@db.internal:5432/bot",
    );
    expect(redactDatabaseUrl("postgres://bot@db/bot?sslmode=require&password=hunter2")).toBe(
      "postgres://bot@db/bot?sslmode=require&password=***",
    );
    expect(redactDatabaseUrl("postgres://bot@db/bot")).toBe("postgres://bot@db/bot");
    expect(redactDatabaseUrl("./data/bot.sqlite")).toBe("./data/bot.sqlite");
    expect(redactDatabaseUrl("postgres://bot:hunter2@[bad")).not.toContain("hunter2");
  });

  it("keeps the password out of a connection error", async () => {
    const error = await openStore("postgres://bot:hunter2-secret@127.0.0.1:1/bot").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message)).toContain("postgres://bot:***@127.0.0.1:1/bot");
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain("hunter2");
    await expect(openStore("postgres://bot:hunter2@[bad/x")).rejects.toThrow(/not a valid URL/);
    await expect(openStore("postgres://bot:hunter2@[bad/x")).rejects.not.toThrow(/hunter2/);
  });

  it("creates the SQLite file's directory, in WAL mode", async () => {
    const file = join(dir, "nested", "deeper", "bot.sqlite");
    const store = await openStore(file);
    await store.migrate();
    await store.close();
    expect(existsSync(file)).toBe(true);
    const db = new Sqlite(file, { readonly: true });
    try {
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    } finally {
      db.close();
    }
  });

  it("works in memory, and close is idempotent", async () => {
    const store = await openStore(":memory:");
    await store.migrate();
    const request = minimalRequest();
    await store.create(request, { type: "requested", actor: request.requesterId }, [{ kind: "card" }]);
    expect(await store.get(request.id)).toEqual(request);
    await store.close();
    await store.close();
  });

  it("logs where it opened, without the password", async () => {
    const lines: unknown[] = [];
    const log = (obj: object, msg?: string) => lines.push({ ...obj, msg });
    const logger = { debug: log, info: log, warn: log, error: log };
    const store = await openStore(":memory:", { logger });
    await store.migrate();
    await store.close();
    expect(lines).toContainEqual({ database: ":memory:", msg: "store opened (SQLite)" });
    expect(lines).toContainEqual({ migrations: MIGRATIONS.map((m) => m.name), msg: "database migrated" });
  });
});
