/**
 * Bodies of the Slack requests the benchmark sends: a slash command and a button click, built like
 * the user simulator builds them (src/sandbox/slack-user-simulator.ts) but without its bookkeeping,
 * so thousands can be sent cheaply. Response URLs come from the emulator, so the bot's answers land.
 */
import type { SlackEmulator } from "../../src/sandbox/slack-emulator.js";
import { APPROVE_ACTION_ID, COMMAND, DECISION_BLOCK_ID } from "../../src/slack/ids.js";

export function commandBody(
  slack: SlackEmulator,
  options: { userId: string; channelId: string; text: string },
): { body: string; responseUrlId: string } {
  const { id, url } = slack.issueResponseUrl({ user: options.userId, channel: options.channelId });
  const form = new URLSearchParams({
    token: "emulator-verification-token",
    team_id: slack.teamId,
    team_domain: slack.teamDomain,
    channel_id: options.channelId,
    channel_name: slack.channelName(options.channelId) ?? options.channelId,
    user_id: options.userId,
    user_name: options.userId.toLowerCase(),
    command: COMMAND,
    text: options.text,
    api_app_id: slack.appId,
    is_enterprise_install: "false",
    response_url: url,
    trigger_id: slack.issueTriggerId(options.userId),
  });
  return { body: form.toString(), responseUrlId: id };
}

/** A click on the approval card's Approve button (`value` is the request id). */
export function approveClickBody(
  slack: SlackEmulator,
  options: { userId: string; channelId: string; messageTs: string; requestId: string },
): { body: string; responseUrlId: string } {
  const { id, url } = slack.issueResponseUrl({
    user: options.userId,
    channel: options.channelId,
    messageTs: options.messageTs,
    ephemeral: false,
  });
  const now = Date.now();
  const payload = {
    type: "block_actions",
    user: { id: options.userId, username: options.userId.toLowerCase(), team_id: slack.teamId },
    api_app_id: slack.appId,
    token: "emulator-verification-token",
    container: {
      type: "message",
      message_ts: options.messageTs,
      channel_id: options.channelId,
      is_ephemeral: false,
    },
    trigger_id: slack.issueTriggerId(options.userId),
    team: { id: slack.teamId, domain: slack.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: options.channelId, name: slack.channelName(options.channelId) ?? options.channelId },
    message: { type: "message", ts: options.messageTs, text: "" },
    state: { values: {} },
    response_url: url,
    actions: [
      {
        action_id: APPROVE_ACTION_ID,
        block_id: DECISION_BLOCK_ID,
        text: { type: "plain_text", text: "Approve" },
        value: options.requestId,
        style: "primary",
        type: "button",
        action_ts: `${Math.floor(now / 1000)}.${String((now % 1000) * 1000).padStart(6, "0")}`,
      },
    ],
  };
  return { body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), responseUrlId: id };
}
