/**
 * The Events API as Slack sends it (Slack's Events API guide, "Receiving events": the outer
 * `event_callback` body; slackapi/slack-api-specs events-api/slack_events_api_asyncapi_v2.json,
 * the envelope's `token`, `team_id`, `api_app_id`, `event`, `type`, `event_id`, `event_time`,
 * `authorizations`), and how it redelivers one the app did not take.
 */
import { randomId } from "./wire.js";
import type { Workspace } from "./workspace.js";

/**
 * When Slack tries an event again (Events API guide, "Error handling" / "Graceful retries"): an
 * answer that is not a 2xx, or none within 3 seconds, is retried "nearly immediately", then after
 * 1 minute, then after 5 minutes: 3 retries, each with `X-Slack-Retry-Num` (1, 2, 3) and
 * `X-Slack-Retry-Reason` (`http_timeout`, `http_error`, …). On a timeout Slack does not wait for
 * the late answer before retrying. An answer with `X-Slack-No-Retry: 1` stops the retries. Over
 * Socket Mode an unacked `events_api` envelope is redelivered the same way, numbered in the
 * envelope's `retry_attempt` / `retry_reason` (an envelope with `retry_reason: "http_timeout"` is
 * quoted in slackapi/bolt-python#1484).
 */
export const SLACK_EVENT_RETRY_DELAYS_MS: readonly number[] = [0, 60_000, 300_000];

/** The `event_callback` body for `event`, with a fresh `event_id` and `event_time`. */
export function eventCallback(
  ws: Workspace,
  event: Record<string, unknown>,
  verificationToken = "emulator-verification-token",
): Record<string, unknown> {
  const now = ws.nowSeconds();
  return {
    token: verificationToken,
    team_id: ws.teamId,
    api_app_id: ws.appId,
    event: { ...event, event_ts: event.event_ts ?? `${now}.${String(ws.nextSerial()).padStart(6, "0")}` },
    type: "event_callback",
    event_id: randomId("Ev", 10),
    event_time: now,
    authorizations: [
      {
        enterprise_id: null,
        team_id: ws.teamId,
        user_id: ws.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  };
}

/**
 * The `member_joined_channel` event for `user` joining `channel` (docs.slack.dev/reference/events/
 * member_joined_channel: `user`, `channel`, `channel_type` a single letter, `C` public, `G`
 * private; `team`; `inviter` when someone invited them). Slack sends it to apps that are members of
 * the channel, the bot's own joining included: undefined when the bot is not in it (no event) or
 * the channel is a DM (nobody joins those).
 */
export function memberJoinedChannel(
  ws: Workspace,
  channel: string,
  user: string,
  inviter?: string,
): Record<string, unknown> | undefined {
  const ch = ws.lookupChannel(channel);
  if (!ch || ch.kind === "im" || !ch.botIsMember) return undefined;
  return {
    type: "member_joined_channel",
    user,
    channel: ch.id,
    channel_type: ch.kind === "private" ? "G" : "C",
    team: ws.teamId,
    ...(inviter !== undefined ? { inviter } : {}),
  };
}
