/**
 * Slack's pace for posts: about one a second per channel, and a 429's Retry-After holds back that
 * channel, not one message (api.slack.com/docs/rate-limits). The outbox keeps each channel's pace
 * and, after a 429, sends nothing more to the channel before Retry-After has passed. A card's
 * permalink is asked once, not for every message that links to it.
 */
import { afterEach, describe, expect, it } from "vitest";
import { SEED } from "../../src/sandbox/rds-emulator.js";
import type { SlackEmulator } from "../../src/sandbox/slack-emulator.js";
import {
  APPROVAL_CHANNEL,
  fileInline,
  type Harness,
  NOTIFY_CHANNEL,
  REQUEST_CHANNEL,
  settle,
  startHarness,
  startStageWorkspace,
  USERS,
} from "../e2e/harness.js";

let h: Harness | undefined;
let slack: SlackEmulator | undefined;
afterEach(async () => {
  await h?.close();
  await slack?.close();
  h = undefined;
  slack = undefined;
});

describe("posting pace", () => {
  it("holds a channel back for its Retry-After, then posts at its pace, each card once", async () => {
    // A workspace stricter than the bot's own burst: two at once, then one a second.
    slack = await startStageWorkspace(undefined, { postMessageRateLimit: { perSecond: 1, burst: 2 } });
    h = await startHarness({ slack });
    const stage = h;
    const commands = await Promise.all(
      Array.from({ length: 4 }, () =>
        stage.user.slashCommand({ userId: USERS.requester, channelId: REQUEST_CHANNEL, text: SEED.mysql }),
      ),
    );
    expect(commands.map((command) => command.status)).toEqual([200, 200, 200, 200]);
    const posts = () =>
      stage.slack.callsTo("chat.postMessage").filter((c) => c.args.channel === APPROVAL_CHANNEL);
    await stage.slack.waitUntil(() => posts().filter((call) => call.ok).length === 4, 15_000, "four cards");
    await settle(stage);

    const cards = posts().filter((call) => call.ok);
    const requestIds = cards.map((call) => /req-[0-9a-z]{10}/.exec(JSON.stringify(call.args.blocks))?.[0]);
    expect(new Set(requestIds).size).toBe(4);
    // Slack refused the posts that were already on their way when it first said 429; none after.
    const refused = posts().filter((call) => call.status === 429);
    const [first] = refused;
    expect(first).toBeDefined();
    const retryAfterMs = 1_000 * ((first?.fault as { retryAfter?: number } | undefined)?.retryAfter ?? 0);
    expect(refused.every((call) => call.at - (first?.at ?? 0) < 500)).toBe(true);
    // After the 429: nothing for Retry-After, then one a second.
    const later = cards.filter((call) => call.at > (first?.at ?? 0)).map((call) => call.at);
    expect(later.length).toBeGreaterThan(0);
    expect((later[0] ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(retryAfterMs - 50);
    for (let i = 1; i < later.length; i++)
      expect((later[i] ?? 0) - (later[i - 1] ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it("asks for a card's permalink once, however many messages link to it", async () => {
    h = await startHarness({ env: { NOTIFY_CHANNEL_IDS: NOTIFY_CHANNEL } });
    const stage = h;
    stage.rds.scriptJob("next", [{ status: "Finished", process: 100, backupSize: 1024 ** 3 }]);
    const card = await fileInline(stage, USERS.requester, SEED.mysql);
    await stage.user.clickButton({ userId: USERS.approver, message: card, actionId: "approve_backup" });
    await stage.slack.waitUntil(() => stage.slack.messages(NOTIFY_CHANNEL)[0], 15_000, "the summary");
    await settle(stage);
    // The requester's "started" and "finished", and the summary, all link to the card.
    expect(stage.slack.dms(USERS.requester)).toHaveLength(2);
    expect(
      stage.slack.callsTo("chat.getPermalink").filter((call) => call.args.message_ts === card.ts),
    ).toHaveLength(1);
  });
});
