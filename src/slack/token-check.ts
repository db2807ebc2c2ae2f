/**
 * Asks Slack whether it accepts the bot token (`auth.test`) before the bot takes requests. Without
 * this Bolt finds out on the first request, which then fails for the person who sent it while
 * `/readyz` says all is well. A token Slack refuses (revoked, uninstalled app, another workspace's,
 * a typo) stops the start with a message that says what to fix. Slack not answering (unreachable,
 * a timeout, a rate limit, an error of its own) does not: the bot starts, and its calls retry as
 * they always do.
 */
import { WebClient } from "@slack/web-api";
import type { Logger } from "../logger.js";
import { boltLogger } from "./app.js";

/** `auth.test` errors that mean the token itself is refused, so every request would fail. */
const REFUSED = new Set([
  "invalid_auth",
  "not_authed",
  "account_inactive",
  "token_revoked",
  "token_expired",
  "not_allowed_token_type",
  "not_bearer_token",
  "team_disabled",
]);

/** Who the token belongs to, as `auth.test` says. */
export interface BotIdentity {
  botId: string | undefined;
  botUserId: string | undefined;
}

export type TokenCheck =
  | { kind: "accepted"; team: string | undefined; identity: BotIdentity }
  | { kind: "refused"; error: string }
  | { kind: "unchecked"; error: unknown };

export async function checkBotToken(
  token: string,
  options: { apiUrl?: URL | undefined; timeoutMs?: number | undefined; logger: Logger },
): Promise<TokenCheck> {
  const client = new WebClient(token, {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl.toString() } : {}),
    timeout: options.timeoutMs ?? 5_000,
    // One try: a start must not hang on Slack's retry schedule (it would wait for minutes).
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: boltLogger(options.logger),
  });
  try {
    const answer = await client.auth.test();
    return {
      kind: "accepted",
      team: answer.team,
      identity: { botId: answer.bot_id, botUserId: answer.user_id },
    };
  } catch (error) {
    const code = (error as { data?: { error?: unknown } }).data?.error;
    if (typeof code === "string" && REFUSED.has(code)) return { kind: "refused", error: code };
    return { kind: "unchecked", error };
  }
}
