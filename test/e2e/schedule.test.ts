/**
 * Backups at the right time (issue 16), end to end with the real bot (Bolt over HTTP, the real
 * RDS SDK, the real store) on the Slack and RDS emulators: a run asked for 20 s ahead, a restart
 * during the wait, two replicas on PostgreSQL, a cancel, and a window that closes while the
 * instance stays busy.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wallTimeAt } from "../../src/domain/zoned-time.js";
import { type RdsEmulator, SEED, startRdsEmulator } from "../../src/sandbox/rds-emulator.js";
import type { SlackEmulator } from "../../src/sandbox/slack-emulator.js";
import { createTestDatabase, postgresAvailable } from "../support/postgres.js";
import {
  commandReply,
  currentCard,
  eventually,
  fileInline,
  openModalFor,
  settle,
  startHarness,
  startStageWorkspace,
  threadTexts,
  USERS,
  waitForCard,
} from "./harness.js";

let slack: SlackEmulator;
let rds: RdsEmulator;
beforeAll(async () => {
  slack = await startStageWorkspace();
  rds = await startRdsEmulator();
});
afterAll(async () => {
  await slack.close();
  await rds.close();
});

const createCalls = (instanceId: string) =>
  rds.calls.filter((call) => call.action === "CreateBackup" && call.params.DBInstanceId === instanceId);
const seconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);
const cardText = (card: { text?: string; blocks?: unknown }) =>
  JSON.stringify(card.blocks ?? card.text ?? "");

describe("a backup asked for 20 s ahead", () => {
  it("is scheduled by the approval and starts on time, once", { timeout: 90_000 }, async () => {
    const h = await startHarness({ slack, rdsEmulator: rds });
    try {
      // The form: pick the instance, then a start time 20 s from now.
      const view = await openModalFor(h, USERS.requester, SEED.mysql);
      expect(view.blocks.some((block) => block.block_id === "run_at")).toBe(true);
      const startAt = seconds(Date.now() + 20_000);
      const after = slack.calls.length;
      const submitted = await h.user.submitView({
        userId: USERS.requester,
        view,
        values: { run_at: String(startAt.getTime() / 1000) },
      });
      expect(submitted.responseAction).toBeUndefined();
      const card = await waitForCard(h, after);
      expect(cardText(card)).toContain(`<!date^${startAt.getTime() / 1000}^`);

      await h.user.clickButton({ userId: USERS.approver, message: card, actionId: "approve_backup" });
      await eventually(async () => threadTexts(h, card).some((text) => text.includes("is scheduled for")));
      const [request] = await h.bot.store.list({ instanceId: SEED.mysql, limit: 1 });
      expect(request?.state).toBe("scheduled");
      expect(createCalls(SEED.mysql)).toHaveLength(0);
      // The card says when, and offers to cancel.
      await settle(h);
      expect(cardText(currentCard(h, card))).toContain("cancel_backup");

      await eventually(
        async () => createCalls(SEED.mysql).length > 0,
        40_000,
        "CreateBackup at the start time",
      );
      const called = createCalls(SEED.mysql)[0]?.at.getTime() ?? 0;
      expect(called).toBeGreaterThanOrEqual(startAt.getTime());
      expect(called - startAt.getTime()).toBeLessThan(3_000);
      await eventually(async () => threadTexts(h, card).some((text) => text.includes("Backup started")));
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(createCalls(SEED.mysql)).toHaveLength(1);
      expect(threadTexts(h, card).filter((text) => text.includes("Backup started"))).toHaveLength(1);
    } finally {
      await h.close();
    }
  });
});

describe("asking for a time in Slack", () => {
  it("refuses a past time with what to fix, and reads a clock time in the requester's zone", {
    timeout: 60_000,
  }, async () => {
    const h = await startHarness({ slack, rdsEmulator: rds });
    try {
      // Inline: a time in the past, and a date without an offset; nothing is filed.
      const past = await commandReply(h, USERS.requester, `${SEED.mysql} at=2020-01-01T01:30+09:00 at=3`);
      expect(past).toContain("more than once");
      const noOffset = await commandReply(h, USERS.requester, `${SEED.mysql} at=2031-01-01T01:30`);
      expect(noOffset).toContain("has no UTC offset");
      const tooEarly = await commandReply(h, USERS.requester, `${SEED.mysql} at=2020-01-01T01:30+09:00`);
      expect(tooEarly).toContain("has already passed");
      expect(await h.bot.store.list({ limit: 10 })).toHaveLength(0);

      // A clock time: the next 01:30 in the requester's Slack time zone (users.info's tz).
      const filed = await commandReply(h, USERS.requester, `${SEED.mysql} at=01:30`);
      const [request] = await h.bot.store.list({ limit: 1 });
      const askedFor = request?.schedule?.askedFor;
      expect(askedFor && wallTimeAt(askedFor, "Asia/Tokyo")).toMatchObject({ hour: 1, minute: 30 });
      expect((askedFor?.getTime() ?? 0) - Date.now()).toBeLessThanOrEqual(24 * 3_600_000);
      expect(filed).toContain(`<!date^${(askedFor?.getTime() ?? 0) / 1000}^`);

      // The form: picking a time says when the backup runs; a past one is refused on its block.
      const view = await openModalFor(h, USERS.requester, SEED.postgres);
      const after = slack.calls.length;
      const soon = seconds(Date.now() + 3_600_000);
      await h.user.actInView({
        userId: USERS.requester,
        view,
        actionId: "value",
        blockId: "run_at",
        value: String(soon.getTime() / 1000),
      });
      const update = await slack.waitFor("views.update", () => true, { after });
      expect(JSON.stringify(update.args)).toContain(
        `Once approved, the backup runs <!date^${soon.getTime() / 1000}^`,
      );
      const refused = await h.user.submitView({
        userId: USERS.requester,
        view: slack.currentView(USERS.requester) ?? view,
        values: { run_at: String(Math.floor(Date.now() / 1000) - 600) },
      });
      expect(refused.responseAction).toBe("errors");
      expect(refused.errors?.run_at).toContain("has already passed");
      expect(await h.bot.store.list({ instanceId: SEED.postgres, limit: 10 })).toHaveLength(0);
    } finally {
      await h.close();
    }
  });
});

describe("a restart during the wait", () => {
  it("loses nothing: the next start runs the backup at its time, once", { timeout: 90_000 }, async () => {
    const first = await startHarness({ slack, rdsEmulator: rds });
    let second: Awaited<ReturnType<typeof startHarness>> | undefined;
    try {
      const startAt = seconds(Date.now() + 10_000);
      const card = await fileInline(first, USERS.requester, `${SEED.postgres} at=${startAt.toISOString()}`);
      await first.user.clickButton({ userId: USERS.approver, message: card, actionId: "approve_backup" });
      await eventually(
        async () => (await first.bot.store.list({ states: ["scheduled"], limit: 5 })).length > 0,
      );
      await settle(first);
      await first.stopBot();

      second = await startHarness({ slack, rdsEmulator: rds, databaseUrl: first.databaseUrl });
      await eventually(
        async () => createCalls(SEED.postgres).length > 0,
        40_000,
        "CreateBackup after the restart",
      );
      expect(createCalls(SEED.postgres)[0]?.at.getTime() ?? 0).toBeGreaterThanOrEqual(startAt.getTime());
      await eventually(async () =>
        threadTexts(second as never, card).some((text) => text.includes("Backup started")),
      );
      expect(createCalls(SEED.postgres)).toHaveLength(1);
    } finally {
      await second?.close();
      await first.close();
    }
  });
});

describe("two replicas on PostgreSQL", () => {
  it("start a scheduled backup once", { timeout: 90_000 }, async (context) => {
    if (!(await postgresAvailable())) return context.skip();
    const database = await createTestDatabase();
    const a = await startHarness({ slack, rdsEmulator: rds, databaseUrl: database.url });
    const b = await startHarness({ slack, rdsEmulator: rds, databaseUrl: database.url });
    try {
      const startAt = seconds(Date.now() + 6_000);
      const card = await fileInline(a, USERS.requester, `${SEED.sqlServer} at=${startAt.toISOString()}`);
      await b.user.clickButton({ userId: USERS.approver, message: card, actionId: "approve_backup" });
      await eventually(async () => createCalls(SEED.sqlServer).length > 0, 40_000, "CreateBackup");
      await eventually(async () => threadTexts(a, card).some((text) => text.includes("Backup started")));
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(createCalls(SEED.sqlServer)).toHaveLength(1);
      expect(threadTexts(a, card).filter((text) => text.includes("Backup started"))).toHaveLength(1);
      const [request] = await a.bot.store.list({ instanceId: SEED.sqlServer, limit: 1 });
      const trail = await a.bot.store.auditTrail(request?.id ?? "");
      expect(trail.filter((event) => event.type === "schedule_started")).toHaveLength(1);
    } finally {
      await a.close();
      await b.close();
      await database.drop();
    }
  });
});

describe("changing your mind", () => {
  it("a cancel before the start time (the card's button, or the command) means nothing runs", {
    timeout: 90_000,
  }, async () => {
    const h = await startHarness({ slack, rdsEmulator: rds });
    try {
      const startAt = seconds(Date.now() + 8_000);
      const byButton = await fileInline(h, USERS.requester, `${SEED.mariadb} at=${startAt.toISOString()}`);
      await h.user.clickButton({ userId: USERS.approver, message: byButton, actionId: "approve_backup" });
      const byCommand = await fileInline(
        h,
        USERS.requester,
        `${SEED.mysqlCloud} at=${startAt.toISOString()}`,
      );
      await h.user.clickButton({ userId: USERS.approver, message: byCommand, actionId: "approve_backup" });
      await eventually(
        async () => (await h.bot.store.list({ states: ["scheduled"], limit: 5 })).length === 2,
      );
      await settle(h);

      // An approver cancels one from its card; the requester cancels the other with the command.
      await h.user.clickButton({
        userId: USERS.approver2,
        message: currentCard(h, byButton),
        actionId: "cancel_backup",
      });
      const [other] = await h.bot.store.list({ instanceId: SEED.mysqlCloud, limit: 1 });
      const reply = await commandReply(h, USERS.requester, `cancel ${other?.id}`);
      expect(reply).toContain("cancelled");
      await eventually(
        async () => (await h.bot.store.list({ states: ["cancelled"], limit: 5 })).length === 2,
      );

      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, startAt.getTime() - Date.now()) + 2_000),
      );
      expect(createCalls(SEED.mariadb)).toHaveLength(0);
      expect(createCalls(SEED.mysqlCloud)).toHaveLength(0);
      await settle(h);
      expect(threadTexts(h, byButton).some((text) => text.includes("cancelled this request"))).toBe(true);
      expect(cardText(currentCard(h, byButton))).not.toContain("cancel_backup");
    } finally {
      await h.close();
    }
  });
});

describe("a window that closes while the instance stays busy", () => {
  it("ends the request with a clear message: nothing ran", { timeout: 120_000 }, async () => {
    // The bot's clock is set so its minute has 20 s left, and the policy's window closes at the
    // end of that minute: the window closes within seconds of the run's start time.
    const offset = (((40_000 - (Date.now() % 60_000)) % 60_000) + 60_000) % 60_000;
    const clock = () => new Date(Date.now() + offset);
    const now = clock();
    const opens = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
    const closes = new Date(opens.getTime() + 60_000);
    const hhmm = (date: Date) => date.toISOString().slice(11, 16);
    const dir = mkdtempSync(join(tmpdir(), "rdsbot-window-"));
    const policyFile = join(dir, "policy.yaml");
    writeFileSync(
      policyFile,
      [
        "rules:",
        "  - name: off-peak",
        `    window: "${hhmm(opens)}-${hhmm(closes) === "00:00" ? "24:00" : hhmm(closes)} UTC"`,
        `    approvers: { users: [${USERS.approver}] }`,
        "",
      ].join("\n"),
    );
    const h = await startHarness({
      slack,
      rdsEmulator: rds,
      env: { POLICY_FILE: policyFile },
      overrides: { clock },
    });
    try {
      // The instance is restarting, and stays so.
      const startAt = seconds(clock().getTime() + 3_000);
      expect(startAt.getTime()).toBeLessThan(closes.getTime());
      const card = await fileInline(h, USERS.requester, `${SEED.restarting} at=${startAt.toISOString()}`);
      await h.user.clickButton({ userId: USERS.approver, message: card, actionId: "approve_backup" });
      await eventually(
        async () => threadTexts(h, card).some((text) => text.includes("the instance is not ready")),
        30_000,
        "the thread to say the instance is not ready",
      );
      await eventually(
        async () => threadTexts(h, card).some((text) => text.includes("The backup did not start")),
        60_000,
        "the thread to say nothing ran",
      );
      const final = threadTexts(h, card).find((text) => text.includes("The backup did not start")) ?? "";
      expect(final).toContain("Nothing ran");
      expect(final).toContain("Restarting");
      expect(clock().getTime()).toBeGreaterThanOrEqual(closes.getTime());
      const [request] = await h.bot.store.list({ instanceId: SEED.restarting, limit: 1 });
      expect(request?.state).toBe("failed");
      expect(request?.error?.code).toBe("ScheduleMissed");
      expect(createCalls(SEED.restarting)).toHaveLength(0);
      await settle(h);
      expect(cardText(currentCard(h, card))).toContain("Did not run");
      // The thread said "not ready" once, not at every try.
      expect(threadTexts(h, card).filter((text) => text.includes("the instance is not ready"))).toHaveLength(
        1,
      );
    } finally {
      await h.close();
    }
  });
});
