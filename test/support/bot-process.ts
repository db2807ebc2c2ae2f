/**
 * The real bot as a separate process (`src/main.ts` under tsx), for tests that need two replicas
 * or a hard kill. Its environment points it at emulators the test started.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";
import type { RdsEmulator } from "../../src/sandbox/rds-emulator.js";
import type { SlackEmulator } from "../../src/sandbox/slack-emulator.js";
import { freePort, stageEnv } from "../../src/sandbox/stage.js";

const ROOT = resolve(import.meta.dirname, "../..");

export interface BotProcess {
  port: number;
  url: string;
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): void;
}

export async function startBotProcess(options: {
  slack: SlackEmulator;
  rds: RdsEmulator;
  databaseUrl: string;
  env?: Record<string, string>;
}): Promise<BotProcess> {
  const port = await freePort();
  const env: Record<string, string> = {
    // Nothing from this machine but PATH: no credentials file, no instance metadata to find.
    PATH: process.env.PATH ?? "",
    HOME: "/nonexistent",
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
    ALIBABA_CLOUD_CLI_PROFILE_DISABLED: "true",
    ...stageEnv({
      slackApiUrl: options.slack.apiUrl,
      rdsUrl: options.rds.url,
      databaseUrl: options.databaseUrl,
      port,
    }),
    // A process's output is read whole: info keeps it short.
    LOG_LEVEL: "info",
    ...options.env,
  };
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: ROOT,
    env,
    stdio: "pipe",
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | string>((done) => {
    child.once("exit", (code, signal) => done(code ?? signal ?? "unknown"));
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the bot exited ${child.exitCode} at start-up:\n${output}`);
    try {
      const answer = await fetch(`${url}/readyz`);
      if (answer.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the bot did not become ready:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    url,
    child,
    output: () => output,
    exited,
    kill: (signal = "SIGTERM") => {
      child.kill(signal);
    },
  };
}
