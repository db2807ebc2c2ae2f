/**
 * Delivers queued notifications to Slack: posts or updates the approval card, replies in its
 * thread, tells the requester, posts summaries. Each call renders from the request as stored now,
 * so a repeated delivery shows the current truth.
 *
 * The outbox retries, so this does not: its Web API client makes one attempt per call (no retries
 * of its own) with a timeout, and a call starts only when it can end within the delivery's budget
 * (inside the outbox lease). Posts keep each channel's pace (./channel-pacer.ts). Slack's answers
 * are sorted in ./delivery-errors.ts: a 429 waits for Retry-After (for that channel), a refusal
 * for good becomes an `UndeliverableError`.
 */
import type { WebClient } from "@slack/web-api";
import { type Notification, type Notifier, RetryLaterError, UndeliverableError } from "../backup/ports.js";
import type { BackupRequest, MessageRef } from "../domain/request.js";
import { ChannelPacer } from "./channel-pacer.js";
import { deliveryError, retryAfterSeconds } from "./delivery-errors.js";
import { channelLink } from "./text.js";
import { approvalCard, type RenderedMessage } from "./views/approval-card.js";
import { requesterMessage, summaryLine, threadReply } from "./views/thread.js";

export interface NotifierOptions {
  approvalChannelId: string;
  /** The bot's user id, to name it in "/invite @bot" advice. */
  botUserId?: string | undefined;
  /** The client's timeout: a call starts only when this much of the delivery's budget is left. */
  callTimeoutMs: number;
  pacer?: ChannelPacer | undefined;
  now?: (() => number) | undefined;
  /** The moment of rendering ("in 3 h" on a scheduled card). */
  clock?: (() => Date) | undefined;
}

/** Permalinks remembered (one per card; a card's link never changes). */
const PERMALINKS_KEPT = 1_000;
/** The budget when the caller gives none. */
const DEFAULT_BUDGET_MS = 10_000;

/** The time one delivery may still spend, shared by its calls. */
class Budget {
  constructor(
    readonly deadline: number,
    private readonly callTimeoutMs: number,
    private readonly now: () => number,
  ) {}

  /** The latest a call may start and still end in time. */
  get lastStart(): number {
    return this.deadline - this.callTimeoutMs;
  }

  /** Throws when a call started now could outlast the budget. */
  beforeCall(what: string): void {
    if (this.now() > this.lastStart) {
      throw new RetryLaterError(`no time left for ${what} in this delivery`, 0, { paced: true });
    }
  }
}

export class SlackNotifier implements Notifier {
  private readonly pacer: ChannelPacer;
  private readonly now: () => number;
  private readonly permalinks = new Map<string, string>();

  constructor(
    /** A client without retries of its own, whose timeout is `options.callTimeoutMs`. */
    private readonly client: WebClient,
    private readonly options: NotifierOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.pacer = options.pacer ?? new ChannelPacer(undefined, this.now);
  }

  deliver(
    notification: Notification,
    request: BackupRequest,
    budget: { withinMs: number } = { withinMs: DEFAULT_BUDGET_MS },
  ): Promise<{ card?: MessageRef }> {
    const time = new Budget(this.now() + budget.withinMs, this.options.callTimeoutMs, this.now);
    return this.send(notification, request, time);
  }

  async retractCard(card: MessageRef): Promise<void> {
    try {
      await this.client.chat.delete({ channel: card.channel, ts: card.ts });
    } catch (error) {
      throw deliveryError(error, card.channel);
    }
  }

  private async send(
    notification: Notification,
    request: BackupRequest,
    time: Budget,
  ): Promise<{ card?: MessageRef }> {
    switch (notification.kind) {
      case "card":
        return this.postOrUpdateCard(request, time);
      case "thread": {
        // A reminder whose request was decided after it was queued would ask for what is done.
        if (notification.event.type === "reminder" && request.state !== "pending") return {};
        const card = requireCard(request, this.options.approvalChannelId);
        await this.post(card.channel, threadReply(request, notification.event), time, { threadTs: card.ts });
        return {};
      }
      case "requester": {
        // "Your card is posted now" rides behind the card; without one it cannot go either.
        if (notification.event.type === "approval_posted")
          requireCard(request, this.options.approvalChannelId);
        const link = await this.linkToCard(request, time);
        const message = requesterMessage(request, notification.event, link, {
          botUserId: this.options.botUserId,
        });
        if (message) await this.tellRequester(request, message, notification.event.type === "filed", time);
        return {};
      }
      case "summary": {
        const message = summaryLine(request, notification.event, await this.linkToCard(request, time));
        if (message) await this.post(notification.channel, message, time);
        return {};
      }
    }
  }

  private async postOrUpdateCard(request: BackupRequest, time: Budget): Promise<{ card?: MessageRef }> {
    const rendered = approvalCard(request, this.options.clock?.() ?? new Date());
    if (request.card) {
      const { channel, ts } = request.card;
      time.beforeCall("chat.update");
      try {
        await this.client.chat.update({ channel, ts, ...rendered });
      } catch (error) {
        throw deliveryError(error, channel);
      }
      return {};
    }
    const posted = await this.post(this.options.approvalChannelId, rendered, time);
    if (!posted.ts || !posted.channel) throw new Error("chat.postMessage answered without ts/channel");
    return { card: { channel: posted.channel, ts: posted.ts } };
  }

  /** One post, in its channel's turn; a 429 holds back the whole channel for Retry-After. */
  private async post(
    channel: string,
    message: RenderedMessage,
    time: Budget,
    options: { threadTs?: string; dm?: boolean } = {},
  ): Promise<{ ts?: string | undefined; channel?: string | undefined }> {
    await this.pacer.take(channel, time.lastStart);
    time.beforeCall("chat.postMessage");
    try {
      return await this.client.chat.postMessage({
        channel,
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
        ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
      });
    } catch (error) {
      const seconds = retryAfterSeconds(error);
      if (seconds !== undefined) this.pacer.block(channel, seconds * 1000);
      throw deliveryError(error, channel, { dm: options.dm ?? false });
    }
  }

  /**
   * "Filed" goes where the person typed the command, visible only to them; everything later is a
   * direct message, which they see wherever they are. An ephemeral that cannot be shown (the bot is
   * not in that channel) falls back to a direct message.
   */
  private async tellRequester(
    request: BackupRequest,
    message: RenderedMessage,
    filed: boolean,
    time: Budget,
  ): Promise<void> {
    const origin = request.originChannelId;
    if (filed && origin && origin !== this.options.approvalChannelId) {
      time.beforeCall("chat.postEphemeral");
      try {
        await this.client.chat.postEphemeral({
          channel: origin,
          user: request.requesterId,
          text: message.text,
          blocks: message.blocks,
        });
        return;
      } catch (error) {
        if (retryAfterSeconds(error) !== undefined) throw deliveryError(error, origin);
      }
    }
    await this.post(request.requesterId, message, time, { dm: true });
  }

  /**
   * The card's thread, for other views (the Home tab): its permalink from the same cache, asked
   * of Slack within `withinMs`; undefined while the request has no card or Slack did not answer.
   */
  async threadLink(request: BackupRequest, withinMs: number): Promise<string | undefined> {
    if (!request.card) return undefined;
    const time = new Budget(this.now() + withinMs, this.options.callTimeoutMs, this.now);
    const link = await this.linkToCard(request, time);
    return link.startsWith("http") ? link : undefined;
  }

  /** The card's permalink (asked once per card), or the channel when there is no card or no time. */
  private async linkToCard(request: BackupRequest, time: Budget): Promise<string> {
    const card = request.card;
    if (!card) return channelLink(this.options.approvalChannelId);
    const key = `${card.channel}/${card.ts}`;
    const known = this.permalinks.get(key);
    if (known) return known;
    if (this.now() > time.lastStart) return channelLink(card.channel);
    try {
      const answer = await this.client.chat.getPermalink({ channel: card.channel, message_ts: card.ts });
      if (!answer.permalink) return channelLink(card.channel);
      this.remember(key, answer.permalink);
      return answer.permalink;
    } catch {
      // A link is a nicety: the message goes without it rather than wait.
      return channelLink(card.channel);
    }
  }

  private remember(key: string, permalink: string): void {
    if (this.permalinks.size >= PERMALINKS_KEPT) {
      const oldest = this.permalinks.keys().next().value;
      if (oldest !== undefined) this.permalinks.delete(oldest);
    }
    this.permalinks.set(key, permalink);
  }
}

function requireCard(request: BackupRequest, approvalChannelId: string): MessageRef {
  // The card and its replies share one outbox lane and the card comes first: without a card here,
  // posting it was set aside, and no reply can go.
  if (!request.card) {
    throw new UndeliverableError(`the approval card of ${request.id} was never posted`, "no_card", {
      code: "no_card",
      channel: approvalChannelId,
    });
  }
  return request.card;
}
