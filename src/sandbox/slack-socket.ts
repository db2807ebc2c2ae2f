/**
 * Socket Mode for the Slack emulator: what Slack does for an app that connects over a WebSocket
 * instead of taking requests at a public URL.
 *
 * - `apps.connections.open` (on the emulator's Web API, with the app-level `xapp-…` token as
 *   Bearer) answers `{ ok: true, url: "ws://127.0.0.1:<port>/link/?ticket=…&app_id=…" }`; a
 *   ticket opens one connection, once, for a short while.
 * - On connect the server says `{ type: "hello", num_connections, debug_info, connection_info }`.
 * - Requests go out as envelopes `{ envelope_id, type: "slash_commands" | "interactive" |
 *   "events_api", payload, accepts_response_payload }` (`events_api` ones also carry
 *   `retry_attempt`, `retry_reason`: only the Events API redelivers), and the app
 *   acks each with `{ envelope_id, payload }`: the ack's payload is what the HTTP response body
 *   would have been (a command's ephemeral text, a view submission's `response_action`, options).
 * - WebSocket pings both ways (the server pings every `pingIntervalMs`; the client's pings get
 *   pongs), and `{ type: "disconnect", reason }` asks the app to reconnect.
 *
 * `SocketModeUserSimulator` is the people side: the same payloads as `SlackUserSimulator` (it reuses
 * its builders), delivered as envelopes, with the ack payload applied like an HTTP answer.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { type RawData, type WebSocket, WebSocketServer } from "ws";
import { isRecord } from "./slack-blocks.js";
import type { SlackEmulator } from "./slack-emulator.js";
import {
  type AppResponse,
  refuseRetryOutsideEvents,
  type SendOptions,
  SlackUserSimulator,
} from "./slack-user-simulator.js";

// ---------------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------------

export type EnvelopeType = "slash_commands" | "interactive" | "events_api";

/** What Slack sends down the socket for each request. */
export interface SocketEnvelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  /**
   * `events_api` envelopes only: Slack redelivers events, never commands or interactions (Slack's
   * Events API guide, "Error handling"; `@slack/socket-mode`'s SocketModeClient reads these two
   * fields for `events_api` messages only).
   */
  retry_attempt?: number;
  retry_reason?: string;
}

/** Why Slack asks an app to reconnect. */
export type DisconnectReason = "warning" | "refresh_requested" | "link_disabled";

/** One WebSocket connection the app opened (a snapshot). */
export interface SocketConnectionRecord {
  /** 1-based, in the order the connections opened. */
  id: number;
  ticket: string;
  openedAt: number;
  /** Undefined while open. */
  closedAt: number | undefined;
  /** The close code (1000 for a clean close by the app, 1006 when the connection just went). */
  closeCode: number | undefined;
  /** Who started the close: the app (a close frame), the server (`disconnect`, `close`), or nobody (dropped). */
  closedBy: "app" | "server" | "dropped" | undefined;
  /** Envelopes sent on this connection. */
  envelopes: number;
  /** WebSocket pings the app sent (Bolt's client pings every few seconds) and pongs it answered ours with. */
  pingsReceived: number;
  pongsReceived: number;
  /** Messages from the app that were not acks (kept for assertions), parsed when JSON. */
  otherMessages: unknown[];
}

/** An envelope sent, and what became of it. */
export interface DeliveredEnvelope {
  envelope: SocketEnvelope;
  connectionId: number;
  sentAt: number;
  /** `acked`; `timeout` when no ack came within the wait; `closed` when the connection went first. */
  outcome: "pending" | "acked" | "timeout" | "closed";
  /** The ack's payload (`{}` for a bare `ack()`). */
  ackPayload: Record<string, unknown> | undefined;
  elapsedMs: number | undefined;
}

export interface DeliverOptions {
  /** `retry_attempt` (Slack's redelivery counter) of an `events_api` envelope, default 0. */
  retryAttempt?: number | undefined;
  /** `retry_reason` of an `events_api` envelope, default "". */
  retryReason?: string | undefined;
  /** Default: true for commands, view submissions and options requests, else false. */
  acceptsResponsePayload?: boolean | undefined;
  /** How long to wait for the ack (default `timeoutMs` of the server). */
  timeoutMs?: number | undefined;
}

export interface SlackSocketServerOptions {
  emulator: SlackEmulator;
  /** App-level token(s) `apps.connections.open` accepts; anything else is refused. */
  appToken: string | readonly string[];
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** How often the server pings each connection; 0: never. Default 5000 ms. */
  pingIntervalMs?: number;
  /** How long a URL from `apps.connections.open` can be used. Default 30 s. */
  ticketTtlMs?: number;
  /** How long `deliver` waits for an ack by default. Default 10 s. */
  timeoutMs?: number;
  /** One line per event, for narration. */
  log?: (line: string) => void;
}

// ---------------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------------

interface Ticket {
  issuedAt: number;
  used: boolean;
}

interface Live {
  record: SocketConnectionRecord;
  socket: WebSocket;
  timer: NodeJS.Timeout | undefined;
}

interface Pending {
  delivered: DeliveredEnvelope;
  started: number;
  timer: NodeJS.Timeout;
  resolve: (delivered: DeliveredEnvelope) => void;
}

/** Starts a Socket Mode server for `emulator` on 127.0.0.1 and registers `apps.connections.open`. */
export async function startSlackSocketServer(options: SlackSocketServerOptions): Promise<SlackSocketServer> {
  const server = new SlackSocketServer(options);
  await server.listen();
  return server;
}

export class SlackSocketServer {
  readonly emulator: SlackEmulator;
  /** Every connection ever opened, in order. */
  readonly connections: SocketConnectionRecord[] = [];
  /** Every envelope sent, in order. */
  readonly envelopes: DeliveredEnvelope[] = [];
  /** Upgrade attempts refused (unknown, used or expired ticket; wrong path). */
  readonly refused: Array<{ url: string; reason: string; at: number }> = [];

  private readonly options: SlackSocketServerOptions;
  private readonly appTokens: Set<string>;
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly tickets = new Map<string, Ticket>();
  private readonly live = new Map<number, Live>();
  private readonly pending = new Map<string, Pending>();
  private readonly events = new EventEmitter();
  private nextConnection = 0;
  private address: AddressInfo | undefined;

  constructor(options: SlackSocketServerOptions) {
    this.options = options;
    this.emulator = options.emulator;
    this.appTokens = new Set(typeof options.appToken === "string" ? [options.appToken] : options.appToken);
    this.events.setMaxListeners(0);
    this.wss = new WebSocketServer({ noServer: true });
    this.http = createServer((_req, res) => {
      res.writeHead(426, { "content-type": "text/plain" });
      res.end("Socket Mode: connect with a WebSocket");
    });
    this.http.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.upgrade(req, socket, head),
    );
    this.emulator.defineTokenMethod("apps.connections.open", (_args, token) => this.connectionsOpen(token));
  }

  /** @internal used by `startSlackSocketServer`. */
  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.http.once("error", reject);
      this.http.listen(this.options.port ?? 0, this.options.host ?? "127.0.0.1", () => {
        this.http.off("error", reject);
        resolve();
      });
    });
    this.address = this.http.address() as AddressInfo;
  }

  get port(): number {
    if (!this.address) throw new Error("the Socket Mode server is not listening yet");
    return this.address.port;
  }

  /** `ws://127.0.0.1:<port>/link/` (without a ticket). */
  get url(): string {
    return `ws://${this.options.host ?? "127.0.0.1"}:${this.port}/link/`;
  }

  /** Connections open now, oldest first. */
  openConnections(): SocketConnectionRecord[] {
    return [...this.live.values()].map((l) => ({ ...l.record }));
  }

  /** A people simulator whose requests go down the socket. */
  simulator(options: SocketModeUserSimulatorOptions = {}): SocketModeUserSimulator {
    return new SocketModeUserSimulator(this, options);
  }

  /**
   * Resolves with the first connection whose id is above `after` once it is open (hello sent);
   * `after: server.connections.length` waits for the next one.
   */
  waitForConnection(options: { after?: number; timeoutMs?: number } = {}): Promise<SocketConnectionRecord> {
    const { after = 0, timeoutMs = 5000 } = options;
    return this.waitUntil(
      () => [...this.live.values()].find((l) => l.record.id > after)?.record,
      timeoutMs,
      `a Socket Mode connection after #${after}`,
    );
  }

  /** Resolves once connection `id` has closed, with its record. */
  waitForClose(id: number, timeoutMs = 5000): Promise<SocketConnectionRecord> {
    return this.waitUntil(
      () => {
        const record = this.connections.find((c) => c.id === id);
        return record?.closedAt !== undefined ? { ...record } : undefined;
      },
      timeoutMs,
      `connection #${id} to close`,
    );
  }

  /**
   * Sends one request to the app on an open connection (the newest) and resolves when the app has
   * acked it, the wait ran out, or the connection went. Without an open connection, resolves
   * `undefined` (Slack would tell the person `dispatch_failed`).
   */
  deliver(
    type: EnvelopeType,
    payload: Record<string, unknown>,
    options: DeliverOptions = {},
  ): Promise<DeliveredEnvelope | undefined> {
    const events = type === "events_api";
    if (!events && (options.retryAttempt !== undefined || options.retryReason !== undefined)) {
      return Promise.reject(
        new Error(`Slack never redelivers ${type} envelopes: only events_api ones carry retry_attempt`),
      );
    }
    const target = [...this.live.values()].at(-1);
    if (!target) return Promise.resolve(undefined);
    const envelope: SocketEnvelope = {
      envelope_id: randomUUID(),
      type,
      payload,
      accepts_response_payload: options.acceptsResponsePayload ?? acceptsResponsePayload(type, payload),
      ...(events
        ? { retry_attempt: options.retryAttempt ?? 0, retry_reason: options.retryReason ?? "" }
        : {}),
    };
    const delivered: DeliveredEnvelope = {
      envelope,
      connectionId: target.record.id,
      sentAt: Date.now(),
      outcome: "pending",
      ackPayload: undefined,
      elapsedMs: undefined,
    };
    this.envelopes.push(delivered);
    target.record.envelopes++;
    return new Promise((resolve) => {
      const started = performance.now();
      const timer = setTimeout(
        () => this.settle(envelope.envelope_id, "timeout", undefined),
        options.timeoutMs ?? this.options.timeoutMs ?? 10_000,
      );
      this.pending.set(envelope.envelope_id, { delivered, started, timer, resolve });
      this.log(`⇣ #${target.record.id} ${type} ${envelope.envelope_id}`);
      target.socket.send(JSON.stringify(envelope), (error) => {
        if (error) this.settle(envelope.envelope_id, "closed", undefined);
      });
    });
  }

  /** Pings every open connection and resolves once each has answered (or `timeoutMs` passed). */
  async ping(timeoutMs = 2000): Promise<void> {
    await Promise.all(
      [...this.live.values()].map((l) => {
        const before = l.record.pongsReceived;
        l.socket.ping();
        return this.waitUntil(
          () => l.record.pongsReceived > before || l.record.closedAt !== undefined,
          timeoutMs,
          `a pong on #${l.record.id}`,
        );
      }),
    );
  }

  /** Asks the app to reconnect (`{ type: "disconnect", reason }`) on every open connection, or one. */
  disconnect(reason: DisconnectReason = "refresh_requested", connectionId?: number): void {
    for (const l of this.live.values()) {
      if (connectionId !== undefined && l.record.id !== connectionId) continue;
      l.socket.send(JSON.stringify({ type: "disconnect", reason, debug_info: { host: this.debugHost() } }));
      this.log(`⇣ #${l.record.id} disconnect (${reason})`);
    }
  }

  /** Drops every open connection without a close frame (a network failure). */
  dropConnections(): void {
    for (const l of this.live.values()) {
      l.record.closedBy = "dropped";
      l.socket.terminate();
    }
  }

  /** Closes every connection (1001, going away) and stops listening. */
  async close(): Promise<void> {
    for (const l of this.live.values()) {
      l.record.closedBy ??= "server";
      l.socket.close(1001, "server closing");
    }
    // Give clean closes a moment, then cut what is left.
    await this.waitUntil(() => this.live.size === 0, 1000, "connections to close").catch(() => {
      for (const l of this.live.values()) l.socket.terminate();
    });
    for (const id of [...this.pending.keys()]) this.settle(id, "closed", undefined);
    this.wss.close();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  // -------------------------------------------------------------------------------------------------
  // Internals
  // -------------------------------------------------------------------------------------------------

  private connectionsOpen(token: string): Record<string, unknown> {
    if (!this.appTokens.has(token)) {
      // Slack: a bot or user token here is the wrong kind; anything else is not a token at all.
      return {
        ok: false,
        error: /^xox[bpa]-/.test(token) ? "not_allowed_token_type" : "invalid_auth",
      };
    }
    const ticket = randomUUID();
    this.tickets.set(ticket, { issuedAt: Date.now(), used: false });
    const query = new URLSearchParams({ ticket, app_id: this.emulator.appId });
    return { ok: true, url: `${this.url}?${query.toString()}` };
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? "/", "http://socket.invalid");
    const ticketId = url.searchParams.get("ticket") ?? "";
    const ticket = this.tickets.get(ticketId);
    let reason: string | undefined;
    if (url.pathname !== "/link/" && url.pathname !== "/link") reason = "not_found";
    else if (!ticket) reason = "invalid_ticket";
    else if (ticket.used) reason = "ticket_already_used";
    else if (Date.now() - ticket.issuedAt > (this.options.ticketTtlMs ?? 30_000)) reason = "ticket_expired";
    if (reason !== undefined || !ticket) {
      this.refused.push({ url: req.url ?? "", reason: reason ?? "invalid_ticket", at: Date.now() });
      this.log(`⊘ socket refused: ${reason}`);
      socket.end(`HTTP/1.1 ${reason === "not_found" ? "404 Not Found" : "401 Unauthorized"}\r\n\r\n`);
      return;
    }
    ticket.used = true;
    this.wss.handleUpgrade(req, socket, head, (ws) => this.connected(ws, ticketId));
  }

  private connected(socket: WebSocket, ticket: string): void {
    const record: SocketConnectionRecord = {
      id: ++this.nextConnection,
      ticket,
      openedAt: Date.now(),
      closedAt: undefined,
      closeCode: undefined,
      closedBy: undefined,
      envelopes: 0,
      pingsReceived: 0,
      pongsReceived: 0,
      otherMessages: [],
    };
    this.connections.push(record);
    const interval = this.options.pingIntervalMs ?? 5000;
    const live: Live = {
      record,
      socket,
      timer: interval > 0 ? setInterval(() => socket.ping(), interval) : undefined,
    };
    live.timer?.unref();
    this.live.set(record.id, live);
    socket.on("ping", () => {
      record.pingsReceived++;
    });
    socket.on("pong", () => {
      record.pongsReceived++;
      this.events.emit("change");
    });
    socket.on("message", (data: RawData, isBinary: boolean) => this.received(record, data, isBinary));
    socket.on("close", (code: number) => {
      clearInterval(live.timer);
      this.live.delete(record.id);
      record.closedAt = Date.now();
      record.closeCode = code;
      record.closedBy ??= code === 1006 ? "dropped" : "app";
      for (const [id, p] of this.pending)
        if (p.delivered.connectionId === record.id) this.settle(id, "closed", undefined);
      this.log(`✕ #${record.id} closed (${code}, by ${record.closedBy})`);
      this.events.emit("change");
    });
    socket.on("error", (error: Error) => this.log(`socket #${record.id} error: ${error.message}`));
    socket.send(
      JSON.stringify({
        type: "hello",
        num_connections: this.live.size,
        debug_info: {
          host: this.debugHost(),
          build_number: 1,
          approximate_connection_time: 18_060,
        },
        connection_info: { app_id: this.emulator.appId },
      }),
    );
    this.log(`✓ #${record.id} connected (hello sent)`);
    this.events.emit("change");
  }

  private received(record: SocketConnectionRecord, data: RawData, isBinary: boolean): void {
    const bytes = Array.isArray(data)
      ? Buffer.concat(data)
      : Buffer.isBuffer(data)
        ? data
        : Buffer.from(new Uint8Array(data));
    const text = bytes.toString("utf8");
    let message: unknown = text;
    try {
      message = JSON.parse(text);
    } catch {
      // Not JSON: kept as text below.
    }
    const envelopeId =
      isRecord(message) && typeof message.envelope_id === "string" ? message.envelope_id : undefined;
    const pending = envelopeId !== undefined ? this.pending.get(envelopeId) : undefined;
    if (isBinary || !isRecord(message) || !pending) {
      record.otherMessages.push(message);
      this.log(`⇡ #${record.id} unexpected message: ${text.slice(0, 200)}`);
      this.events.emit("change");
      return;
    }
    const payload = message.payload;
    this.settle(pending.delivered.envelope.envelope_id, "acked", isRecord(payload) ? payload : {});
  }

  private settle(
    envelopeId: string,
    outcome: "acked" | "timeout" | "closed",
    payload: Record<string, unknown> | undefined,
  ): void {
    const pending = this.pending.get(envelopeId);
    if (!pending) return;
    this.pending.delete(envelopeId);
    clearTimeout(pending.timer);
    const { delivered } = pending;
    delivered.outcome = outcome;
    delivered.ackPayload = payload;
    delivered.elapsedMs = Math.round(performance.now() - pending.started);
    this.log(`⇡ #${delivered.connectionId} ${outcome} ${envelopeId} in ${delivered.elapsedMs} ms`);
    pending.resolve(delivered);
    this.events.emit("change");
  }

  private debugHost(): string {
    return `applink-emulator-${this.port}`;
  }

  private waitUntil<T>(check: () => T | undefined | false, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const poll = (): boolean => {
        const value = check();
        if (value === undefined || value === false) return false;
        clearTimeout(timer);
        this.events.off("change", onChange);
        resolve(value);
        return true;
      };
      const onChange = (): void => {
        poll();
      };
      const timer = setTimeout(() => {
        this.events.off("change", onChange);
        reject(new Error(`Socket Mode server: ${what} did not happen within ${timeoutMs} ms`));
      }, timeoutMs);
      if (!poll()) this.events.on("change", onChange);
    });
  }

  private log(line: string): void {
    this.options.log?.(line);
  }
}

/** Slack lets an app answer in the ack where the HTTP response would have carried an answer. */
function acceptsResponsePayload(type: EnvelopeType, payload: Record<string, unknown>): boolean {
  if (type === "slash_commands") return true;
  if (type === "interactive")
    return payload.type === "view_submission" || payload.type === "block_suggestion";
  return false;
}

// ---------------------------------------------------------------------------------------------------
// The people side over the socket
// ---------------------------------------------------------------------------------------------------

export interface SocketModeUserSimulatorOptions {
  /** The legacy `token` field Slack still puts in payloads. */
  verificationToken?: string;
  /** The pauses before each Events API retry (default: Slack's, see `SLACK_EVENT_RETRY_DELAYS_MS`). */
  eventRetryDelaysMs?: readonly number[];
  /** Slack's deadline for an ack; later acks are reported in `slackErrors`. Default 3000 ms. */
  ackDeadlineMs?: number;
  /** When to give up waiting for an ack at all. Default 10000 ms. */
  timeoutMs?: number;
}

/**
 * `SlackUserSimulator` over Socket Mode: every method builds the very payload the HTTP simulator
 * builds (it is the same code), and `send` delivers it as an envelope instead of a signed POST.
 * The result reads like an HTTP answer: `status` 200 and the ack's payload as `body` (undefined for
 * a bare `ack()`), so `slashCommand`, `submitView` and the rest apply it to the emulator as before.
 * When nothing acks (no connection, the connection went, the wait ran out) `status` is 0 and
 * `slackErrors` says what the person would have seen. Signature options make no sense here and throw.
 */
export class SocketModeUserSimulator extends SlackUserSimulator {
  private readonly server: SlackSocketServer;
  private readonly ackDeadline: number;
  private readonly ackTimeout: number;

  constructor(server: SlackSocketServer, options: SocketModeUserSimulatorOptions = {}) {
    super({
      emulator: server.emulator,
      requestUrl: server.url,
      signingSecret: randomBytes(16).toString("hex"),
      ...(options.verificationToken !== undefined ? { verificationToken: options.verificationToken } : {}),
      ...(options.ackDeadlineMs !== undefined ? { ackDeadlineMs: options.ackDeadlineMs } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.eventRetryDelaysMs !== undefined ? { eventRetryDelaysMs: options.eventRetryDelaysMs } : {}),
    });
    this.server = server;
    this.ackDeadline = options.ackDeadlineMs ?? 3000;
    this.ackTimeout = options.timeoutMs ?? 10_000;
  }

  /** A Socket Mode app has no request URL: Slack verifies none. */
  override verifyEventsUrl(): never {
    throw new Error("Socket Mode has no request URL to verify: events come over the socket");
  }

  /** The envelopes this simulator's server sent, newest last. */
  get envelopes(): readonly DeliveredEnvelope[] {
    return this.server.envelopes;
  }

  /**
   * Delivers a body the HTTP simulator would have POSTed: `payload=<json>` becomes an
   * `interactive` envelope, command fields a `slash_commands` one. `retryNum`/`retryReason` become
   * `retry_attempt`/`retry_reason`, for events only (`refuseRetryOutsideEvents`).
   */
  override async send(
    body: string,
    headers: Readonly<Record<string, string>> = {},
    options: SendOptions = {},
  ): Promise<AppResponse> {
    if (options.badSignature || options.unsigned || options.timestampOffsetSeconds !== undefined) {
      throw new Error(
        "Socket Mode requests carry no signature: badSignature, unsigned and timestamps do not apply",
      );
    }
    refuseRetryOutsideEvents(body, options);
    const { type, payload } = envelopeContent(body, { ...headers, ...options.headers });
    const delivered = await this.server.deliver(type, payload, {
      retryAttempt: options.retryNum,
      retryReason: options.retryReason,
      timeoutMs: this.ackTimeout,
    });
    const base = { headers: {}, rawBody: body };
    if (!delivered) {
      return {
        ...base,
        status: 0,
        body: undefined,
        text: "",
        elapsedMs: 0,
        slackErrors: ["dispatch_failed: the app has no Socket Mode connection open"],
      };
    }
    const elapsedMs = delivered.elapsedMs ?? 0;
    if (delivered.outcome !== "acked") {
      return {
        ...base,
        status: 0,
        body: undefined,
        text: "",
        elapsedMs,
        slackErrors: [
          delivered.outcome === "timeout"
            ? `operation_timeout: no ack within ${this.ackTimeout} ms`
            : "dispatch_failed: the connection closed before the app acked",
        ],
      };
    }
    const answer = delivered.ackPayload ?? {};
    const empty = Object.keys(answer).length === 0;
    const slackErrors: string[] = [];
    if (elapsedMs > this.ackDeadline) {
      slackErrors.push(
        `operation_timeout: the app acked after ${elapsedMs} ms (Slack waits ${this.ackDeadline})`,
      );
    }
    return {
      ...base,
      status: 200,
      body: empty ? undefined : answer,
      text: empty ? "" : JSON.stringify(answer),
      elapsedMs,
      slackErrors,
    };
  }
}

/** The envelope type and payload for a body the HTTP simulator would have sent. */
function envelopeContent(
  body: string,
  headers: Readonly<Record<string, string>>,
): { type: EnvelopeType; payload: Record<string, unknown> } {
  const contentType = Object.entries(headers).find(([k]) => k.toLowerCase() === "content-type")?.[1] ?? "";
  let fields: Record<string, unknown>;
  if (contentType.toLowerCase().startsWith("application/json")) {
    const parsed: unknown = JSON.parse(body);
    if (!isRecord(parsed)) throw new Error("Socket Mode: a JSON body must be an object");
    if (parsed.type === "event_callback") return { type: "events_api", payload: parsed };
    fields = parsed;
  } else {
    fields = Object.fromEntries(new URLSearchParams(body));
  }
  if (typeof fields.payload === "string") {
    const payload: unknown = JSON.parse(fields.payload);
    if (!isRecord(payload)) throw new Error("Socket Mode: an interaction payload must be an object");
    return { type: "interactive", payload };
  }
  if (typeof fields.command === "string") return { type: "slash_commands", payload: fields };
  if (typeof fields.type === "string") return { type: "interactive", payload: fields };
  throw new Error("Socket Mode: the body is neither a command nor an interaction payload");
}
