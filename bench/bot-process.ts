/**
 * The bot alone in a process, for the memory and start-up measurements: the same composition as
 * `src/main.ts` (configuration from the environment, production defaults), plus an IPC channel
 * through which the benchmark asks for memory samples. The load generator and the emulators live
 * in the parent, so their memory is not counted here.
 *
 * Messages from the parent: `{ type: "sample", gc?: boolean }` → `{ type: "sample", rss, heapUsed,
 * heapTotal, external, spaces }` (bytes; with `gc` a full collection runs first when `--expose-gc` is on),
 * `{ type: "stop" }` → stops the bot and exits.
 */
import { getHeapSpaceStatistics } from "node:v8";
import { startBot } from "../src/bot.js";
import { parseConfig, secretValues } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { BENCH_OVERRIDES, BENCH_UNPACED_VAR } from "./lib/bot-env.js";

interface SampleRequest {
  type: "sample";
  gc?: boolean;
}
interface StopRequest {
  type: "stop";
}
type ParentMessage = SampleRequest | StopRequest;

const config = parseConfig(process.env);
const logger = createLogger({ level: config.logLevel, secrets: secretValues(config) });
const bot = await startBot(config, logger, process.env[BENCH_UNPACED_VAR] === "1" ? BENCH_OVERRIDES : {});
process.send?.({ type: "ready" });

const gc = (globalThis as { gc?: () => void }).gc;

process.on("message", (message: ParentMessage) => {
  if (message.type === "sample") {
    if (message.gc && gc) gc();
    const usage = process.memoryUsage();
    process.send?.({
      type: "sample",
      rss: usage.rss,
      heapUsed: usage.heapUsed,
      heapTotal: usage.heapTotal,
      external: usage.external,
      // Committed size of each V8 heap space (new, old, code, large objects, …), for where RSS goes.
      spaces: Object.fromEntries(
        getHeapSpaceStatistics().map((space) => [space.space_name, space.space_size]),
      ),
    });
  } else if (message.type === "stop") {
    void bot.stop().finally(() => process.exit(0));
  }
});
process.once("disconnect", () => {
  void bot.stop().finally(() => process.exit(0));
});
