/**
 * Several processes, hard kills: the guarantees that live in the store, tested with real processes.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RdsEmulator, SEED, startRdsEmulator } from "../../src/sandbox/rds-emulator.js";
import type { SlackEmulator } from "../../src/sandbox/slack-emulator.js";
import { openStore } from "../../src/store/open-store.js";
import { startBotProcess } from "../support/bot-process.js";
import { createTestDatabase, postgresAvailable, type TestDatabase } from "../support/postgres.js";
import {
  APPROVAL_CHANNEL,
  eventually,
  REQUEST_CHANNEL,
  SIGNING_SECRET,
  startHarness,
  startStageWorkspace,
  USERS,
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

async function fileAndWaitForCard(requestUrl: string, instanceId: string) {
  const user = slack.simulator({ requestUrl, signingSecret: SIGNING_SECRET });
  const after = slack.calls.length;
  await user.slashCommand({ userId: USERS.requester, channelId: REQUEST_CHANNEL, text: instanceId });
  const call = await slack.waitFor(
    "chat.postMessage",
    { channel: APPROVAL_CHANNEL },
    { after, timeoutMs: 15_000 },
  );
  const card = slack.message(APPROVAL_CHANNEL, String((call.response as { ts?: string }).ts));
  if (!card) throw new Error("no card");
  return card;
}

const threadOf = (ts: string) => slack.thread(APPROVAL_CHANNEL, ts).map((m) => m.text ?? "");

describe("two bot processes on one PostgreSQL database", () => {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    if (await postgresAvailable()) database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("runs CreateBackup once when the same click reaches both at once, and follows the job once", {
    timeout: 90_000,
  }, async (context) => {
    if (!database) return context.skip();
    const a = await startBotProcess({ slack, rds, databaseUrl: database.url });
    const b = await startBotProcess({ slack, rds, databaseUrl: database.url });
    try {
      const card = await fileAndWaitForCard(`${a.url}/slack/events`, SEED.mysqlCloud);
      const before = rds.count("CreateBackup");
      // Both processes watch jobs; the lease in the store gives this one to exactly one of them.
      rds.scriptJob("next", [
        { status: "Uploading", process: 50 },
        { status: "Finished", process: 100, backupSize: 1024 ** 3 },
      ]);
      const toA = slack.simulator({ requestUrl: `${a.url}/slack/events`, signingSecret: SIGNING_SECRET });
      const toB = slack.simulator({ requestUrl: `${b.url}/slack/events`, signingSecret: SIGNING_SECRET });
      const clicks = await Promise.all([
        toA.clickButton({ userId: USERS.approver, message: card, actionId: "approve_backup" }),
        toB.clickButton({ userId: USERS.approver, message: card, actionId: "approve_backup" }),
        toB.clickButton({ userId: USERS.approver2, message: card, actionId: "approve_backup" }),
        toA.clickButton({ userId: USERS.groupApprover, message: card, actionId: "approve_backup" }),
      ]);
      for (const click of clicks) expect(click.status).toBe(200);
      await eventually(async () => threadOf(card.ts).some((text) => text.includes("Backup started")), 15_000);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(rds.count("CreateBackup") - before).toBe(1);
      expect(threadOf(card.ts).filter((text) => text.includes("Backup started"))).toHaveLength(1);

      await eventually(
        async () => threadOf(card.ts).some((text) => text.includes("Backup finished")),
        40_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(threadOf(card.ts).filter((text) => text.includes("Backup finished"))).toHaveLength(1);
      expect(threadOf(card.ts).filter((text) => text.includes("50%")).length).toBeLessThanOrEqual(1);
    } finally {
      a.kill();
      b.kill();
      await Promise.all([a.exited, b.exited]);
    }
  });
});

describe("two bot processes on one PostgreSQL database, reminding", () => {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    if (await postgresAvailable()) database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("posts a pending request's reminder once, whichever replica finds it due", {
    timeout: 90_000,
  }, async (context) => {
    if (!database) return context.skip();
    const env = { APPROVAL_REMINDER_AFTER: "2s" };
    const a = await startBotProcess({ slack, rds, databaseUrl: database.url, env });
    const b = await startBotProcess({ slack, rds, databaseUrl: database.url, env });
    try {
      const card = await fileAndWaitForCard(`${b.url}/slack/events`, SEED.mysql);
      const isReminder = (text: string) => text.includes("Reminder:");
      await eventually(async () => threadOf(card.ts).some(isReminder), 20_000, "the reminder");
      // Both replicas look every 5 s: give each a few more looks at the request.
      await new Promise((resolve) => setTimeout(resolve, 12_000));
      const posted = threadOf(card.ts).filter(isReminder);
      expect(posted).toHaveLength(1);
      expect(posted[0]).toContain(`<@${USERS.approver}>`);
    } finally {
      a.kill();
      b.kill();
      await Promise.all([a.exited, b.exited]);
    }
  });
});

describe("a crash between the approval and the recorded outcome", () => {
  for (const scenario of [
    {
      name: "adopts the job RDS shows",
      fault: { fault: "timeout-after-create" } as const,
      state: "submitted",
      text: "answer was lost",
    },
    {
      name: "asks a person when RDS shows none",
      fault: { fault: "hang" } as const,
      state: "needs_attention",
      text: "cannot tell whether its backup started",
    },
  ]) {
    it(`${scenario.name}, and never calls CreateBackup again`, { timeout: 90_000 }, async () => {
      const databaseUrl = join(mkdtempSync(join(tmpdir(), "rdsbot-kill-")), "bot.sqlite");
      const instance = scenario.state === "submitted" ? SEED.sqlServer : SEED.mariadb;
      const bot = await startBotProcess({ slack, rds, databaseUrl });
      const card = await fileAndWaitForCard(`${bot.url}/slack/events`, instance);
      const before = rds.count("CreateBackup");
      rds.failNext("CreateBackup", scenario.fault);
      const user = slack.simulator({ requestUrl: `${bot.url}/slack/events`, signingSecret: SIGNING_SECRET });
      await user.clickButton({ userId: USERS.approver, message: card, actionId: "approve_backup" });
      await eventually(async () => rds.count("CreateBackup") > before, 10_000, "CreateBackup to be called");
      bot.kill("SIGKILL");
      expect(await bot.exited).toBe("SIGKILL");

      const store = await openStore(databaseUrl);
      const [stuck] = await store.list({ limit: 1 });
      expect(stuck?.state).toBe("approved");
      await store.close();

      // The next start carries it on once the killed process's lease on it has run out.
      const restarted = await startHarness({
        slack,
        rdsEmulator: rds,
        databaseUrl,
        overrides: { service: { abandonedAfterMs: 0 } },
      });
      try {
        // The killed process's lease on the request (20 s) runs out first; housekeeping (every
        // 30 s in production) then takes the request up.
        const request = await eventually(async () => {
          await restarted.bot.housekeeping();
          const [current] = await restarted.bot.store.list({ limit: 1 });
          return current && current.state !== "approved" ? current : undefined;
        }, 40_000);
        expect([scenario.state, ...(scenario.state === "submitted" ? ["succeeded"] : [])]).toContain(
          request.state,
        );
        // Messages the killed process had claimed wait for its lease (20 s) to run out.
        await eventually(async () => threadOf(card.ts).some((text) => text.includes(scenario.text)), 40_000);
        expect(rds.count("CreateBackup") - before).toBe(1);
        const trail = await restarted.bot.store.auditTrail(request.id);
        expect(trail.map((event) => event.type)).toContain(
          scenario.state === "submitted" ? "reconciled" : "needs_attention",
        );
      } finally {
        await restarted.stopBot();
      }
    });
  }
});
