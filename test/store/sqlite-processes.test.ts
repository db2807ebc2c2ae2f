/**
 * Several processes on one SQLite file (an operator running two copies by mistake, a CLI next to
 * the bot): migrations and approvals stay exactly-once, and a process waits for another's write
 * lock (busy_timeout) instead of failing. Real child processes, because two handles in one thread
 * cannot wait for each other.
 */

import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import Sqlite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS } from "../../src/store/migrations.js";
import { openStore } from "../../src/store/open-store.js";
import { minimalRequest } from "./harness.js";

const WORKER = fileURLToPath(new URL("./fixtures/sqlite-worker.ts", import.meta.url));
const WORKERS = 4;

interface Worker {
  child: ChildProcessWithoutNullStreams;
  ready: Promise<void>;
  result: Promise<unknown>;
}

function startWorker(args: string[]): Worker {
  const child = spawn(process.execPath, ["--import", "tsx", WORKER, ...args], { stdio: "pipe" });
  const lines = createInterface({ input: child.stdout });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const result = new Promise<unknown>((resolve, reject) => {
    let last: unknown;
    lines.on("line", (line) => {
      if (line === "ready") markReady();
      else last = JSON.parse(line);
    });
    child.on("close", (code) => {
      if (code === 0) resolve(last);
      else reject(new Error(`worker exited with ${String(code)}: ${stderr}`));
    });
  });
  // A worker that dies before `ready` must not leave the test waiting.
  result.catch(() => markReady());
  return { child, ready, result };
}

async function runTogether(argsList: string[][]): Promise<unknown[]> {
  const workers = argsList.map(startWorker);
  await Promise.all(workers.map((worker) => worker.ready));
  for (const worker of workers) worker.child.stdin.write("go\n");
  return Promise.all(workers.map((worker) => worker.result));
}

describe("SQLite shared by several processes", () => {
  let dir = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "rdsbot-procs-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("applies each migration once when processes start together", async () => {
    const file = join(dir, "migrate", "bot.sqlite");
    const results = await runTogether(Array.from({ length: WORKERS }, () => ["migrate", file]));
    expect(results).toEqual(Array.from({ length: WORKERS }, () => ({ migrated: true })));
    const db = new Sqlite(file, { readonly: true });
    try {
      expect(db.prepare("select name from kysely_migration").all()).toEqual(
        MIGRATIONS.map((m) => ({ name: m.name })),
      );
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    } finally {
      db.close();
    }
  }, 60_000);

  it("gives exactly one process `approved`", async () => {
    const file = join(dir, "approve", "bot.sqlite");
    const single = minimalRequest({ approvalsRequired: 1 });
    const double = minimalRequest({ approvalsRequired: 2 });
    const store = await openStore(file);
    try {
      await store.migrate();
      await store.create(single, { type: "requested", actor: single.requesterId }, []);
      await store.create(double, { type: "requested", actor: double.requesterId }, []);
    } finally {
      await store.close();
    }

    const results = (await runTogether(
      Array.from({ length: WORKERS }, (_, i) => ["approve", file, `U_${i}`, single.id, double.id]),
    )) as { kinds: string[] }[];
    const count = (index: number) => {
      const counts: Record<string, number> = {};
      for (const { kinds } of results) {
        const kind = kinds[index] ?? "missing";
        counts[kind] = (counts[kind] ?? 0) + 1;
      }
      return counts;
    };
    expect(count(0)).toEqual({ approved: 1, not_pending: WORKERS - 1 });
    expect(count(1)).toEqual({ approved: 1, recorded: 1, not_pending: WORKERS - 2 });

    const reopened = await openStore(file);
    try {
      expect((await reopened.get(double.id))?.approvals).toHaveLength(2);
      expect((await reopened.auditTrail(single.id)).map((event) => event.type)).toEqual([
        "requested",
        "approved",
      ]);
    } finally {
      await reopened.close();
    }
  }, 60_000);
});
