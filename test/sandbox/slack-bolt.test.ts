/**
 * The emulator against the real thing: a minimal Bolt app in HTTP mode, its WebClient pointed at the
 * emulator, driven by the user simulator's signed requests.
 */
import type { AddressInfo } from "node:net";
import {
  App,
  type BlockAction,
  type ButtonAction,
  HTTPReceiver,
  type Logger,
  LogLevel,
  type StaticSelectAction,
} from "@slack/bolt";
import type { KnownBlock, ModalView } from "@slack/web-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  blockText,
  SlackClientRefusal,
  type SlackEmulator,
  type SlackUserSimulator,
  startSlackEmulator,
} from "../../src/sandbox/slack-emulator.js";

const TOKEN = "xoxb-bolt-test";
const SECRET = "signing-secret-for-tests";
const CHANNEL = "C0APPROVALS";
const REQUESTER = "U_ALICE";
const APPROVER = "U_BOB";

const quiet: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

interface Seen {
  retryNum: number | undefined;
  retryReason: string | undefined;
  /** The last command's text, as the app received it. */
  text?: string | undefined;
  buttonValues: string[];
}

function requestModal(engine: string | undefined): ModalView {
  const blocks: KnownBlock[] = [
    {
      type: "input",
      block_id: "DBInstanceId",
      label: { type: "plain_text", text: "Instance" },
      element: { type: "plain_text_input", action_id: "value" },
    },
    {
      type: "input",
      block_id: "Engine",
      dispatch_action: true,
      label: { type: "plain_text", text: "Engine" },
      element: {
        type: "static_select",
        action_id: "engine",
        options: ["MySQL", "SQLServer"].map((e) => ({ text: { type: "plain_text", text: e }, value: e })),
      },
    },
    {
      type: "input",
      block_id: "Picker",
      optional: true,
      label: { type: "plain_text", text: "Pick from the list" },
      element: { type: "external_select", action_id: "instance_picker", min_query_length: 2 },
    },
  ];
  if (engine === "MySQL") {
    blocks.push({
      type: "input",
      block_id: "BackupMethod",
      label: { type: "plain_text", text: "Method" },
      element: {
        type: "static_select",
        action_id: "value",
        initial_option: { text: { type: "plain_text", text: "Physical" }, value: "Physical" },
        options: ["Physical", "Snapshot"].map((m) => ({ text: { type: "plain_text", text: m }, value: m })),
      },
    });
  }
  return {
    type: "modal",
    callback_id: "rds_backup_request",
    title: { type: "plain_text", text: "Request a backup" },
    submit: { type: "plain_text", text: "Request" },
    blocks,
  };
}

/** A tiny bot with the same shape as the real one: command → modal → approval card → click. */
function buildApp(slack: SlackEmulator, seen: Seen): { app: App; receiver: HTTPReceiver } {
  const receiver = new HTTPReceiver({ signingSecret: SECRET, logger: quiet });
  const app = new App({
    token: TOKEN,
    receiver,
    logger: quiet,
    clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, logger: quiet },
  });

  app.command("/rds-backup", async ({ command, ack, client, respond, context }) => {
    seen.retryNum = context.retryNum;
    seen.retryReason = context.retryReason;
    seen.text = command.text;
    if (command.text === "slow") {
      await new Promise((resolve) => setTimeout(resolve, 150));
      await ack();
      return;
    }
    if (command.text === "help") {
      await ack({ text: "Usage: /rds-backup <DBInstanceId>" });
      return;
    }
    await ack();
    if (command.text === "later") {
      await respond({ text: "checked later, via the response URL" });
      return;
    }
    await client.views.open({ trigger_id: command.trigger_id, view: requestModal(undefined) });
  });

  app.action<BlockAction<StaticSelectAction>>("engine", async ({ ack, body, action, client }) => {
    await ack();
    const view = body.view;
    if (!view) return;
    await client.views.update({
      view_id: view.id,
      hash: view.hash,
      view: requestModal(action.selected_option.value),
    });
  });

  app.options("instance_picker", async ({ ack, options }) => {
    const all = ["rm-alpha", "rm-beta", "rm-gamma"];
    await ack({
      options: all
        .filter((id) => id.includes(options.value))
        .map((id) => ({ text: { type: "plain_text", text: id }, value: id })),
    });
  });

  app.view("rds_backup_request", async ({ ack, view, body, client }) => {
    const instance = view.state.values.DBInstanceId?.value?.value ?? "";
    if (!instance.startsWith("rm-")) {
      await ack({ response_action: "errors", errors: { DBInstanceId: "An instance id starts with rm-" } });
      return;
    }
    await ack();
    const method = view.state.values.BackupMethod?.value?.selected_option?.value ?? "default";
    await client.chat.postMessage({
      channel: CHANNEL,
      text: `Backup of ${instance} requested by <@${body.user.id}>`,
      blocks: [
        {
          type: "section",
          text: { type: "mrkdwn", text: `*${instance}* (${method}) for <@${body.user.id}>` },
        },
        {
          type: "actions",
          block_id: "decision",
          elements: [
            {
              type: "button",
              action_id: "approve_backup",
              text: { type: "plain_text", text: "Approve" },
              value: "req-1",
            },
            {
              type: "button",
              action_id: "reject_backup",
              text: { type: "plain_text", text: "Reject" },
              value: "req-1",
            },
          ],
        },
      ],
    });
  });

  app.action<BlockAction<ButtonAction>>("approve_backup", async ({ ack, body, action, client }) => {
    await ack();
    seen.buttonValues.push(action.value ?? "");
    const channel = body.channel?.id ?? CHANNEL;
    const ts = body.message?.ts ?? "";
    await client.chat.update({
      channel,
      ts,
      text: "Approved",
      blocks: [{ type: "section", text: { type: "mrkdwn", text: `Approved by <@${body.user.id}>` } }],
    });
    await client.chat.postMessage({ channel, thread_ts: ts, text: "Backup job 42 started" });
  });

  return { app, receiver };
}

let slack: SlackEmulator;
let app: App;
let user: SlackUserSimulator;
let seen: Seen;
let userUrl: string;

beforeEach(async () => {
  slack = await startSlackEmulator({
    botToken: TOKEN,
    channels: { [CHANNEL]: { name: "db-approvals", botIsMember: true } },
    users: { [REQUESTER]: { name: "alice" }, [APPROVER]: { name: "bob" } },
  });
  seen = { retryNum: undefined, retryReason: undefined, buttonValues: [] };
  ({ app } = buildApp(slack, seen));
  const server = await app.start({ port: 0, host: "127.0.0.1" });
  const { port } = server.address() as AddressInfo;
  userUrl = `http://127.0.0.1:${port}/slack/events`;
  user = slack.simulator({ requestUrl: userUrl, signingSecret: SECRET });
});

afterEach(async () => {
  await app.stop();
  await slack.close();
});

describe("a full flow through a real Bolt app", () => {
  it("command → modal → dispatch action → errors → submission → approval click", async () => {
    const command = await user.slashCommand({ userId: REQUESTER, channelId: CHANNEL });
    expect(command).toMatchObject({ status: 200, body: undefined, slackErrors: [] });
    const opened = await slack.waitFor("views.open", { trigger_id: command.triggerId });
    expect(opened.ok).toBe(true);
    const view = slack.currentView(REQUESTER);
    expect(view?.callback_id).toBe("rds_backup_request");

    // Picking an engine (dispatch_action) makes the app update the view; typed values survive.
    if (!view) throw new Error("no view");
    user.fillView({ userId: REQUESTER, view, values: { DBInstanceId: "db-1" } });
    const picked = await user.actInView({ userId: REQUESTER, view, actionId: "engine", value: "MySQL" });
    expect(picked.status).toBe(200);
    expect(picked.payload).toMatchObject({
      container: { type: "view", view_id: view.id },
      actions: [
        {
          type: "static_select",
          action_id: "engine",
          block_id: "Engine",
          selected_option: { value: "MySQL" },
        },
      ],
    });
    await slack.waitFor("views.update", { view_id: view.id });
    const updated = slack.currentView(REQUESTER);
    expect(updated?.blocks.map((b) => b.block_id)).toContain("BackupMethod");
    expect(updated?.state.values.Engine?.engine).toMatchObject({ selected_option: { value: "MySQL" } });
    expect(updated?.state.values.DBInstanceId?.value).toEqual({ type: "plain_text_input", value: "db-1" });

    // A wrong value (typed before the update) comes back as field errors keyed by block id.
    const rejected = await user.submitView({ userId: REQUESTER, view: view.id });
    expect(rejected).toMatchObject({
      status: 200,
      responseAction: "errors",
      errors: { DBInstanceId: "An instance id starts with rm-" },
      slackErrors: [],
    });
    expect(slack.isViewOpen(view.id)).toBe(true);

    // The right one closes the modal and posts the approval card; the initial option is submitted.
    const accepted = await user.submitView({
      userId: REQUESTER,
      view: view.id,
      values: { DBInstanceId: "rm-123" },
    });
    expect(accepted.status).toBe(200);
    expect(accepted.payload).toMatchObject({
      type: "view_submission",
      view: {
        state: {
          values: {
            DBInstanceId: { value: { type: "plain_text_input", value: "rm-123" } },
            BackupMethod: { value: { type: "static_select", selected_option: { value: "Physical" } } },
            Picker: { instance_picker: { type: "external_select", selected_option: null } },
          },
        },
      },
    });
    expect(slack.isViewOpen(view.id)).toBe(false);
    await slack.waitFor("chat.postMessage", { channel: CHANNEL });
    const [card] = slack.messages(CHANNEL);
    if (!card) throw new Error("no approval card");
    expect(blockText(card.blocks)).toContain("*rm-123* (Physical)");

    // The approver clicks; the card loses its buttons and the thread gets the news.
    const click = await user.clickButton({ userId: APPROVER, message: card, actionId: "approve_backup" });
    expect(click.status).toBe(200);
    expect(click.payload).toMatchObject({
      type: "block_actions",
      container: { type: "message", message_ts: card.ts, channel_id: CHANNEL },
      actions: [{ action_id: "approve_backup", block_id: "decision", value: "req-1", type: "button" }],
      message: { ts: card.ts },
      response_url: click.responseUrl,
      trigger_id: click.triggerId,
      user: { id: APPROVER },
    });
    const reply = await slack.waitUntil(() => slack.thread(CHANNEL, card.ts)[0]);
    expect(reply.text).toBe("Backup job 42 started");
    const decided = slack.message(CHANNEL, card.ts);
    expect(blockText(decided?.blocks)).toBe("Approved by <@U_BOB>");
    expect(decided?.blocks.some((b) => b.type === "actions")).toBe(false);

    // A stale copy of the card still has the button: a late click reaches the app, with a forged value.
    await user.clickButton({
      userId: APPROVER,
      message: card,
      actionId: "approve_backup",
      value: "req-forged",
    });
    await slack.waitUntil(() => seen.buttonValues.length === 2);
    expect(seen.buttonValues).toEqual(["req-1", "req-forged"]);
    expect(slack.interactions.map((i) => i.type)).toEqual([
      "slash_command",
      "block_actions",
      "view_submission",
      "view_submission",
      "block_actions",
      "block_actions",
    ]);
  });

  it("records a command's ack body as an ephemeral and response URL posts", async () => {
    const help = await user.slashCommand({ userId: REQUESTER, channelId: CHANNEL, text: "help" });
    expect(help.body).toEqual({ text: "Usage: /rds-backup <DBInstanceId>" });
    expect(slack.ephemerals(REQUESTER)).toMatchObject([
      { via: "ack", channel: CHANNEL, text: "Usage: /rds-backup <DBInstanceId>" },
    ]);

    const later = await user.slashCommand({ userId: REQUESTER, channelId: CHANNEL, text: "later" });
    await slack.waitFor("response_url", undefined, 2000);
    expect(slack.responses(later.responseUrlId)).toMatchObject([
      { status: 200, body: { text: expect.any(String) } },
    ]);
    expect(slack.ephemerals(REQUESTER).map((e) => e.via)).toEqual(["ack", "response_url"]);
  });

  it("asks the app for external select options", async () => {
    await user.slashCommand({ userId: REQUESTER, channelId: CHANNEL });
    const view = await slack.waitUntil(() => slack.currentView(REQUESTER));
    const found = await user.requestOptions({
      userId: REQUESTER,
      view,
      actionId: "instance_picker",
      query: "be",
    });
    expect(found.options.map((o) => o.value)).toEqual(["rm-beta"]);
    expect(found.payload).toMatchObject({ type: "block_suggestion", value: "be", block_id: "Picker" });
    await expect(
      user.requestOptions({ userId: REQUESTER, view, actionId: "instance_picker", query: "b" }),
    ).rejects.toThrow(SlackClientRefusal);
  });

  it("lets a person pick from an external select only what the app offered", async () => {
    await user.slashCommand({ userId: REQUESTER, channelId: CHANNEL });
    const view = await slack.waitUntil(() => slack.currentView(REQUESTER));
    await user.requestOptions({ userId: REQUESTER, view, actionId: "instance_picker", query: "be" });
    expect(() => user.fillView({ userId: REQUESTER, view, values: { Picker: "rm-alpha" } })).toThrow(
      /not one of the options/,
    );
    // Typing again offers more; what was offered stays pickable, with the text the app gave it.
    await user.requestOptions({ userId: REQUESTER, view, actionId: "instance_picker", query: "al" });
    user.fillView({ userId: REQUESTER, view, values: { Picker: "rm-alpha" } });
    user.fillView({ userId: REQUESTER, view, values: { Picker: "rm-beta" } });
    expect(slack.view(view.id)?.state.values.Picker?.instance_picker?.selected_option).toEqual({
      text: { type: "plain_text", text: "rm-beta" },
      value: "rm-beta",
    });
  });

  it("refuses what a Slack client would refuse, unless told to bypass it", async () => {
    await user.slashCommand({ userId: REQUESTER, channelId: CHANNEL });
    const view = await slack.waitUntil(() => slack.currentView(REQUESTER));
    const refusal = await user.submitView({ userId: REQUESTER, view, values: {} }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(SlackClientRefusal);
    expect((refusal as SlackClientRefusal).errors).toEqual({
      DBInstanceId: "This field is required.",
      Engine: "This field is required.",
    });
    await expect(
      user.submitView({ userId: REQUESTER, view, values: { DBInstanceId: "rm-1", Engine: "Oracle" } }),
    ).rejects.toThrow(/"Oracle" is not one of the options/);
    await expect(
      user.actInView({ userId: REQUESTER, view, actionId: "value", blockId: "DBInstanceId", value: "rm-1" }),
    ).rejects.toThrow(/without dispatch_action/);
    const forged = await user.submitView({
      userId: REQUESTER,
      view,
      values: { DBInstanceId: "rm-1", Engine: "Oracle" },
      bypassClientChecks: true,
    });
    expect(forged.status).toBe(200);
    expect(forged.payload).toMatchObject({
      view: { state: { values: { Engine: { engine: { selected_option: { value: "Oracle" } } } } } },
    });
  });
});

describe("the app's defences see what Slack would send", () => {
  it("answers 401 to a bad signature, a stale timestamp and no signature", async () => {
    const bad = await user.slashCommand({
      userId: REQUESTER,
      channelId: CHANNEL,
      text: "help",
      badSignature: true,
    });
    expect(bad.status).toBe(401);
    expect(bad.slackErrors).toEqual(["dispatch_failed: the app answered HTTP 401"]);
    const stale = await user.slashCommand({
      userId: REQUESTER,
      channelId: CHANNEL,
      text: "help",
      timestampOffsetSeconds: -600,
    });
    expect(stale.status).toBe(401);
    const unsigned = await user.sendPayload({ type: "block_actions" }, { unsigned: true });
    expect(unsigned.status).toBe(401);
    expect(slack.ephemerals(REQUESTER)).toEqual([]);
  });

  it("sends no retry headers with commands or interactions: Slack never redelivers them", async () => {
    const first = await user.slashCommand({ userId: REQUESTER, channelId: CHANNEL, text: "help" });
    expect(seen.retryNum).toBeUndefined();
    await expect(user.resend(first, { retryNum: 1, retryReason: "http_timeout" })).rejects.toThrow(
      /never redelivers slash commands or interactions/,
    );
    await expect(user.sendPayload({ type: "block_actions", actions: [] }, { retryNum: 1 })).rejects.toThrow(
      /never redelivers/,
    );
    // A replay of the same body (by a proxy, say) arrives without them, like any request.
    const replay = await user.resend(first);
    expect(replay.status).toBe(200);
    expect(seen.retryNum).toBeUndefined();
  });

  it("sends command text escaped, as Slack does", async () => {
    await user.slashCommand({ userId: REQUESTER, channelId: CHANNEL, text: "echo a & b <c>" });
    expect(seen.text).toBe("echo a &amp; b &lt;c&gt;");
  });

  it("reports an answer later than Slack's deadline", async () => {
    const hurried = slack.simulator({ requestUrl: userUrl, signingSecret: SECRET, ackDeadlineMs: 100 });
    const slow = await hurried.slashCommand({ userId: REQUESTER, channelId: CHANNEL, text: "slow" });
    expect(slow.status).toBe(200);
    expect(slow.elapsedMs).toBeGreaterThanOrEqual(100);
    expect(slow.slackErrors).toEqual([
      expect.stringMatching(/^operation_timeout: the app answered after \d+ ms/),
    ]);
  });

  it("counts the network between Slack and the app in the deadline: Slack measures at Slack", async () => {
    const far = slack.simulator({
      requestUrl: userUrl,
      signingSecret: SECRET,
      ackDeadlineMs: 300,
      networkDelayMs: 200,
    });
    const slow = await far.slashCommand({ userId: REQUESTER, channelId: CHANNEL, text: "slow" });
    expect(slow.status).toBe(200);
    expect(slow.elapsedMs).toBeGreaterThanOrEqual(350);
    expect(slow.slackErrors).toEqual([expect.stringMatching(/^operation_timeout/)]);
  });

  it("sends garbage when asked", async () => {
    const garbage = await user.send("payload=%7Bnot-json");
    expect(garbage.status).toBe(400);
  });
});
