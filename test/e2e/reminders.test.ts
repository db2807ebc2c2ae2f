/**
 * Reminders of pending requests (issue 15), end to end: the real bot on the emulators posts them in
 * the card's thread, mentioning who may decide, once, across a restart; a decided request gets
 * none (both over HTTP and in Socket Mode); `off` turns them off while a policy rule's
 * `remind_after` still applies to its instances.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SEED } from "../../src/sandbox/rds-emulator.js";
import {
  DBA_GROUP,
  eventually,
  fileInline,
  type Harness,
  settle,
  startHarness,
  threadTexts,
  USERS,
} from "./harness.js";

const REMINDER = /Reminder:|Last call:/;
const reminders = (h: Harness, card: Parameters<typeof threadTexts>[1]) =>
  threadTexts(h, card).filter((text) => REMINDER.test(text));

/** Waits (in real time) until a request filed for `card` has waited `ms`. */
async function waitedFor(h: Harness, ms: number): Promise<void> {
  const [request] = await h.bot.store.list({ limit: 1 });
  if (!request) throw new Error("no request");
  await eventually(async () => Date.now() >= request.createdAt.getTime() + ms, ms + 5_000, "the wait");
}

type Mode = "http" | "socket";

/**
 * What went over Socket Mode: each envelope's type, outcome and connection, in order; `undefined`
 * over HTTP, where the stage has no socket. So a `socket` case proves the person acted over the socket.
 */
function envelopes(h: Harness): string[] | undefined {
  return h.socket?.envelopes.map((e) => `${e.envelope.type}:${e.outcome}@${e.connectionId}`);
}

function expectTransport(h: Harness, mode: Mode, socketEnvelopes: string[]): void {
  expect(h.config.slack.mode).toBe(mode);
  expect(envelopes(h)).toEqual(mode === "socket" ? socketEnvelopes : undefined);
}

describe.each(["http", "socket"] as const)("reminders in the card's thread (%s)", (mode) => {
  it("reminds the approvers once, by mention, and not again after a restart", {
    timeout: 60_000,
  }, async () => {
    const env = { APPROVAL_REMINDER_AFTER: "2s" };
    const first = await startHarness({ mode, env });
    let second: Harness | undefined;
    try {
      const card = await fileInline(first, USERS.requester, SEED.mysql);
      const [reminder] = await eventually(
        async () => (reminders(first, card).length > 0 ? reminders(first, card) : undefined),
        15_000,
        "a reminder in the thread",
      );
      expect(reminder).toContain(
        "Reminder: this backup request has been waiting for a decision since <!date^",
      );
      for (const mention of [`<@${USERS.approver}>`, `<@${USERS.approver2}>`, `<!subteam^${DBA_GROUP}>`])
        expect(reminder).toContain(mention);
      // The requester may not approve their own request: not asked to.
      expect(reminder).not.toContain(`<@${USERS.requester}>`);
      expect(await first.bot.reminders.round()).toBe(0);
      await settle(first);
      expect(reminders(first, card)).toHaveLength(1);
      const trail = await first.bot.store.auditTrail((await first.bot.store.list({ limit: 1 }))[0]?.id ?? "");
      expect(trail.filter((event) => event.type === "reminded")).toHaveLength(1);
      expectTransport(first, mode, ["slash_commands:acked@1"]);
      await first.stopBot();

      second = await startHarness({
        mode,
        slack: first.slack,
        rdsEmulator: first.rds,
        databaseUrl: first.databaseUrl,
        // In Socket Mode the next bot opens a new connection to the same Slack.
        ...(first.socket ? { socketServer: first.socket } : {}),
        env,
      });
      expect(await second.bot.reminders.round()).toBe(0);
      await settle(second);
      expect(reminders(second, card)).toHaveLength(1);
      // Still pending: the approver decides from the card as usual, after the reminder.
      await second.user.clickButton({ userId: USERS.approver, message: card, actionId: "approve_backup" });
      await second.slack.waitUntil(() =>
        threadTexts(second as Harness, card).some((text) => text.includes("Backup started")),
      );
      expect(threadTexts(second, card).findIndex((text) => REMINDER.test(text))).toBe(0);
      expectTransport(second, mode, ["slash_commands:acked@1", "interactive:acked@2"]);
    } finally {
      await second?.close();
      await first.close();
    }
  });

  it("never reminds about a request decided before its time", { timeout: 30_000 }, async () => {
    const h = await startHarness({ mode, env: { APPROVAL_REMINDER_AFTER: "2s" } });
    try {
      const card = await fileInline(h, USERS.requester, SEED.mysql);
      await h.user.clickButton({ userId: USERS.approver, message: card, actionId: "approve_backup" });
      await h.slack.waitUntil(() => threadTexts(h, card).some((text) => text.includes("Backup started")));
      await waitedFor(h, 2_500);
      expect(await h.bot.reminders.round()).toBe(0);
      await settle(h);
      expect(reminders(h, card)).toEqual([]);
      // Not even claimed and then dropped on its way out: no reminder in the audit trail either.
      const [request] = await h.bot.store.list({ limit: 1 });
      const trail = await h.bot.store.auditTrail(request?.id ?? "");
      expect(trail.filter((event) => event.type === "reminded")).toEqual([]);
      expectTransport(h, mode, ["slash_commands:acked@1", "interactive:acked@1"]);
    } finally {
      await h.close();
    }
  });
});

describe("reminders in the card's thread: queued reminders and the policy", () => {
  it("drops a reminder queued just before a decision instead of posting it after", {
    timeout: 30_000,
  }, async () => {
    const h = await startHarness();
    try {
      const card = await fileInline(h, USERS.requester, SEED.mysql);
      await settle(h);
      const [request] = await h.bot.store.list({ limit: 1 });
      if (!request) throw new Error("no request");
      // Slack is slow for a moment: the reminder is queued, then the approval comes before it goes.
      await h.bot.dispatcher.stop();
      const approvers = { userIds: [USERS.approver], usergroupIds: [] };
      expect(
        await h.bot.store.claimReminder(
          request.id,
          "waiting",
          new Date(),
          { type: "reminded", actor: "system" },
          [{ kind: "thread", event: { type: "reminder", kind: "waiting", approvers } }],
        ),
      ).toBe(true);
      await h.user.clickButton({ userId: USERS.approver, message: card, actionId: "approve_backup" });
      await eventually(async () => (await h.bot.store.get(request.id))?.state !== "pending", 10_000);
      h.bot.dispatcher.start();
      await h.slack.waitUntil(() => threadTexts(h, card).some((text) => text.includes("Backup started")));
      await settle(h);
      expect(reminders(h, card)).toEqual([]);
    } finally {
      await h.close();
    }
  });

  it("with APPROVAL_REMINDER_AFTER=off reminds nobody, except where a policy rule says remind_after", {
    timeout: 60_000,
  }, async () => {
    // The rule's request lives 7.2 s: its last call comes a quarter of that before the end.
    const policy = `
rules:
  - name: reminded
    match:
      instances: ["${SEED.mysql}"]
    approvers:
      users: [${USERS.approver}]
    remind_after: 1s
    max_wait_hours: 0.002
fallback: env
`;
    const path = join(mkdtempSync(join(tmpdir(), "rdsbot-remind-")), "policy.yaml");
    writeFileSync(path, policy);
    const h = await startHarness({ env: { APPROVAL_REMINDER_AFTER: "off", POLICY_FILE: path } });
    try {
      const quiet = await fileInline(h, USERS.requester, SEED.postgres);
      const reminded = await fileInline(h, USERS.requester, SEED.mysql);
      const both = await eventually(
        async () => (reminders(h, reminded).length >= 2 ? reminders(h, reminded) : undefined),
        15_000,
        "both reminders",
      );
      expect(both[0]).toMatch(/^:bell: <@U0APPROVER1> Reminder:/);
      expect(both[1]).toMatch(/^:hourglass: <@U0APPROVER1> Last call: this backup request expires <!date\^/);
      expect(await h.bot.reminders.round()).toBe(0);
      await settle(h);
      expect(reminders(h, reminded)).toHaveLength(2);
      expect(reminders(h, quiet)).toEqual([]);
      const metrics = await h.bot.metrics.text();
      expect(metrics).toContain('rdsbot_approval_reminders_total{kind="waiting"} 1');
      expect(metrics).toContain('rdsbot_approval_reminders_total{kind="expiring"} 1');
    } finally {
      await h.close();
    }
  });
});
