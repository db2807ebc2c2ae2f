/**
 * The Slack emulator's facade: one object that tests, the simulator and the stage talk to. It
 * wires the parts together and answers questions about the model; each part lives in its own file:
 *
 * - `server.ts`: HTTP, the token check, scripted faults; `faults.ts`, `call-log.ts`: faults and
 *   the record of every call, with waiting for them; `rate-limits.ts`: Slack's own 429s.
 * - `workspace.ts`, `messages.ts`: team, people, user groups, channels, DMs, messages, ephemerals.
 * - `modals.ts`: trigger ids and modal view stacks; `home-tabs.ts`: each person's Home tab;
 *   `response-urls.ts`: response URLs; `events.ts`: Events API envelopes.
 * - `methods/*.ts`: the Web API methods, one file per family.
 */
import { cloneJson, type SlackOption, type SlackStateValue } from "../slack-blocks.js";
import { SlackUserSimulator, type SlackUserSimulatorOptions } from "../slack-user-simulator.js";
import { CallLog } from "./call-log.js";
import { eventCallback, memberJoinedChannel } from "./events.js";
import { FaultScript } from "./faults.js";
import { HomeTabs } from "./home-tabs.js";
import { isRefusal, messageContent } from "./messages.js";
import { authMethods } from "./methods/auth.js";
import { chatMethods } from "./methods/chat.js";
import { conversationsMethods } from "./methods/conversations.js";
import { usersMethods } from "./methods/users.js";
import { viewsMethods } from "./methods/views.js";
import { Modals } from "./modals.js";
import { DEFAULT_POST_MESSAGE_LIMIT, PostingRateLimit } from "./rate-limits.js";
import { ResponseUrls } from "./response-urls.js";
import { SlackHttpServer, type TokenMethodHandler } from "./server.js";
import type {
  CallFilter,
  FaultFilter,
  RecordedCall,
  RecordedInteraction,
  ResponseUrlContext,
  ResponseUrlPost,
  SlackEmulatorOptions,
  SlackEphemeral,
  SlackFault,
  SlackHomeView,
  SlackMessage,
  SlackShortcutDeclaration,
  SlackUserProfile,
  SlackView,
  WaitOptions,
} from "./types.js";
import type { MethodTable } from "./wire.js";
import { Workspace } from "./workspace.js";

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
  /** The app's declared shortcuts, when the emulator was told them (`SlackEmulatorOptions.shortcuts`). */
  readonly shortcuts: readonly SlackShortcutDeclaration[] | undefined;

  /** Every request received, in order. */
  readonly calls: RecordedCall[];
  /** Every interaction the simulator sent to the app, in order. */
  readonly interactions: RecordedInteraction[];

  private readonly workspace: Workspace;
  private readonly modals: Modals;
  private readonly homeTabs: HomeTabs;
  private readonly responseUrls: ResponseUrls;
  private readonly log: CallLog;
  private readonly faults = new FaultScript();
  /** Options answered for external selects, by `view/block/action`, then by value. */
  private readonly offered = new Map<string, Map<string, SlackOption>>();
  private readonly methods: MethodTable;
  /** Methods that take another kind of token than the bot's and check it themselves (`defineTokenMethod`). */
  private readonly tokenMethods = new Map<string, TokenMethodHandler>();
  private readonly server: SlackHttpServer;

  constructor(options: SlackEmulatorOptions) {
    const ws = new Workspace(options);
    this.workspace = ws;
    this.teamId = ws.teamId;
    this.teamDomain = ws.teamDomain;
    this.teamName = ws.teamName;
    this.botUserId = ws.botUserId;
    this.botId = ws.botId;
    this.botName = ws.botName;
    this.appId = ws.appId;
    this.shortcuts = options.shortcuts;

    const log = (line: string): void => options.log?.(line);
    this.log = new CallLog(ws.now, log);
    this.calls = this.log.calls;
    this.interactions = this.log.interactions;
    this.modals = new Modals(ws, options.triggerTtlMs ?? 3000);
    this.homeTabs = new HomeTabs(ws, options.homeTabEnabled ?? true);
    this.responseUrls = new ResponseUrls(ws, {
      ttlMs: options.responseUrlTtlMs ?? 30 * 60_000,
      maxUses: options.responseUrlMaxUses ?? 5,
    });
    this.methods = {
      ...authMethods(ws),
      ...chatMethods(ws),
      ...viewsMethods(this.modals, this.homeTabs),
      ...usersMethods(ws),
      ...conversationsMethods(ws),
    };
    const postingLimit = new PostingRateLimit(ws, options.postMessageRateLimit ?? DEFAULT_POST_MESSAGE_LIMIT);
    this.server = new SlackHttpServer(
      {
        methods: this.methods,
        tokenMethods: this.tokenMethods,
        tokens: new Set([options.botToken, ...(options.extraTokens ?? [])]),
        faults: this.faults,
        rateLimit: (method, args) => postingLimit.retryAfter(method, args),
        calls: this.log,
        responseUrls: this.responseUrls,
        log,
      },
      options.host ?? "127.0.0.1",
      options.port ?? 0,
    );
  }

  /** @internal used by `startSlackEmulator`. */
  listen(): Promise<void> {
    return this.server.listen();
  }

  /** Stops the server, dropping open connections. */
  close(): Promise<void> {
    return this.server.close();
  }

  get port(): number {
    return this.server.port;
  }

  /** `http://127.0.0.1:<port>` */
  get baseUrl(): string {
    return this.server.baseUrl;
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
   * `"response_url"`: posts to response URLs); with `where`, only calls whose arguments match
   * (`{ thread_ts: card.ts }`: a reply in that thread). Faulted calls are recorded with `fault` set.
   */
  failNext(method: string, fault: SlackFault, times = 1, where?: FaultFilter): void {
    this.faults.add(method, fault, times, where);
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
    return this.log.waitFor(first, second, third);
  }

  /**
   * Polls `check` (every 10 ms and after every call) until it returns something other than
   * `undefined`/`false`, and resolves with it: `await emulator.waitUntil(() => emulator.thread(c, ts)[1])`.
   */
  waitUntil<T>(check: () => T | undefined | false, timeoutMs = 5000, what = "the condition"): Promise<T> {
    return this.log.waitUntil(check, timeoutMs, what);
  }

  /** The last calls, one line each (what `waitFor` prints on timeout). */
  recentCalls(count = 15): string {
    return this.log.recentCalls(count);
  }

  // -------------------------------------------------------------------------------------------------
  // The model, as snapshots
  // -------------------------------------------------------------------------------------------------

  /** Top-level messages of a channel (a channel id, a `D…` id, or a user id for the bot's DM), oldest first. */
  messages(channel: string): SlackMessage[] {
    const ch = this.workspace.lookupChannel(channel);
    return ch ? ch.messages.map((m) => this.workspace.snapshot(m)) : [];
  }

  /** One message (top-level or reply) by its `ts`. */
  message(channel: string, ts: string): SlackMessage | undefined {
    const ch = this.workspace.lookupChannel(channel);
    const found = ch ? this.workspace.findMessage(ch, ts) : undefined;
    return found ? this.workspace.snapshot(found) : undefined;
  }

  /** The replies in a thread (without the parent), oldest first; `ts` may be the parent's or a reply's. */
  thread(channel: string, ts: string): SlackMessage[] {
    const ch = this.workspace.lookupChannel(channel);
    const found = ch ? this.workspace.findMessage(ch, ts) : undefined;
    if (!ch || !found) return [];
    const parent = this.workspace.threadParent(ch, found);
    return (parent?.replies ?? []).map((m) => this.workspace.snapshot(m));
  }

  /** Ephemeral messages shown to a user (any channel unless `channel` is given), oldest first. */
  ephemerals(user: string, channel?: string): SlackEphemeral[] {
    return this.workspace.ephemerals
      .filter((e) => e.user === user && (channel === undefined || e.channel === channel))
      .map((e) => cloneJson(e));
  }

  /** The bot's DM channel id with a user (created if needed, like `conversations.open`). */
  dmChannelId(user: string): string {
    return this.workspace.openDm(user).id;
  }

  /** The bot's DMs to a user, oldest first. */
  dms(user: string): SlackMessage[] {
    const id = this.workspace.dmByUser.get(user);
    return id ? this.messages(id) : [];
  }

  /** A view's current state, by id. */
  view(id: string): SlackView | undefined {
    const v = this.modals.viewsById.get(id);
    return v ? cloneJson(v.view) : undefined;
  }

  /** The view on top of the user's open modal stack, if any. */
  currentView(user: string): SlackView | undefined {
    const top = this.modals.stacks.get(user)?.at(-1);
    return top ? this.view(top) : undefined;
  }

  /** Every view ever opened for a user (open or closed), oldest first. */
  viewsOf(user: string): SlackView[] {
    return [...this.modals.viewsById.values()].filter((v) => v.user === user).map((v) => cloneJson(v.view));
  }

  /** The person's Home tab as the app last published it (undefined: never published). */
  homeView(user: string): SlackHomeView | undefined {
    return this.homeTabs.viewOf(user);
  }

  /** How many times the app published the person's Home tab. */
  homePublishes(user: string): number {
    return this.homeTabs.byUser.get(user)?.publishes ?? 0;
  }

  /** Whether a view is still open. */
  isViewOpen(id: string): boolean {
    return this.modals.viewsById.get(id)?.open ?? false;
  }

  /** Posts to one response URL, in order. */
  responses(id: string): ResponseUrlPost[] {
    return this.responseUrls.posts(id);
  }

  /** Channels known so far. */
  channelIds(): string[] {
    return [...this.workspace.channels.keys()];
  }

  // -------------------------------------------------------------------------------------------------
  // What people and admins do to the workspace
  // -------------------------------------------------------------------------------------------------

  /** `/invite @bot` in a channel (or `user` instead of the bot). */
  invite(channel: string, user?: string): void {
    this.workspace.invite(channel, user);
  }

  /** The bot is removed from a channel. */
  removeBot(channel: string): void {
    this.workspace.removeBot(channel);
  }

  /** The channel is archived: posts answer `is_archived`. */
  archiveChannel(channel: string): void {
    this.workspace.archive(channel);
  }

  /** The person is deactivated: `users.info` says `deleted`, their DM answers `user_disabled`. */
  deactivateUser(user: string): void {
    this.workspace.deactivate(user);
  }

  // -------------------------------------------------------------------------------------------------
  // The client side: what the user simulator uses (public so tests can script odd cases too)
  // -------------------------------------------------------------------------------------------------

  /** A fresh trigger id for an interaction by `user`, valid for `triggerTtlMs`, once. */
  issueTriggerId(user: string): string {
    return this.modals.issueTriggerId(user);
  }

  /** A fresh response URL pointing back at `context`. */
  issueResponseUrl(context: ResponseUrlContext): { id: string; url: string } {
    const id = this.responseUrls.issue(context);
    return { id, url: `${this.baseUrl}/response/${id}` };
  }

  /** Makes `id` a known user (the simulator registers everyone it acts as). */
  registerUser(id: string, profile: SlackUserProfile = {}): void {
    this.workspace.registerUser(id, profile);
  }

  /** A known user's profile. */
  userProfile(id: string): SlackUserProfile | undefined {
    const p = this.workspace.users.get(id);
    return p ? { ...p } : undefined;
  }

  /** The channel's name (`directmessage` for DMs), or undefined when unknown. */
  channelName(id: string): string | undefined {
    return this.workspace.channelName(id);
  }

  /**
   * Resolves a channel id (or a user id: their DM with the bot) the way `chat.postMessage` does,
   * creating channels on first use when no `channels` were configured. Throws when unknown.
   */
  resolveChannelId(channel: string): string {
    const ch = this.workspace.resolveChannel(channel);
    if (typeof ch === "string") throw new Error(`Slack emulator: ${ch} for channel ${channel}`);
    return ch.id;
  }

  /** The Events API body Slack sends for `event` (an `event_callback` with a fresh `event_id`). */
  eventCallback(event: Record<string, unknown>, verificationToken?: string): Record<string, unknown> {
    return eventCallback(this.workspace, event, verificationToken);
  }

  /**
   * The `member_joined_channel` event Slack sends the app when `user` (default the bot) has joined
   * `channel`; undefined when Slack would send none (the bot is not in the channel).
   */
  memberJoinedEvent(channel: string, user?: string, inviter?: string): Record<string, unknown> | undefined {
    return memberJoinedChannel(this.workspace, channel, user ?? this.workspace.botUserId, inviter);
  }

  /** Records what the simulator sent and got back. */
  recordInteraction(interaction: RecordedInteraction): void {
    this.log.recordInteraction(interaction);
  }

  /** A slash command's ack body: an ephemeral (default) or, with `response_type: in_channel`, a message. */
  applyCommandAck(user: string, channel: string, body: Record<string, unknown>): string[] {
    const ws = this.workspace;
    const content = messageContent(body, "/");
    if (isRefusal(content)) return [content.error];
    if (body.response_type === "in_channel") {
      const ch = ws.resolveChannel(channel);
      if (typeof ch === "string") return [ch];
      ws.storeMessage(ch, content, undefined, ws.botUserId, true);
    } else {
      ws.addEphemeral({ via: "ack", user, channel, ...content });
    }
    return [];
  }

  /**
   * Remembers the options the app answered for an external select in a view, so a person can pick
   * them (and only them) afterwards; every answer adds to what was offered.
   */
  rememberOfferedOptions(
    viewId: string,
    blockId: string,
    actionId: string,
    options: readonly SlackOption[],
  ): void {
    const key = `${viewId}/${blockId}/${actionId}`;
    const known = this.offered.get(key) ?? new Map<string, SlackOption>();
    for (const option of options) known.set(option.value, cloneJson(option));
    this.offered.set(key, known);
  }

  /** The options offered so far for an external select in a view; undefined when never asked. */
  offeredOptions(viewId: string, blockId: string, actionId: string): SlackOption[] | undefined {
    const known = this.offered.get(`${viewId}/${blockId}/${actionId}`);
    return known ? [...known.values()] : undefined;
  }

  /** Remembers what a person entered in a view (kept across `views.update` when ids stay). */
  setViewState(viewId: string, blockId: string, actionId: string, state: SlackStateValue): void {
    this.modals.setViewState(viewId, blockId, actionId, state);
  }

  /**
   * What Slack does with the app's answer to a `view_submission`: close the view (no
   * `response_action`), `clear` the stack, `update` or `push` a view, or show `errors`. Returns the
   * problems Slack would have shown instead (an invalid view in the answer, say).
   */
  applyViewSubmissionAck(viewId: string, body: unknown): string[] {
    return this.modals.applyViewSubmissionAck(viewId, body);
  }

  /** The person closed (cancelled) a view. */
  closeView(viewId: string, wholeStack: boolean): void {
    this.modals.closeView(viewId, wholeStack);
  }
}
