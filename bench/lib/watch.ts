/**
 * Watches the Slack emulator's recorded calls once, as they arrive, and answers "when did X
 * happen" questions without rescanning the whole call list (a 10,000-lifecycle run records a
 * hundred thousand calls). Uses the emulator's `waitFor(predicate)`, whose predicate sees every
 * call; it never matches, so it lives as long as the emulator.
 */
import type { RdsEmulator } from "../../src/sandbox/rds-emulator.js";
import type { RecordedCall, SlackEmulator } from "../../src/sandbox/slack-emulator.js";
import { announcesJob } from "../../test/faults/announcements.js";

const REQUEST_ID = /req-[0-9a-hjkmnp-tv-z]{10}/;
const NUMBER = /\d{5,20}/g;

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/** One kind of event keyed by a string: the first arrival resolves a waiter, or waits for one. */
class Mailbox<T> {
  private readonly arrived = new Map<string, T>();
  private readonly waiting = new Map<string, Waiter<T>>();

  constructor(private readonly what: string) {}

  deliver(key: string, value: T): void {
    const waiter = this.waiting.get(key);
    if (waiter) {
      this.waiting.delete(key);
      clearTimeout(waiter.timer);
      waiter.resolve(value);
    } else if (!this.arrived.has(key)) {
      this.arrived.set(key, value);
    }
  }

  take(key: string, timeoutMs: number): Promise<T> {
    const already = this.arrived.get(key);
    if (already !== undefined) {
      this.arrived.delete(key);
      return Promise.resolve(already);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(key);
        reject(new Error(`no ${this.what} for ${key} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(key, { resolve, reject, timer });
    });
  }

  forget(): void {
    this.arrived.clear();
  }
}

export interface CardPost {
  ts: string;
  channel: string;
  at: number;
}

export class SlackWatcher {
  /** The bot's answer through a response URL, by response URL id. */
  private readonly responses = new Mailbox<{ text: string; at: number }>("response_url post");
  /** Approval cards posted, by request id. */
  private readonly cards = new Mailbox<CardPost>("approval card");
  /** The job id announced in a card's thread, by the card's ts. */
  private readonly jobs = new Mailbox<{ jobId: string; at: number }>("job announcement");
  /** How many times each job id was announced ("started" or "adopted") in a thread (should be 1). */
  readonly announcements = new Map<string, number>();

  constructor(
    slack: SlackEmulator,
    private readonly rds: RdsEmulator,
    private readonly approvalChannel: string,
  ) {
    slack
      .waitFor(
        (call) => {
          this.see(call);
          return false;
        },
        { timeoutMs: 2 ** 31 - 1 },
      )
      .catch(() => undefined);
  }

  private see(call: RecordedCall): void {
    if (call.faulted) return;
    if (call.method === "response_url" && call.responseUrlId) {
      const text = typeof call.args.text === "string" ? call.args.text : "";
      this.responses.deliver(call.responseUrlId, { text, at: call.at });
      return;
    }
    if (call.method !== "chat.postMessage" || !call.ok) return;
    const ts = typeof call.response?.ts === "string" ? call.response.ts : undefined;
    const channel = typeof call.response?.channel === "string" ? call.response.channel : undefined;
    if (!ts || channel !== this.approvalChannel) return;
    const threadTs = typeof call.args.thread_ts === "string" ? call.args.thread_ts : undefined;
    if (threadTs === undefined) {
      const requestId = REQUEST_ID.exec(JSON.stringify(call.args.blocks ?? ""))?.[0];
      if (requestId) this.cards.deliver(requestId, { ts, channel, at: call.at });
      return;
    }
    const text = typeof call.args.text === "string" ? call.args.text : "";
    for (const candidate of text.match(NUMBER) ?? []) {
      if (this.rds.job(candidate) && announcesJob(text, candidate)) {
        this.announcements.set(candidate, (this.announcements.get(candidate) ?? 0) + 1);
        this.jobs.deliver(threadTs, { jobId: candidate, at: call.at });
        return;
      }
    }
  }

  /** The request id the bot named in its answer through `responseUrlId`. */
  async requestIdFrom(responseUrlId: string, timeoutMs = 30_000): Promise<string> {
    const { text } = await this.responses.take(responseUrlId, timeoutMs);
    const id = REQUEST_ID.exec(text)?.[0];
    if (!id) throw new Error(`the bot's answer names no request: ${text.slice(0, 300)}`);
    return id;
  }

  /** The bot's answer through a response URL. */
  async response(responseUrlId: string, timeoutMs = 30_000): Promise<string> {
    return (await this.responses.take(responseUrlId, timeoutMs)).text;
  }

  card(requestId: string, timeoutMs = 30_000): Promise<CardPost> {
    return this.cards.take(requestId, timeoutMs);
  }

  jobAnnounced(cardTs: string, timeoutMs = 30_000): Promise<{ jobId: string; at: number }> {
    return this.jobs.take(cardTs, timeoutMs);
  }

  /** Drops what arrived but nobody asked for (between phases). */
  forget(): void {
    this.responses.forget();
    this.cards.forget();
    this.jobs.forget();
  }
}
