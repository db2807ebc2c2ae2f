/**
 * Start-up: spawn the real bot (`src/main.ts`, compiled unless tsx was asked for) and poll
 * `/healthz` until it answers, with a fresh database each time (so migrations run, as on a first
 * start). One warm-up run first (the OS file cache), then `runs` measured ones.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, startStageWorkspace } from "../../src/sandbox/stage.js";
import { createTestDatabase, postgresAvailable } from "../../test/support/postgres.js";
import { botEnv } from "../lib/bot-env.js";
import { RESULTS_DIR, type Runtime, timeStartUp } from "../lib/child.js";
import { startBenchRds } from "../lib/emulators.js";
import { type Summary, summarize } from "../lib/stats.js";

export interface StartupResult {
  dialect: "sqlite" | "postgres";
  runtime: Runtime;
  summary: Summary;
}

export async function startupPhase(
  runtime: Runtime,
  runs: number,
  stamp: string,
  dialects: readonly ("sqlite" | "postgres")[],
): Promise<StartupResult[]> {
  const slack = await startStageWorkspace();
  const rds = await startBenchRds();
  const results: StartupResult[] = [];
  try {
    for (const dialect of dialects) {
      if (dialect === "postgres" && !(await postgresAvailable())) continue;
      const times: number[] = [];
      for (let i = 0; i <= runs; i++) {
        const database = dialect === "postgres" ? await createTestDatabase() : undefined;
        const databaseUrl = database?.url ?? join(mkdtempSync(join(tmpdir(), "rdsbot-bench-")), "bot.sqlite");
        const port = await freePort();
        try {
          const ms = await timeStartUp(
            runtime,
            botEnv({ slackApiUrl: slack.apiUrl, rdsUrl: rds.url, port, databaseUrl, logLevel: "info" }),
            `http://127.0.0.1:${port}/healthz`,
            join(RESULTS_DIR, `${stamp}-startup.log`),
          );
          if (i > 0) times.push(ms);
        } finally {
          await database?.drop().catch(() => undefined);
        }
      }
      const summary = summarize(times);
      results.push({ dialect, runtime, summary });
      process.stdout.write(
        `  start-up [${runtime}, ${dialect}]: p50 ${summary.p50} ms, max ${summary.max} ms (${runs} runs)\n`,
      );
    }
    return results;
  } finally {
    await slack.close();
    await rds.close();
  }
}
