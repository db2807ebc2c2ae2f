/**
 * Posting pace per channel. Slack's chat.postMessage "generally allows posting one message per
 * second per channel" with short bursts (api.slack.com/docs/rate-limits), and a 429's Retry-After
 * is for that method and channel. So each channel gets its own schedule: a burst of a few, then
 * one a second; and after a 429 nothing goes to that channel until Retry-After has passed, while
 * other channels carry on. Within one process; replicas each keep their own, and Slack's 429 is
 * what keeps them honest with each other.
 *
 * The schedule is a virtual clock per channel (the generic cell rate algorithm): each post moves
 * the channel's "theoretical arrival time" one interval on, and a post may go once it is within the
 * burst allowance of now.
 */
import { RetryLaterError } from "../backup/ports.js";

export interface PaceOptions {
  /** Posts per second per channel, sustained. */
  perSecond: number;
  /** How many may go back to back before the pace applies. */
  burst: number;
}

/**
 * Slack's figure, one a second, with a burst: chat.postMessage's page says "Generous burst behavior
 * is also granted" without a number. Our reading: 10, half the emulator's (src/sandbox/slack/
 * rate-limits.ts), so the bot alone keeps under Slack's limit and a 429 means another sender.
 */
export const SLACK_POST_PACE: PaceOptions = { perSecond: 1, burst: 10 };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export class ChannelPacer {
  /** Per channel: when its schedule is next free (ms, on `now`'s clock). */
  private readonly arrival = new Map<string, number>();
  private readonly intervalMs: number;
  private readonly toleranceMs: number;

  constructor(
    options: PaceOptions = SLACK_POST_PACE,
    private readonly now: () => number = Date.now,
  ) {
    this.intervalMs = 1_000 / options.perSecond;
    this.toleranceMs = (Math.max(1, options.burst) - 1) * this.intervalMs;
  }

  /**
   * Waits for this channel's next slot and takes it. When the slot comes later than `deadline`
   * (ms on the same clock), takes nothing and throws a `RetryLaterError` for when it would come.
   */
  async take(channel: string, deadline: number): Promise<void> {
    const now = this.now();
    const tat = Math.max(this.arrival.get(channel) ?? now, now);
    const allowedAt = tat - this.toleranceMs;
    if (allowedAt > deadline) {
      throw new RetryLaterError(`channel ${channel} is busy: its next slot is later`, allowedAt - now, {
        paced: true,
      });
    }
    this.arrival.set(channel, tat + this.intervalMs);
    this.forgetIdle(now);
    if (allowedAt > now) await sleep(allowedAt - now);
  }

  /** Slack answered 429 for this channel: nothing goes there for `retryAfterMs`. */
  block(channel: string, retryAfterMs: number): void {
    const until = this.now() + retryAfterMs;
    // The next post may go at `until` (its arrival minus the tolerance), then one per interval.
    const blockedArrival = until + this.toleranceMs;
    this.arrival.set(channel, Math.max(this.arrival.get(channel) ?? 0, blockedArrival));
  }

  /** Channels whose schedule is in the past need no entry (keeps the map small). */
  private forgetIdle(now: number): void {
    if (this.arrival.size < 1_000) return;
    for (const [channel, tat] of this.arrival) if (tat < now) this.arrival.delete(channel);
  }
}
