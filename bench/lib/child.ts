/**
 * Child processes for the benchmark: the bot (bench/bot-process.ts, or the real src/main.ts for the
 * start-up time), the bare Bolt app and the load generator (bench/load-process.ts), run either
 * compiled (the `npm start` way: plain `node` on JavaScript) or through tsx. Compiling is a fast
 * transpile into bench/results/dist (git-ignored).
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { answers200 } from "./http.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const RESULTS_DIR = join(ROOT, "bench/results");
const DIST = join(RESULTS_DIR, "dist");

export type Runtime = "dist" | "tsx";

/**
 * The Node.js options the Docker image runs the bot with (its `NODE_OPTIONS`, less source maps),
 * the benchmark's default for its child processes; test/deploy/dockerfile.test.ts keeps the two equal.
 */
export const IMAGE_NODE_OPTIONS = "--max-old-space-size=192";

/** Transpiles src/ and the bench's child entry points to JavaScript. True when it worked. */
export async function compileForChildren(): Promise<boolean> {
  const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
  try {
    // --noCheck: only transpile (type checking is `npm run typecheck`'s job, and others' work in
    // progress must not stop a measurement).
    await promisify(execFile)(process.execPath, [tsc, "-p", "bench/tsconfig.dist.json", "--noCheck"], {
      cwd: ROOT,
    });
  } catch (error) {
    // tsc exits non-zero on some diagnostics but still writes the files.
    const out = (error as { stdout?: string }).stdout ?? String(error);
    if (!existsSync(join(DIST, "bench/bot-process.js"))) {
      process.stderr.write(`compiling for the child processes failed; using tsx\n${out.slice(0, 2000)}\n`);
      return false;
    }
  }
  return existsSync(join(DIST, "bench/bot-process.js")) && existsSync(join(DIST, "src/main.js"));
}

/** The command line that runs `entry` (a path relative to the repository, without extension). */
export function nodeArgs(entry: string, runtime: Runtime, extra: string[] = []): string[] {
  return runtime === "dist"
    ? [...extra, join(DIST, `${entry}.js`)]
    : [...extra, "--import", "tsx", join(ROOT, `${entry}.ts`)];
}

export interface Child {
  process: ChildProcess;
  /** Resolves with the child's `ready` message. */
  ready: Promise<Record<string, unknown>>;
  /** Asks for a memory sample (bench/bot-process.ts only). */
  sample(gc?: boolean): Promise<MemorySample>;
  /** Sends `message` and resolves with the child's next message of type `replyType` (or `failed`). */
  ask(message: Record<string, unknown>, replyType: string): Promise<Record<string, unknown>>;
  /** Asks the child to stop (IPC, then SIGTERM, then SIGKILL) and waits for it to exit. */
  stop(): Promise<void>;
}

export interface MemorySample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  /** Committed bytes per V8 heap space. */
  spaces: Record<string, number>;
}

export function startChild(
  entry: string,
  runtime: Runtime,
  env: Record<string, string>,
  logFile: string,
  extraNodeArgs: string[] = [],
): Child {
  mkdirSync(dirname(logFile), { recursive: true });
  const log = openSync(logFile, "a");
  // BENCH_CHILD_NODE_ARGS adds node options to the children, e.g. "--cpu-prof --cpu-prof-dir=bench/results/prof".
  const fromEnv = (process.env.BENCH_CHILD_NODE_ARGS ?? "").split(" ").filter((arg) => arg !== "");
  const child = spawn(process.execPath, nodeArgs(entry, runtime, [...fromEnv, ...extraNodeArgs]), {
    cwd: ROOT,
    env: { ...baseEnv(), ...env },
    stdio: ["ignore", log, log, "ipc"],
  });
  const exited = new Promise<void>((resolveExit) => child.once("exit", () => resolveExit()));
  const ready = new Promise<Record<string, unknown>>((resolveReady, reject) => {
    const onMessage = (message: Record<string, unknown>) => {
      if (message.type === "ready") {
        child.off("message", onMessage);
        resolveReady(message);
      }
    };
    child.on("message", onMessage);
    child.once("exit", (code) => reject(new Error(`${entry} exited with ${code} before it was ready`)));
  });
  ready.catch(() => undefined);
  return {
    process: child,
    ready,
    sample: (gc = false) =>
      new Promise<MemorySample>((resolveSample, reject) => {
        const timer = setTimeout(() => reject(new Error("no memory sample within 10 s")), 10_000);
        const onMessage = (message: Record<string, unknown>) => {
          if (message.type !== "sample") return;
          clearTimeout(timer);
          child.off("message", onMessage);
          resolveSample(message as unknown as MemorySample);
        };
        child.on("message", onMessage);
        child.send({ type: "sample", gc });
      }),
    ask: (message, replyType) =>
      new Promise<Record<string, unknown>>((resolveReply, reject) => {
        const onExit = (code: number | null) => reject(new Error(`${entry} exited with ${code}`));
        const onMessage = (reply: Record<string, unknown>) => {
          if (reply.type !== replyType && reply.type !== "failed") return;
          child.off("message", onMessage);
          child.off("exit", onExit);
          if (reply.type === "failed") reject(new Error(`${entry}: ${String(reply.error)}`));
          else resolveReply(reply);
        };
        child.on("message", onMessage);
        child.once("exit", onExit);
        child.send(message);
      }),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.send({ type: "stop" });
      else child.kill("SIGTERM");
      const term = setTimeout(() => child.kill("SIGTERM"), 10_000);
      const kill = setTimeout(() => child.kill("SIGKILL"), 20_000);
      await exited;
      clearTimeout(term);
      clearTimeout(kill);
    },
  };
}

/** Spawns the real bot (`src/main.ts`) and measures the time until `/healthz` answers 200. */
export async function timeStartUp(
  runtime: Runtime,
  env: Record<string, string>,
  healthUrl: string,
  logFile: string,
): Promise<number> {
  mkdirSync(dirname(logFile), { recursive: true });
  const log = openSync(logFile, "a");
  const started = performance.now();
  const child = spawn(process.execPath, nodeArgs("src/main", runtime), {
    cwd: ROOT,
    env: { ...baseEnv(), ...env },
    stdio: ["ignore", log, log],
  });
  const exited = new Promise<number | null>((resolveExit) => child.once("exit", (code) => resolveExit(code)));
  let stillRunning = true;
  void exited.then(() => {
    stillRunning = false;
  });
  try {
    for (;;) {
      if (!stillRunning) throw new Error(`the bot exited before /healthz answered (see ${logFile})`);
      if (await answers200(healthUrl, 200)) return performance.now() - started;
      if (performance.now() - started > 30_000) throw new Error("/healthz did not answer within 30 s");
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}

/** What a child needs from our environment (PATH and the like), without the parent's bot settings. */
function baseEnv(): Record<string, string> {
  const keep = ["PATH", "HOME", "TMPDIR", "LANG", "TZ", "NODE_OPTIONS"];
  const env: Record<string, string> = {
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
    ALIBABA_CLOUD_CLI_PROFILE_DISABLED: "true",
  };
  for (const key of keep) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}
