/**
 * A local emulator of Slack at the protocol boundary, for the tests and `npm run demo`.
 *
 * - The Web API side: `POST /api/<method>` answered like slack.com (form or JSON bodies, bearer
 *   token, `{ ok, … }` / `{ ok: false, error }`, 429 with `Retry-After`), with a model of the
 *   workspace behind it: channels and their messages, threads, ephemerals, DMs, modal views,
 *   trigger ids and response URLs. Every call is recorded and can be waited for; faults can be
 *   scripted per method.
 * - The people side lives in `slack-user-simulator.ts` (`SlackUserSimulator`): signed requests to the
 *   bot's request URL, built from what this emulator recorded.
 *
 * Node built-ins only.
 */
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  cloneJson,
  interactiveElements,
  isRecord,
  LIMITS,
  type SlackBlock,
  type SlackStateValue,
  type SlackStateValues,
  validateBlocks,
  validateModalView,
  withSlackIds,
} from "./slack-blocks.js";
import { SlackUserSimulator, type SlackUserSimulatorOptions } from "./slack-user-simulator.js";

export * from "./slack-blocks.js";
export * from "./slack-user-simulator.js";

// ---------------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------------

/**
 * A scripted failure for the next call(s) of a method (see `failNext`). `delayMs` slows the answer
 * (alone: a slow but otherwise normal answer). `afterProcessing` makes a 5xx or a dropped connection
 * happen after the method ran: Slack did it, the caller cannot know.
 */
export type SlackFault =
  | { readonly status: 429; readonly retryAfter: number; readonly delayMs?: number }
  | { readonly status: 500 | 502 | 503 | 504; readonly afterProcessing?: boolean; readonly delayMs?: number }
  | { readonly drop: true; readonly afterProcessing?: boolean; readonly delayMs?: number }
  | { readonly error: string; readonly extra?: Record<string, unknown>; readonly delayMs?: number }
  | { readonly delayMs: number };

/** One request the emulator received (Web API method, or a post to a response URL). */
export interface RecordedCall {
  /** 1-based position in `calls`; pass `after: emulator.calls.length` to `waitFor` to see only new calls. */
  readonly seq: number;
  /** `chat.postMessage`, …; `response_url` for posts to a response URL. */
  readonly method: string;
  /** The arguments, parsed: form fields as strings, `blocks`/`view`/`attachments`/`metadata` JSON-decoded. */
  readonly args: Record<string, unknown>;
  /** Epoch milliseconds (the emulator's clock). */
  readonly at: number;
  /** The HTTP status answered (0 when the connection was dropped). */
  readonly status: number;
  /** The JSON body answered, when there was one. */
  readonly response: Record<string, unknown> | undefined;
  /** `response.ok === true` and status 200. */
  readonly ok: boolean;
  /** The scripted fault used on this call, if any (a delay-only fault included). */
  readonly fault: SlackFault | undefined;
  /** True when a fault replaced the method's answer (429, 5xx, dropped, scripted error). */
  readonly faulted: boolean;
  /** True when the method's effect happened (false for calls refused by a fault before processing). */
  readonly processed: boolean;
  /** For `response_url` calls: the id of the URL. */
  readonly responseUrlId: string | undefined;
}

/** A message in the emulator's model of a conversation (a snapshot: later changes do not show). */
export interface SlackMessage {
  type: "message";
  channel: string;
  ts: string;
  /** Set on thread replies, and on parents once they have replies. */
  thread_ts?: string;
  user: string;
  bot_id?: string;
  app_id?: string;
  team: string;
  text: string;
  blocks: SlackBlock[];
  attachments?: unknown[];
  metadata?: unknown;
  edited?: { user: string; ts: string };
  reply_count?: number;
  reply_users?: string[];
  latest_reply?: string;
  /** Emulator extra: how many `chat.update`s (or `replace_original`s) changed it. */
  updateCount: number;
  /** Emulator extra: the earlier versions, oldest first. */
  history: Array<{ text: string; blocks: SlackBlock[]; at: number }>;
}

/** An ephemeral message: only `user` sees it. */
export interface SlackEphemeral {
  /** How it got there: `chat.postEphemeral`, a post to a `response_url`, or a command's ack body. */
  via: "chat.postEphemeral" | "response_url" | "ack";
  user: string;
  channel: string;
  /** The `message_ts` Slack gives it. */
  ts: string;
  thread_ts?: string;
  text: string;
  blocks: SlackBlock[];
  at: number;
  /** For `response_url` posts with `replace_original: true`. */
  replacedOriginal?: boolean;
  responseUrlId?: string;
}

/** A modal view as Slack describes it (`views.open` answers this shape). */
export interface SlackView {
  id: string;
  team_id: string;
  type: "modal";
  title: { type: string; text: string; [key: string]: unknown };
  submit?: { type: string; text: string; [key: string]: unknown } | null;
  close?: { type: string; text: string; [key: string]: unknown } | null;
  blocks: SlackBlock[];
  private_metadata: string;
  callback_id: string;
  external_id: string;
  /** Values the person has touched so far (the simulator fills this in as it acts). */
  state: { values: SlackStateValues };
  hash: string;
  clear_on_close: boolean;
  notify_on_close: boolean;
  root_view_id: string;
  previous_view_id: string | null;
  app_id: string;
  app_installed_team_id: string;
  bot_id: string;
}

/** What an app posted to a response URL. */
export interface ResponseUrlPost {
  id: string;
  body: Record<string, unknown>;
  at: number;
  status: number;
}

export interface SlackUserProfile {
  name?: string;
  realName?: string;
  /** Slack locale such as `en-US` or `ja-JP`; `users.info` with `include_locale` returns it. */
  locale?: string;
  tz?: string;
  email?: string;
  isBot?: boolean;
  deleted?: boolean;
}

export interface SlackChannelOptions {
  name?: string;
  private?: boolean;
  /** Who is in it; when omitted, everyone is (so `chat.postEphemeral` works for any user). */
  members?: readonly string[];
  /** Default true: the bot can post there. */
  botIsMember?: boolean;
}

export interface SlackEmulatorOptions {
  /** The bot token the app uses (`xoxb-…`); anything else gets `invalid_auth`. */
  botToken: string;
  /** Further tokens accepted as the same bot (rarely needed). */
  extraTokens?: readonly string[];
  teamId?: string;
  teamDomain?: string;
  teamName?: string;
  botUserId?: string;
  botId?: string;
  botName?: string;
  appId?: string;
  /** People in the workspace. Users named in `locales` or `usergroups` exist too, as does anyone the simulator acts as. */
  users?: Readonly<Record<string, SlackUserProfile>>;
  /** Shortcut for per-user locales: `{ U_JA: "ja-JP" }`. */
  locales?: Readonly<Record<string, string>>;
  /** Locale of users without one; `null` leaves `locale` out of `users.info`. Default `en-US`. */
  defaultLocale?: string | null;
  /** User groups (`S…`) and their members, for `usergroups.users.list`. */
  usergroups?: Readonly<Record<string, readonly string[]>>;
  /**
   * Channels that exist. When given, any other `C…`/`G…` id is `channel_not_found`; when omitted,
   * any well-formed channel id is accepted and created on first use.
   */
  channels?: Readonly<Record<string, SlackChannelOptions>>;
  /** How long a trigger id stays usable; Slack: 3000 ms. */
  triggerTtlMs?: number;
  /** How long a response URL stays usable; Slack: 30 minutes. */
  responseUrlTtlMs?: number;
  /** How many posts a response URL takes; Slack: 5. */
  responseUrlMaxUses?: number;
  /** The clock (epoch ms); inject one to test expiry without waiting. */
  now?: () => number;
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Called with one line per request, for the demo's narration. */
  log?: (line: string) => void;
}

/** Which calls `waitFor(method, where)` matches: a partial deep match on the args, or a function. */
export type CallFilter =
  | Readonly<Record<string, unknown>>
  | ((args: Record<string, unknown>, call: RecordedCall) => boolean);

export interface WaitOptions {
  /** Default 5000 ms. */
  timeoutMs?: number;
  /** Only calls with `seq` greater than this (e.g. `emulator.calls.length` taken earlier). */
  after?: number;
}

/** An interaction the simulator sent to the app, and what came back (for logs and assertions). */
export interface RecordedInteraction {
  type: string;
  user: string;
  payload: Record<string, unknown>;
  status: number;
  body: unknown;
  at: number;
  elapsedMs: number;
}

/** Where a response URL points back to. */
export interface ResponseUrlContext {
  user: string;
  channel: string;
  /** For clicks in a message: the message (for `replace_original` / `delete_original`). */
  messageTs?: string;
  /** Whether the message is an ephemeral one (its replacement stays ephemeral). */
  ephemeral?: boolean;
}

// ---------------------------------------------------------------------------------------------------
// Internals
// ---------------------------------------------------------------------------------------------------

type Args = Record<string, unknown>;
type ApiAnswer = Record<string, unknown> & { ok: boolean };

interface StoredMessage {
  channel: string;
  ts: string;
  threadTs: string | undefined;
  user: string;
  fromBot: boolean;
  text: string;
  blocks: SlackBlock[];
  attachments: unknown[] | undefined;
  metadata: unknown;
  edited: { user: string; ts: string } | undefined;
  replies: StoredMessage[];
  updateCount: number;
  history: Array<{ text: string; blocks: SlackBlock[]; at: number }>;
}

interface ChannelState {
  id: string;
  name: string;
  kind: "channel" | "private" | "im" | "mpim";
  /** For IMs: the other person. */
  user: string | undefined;
  /** Undefined: everyone is a member. */
  members: Set<string> | undefined;
  botIsMember: boolean;
  created: number;
  messages: StoredMessage[];
}

interface TriggerState {
  user: string;
  issuedAt: number;
  used: boolean;
}

interface ResponseUrlState extends ResponseUrlContext {
  id: string;
  issuedAt: number;
  uses: number;
  posts: ResponseUrlPost[];
}

interface ViewState {
  view: SlackView;
  user: string;
  open: boolean;
  updateCount: number;
}

const JSON_FIELDS = ["blocks", "attachments", "view", "metadata"] as const;

const fail = (error: string, extra: Record<string, unknown> = {}): ApiAnswer => ({
  ok: false,
  error,
  ...extra,
});

function str(args: Args, key: string): string | undefined {
  const v = args[key];
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return undefined;
}

function bool(args: Args, key: string): boolean {
  const v = args[key];
  return v === true || v === 1 || v === "true" || v === "1";
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function randomId(prefix: string, length: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  const bytes = randomBytes(length);
  let out = prefix;
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

/** Partial deep match used by `waitFor(method, where)`; primitives compare as strings (form args are strings). */
function matches(actual: unknown, expected: unknown): boolean {
  if (expected === undefined) return true;
  if (expected === null || typeof expected !== "object") {
    if (actual === null || actual === undefined) return expected === actual;
    if (typeof actual === "object") return false;
    return String(actual) === String(expected);
  }
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((e, i) => matches(actual[i], e))
    );
  }
  if (!isRecord(actual)) return false;
  return Object.entries(expected).every(([k, v]) => matches(actual[k], v));
}

function describeCall(call: RecordedCall): string {
  const keys = ["channel", "ts", "thread_ts", "user", "users", "usergroup", "view_id", "trigger_id"];
  const bits = keys.flatMap((k) => (call.args[k] !== undefined ? [`${k}=${String(call.args[k])}`] : []));
  if (typeof call.args.text === "string") bits.push(`text=${JSON.stringify(call.args.text.slice(0, 60))}`);
  const outcome = call.faulted
    ? `fault ${JSON.stringify(call.fault)}`
    : call.ok
      ? "ok"
      : `error=${String(call.response?.error ?? call.status)}`;
  return `#${call.seq} ${call.method} ${bits.join(" ")} → ${outcome}`;
}

// ---------------------------------------------------------------------------------------------------
// The emulator
// ---------------------------------------------------------------------------------------------------

/** Starts the emulator on 127.0.0.1 (a free port unless `port` is given). Close it with `close()`. */
export async function startSlackEmulator(options: SlackEmulatorOptions): Promise<SlackEmulator> {
  const emulator = new SlackEmulator(options);
  await emulator.listen();
  return emulator;
}

export class SlackEmulator {
  readonly teamId: string;
  readonly teamDomain: string;
  readonly teamName: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly botName: string;
  readonly appId: string;

  /** Every request received, in order. */
  readonly calls: RecordedCall[] = [];
  /** Every interaction the simulator sent to the app, in order. */
  readonly interactions: RecordedInteraction[] = [];

  private readonly options: SlackEmulatorOptions;
  private readonly now: () => number;
  private readonly server: Server;
  private readonly events = new EventEmitter();
  private readonly tokens: Set<string>;
  private readonly users = new Map<string, SlackUserProfile>();
  private readonly usergroups = new Map<string, readonly string[]>();
  private readonly channels = new Map<string, ChannelState>();
  private readonly strictChannels: boolean;
  private readonly dmByUser = new Map<string, string>();
  private readonly triggers = new Map<string, TriggerState>();
  private readonly responseUrls = new Map<string, ResponseUrlState>();
  private readonly viewsById = new Map<string, ViewState>();
  /** Per user: the open stack of view ids, root first. */
  private readonly stacks = new Map<string, string[]>();
  private readonly ephemeralList: SlackEphemeral[] = [];
  private readonly faults = new Map<string, SlackFault[]>();
  private readonly methods: Record<string, (args: Args) => ApiAnswer>;
  /** Methods that take another kind of token than the bot's and check it themselves (`defineTokenMethod`). */
  private readonly tokenMethods = new Map<string, (args: Args, token: string) => ApiAnswer>();
  private lastMicros = 0;
  private idCounter = 0;
  private address: AddressInfo | undefined;

  constructor(options: SlackEmulatorOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    this.teamId = options.teamId ?? "T00000001";
    this.teamDomain = options.teamDomain ?? "emulator";
    this.teamName = options.teamName ?? "Emulated Workspace";
    this.botUserId = options.botUserId ?? "U0000BOT1";
    this.botId = options.botId ?? "B00000001";
    this.botName = options.botName ?? "rds-backup-bot";
    this.appId = options.appId ?? "A00000001";
    this.tokens = new Set([options.botToken, ...(options.extraTokens ?? [])]);
    this.events.setMaxListeners(0);

    this.users.set(this.botUserId, { name: this.botName, realName: this.botName, isBot: true });
    for (const [id, profile] of Object.entries(options.users ?? {})) this.users.set(id, { ...profile });
    for (const [id, locale] of Object.entries(options.locales ?? {})) {
      this.users.set(id, { ...this.users.get(id), locale: this.users.get(id)?.locale ?? locale });
    }
    for (const [id, members] of Object.entries(options.usergroups ?? {})) {
      this.usergroups.set(id, [...members]);
      for (const m of members) if (!this.users.has(m)) this.users.set(m, {});
    }
    this.strictChannels = options.channels !== undefined;
    for (const [id, ch] of Object.entries(options.channels ?? {})) {
      this.channels.set(id, {
        id,
        name: ch.name ?? id.toLowerCase(),
        kind: ch.private ? "private" : "channel",
        user: undefined,
        members: ch.members ? new Set(ch.members) : undefined,
        botIsMember: ch.botIsMember ?? true,
        created: Math.floor(this.now() / 1000),
        messages: [],
      });
    }

    this.methods = {
      "auth.test": () => this.authTest(),
      "chat.postMessage": (a) => this.chatPostMessage(a),
      "chat.update": (a) => this.chatUpdate(a),
      "chat.delete": (a) => this.chatDelete(a),
      "chat.postEphemeral": (a) => this.chatPostEphemeral(a),
      "chat.getPermalink": (a) => this.chatGetPermalink(a),
      "views.open": (a) => this.viewsOpen(a),
      "views.push": (a) => this.viewsPush(a),
      "views.update": (a) => this.viewsUpdate(a),
      "users.info": (a) => this.usersInfo(a),
      "usergroups.users.list": (a) => this.usergroupsUsersList(a),
      "conversations.open": (a) => this.conversationsOpen(a),
      "conversations.info": (a) => this.conversationsInfo(a),
      "conversations.history": (a) => this.conversationsHistory(a),
      "conversations.replies": (a) => this.conversationsReplies(a),
    };

    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        this.log(`emulator error: ${error instanceof Error ? error.stack : String(error)}`);
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ ok: false, error: "internal_error" }));
      });
    });
  }

  /** @internal used by `startSlackEmulator`. */
  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.options.port ?? 0, this.options.host ?? "127.0.0.1", () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    this.address = this.server.address() as AddressInfo;
  }

  /** Stops the server, dropping open connections. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  get port(): number {
    if (!this.address) throw new Error("the Slack emulator is not listening yet");
    return this.address.port;
  }

  /** `http://127.0.0.1:<port>` */
  get baseUrl(): string {
    return `http://${this.options.host ?? "127.0.0.1"}:${this.port}`;
  }

  /** `http://127.0.0.1:<port>/api/` — what `clientOptions.slackApiUrl` / `SLACK_API_URL` takes. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  /** A simulator of people using Slack, sending signed requests to the app at `requestUrl`. */
  simulator(options: Omit<SlackUserSimulatorOptions, "emulator">): SlackUserSimulator {
    return new SlackUserSimulator({ ...options, emulator: this });
  }

  // -------------------------------------------------------------------------------------------------
  // Recording, waiting, faults
  // -------------------------------------------------------------------------------------------------

  /**
   * Adds (or replaces) a Web API method: `handler` gets the parsed args after the token check and
   * answers `{ ok: true, … }` or `{ ok: false, error }`. For methods this emulator does not model.
   */
  defineMethod(method: string, handler: (args: Record<string, unknown>) => Record<string, unknown>): void {
    this.methods[method] = (args) => {
      const answer = handler(args);
      return { ...answer, ok: answer.ok === true };
    };
  }

  /**
   * Adds (or replaces) a Web API method that takes another kind of token than the bot's, such as
   * `apps.connections.open` with an app-level `xapp-…` token: `handler` gets the parsed args and the
   * token as sent (bearer header or `token` field) and does its own check (`invalid_auth`,
   * `not_allowed_token_type`, …). Without a token the call answers `not_authed`.
   */
  defineTokenMethod(
    method: string,
    handler: (args: Record<string, unknown>, token: string) => Record<string, unknown>,
  ): void {
    this.tokenMethods.set(method, (args, token) => {
      const answer = handler(args, token);
      return { ...answer, ok: answer.ok === true };
    });
  }

  /** The calls of one method, in order. */
  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /**
   * Makes the next `times` calls of `method` fail with `fault` (`"*"`: any method;
   * `"response_url"`: posts to response URLs). Faulted calls are recorded with `fault` set.
   */
  failNext(method: string, fault: SlackFault, times = 1): void {
    const queue = this.faults.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(fault);
    this.faults.set(method, queue);
  }

  /** Forgets faults not yet used. */
  clearFaults(): void {
    this.faults.clear();
  }

  /**
   * Resolves with the first call (already recorded or still to come) that matches; rejects after
   * the timeout with the recent calls listed. With a method name, `faulted` calls are skipped (you
   * wait for the call that got through); a predicate sees every call.
   */
  waitFor(predicate: (call: RecordedCall) => boolean, options?: number | WaitOptions): Promise<RecordedCall>;
  waitFor(method: string, where?: CallFilter, options?: number | WaitOptions): Promise<RecordedCall>;
  waitFor(
    first: string | ((call: RecordedCall) => boolean),
    second?: CallFilter | number | WaitOptions,
    third?: number | WaitOptions,
  ): Promise<RecordedCall> {
    let predicate: (call: RecordedCall) => boolean;
    let description: string;
    let opts: number | WaitOptions | undefined;
    if (typeof first === "function") {
      predicate = first;
      description = "a call matching the predicate";
      opts = second as number | WaitOptions | undefined;
    } else {
      const where = second as CallFilter | undefined;
      predicate = (call) =>
        call.method === first &&
        !call.faulted &&
        (where === undefined ||
          (typeof where === "function" ? where(call.args, call) : matches(call.args, where)));
      description =
        where === undefined || typeof where === "function"
          ? `a ${first} call`
          : `a ${first} call with ${JSON.stringify(where)}`;
      opts = third;
    }
    const { timeoutMs = 5000, after = 0 } = typeof opts === "number" ? { timeoutMs: opts } : (opts ?? {});
    const found = this.calls.find((c) => c.seq > after && predicate(c));
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const onCall = (call: RecordedCall): void => {
        if (call.seq > after && predicate(call)) {
          clearTimeout(timer);
          this.events.off("call", onCall);
          resolve(call);
        }
      };
      const timer = setTimeout(() => {
        this.events.off("call", onCall);
        reject(new Error(`Slack emulator: no ${description} within ${timeoutMs} ms.\n${this.recentCalls()}`));
      }, timeoutMs);
      this.events.on("call", onCall);
    });
  }

  /**
   * Polls `check` (every 10 ms and after every call) until it returns something other than
   * `undefined`/`false`, and resolves with it: `await emulator.waitUntil(() => emulator.thread(c, ts)[1])`.
   */
  waitUntil<T>(check: () => T | undefined | false, timeoutMs = 5000, what = "the condition"): Promise<T> {
    return new Promise((resolve, reject) => {
      const started = this.now();
      let done = false;
      const finish = (): void => {
        done = true;
        clearInterval(interval);
        this.events.off("call", poll);
      };
      const poll = (): void => {
        if (done) return;
        let value: T | undefined | false;
        try {
          value = check();
        } catch (error) {
          finish();
          reject(error);
          return;
        }
        if (value !== undefined && value !== false) {
          finish();
          resolve(value);
        } else if (this.now() - started > timeoutMs) {
          finish();
          reject(
            new Error(`Slack emulator: ${what} did not hold within ${timeoutMs} ms.\n${this.recentCalls()}`),
          );
        }
      };
      const interval = setInterval(poll, 10);
      this.events.on("call", poll);
      poll();
    });
  }

  /** The last calls, one line each (what `waitFor` prints on timeout). */
  recentCalls(count = 15): string {
    if (this.calls.length === 0) return "No calls were recorded.";
    const recent = this.calls.slice(-count).map((c) => `  ${describeCall(c)}`);
    return `Last ${recent.length} of ${this.calls.length} calls:\n${recent.join("\n")}`;
  }

  // -------------------------------------------------------------------------------------------------
  // The model, as snapshots
  // -------------------------------------------------------------------------------------------------

  /** Top-level messages of a channel (a channel id, a `D…` id, or a user id for the bot's DM), oldest first. */
  messages(channel: string): SlackMessage[] {
    const ch = this.lookupChannel(channel);
    return ch ? ch.messages.map((m) => this.snapshot(m)) : [];
  }

  /** One message (top-level or reply) by its `ts`. */
  message(channel: string, ts: string): SlackMessage | undefined {
    const ch = this.lookupChannel(channel);
    const found = ch ? this.findMessage(ch, ts) : undefined;
    return found ? this.snapshot(found) : undefined;
  }

  /** The replies in a thread (without the parent), oldest first; `ts` may be the parent's or a reply's. */
  thread(channel: string, ts: string): SlackMessage[] {
    const ch = this.lookupChannel(channel);
    const found = ch ? this.findMessage(ch, ts) : undefined;
    if (!ch || !found) return [];
    const parent = found.threadTs !== undefined ? this.findMessage(ch, found.threadTs) : found;
    return (parent?.replies ?? []).map((m) => this.snapshot(m));
  }

  /** Ephemeral messages shown to a user (any channel unless `channel` is given), oldest first. */
  ephemerals(user: string, channel?: string): SlackEphemeral[] {
    return this.ephemeralList
      .filter((e) => e.user === user && (channel === undefined || e.channel === channel))
      .map((e) => cloneJson(e));
  }

  /** The bot's DM channel id with a user (created if needed, like `conversations.open`). */
  dmChannelId(user: string): string {
    return this.openDm(user).id;
  }

  /** The bot's DMs to a user, oldest first. */
  dms(user: string): SlackMessage[] {
    const id = this.dmByUser.get(user);
    return id ? this.messages(id) : [];
  }

  /** A view's current state, by id. */
  view(id: string): SlackView | undefined {
    const v = this.viewsById.get(id);
    return v ? cloneJson(v.view) : undefined;
  }

  /** The view on top of the user's open modal stack, if any. */
  currentView(user: string): SlackView | undefined {
    const top = this.stacks.get(user)?.at(-1);
    return top ? this.view(top) : undefined;
  }

  /** Every view ever opened for a user (open or closed), oldest first. */
  viewsOf(user: string): SlackView[] {
    return [...this.viewsById.values()].filter((v) => v.user === user).map((v) => cloneJson(v.view));
  }

  /** Whether a view is still open. */
  isViewOpen(id: string): boolean {
    return this.viewsById.get(id)?.open ?? false;
  }

  /** Posts to one response URL, in order. */
  responses(id: string): ResponseUrlPost[] {
    return cloneJson(this.responseUrls.get(id)?.posts ?? []);
  }

  /** Channels known so far. */
  channelIds(): string[] {
    return [...this.channels.keys()];
  }

  // -------------------------------------------------------------------------------------------------
  // The client side: what the user simulator uses (public so tests can script odd cases too)
  // -------------------------------------------------------------------------------------------------

  /** A fresh trigger id for an interaction by `user`, valid for `triggerTtlMs`, once. */
  issueTriggerId(user: string): string {
    const id = `${Math.floor(this.now() / 1000)}${String(++this.idCounter).padStart(3, "0")}.${this.teamId.replace(/\D/g, "") || "1"}.${randomBytes(16).toString("hex")}`;
    this.triggers.set(id, { user, issuedAt: this.now(), used: false });
    return id;
  }

  /** A fresh response URL pointing back at `context`. */
  issueResponseUrl(context: ResponseUrlContext): { id: string; url: string } {
    const id = `${this.teamId}/${++this.idCounter}/${randomBytes(12).toString("hex")}`;
    this.responseUrls.set(id, { ...context, id, issuedAt: this.now(), uses: 0, posts: [] });
    return { id, url: `${this.baseUrl}/response/${id}` };
  }

  /** Makes `id` a known user (the simulator registers everyone it acts as). */
  registerUser(id: string, profile: SlackUserProfile = {}): void {
    this.users.set(id, { ...profile, ...this.users.get(id) });
  }

  /** A known user's profile. */
  userProfile(id: string): SlackUserProfile | undefined {
    const p = this.users.get(id);
    return p ? { ...p } : undefined;
  }

  /** The channel's name (`directmessage` for DMs), or undefined when unknown. */
  channelName(id: string): string | undefined {
    const ch = this.lookupChannel(id);
    if (!ch) return undefined;
    return ch.kind === "im" ? "directmessage" : ch.name;
  }

  /**
   * Resolves a channel id (or a user id: their DM with the bot) the way `chat.postMessage` does,
   * creating channels on first use when no `channels` were configured. Throws when unknown.
   */
  resolveChannelId(channel: string): string {
    const ch = this.resolveChannel(channel);
    if (typeof ch === "string") throw new Error(`Slack emulator: ${ch} for channel ${channel}`);
    return ch.id;
  }

  /** Records what the simulator sent and got back. */
  recordInteraction(interaction: RecordedInteraction): void {
    this.interactions.push(interaction);
    this.log(
      `⇢ ${interaction.type} by ${interaction.user} → HTTP ${interaction.status} in ${interaction.elapsedMs} ms`,
    );
    this.events.emit("interaction", interaction);
  }

  /** A slash command's ack body: an ephemeral (default) or, with `response_type: in_channel`, a message. */
  applyCommandAck(user: string, channel: string, body: Record<string, unknown>): string[] {
    const content = this.messageContent(body, "/");
    if (typeof content === "string") return [content];
    if (body.response_type === "in_channel") {
      const ch = this.resolveChannel(channel);
      if (typeof ch === "string") return [ch];
      this.storeMessage(ch, content, undefined, this.botUserId, true);
    } else {
      this.addEphemeral({ via: "ack", user, channel, ...content });
    }
    return [];
  }

  /** Remembers what a person entered in a view (kept across `views.update` when ids stay). */
  setViewState(viewId: string, blockId: string, actionId: string, state: SlackStateValue): void {
    const v = this.viewsById.get(viewId);
    if (!v) throw new Error(`Slack emulator: no view ${viewId}`);
    const block = v.view.state.values[blockId] ?? {};
    block[actionId] = cloneJson(state);
    v.view.state.values[blockId] = block;
  }

  /**
   * What Slack does with the app's answer to a `view_submission`: close the view (no
   * `response_action`), `clear` the stack, `update` or `push` a view, or show `errors`. Returns the
   * problems Slack would have shown instead (an invalid view in the answer, say).
   */
  applyViewSubmissionAck(viewId: string, body: unknown): string[] {
    const state = this.viewsById.get(viewId);
    if (!state) return [`no view ${viewId}`];
    const answer = isRecord(body) ? body : {};
    const action = answer.response_action;
    if (action === undefined) {
      this.closeView(viewId, false);
      return [];
    }
    if (action === "clear") {
      this.closeView(viewId, true);
      return [];
    }
    if (action === "errors") {
      if (!isRecord(answer.errors)) return ["response_action errors needs an errors object"];
      const known = new Set(state.view.blocks.map((b) => b.block_id));
      return Object.keys(answer.errors)
        .filter((k) => !known.has(k))
        .map((k) => `errors names block_id "${k}", which is not in the view`);
    }
    if (action === "update" || action === "push") {
      const problems = validateModalView(answer.view, "/view");
      if (problems.length > 0) return problems;
      if (action === "update") {
        this.replaceView(state, answer.view as Record<string, unknown>);
        return [];
      }
      const stack = this.stacks.get(state.user) ?? [];
      if (stack.length >= 3) return ["push_limit_reached"];
      this.createView(answer.view as Record<string, unknown>, state.user, state.view.root_view_id, viewId);
      return [];
    }
    return [`unknown response_action ${JSON.stringify(action)}`];
  }

  /** The person closed (cancelled) a view. */
  closeView(viewId: string, wholeStack: boolean): void {
    const state = this.viewsById.get(viewId);
    if (!state) return;
    state.open = false;
    const stack = this.stacks.get(state.user) ?? [];
    const index = stack.indexOf(viewId);
    if (index < 0) return;
    // Closing the root, or `clear`, closes the whole modal; closing a pushed view goes back one.
    const closing = wholeStack || index === 0 ? stack.splice(0) : stack.splice(index);
    for (const id of closing) {
      const v = this.viewsById.get(id);
      if (v) v.open = false;
    }
    if (stack.length === 0) this.stacks.delete(state.user);
  }

  // -------------------------------------------------------------------------------------------------
  // HTTP
  // -------------------------------------------------------------------------------------------------

  private log(line: string): void {
    this.options.log?.(line);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://emulator.invalid");
    const raw = await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => resolve(Buffer.concat(chunks)));
      req.on("error", reject);
    });
    if (url.pathname.startsWith("/api/") && (req.method === "POST" || req.method === "GET")) {
      await this.handleApi(url.pathname.slice("/api/".length), url, req, raw.toString("utf8"), res);
      return;
    }
    if (url.pathname.startsWith("/response/") && req.method === "POST") {
      await this.handleResponseUrl(
        decodeURIComponent(url.pathname.slice("/response/".length)),
        req,
        raw.toString("utf8"),
        res,
      );
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
  }

  private parseArgs(url: URL, req: IncomingMessage, body: string): { args: Args; error?: string } {
    const args: Args = {};
    for (const [k, v] of url.searchParams) args[k] = v;
    const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
    if (body.length === 0) return { args };
    if (type === "application/json") {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        return { args, error: "invalid_json" };
      }
      if (!isRecord(parsed)) return { args, error: "json_not_object" };
      return { args: { ...args, ...parsed } };
    }
    if (type === "application/x-www-form-urlencoded" || type === "") {
      for (const [k, v] of new URLSearchParams(body)) args[k] = v;
      for (const field of JSON_FIELDS) {
        const v = args[field];
        if (typeof v !== "string") continue;
        try {
          args[field] = JSON.parse(v);
        } catch {
          // Left as the raw string: the method answers `invalid_blocks_format` / `invalid_arguments`.
        }
      }
      return { args };
    }
    return { args, error: "invalid_post_type" };
  }

  private takeFault(method: string): SlackFault | undefined {
    for (const key of [method, "*"]) {
      const queue = this.faults.get(key);
      const fault = queue?.shift();
      if (queue && queue.length === 0) this.faults.delete(key);
      if (fault) return fault;
    }
    return undefined;
  }

  private record(entry: Omit<RecordedCall, "seq" | "ok" | "at" | "faulted">): RecordedCall {
    const call: RecordedCall = {
      ...entry,
      seq: this.calls.length + 1,
      at: this.now(),
      ok: entry.status === 200 && entry.response?.ok === true,
      faulted: entry.fault !== undefined && !isDelayOnly(entry.fault),
    };
    this.calls.push(call);
    this.log(`⇠ ${describeCall(call)}`);
    this.events.emit("call", call);
    return call;
  }

  private async handleApi(
    method: string,
    url: URL,
    req: IncomingMessage,
    body: string,
    res: ServerResponse,
  ): Promise<void> {
    const parsed = this.parseArgs(url, req, body);
    const header = req.headers.authorization;
    const bearer = header?.startsWith("Bearer ") ? header.slice("Bearer ".length).trim() : undefined;
    const token = bearer ?? str(parsed.args, "token");
    const { token: _dropped, ...args } = parsed.args;

    const fault = this.takeFault(method);
    if (fault?.delayMs !== undefined) await sleep(fault.delayMs);
    const before = fault !== undefined && !("afterProcessing" in fault && fault.afterProcessing === true);
    if (fault && before && !isDelayOnly(fault)) {
      this.answerFault(method, args, fault, res, false, undefined);
      return;
    }

    let answer: ApiAnswer;
    const handler = this.methods[method];
    const tokenHandler = this.tokenMethods.get(method);
    if (parsed.error) answer = fail(parsed.error);
    else if (tokenHandler) answer = token ? tokenHandler(args, token) : fail("not_authed");
    else if (!handler) answer = fail("unknown_method", { req_method: method });
    else if (token === undefined || token === "") answer = fail("not_authed");
    else if (!this.tokens.has(token)) answer = fail("invalid_auth");
    else answer = handler(args);
    const processed = answer.ok === true;

    if (fault && !before && !isDelayOnly(fault)) {
      this.answerFault(method, args, fault, res, processed, answer);
      return;
    }
    this.record({
      method,
      args,
      status: 200,
      response: answer,
      fault: fault && isDelayOnly(fault) ? fault : undefined,
      processed,
      responseUrlId: undefined,
    });
    sendJson(res, 200, answer);
  }

  private answerFault(
    method: string,
    args: Args,
    fault: SlackFault,
    res: ServerResponse,
    processed: boolean,
    answer: ApiAnswer | undefined,
  ): void {
    const base = { method, args, fault, processed, responseUrlId: undefined };
    if ("drop" in fault) {
      this.record({ ...base, status: 0, response: answer });
      res.socket?.destroy();
      return;
    }
    if ("retryAfter" in fault) {
      const body = { ok: false, error: "ratelimited" };
      this.record({ ...base, status: 429, response: body });
      res.writeHead(429, {
        "content-type": "application/json; charset=utf-8",
        "retry-after": String(fault.retryAfter),
      });
      res.end(JSON.stringify(body));
      return;
    }
    if ("status" in fault) {
      const body = { ok: false, error: "internal_error" };
      this.record({ ...base, status: fault.status, response: body });
      sendJson(res, fault.status, body);
      return;
    }
    if ("error" in fault) {
      const body = { ok: false, error: fault.error, ...fault.extra };
      this.record({ ...base, status: 200, response: body });
      sendJson(res, 200, body);
    }
  }

  private async handleResponseUrl(
    id: string,
    req: IncomingMessage,
    raw: string,
    res: ServerResponse,
  ): Promise<void> {
    const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
    let body: Record<string, unknown> = {};
    try {
      const text =
        type === "application/x-www-form-urlencoded" ? (new URLSearchParams(raw).get("payload") ?? "") : raw;
      const parsed: unknown = JSON.parse(text);
      if (isRecord(parsed)) body = parsed;
    } catch {
      body = {};
    }
    const base = { method: "response_url", args: body, responseUrlId: id };
    const fault = this.takeFault("response_url");
    if (fault?.delayMs !== undefined) await sleep(fault.delayMs);
    if (fault && !isDelayOnly(fault)) {
      this.answerFault("response_url", body, fault, res, false, undefined);
      return;
    }
    const state = this.responseUrls.get(id);
    // Like Slack's hooks: plain text `ok`, or the error code as text (recorded as `{ ok, error }`).
    const answer = (status: number, reply: Record<string, unknown>): void => {
      state?.posts.push({ id, body: cloneJson(body), at: this.now(), status });
      this.record({ ...base, status, response: reply, fault: undefined, processed: status === 200 });
      res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
      res.end(status === 200 ? "ok" : String(reply.error));
    };
    if (!state) return answer(404, { ok: false, error: "invalid_url" });
    if (this.now() - state.issuedAt > (this.options.responseUrlTtlMs ?? 30 * 60_000)) {
      return answer(404, { ok: false, error: "expired_url" });
    }
    if (state.uses >= (this.options.responseUrlMaxUses ?? 5))
      return answer(404, { ok: false, error: "used_url" });
    state.uses++;
    const problem = this.applyResponseUrlPost(state, body);
    if (problem) return answer(400, { ok: false, error: problem.error, ...problem.extra });
    return answer(200, { ok: true });
  }

  private applyResponseUrlPost(
    state: ResponseUrlState,
    body: Record<string, unknown>,
  ): { error: string; extra?: Record<string, unknown> } | undefined {
    if (bool(body, "delete_original")) {
      if (state.messageTs === undefined || state.ephemeral) return undefined;
      const ch = this.lookupChannel(state.channel);
      const found = ch ? this.findMessage(ch, state.messageTs) : undefined;
      if (!ch || !found) return { error: "message_not_found" };
      this.removeMessage(ch, found);
      return undefined;
    }
    const content = this.messageContent(body, "/");
    if (typeof content === "string") {
      return {
        error: content,
        extra: this.lastProblems ? { response_metadata: { messages: this.lastProblems } } : {},
      };
    }
    const threadTs = str(body, "thread_ts");
    if (bool(body, "replace_original") && state.messageTs !== undefined && !state.ephemeral) {
      const ch = this.lookupChannel(state.channel);
      const found = ch ? this.findMessage(ch, state.messageTs) : undefined;
      if (!found) return { error: "message_not_found" };
      this.applyEdit(found, content.text, content.blocks, true);
      return undefined;
    }
    if (body.response_type === "in_channel" && !bool(body, "replace_original")) {
      const ch = this.resolveChannel(state.channel);
      if (typeof ch === "string") return { error: ch };
      const parent = threadTs !== undefined ? this.findMessage(ch, threadTs) : undefined;
      this.storeMessage(ch, content, parent, this.botUserId, true);
      return undefined;
    }
    this.addEphemeral({
      via: "response_url",
      user: state.user,
      channel: state.channel,
      ...content,
      ...(threadTs !== undefined ? { thread_ts: threadTs } : {}),
      ...(bool(body, "replace_original") ? { replacedOriginal: true } : {}),
      responseUrlId: state.id,
    });
    return undefined;
  }

  // -------------------------------------------------------------------------------------------------
  // Model helpers
  // -------------------------------------------------------------------------------------------------

  private nextTs(): string {
    const micros = Math.max(Math.floor(this.now()) * 1000, this.lastMicros + 1);
    this.lastMicros = micros;
    return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, "0")}`;
  }

  private knowsUser(id: string): boolean {
    return this.users.has(id);
  }

  private openDm(user: string): ChannelState {
    const existing = this.dmByUser.get(user);
    const found = existing ? this.channels.get(existing) : undefined;
    if (found) return found;
    const id = randomId("D", 10);
    const ch: ChannelState = {
      id,
      name: id,
      kind: "im",
      user,
      members: new Set([user, this.botUserId]),
      botIsMember: true,
      created: Math.floor(this.now() / 1000),
      messages: [],
    };
    this.channels.set(id, ch);
    this.dmByUser.set(user, id);
    return ch;
  }

  /** A channel by id, name (`#name` or `name`), or a user id (their DM), without creating anything. */
  private lookupChannel(channel: string): ChannelState | undefined {
    const direct = this.channels.get(channel);
    if (direct) return direct;
    const dm = this.dmByUser.get(channel);
    if (dm) return this.channels.get(dm);
    const name = channel.replace(/^#/, "");
    return [...this.channels.values()].find((c) => c.kind !== "im" && c.name === name);
  }

  /** What `chat.postMessage` does with its `channel`: a channel, or an error code. */
  private resolveChannel(channel: string | undefined): ChannelState | string {
    if (channel === undefined || channel === "") return "channel_not_found";
    const known = this.lookupChannel(channel);
    if (known) return known;
    if (/^[UW]/.test(channel)) return this.knowsUser(channel) ? this.openDm(channel) : "channel_not_found";
    if (/^[CG][A-Z0-9_]+$/.test(channel) && !this.strictChannels) {
      const ch: ChannelState = {
        id: channel,
        name: channel.toLowerCase(),
        kind: channel.startsWith("G") ? "private" : "channel",
        user: undefined,
        members: undefined,
        botIsMember: true,
        created: Math.floor(this.now() / 1000),
        messages: [],
      };
      this.channels.set(channel, ch);
      return ch;
    }
    return "channel_not_found";
  }

  private findMessage(ch: ChannelState, ts: string): StoredMessage | undefined {
    for (const m of ch.messages) {
      if (m.ts === ts) return m;
      const reply = m.replies.find((r) => r.ts === ts);
      if (reply) return reply;
    }
    return undefined;
  }

  private removeMessage(ch: ChannelState, message: StoredMessage): void {
    if (message.threadTs !== undefined && message.threadTs !== message.ts) {
      const parent = this.findMessage(ch, message.threadTs);
      if (parent) parent.replies = parent.replies.filter((r) => r !== message);
    } else {
      ch.messages = ch.messages.filter((m) => m !== message);
    }
  }

  private lastProblems: string[] | undefined;

  /**
   * Text, blocks, attachments of a post, checked like Slack checks them; an error code otherwise
   * (problems for `response_metadata.messages` in `lastProblems`).
   */
  private messageContent(
    args: Args,
    pointerBase: string,
  ): { text: string; blocks: SlackBlock[]; attachments?: unknown[]; metadata?: unknown } | string {
    this.lastProblems = undefined;
    const text = str(args, "text");
    const blocksArg = args.blocks;
    let blocks: SlackBlock[] = [];
    if (blocksArg !== undefined) {
      if (typeof blocksArg === "string" || !Array.isArray(blocksArg)) return "invalid_blocks_format";
      const problems = validateBlocks(blocksArg, `${pointerBase}blocks`, "message");
      if (problems.length > 0) {
        this.lastProblems = problems;
        return "invalid_blocks";
      }
      blocks = withSlackIds(blocksArg);
    }
    const attachments = Array.isArray(args.attachments) ? cloneJson(args.attachments) : undefined;
    if ((text === undefined || text === "") && blocks.length === 0 && !attachments?.length) return "no_text";
    if (text !== undefined && text.length > LIMITS.messageText) return "msg_too_long";
    return {
      text: text ?? "",
      blocks,
      ...(attachments ? { attachments } : {}),
      ...(args.metadata !== undefined ? { metadata: cloneJson(args.metadata) } : {}),
    };
  }

  private contentError(code: string): ApiAnswer {
    return this.lastProblems
      ? fail(code, { response_metadata: { messages: this.lastProblems } })
      : fail(code);
  }

  private storeMessage(
    ch: ChannelState,
    content: { text: string; blocks: SlackBlock[]; attachments?: unknown[]; metadata?: unknown },
    parent: StoredMessage | undefined,
    user: string,
    fromBot: boolean,
  ): StoredMessage {
    const ts = this.nextTs();
    const message: StoredMessage = {
      channel: ch.id,
      ts,
      threadTs: parent?.ts,
      user,
      fromBot,
      text: content.text,
      blocks: content.blocks,
      attachments: content.attachments,
      metadata: content.metadata,
      edited: undefined,
      replies: [],
      updateCount: 0,
      history: [],
    };
    if (parent) {
      parent.replies.push(message);
      parent.threadTs = parent.ts;
    } else {
      ch.messages.push(message);
    }
    return message;
  }

  private applyEdit(
    message: StoredMessage,
    text: string | undefined,
    blocks: SlackBlock[] | undefined,
    byBlocks: boolean,
  ): void {
    message.history.push({ text: message.text, blocks: cloneJson(message.blocks), at: this.now() });
    if (blocks !== undefined) message.blocks = blocks;
    else if (text !== undefined) message.blocks = []; // Slack: text without blocks removes the blocks
    if (text !== undefined) message.text = text;
    if (!byBlocks) message.edited = { user: this.botUserId, ts: this.nextTs() };
    message.updateCount++;
  }

  private addEphemeral(e: Omit<SlackEphemeral, "ts" | "at"> & { ts?: string }): SlackEphemeral {
    const entry: SlackEphemeral = { ...e, ts: e.ts ?? this.nextTs(), at: this.now() };
    this.ephemeralList.push(entry);
    return entry;
  }

  private snapshot(m: StoredMessage): SlackMessage {
    const out: SlackMessage = {
      type: "message",
      channel: m.channel,
      ts: m.ts,
      user: m.user,
      team: this.teamId,
      text: m.text,
      blocks: cloneJson(m.blocks),
      updateCount: m.updateCount,
      history: cloneJson(m.history),
    };
    if (m.fromBot) {
      out.bot_id = this.botId;
      out.app_id = this.appId;
    }
    if (m.threadTs !== undefined) out.thread_ts = m.threadTs;
    if (m.attachments) out.attachments = cloneJson(m.attachments);
    if (m.metadata !== undefined) out.metadata = cloneJson(m.metadata);
    if (m.edited) out.edited = { ...m.edited };
    if (m.replies.length > 0) {
      out.reply_count = m.replies.length;
      out.reply_users = [...new Set(m.replies.map((r) => r.user))];
      const latest = m.replies.at(-1);
      if (latest) out.latest_reply = latest.ts;
    }
    return out;
  }

  /** The message object Slack puts in API answers (no emulator extras). */
  private wireMessage(m: StoredMessage): Record<string, unknown> {
    const { updateCount: _u, history: _h, channel: _c, ...rest } = this.snapshot(m);
    return {
      ...rest,
      bot_profile: m.fromBot
        ? { id: this.botId, app_id: this.appId, name: this.botName, team_id: this.teamId }
        : undefined,
    };
  }

  // -------------------------------------------------------------------------------------------------
  // Web API methods
  // -------------------------------------------------------------------------------------------------

  private authTest(): ApiAnswer {
    return {
      ok: true,
      url: `https://${this.teamDomain}.slack.com/`,
      team: this.teamName,
      user: this.botName,
      team_id: this.teamId,
      user_id: this.botUserId,
      bot_id: this.botId,
      is_enterprise_install: false,
    };
  }

  private chatPostMessage(args: Args): ApiAnswer {
    const ch = this.resolveChannel(str(args, "channel"));
    if (typeof ch === "string") return fail(ch);
    if (!ch.botIsMember) return fail("not_in_channel");
    const content = this.messageContent(args, "/");
    if (typeof content === "string") return this.contentError(content);
    const threadTs = str(args, "thread_ts");
    let parent: StoredMessage | undefined;
    if (threadTs !== undefined && threadTs !== "") {
      const target = this.findMessage(ch, threadTs);
      // Strict on purpose (Slack quietly accepts it): a reply to nothing is a bug worth catching.
      if (!target) return fail("thread_not_found");
      parent = target.threadTs !== undefined ? this.findMessage(ch, target.threadTs) : target;
    }
    const message = this.storeMessage(ch, content, parent, this.botUserId, true);
    return { ok: true, channel: ch.id, ts: message.ts, message: this.wireMessage(message) };
  }

  private chatUpdate(args: Args): ApiAnswer {
    const channel = str(args, "channel");
    if (channel !== undefined && /^[UW]/.test(channel)) return fail("channel_not_found");
    const ch = channel !== undefined ? this.lookupChannel(channel) : undefined;
    if (!ch) return fail("channel_not_found");
    const ts = str(args, "ts");
    const message = ts !== undefined ? this.findMessage(ch, ts) : undefined;
    if (!message) return fail("message_not_found");
    if (!message.fromBot) return fail("cant_update_message");
    const content = this.messageContent(args, "/");
    if (typeof content === "string") return this.contentError(content);
    const blocksGiven = args.blocks !== undefined;
    this.applyEdit(message, str(args, "text"), blocksGiven ? content.blocks : undefined, blocksGiven);
    if (content.attachments) message.attachments = content.attachments;
    if (content.metadata !== undefined) message.metadata = content.metadata;
    const wire = this.wireMessage(message);
    return { ok: true, channel: ch.id, ts: message.ts, text: message.text, message: wire };
  }

  private chatDelete(args: Args): ApiAnswer {
    const ch = this.lookupChannel(str(args, "channel") ?? "");
    if (!ch) return fail("channel_not_found");
    const ts = str(args, "ts") ?? "";
    const message = this.findMessage(ch, ts);
    if (!message) return fail("message_not_found");
    if (!message.fromBot) return fail("cant_delete_message");
    this.removeMessage(ch, message);
    return { ok: true, channel: ch.id, ts };
  }

  private chatPostEphemeral(args: Args): ApiAnswer {
    const user = str(args, "user");
    const ch = this.resolveChannel(str(args, "channel"));
    if (typeof ch === "string") return fail(ch);
    if (user === undefined || !this.knowsUser(user)) return fail("user_not_found");
    if (ch.members && !ch.members.has(user)) return fail("user_not_in_channel");
    if (!ch.botIsMember) return fail("channel_not_found");
    const content = this.messageContent(args, "/");
    if (typeof content === "string") return this.contentError(content);
    const threadTs = str(args, "thread_ts");
    const entry = this.addEphemeral({
      via: "chat.postEphemeral",
      user,
      channel: ch.id,
      text: content.text,
      blocks: content.blocks,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
    return { ok: true, message_ts: entry.ts };
  }

  private chatGetPermalink(args: Args): ApiAnswer {
    const ch = this.lookupChannel(str(args, "channel") ?? "");
    if (!ch) return fail("channel_not_found");
    const message = this.findMessage(ch, str(args, "message_ts") ?? "");
    if (!message) return fail("message_not_found");
    const base = `https://${this.teamDomain}.slack.com/archives/${ch.id}/p${message.ts.replace(".", "")}`;
    const permalink =
      message.threadTs !== undefined && message.threadTs !== message.ts
        ? `${base}?thread_ts=${message.threadTs}&cid=${ch.id}`
        : base;
    return { ok: true, channel: ch.id, permalink };
  }

  /** Checks a trigger id for `views.open`/`views.push`; consumes it when usable. */
  private useTrigger(triggerId: string | undefined): { trigger: TriggerState } | { refusal: ApiAnswer } {
    if (triggerId === undefined || triggerId === "") {
      return refuse("invalid_arguments", {
        response_metadata: { messages: ["[ERROR] missing required field: trigger_id"] },
      });
    }
    const trigger = this.triggers.get(triggerId);
    if (!trigger) return refuse("invalid_trigger_id");
    if (trigger.used) return refuse("exchanged_trigger_id");
    if (this.now() - trigger.issuedAt > (this.options.triggerTtlMs ?? 3000))
      return refuse("expired_trigger_id");
    trigger.used = true;
    return { trigger };
  }

  /** Parses and checks the `view` argument. */
  private viewArg(args: Args): { spec: Record<string, unknown> } | { refusal: ApiAnswer } {
    const view = args.view;
    if (view === undefined) {
      return refuse("invalid_arguments", {
        response_metadata: { messages: ["[ERROR] missing required field: view"] },
      });
    }
    if (!isRecord(view)) {
      return refuse("invalid_arguments", {
        response_metadata: { messages: ["[ERROR] failed to parse view json"] },
      });
    }
    const problems = validateModalView(view, "/view");
    if (problems.length > 0)
      return refuse("invalid_arguments", { response_metadata: { messages: problems } });
    const externalId = view.external_id;
    if (typeof externalId === "string" && externalId !== "") {
      for (const v of this.viewsById.values()) {
        if (v.view.external_id === externalId) return refuse("duplicate_external_id");
      }
    }
    return { spec: view };
  }

  private newHash(): string {
    return `${Math.floor(this.now() / 1000)}.${randomBytes(4).toString("hex")}`;
  }

  private createView(
    spec: Record<string, unknown>,
    user: string,
    rootId: string | undefined,
    previousId: string | null,
  ): ViewState {
    const id = randomId("V", 10);
    const view: SlackView = {
      ...(cloneJson(spec) as Record<string, unknown>),
      id,
      team_id: this.teamId,
      type: "modal",
      title: cloneJson(spec.title) as SlackView["title"],
      submit: isRecord(spec.submit) ? (cloneJson(spec.submit) as SlackView["title"]) : null,
      close: isRecord(spec.close) ? (cloneJson(spec.close) as SlackView["title"]) : null,
      blocks: withSlackIds(spec.blocks as unknown[]),
      private_metadata: typeof spec.private_metadata === "string" ? spec.private_metadata : "",
      callback_id: typeof spec.callback_id === "string" ? spec.callback_id : "",
      external_id: typeof spec.external_id === "string" ? spec.external_id : "",
      state: { values: {} },
      hash: this.newHash(),
      clear_on_close: spec.clear_on_close === true,
      notify_on_close: spec.notify_on_close === true,
      root_view_id: rootId ?? id,
      previous_view_id: previousId,
      app_id: this.appId,
      app_installed_team_id: this.teamId,
      bot_id: this.botId,
    };
    const state: ViewState = { view, user, open: true, updateCount: 0 };
    this.viewsById.set(id, state);
    if (rootId === undefined) {
      // A new modal replaces whatever the person had open.
      const previous = this.stacks.get(user);
      if (previous?.[0]) this.closeView(previous[0], true);
      this.stacks.set(user, [id]);
    } else {
      this.stacks.get(user)?.push(id);
    }
    return state;
  }

  private replaceView(state: ViewState, spec: Record<string, unknown>): void {
    const old = state.view;
    const blocks = withSlackIds(spec.blocks as unknown[]);
    // Slack keeps what the person entered where block_id, action_id and element type stay the same.
    const kept: SlackStateValues = {};
    for (const site of interactiveElements(blocks)) {
      const entry = old.state.values[site.blockId]?.[site.actionId];
      if (entry && entry.type === site.element.type) {
        kept[site.blockId] = { ...kept[site.blockId], [site.actionId]: entry };
      }
    }
    state.view = {
      ...(cloneJson(spec) as Record<string, unknown>),
      id: old.id,
      team_id: old.team_id,
      type: "modal",
      title: cloneJson(spec.title) as SlackView["title"],
      submit: isRecord(spec.submit) ? (cloneJson(spec.submit) as SlackView["title"]) : null,
      close: isRecord(spec.close) ? (cloneJson(spec.close) as SlackView["title"]) : null,
      blocks,
      private_metadata: typeof spec.private_metadata === "string" ? spec.private_metadata : "",
      callback_id: typeof spec.callback_id === "string" ? spec.callback_id : "",
      external_id: typeof spec.external_id === "string" ? spec.external_id : "",
      state: { values: kept },
      hash: this.newHash(),
      clear_on_close: spec.clear_on_close === true,
      notify_on_close: spec.notify_on_close === true,
      root_view_id: old.root_view_id,
      previous_view_id: old.previous_view_id,
      app_id: old.app_id,
      app_installed_team_id: old.app_installed_team_id,
      bot_id: old.bot_id,
    };
    state.updateCount++;
  }

  private viewsOpen(args: Args): ApiAnswer {
    const view = this.viewArg(args);
    if ("refusal" in view) return view.refusal;
    const used = this.useTrigger(str(args, "trigger_id"));
    if ("refusal" in used) return used.refusal;
    const state = this.createView(view.spec, used.trigger.user, undefined, null);
    return { ok: true, view: cloneJson(state.view) };
  }

  private viewsPush(args: Args): ApiAnswer {
    const view = this.viewArg(args);
    if ("refusal" in view) return view.refusal;
    const used = this.useTrigger(str(args, "trigger_id"));
    if ("refusal" in used) return used.refusal;
    const stack = this.stacks.get(used.trigger.user);
    const top = stack?.at(-1);
    const rootId = stack?.[0];
    if (!stack || top === undefined || rootId === undefined) return fail("not_found");
    if (stack.length >= 3) return fail("push_limit_reached");
    const state = this.createView(view.spec, used.trigger.user, rootId, top);
    return { ok: true, view: cloneJson(state.view) };
  }

  private viewsUpdate(args: Args): ApiAnswer {
    const viewId = str(args, "view_id");
    const externalId = str(args, "external_id");
    let state: ViewState | undefined;
    if (viewId) state = this.viewsById.get(viewId);
    else if (externalId) state = [...this.viewsById.values()].find((v) => v.view.external_id === externalId);
    else {
      return fail("invalid_arguments", {
        response_metadata: { messages: ["[ERROR] either view_id or external_id is required"] },
      });
    }
    if (!state?.open) return fail("not_found");
    const hash = str(args, "hash");
    if (hash !== undefined && hash !== "" && hash !== state.view.hash) return fail("hash_conflict");
    const view = args.view;
    if (typeof view === "string" || view === undefined) {
      return fail("invalid_arguments", {
        response_metadata: { messages: ["[ERROR] failed to parse view json"] },
      });
    }
    const problems = validateModalView(view, "/view");
    if (problems.length > 0) return fail("invalid_arguments", { response_metadata: { messages: problems } });
    this.replaceView(state, view as Record<string, unknown>);
    return { ok: true, view: cloneJson(state.view) };
  }

  private userLocale(profile: SlackUserProfile): string | undefined {
    if (profile.locale !== undefined) return profile.locale;
    const fallback = this.options.defaultLocale;
    return fallback === null ? undefined : (fallback ?? "en-US");
  }

  private usersInfo(args: Args): ApiAnswer {
    const id = str(args, "user");
    const profile = id !== undefined ? this.users.get(id) : undefined;
    if (id === undefined || !profile) return fail("user_not_found");
    const name = profile.name ?? id.toLowerCase();
    const realName = profile.realName ?? name;
    const user: Record<string, unknown> = {
      id,
      team_id: this.teamId,
      name,
      deleted: profile.deleted ?? false,
      real_name: realName,
      tz: profile.tz ?? "Asia/Tokyo",
      is_admin: false,
      is_owner: false,
      is_bot: profile.isBot ?? false,
      is_app_user: false,
      updated: Math.floor(this.now() / 1000),
      profile: {
        real_name: realName,
        display_name: name,
        ...(profile.email !== undefined ? { email: profile.email } : {}),
        team: this.teamId,
        ...(profile.isBot ? { bot_id: this.botId, api_app_id: this.appId } : {}),
      },
    };
    if (bool(args, "include_locale")) {
      const locale = this.userLocale(profile);
      if (locale !== undefined) user.locale = locale;
    }
    return { ok: true, user };
  }

  private usergroupsUsersList(args: Args): ApiAnswer {
    const group = str(args, "usergroup");
    const members = group !== undefined ? this.usergroups.get(group) : undefined;
    if (!members) return fail("no_such_subteam");
    return { ok: true, users: [...members] };
  }

  private channelInfo(ch: ChannelState): Record<string, unknown> {
    if (ch.kind === "im") {
      return {
        id: ch.id,
        created: ch.created,
        is_im: true,
        is_org_shared: false,
        user: ch.user,
        is_user_deleted: false,
        priority: 0,
      };
    }
    return {
      id: ch.id,
      name: ch.name,
      is_channel: ch.kind === "channel",
      is_group: ch.kind === "private",
      is_im: false,
      is_mpim: ch.kind === "mpim",
      is_private: ch.kind !== "channel",
      created: ch.created,
      is_archived: false,
      is_general: false,
      is_shared: false,
      is_org_shared: false,
      is_member: ch.botIsMember,
      ...(ch.members ? { num_members: ch.members.size } : {}),
    };
  }

  private conversationsOpen(args: Args): ApiAnswer {
    const channel = str(args, "channel");
    if (channel) {
      const ch = this.lookupChannel(channel);
      if (!ch) return fail("channel_not_found");
      return { ok: true, channel: bool(args, "return_im") ? this.channelInfo(ch) : { id: ch.id } };
    }
    const users = (str(args, "users") ?? "")
      .split(",")
      .map((u) => u.trim())
      .filter((u) => u !== "");
    if (users.length === 0) return fail("users_list_not_supplied");
    if (users.length > 8) return fail("too_many_users");
    const unknown = users.find((u) => !this.knowsUser(u));
    if (unknown) return fail("user_not_found");
    const [only] = users;
    if (users.length === 1 && only !== undefined) {
      const existed = this.dmByUser.has(only);
      const ch = this.openDm(only);
      return {
        ok: true,
        ...(existed ? { no_op: true, already_open: true } : {}),
        channel: bool(args, "return_im") ? this.channelInfo(ch) : { id: ch.id },
      };
    }
    const key = [...users].sort().join(",");
    const existing = [...this.channels.values()].find((c) => c.kind === "mpim" && c.name === `mpdm-${key}`);
    const ch: ChannelState = existing ?? {
      id: randomId("G", 10),
      name: `mpdm-${key}`,
      kind: "mpim",
      user: undefined,
      members: new Set([...users, this.botUserId]),
      botIsMember: true,
      created: Math.floor(this.now() / 1000),
      messages: [],
    };
    this.channels.set(ch.id, ch);
    return { ok: true, channel: bool(args, "return_im") ? this.channelInfo(ch) : { id: ch.id } };
  }

  private conversationsInfo(args: Args): ApiAnswer {
    const channel = str(args, "channel") ?? "";
    const ch = /^[UW]/.test(channel) ? undefined : this.lookupChannel(channel);
    if (ch) return { ok: true, channel: this.channelInfo(ch) };
    const resolved = this.strictChannels ? "channel_not_found" : this.resolveChannel(channel);
    if (typeof resolved === "string") return fail(resolved);
    return { ok: true, channel: this.channelInfo(resolved) };
  }

  private conversationsHistory(args: Args): ApiAnswer {
    const ch = this.lookupChannel(str(args, "channel") ?? "");
    if (!ch) return fail("channel_not_found");
    const limit = Number(str(args, "limit") ?? 100) || 100;
    const all = ch.messages.map((m) => this.wireMessage(m)).reverse();
    return {
      ok: true,
      messages: all.slice(0, limit),
      has_more: all.length > limit,
      pin_count: 0,
      response_metadata: { next_cursor: "" },
    };
  }

  private conversationsReplies(args: Args): ApiAnswer {
    const ch = this.lookupChannel(str(args, "channel") ?? "");
    if (!ch) return fail("channel_not_found");
    const found = this.findMessage(ch, str(args, "ts") ?? "");
    if (!found) return fail("thread_not_found");
    const parent = found.threadTs !== undefined ? (this.findMessage(ch, found.threadTs) ?? found) : found;
    return {
      ok: true,
      messages: [parent, ...parent.replies].map((m) => this.wireMessage(m)),
      has_more: false,
      response_metadata: { next_cursor: "" },
    };
  }
}

function refuse(error: string, extra: Record<string, unknown> = {}): { refusal: ApiAnswer } {
  return { refusal: fail(error, extra) };
}

function isDelayOnly(fault: SlackFault): boolean {
  return !("drop" in fault) && !("status" in fault) && !("error" in fault);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}
