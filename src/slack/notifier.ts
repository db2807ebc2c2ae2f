/**
 * Delivers queued notifications to Slack: posts or updates the approval card, replies in its
 * thread, and tells the requester. Each call renders from the request as stored now, so a repeated
 * delivery shows the current truth. A rate limit surfaces as `RetryLaterError` with Slack's
 * Retry-After; the outbox waits that long instead of the Web API client blocking for minutes.
 */
import { ErrorCode, type WebClient } from "@slack/web-api";
import { type Notification, type Notifier, RetryLaterError } from "../backup/ports.js";
import type { BackupRequest, MessageRef } from "../domain/request.js";
import { channelLink } from "./text.js";
import { approvalCard, type RenderedMessage } from "./views/approval-card.js";
import { requesterMessage, summaryLine, threadReply } from "./views/thread.js";

export interface NotifierOptions {
  approvalChannelId: string;
  /** The moment of rendering ("in 3 h" on a scheduled card). */
  clock?: (() => Date) | undefined;
}

export class SlackNotifier implements Notifier {
  constructor(
    private readonly client: WebClient,
    private readonly options: NotifierOptions,
  ) {}

  async deliver(notification: Notification, request: BackupRequest): Promise<{ card?: MessageRef }> {
    try {
      return await this.send(notification, request);
    } catch (error) {
      throw asRetryable(error);
    }
  }

  private async send(notification: Notification, request: BackupRequest): Promise<{ card?: MessageRef }> {
    switch (notification.kind) {
      case "card":
        return this.postOrUpdateCard(request);
      case "thread": {
        const card = requireCard(request);
        await this.post(card.channel, threadReply(request, notification.event), card.ts);
        return {};
      }
      case "requester": {
        const link = await this.linkToCard(request);
        const message = requesterMessage(request, notification.event, link);
        if (message) await this.tellRequester(request, message, notification.event.type === "filed");
        return {};
      }
      case "summary": {
        const message = summaryLine(request, notification.event, await this.linkToCard(request));
        if (message) await this.post(notification.channel, message);
        return {};
      }
    }
  }

  private async postOrUpdateCard(request: BackupRequest): Promise<{ card?: MessageRef }> {
    const rendered = approvalCard(request, this.options.clock?.() ?? new Date());
    if (request.card) {
      await this.client.chat.update({ channel: request.card.channel, ts: request.card.ts, ...rendered });
      return {};
    }
    const posted = await this.client.chat.postMessage({
      channel: this.options.approvalChannelId,
      ...rendered,
      unfurl_links: false,
    });
    if (!posted.ts || !posted.channel) throw new Error("chat.postMessage answered without ts/channel");
    return { card: { channel: posted.channel, ts: posted.ts } };
  }

  private async post(channel: string, message: RenderedMessage, threadTs?: string): Promise<void> {
    await this.client.chat.postMessage({
      channel,
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
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
  ): Promise<void> {
    const origin = request.originChannelId;
    if (filed && origin && origin !== this.options.approvalChannelId) {
      try {
        await this.client.chat.postEphemeral({
          channel: origin,
          user: request.requesterId,
          text: message.text,
          blocks: message.blocks,
        });
        return;
      } catch (error) {
        if (isRateLimited(error)) throw error;
      }
    }
    await this.post(request.requesterId, message);
  }

  private async linkToCard(request: BackupRequest): Promise<string> {
    const card = request.card;
    if (!card) return channelLink(this.options.approvalChannelId);
    try {
      const answer = await this.client.chat.getPermalink({ channel: card.channel, message_ts: card.ts });
      return answer.permalink ?? channelLink(card.channel);
    } catch (error) {
      if (isRateLimited(error)) throw error;
      return channelLink(card.channel);
    }
  }
}

function requireCard(request: BackupRequest): MessageRef {
  // Messages of one request are delivered in order and the card comes first; if it is missing,
  // posting it failed, and this reply waits until it exists.
  if (!request.card) throw new Error(`the approval card of ${request.id} is not posted yet`);
  return request.card;
}

function isRateLimited(error: unknown): error is { retryAfter: number } {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as { code?: unknown }).code === ErrorCode.RateLimitedError &&
    typeof (error as { retryAfter?: unknown }).retryAfter === "number"
  );
}

function asRetryable(error: unknown): unknown {
  if (isRateLimited(error)) {
    return new RetryLaterError("Slack rate limit", error.retryAfter * 1000, { cause: error });
  }
  return error;
}
