/**
 * What a real Slack workspace does that a kind emulator would not: command text that arrives
 * escaped, clicks that are never redelivered, a deadline measured at Slack, stale view hashes,
 * and more databases than a static select holds (issue 14).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SEED } from "../../src/sandbox/rds-emulator.js";
import { actionIdIn, commandReply, type Harness, openModalFor, startHarness, USERS } from "./harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe("command text arrives escaped", () => {
  it("is unescaped once, so an echo is escaped once, not twice", async () => {
    const unknown = await commandReply(h, USERS.requester, "<oops>");
    expect(unknown).toContain('"&lt;oops&gt;" is not a command I know');
    expect(unknown).not.toContain("&amp;");

    const invalid = await commandReply(
      h,
      USERS.requester,
      `${SEED.mysql} method=Logical strategy=db db=orders&co`,
    );
    expect(invalid).toContain('"orders&amp;co" is not a valid database name');
    expect(invalid).not.toContain("&amp;amp;");
  });
});

describe("two quick changes in the form", () => {
  it("end with the newest choice shown, though the older render lands first", async () => {
    const view = await openModalFor(h, USERS.requester, SEED.mysql);
    const field = actionIdIn(view, "BackupMethod");
    const before = h.slack.callsTo("views.update").length;
    await h.user.actInView({
      userId: USERS.requester,
      view,
      actionId: field,
      blockId: "BackupMethod",
      value: "Logical",
    });
    await h.slack.waitUntil(() =>
      h.slack.currentView(USERS.requester)?.blocks.some((b) => b.block_id === "BackupStrategy"),
    );
    const logical = h.slack.currentView(USERS.requester);
    if (!logical) throw new Error("modal closed");

    // "instance" renders at once but lands late (Slack is slow); "db" needs the database list
    // (RDS is slow) and was sent with the same, soon stale, hash.
    h.slack.failNext("views.update", { delayMs: 300 });
    h.rds.failNext("DescribeDatabases", { fault: "delay", ms: 600 });
    const strategy = actionIdIn(logical, "BackupStrategy");
    await h.user.actInView({
      userId: USERS.requester,
      view: logical,
      actionId: strategy,
      blockId: "BackupStrategy",
      value: "instance",
    });
    await h.user.actInView({
      userId: USERS.requester,
      view: logical,
      actionId: strategy,
      blockId: "BackupStrategy",
      value: "db",
    });

    const shown = await h.slack.waitUntil(
      () => h.slack.currentView(USERS.requester)?.blocks.some((b) => b.block_id === "DBName"),
      5_000,
      "the database field",
    );
    expect(shown).toBe(true);
    // Nothing later takes it away again.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.slack.currentView(USERS.requester)?.blocks.map((b) => b.block_id)).toContain("DBName");
    expect(h.slack.callsTo("views.update").length).toBeGreaterThan(before);
  });
});
