/** The environment of a bot in a child process: the stage's settings, pointed at the given emulators. */
import type { BotOverrides } from "../../src/bot.js";
import type { SlackEmulatorOptions } from "../../src/sandbox/slack-emulator.js";
import { type StageEnvOptions, stageEnv } from "../../src/sandbox/stage.js";

/**
 * The benchmark measures the bot, not Slack's pace. Slack takes about one post a second per channel
 * (src/sandbox/slack/rate-limits.ts), and the bot keeps that pace itself (src/slack/channel-pacer.ts),
 * so thousands of requests carded in one approval channel would time the pace, hours of it. The
 * benchmark's workspace has no posting limit and its bot no pace; in a real workspace a channel
 * given more than a post a second queues the rest (README, "Benchmarks").
 */
export const BENCH_WORKSPACE: Pick<SlackEmulatorOptions, "postMessageRateLimit"> = {
  postMessageRateLimit: false,
};
export const BENCH_OVERRIDES: BotOverrides = { slackPace: { perSecond: 1_000_000, burst: 1_000_000 } };
/** Tells bench/bot-process.ts to start the bot with `BENCH_OVERRIDES` (src/main.ts ignores it). */
export const BENCH_UNPACED_VAR = "RDSBOT_BENCH_UNPACED";

export function botEnv(options: StageEnvOptions & { logLevel: string }): Record<string, string> {
  // The log level is the benchmark's choice (a memory run measures with the level it is given).
  return { ...stageEnv(options), LOG_LEVEL: options.logLevel, [BENCH_UNPACED_VAR]: "1" };
}
