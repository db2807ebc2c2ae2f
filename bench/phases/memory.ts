/**
 * Memory of the bot in its own process (bench/bot-process.ts), idle and while it runs many request
 * lifecycles (file → approve → job id in the thread), on SQLite and on PostgreSQL, sampled at every
 * thousand. The emulators and the load generator run here, so only the bot is counted.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { APPROVAL_CHANNEL, freePort, SIGNING_SECRET, startStageWorkspace } from "../../src/sandbox/stage.js";
import { createTestDatabase, postgresAvailable, type TestDatabase } from "../../test/support/postgres.js";
import { BENCH_WORKSPACE, botEnv } from "../lib/bot-env.js";
import { type MemorySample, RESULTS_DIR, type Runtime, startChild } from "../lib/child.js";
import { instanceFor, startBenchRds } from "../lib/emulators.js";
import { runConcurrently, SignedPoster } from "../lib/http.js";
import { type LifecycleContext, lifecycle } from "../lib/lifecycle.js";
import { quiescence } from "../lib/quiet.js";
import { mb, type Summary, summarize } from "../lib/stats.js";
import { SlackWatcher } from "../lib/watch.js";

export interface MemoryPoint {
  lifecycles: number;
  rssMb: number;
  /** After a full GC in the bot process. */
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
  /** Committed MB per V8 heap space, after GC. */
  spacesMb: Record<string, number>;
  rssAfterGcMb: number;
  /** Time spent running lifecycles so far (waits between thousands excluded). */
  elapsedS: number;
  /** This thousand's lifecycles, with the wait for its jobs to end. */
  chunkS: number;
}

export interface MemoryResult {
  dialect: "sqlite" | "postgres";
  idle: { rssMb: number; heapUsedMb: number };
  points: MemoryPoint[];
  lifecycles: number;
  failures: number;
  /** Approve → job id latency during the run. */
  approveToJob: Summary;
  durationS: number;
}

export interface MemoryOptions {
  lifecycles: number;
  /** Sample every this many lifecycles (1000). */
  step: number;
  concurrency: number;
  runtime: Runtime;
  stamp: string;
  logLevel: string;
}

export async function memoryPhase(
  dialect: "sqlite" | "postgres",
  options: MemoryOptions,
): Promise<MemoryResult | undefined> {
  let database: TestDatabase | undefined;
  let databaseUrl: string;
  if (dialect === "postgres") {
    if (!(await postgresAvailable())) return undefined;
    database = await createTestDatabase();
    databaseUrl = database.url;
  } else {
    databaseUrl = join(mkdtempSync(join(tmpdir(), "rdsbot-bench-")), "bot.sqlite");
  }
  let slack = await startStageWorkspace(undefined, BENCH_WORKSPACE);
  let rds = await startBenchRds();
  const slackPort = slack.port;
  const rdsPort = Number(rds.endpoint.port);
  const port = await freePort();
  const bot = startChild(
    "bench/bot-process",
    options.runtime,
    botEnv({ slackApiUrl: slack.apiUrl, rdsUrl: rds.url, port, databaseUrl, logLevel: options.logLevel }),
    join(RESULTS_DIR, `${options.stamp}-memory-${dialect}.log`),
    ["--expose-gc"],
  );
  try {
    await bot.ready;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const idleSample = await bot.sample(true);
    const idle = { rssMb: mb(idleSample.rss), heapUsedMb: mb(idleSample.heapUsed) };
    process.stdout.write(`  memory [${dialect}] idle: RSS ${idle.rssMb} MB, heap ${idle.heapUsedMb} MB\n`);

    const poster = new SignedPoster(
      new URL(`http://127.0.0.1:${port}/slack/events`),
      SIGNING_SECRET,
      options.concurrency + 4,
    );
    let ctx: LifecycleContext = { slack, poster, watcher: new SlackWatcher(slack, rds, APPROVAL_CHANNEL) };
    const points: MemoryPoint[] = [];
    const times: number[] = [];
    let failures = 0;
    let busyMs = 0;
    const step = Math.min(options.step, options.lifecycles);

    for (let first = 0; first < options.lifecycles; first += step) {
      const count = Math.min(step, options.lifecycles - first);
      const chunkStarted = performance.now();
      await runConcurrently(count, options.concurrency, async (i) => {
        try {
          const { ms } = await lifecycle(ctx, instanceFor(first + i, options.lifecycles));
          times.push(ms);
        } catch (error) {
          failures++;
          if (failures <= 5) process.stdout.write(`  lifecycle ${first + i} failed: ${String(error)}\n`);
        }
      });
      busyMs += performance.now() - chunkStarted;
      const at = first + count;
      // Right as the load ends: RSS under load. Then, once the jobs have been followed to their
      // end (the first check comes 5 s after a job starts), the settled heap after a full GC.
      const raw = await bot.sample(false);
      await quiescence(slack, rds, 6_000, 300_000);
      const collected: MemorySample = await bot.sample(true);
      const point: MemoryPoint = {
        lifecycles: at,
        rssMb: mb(raw.rss),
        heapUsedMb: mb(collected.heapUsed),
        heapTotalMb: mb(collected.heapTotal),
        externalMb: mb(collected.external),
        spacesMb: Object.fromEntries(
          Object.entries(collected.spaces).map(([name, bytes]) => [name, mb(bytes)]),
        ),
        rssAfterGcMb: mb(collected.rss),
        elapsedS: Math.round(busyMs / 100) / 10,
        chunkS: Math.round((performance.now() - chunkStarted) / 100) / 10,
      };
      points.push(point);
      process.stdout.write(
        `  memory [${dialect}] ${at}/${options.lifecycles} lifecycles: RSS ${point.rssMb} MB` +
          ` (settled, after GC ${point.rssAfterGcMb} MB, heap ${point.heapUsedMb}/${point.heapTotalMb} MB),` +
          ` these ${count} took ${point.chunkS} s\n`,
      );
      if (at < options.lifecycles) {
        // Fresh emulators on the same ports: the finished requests' Slack messages and RDS jobs
        // are not needed, and keeping them would make the load generator (this process) slower
        // and slower (its heap and GC grow), which would be measured as the bot's slowness.
        await slack.close();
        await rds.close();
        slack = await startStageWorkspace(slackPort, BENCH_WORKSPACE);
        rds = await startBenchRds(rdsPort);
        ctx = { slack, poster, watcher: new SlackWatcher(slack, rds, APPROVAL_CHANNEL) };
      }
    }
    poster.close();
    return {
      dialect,
      idle,
      points,
      lifecycles: options.lifecycles,
      failures,
      approveToJob: summarize(times),
      durationS: Math.round(busyMs / 100) / 10,
    };
  } finally {
    await bot.stop();
    await slack.close();
    await rds.close();
    await database?.drop().catch(() => undefined);
  }
}
