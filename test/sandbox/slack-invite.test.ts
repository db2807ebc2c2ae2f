/**
 * The emulator's invite, as Slack does it: the bot (or a person) joins the channel, and Slack sends
 * the app `member_joined_channel` (docs.slack.dev/reference/events/member_joined_channel: `user`,
 * `channel`, `channel_type` `C` or `G`, `team`, `inviter`) only for channels the bot is in, its own
 * joining included.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type SlackEmulator, startSlackEmulator } from "../../src/sandbox/slack-emulator.js";

const TOKEN = "xoxb-test-token";
const SECRET = "invite-signing-secret";

let slack: SlackEmulator;
let app: Server;
let received: Array<Record<string, unknown>>;
let url: string;

beforeEach(async () => {
  slack = await startSlackEmulator({
    botToken: TOKEN,
    users: { U1: { name: "alice" }, U2: { name: "bob" } },
    channels: { C1: { name: "approvals" }, G1: { name: "secret", private: true }, C2: { name: "other" } },
  });
  received = [];
  app = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on("end", () => {
      received.push(JSON.parse(body) as Record<string, unknown>);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(app.address() as AddressInfo).port}/slack/events`;
});
afterEach(async () => {
  await slack.close();
  app.closeAllConnections();
  await new Promise<void>((resolve) => app.close(() => resolve()));
});

describe("inviting to a channel", () => {
  it("sends member_joined_channel for the bot's own joining, with the inviter", async () => {
    const user = slack.simulator({ requestUrl: url, signingSecret: SECRET });
    const delivery = await user.invite("C1", { inviter: "U1" });
    expect(delivery?.acked).toBe(true);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      type: "event_callback",
      team_id: slack.teamId,
      event: {
        type: "member_joined_channel",
        user: slack.botUserId,
        channel: "C1",
        channel_type: "C",
        team: slack.teamId,
        inviter: "U1",
        event_ts: expect.any(String),
      },
    });
    expect(slack.channelName("C1")).toBe("approvals");
    expect(slack.memberJoinedEvent("C1")).toBeDefined();
  });

  it("names a private channel G, and says nothing of a channel the bot is not in", async () => {
    const user = slack.simulator({ requestUrl: url, signingSecret: SECRET });
    // A person joining a channel without the bot: the app hears nothing.
    expect(await user.invite("C2", { user: "U2", inviter: "U1" })).toBeUndefined();
    await user.invite("G1");
    expect(received.map((body) => body.event)).toEqual([
      expect.objectContaining({ type: "member_joined_channel", channel: "G1", channel_type: "G" }),
    ]);
    expect(received[0]?.event).not.toHaveProperty("inviter");
    // Once the bot is in, a person joining is told too.
    await user.invite("G1", { user: "U2", inviter: "U1" });
    expect(received.at(-1)?.event).toMatchObject({ user: "U2", channel: "G1", inviter: "U1" });
  });
});
