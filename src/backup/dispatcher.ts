/**
 * Delivers the notifications the store holds (the outbox) through the `Notifier`. Each destination
 * of a request (its card and thread, its requester, each notification channel) gets its messages in
 * order, one at a time, and the destinations go independently: a message that cannot go holds up
 * only the ones behind it in the same place. A failure is retried later with backoff (or after
 * Slack's Retry-After), so a Slack outage, a rate limit or a restart delays messages but loses none.
 * A message Slack refuses for good (the bot is not in the channel, the person left) is tried a few
 * times, in case someone fixes it meanwhile, then set aside, logged and counted, and the requester
 * is told when it was their approval card. When the bot learns it may post there again (it was
 * invited, or the start-up check finds the channel usable), `release` puts back what was set aside
 * for the requests still under way, and the requester learns once their card is posted.
 *
 * Several replicas can run dispatchers on one store: a lease keeps each message with one of them,
 * and a delivery finishes or gives up well inside it (half the lease), so a message is never sent
 * by two replicas at once.
 */
import { randomUUID } from "node:crypto";
import type { MessageRef } from "../domain/request.js";
import type { Logger } from "../logger.js";
import { Poller } from "./poller.js";
import {
  type Notification,
  type Notifier,
  type OutboxItem,
  type RequestStore,
  RetryLaterError,
  UndeliverableError,
  type UndeliverableReason,
} from "./ports.js";

export interface DispatcherOptions {
  /** How often to look for due messages when nobody kicks. */
  pollMs: number;
  /** How long a claimed message stays ours before another dispatcher may take it. */
  leaseMs: number;
  batchSize: number;
  maxBackoffMs: number;
  /** How many times a message the platform refuses for good is tried before it is set aside. */
  undeliverableAttempts: number;
  /** Told whenever a message is set aside (for the metrics and readiness). */
  onSetAside?: ((notification: Notification, error: UndeliverableError) => void) | undefined;
  /** Told how many set-aside messages went back into the outbox (for the metrics). */
  onReleased?: ((count: number) => void) | undefined;
}

/**
 * A delivery may take half the lease (the notifier gives up on time), short enough that a restarted
 * bot picks up what a killed one had claimed within seconds.
 */
export const DISPATCHER_DEFAULTS: DispatcherOptions = {
  pollMs: 1_000,
  leaseMs: 20_000,
  batchSize: 20,
  maxBackoffMs: 5 * 60_000,
  undeliverableAttempts: 3,
};

/** Refusals that mean the approval channel itself cannot be used: the requester must know. */
const CHANNEL_REFUSALS: ReadonlySet<UndeliverableReason> = new Set([
  "no_access",
  "archived",
  "restricted",
  "missing_scope",
]);

/** How much of the lease one delivery may use. */
export function deliveryBudgetMs(leaseMs: number): number {
  return Math.floor(leaseMs / 2);
}

export class NotificationDispatcher {
  readonly owner = `dispatcher-${randomUUID()}`;
  private readonly options: DispatcherOptions;
  private readonly poller: Poller;

  constructor(
    private readonly store: RequestStore,
    private readonly notifier: Notifier,
    private readonly log: Logger,
    options: Partial<DispatcherOptions> = {},
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.options = { ...DISPATCHER_DEFAULTS, ...options };
    this.poller = new Poller(() => this.round(), this.options.pollMs, log, "notification");
  }

  start(): void {
    this.poller.start();
  }

  /** Runs a round now (or right after the current one). */
  kick(): void {
    this.poller.kick();
  }

  /**
   * The bot may post in `channel` again: what was set aside there for requests still under way
   * (a pending or scheduled request's unposted card, the replies behind it) goes back into the
   * outbox, in its old order, exactly once however many replicas hear of it. A request whose card
   * goes back gets a note to its requester behind it, with the card's link. `codes`: the
   * platform's refusals that being able to post there fixes (the rest stay set aside: released
   * again, they would only be refused again, at every check). Returns how many messages went back.
   */
  async release(channel: string, approvalChannelId: string, codes: readonly string[]): Promise<number> {
    const released = await this.store.releaseSetAside(
      channel,
      approvalChannelId,
      [{ kind: "requester", event: { type: "approval_posted" }, dedupeKey: "requester:approval_posted" }],
      codes,
    );
    let count = 0;
    for (const entry of released) {
      count += entry.count;
      this.log.info(
        { requestId: entry.requestId, channel, released: entry.count, card: entry.card },
        "the bot may post there again: messages set aside for this request go out now",
      );
    }
    if (count > 0) {
      this.options.onReleased?.(count);
      this.kick();
    }
    return count;
  }

  /** Stops taking new rounds and waits for the current one. */
  stop(): Promise<void> {
    return this.poller.stop();
  }

  /**
   * Delivers everything due now, round after round, until a round finds nothing. With a
   * `deadline` (a stop), no round starts after it and no delivery makes a call that could end after
   * it: what is left stays in the outbox, and nothing is still writing when the caller goes on
   * (to close the store: a card posted but not recorded would be posted again at the next start).
   */
  async flush(deadline?: number): Promise<void> {
    while (deadline === undefined || this.clock().getTime() < deadline) {
      if ((await this.round(deadline)) === 0) return;
    }
  }

  private async round(deadline?: number): Promise<number> {
    const claimedAt = this.clock().getTime();
    const items = await this.store.claimNotifications(
      this.owner,
      new Date(claimedAt),
      this.options.leaseMs,
      this.options.batchSize,
    );
    // Different destinations in parallel; one destination's messages stay in order (one per round).
    await Promise.all(items.map((item) => this.deliver(item, claimedAt, deadline)));
    return items.length;
  }

  private async deliver(item: OutboxItem, claimedAt: number, deadline?: number): Promise<void> {
    const log = this.log.child({
      requestId: item.requestId,
      notification: item.notification.kind,
      attempt: item.attempts + 1,
    });
    try {
      const request = await this.store.get(item.requestId);
      if (!request) {
        await this.store.markDelivered(item.id, this.owner);
        return;
      }
      const now = this.clock().getTime();
      const withinMs = Math.min(
        deliveryBudgetMs(this.options.leaseMs) - (now - claimedAt),
        deadline === undefined ? Number.POSITIVE_INFINITY : deadline - now,
      );
      if (withinMs <= 0) throw new RetryLaterError("no time left in this round's lease", 0, { paced: true });
      const result = await this.notifier.deliver(item.notification, request, { withinMs });
      if (result.card) await this.keepOneCard(request.id, result.card, log);
      await this.store.markDelivered(item.id, this.owner);
      log.debug("notification delivered");
    } catch (error) {
      if (error instanceof UndeliverableError) {
        await this.refused(item, error, log);
        return;
      }
      const waitMs =
        error instanceof RetryLaterError
          ? error.retryAfterMs
          : Math.min(this.options.maxBackoffMs, 1_000 * 2 ** Math.min(item.attempts, 10));
      if (error instanceof RetryLaterError && error.paced) {
        log.debug({ retryInMs: waitMs, why: error.message }, "notification waits for its turn");
      } else {
        log.warn({ err: error, retryInMs: waitMs }, "notification not delivered; will retry");
      }
      await this.store.markFailed(
        item.id,
        this.owner,
        new Date(this.clock().getTime() + waitMs),
        error instanceof Error ? error.message : String(error),
      );
    }
  }

  /**
   * Stores the card just posted, unless another replica stored one first: then ours is a
   * duplicate with live buttons that would never be updated, and goes.
   */
  private async keepOneCard(requestId: string, posted: MessageRef, log: Logger): Promise<void> {
    const kept = await this.store.setCard(requestId, posted);
    if (!kept || (kept.channel === posted.channel && kept.ts === posted.ts)) return;
    log.warn({ kept, duplicate: posted }, "another replica posted this card first; removing ours");
    await this.notifier
      .retractCard(posted)
      .catch((error: unknown) =>
        log.error({ err: error, duplicate: posted }, "could not remove a duplicate card"),
      );
  }

  /** A message the platform will not take: a few more tries, then set aside and tell someone. */
  private async refused(item: OutboxItem, error: UndeliverableError, log: Logger): Promise<void> {
    const facts = { reason: error.reason, code: error.detail.code, channel: error.detail.channel };
    // A reply whose card was set aside can never go; anything else may be fixed meanwhile.
    const last = error.reason === "no_card" || item.attempts + 1 >= this.options.undeliverableAttempts;
    if (!last) {
      const waitMs = Math.min(this.options.maxBackoffMs, 1_000 * 2 ** Math.min(item.attempts, 10));
      log.warn({ ...facts, retryInMs: waitMs }, "Slack refused the notification; will try again");
      await this.store.markFailed(
        item.id,
        this.owner,
        new Date(this.clock().getTime() + waitMs),
        error.message,
      );
      return;
    }
    log.error({ ...facts, err: error }, "Slack refuses this notification for good; set aside");
    await this.store.setAside(item.id, this.owner, `${error.detail.code}: ${error.message}`);
    this.options.onSetAside?.(item.notification, error);
    const { kind } = item.notification;
    if ((kind === "card" || kind === "thread") && CHANNEL_REFUSALS.has(error.reason)) {
      await this.store.enqueue(item.requestId, [
        {
          kind: "requester",
          event: {
            type: "approval_unreachable",
            channel: error.detail.channel ?? "",
            reason: error.reason,
            code: error.detail.code,
          },
          dedupeKey: "requester:approval_unreachable",
        },
      ]);
      this.kick();
    }
  }
}
