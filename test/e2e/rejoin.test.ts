/**
 * Inviting the bot is enough: a card Slack refused because the bot was not in the approval
 * channel (set aside, the requester told) is posted once someone invites it. Slack tells the app
 * with `member_joined_channel` (the bot's own user); the outbox puts back what it had set aside
 * for requests still under way, once, in order, and the requester hears that the card is up.
 * A request that ended meanwhile is not revived.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SEED, startRdsEmulator } from "../../src/sandbox/rds-emulator.js";
import { sampleValue, scrape } from "../deploy/prom-text.js";
import { createTestDatabase, postgresAvailable } from "../support/postgres.js";
import {
  APPROVAL_CHANNEL,
  type Defer,
  eventually,
  type Harness,
  type HarnessOptions,
  REQUEST_CHANNEL,
  settle,
  startHarness,
  startStageWorkspace,
  threadTexts,
  USERS,
  useStage,
} from "./harness.js";

/**
 * The stage's options with the bot never invited to the approval channel (the first-install
 * mistake): a workspace and an RDS of the test's own, closed after the stage.
 */
function uninvited(options: HarnessOptions = {}) {
  return async (defer: Defer): Promise<HarnessOptions> => {
    const slack = await startStageWorkspace();
    defer(() => slack.close());
    slack.removeBot(APPROVAL_CHANNEL);
    const rds = await startRdsEmulator();
    defer(() => rds.close());
    return { ...options, slack, rdsEmulator: rds };
  };
}

/** Files `instanceId` inline and waits until its card was set aside and the requester told. */
async function fileRefused(stage: Harness, userId: string, instanceId: string): Promise<string> {
  const before = stage.slack.dms(userId).length;
  const reply = await stage.user.slashCommand({ userId, channelId: REQUEST_CHANNEL, text: instanceId });
  expect(reply.status).toBe(200);
  await stage.slack.waitUntil(
    () =>
      stage.slack
        .dms(userId)
        .slice(before)
        .find((message) => message.text.includes("/invite")),
    10_000,
    "the requester's notice that the bot must be invited",
  );
  const [request] = await stage.bot.store.list({ limit: 1, instanceId });
  if (!request) throw new Error(`no request for ${instanceId}`);
  return request.id;
}

function cardsFor(stage: Harness, requestId: string) {
  return stage.slack
    .messages(APPROVAL_CHANNEL)
    .filter((message) => message.thread_ts === undefined || message.thread_ts === message.ts)
    .filter((message) => JSON.stringify(message.blocks).includes(requestId));
}

async function inviteThenApprove(stage: Harness): Promise<void> {
  const requestId = await fileRefused(stage, USERS.requester, SEED.mysql);
  await settle(stage);
  expect(cardsFor(stage, requestId)).toEqual([]);

  const delivery = await stage.user.invite(APPROVAL_CHANNEL, { inviter: USERS.approver });
  expect(delivery?.acked).toBe(true);
  expect(delivery?.body.event).toMatchObject({
    type: "member_joined_channel",
    user: stage.slack.botUserId,
    channel: APPROVAL_CHANNEL,
    channel_type: "C",
    inviter: USERS.approver,
  });
  const card = await stage.slack.waitUntil(
    () => cardsFor(stage, requestId)[0],
    10_000,
    "the card, posted at last",
  );
  const told = await stage.slack.waitUntil(
    () =>
      stage.slack
        .dms(USERS.requester)
        .find((message) => message.text.includes("can reach the approval channel")),
    10_000,
    "the requester's note that the card is posted",
  );
  expect(told.text).toContain(requestId);
  expect(told.text).toContain("http");

  await stage.user.clickButton({ userId: USERS.approver, message: card, actionId: "approve_backup" });
  const job = await eventually(async () => stage.rds.jobs(SEED.mysql)[0], 10_000, "the backup job");
  await eventually(
    async () => threadTexts(stage, card).some((text) => text.includes(job.backupJobId)),
    10_000,
    "the job id in the card's thread",
  );
  // Slack sends the event again (a lost ack): nothing is posted twice.
  await stage.user.sendEvent(delivery?.body.event as Record<string, unknown>);
  await settle(stage);
  expect(cardsFor(stage, requestId)).toHaveLength(1);
  const posts = stage.slack
    .callsTo("chat.postMessage")
    .filter(
      (call) =>
        call.args.channel === APPROVAL_CHANNEL && call.args.thread_ts === undefined && call.response?.ok,
    );
  expect(posts).toHaveLength(1);
  const { samples } = await scrape(stage.config.port);
  expect(sampleValue(samples, "rdsbot_notifications_released_total", {})).toBe(1);
  expect(stage.logs.some((line) => line.includes(requestId) && line.includes("may post there again"))).toBe(
    true,
  );
}

describe("inviting the bot to the approval channel posts what waited for it", () => {
  const stage = useStage(uninvited());

  it("over HTTP: the set-aside card is posted once, can be approved, and the job id lands in its thread", async () => {
    await inviteThenApprove(stage);
  });

  it("does not post late the card of a request approved from the Home tab that finished meanwhile", async () => {
    stage.rds.scriptJob("next", [{ status: "Finished", process: 100, backupSize: 1024 ** 3 }]);
    const requestId = await fileRefused(stage, USERS.requester, SEED.mysql);
    await stage.user.openHomeTab({ userId: USERS.approver });
    await stage.slack.waitUntil(() => stage.slack.homeView(USERS.approver), 10_000, "the Home tab");
    await stage.user.clickInHome({ userId: USERS.approver, actionId: "approve_backup" });
    await eventually(
      async () => (await stage.bot.store.get(requestId))?.state === "succeeded" || undefined,
      15_000,
      "the backup to finish",
    );
    await settle(stage);
    // Finished while nobody could see it: the card is not posted late.
    expect(cardsFor(stage, requestId)).toEqual([]);
    await stage.user.invite(APPROVAL_CHANNEL);
    await settle(stage);
    expect(cardsFor(stage, requestId)).toEqual([]);
  });

  it("a request approved from the Home tab and still running gets its card and the replies behind it, in order", async () => {
    // The job runs until the test has seen its card: the request stays under way.
    stage.rds.scriptJob("next", [{ status: "Uploading", process: 10 }]);
    const requestId = await fileRefused(stage, USERS.requester, SEED.mysql);
    await stage.user.openHomeTab({ userId: USERS.approver });
    await stage.slack.waitUntil(() => stage.slack.homeView(USERS.approver), 10_000, "the Home tab");
    await stage.user.clickInHome({ userId: USERS.approver, actionId: "approve_backup" });
    const job = await eventually(async () => stage.rds.jobs(SEED.mysql)[0], 10_000, "the backup job");
    await eventually(
      async () => (await stage.bot.store.get(requestId))?.state === "submitted" || undefined,
      10_000,
      "the request submitted",
    );
    await settle(stage);
    expect(cardsFor(stage, requestId)).toEqual([]);

    await stage.user.invite(APPROVAL_CHANNEL);
    const card = await stage.slack.waitUntil(() => cardsFor(stage, requestId)[0], 10_000, "the card");
    await eventually(
      async () => threadTexts(stage, card).some((text) => text.includes(job.backupJobId)),
      10_000,
      "the job id in the thread",
    );
    const texts = threadTexts(stage, card);
    const approvedAt = texts.findIndex((text) => text.includes(`<@${USERS.approver}>`));
    const jobAt = texts.findIndex((text) => text.includes(job.backupJobId));
    expect(approvedAt).toBeGreaterThanOrEqual(0);
    expect(jobAt).toBeGreaterThan(approvedAt);
    const note = await stage.slack.waitUntil(
      () => stage.slack.dms(USERS.requester).find((m) => m.text.includes("can reach the approval channel")),
      10_000,
      "the requester's note",
    );
    expect(note.text).toContain("thread");
  });

  it("at start-up, a channel found usable releases what an earlier run set aside", async () => {
    const requestId = await fileRefused(stage, USERS.requester, SEED.mysql);
    await settle(stage);
    await stage.stopBot();
    // Invited while the bot was down: no event reaches it, the start-up check finds the channel usable.
    stage.slack.invite(APPROVAL_CHANNEL);
    const restarted = await startHarness({
      slack: stage.slack,
      rdsEmulator: stage.rds,
      databaseUrl: stage.databaseUrl,
    });
    try {
      await restarted.slack.waitUntil(
        () => cardsFor(restarted, requestId)[0],
        10_000,
        "the card, after the restart",
      );
    } finally {
      await restarted.close();
    }
  });
});

describe("inviting the bot, in Socket Mode", () => {
  const stage = useStage(uninvited({ mode: "socket" }));

  it("in Socket Mode, the same", async () => {
    await inviteThenApprove(stage);
    expect(stage.socket?.envelopes.some((e) => e.envelope.type === "events_api")).toBe(true);
  });
});

describe("inviting the bot after a request ended", () => {
  const stage = useStage(async (defer) => {
    const policy = join(mkdtempSync(join(tmpdir(), "rdsbot-rejoin-")), "policy.yaml");
    writeFileSync(
      policy,
      `rules:\n  - name: short-wait\n    match:\n      engines: [PostgreSQL]\n    approvers:\n      users: [${USERS.approver}]\n    max_wait_hours: 0.0001\nfallback: env\n`,
    );
    return uninvited({ env: { POLICY_FILE: policy } })(defer);
  });

  it("does not revive a request that expired meanwhile; a pending one still goes", async () => {
    const expiring = await fileRefused(stage, USERS.requester, SEED.postgres);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await stage.bot.housekeeping();
    expect((await stage.bot.store.get(expiring))?.state).toBe("expired");
    const pending = await fileRefused(stage, USERS.jaRequester, SEED.mysql);
    await settle(stage);

    await stage.user.invite(APPROVAL_CHANNEL, { inviter: USERS.approver });
    await stage.slack.waitUntil(() => cardsFor(stage, pending)[0], 10_000, "the pending request's card");
    const told = await stage.slack.waitUntil(
      () =>
        stage.slack
          .dms(USERS.jaRequester)
          .find((message) => message.text.includes("投稿できるようになりました")),
      10_000,
      "the Japanese note that the card is posted",
    );
    expect(told.text).toContain(pending);
    await settle(stage);
    expect(cardsFor(stage, expiring)).toEqual([]);
    expect(
      stage.slack.dms(USERS.requester).some((m) => m.text.includes("can reach the approval channel")),
    ).toBe(false);
  });
});

describe("inviting the bot, two replicas on one PostgreSQL database", () => {
  let onPostgres = false;
  const first = useStage(async (defer) => {
    onPostgres = await postgresAvailable();
    if (!onPostgres) return uninvited()(defer);
    const database = await createTestDatabase();
    defer(() => database.drop());
    return uninvited({ databaseUrl: database.url })(defer);
  });

  it("two replicas on PostgreSQL both told of the invite post the card once", async (context) => {
    if (!onPostgres) return context.skip();
    const second = await startHarness({
      slack: first.slack,
      rdsEmulator: first.rds,
      databaseUrl: first.databaseUrl,
    });
    try {
      const requestId = await fileRefused(first, USERS.requester, SEED.mysql);
      await settle(first);
      // Slack sends the event once; its retry (a lost ack) may reach the other replica meanwhile.
      first.slack.invite(APPROVAL_CHANNEL);
      const event = first.slack.memberJoinedEvent(APPROVAL_CHANNEL, undefined, USERS.approver);
      if (!event) throw new Error("no event");
      const deliveries = await Promise.all([first.user.sendEvent(event), second.user.sendEvent(event)]);
      expect(deliveries.every((delivery) => delivery.acked)).toBe(true);
      const card = await first.slack.waitUntil(() => cardsFor(first, requestId)[0], 10_000, "the card");
      await settle(first);
      await settle(second);
      expect(cardsFor(first, requestId)).toEqual([card]);
      const notes = first.slack
        .dms(USERS.requester)
        .filter((message) => message.text.includes("can reach the approval channel"));
      expect(notes).toHaveLength(1);
      let released = 0;
      for (const stage of [first, second]) {
        const { samples } = await scrape(stage.config.port);
        released += sampleValue(samples, "rdsbot_notifications_released_total", {});
      }
      expect(released).toBe(1);
    } finally {
      await second.close();
    }
  });
});
