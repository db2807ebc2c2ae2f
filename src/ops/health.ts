/**
 * The operator's HTTP routes, served in both modes next to Slack's own (Bolt custom routes):
 *
 * - `GET /healthz`: liveness. 200 while the process serves HTTP at all; no dependency is asked,
 *   so a database or Slack outage never gets a healthy pod restarted.
 * - `GET /readyz`: readiness. 200 only when the store answers a cheap query, the Slack side is
 *   up (HTTP mode: the receiver started and is not stopping; Socket Mode: the WebSocket is
 *   connected) and nothing says the approval channel is unusable (`approvalChannel`, present only
 *   then: the bot is not in it, cannot see it, it is archived). 503 otherwise, with what is wrong
 *   as JSON.
 * - `GET /metrics`: Prometheus text format (./metrics.ts).
 *
 * The routes are plain Node handlers; the Slack app serves them next to Slack's own.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RequestStore } from "../backup/ports.js";
import type { BotMetrics } from "./metrics.js";

export type SlackState = "starting" | "connected" | "disconnected" | "stopping";
export type StoreState = "ok" | "error" | "timeout";

export interface ReadinessReport {
  ready: boolean;
  slack: SlackState;
  store: StoreState;
  /** Why the bot cannot post approval cards, when it knows it cannot. */
  approvalChannel?: string;
}

export interface ReadinessOptions {
  /** Any cheap read works as a probe; the outbox check is one indexed row at most. */
  store: Pick<RequestStore, "outboxEmpty">;
  /** How long the store may take to answer (default 2 s); keep a probe's `timeoutSeconds` above it. */
  storeTimeoutMs?: number | undefined;
}

export class Readiness {
  private slack: SlackState = "starting";
  private approvalChannelProblem: string | undefined;
  private readonly storeTimeoutMs: number;

  constructor(private readonly options: ReadinessOptions) {
    this.storeTimeoutMs = options.storeTimeoutMs ?? 2_000;
  }

  /** The Slack side came up or went down (ignored once stopping). */
  slackConnected(connected: boolean): void {
    if (this.slack === "stopping") return;
    this.slack = connected ? "connected" : "disconnected";
  }

  /** The approval channel cannot be used (`not_in_channel`, …), or can again (`undefined`). */
  approvalChannel(problem: string | undefined): void {
    this.approvalChannelProblem = problem;
  }

  /** From now on the bot is going away: not ready, whatever else says. */
  stopping(): void {
    this.slack = "stopping";
  }

  async check(): Promise<ReadinessReport> {
    const slack = this.slack;
    const problem = this.approvalChannelProblem;
    const store = await this.probeStore();
    return {
      ready: slack === "connected" && store === "ok" && problem === undefined,
      slack,
      store,
      ...(problem !== undefined ? { approvalChannel: problem } : {}),
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
