/**
 * The load generator alone in a process. In the "processes" ack set-up the emulators serve the
 * bot's calls after each ack (Slack Web API, RDS) while the bare app makes none; a load generator
 * sharing their event loop would read its replies late under the bot's load only, and charge
 * the emulators' work to the bot's ack latency. Here it waits for nothing but the replies.
 *
 * Messages from the parent: `{ type: "run", url, secret, bodies, concurrency, gapMs? }` → sends
 * each body signed (`concurrency` in flight; with `gapMs`, one at a time with that pause after
 * each) and answers `{ type: "done", times, errors }` (ms per request; non-200 answers counted).
 * `{ type: "stop" }` → exits.
 */
import { type Sent, SignedPoster, sendAll } from "./lib/http.js";

export interface LoadRun {
  type: "run";
  url: string;
  secret: string;
  bodies: string[];
  concurrency: number;
  /** One request at a time, pausing this long after each (the bot's after-ack work finishes). */
  gapMs?: number;
}

export interface LoadDone extends Sent {
  type: "done";
}

const posters = new Map<string, SignedPoster>();

function posterFor(url: string, secret: string, concurrency: number): SignedPoster {
  let poster = posters.get(url);
  if (!poster) {
    poster = new SignedPoster(new URL(url), secret, concurrency + 8);
    posters.set(url, poster);
  }
  return poster;
}

async function run(message: LoadRun): Promise<LoadDone> {
  const poster = posterFor(message.url, message.secret, message.concurrency);
  return { type: "done", ...(await sendAll(poster, message.bodies, message.concurrency, message.gapMs)) };
}

const stop = () => {
  for (const poster of posters.values()) poster.close();
  process.exit(0);
};
process.on("message", (message: LoadRun | { type: "stop" }) => {
  if (message.type === "stop") return stop();
  run(message).then(
    (done) => process.send?.(done),
    (error: unknown) =>
      process.send?.({ type: "failed", error: error instanceof Error ? error.message : String(error) }),
  );
});
process.once("disconnect", stop);
process.send?.({ type: "ready" });
