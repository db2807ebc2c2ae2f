/**
 * Migration 005 (the start record): a request an older version left `approved` may have had its
 * CreateBackup call made already, so it counts one call and is never called blindly afterwards.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Sqlite from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store.js";
import { minimalRequest } from "./harness.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("migration 005_start_record", () => {
  it("counts one CreateBackup call for every request an older version left approved", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rdsbot-m005-"));
    dirs.push(dir);
    const file = join(dir, "bot.sqlite");
    const store = await openStore(file);
    await store.migrate();
    const approved = minimalRequest();
    const pending = minimalRequest();
    for (const request of [approved, pending])
      await store.create(request, { type: "requested", actor: "U" }, []);
    await store.addApproval(approved.id, "U_A", new Date(), []);
    await store.close();

    // Back to the schema before 005, as an older version had it: later migrations undone first.
    const raw = new Sqlite(file);
    raw.exec("drop table home_views");
    raw.exec("drop index backup_requests_updated");
    raw.exec("drop table approval_reminders");
    raw.exec("alter table backup_requests drop column request_reason");
    raw.exec("drop index backup_requests_due");
    for (const column of ["schedule", "next_run_at"]) {
      raw.exec(`alter table backup_requests drop column ${column}`);
    }
    for (const column of ["create_calls", "start_record", "lease_owner", "lease_until"]) {
      raw.exec(`alter table backup_requests drop column ${column}`);
    }
    raw.exec("alter table backup_watches drop column settling_since");
    raw.exec("drop index outbox_destination_pending");
    for (const column of ["destination", "set_aside_at"])
      raw.exec(`alter table outbox drop column ${column}`);
    raw.exec("delete from kysely_migration where name >= '005'");
    raw.close();

    const upgraded = await openStore(file);
    await upgraded.migrate();
    expect((await upgraded.get(approved.id))?.createCalls).toBe(1);
    expect((await upgraded.get(pending.id))?.createCalls).toBeUndefined();
    await upgraded.close();
  });
});
