/**
 * The people side of the Slack emulator: sends the app what Slack sends when someone types a slash
 * command, submits a modal, clicks a button, picks from a select or types into an external select —
 * form-encoded and signed exactly as Slack signs (`v0=` + HMAC-SHA256 of `v0:<ts>:<body>`) — and
 * applies the app's answer to the emulator's model the way Slack would (a command's ephemeral ack, a
 * modal's `response_action`).
 *
 * Node built-ins only.
 */
import { createHmac, randomBytes } from "node:crypto";
import { SLACK_EVENT_RETRY_DELAYS_MS } from "./slack/events.js";
import {
  clientChecks,
  cloneJson,
  type ElementSite,
  type EnteredValue,
  enteredState,
  findElement,
  initialState,
  interactiveElements,
  isRecord,
  LIMITS,
  type SlackBlock,
  type SlackOption,
  type SlackStateValue,
  type SlackStateValues,
} from "./slack-blocks.js";
import type {
  SlackEmulator,
  SlackEphemeral,
  SlackHomeView,
  SlackMessage,
  SlackView,
} from "./slack-emulator.js";

export interface SlackUserSimulatorOptions {
  emulator: SlackEmulator;
  /** The app's request URL, e.g. `http://127.0.0.1:3000/slack/events`. */
  requestUrl: string;
  signingSecret: string;
  /** The legacy `token` field Slack still puts in payloads. */
  verificationToken?: string;
  /** Slack's deadline for an answer; later answers are reported in `slackErrors`. Default 3000 ms. */
  ackDeadlineMs?: number;
  /**
   * The round trip between Slack and the app (network and TLS), default 0. Slack measures its
   * 3 seconds at Slack, so this counts in the deadline (../shared/docs/slack-facts.md, "Learned from
   * reading the real platform"; Slack's "Handling user interaction" guide: respond within 3
   * seconds): half of it passes before the request reaches the app, half after the answer leaves it.
   */
  networkDelayMs?: number;
  /** When to give up waiting for the app at all. Default 10000 ms. */
  timeoutMs?: number;
  /**
   * The pauses before each Events API retry (`SLACK_EVENT_RETRY_DELAYS_MS`: Slack's own, nearly
   * at once, 1 minute, 5 minutes); tests shorten them. Its length is the number of retries.
   */
  eventRetryDelaysMs?: readonly number[];
}

/** How to send: the knobs for testing the app's defences. */
export interface SendOptions {
  /**
   * Sends `X-Slack-Retry-Num` (Slack's redelivery counter). Events API requests only: Slack never
   * redelivers a slash command or an interaction (see `refuseRetryOutsideEvents`).
   */
  retryNum?: number;
  /** Sends `X-Slack-Retry-Reason`, e.g. `http_timeout`. Events API requests only, like `retryNum`. */
  retryReason?: string;
  /** Signs with the wrong secret. */
  badSignature?: boolean;
  /** Shifts `X-Slack-Request-Timestamp`; `-600` makes a stale request. */
  timestampOffsetSeconds?: number;
  /** Sends no signature headers at all. */
  unsigned?: boolean;
  /** Extra or overriding headers. */
  headers?: Readonly<Record<string, string>>;
}

/** What the app answered. */
export interface AppResponse {
  status: number;
  /** The answer parsed as JSON, else its text; undefined when empty. */
  body: unknown;
  text: string;
  headers: Record<string, string>;
  elapsedMs: number;
  /**
   * What Slack would have shown the person instead of using the answer: a non-200 status, a late
   * answer (`operation_timeout`), an invalid view or blocks in the answer. Empty when all is well.
   */
  slackErrors: string[];
  /** The exact body sent (for `resend`). */
  rawBody: string;
}

export interface SlashCommandOptions extends SendOptions {
  userId: string;
  channelId: string;
  text?: string;
  /** Default `/rds-backup`. */
  command?: string;
}

export interface SlashCommandResult extends AppResponse {
  triggerId: string;
  responseUrl: string;
  responseUrlId: string;
}

/** What a person entered, per `block_id`: a value, several, null (cleared) — or per `action_id`. */
export type EnteredValues = Readonly<Record<string, EnteredValue | Readonly<Record<string, EnteredValue>>>>;

export interface GlobalShortcutOptions extends SendOptions {
  userId: string;
  /** The shortcut's `callback_id`, as the app's manifest declares it. */
  callbackId: string;
  /** Sends a shortcut the app does not declare (Slack would not offer it). */
  bypassClientChecks?: boolean;
}

export interface ShortcutResult extends AppResponse {
  payload: Record<string, unknown>;
  triggerId: string;
}

export interface SubmitViewOptions extends SendOptions {
  userId: string;
  /** The view (as the emulator recorded it) or its id; the current version is submitted. */
  view: SlackView | string;
  values?: EnteredValues;
  /** Sends what a Slack client would refuse to (missing required fields, options not offered…). */
  bypassClientChecks?: boolean;
}

export interface ViewSubmissionResult extends AppResponse {
  payload: Record<string, unknown>;
  triggerId: string;
  /** `response_action` of the answer, if any. */
  responseAction: string | undefined;
  /** `errors` of a `response_action: "errors"` answer, keyed by block id. */
  errors: Record<string, string> | undefined;
}

export interface ClickButtonOptions extends SendOptions {
  userId: string;
  /** The message (or ephemeral) as the emulator recorded it; an old snapshot clicks an old button. */
  message: SlackMessage | SlackEphemeral;
  actionId: string;
  blockId?: string;
  /** Overrides the button's value (a forged click). */
  value?: string;
  /** Overrides the channel (default: the message's own). */
  channelId?: string;
}

export interface InteractionResult extends AppResponse {
  payload: Record<string, unknown>;
  triggerId: string;
  responseUrl: string | undefined;
  responseUrlId: string | undefined;
}

export interface ActInViewOptions extends SendOptions {
  userId: string;
  view: SlackView | string;
  actionId: string;
  blockId?: string;
  /** What is picked or typed (a button ignores it unless given, then it is the forged value). */
  value?: EnteredValue;
  bypassClientChecks?: boolean;
}

export interface RequestOptionsOptions extends SendOptions {
  userId: string;
  /** Where the external select is: a view… */
  view?: SlackView | string;
  /** …or a message. */
  message?: SlackMessage;
  actionId: string;
  blockId?: string;
  /** What the person typed. */
  query: string;
  /** Sends queries shorter than `min_query_length` (default 3) too. */
  bypassClientChecks?: boolean;
}

export interface OptionsResult extends AppResponse {
  payload: Record<string, unknown>;
  /** The options offered (flattened from `option_groups` when grouped). */
  options: SlackOption[];
}

export interface OpenHomeTabOptions extends SendOptions {
  userId: string;
}

/** One Events API event and every delivery of it (the first, then Slack's retries). */
export interface EventDelivery {
  /** The `event_callback` body (the same `event_id` on every retry). */
  body: Record<string, unknown>;
  /** Each attempt's answer; `undefined` where no answer came within the deadline. */
  attempts: Array<AppResponse | undefined>;
  /** True when an attempt was answered 2xx within the deadline. */
  acked: boolean;
}

export interface ClickInHomeOptions extends SendOptions {
  userId: string;
  actionId: string;
  blockId?: string;
  /** Overrides the button's value (a forged click). */
  value?: string;
  /** The Home tab as the person sees it (default: as the app last published it). */
  view?: SlackHomeView;
}

/** A Slack client would not have let the person send this. */
export class SlackClientRefusal extends Error {
  readonly code = "slack_client_refusal";
  readonly errors: Record<string, string>;

  constructor(what: string, errors: Record<string, string>) {
    super(
      `A Slack client would not send this ${what}: ${Object.entries(errors)
        .map(([k, v]) => `${k}: ${v}`)
        .join("; ")} (pass bypassClientChecks: true to send it anyway)`,
    );
    this.name = "SlackClientRefusal";
    this.errors = errors;
  }
}

/** `v0=` + hex HMAC-SHA256(secret, `v0:<timestamp>:<body>`): Slack's request signature. */
export function slackSignature(signingSecret: string, timestamp: number | string, body: string): string {
  return `v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

const FORM = "application/x-www-form-urlencoded";

/**
 * Only the Events API redelivers, with `X-Slack-Retry-Num` and `X-Slack-Retry-Reason` (Slack's
 * Events API guide, "Error handling": up to 3 retries). Slash commands and interactions (clicks,
 * view submissions, options requests) are sent once: a late or failed answer shows the person an
 * error and that is all (Slack's "Handling user interaction" guide, acknowledgment response; the
 * last section of ../shared/docs/slack-facts.md). So retry headers on anything else are refused:
 * a second click is a new interaction, sent with `clickButton` again.
 */
export function refuseRetryOutsideEvents(body: string, options: SendOptions): void {
  if (options.retryNum === undefined && options.retryReason === undefined) return;
  if (isEventsApiBody(body)) return;
  throw new Error(
    "Slack never redelivers slash commands or interactions: only the Events API sends X-Slack-Retry-Num " +
      "and X-Slack-Retry-Reason. Send a second click or submission as a new interaction instead.",
  );
}

/** An Events API request: JSON with `type` `event_callback` (or `url_verification`). */
function isEventsApiBody(body: string): boolean {
  const parsed = parseBody(body);
  return isRecord(parsed) && (parsed.type === "event_callback" || parsed.type === "url_verification");
}

/**
 * What Slack does to text it sends an app: `&`, `<` and `>` become `&amp;`, `&lt;` and `&gt;`
 * (Slack's formatting guide, "Escaping text"; slash-command `text` included, whatever the
 * command's `should_escape`, which only decides whether mentions and channels are turned into ids).
 */
export function slackEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function parseBody(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The state keys an action carries for each element type (everything but `type`). */
function actionFields(state: SlackStateValue): Record<string, unknown> {
  const { type: _type, ...rest } = state;
  return rest;
}

export class SlackUserSimulator {
  private readonly emulator: SlackEmulator;
  private readonly requestUrl: string;
  private readonly signingSecret: string;
  private readonly verificationToken: string;
  private readonly ackDeadlineMs: number;
  private readonly networkDelayMs: number;
  private readonly timeoutMs: number;
  private readonly eventRetryDelaysMs: readonly number[];

  constructor(options: SlackUserSimulatorOptions) {
    this.emulator = options.emulator;
    this.requestUrl = options.requestUrl;
    this.signingSecret = options.signingSecret;
    this.verificationToken = options.verificationToken ?? "emulator-verification-token";
    this.ackDeadlineMs = options.ackDeadlineMs ?? 3000;
    this.networkDelayMs = options.networkDelayMs ?? 0;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.eventRetryDelaysMs = options.eventRetryDelaysMs ?? SLACK_EVENT_RETRY_DELAYS_MS;
  }

  // -------------------------------------------------------------------------------------------------
  // What people do
  // -------------------------------------------------------------------------------------------------

  /** Someone types `/rds-backup <text>` in a channel. */
  async slashCommand(options: SlashCommandOptions): Promise<SlashCommandResult> {
    const { userId, channelId, text = "", command = "/rds-backup" } = options;
    this.emulator.registerUser(userId);
    const channel = this.emulator.resolveChannelId(channelId);
    const triggerId = this.emulator.issueTriggerId(userId);
    const { id: responseUrlId, url: responseUrl } = this.emulator.issueResponseUrl({ user: userId, channel });
    const form = new URLSearchParams({
      token: this.verificationToken,
      team_id: this.emulator.teamId,
      team_domain: this.emulator.teamDomain,
      channel_id: channel,
      channel_name: this.emulator.channelName(channel) ?? channel,
      user_id: userId,
      user_name: this.userName(userId),
      command,
      // What the person typed, escaped as Slack sends it.
      text: slackEscape(text),
      api_app_id: this.emulator.appId,
      is_enterprise_install: "false",
      response_url: responseUrl,
      trigger_id: triggerId,
    });
    const response = await this.send(form.toString(), {}, options);
    this.record("slash_command", userId, Object.fromEntries(form), response);
    if (response.status === 200) {
      const body = typeof response.body === "string" ? { text: response.body } : response.body;
      if (isRecord(body)) response.slackErrors.push(...this.emulator.applyCommandAck(userId, channel, body));
    }
    return { ...response, triggerId, responseUrl, responseUrlId };
  }

  /**
   * Someone picks one of the app's global shortcuts (the shortcuts menu, or search). Slack's
   * shortcuts payload reference ("Shortcuts interaction payloads", the global example): `type`
   * `shortcut`, `token`, `action_ts`, `team`, `user` (`id`, `username`, `team_id`), `callback_id`,
   * `trigger_id`, and nothing about where the person was: no channel, no `response_url`, no locale.
   * It goes to the request URL as an interaction (`payload=<json>`), or down the socket as an
   * `interactive` envelope in Socket Mode.
   */
  async globalShortcut(options: GlobalShortcutOptions): Promise<ShortcutResult> {
    const { userId, callbackId } = options;
    const declared = this.emulator.shortcuts;
    const offered = declared?.some((s) => s.type === "global" && s.callback_id === callbackId) ?? true;
    if (!offered && !options.bypassClientChecks) {
      throw new SlackClientRefusal("shortcut", {
        [callbackId]: `the app declares no global shortcut with this callback_id (it declares: ${
          declared?.map((s) => `${s.type} ${s.callback_id}`).join(", ") || "none"
        }); Slack offers only the shortcuts of the app's manifest`,
      });
    }
    this.emulator.registerUser(userId);
    const triggerId = this.emulator.issueTriggerId(userId);
    const payload: Record<string, unknown> = {
      type: "shortcut",
      token: this.verificationToken,
      action_ts: this.actionTs(),
      team: this.team(),
      user: { id: userId, username: this.userName(userId), team_id: this.emulator.teamId },
      is_enterprise_install: false,
      enterprise: null,
      callback_id: callbackId,
      trigger_id: triggerId,
    };
    const response = await this.sendPayload(payload, options);
    this.record("shortcut", userId, payload, response);
    return { ...response, payload, triggerId };
  }

  /**
   * Someone types or picks in a modal without sending anything (Slack tells the app nothing until a
   * `dispatch_action` or the submit): the emulator's view state remembers it, and it survives a
   * `views.update` that keeps the block and action ids, as in Slack.
   */
  fillView(options: {
    userId: string;
    view: SlackView | string;
    values: EnteredValues;
    bypassClientChecks?: boolean;
  }): void {
    const view = this.openView(options.view);
    this.emulator.registerUser(options.userId);
    const entered = this.enter(view, options.values);
    if (Object.keys(entered.refusals).length > 0 && !options.bypassClientChecks) {
      throw new SlackClientRefusal("entry", entered.refusals);
    }
    this.remember(view.id, entered.touched);
  }

  /** Someone presses the modal's submit button with `values` entered. */
  async submitView(options: SubmitViewOptions): Promise<ViewSubmissionResult> {
    const view = this.openView(options.view);
    const { userId } = options;
    this.emulator.registerUser(userId);
    const entered = this.enter(view, options.values ?? {});
    const refusals: Record<string, string> = { ...entered.refusals };
    // A view without `submit` shows no Submit button (Slack's view reference: `submit` is the
    // button's text), so nobody can submit it.
    if (!view.submit) refusals.view = "the view has no Submit button";
    for (const site of interactiveElements(view.blocks)) {
      if (!site.inInput) continue;
      const state = entered.values[site.blockId]?.[site.actionId];
      const problem = state ? clientChecks(site, state) : undefined;
      if (problem && refusals[site.blockId] === undefined) refusals[site.blockId] = problem;
    }
    if (Object.keys(refusals).length > 0 && !options.bypassClientChecks) {
      throw new SlackClientRefusal("view submission", refusals);
    }
    this.remember(view.id, entered.touched);
    const triggerId = this.emulator.issueTriggerId(userId);
    const payload = {
      type: "view_submission",
      team: this.team(),
      user: this.user(userId),
      api_app_id: this.emulator.appId,
      token: this.verificationToken,
      trigger_id: triggerId,
      view: { ...this.wireView(view), state: { values: entered.values } },
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    };
    const response = await this.sendPayload(payload, options);
    this.record("view_submission", userId, payload, response);
    const body = isRecord(response.body) ? response.body : undefined;
    if (response.status === 200 && response.slackErrors.length === 0) {
      response.slackErrors.push(...this.emulator.applyViewSubmissionAck(view.id, body));
    }
    const errors = body?.response_action === "errors" && isRecord(body.errors) ? body.errors : undefined;
    return {
      ...response,
      payload,
      triggerId,
      responseAction: typeof body?.response_action === "string" ? body.response_action : undefined,
      errors: errors as Record<string, string> | undefined,
    };
  }

  /** Someone closes (cancels) a modal; the app hears of it only with `notify_on_close`. */
  async closeView(
    options: { userId: string; view: SlackView | string } & SendOptions,
  ): Promise<AppResponse | undefined> {
    const view = this.openView(options.view);
    this.emulator.closeView(view.id, view.clear_on_close);
    if (!view.notify_on_close) return undefined;
    const payload = {
      type: "view_closed",
      team: this.team(),
      user: this.user(options.userId),
      api_app_id: this.emulator.appId,
      token: this.verificationToken,
      view: { ...this.wireView(view), state: { values: this.enter(view, {}).values } },
      is_cleared: view.clear_on_close,
      is_enterprise_install: false,
      enterprise: null,
    };
    const response = await this.sendPayload(payload, options);
    this.record("view_closed", options.userId, payload, response);
    return response;
  }

  /** Someone clicks a button in a message (or an ephemeral message). */
  async clickButton(options: ClickButtonOptions): Promise<InteractionResult> {
    const { userId, message, actionId } = options;
    this.emulator.registerUser(userId);
    const site = findElement(message.blocks, actionId, options.blockId);
    if (!site) {
      throw new Error(
        `No element with action_id "${actionId}" in message ${message.ts}; it has: ${describeSites(message.blocks)}`,
      );
    }
    if (site.element.type !== "button") {
      throw new Error(`"${actionId}" is a ${site.element.type}, not a button`);
    }
    const ephemeral = "via" in message;
    const channel = options.channelId ?? message.channel;
    const triggerId = this.emulator.issueTriggerId(userId);
    const { id: responseUrlId, url: responseUrl } = this.emulator.issueResponseUrl({
      user: userId,
      channel,
      messageTs: message.ts,
      ephemeral,
    });
    const value = options.value ?? (typeof site.element.value === "string" ? site.element.value : undefined);
    const action: Record<string, unknown> = {
      action_id: site.actionId,
      block_id: site.blockId,
      text: cloneJson(site.element.text),
      ...(value !== undefined ? { value } : {}),
      ...(site.element.style !== undefined ? { style: site.element.style } : {}),
      type: "button",
      action_ts: this.actionTs(),
    };
    const payload: Record<string, unknown> = {
      type: "block_actions",
      user: this.user(userId),
      api_app_id: this.emulator.appId,
      token: this.verificationToken,
      container: {
        type: "message",
        message_ts: message.ts,
        channel_id: channel,
        is_ephemeral: ephemeral,
        ...(!ephemeral && "thread_ts" in message && message.thread_ts !== undefined
          ? { thread_ts: message.thread_ts }
          : {}),
      },
      trigger_id: triggerId,
      team: this.team(),
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: channel, name: this.emulator.channelName(channel) ?? channel },
      ...(ephemeral ? {} : { message: this.wireMessage(message) }),
      state: { values: {} },
      response_url: responseUrl,
      actions: [action],
    };
    const response = await this.sendPayload(payload, options);
    this.record("block_actions", userId, payload, response);
    return { ...response, payload, triggerId, responseUrl, responseUrlId };
  }

  /**
   * Someone acts on an element inside a modal: picks from a select with `dispatch_action` (or any
   * select in an actions block), presses a button, types into a dispatching input.
   */
  async actInView(options: ActInViewOptions): Promise<InteractionResult> {
    const view = this.openView(options.view);
    const { userId, actionId } = options;
    this.emulator.registerUser(userId);
    const site = findElement(view.blocks, actionId, options.blockId);
    if (!site) {
      throw new Error(
        `No element with action_id "${actionId}" in view ${view.id}; it has: ${describeSites(view.blocks)}`,
      );
    }
    if (site.inInput && site.block.dispatch_action !== true && !options.bypassClientChecks) {
      throw new SlackClientRefusal("block action", {
        [site.blockId]:
          "an input block without dispatch_action: true sends nothing when used (use fillView to type into it)",
      });
    }
    let action: Record<string, unknown>;
    if (site.element.type === "button") {
      const value =
        typeof options.value === "string"
          ? options.value
          : typeof site.element.value === "string"
            ? site.element.value
            : undefined;
      action = {
        type: "button",
        action_id: site.actionId,
        block_id: site.blockId,
        text: cloneJson(site.element.text),
        ...(value !== undefined ? { value } : {}),
        action_ts: this.actionTs(),
      };
    } else {
      const { state, problems } = enteredState(
        site.element,
        options.value ?? null,
        this.emulator.offeredOptions(view.id, site.blockId, site.actionId),
      );
      if (problems.length > 0 && !options.bypassClientChecks) {
        throw new SlackClientRefusal("selection", { [site.blockId]: problems.join("; ") });
      }
      this.emulator.setViewState(view.id, site.blockId, site.actionId, state);
      action = {
        type: site.element.type,
        action_id: site.actionId,
        block_id: site.blockId,
        ...actionFields(state),
        ...(site.element.placeholder !== undefined
          ? { placeholder: cloneJson(site.element.placeholder) }
          : {}),
        action_ts: this.actionTs(),
      };
    }
    const current = this.openView(view.id);
    const triggerId = this.emulator.issueTriggerId(userId);
    const payload = {
      type: "block_actions",
      user: this.user(userId),
      api_app_id: this.emulator.appId,
      token: this.verificationToken,
      container: { type: "view", view_id: current.id },
      trigger_id: triggerId,
      team: this.team(),
      enterprise: null,
      is_enterprise_install: false,
      view: { ...this.wireView(current), state: { values: this.enter(current, {}).values } },
      actions: [action],
    };
    const response = await this.sendPayload(payload, options);
    this.record("block_actions", userId, payload, response);
    return { ...response, payload, triggerId, responseUrl: undefined, responseUrlId: undefined };
  }

  /** Someone types `query` into an external select: Slack asks the app for options. */
  async requestOptions(options: RequestOptionsOptions): Promise<OptionsResult> {
    const { userId, actionId, query } = options;
    this.emulator.registerUser(userId);
    const view = options.view !== undefined ? this.openView(options.view) : undefined;
    const blocks = view?.blocks ?? options.message?.blocks;
    if (!blocks) throw new Error("requestOptions needs a view or a message");
    const site = findElement(blocks, actionId, options.blockId);
    if (!site)
      throw new Error(`No element with action_id "${actionId}"; there are: ${describeSites(blocks)}`);
    if (site.element.type !== "external_select" && site.element.type !== "multi_external_select") {
      throw new Error(`"${actionId}" is a ${site.element.type}, not an external select`);
    }
    const minLength = typeof site.element.min_query_length === "number" ? site.element.min_query_length : 3;
    if (query.length < minLength && !options.bypassClientChecks) {
      throw new SlackClientRefusal("options request", {
        [site.blockId]: `Slack asks for options only once ${minLength} characters are typed`,
      });
    }
    const payload: Record<string, unknown> = {
      type: "block_suggestion",
      user: this.user(userId),
      container: view
        ? { type: "view", view_id: view.id }
        : { type: "message", message_ts: options.message?.ts, channel_id: options.message?.channel },
      api_app_id: this.emulator.appId,
      token: this.verificationToken,
      action_id: site.actionId,
      block_id: site.blockId,
      value: query,
      team: this.team(),
      enterprise: null,
      is_enterprise_install: false,
      ...(view ? { view: { ...this.wireView(view), state: { values: this.enter(view, {}).values } } } : {}),
      ...(options.message
        ? {
            channel: {
              id: options.message.channel,
              name: this.emulator.channelName(options.message.channel),
            },
            message: this.wireMessage(options.message),
          }
        : {}),
    };
    const response = await this.sendPayload(payload, options);
    this.record("block_suggestion", userId, payload, response);
    const offered = collectOptions(response.body, response.slackErrors);
    if (view) this.emulator.rememberOfferedOptions(view.id, site.blockId, site.actionId, offered);
    return { ...response, payload, options: offered };
  }

  /**
   * Someone opens the app's Home tab: Slack sends the `app_home_opened` event (Events API
   * reference, app_home_opened: `user`, `channel` (the app's DM with them), `tab: "home"`, and
   * `view`, the Home tab as last published, when there is one), retried like every event.
   */
  async openHomeTab(options: OpenHomeTabOptions): Promise<EventDelivery> {
    const { userId } = options;
    this.emulator.registerUser(userId);
    const view = this.emulator.homeView(userId);
    const event: Record<string, unknown> = {
      type: "app_home_opened",
      user: userId,
      channel: this.emulator.dmChannelId(userId),
      tab: "home",
      ...(view ? { view } : {}),
    };
    const delivery = await this.sendEvent(event, options);
    const last = delivery.attempts.at(-1);
    this.record("app_home_opened", userId, delivery.body, last ?? this.noAnswer(delivery.body));
    return delivery;
  }

  /**
   * `/invite @bot` (or `user`) in a channel, typed by `inviter`: the workspace adds them, and Slack
   * sends the app `member_joined_channel` (over HTTP or the socket, retried like every event) when
   * the bot is in the channel afterwards. Undefined when no event goes.
   */
  async invite(
    channel: string,
    options: SendOptions & { user?: string; inviter?: string } = {},
  ): Promise<EventDelivery | undefined> {
    const { user, inviter, ...sendOptions } = options;
    this.emulator.invite(channel, user);
    const event = this.emulator.memberJoinedEvent(channel, user, inviter);
    if (!event) return undefined;
    const delivery = await this.sendEvent(event, sendOptions);
    const last = delivery.attempts.at(-1);
    this.record(
      "member_joined_channel",
      inviter ?? user ?? "",
      delivery.body,
      last ?? this.noAnswer(delivery.body),
    );
    return delivery;
  }

  /**
   * Slack checks an Events API request URL when it is saved (the manifest's
   * `event_subscriptions.request_url`): a signed `url_verification` with a `challenge` the app must
   * send back (Events API reference, url_verification: as JSON `{ challenge }`, form or plain text).
   */
  async verifyEventsUrl(options: SendOptions = {}): Promise<{ verified: boolean; response: AppResponse }> {
    const challenge = randomBytes(24).toString("base64url");
    const body = { token: this.verificationToken, challenge, type: "url_verification" };
    const response = await this.send(JSON.stringify(body), { "content-type": "application/json" }, options);
    const echoed = isRecord(response.body) ? response.body.challenge : response.text;
    return { verified: response.status === 200 && echoed === challenge, response };
  }

  /**
   * Sends an Events API event and, like Slack, sends it again while the app does not take it:
   * no 2xx within the ack deadline (3 s), or a non-2xx answer, is retried after
   * `eventRetryDelaysMs` with `X-Slack-Retry-Num` and `X-Slack-Retry-Reason` (in Socket Mode:
   * `retry_attempt`, `retry_reason`). A late answer is not waited for before the retry, as Slack
   * does not; an answer with `X-Slack-No-Retry: 1` ends the retries.
   */
  async sendEvent(event: Record<string, unknown>, options: SendOptions = {}): Promise<EventDelivery> {
    const body = this.emulator.eventCallback(event, this.verificationToken);
    const raw = JSON.stringify(body);
    const attempts: Array<AppResponse | undefined> = [];
    let reason: string | undefined;
    for (let attempt = 0; attempt <= this.eventRetryDelaysMs.length; attempt++) {
      if (attempt > 0) await sleep(this.eventRetryDelaysMs[attempt - 1] ?? 0);
      const sending = this.send(
        raw,
        { "content-type": "application/json" },
        {
          ...options,
          ...(attempt > 0 ? { retryNum: attempt, retryReason: reason ?? "http_error" } : {}),
        },
      );
      // A late answer still arrives, but Slack has retried by then: it is not waited for.
      sending.catch(() => undefined);
      const answer = await Promise.race([
        sending.catch(() => undefined),
        sleep(this.ackDeadlineMs).then(() => undefined),
      ]);
      attempts.push(answer);
      if (answer && answer.status >= 200 && answer.status < 300) return { body, attempts, acked: true };
      if (answer?.headers["x-slack-no-retry"] === "1") break;
      reason = answer === undefined ? "http_timeout" : "http_error";
    }
    return { body, attempts, acked: false };
  }

  /**
   * Someone clicks a button in their Home tab: a `block_actions` with `container.type: "view"`,
   * the home `view`, and no `message`, `channel` or `response_url` (Slack's block_actions payload
   * reference: those come only from messages; ../shared/docs/slack-facts.md, last line).
   */
  async clickInHome(options: ClickInHomeOptions): Promise<InteractionResult> {
    const { userId, actionId } = options;
    this.emulator.registerUser(userId);
    const view = options.view ?? this.emulator.homeView(userId);
    if (!view) throw new Error(`The app never published a Home tab for ${userId}`);
    const site = findElement(view.blocks, actionId, options.blockId);
    if (!site) {
      throw new Error(
        `No element with action_id "${actionId}" in ${userId}'s Home tab; it has: ${describeSites(view.blocks)}`,
      );
    }
    if (site.element.type !== "button")
      throw new Error(`"${actionId}" is a ${site.element.type}, not a button`);
    const value = options.value ?? (typeof site.element.value === "string" ? site.element.value : undefined);
    const triggerId = this.emulator.issueTriggerId(userId);
    const payload: Record<string, unknown> = {
      type: "block_actions",
      user: this.user(userId),
      api_app_id: this.emulator.appId,
      token: this.verificationToken,
      container: { type: "view", view_id: view.id },
      trigger_id: triggerId,
      team: this.team(),
      enterprise: null,
      is_enterprise_install: false,
      view: cloneJson(view),
      actions: [
        {
          action_id: site.actionId,
          block_id: site.blockId,
          text: cloneJson(site.element.text),
          ...(value !== undefined ? { value } : {}),
          ...(site.element.style !== undefined ? { style: site.element.style } : {}),
          type: "button",
          action_ts: this.actionTs(),
        },
      ],
    };
    const response = await this.sendPayload(payload, options);
    this.record("block_actions", userId, payload, response);
    return { ...response, payload, triggerId, responseUrl: undefined, responseUrlId: undefined };
  }

  // -------------------------------------------------------------------------------------------------
  // Raw sending
  // -------------------------------------------------------------------------------------------------

  /** Sends an interaction payload (`payload=<json>`), signed. */
  async sendPayload(payload: unknown, options: SendOptions = {}): Promise<AppResponse> {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.send(body, {}, options);
  }

  /**
   * Sends the exact body of an earlier request again, freshly signed: a replay (by a proxy, or an
   * attacker with a captured body). Not a Slack redelivery, which happens to Events API requests only.
   */
  async resend(previous: Pick<AppResponse, "rawBody">, options: SendOptions = {}): Promise<AppResponse> {
    return this.send(previous.rawBody, {}, options);
  }

  /**
   * Sends any body to the app (form-encoded unless `headers` say otherwise), signed unless
   * `unsigned`; for garbage and edge cases.
   */
  async send(
    body: string,
    headers: Readonly<Record<string, string>> = {},
    options: SendOptions = {},
  ): Promise<AppResponse> {
    refuseRetryOutsideEvents(body, options);
    const timestamp = Math.floor(Date.now() / 1000) + (options.timestampOffsetSeconds ?? 0);
    const secret = options.badSignature ? `${this.signingSecret}-not` : this.signingSecret;
    const all: Record<string, string> = { "content-type": FORM };
    if (!options.unsigned) {
      all["x-slack-request-timestamp"] = String(timestamp);
      all["x-slack-signature"] = slackSignature(secret, timestamp, body);
    }
    if (options.retryNum !== undefined) all["x-slack-retry-num"] = String(options.retryNum);
    if (options.retryReason !== undefined) all["x-slack-retry-reason"] = options.retryReason;
    for (const [k, v] of Object.entries({ ...headers, ...options.headers })) all[k.toLowerCase()] = v;
    const started = performance.now();
    const leg = this.networkDelayMs / 2;
    if (leg > 0) await sleep(leg);
    const res = await fetch(this.requestUrl, {
      method: "POST",
      headers: all,
      body,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await res.text();
    if (leg > 0) await sleep(leg);
    const elapsedMs = Math.round(performance.now() - started);
    const slackErrors: string[] = [];
    if (res.status !== 200) slackErrors.push(`dispatch_failed: the app answered HTTP ${res.status}`);
    if (elapsedMs > this.ackDeadlineMs) {
      slackErrors.push(
        `operation_timeout: the app answered after ${elapsedMs} ms (Slack waits ${this.ackDeadlineMs})`,
      );
    }
    return {
      status: res.status,
      body: parseBody(text),
      text,
      headers: Object.fromEntries(res.headers.entries()),
      elapsedMs,
      slackErrors,
      rawBody: body,
    };
  }

  // -------------------------------------------------------------------------------------------------
  // Helpers
  // -------------------------------------------------------------------------------------------------

  private record(type: string, user: string, payload: Record<string, unknown>, response: AppResponse): void {
    this.emulator.recordInteraction({
      type,
      user,
      payload,
      status: response.status,
      body: response.body,
      at: Date.now(),
      elapsedMs: response.elapsedMs,
    });
  }

  private noAnswer(body: Record<string, unknown>): AppResponse {
    return {
      status: 0,
      body: undefined,
      text: "",
      headers: {},
      elapsedMs: this.ackDeadlineMs,
      slackErrors: ["the app did not take the event"],
      rawBody: JSON.stringify(body),
    };
  }

  private userName(id: string): string {
    return this.emulator.userProfile(id)?.name ?? id.toLowerCase();
  }

  private user(id: string): Record<string, unknown> {
    const name = this.userName(id);
    return { id, username: name, name, team_id: this.emulator.teamId };
  }

  private team(): Record<string, unknown> {
    return { id: this.emulator.teamId, domain: this.emulator.teamDomain };
  }

  private actionTs(): string {
    const now = Date.now();
    return `${Math.floor(now / 1000)}.${String((now % 1000) * 1000).padStart(6, "0")}`;
  }

  /** The current version of a view, which must still be open. */
  private openView(view: SlackView | string): SlackView {
    const id = typeof view === "string" ? view : view.id;
    const current = this.emulator.view(id);
    if (!current) throw new Error(`The Slack emulator has no view ${id}`);
    if (!this.emulator.isViewOpen(id))
      throw new Error(`View ${id} is not open any more: nobody can act on it`);
    return current;
  }

  /** The view as it goes into payloads. */
  private wireView(view: SlackView): Record<string, unknown> {
    return cloneJson(view) as unknown as Record<string, unknown>;
  }

  private wireMessage(message: SlackMessage | SlackEphemeral): Record<string, unknown> {
    if ("via" in message)
      return { type: "message", ts: message.ts, text: message.text, blocks: message.blocks };
    const { updateCount: _u, history: _h, channel: _c, ...rest } = message;
    return cloneJson(rest) as unknown as Record<string, unknown>;
  }

  /**
   * The full `state.values` of a view after entering `values`: entered > touched before > initial.
   * Also returns what was entered now, and the entries a Slack client would refuse.
   */
  private enter(
    view: SlackView,
    values: EnteredValues,
  ): {
    values: SlackStateValues;
    touched: Array<[ElementSite, SlackStateValue]>;
    refusals: Record<string, string>;
  } {
    const sites = interactiveElements(view.blocks).filter(
      (s) => s.element.type !== "button" && s.element.type !== "overflow",
    );
    const out: SlackStateValues = {};
    const touched: Array<[ElementSite, SlackStateValue]> = [];
    const refusals: Record<string, string> = {};
    const blockIds = new Set(sites.map((s) => s.blockId));
    for (const blockId of Object.keys(values)) {
      if (!blockIds.has(blockId)) {
        throw new Error(
          `View ${view.id} has no input element in block "${blockId}"; it has: ${describeSites(view.blocks)}`,
        );
      }
    }
    for (const site of sites) {
      const given = values[site.blockId];
      let entry: EnteredValue | undefined;
      if (given !== undefined) {
        if (isPerAction(given)) entry = given[site.actionId];
        else {
          const inBlock = sites.filter((s) => s.blockId === site.blockId);
          if (inBlock.length > 1) {
            throw new Error(
              `Block "${site.blockId}" has ${inBlock.length} elements: give values per action_id`,
            );
          }
          entry = given;
        }
      }
      let state: SlackStateValue;
      if (entry !== undefined) {
        const result = enteredState(
          site.element,
          entry,
          this.emulator.offeredOptions(view.id, site.blockId, site.actionId),
        );
        state = result.state;
        touched.push([site, state]);
        if (result.problems.length > 0) refusals[site.blockId] = result.problems.join("; ");
      } else {
        state = view.state.values[site.blockId]?.[site.actionId] ?? initialState(site.element);
      }
      out[site.blockId] = { ...out[site.blockId], [site.actionId]: state };
    }
    return { values: out, touched, refusals };
  }

  private remember(viewId: string, touched: Array<[ElementSite, SlackStateValue]>): void {
    for (const [site, state] of touched)
      this.emulator.setViewState(viewId, site.blockId, site.actionId, state);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function isPerAction(value: unknown): value is Readonly<Record<string, EnteredValue>> {
  return isRecord(value);
}

function describeSites(blocks: readonly SlackBlock[]): string {
  const sites = interactiveElements(blocks);
  if (sites.length === 0) return "no interactive elements";
  return sites.map((s) => `${s.blockId}/${s.actionId} (${s.element.type})`).join(", ");
}

/** The options in an options answer; problems Slack would refuse it for go into `problems`. */
function collectOptions(body: unknown, problems: string[]): SlackOption[] {
  if (!isRecord(body)) {
    problems.push("the options answer is not a JSON object");
    return [];
  }
  const check = (list: unknown, at: string): SlackOption[] => {
    if (!Array.isArray(list)) {
      problems.push(`${at} must be an array`);
      return [];
    }
    if (list.length > LIMITS.selectOptions)
      problems.push(`${at}: no more than ${LIMITS.selectOptions} options allowed`);
    return list.filter((o, i): o is SlackOption => {
      const text = isRecord(o) && isRecord(o.text) ? o.text.text : undefined;
      const ok = isRecord(o) && typeof o.value === "string" && typeof text === "string";
      if (!ok) problems.push(`${at}/${i} is not an option`);
      else if (text.length > LIMITS.optionText)
        problems.push(`${at}/${i}/text is longer than ${LIMITS.optionText}`);
      else if ((o.value as string).length > LIMITS.optionValue) {
        problems.push(`${at}/${i}/value is longer than ${LIMITS.optionValue}`);
      }
      return ok;
    });
  };
  if (body.option_groups !== undefined) {
    if (!Array.isArray(body.option_groups)) {
      problems.push("option_groups must be an array");
      return [];
    }
    return body.option_groups.flatMap((g, i) =>
      isRecord(g) ? check(g.options, `/option_groups/${i}/options`) : [],
    );
  }
  return check(body.options, "/options");
}
