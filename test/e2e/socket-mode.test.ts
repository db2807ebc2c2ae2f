/**
 * Socket Mode, end to end: the real bot (`SLACK_MODE=socket`, Bolt's SocketModeReceiver, the real
 * store and RDS SDK) on the emulators, with no request URL at all. It opens its WebSocket through
 * `apps.connections.open`, and people act over that socket (src/sandbox/slack-socket.ts): the same
 * payloads as over HTTP, delivered as envelopes and answered with acks.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { SEED } from "../../src/sandbox/rds-emulator.js";
import type { SlackEmulator } from "../../src/sandbox/slack-emulator.js";
import type { SlackSocketServer } from "../../src/sandbox/slack-socket.js";
import {
  APP_TOKEN,
  APPROVAL_CHANNEL,
  BOT_TOKEN,
  eventually,
  fileInline,
  openModalFor,
  REQUEST_CHANNEL,
  settle,
  startStageWorkspace,
  threadTexts,
  USERS,
  useStage,
  waitForCard,
} from "./harness.js";

// -------------------------------------------------------------------------------------------------
// A guard against a regression: the Socket Mode receiver's own WebClient must ask SLACK_API_URL,
// not https://slack.com/api/, for its WebSocket URL. This shim sends any such call to the emulator
// instead (so the rest still runs) and keeps it in `leaked`; the last test requires none.
// -------------------------------------------------------------------------------------------------
const SLACK_COM_API = "https://slack.com/api/";
const realFetch = globalThis.fetch;
const leaked: string[] = [];
let emulatorApiUrl: string | undefined;
const redirectingFetch: typeof fetch = (input, init) => {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  if (emulatorApiUrl !== undefined && url.startsWith(SLACK_COM_API)) {
    leaked.push(url);
    return realFetch(`${emulatorApiUrl}${url.slice(SLACK_COM_API.length)}`, init);
  }
  return realFetch(input, init);
};
beforeAll(() => {
  globalThis.fetch = redirectingFetch;
});
afterAll(() => {
  globalThis.fetch = realFetch;
});

let slack: SlackEmulator;
let socket: SlackSocketServer;
let base: string;

const h = useStage(async (defer) => {
  defer(() => {
    emulatorApiUrl = undefined;
  });
  // The stage's own workspace, started here so the shim knows the emulator's URL first.
  slack = await startStageWorkspace();
  defer(() => slack.close());
  emulatorApiUrl = slack.apiUrl;
  leaked.length = 0;
  return { mode: "socket", slack };
});
beforeEach(() => {
  if (!h.socket) throw new Error("the stage did not start a Socket Mode server");
  socket = h.socket;
  base = `http://127.0.0.1:${h.config.port}`;
});

const lastEnvelope = () => {
  const last = socket.envelopes.at(-1);
  if (!last) throw new Error("no envelope was sent");
  return last;
};

describe("the bot in Socket Mode", () => {
  it("connects with the app-level token: apps.connections.open, one WebSocket, hello, pings both ways", async () => {
    expect(h.config.slack.mode).toBe("socket");
    expect(h.config.slack.signingSecret).toBeUndefined();

    const opens = slack.callsTo("apps.connections.open");
    expect(opens).toHaveLength(1);
    expect(opens[0]?.ok).toBe(true);
    const url = String(opens[0]?.response?.url);
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=[\w-]+&app_id=A\w+$/);

    expect(socket.connections).toHaveLength(1);
    const [connection] = socket.openConnections();
    expect(connection && url.includes(connection.ticket)).toBe(true);
    expect(socket.refused).toEqual([]);

    // The client answers our pings, and pings us (Bolt's client does every ~1.7 s).
    await socket.ping();
    await eventually(
      async () => (socket.openConnections()[0]?.pingsReceived ?? 0) > 0,
      5_000,
      "a client ping",
    );
    expect(socket.openConnections()[0]?.otherMessages).toEqual([]);
  });

  it("answers GET /healthz and /readyz on PORT, and has no HTTP request URL", async () => {
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });

    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, slack: "connected", store: "ok" });

    // Nothing listens for Slack over HTTP in Socket Mode.
    const events = await fetch(`${base}/slack/events`, { method: "POST", body: "payload=%7B%7D" });
    expect(events.status).toBe(404);
  });

  it("answers /rds-backup help ephemerally through response_url, after a bare ack over the socket", async () => {
    const command = await h.user.slashCommand({
      userId: USERS.requester,
      channelId: REQUEST_CHANNEL,
      text: "help",
    });
    expect(command.status).toBe(200);
    expect(command.slackErrors).toEqual([]);
    expect(command.body).toBeUndefined();

    const envelope = lastEnvelope();
    expect(envelope.envelope.type).toBe("slash_commands");
    expect(envelope.envelope.accepts_response_payload).toBe(true);
    expect(envelope.envelope.payload).toMatchObject({ command: "/rds-backup", text: "help" });
    expect(envelope.outcome).toBe("acked");
    expect(envelope.ackPayload).toEqual({});

    const post = await slack.waitFor(
      "response_url",
      (_args, call) => call.responseUrlId === command.responseUrlId,
    );
    expect(post.args.response_type).toBe("ephemeral");
    expect(String(post.args.text)).toContain("/rds-backup help");
    const shown = slack.ephemerals(USERS.requester, REQUEST_CHANNEL);
    expect(shown.map((e) => e.via)).toEqual(["response_url"]);
  });

  it("files `/rds-backup rm-bp1mysql01`, and one Approve click over the socket makes one CreateBackup", async () => {
    const card = await fileInline(h, USERS.requester, SEED.mysql);
    expect(card.channel).toBe(APPROVAL_CHANNEL);
    expect(JSON.stringify(card.blocks)).toContain("approve_backup");
    expect(lastEnvelope().envelope.type).toBe("slash_commands");

    const click = await h.user.clickButton({
      userId: USERS.approver,
      message: card,
      actionId: "approve_backup",
    });
    expect(click.status).toBe(200);
    expect(click.slackErrors).toEqual([]);
    const envelope = lastEnvelope();
    expect(envelope.envelope).toMatchObject({
      type: "interactive",
      accepts_response_payload: false,
      payload: { type: "block_actions", actions: [{ action_id: "approve_backup" }] },
    });
    expect(envelope.outcome).toBe("acked");

    await slack.waitUntil(
      () => threadTexts(h, card).some((text) => text.includes("Backup started")),
      10_000,
      "the job id in the thread",
    );
    const job = h.rds.jobs(SEED.mysql)[0];
    expect(job).toBeDefined();
    expect(threadTexts(h, card).filter((text) => text.includes(job?.backupJobId ?? "?"))).toHaveLength(1);

    // Only events carry retry fields: Slack never redelivers an interaction.
    expect(envelope.envelope).not.toHaveProperty("retry_attempt");
    await expect(h.user.resend(click, { retryNum: 1, retryReason: "timeout" })).rejects.toThrow(
      /never redelivers/,
    );
    // A double click is a second interaction: still one CreateBackup, one announcement.
    const again = await h.user.clickButton({
      userId: USERS.approver,
      message: card,
      actionId: "approve_backup",
    });
    expect(again.status).toBe(200);
    await settle(h);
    expect(h.rds.count("CreateBackup")).toBe(1);
    expect(threadTexts(h, card).filter((text) => text.includes("Backup started"))).toHaveLength(1);
  });

  it("puts a rejected view submission's response_action errors in the ack payload", async () => {
    // /rds-backup, options for the instance picker, the pick: all over the socket.
    const view = await openModalFor(h, USERS.requester, SEED.mysql);
    const suggestion = socket.envelopes.find((e) => e.envelope.payload.type === "block_suggestion");
    expect(suggestion?.envelope.accepts_response_payload).toBe(true);
    const options = suggestion?.ackPayload?.options ?? suggestion?.ackPayload?.option_groups;
    expect(Array.isArray(options) && options.length > 0).toBe(true);

    // Snapshot is not offered for a local-SSD MySQL instance: a forged value is refused.
    const bad = await h.user.submitView({
      userId: USERS.requester,
      view,
      values: { BackupMethod: "Snapshot" },
      bypassClientChecks: true,
    });
    expect(bad.status).toBe(200);
    expect(bad.slackErrors).toEqual([]);
    expect(bad.responseAction).toBe("errors");
    expect(bad.errors?.BackupMethod).toContain("Snapshot");
    const envelope = lastEnvelope();
    expect(envelope.envelope).toMatchObject({
      type: "interactive",
      accepts_response_payload: true,
      payload: { type: "view_submission" },
    });
    expect(envelope.ackPayload).toMatchObject({
      response_action: "errors",
      errors: { BackupMethod: expect.any(String) },
    });
    expect(slack.isViewOpen(view.id)).toBe(true);
    expect(await h.bot.store.list({ limit: 10, instanceId: SEED.mysql })).toHaveLength(0);

    // The same form with a value it offers goes through: the modal closes and the card is posted.
    const after = slack.calls.length;
    const good = await h.user.submitView({
      userId: USERS.requester,
      view,
      values: { BackupMethod: "Physical" },
    });
    expect(good.status).toBe(200);
    expect(good.errors).toBeUndefined();
    expect(good.responseAction).toBeUndefined();
    expect(slack.isViewOpen(view.id)).toBe(false);
    await waitForCard(h, after);
  });

  it("reconnects when Slack asks it to (disconnect: refresh_requested), and works on the new socket", async () => {
    const [first] = socket.openConnections();
    if (!first) throw new Error("not connected");
    socket.disconnect("refresh_requested");
    const closed = await socket.waitForClose(first.id);
    expect(closed).toMatchObject({ closedBy: "app", closeCode: 1000 });
    await eventually(async () => (await fetch(`${base}/readyz`)).status === 503, 5_000, "not ready");

    // Bolt's client waits clientPingTimeout (5 s) before it asks for a new URL.
    const next = await socket.waitForConnection({ after: first.id, timeoutMs: 15_000 });
    expect(slack.callsTo("apps.connections.open")).toHaveLength(2);
    await eventually(async () => (await fetch(`${base}/readyz`)).status === 200, 5_000, "ready again");

    const command = await h.user.slashCommand({
      userId: USERS.requester,
      channelId: REQUEST_CHANNEL,
      text: "help",
    });
    expect(command.status).toBe(200);
    expect(lastEnvelope().connectionId).toBe(next.id);
  });

  it("stops cleanly: bot.stop() closes the socket (1000) and the HTTP port, and does not reconnect", async () => {
    const [connection] = socket.openConnections();
    if (!connection) throw new Error("not connected");
    await h.stopBot();
    const closed = await socket.waitForClose(connection.id, 2_000);
    expect(closed).toMatchObject({ closedBy: "app", closeCode: 1000 });
    expect(socket.openConnections()).toEqual([]);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();

    // Nothing comes back: no new URL asked for, and a person now gets dispatch_failed.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(slack.callsTo("apps.connections.open")).toHaveLength(1);
    const command = await h.user.slashCommand({
      userId: USERS.requester,
      channelId: REQUEST_CHANNEL,
      text: "help",
    });
    expect(command.status).toBe(0);
    expect(command.slackErrors[0]).toMatch(/^dispatch_failed/);
  });

  it("asks SLACK_API_URL, not slack.com, for its WebSocket URL", () => {
    expect(leaked).toEqual([]);
  });
});

describe("the emulator's Socket Mode server", () => {
  const open = (token: string) =>
    realFetch(`${slack.apiUrl}apps.connections.open`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
    }).then((res) => res.json() as Promise<{ ok: boolean; error?: string; url?: string }>);

  it("gives URLs for the app-level token only, and each URL opens one connection", async () => {
    expect(await open(BOT_TOKEN)).toMatchObject({ ok: false, error: "not_allowed_token_type" });
    expect(await open("xapp-1-A0OTHER-1-nope")).toMatchObject({ ok: false, error: "invalid_auth" });
    const answer = await open(APP_TOKEN);
    expect(answer.ok).toBe(true);

    // The bot's own ticket was used when it connected: using it again is refused.
    const used = String(slack.callsTo("apps.connections.open")[0]?.response?.url);
    const refusal = await new Promise<string>((resolve) => {
      const ws = new WebSocket(used);
      ws.on("open", () => {
        ws.terminate();
        resolve("open");
      });
      ws.on("error", () => resolve("refused"));
    });
    expect(refusal).toBe("refused");
    expect(socket.refused.map((r) => r.reason)).toEqual(["ticket_already_used"]);
  });
});
