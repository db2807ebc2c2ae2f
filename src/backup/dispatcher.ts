/**
 * Delivers the notifications the store holds (the outbox) through the `Notifier`. Each request's
 * messages go out in order, one at a time; a failure is retried later with backoff (or after
 * Slack's Retry-After), so a Slack outage, a rate limit or a restart delays messages but loses none.
 * Several replicas can run dispatchers on one store: a lease keeps each message with one of them.
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "../logger.js";
import { Poller } from "./poller.js";
import { type Notifier, type OutboxItem, type RequestStore, RetryLaterError } from "./ports.js";

export interface DispatcherOptions {
  /** How often to look for due messages when nobody kicks. */
  pollMs: number;
  /** How long a claimed message stays ours before another dispatcher may take it. */
  leaseMs: number;
  batchSize: number;
  maxBackoffMs: number;
}

/**
 * The lease outlives one Slack call (the Web API client gives up after 10 s) with room to spare,
 * and is short enough that a restarted bot picks up what a killed one had claimed within seconds.
 */
const DEFAULTS: DispatcherOptions = {
  pollMs: 1_000,
  leaseMs: 20_000,
  batchSize: 20,
  maxBackoffMs: 5 * 60_000,
};

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
    this.options = { ...DEFAULTS, ...options };
    this.poller = new Poller(() => this.round(), this.options.pollMs, log, "notification");
  }

  start(): void {
    this.poller.start();
  }

  /** Runs a round now (or right after the current one). */
  kick(): void {
    this.poller.kick();
  }

  /** Stops taking new rounds and waits for the current one. */
  stop(): Promise<void> {
    return this.poller.stop();
  }

  /** Delivers everything due now, round after round, until a round finds nothing. */
  async flush(): Promise<void> {
    while ((await this.round()) > 0) {
      // keep going: each round sends at most one message per request
    }
  }

  private async round(): Promise<number> {
    const items = await this.store.claimNotifications(
      this.owner,
      this.clock(),
      this.options.leaseMs,
      this.options.batchSize,
    );
    // Different requests in parallel; one request's messages stay in order (one per round).
    await Promise.all(items.map((item) => this.deliver(item)));
    return items.length;
  }

  private async deliver(item: OutboxItem): Promise<void> {
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
      const result = await this.notifier.deliver(item.notification, request);
      if (result.card) await this.store.setCard(request.id, result.card);
      await this.store.markDelivered(item.id, this.owner);
      log.debug("notification delivered");
    } catch (error) {
      const waitMs =
        error instanceof RetryLaterError
          ? error.retryAfterMs
          : Math.min(this.options.maxBackoffMs, 1_000 * 2 ** Math.min(item.attempts, 10));
      log.warn({ err: error, retryInMs: waitMs }, "notification not delivered; will retry");
      await this.store.markFailed(
        item.id,
        this.owner,
        new Date(this.clock().getTime() + waitMs),
        error instanceof Error ? error.message : String(error),
      );
    }
  }
}
