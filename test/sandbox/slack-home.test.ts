/**
 * The emulator's Home tab and Events API: `views.publish` as Slack answers it (the view, its
 * documented errors), `app_home_opened` signed like every request, Slack's retries of an event
 * the app did not take within 3 seconds, and a click in the Home tab without a message.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { verifySlackRequest } from "@slack/bolt";
import { ErrorCode, type Logger, LogLevel, type WebAPIPlatformError, WebClient } from "@slack/web-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type SlackEmulator, startSlackEmulator } from "../../src/sandbox/slack-emulator.js";

const TOKEN = "xoxb-test-token";
const SECRET = "home-signing-secret";
const quiet: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

let slack: SlackEmulator;
let client: WebClient;
let app: Server | undefined;

beforeEach(async () => {
  slack = await startSlackEmulator({ botToken: TOKEN, users: { U1: { name: "alice" } } });
  client = new WebClient(TOKEN, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, logger: quiet });
});
afterEach(async () => {
  await slack.close();
  if (app) {
    app.closeAllConnections();
    await new Promise<void>((resolve) => app?.close(() => resolve()));
    app = undefined;
  }
});

async function slackError(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    const e = error as WebAPIPlatformError;
    if (e.code === ErrorCode.PlatformError) return e.data.error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

const home = { type: "home" as const, blocks: [{ type: "section", text: { type: "mrkdwn", text: "hi" } }] };

describe("views.publish", () => {
  it("publishes a home view and answers it as Slack does; the same view id each time", async () => {
    const first = await client.views.publish({ user_id: "U1", view: home });
    expect(first.view).toMatchObject({ type: "home", close: null, submit: null, previous_view_id: null });
    const second = await client.views.publish({ user_id: "U1", view: home });
    expect(second.view?.id).toBe(first.view?.id);
    expect(slack.homePublishes("U1")).toBe(2);
    expect(slack.homeView("U1")?.blocks[0]?.block_id).toEqual(expect.any(String));
  });

  it("refuses what Slack refuses", async () => {
    const first = await client.views.publish({ user_id: "U1", view: home });
    expect(await slackError(client.views.publish({ user_id: "U1", view: home, hash: "1.stale" }))).toBe(
      "hash_conflict",
    );
    expect(
      await client.views.publish({ user_id: "U1", view: home, hash: first.view?.hash ?? "" }),
    ).toMatchObject({ ok: true });
    const tooMany = {
      type: "home" as const,
      blocks: Array.from({ length: 101 }, () => ({ type: "divider" })),
    };
    expect(await slackError(client.views.publish({ user_id: "U1", view: tooMany }))).toBe(
      "invalid_arguments",
    );
    const modal = { ...home, type: "modal" } as unknown as typeof home;
    expect(await slackError(client.views.publish({ user_id: "U1", view: modal }))).toBe("invalid_arguments");
    const huge = {
      type: "home" as const,
      blocks: Array.from({ length: 90 }, () => ({
        type: "section",
        text: { type: "mrkdwn", text: "x".repeat(2900) },
      })),
    };
    expect(await slackError(client.views.publish({ user_id: "U1", view: huge }))).toBe("view_too_large");
    slack.registerUser("U2");
    await client.views.publish({ user_id: "U1", view: { ...home, external_id: "mine" } });
    expect(
      await slackError(client.views.publish({ user_id: "U2", view: { ...home, external_id: "mine" } })),
    ).toBe("duplicate_external_id");
  });

  it("answers not_enabled when the app's Home tab is off", async () => {
    const off = await startSlackEmulator({ botToken: TOKEN, homeTabEnabled: false, users: { U1: {} } });
    const offClient = new WebClient(TOKEN, {
      slackApiUrl: off.apiUrl,
      retryConfig: { retries: 0 },
      logger: quiet,
    });
    expect(await slackError(offClient.views.publish({ user_id: "U1", view: home }))).toBe("not_enabled");
    await off.close();
  });
});

/** A bare app that records what Slack sent and answers as `answer` says. */
async function startApp(
  answer: (attempt: number) => { delayMs: number; status: number },
): Promise<{ url: string; received: Array<{ headers: IncomingMessage["headers"]; body: string }> }> {
  const received: Array<{ headers: IncomingMessage["headers"]; body: string }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      const { delayMs, status } = answer(received.length);
      setTimeout(() => {
        res.writeHead(status);
        res.end();
      }, delayMs);
    });
  });
  app = server;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`, received };
}

describe("app_home_opened over the Events API", () => {
  it("is a signed event_callback with tab home, event_id and event_time", async () => {
    const target = await startApp(() => ({ delayMs: 0, status: 200 }));
    const user = slack.simulator({ requestUrl: target.url, signingSecret: SECRET });
    const delivery = await user.openHomeTab({ userId: "U1" });
    expect(delivery.acked).toBe(true);
    const [sent] = target.received;
    if (!sent) throw new Error("nothing sent");
    expect(() =>
      verifySlackRequest({
        signingSecret: SECRET,
        body: sent.body,
        headers: {
          "x-slack-signature": String(sent.headers["x-slack-signature"]),
          "x-slack-request-timestamp": Number(sent.headers["x-slack-request-timestamp"]),
        },
      }),
    ).not.toThrow();
    const body = JSON.parse(sent.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      type: "event_callback",
      event_id: expect.stringMatching(/^Ev/),
      event_time: expect.any(Number),
      event: { type: "app_home_opened", user: "U1", tab: "home", channel: expect.stringMatching(/^D/) },
    });
    expect(sent.headers["x-slack-retry-num"]).toBeUndefined();
  });

  it("is sent again, numbered, when the app does not answer within 3 s, then gives up after 3 retries", async () => {
    // Slack's deadline is 3 s; shortened here (the rule is the same) so the test runs quickly.
    const target = await startApp(() => ({ delayMs: 600, status: 200 }));
    const user = slack.simulator({
      requestUrl: target.url,
      signingSecret: SECRET,
      ackDeadlineMs: 200,
      eventRetryDelaysMs: [0, 10, 10],
    });
    const delivery = await user.openHomeTab({ userId: "U1" });
    expect(delivery.acked).toBe(false);
    expect(delivery.attempts).toEqual([undefined, undefined, undefined, undefined]);
    expect(
      target.received.map((r) => [r.headers["x-slack-retry-num"], r.headers["x-slack-retry-reason"]]),
    ).toEqual([
      [undefined, undefined],
      ["1", "http_timeout"],
      ["2", "http_timeout"],
      ["3", "http_timeout"],
    ]);
    const ids = new Set(target.received.map((r) => (JSON.parse(r.body) as { event_id: string }).event_id));
    expect(ids.size).toBe(1);
  });

  it("retries a 5xx as http_error and stops once the app answers", async () => {
    const target = await startApp((attempt) => ({ delayMs: 0, status: attempt === 1 ? 500 : 200 }));
    const user = slack.simulator({
      requestUrl: target.url,
      signingSecret: SECRET,
      eventRetryDelaysMs: [0, 10, 10],
    });
    const delivery = await user.openHomeTab({ userId: "U1" });
    expect(delivery.acked).toBe(true);
    expect(target.received.map((r) => r.headers["x-slack-retry-reason"])).toEqual([undefined, "http_error"]);
  });
});

describe("a click in the Home tab", () => {
  it("is a block_actions from a home view, with no message, channel or response URL", async () => {
    const target = await startApp(() => ({ delayMs: 0, status: 200 }));
    await client.views.publish({
      user_id: "U1",
      view: {
        type: "home",
        blocks: [
          {
            type: "actions",
            elements: [
              { type: "button", action_id: "go", value: "v", text: { type: "plain_text", text: "Go" } },
            ],
          },
        ],
      },
    });
    const user = slack.simulator({ requestUrl: target.url, signingSecret: SECRET });
    const click = await user.clickInHome({ userId: "U1", actionId: "go" });
    expect(click.payload).toMatchObject({
      type: "block_actions",
      container: { type: "view" },
      view: { type: "home" },
      actions: [{ action_id: "go", value: "v" }],
    });
    for (const absent of ["message", "channel", "response_url"])
      expect(click.payload[absent]).toBeUndefined();
  });
});

describe("app_home_opened over Socket Mode", () => {
  it("is an events_api envelope, sent again with retry_attempt while the app does not ack it", async () => {
    const { startSlackSocketServer } = await import("../../src/sandbox/slack-socket.js");
    const { WebSocket } = await import("ws");
    const server = await startSlackSocketServer({
      emulator: slack,
      appToken: "xapp-1-A-1-x",
      pingIntervalMs: 0,
    });
    const opened = (await (
      await fetch(`${slack.apiUrl}apps.connections.open`, {
        method: "POST",
        headers: { authorization: "Bearer xapp-1-A-1-x" },
      })
    ).json()) as { url: string };
    const socket = new WebSocket(opened.url);
    const seen: Array<Record<string, unknown>> = [];
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as Record<string, unknown>;
      if (message.type !== "events_api") return;
      seen.push(message);
      // The app takes the event only the second time it comes.
      if (seen.length === 2) socket.send(JSON.stringify({ envelope_id: message.envelope_id }));
    });
    await server.waitForConnection();
    const user = server.simulator({ ackDeadlineMs: 200, timeoutMs: 1_000, eventRetryDelaysMs: [0, 10, 10] });
    try {
      const delivery = await user.openHomeTab({ userId: "U1" });
      expect(delivery.acked).toBe(true);
      expect(seen.map((e) => [e.retry_attempt, e.retry_reason])).toEqual([
        [0, ""],
        [1, "http_timeout"],
      ]);
      expect(seen[0]?.payload).toMatchObject({
        type: "event_callback",
        event: { type: "app_home_opened", tab: "home" },
      });
    } finally {
      socket.close();
      await server.close();
    }
  });
});
