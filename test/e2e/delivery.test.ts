/**
 * Delivering to a real workspace, where Slack refuses some messages for good: the bot is not in the
 * approval channel, the requester was deactivated. Such a message is tried a few times, then set
 * aside, counted and logged with its request, and someone who can fix it is told; it holds up no
 * message to another place. And the requester's DM says what happened by itself.
 */
import { afterEach, describe, expect, it } from "vitest";
import { SEED } from "../../src/sandbox/rds-emulator.js";
import { sampleValue, scrape } from "../deploy/prom-text.js";
import {
  APPROVAL_CHANNEL,
  fileInline,
  type Harness,
  openModalFor,
  REQUEST_CHANNEL,
  settle,
  startHarness,
  threadTexts,
  USERS,
} from "./harness.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const readyz = async (stage: Harness) => {
  const response = await fetch(`http://127.0.0.1:${stage.config.port}/readyz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe("messages Slack refuses for good", () => {
  it("sets aside a card the bot cannot post, tells the requester in their language, holds up nothing else", async () => {
    h = await startHarness();
    const stage = h;
    // Someone removed the bot from the approval channel after it started.
    stage.slack.removeBot(APPROVAL_CHANNEL);
    const view = await openModalFor(stage, USERS.jaRequester, SEED.mysql);
    await stage.user.submitView({ userId: USERS.jaRequester, view, values: {} });

    // "Filed" goes to where the requester typed, while the card is being refused.
    await stage.slack.waitUntil(
      () => stage.slack.ephemerals(USERS.jaRequester, REQUEST_CHANNEL)[0],
      5_000,
      "the filed note",
    );
    const notice = await stage.slack.waitUntil(
      () => stage.slack.dms(USERS.jaRequester).find((message) => message.text.includes("/invite")),
      10_000,
      "the requester's notice",
    );
    expect(notice.text).toContain("承認チャンネル");
    expect(notice.text).toContain(APPROVAL_CHANNEL);
    expect(notice.text).toContain("not_in_channel");
    expect(notice.text).toContain(`<@${stage.slack.botUserId}>`);
    await settle(stage);

    // Tried three times, then no more.
    const tries = stage.slack
      .callsTo("chat.postMessage")
      .filter((call) => call.args.channel === APPROVAL_CHANNEL);
    expect(tries.map((call) => call.response?.error)).toEqual([
      "not_in_channel",
      "not_in_channel",
      "not_in_channel",
    ]);
    const { samples } = await scrape(stage.config.port);
    expect(
      sampleValue(samples, "rdsbot_notifications_set_aside_total", { kind: "card", reason: "no_access" }),
    ).toBe(1);
    const [request] = await stage.bot.store.list({ limit: 1 });
    const setAside = stage.logs
      .map((line) => JSON.parse(line) as { msg?: string; requestId?: string; code?: string })
      .find((line) => line.msg?.includes("set aside"));
    expect(setAside).toMatchObject({ requestId: request?.id, code: "not_in_channel" });

    // Not ready while the approval channel is unusable; ready again once the bot is invited.
    expect(await readyz(stage)).toMatchObject({ status: 503, body: { approvalChannel: "not_in_channel" } });
    stage.slack.invite(APPROVAL_CHANNEL);
    await stage.bot.housekeeping();
    expect((await readyz(stage)).status).toBe(200);
  });

  it("sets aside DMs to a deactivated requester; the thread goes on to the end", async () => {
    h = await startHarness();
    const stage = h;
    stage.rds.scriptJob("next", [{ status: "Finished", process: 100, backupSize: 1024 ** 3 }]);
    const card = await fileInline(stage, USERS.requester, SEED.mysql);
    stage.slack.deactivateUser(USERS.requester);
    await stage.user.clickButton({ userId: USERS.approver, message: card, actionId: "approve_backup" });
    await stage.slack.waitUntil(
      () => threadTexts(stage, card).some((text) => text.includes("Backup finished")),
      15_000,
      "the end of the job in the thread",
    );
    await settle(stage);
    const refused = stage.slack
      .callsTo("chat.postMessage")
      .filter((call) => call.args.channel === USERS.requester);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((call) => call.response?.error === "user_disabled")).toBe(true);
    const { samples } = await scrape(stage.config.port);
    // The "started" and the "finished" DM.
    expect(
      sampleValue(samples, "rdsbot_notifications_set_aside_total", {
        kind: "requester",
        reason: "recipient_inactive",
      }),
    ).toBe(2);
  });
});

describe("the requester's DM", () => {
  it("says what happened without the thread (which may be in a channel they cannot open)", async () => {
    h = await startHarness();
    const stage = h;
    const approved = await fileInline(stage, USERS.requester, SEED.mysql);
    await stage.user.clickButton({ userId: USERS.approver, message: approved, actionId: "approve_backup" });
    const started = await stage.slack.waitUntil(
      () => stage.slack.dms(USERS.requester).find((message) => message.text.includes("started")),
      10_000,
      "the DM about the start",
    );
    const job = stage.rds.jobs(SEED.mysql)[0];
    expect(started.text).toContain(`<@${USERS.approver}>`);
    expect(started.text).toContain(job?.backupJobId);

    const rejected = await fileInline(stage, USERS.requester, SEED.postgres);
    await stage.user.clickButton({ userId: USERS.approver2, message: rejected, actionId: "reject_backup" });
    await stage.slack.waitFor("views.open", undefined, { after: stage.slack.calls.length - 1 });
    const modal = stage.slack.currentView(USERS.approver2);
    if (!modal) throw new Error("no reject modal");
    await stage.user.submitView({
      userId: USERS.approver2,
      view: modal,
      values: { reason: "not during peak" },
    });
    const told = await stage.slack.waitUntil(
      () => stage.slack.dms(USERS.requester).find((message) => message.text.includes("rejected")),
      10_000,
      "the DM about the rejection",
    );
    expect(told.text).toContain("not during peak");
    expect(told.text).toContain(`<@${USERS.approver2}>`);
    expect(told.text).toContain("Nothing ran");
  });
});
