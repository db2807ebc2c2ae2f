/**
 * The emulator's HTTP side: `POST /api/<method>` answered like slack.com (form or JSON bodies,
 * bearer token or `token` field, `{ ok, … }`), posts to response URLs, and scripted faults (429
 * with `Retry-After`, 5xx, dropped connections, delays, errors) applied before or after a method runs.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { isRecord } from "../slack-blocks.js";
import type { CallLog } from "./call-log.js";
import { type FaultScript, isAfterProcessing, isDelayOnly } from "./faults.js";
import type { ResponseUrls } from "./response-urls.js";
import type { SlackFault } from "./types.js";
import {
  type ApiAnswer,
  type Args,
  fail,
  JSON_FIELDS,
  type MethodTable,
  sendJson,
  sleep,
  str,
} from "./wire.js";

/** A method that takes another kind of token than the bot's and checks it itself. */
export type TokenMethodHandler = (args: Args, token: string) => ApiAnswer;

export interface ServerParts {
  readonly methods: MethodTable;
  readonly tokenMethods: ReadonlyMap<string, TokenMethodHandler>;
  /** Tokens accepted as the bot's. */
  readonly tokens: ReadonlySet<string>;
  readonly faults: FaultScript;
  readonly calls: CallLog;
  readonly responseUrls: ResponseUrls;
  readonly log: (line: string) => void;
}

export class SlackHttpServer {
  private readonly server: Server;
  private address: AddressInfo | undefined;

  constructor(
    private readonly parts: ServerParts,
    private readonly host: string,
    private readonly requestedPort: number,
  ) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        this.parts.log(`emulator error: ${error instanceof Error ? error.stack : String(error)}`);
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ ok: false, error: "internal_error" }));
      });
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.requestedPort, this.host, () => {
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

  get baseUrl(): string {
    return `http://${this.host}:${this.port}`;
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

  private async handleApi(
    method: string,
    url: URL,
    req: IncomingMessage,
    body: string,
    res: ServerResponse,
  ): Promise<void> {
    const parsed = parseArgs(url, req, body);
    const header = req.headers.authorization;
    const bearer = header?.startsWith("Bearer ") ? header.slice("Bearer ".length).trim() : undefined;
    const token = bearer ?? str(parsed.args, "token");
    const { token: _dropped, ...args } = parsed.args;

    const fault = this.parts.faults.take(method);
    if (fault?.delayMs !== undefined) await sleep(fault.delayMs);
    const before = fault !== undefined && !isAfterProcessing(fault);
    if (fault && before && !isDelayOnly(fault)) {
      this.answerFault(method, args, fault, res, false, undefined);
      return;
    }

    let answer: ApiAnswer;
    const handler = this.parts.methods[method];
    const tokenHandler = this.parts.tokenMethods.get(method);
    if (parsed.error) answer = fail(parsed.error);
    else if (tokenHandler) answer = token ? tokenHandler(args, token) : fail("not_authed");
    else if (!handler) answer = fail("unknown_method", { req_method: method });
    else if (token === undefined || token === "") answer = fail("not_authed");
    else if (!this.parts.tokens.has(token)) answer = fail("invalid_auth");
    else answer = handler(args);
    const processed = answer.ok === true;

    if (fault && !before && !isDelayOnly(fault)) {
      this.answerFault(method, args, fault, res, processed, answer);
      return;
    }
    this.parts.calls.record({
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
    const calls = this.parts.calls;
    if ("drop" in fault) {
      calls.record({ ...base, status: 0, response: answer });
      res.socket?.destroy();
      return;
    }
    if ("retryAfter" in fault) {
      const body = { ok: false, error: "ratelimited" };
      calls.record({ ...base, status: 429, response: body });
      res.writeHead(429, {
        "content-type": "application/json; charset=utf-8",
        "retry-after": String(fault.retryAfter),
      });
      res.end(JSON.stringify(body));
      return;
    }
    if ("status" in fault) {
      const body = { ok: false, error: "internal_error" };
      calls.record({ ...base, status: fault.status, response: body });
      sendJson(res, fault.status, body);
      return;
    }
    if ("error" in fault) {
      const body = { ok: false, error: fault.error, ...fault.extra };
      calls.record({ ...base, status: 200, response: body });
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
    const fault = this.parts.faults.take("response_url");
    if (fault?.delayMs !== undefined) await sleep(fault.delayMs);
    if (fault && !isDelayOnly(fault)) {
      this.answerFault("response_url", body, fault, res, false, undefined);
      return;
    }
    const { status, reply } = this.parts.responseUrls.post(id, body);
    this.parts.calls.record({
      method: "response_url",
      args: body,
      responseUrlId: id,
      status,
      response: reply,
      fault: undefined,
      processed: status === 200,
    });
    // Like Slack's hooks: plain text `ok`, or the error code as text (recorded as `{ ok, error }`).
    res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
    res.end(status === 200 ? "ok" : String(reply.error));
  }
}

function parseArgs(url: URL, req: IncomingMessage, body: string): { args: Args; error?: string } {
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
