/** The Slack emulator's public types: what tests, the simulator and the stage see. */
import type { SlackBlock, SlackStateValues } from "../slack-blocks.js";

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
  /**
   * The scripted fault used on this call, if any (a delay-only fault included). A call refused by
   * the emulator's own per-channel rate limit is recorded the same way, as a 429 fault.
   */
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

/**
 * A person's Home tab as `views.publish` answers it (Slack's views.publish method page, the
 * example response: `type: "home"`, `close`/`submit` null, one view id per person and app).
 */
export interface SlackHomeView {
  id: string;
  team_id: string;
  type: "home";
  close: null;
  submit: null;
  blocks: SlackBlock[];
  private_metadata: string;
  callback_id: string;
  external_id: string;
  state: { values: SlackStateValues };
  hash: string;
  clear_on_close: boolean;
  notify_on_close: boolean;
  root_view_id: string;
  previous_view_id: null;
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
  /**
   * Whether the bot was invited. Default false, as in Slack: an app posts only where it is a
   * member (`not_in_channel`; a private channel is invisible to it: `channel_not_found`). Invite it
   * here or later with `emulator.invite(channel)`.
   */
  botIsMember?: boolean;
  /** Archived: nobody can post there any more (`is_archived`). */
  archived?: boolean;
}

/** A rate limit in tokens: `burst` calls at once, then `perSecond` a second. */
export interface SlackRateLimit {
  perSecond: number;
  burst: number;
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
   * The workspace's Slack plan. User groups exist only on paid plans: on `free`, the
   * `usergroups.*` methods answer `plan_upgrade_required`. Default `paid`.
   */
  plan?: "free" | "paid";
  /**
   * Channels that exist. When given, any other `C…`/`G…` id is `channel_not_found`; when omitted,
   * any well-formed channel id is accepted and created on first use, with the bot in it.
   */
  channels?: Readonly<Record<string, SlackChannelOptions>>;
  /**
   * `chat.postMessage` per channel: above it, 429 with `Retry-After` for that channel. Slack: "1
   * per second, short bursts >1 allowed"; the burst size is not published (default 20: our
   * reading, see `slack/rate-limits.ts`). `false` turns the limit off.
   */
  postMessageRateLimit?: SlackRateLimit | false;
  /** How long a trigger id stays usable; Slack: 3000 ms. */
  triggerTtlMs?: number;
  /**
   * Whether the app's Home tab is on (manifest `features.app_home.home_tab_enabled`). Off,
   * `views.publish` of a home view answers `not_enabled`. Default true.
   */
  homeTabEnabled?: boolean;
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
  /**
   * The app's shortcuts, as its manifest declares them (`features.shortcuts`). Slack offers a person
   * only those (the shortcuts menu lists the installed apps' declared shortcuts), so when given the
   * simulator refuses any other; when omitted, any callback id is sent.
   */
  shortcuts?: readonly SlackShortcutDeclaration[];
}

/** One entry of a manifest's `features.shortcuts` (slackapi/manifest-schema). */
export interface SlackShortcutDeclaration {
  type: "global" | "message";
  callback_id: string;
  /** 1–24 characters. */
  name: string;
}

/** Which calls a `failNext` fault is for: a partial deep match on the args, or a function of them. */
export type FaultFilter = Readonly<Record<string, unknown>> | ((args: Record<string, unknown>) => boolean);

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
