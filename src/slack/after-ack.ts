/**
 * The work a listener does after its ack (filing an inline request, answering `status` and
 * `history`, deciding on an Approve or Cancel click), run a bounded number at a time.
 *
 * Node has one event loop: without a bound, a burst of commands runs all their after-ack work at
 * once and every newer request's ack waits behind it, while Slack shows an error for whatever is not
 * acked within 3 seconds (and never sends it again). With it, acks go first and the work waits its turn in arrival order; RDS and
 * Slack also see a few calls from us at a time rather than a burst that would be throttled.
 * The queued work belongs to its listener's promise, so a graceful stop waits for it like any other.
 *
 * Not for work tied to a trigger id (opening a modal): Slack voids the trigger after 3 seconds.
 */
import pLimit, { type LimitFunction } from "p-limit";

/** Enough to keep RDS and Slack round trips overlapping; few enough that acks never queue behind them. */
export const AFTER_ACK_CONCURRENCY = 8;

export type AfterAck = LimitFunction;

export function afterAckQueue(concurrency = AFTER_ACK_CONCURRENCY): AfterAck {
  return pLimit(concurrency);
}
