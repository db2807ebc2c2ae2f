/**
 * The Bolt app: one place that knows which transport runs (Socket Mode or HTTP) and registers
 * every listener. The listeners never know the transport.
 */

import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  App,
  type Logger as BoltLogger,
  type CustomRoute,
  HTTPReceiver,
  LogLevel,
  type Receiver,
  SocketModeReceiver,
} from "@slack/bolt";
import { WebClient, type WebClientOptions } from "@slack/web-api";
import type { Logger } from "../logger.js";
import { registerActions } from "./listeners/actions.js";
import { registerChannels } from "./listeners/channels.js";
import { registerCommands } from "./listeners/commands.js";
import type { ListenerDeps } from "./listeners/deps.js";
import { registerHome } from "./listeners/home.js";
import { registerOptions } from "./listeners/options.js";
import { registerShortcuts } from "./listeners/shortcuts.js";
import { registerViews } from "./listeners/views.js";
import type { BotIdentity } from "./token-check.js";

/** An HTTP route served next to Slack's own, as a plain Node handler (the ops routes, say). */
export interface HttpRoute {
  readonly path: string;
  readonly method: string;
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
}

export interface SlackAppOptions {
  mode: "socket" | "http";
  botToken: string;
  appToken?: string | undefined;
  signingSecret?: string | undefined;
  apiUrl?: URL | undefined;
  port: number;
  /** Extra HTTP routes (`/healthz`, `/readyz`, `/metrics`), served in both modes. */
  routes: readonly HttpRoute[];
  logger: Logger;
  /** Web API client tuning (tests shorten the retries). */
  clientOptions?: WebClientOptions | undefined;
  /** The timeout of each call of `deliveryClient`, which makes one attempt per call. */
  deliveryCallTimeoutMs: number;
  /** The bot's ids from the start's token check, when Slack could be asked. */
  identity?: BotIdentity | undefined;
}

export interface SlackApp {
  app: App;
  /**
   * A Web API client for callers that retry by themselves (the outbox, the start-up checks): one
   * attempt per call, a 429 comes back at once, and a call ends within `deliveryCallTimeoutMs`.
   */
  deliveryClient: WebClient;
  /** Registers every listener; called once the use cases (which need `app.client`) exist. */
  register(listeners: ListenerDeps): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createSlackApp(options: SlackAppOptions): SlackApp {
  const logger = boltLogger(options.logger.child({ component: "bolt" }));
  const receiver = createReceiver(options, logger);
  const app = new App({
    token: options.botToken,
    // Who the bot is, from the start's own auth.test (token-check.ts), so Bolt does not ask again:
    // its eager auth.test caches a failure for good, so a Slack unreachable at start would fail
    // every request until a restart (and reject unhandled). When Slack could not be asked the ids
    // are unknown; Bolt uses them only to ignore the bot's own events (app_home_opened is a person's;
    // member_joined_channel it keeps, and the listener compares its user with the bot's).
    botId: options.identity?.botId ?? "unknown",
    botUserId: options.identity?.botUserId ?? "unknown",
    receiver,
    logger,
    // Bolt's conversation store keeps state per conversation for listeners that ask; none do.
    convoStore: false,
    clientOptions: {
      ...(options.apiUrl ? { slackApiUrl: options.apiUrl.toString() } : {}),
      // The listeners' client (views, ephemerals; the outbox has `deliveryClient` below): a 429
      // comes back at once with its Retry-After instead of holding a listener for minutes.
      rejectRateLimitedCalls: true,
      timeout: 10_000,
      retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1_000 },
      ...options.clientOptions,
    },
  });
  const deliveryClient = new WebClient(options.botToken, {
    logger,
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl.toString() } : {}),
    ...options.clientOptions,
    // The web client's own retries (two, after a 10 s timeout each) could outlast the outbox lease:
    // another replica would then post the same message again.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.deliveryCallTimeoutMs,
  });
  app.error(async (error) => {
    // Several listeners failing at once come as one error: keep what each of them threw.
    const originals = (error as { originals?: unknown }).originals;
    const each = Array.isArray(originals)
      ? {
          originals: originals.map((e: unknown) =>
            e instanceof Error ? { type: e.name, message: e.message, stack: e.stack } : String(e),
          ),
        }
      : {};
    options.logger.error({ err: error, ...each }, "unhandled error in a Slack listener");
  });
  return {
    app,
    deliveryClient,
    register: (listeners) => {
      // One child logger per Slack request: every line about it carries the same id.
      app.use(async ({ body, context, next }) => {
        const payload = body as { type?: string; command?: string; user?: { id?: string }; user_id?: string };
        context.log = listeners.logger.child({
          slackRequest: randomUUID().slice(0, 8),
          kind: payload.command ? "slash_command" : (payload.type ?? "event"),
          user: payload.user?.id ?? payload.user_id,
          ...(context.retryNum ? { retryNum: context.retryNum } : {}),
        });
        await next();
      });
      registerCommands(app, listeners);
      registerActions(app, listeners);
      registerViews(app, listeners);
      registerOptions(app, listeners);
      registerShortcuts(app, listeners);
      registerHome(app, listeners);
      registerChannels(app, listeners);
    },
    start: async () => {
      await app.start(options.port);
    },
    stop: async () => {
      // Bolt's SocketModeReceiver.stop() does not wait for the socket to close; do, so no envelope
      // arrives while the store is being closed.
      if (receiver instanceof SocketModeReceiver) await receiver.client.disconnect();
      await app.stop();
    },
  };
}

function createReceiver(options: SlackAppOptions, logger: BoltLogger): Receiver {
  if (options.mode === "socket") {
    if (!options.appToken) throw new Error("Socket Mode needs an app-level token (SLACK_APP_TOKEN)");
    return new SocketModeReceiver({
      appToken: options.appToken,
      logger,
      customRoutes: customRoutes(options.routes),
      installerOptions: {
        port: options.port,
        // The receiver's own client asks for the WebSocket URL: it must use SLACK_API_URL too. Only
        // the URL: its reconnect logic relies on the client's own (long) retry policy.
        ...(options.apiUrl ? { clientOptions: { slackApiUrl: options.apiUrl.toString() } } : {}),
      },
    });
  }
  if (!options.signingSecret) throw new Error("HTTP mode needs the signing secret (SLACK_SIGNING_SECRET)");
  return new HTTPReceiver({
    signingSecret: options.signingSecret,
    endpoints: "/slack/events",
    logger,
    customRoutes: customRoutes(options.routes),
    // Answer Slack as soon as a listener acks; the work after the ack goes on in the background.
    processBeforeResponse: false,
    unhandledRequestTimeoutMillis: 3001,
  });
}

/** Our routes as Bolt's custom routes (served by both receivers). */
function customRoutes(routes: readonly HttpRoute[]): CustomRoute[] {
  return routes.map((route) => ({ path: route.path, method: [route.method], handler: route.handler }));
}

/** Bolt's logger interface over pino, so Bolt's lines are JSON, redacted like ours. */
export function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const write = (method: "debug" | "info" | "warn" | "error", parts: unknown[]) => {
    const errors = parts.filter((part): part is Error => part instanceof Error);
    const text = parts
      .filter((part) => !(part instanceof Error))
      .map((part) => (typeof part === "string" ? part : safeJson(part)))
      .join(" ");
    if (errors[0]) log[method]({ err: errors[0] }, text || errors[0].message);
    else log[method](text);
  };
  return {
    debug: (...parts) => write("debug", parts),
    info: (...parts) => write("info", parts),
    warn: (...parts) => write("warn", parts),
    error: (...parts) => write("error", parts),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
