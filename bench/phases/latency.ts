/**
 * Approve click → job id posted in the card's thread, on the stage, one request at a time: with the
 * RDS emulator answering at once, then with every RDS answer delayed. Requests are filed first
 * (RDS answering at once) so only the approval path is timed.
 */
import { APPROVAL_CHANNEL, startStage, startStageWorkspace } from "../../src/sandbox/stage.js";
import { BENCH_OVERRIDES, BENCH_WORKSPACE } from "../lib/bot-env.js";
import { BENCH_RDS_OPTIONS, benchInstances, instanceFor } from "../lib/emulators.js";
import { SignedPoster } from "../lib/http.js";
import { approveAndWait, type FiledRequest, fileRequest, type LifecycleContext } from "../lib/lifecycle.js";
import { quiescence } from "../lib/quiet.js";
import { type Summary, summarize } from "../lib/stats.js";
import { SlackWatcher } from "../lib/watch.js";

const WARMUP = 10;

export interface LatencyResult {
  rdsLatencyMs: number;
  summary: Summary;
  /** Job ids announced more than once in a thread (should be none). */
  repeatedAnnouncements: number;
}

export async function latencyPhase(runs: number, rdsLatencies: readonly number[]): Promise<LatencyResult[]> {
  const stage = await startStage({
    env: { LOG_LEVEL: "info" },
    keepLogs: false,
    rds: BENCH_RDS_OPTIONS,
    slack: await startStageWorkspace(undefined, BENCH_WORKSPACE),
    overrides: BENCH_OVERRIDES,
  });
  try {
    for (const instance of benchInstances()) stage.rds.addInstance(instance);
    const watcher = new SlackWatcher(stage.slack, stage.rds, APPROVAL_CHANNEL);
    const poster = new SignedPoster(
      new URL(`http://127.0.0.1:${stage.config.port}/slack/events`),
      stage.config.slack.signingSecret ?? "",
    );
    const ctx: LifecycleContext = { slack: stage.slack, poster, watcher };
    const results: LatencyResult[] = [];
    const total = WARMUP + runs * rdsLatencies.length;
    let used = 0;
    const nextInstance = () => instanceFor(used++, total);
    // Warm-up: JIT, caches (locale, user groups), connections.
    for (let i = 0; i < WARMUP; i++) await approveAndWait(ctx, await fileRequest(ctx, nextInstance()));
    for (const delay of rdsLatencies) {
      stage.rds.setLatency(0);
      const filed: FiledRequest[] = [];
      for (let i = 0; i < runs; i++) filed.push(await fileRequest(ctx, nextInstance()));
      await quiescence(stage.slack, stage.rds);
      stage.rds.setLatency(delay);
      const times: number[] = [];
      for (const request of filed) {
        times.push((await approveAndWait(ctx, request)).ms);
        await quiescence(stage.slack, stage.rds, 20);
      }
      const repeated = [...watcher.announcements.values()].filter((count) => count > 1).length;
      const summary = summarize(times);
      results.push({ rdsLatencyMs: delay, summary, repeatedAnnouncements: repeated });
      process.stdout.write(
        `  approve → job id, RDS +${delay} ms: p50 ${summary.p50} p99 ${summary.p99} max ${summary.max} ms\n`,
      );
    }
    stage.rds.setLatency(0);
    poster.close();
    return results;
  } finally {
    await stage.close();
    await stage.slack.close(); // given to the stage, so not closed by it
  }
}
