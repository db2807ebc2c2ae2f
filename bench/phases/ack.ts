/**
 * Ack latency: signed slash commands (`help`, an inline request) and Approve clicks on a request
 * that is already decided, N requests at C concurrent, against the bot and against a bare Bolt app
 * that only acks. Two set-ups: both in this process on the stage (as the tests run the bot), and
 * both alone in child processes (as production runs it, the emulators and the load elsewhere).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RdsEmulator } from "../../src/sandbox/rds-emulator.js";
import type { SlackEmulator } from "../../src/sandbox/slack-emulator.js";
import {
  APPROVAL_CHANNEL,
  BOT_TOKEN,
  freePort,
  REQUEST_CHANNEL,
  SIGNING_SECRET,
  startStage,
  startStageWorkspace,
  USERS,
} from "../../src/sandbox/stage.js";
import { startBareApp } from "../lib/bare-app.js";
import { BENCH_OVERRIDES, BENCH_WORKSPACE, botEnv } from "../lib/bot-env.js";
import { RESULTS_DIR, type Runtime, startChild } from "../lib/child.js";
import { BENCH_RDS_OPTIONS, benchInstances, instanceFor, startBenchRds } from "../lib/emulators.js";
import { type Sent, SignedPoster, sendAll } from "../lib/http.js";
import { approveAndWait, fileRequest, type LifecycleContext } from "../lib/lifecycle.js";
import { quiescence } from "../lib/quiet.js";
import { approveClickBody, commandBody } from "../lib/slack-requests.js";
import { type Summary, summarize } from "../lib/stats.js";
import { SlackWatcher } from "../lib/watch.js";
import type { LoadDone, LoadRun } from "../load-process.js";

export interface AckOptions {
  requests: number;
  /** Requests sent one at a time, per scenario and target. */
  serialRequests: number;
  concurrency: number;
  /** The requests are sent in this many turns, bare app and bot alternating. */
  rounds: number;
  warmup: number;
  runtime: Runtime;
  stamp: string;
}

export interface ScenarioResult {
  scenario: string;
  bot: Summary & { errors: number };
  bare: Summary & { errors: number };
  /** bot p99 / bare p99 */
  ratioP99: number;
  /**
   * The same requests one at a time with a pause after each (the bot's work after the ack done
   * before the next request): what the bot's ack path itself costs, without queueing behind it.
   */
  serial: { bot: Summary; bare: Summary; ratioP50: number };
}

export interface AckResult {
  setup: "stage" | "processes";
  scenarios: ScenarioResult[];
}

interface Setup {
  slack: SlackEmulator;
  rds: RdsEmulator;
  botUrl: URL;
  bareUrl: URL;
  /**
   * Sends signed bodies to the bot or the bare app, `concurrency` in flight (or, with `gapMs`, one
   * at a time with that pause after each); resolves with each request's time and the non-200 count.
   */
  load(target: "bot" | "bare", bodies: string[], concurrency: number, gapMs?: number): Promise<Sent>;
  close(): Promise<void>;
}

/** Pause after each request sent one at a time: the bot's work after the ack finishes in it. */
const SERIAL_GAP_MS = 40;

type Scenario = { name: string; body: (slack: SlackEmulator, index: number) => string };

export async function ackPhase(setupKind: "stage" | "processes", options: AckOptions): Promise<AckResult> {
  const setup = setupKind === "stage" ? await stageSetup(options.concurrency) : await processSetup(options);
  try {
    const { slack, rds } = setup;
    const watcher = new SlackWatcher(slack, rds, APPROVAL_CHANNEL);
    const botPoster = new SignedPoster(setup.botUrl, SIGNING_SECRET, options.concurrency + 8);

    // One request approved for real: the clicks below all hit a decided request.
    const decided = await decidedRequest({ slack, poster: botPoster, watcher });
    await quiescence(slack, rds);

    const scenarios: Scenario[] = [
      {
        name: "/rds-backup help",
        body: (s) =>
          commandBody(s, { userId: USERS.requester, channelId: REQUEST_CHANNEL, text: "help" }).body,
      },
      {
        name: "/rds-backup <instance> (inline request)",
        body: (s, i) =>
          commandBody(s, {
            userId: USERS.requester,
            channelId: REQUEST_CHANNEL,
            text: instanceFor(i, options.requests),
          }).body,
      },
      {
        name: "Approve click (already decided)",
        body: (s) =>
          approveClickBody(s, {
            userId: USERS.approver2,
            channelId: APPROVAL_CHANNEL,
            messageTs: decided.cardTs,
            requestId: decided.requestId,
          }).body,
      },
    ];

    const results: ScenarioResult[] = [];
    for (const scenario of scenarios) {
      const bodies = (count: number, from = 0) =>
        Array.from({ length: count }, (_, i) => scenario.body(slack, from + i));
      // Bot and bare take turns, a slice of the requests each, so a slow patch of the machine
      // (another process, a GC) falls on both rather than on whichever ran then. After each bot
      // slice its after-ack work finishes before the bare app's turn.
      const measure = async (count: number) => {
        const pooled = {
          bot: { times: [] as number[], errors: 0 },
          bare: { times: [] as number[], errors: 0 },
        };
        const slice = Math.ceil(count / options.rounds);
        for (let from = 0; from < count; from += slice) {
          for (const target of ["bare", "bot"] as const) {
            const sent = await setup.load(
              target,
              bodies(Math.min(slice, count - from), from),
              options.concurrency,
            );
            pooled[target].times.push(...sent.times);
            pooled[target].errors += sent.errors;
            await quiescence(slack, rds);
          }
        }
        return {
          bare: { ...summarize(pooled.bare.times), errors: pooled.bare.errors },
          bot: { ...summarize(pooled.bot.times), errors: pooled.bot.errors },
        };
      };
      // Bodies are signed when sent, so the one-at-a-time run's timestamps stay fresh.
      const serially = async (target: "bot" | "bare", count: number) =>
        summarize((await setup.load(target, bodies(count), 1, SERIAL_GAP_MS)).times);
      await setup.load("bare", bodies(options.warmup), options.concurrency);
      await setup.load("bot", bodies(options.warmup), options.concurrency);
      await quiescence(slack, rds);
      const { bare, bot } = await measure(options.requests);
      const serialBare = await serially("bare", options.serialRequests);
      const serialBot = await serially("bot", options.serialRequests);
      await quiescence(slack, rds);
      watcher.forget();
      results.push({
        scenario: scenario.name,
        bot,
        bare,
        ratioP99: bot.p99 / bare.p99,
        serial: { bot: serialBot, bare: serialBare, ratioP50: serialBot.p50 / serialBare.p50 },
      });
      process.stdout.write(
        `  ack [${setupKind}] ${scenario.name}: bot p50 ${bot.p50} p99 ${bot.p99} max ${bot.max} ms` +
          ` | bare p50 ${bare.p50} p99 ${bare.p99} max ${bare.max} ms | ratio ${(bot.p99 / bare.p99).toFixed(2)}` +
          ` | one at a time p50 ${serialBot.p50} vs ${serialBare.p50} ms\n`,
      );
    }
    botPoster.close();
    return { setup: setupKind, scenarios: results };
  } finally {
    await setup.close();
  }
}

async function decidedRequest(ctx: LifecycleContext) {
  const filed = await fileRequest(ctx, instanceFor(0, 1));
  await approveAndWait(ctx, filed);
  return filed;
}

async function stageSetup(concurrency: number): Promise<Setup> {
  const stage = await startStage({
    env: { LOG_LEVEL: "info" },
    keepLogs: false,
    rds: BENCH_RDS_OPTIONS,
    slack: await startStageWorkspace(undefined, BENCH_WORKSPACE),
    overrides: BENCH_OVERRIDES,
  });
  for (const instance of benchInstances()) stage.rds.addInstance(instance);
  const bare = await startBareApp(SIGNING_SECRET, BOT_TOKEN, stage.slack.apiUrl);
  const botUrl = new URL(`http://127.0.0.1:${stage.config.port}/slack/events`);
  const bareUrl = new URL(bare.url);
  const posters = {
    bot: new SignedPoster(botUrl, SIGNING_SECRET, concurrency + 8),
    bare: new SignedPoster(bareUrl, SIGNING_SECRET, concurrency + 8),
  };
  return {
    slack: stage.slack,
    rds: stage.rds,
    botUrl,
    bareUrl,
    load: (target, bodies, concurrency, gapMs) => sendAll(posters[target], bodies, concurrency, gapMs),
    close: async () => {
      posters.bot.close();
      posters.bare.close();
      await bare.close();
      await stage.close();
      await stage.slack.close(); // given to the stage, so not closed by it
    },
  };
}

async function processSetup(options: AckOptions): Promise<Setup> {
  const slack = await startStageWorkspace(undefined, BENCH_WORKSPACE);
  const rds = await startBenchRds();
  const port = await freePort();
  const databaseUrl = join(mkdtempSync(join(tmpdir(), "rdsbot-bench-")), "bot.sqlite");
  const bot = startChild(
    "bench/bot-process",
    options.runtime,
    botEnv({ slackApiUrl: slack.apiUrl, rdsUrl: rds.url, port, databaseUrl, logLevel: "info" }),
    join(RESULTS_DIR, `${options.stamp}-ack-bot.log`),
  );
  const bare = startChild(
    "bench/bare-process",
    options.runtime,
    { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: slack.apiUrl },
    join(RESULTS_DIR, `${options.stamp}-ack-bare.log`),
  );
  // The load comes from a third process: see bench/load-process.ts for why not from this one.
  const loader = startChild(
    "bench/load-process",
    options.runtime,
    {},
    join(RESULTS_DIR, `${options.stamp}-ack-load.log`),
  );
  const [, bareReady] = await Promise.all([bot.ready, bare.ready, loader.ready]);
  const urls = {
    bot: new URL(`http://127.0.0.1:${port}/slack/events`),
    bare: new URL(String(bareReady.url)),
  };
  return {
    slack,
    rds,
    botUrl: urls.bot,
    bareUrl: urls.bare,
    load: async (target, bodies, concurrency, gapMs) => {
      const run: LoadRun = {
        type: "run",
        url: urls[target].href,
        secret: SIGNING_SECRET,
        bodies,
        concurrency,
      };
      if (gapMs !== undefined) run.gapMs = gapMs;
      const done = (await loader.ask({ ...run }, "done")) as unknown as LoadDone;
      return { times: done.times, errors: done.errors };
    },
    close: async () => {
      await Promise.all([bot.stop(), bare.stop(), loader.stop()]);
      await slack.close();
      await rds.close();
    },
  };
}
