/**
 * Slack's answers to a delivery, sorted into what the outbox can do about them: try again later
 * (`RetryLaterError`: a 429), never mind trying again (`UndeliverableError`: the code below), or
 * anything else (a timeout, a 5xx: backoff and retry).
 *
 * The codes are those of the methods' error lists in Slack's OpenAPI spec
 * (slackapi/slack-api-specs, web-api/slack_web_openapi_v2.json) and method pages:
 * chat.postMessage: channel_not_found, not_in_channel, is_archived, msg_too_long, no_text,
 *   too_many_attachments, restricted_action(_read_only_channel | _thread_only_channel |
 *   _non_threadable_channel), ekm_access_denied, missing_scope, …;
 * chat.postEphemeral: channel_not_found, is_archived, user_not_in_channel, …;
 * chat.update: message_not_found, cant_update_message, channel_not_found, edit_window_closed, …;
 * conversations.open (a post to a user id opens the DM): user_not_found, user_disabled, …;
 * `cannot_dm_bot` is im.open's answer for a bot user; `account_inactive` for a DM is the person's
 * account (for the bot's own token every call fails the same way, and the token check reports it).
 */
import { ErrorCode } from "@slack/web-api";
import { RetryLaterError, UndeliverableError, type UndeliverableReason } from "../backup/ports.js";

const CHANNEL_CODES: Readonly<Record<string, UndeliverableReason>> = {
  not_in_channel: "no_access",
  // A private channel the bot is not in is invisible to it; or the id is wrong.
  channel_not_found: "no_access",
  is_archived: "archived",
  restricted_action: "restricted",
  restricted_action_read_only_channel: "restricted",
  restricted_action_thread_only_channel: "restricted",
  restricted_action_non_threadable_channel: "restricted",
  ekm_access_denied: "restricted",
  missing_scope: "missing_scope",
  message_not_found: "message_gone",
  cant_update_message: "message_gone",
  edit_window_closed: "message_gone",
  thread_not_found: "message_gone",
  msg_too_long: "invalid_message",
  no_text: "invalid_message",
  too_many_attachments: "invalid_message",
  invalid_blocks: "invalid_message",
  invalid_blocks_format: "invalid_message",
};

/**
 * The refusals that the bot's being able to post in the channel again fixes: it was not in it (or
 * could not see it), it was archived, or the message is a reply whose card never went (`no_card`,
 * ./notifier.ts). A message refused for what it is (too long, a card deleted) stays set aside.
 */
export const FIXED_BY_ACCESS: readonly string[] = [
  "not_in_channel",
  "channel_not_found",
  "is_archived",
  "no_card",
];

/** Codes that mean the person on the other end of a DM cannot receive it. */
const RECIPIENT_CODES: ReadonlySet<string> = new Set([
  "user_disabled",
  "account_inactive",
  "cannot_dm_bot",
  "user_not_found",
]);

/** The Web API's error code of a failed call (`not_in_channel`, …), when Slack answered one. */
export function slackErrorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { code, data } = error as { code?: unknown; data?: { error?: unknown } };
  return code === ErrorCode.PlatformError && typeof data?.error === "string" ? data.error : undefined;
}

/** Seconds Slack asked to wait, when the call was rate limited. */
export function retryAfterSeconds(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { code, retryAfter } = error as { code?: unknown; retryAfter?: unknown };
  return code === ErrorCode.RateLimitedError && typeof retryAfter === "number" ? retryAfter : undefined;
}

/**
 * What the outbox should make of a failed call to `channel` (`dm`: the channel is a person, by
 * user id): an `UndeliverableError`, a `RetryLaterError`, or the error itself.
 */
export function deliveryError(error: unknown, channel: string, options: { dm?: boolean } = {}): unknown {
  const seconds = retryAfterSeconds(error);
  if (seconds !== undefined) {
    return new RetryLaterError(`Slack rate limit for ${channel}`, seconds * 1000, { cause: error });
  }
  const code = slackErrorCode(error);
  if (code === undefined) return error;
  const reason = options.dm && RECIPIENT_CODES.has(code) ? "recipient_inactive" : CHANNEL_CODES[code];
  if (!reason) return error;
  return new UndeliverableError(
    `Slack answered ${code} for ${channel}`,
    reason,
    { code, channel },
    { cause: error },
  );
}
