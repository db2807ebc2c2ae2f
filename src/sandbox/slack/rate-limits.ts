/**
 * Slack's per-channel posting limit: "chat.postMessage generally allows posting one message per
 * second per channel" and "Posting messages: 1 per second. Short bursts >1 allowed"
 * (api.slack.com/docs/rate-limits); chat.postMessage's page adds "Generous burst behavior is also
 * granted". Above it Slack answers HTTP 429 with `Retry-After` in seconds, for that method and
 * channel. Modelled as a token bucket per channel, on the emulator's clock. Slack publishes no burst
 * size: one measurement found about 25 (RamblingCookieMonster/PSSlack#52); we take 20.
 */
import type { SlackRateLimit } from "./types.js";
import { type Args, str } from "./wire.js";
import type { Workspace } from "./workspace.js";

/** Default: 1 a second, bursts of 20 (see above). */
export const DEFAULT_POST_MESSAGE_LIMIT: SlackRateLimit = { perSecond: 1, burst: 20 };

interface Bucket {
  tokens: number;
  at: number;
}

export class PostingRateLimit {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly workspace: Workspace,
    private readonly limit: SlackRateLimit | false,
  ) {}

  /**
   * Takes a token for this call when it is a post to a channel; answers the `Retry-After` seconds
   * when the channel has none left (the call is then refused, and takes nothing).
   */
  retryAfter(method: string, args: Args): number | undefined {
    if (method !== "chat.postMessage" || this.limit === false) return undefined;
    const { perSecond, burst } = this.limit;
    const given = str(args, "channel") ?? "";
    const key = this.workspace.lookupChannel(given)?.id ?? given;
    const now = this.workspace.now();
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond));
  }
}
