/**
 * The operator's HTTP routes, served in both modes next to Slack's own (Bolt custom routes):
 *
 * - `GET /healthz`: liveness. 200 while the process serves HTTP at all; no dependency is asked,
 *   so a database or Slack outage never gets a healthy pod restarted.
 * - `GET /readyz`: readiness. 200 only when the store answers a cheap query, the Slack side is
 *   up (HTTP mode: the receiver started and is not stopping; Socket Mode: the WebSocket is
 *   connected) and the Alibaba Cloud credentials have not been refused. 503 otherwise, with what
 *   is wrong as JSON.
 * - `GET /metrics`: Prometheus text format (./metrics.ts).
 *
 * The routes are plain Node handlers; the Slack app serves them next to Slack's own.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RequestStore } from "../backup/ports.js";
import type { BotMetrics } from "./metrics.js";

export type SlackState = "starting" | "connected" | "disconnected" | "stopping";
export type StoreState = "ok" | "error" | "timeout";

/** Whether the bot's Alibaba Cloud credentials work, as its last RDS call told. */
export type CredentialsState = { ok: true } | { ok: false; code: string; since: Date };

export interface ReadinessReport {
  ready: boolean;
  slack: SlackState;
  store: StoreState;
  /** `failing` once Alibaba Cloud refuses the credentials (every RDS call would fail alike). */
  alibaba: "ok" | "failing";
  /** Why, when failing: the code, since when, and what to do. */
  alibabaError?: { code: string; since: string; reason: string } | undefined;
}

export interface ReadinessOptions {
  /** Any cheap read works as a probe; the outbox check is one indexed row at most. */
  store: Pick<RequestStore, "outboxEmpty">;
  /** How long the store may take to answer (default 2 s); keep a probe's `timeoutSeconds` above it. */
  storeTimeoutMs?: number | undefined;
  /** The credentials' state (the RDS gateway's `credentialHealth`); always ok when absent. */
  credentials?: (() => CredentialsState) | undefined;
}

export class Readiness {
  private slack: SlackState = "starting";
  private readonly storeTimeoutMs: number;

  constructor(private readonly options: ReadinessOptions) {
    this.storeTimeoutMs = options.storeTimeoutMs ?? 2_000;
  }

  /** The Slack side came up or went down (ignored once stopping). */
  slackConnected(connected: boolean): void {
    if (this.slack === "stopping") return;
    this.slack = connected ? "connected" : "disconnected";
  }

  /** From now on the bot is going away: not ready, whatever else says. */
  stopping(): void {
    this.slack = "stopping";
  }

  async check(): Promise<ReadinessReport> {
    const slack = this.slack;
    const store = await this.probeStore();
    const credentials = this.options.credentials?.() ?? { ok: true };
    return {
      ready: slack === "connected" && store === "ok" && credentials.ok,
      slack,
      store,
      alibaba: credentials.ok ? "ok" : "failing",
      ...(credentials.ok
        ? {}
        : {
            alibabaError: {
              code: credentials.code,
              since: credentials.since.toISOString(),
              reason: credentialsReason(credentials.code),
            },
          }),
    };
  }

  private async probeStore(): Promise<StoreState> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<StoreState>((resolve) => {
      timer = setTimeout(() => resolve("timeout"), this.storeTimeoutMs);
      timer.unref();
    });
    const probe = this.options.store.outboxEmpty().then(
      (): StoreState => "ok",
      (): StoreState => "error",
    );
    try {
      return await Promise.race([probe, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** What an operator reads in /readyz about refused credentials (operators read English logs too). */
export function credentialsReason(code: string): string {
  if (/^InvalidSecurityToken\.Expired$/i.test(code)) {
    return (
      "Alibaba Cloud refuses the bot's STS token: it expired, and a static token (ALIBABA_CLOUD_SECURITY_TOKEN) " +
      "is never renewed. Give the bot a RAM role whose credentials renew themselves (RRSA on ACK, or an ECS RAM " +
      "role) and restart it, or set fresh STS credentials and restart."
    );
  }
  if (code === "CredentialsUnavailable" || code === "InvalidCredentials") {
    return "The bot cannot get Alibaba Cloud credentials (its log names the cause: an RRSA token file, the STS endpoint, the ECS RAM role).";
  }
  return `Alibaba Cloud refuses the bot's credentials (${code}): check the AccessKey or RAM role configured for the bot.`;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

/** An HTTP route of the operator's, as a plain Node handler. */
export interface HttpRoute {
  readonly path: string;
  readonly method: "GET";
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
}

/** `/healthz`, `/readyz` and `/metrics`. */
export function opsRoutes(readiness: Readiness, metrics: BotMetrics): HttpRoute[] {
  return [
    {
      path: "/healthz",
      method: "GET",
      handler: (_req: IncomingMessage, res: ServerResponse) => json(res, 200, { status: "ok" }),
    },
    {
      path: "/readyz",
      method: "GET",
      handler: (_req: IncomingMessage, res: ServerResponse) => {
        readiness.check().then(
          (report) =>
            json(res, report.ready ? 200 : 503, { status: report.ready ? "ready" : "not ready", ...report }),
          () => json(res, 503, { status: "not ready" }),
        );
      },
    },
    {
      path: "/metrics",
      method: "GET",
      handler: (_req: IncomingMessage, res: ServerResponse) => {
        metrics.text().then(
          (text) => {
            res.writeHead(200, { "content-type": metrics.contentType });
            res.end(text);
          },
          (error: unknown) => {
            res.writeHead(500, { "content-type": "text/plain" });
            res.end(`metrics unavailable: ${error instanceof Error ? error.message : String(error)}\n`);
          },
        );
      },
    },
  ];
}
