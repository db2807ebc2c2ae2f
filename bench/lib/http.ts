/**
 * The load generator's HTTP side: signed Slack requests over keep-alive connections (node:http,
 * so nothing but the platform is measured), and a concurrency-limited loop.
 */
import { Agent, request } from "node:http";
import { slackSignature } from "../../src/sandbox/slack-emulator.js";

export interface Reply {
  status: number;
  text: string;
  ms: number;
}

export class SignedPoster {
  private readonly agent: Agent;

  constructor(
    private readonly url: URL,
    private readonly signingSecret: string,
    maxSockets = 64,
  ) {
    // LIFO reuse keeps few sockets warm: a socket idle past the server's keep-alive timeout (5 s)
    // may be closed just as it is reused ("socket hang up"), which would count as a failure.
    this.agent = new Agent({ keepAlive: true, maxSockets, scheduling: "lifo" });
  }

  /** POSTs a form body signed the way Slack signs it; resolves with the status and elapsed time. */
  async post(body: string, headers: Record<string, string> = {}): Promise<Reply> {
    try {
      return await this.once(body, headers);
    } catch (error) {
      // Node's documented keep-alive race: the server closed an idle socket as it was reused, so
      // the request never reached it. Sent again once, on a new socket.
      if ((error as { reusedSocket?: boolean }).reusedSocket) return this.once(body, headers);
      throw error;
    }
  }

  private once(body: string, headers: Record<string, string>): Promise<Reply> {
    const timestamp = Math.floor(Date.now() / 1000);
    const all: Record<string, string> = {
      "content-type": "application/x-www-form-urlencoded",
      "content-length": String(Buffer.byteLength(body)),
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": slackSignature(this.signingSecret, timestamp, body),
      ...headers,
    };
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const req = request(
        this.url,
        { method: "POST", headers: all, agent: this.agent, timeout: 15_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              text: Buffer.concat(chunks).toString("utf8"),
              ms: performance.now() - started,
            }),
          );
          res.on("error", reject);
        },
      );
      req.on("timeout", () => req.destroy(new Error(`no answer from ${this.url.href} within 15 s`)));
      req.on("error", (error: NodeJS.ErrnoException) => {
        const reset = error.code === "ECONNRESET" || /socket hang up/.test(error.message);
        reject(Object.assign(error, { reusedSocket: reset && req.reusedSocket }));
      });
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Runs `task(0..count-1)` with at most `concurrency` in flight; resolves with the results in order. */
export async function runConcurrently<T>(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const index = next++;
      if (index >= count) return;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

/** GETs a URL once; true when it answers 200. Never throws. */
export async function answers200(url: string, timeoutMs = 500): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

export interface Sent {
  /** Milliseconds per request, in the order of the bodies. */
  times: number[];
  /** Answers other than 200. */
  errors: number;
}

/**
 * Sends each body signed, `concurrency` in flight; with `gapMs`, one at a time with that pause after
 * each (so the bot's work after an ack finishes before the next request).
 */
export async function sendAll(
  poster: SignedPoster,
  bodies: string[],
  concurrency: number,
  gapMs?: number,
): Promise<Sent> {
  let errors = 0;
  const send = async (body: string) => {
    const reply = await poster.post(body);
    if (reply.status !== 200) errors++;
    return reply.ms;
  };
  if (gapMs === undefined) {
    return { times: await runConcurrently(bodies.length, concurrency, (i) => send(bodies[i] ?? "")), errors };
  }
  const times: number[] = [];
  for (const body of bodies) {
    times.push(await send(body));
    await new Promise((resolve) => setTimeout(resolve, gapMs));
  }
  return { times, errors };
}
