/**
 * `npm run bench`: how fast the bot is and how much it holds, printed as a table next to the
 * targets and saved as JSON in bench/results/<timestamp>.json so runs can be compared.
 *
 *   npm run bench -- [--lifecycles 10000] [--requests 2000] [--concurrency 50] [--ack-rounds 4] [--latency-runs 100]
 *                    [--phases ack,latency,memory,startup] [--runtime dist|tsx] [--no-postgres]
 *                    [--child-node-args="<node options for the bot's process>"] (default: the
 *                    Docker image's V8 heap cap, IMAGE_NODE_OPTIONS in bench/lib/child.ts)
 *
 * Phases:
 *   ack      ack latency of signed commands and clicks, bot vs a bare Bolt app (in this process on
 *            the stage, and each alone in a child process)
 *   latency  Approve click → job id in the thread, RDS answering at once and after 300 ms
 *   memory   RSS of the bot process idle and every thousand request lifecycles, SQLite and PostgreSQL
 *   startup  spawn → /healthz answering
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { compileForChildren, IMAGE_NODE_OPTIONS, RESULTS_DIR, type Runtime } from "./lib/child.js";
import { Checks } from "./lib/targets.js";
import { type AckResult, ackPhase } from "./phases/ack.js";
import { type LatencyResult, latencyPhase } from "./phases/latency.js";
import { type MemoryResult, memoryPhase } from "./phases/memory.js";
import { type StartupResult, startupPhase } from "./phases/startup.js";

const ALL_PHASES = ["ack", "latency", "memory", "startup"] as const;
type Phase = (typeof ALL_PHASES)[number];

const TARGETS = {
  ackRatio: 1.5,
  approveOverheadMs: 50,
  rssMb: 150,
  startupMs: 1_500,
  /** "No growth": what the last thousand may exceed the first by, in RSS and in heap after GC. */
  rssGrowthMb: 10,
  heapGrowthMb: 5,
};

const { values: flags } = parseArgs({
  options: {
    lifecycles: { type: "string", default: "10000" },
    requests: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "50" },
    "latency-runs": { type: "string", default: "100" },
    "memory-concurrency": { type: "string", default: "8" },
    "memory-step": { type: "string", default: "1000" },
    "ack-rounds": { type: "string", default: "4" },
    "startup-runs": { type: "string", default: "5" },
    phases: { type: "string", default: ALL_PHASES.join(",") },
    runtime: { type: "string", default: "dist" },
    "log-level": { type: "string", default: "info" },
    // As the Docker image runs the bot; "--child-node-args=" for Node's own defaults.
    "child-node-args": { type: "string", default: IMAGE_NODE_OPTIONS },
    "no-postgres": { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});

if (flags.help) {
  process.stdout.write(
    "npm run bench -- [--lifecycles N] [--requests N] [--concurrency N] [--ack-rounds N] [--latency-runs N]\n" +
      "  [--memory-concurrency N] [--memory-step N] [--startup-runs N] [--phases ack,latency,memory,startup]\n" +
      "  [--runtime dist|tsx] [--log-level info] [--no-postgres]\n" +
      `  [--child-node-args="--max-semi-space-size=4"] (default "${IMAGE_NODE_OPTIONS}", as the Docker image)\n`,
  );
  process.exit(0);
}

function count(name: keyof typeof flags): number {
  const value = Number(flags[name]);
  if (!Number.isInteger(value) || value < 1) {
    process.stderr.write(`--${name} must be a positive whole number\n`);
    process.exit(2);
  }
  return value;
}

const options = {
  lifecycles: count("lifecycles"),
  requests: count("requests"),
  concurrency: count("concurrency"),
  latencyRuns: count("latency-runs"),
  memoryConcurrency: count("memory-concurrency"),
  memoryStep: count("memory-step"),
  ackRounds: count("ack-rounds"),
  startupRuns: count("startup-runs"),
};
const phases = new Set(
  String(flags.phases)
    .split(",")
    .map((p) => p.trim())
    .filter((p): p is Phase => (ALL_PHASES as readonly string[]).includes(p)),
);
const dialects: ("sqlite" | "postgres")[] = flags["no-postgres"] ? ["sqlite"] : ["sqlite", "postgres"];
const stamp = new Date().toISOString().replace(/[:.]/g, "-");

async function main(): Promise<void> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  // Node options for the bot's child processes (V8 heap sizing, profiling), on top of any in the environment.
  const childNodeArgs = String(flags["child-node-args"]).trim();
  if (childNodeArgs !== "") {
    process.env.BENCH_CHILD_NODE_ARGS = `${process.env.BENCH_CHILD_NODE_ARGS ?? ""} ${childNodeArgs}`.trim();
  }
  process.stdout.write(
    `rds-backup-bot benchmark · ${cpus().length} CPUs · ${Math.round(totalmem() / 2 ** 30)} GB · Node ${process.version}\n`,
  );
  let runtime: Runtime = flags.runtime === "tsx" ? "tsx" : "dist";
  const needsChildren = phases.has("ack") || phases.has("memory") || phases.has("startup");
  if (runtime === "dist" && needsChildren) {
    process.stdout.write("compiling src/ and bench/ for the child processes (transpile only)…\n");
    if (!(await compileForChildren())) runtime = "tsx";
  }

  const results: {
    ack?: AckResult[];
    latency?: LatencyResult[];
    memory?: MemoryResult[];
    startup?: StartupResult[];
  } = {};
  const checks = new Checks();

  if (phases.has("ack")) {
    process.stdout.write(
      `\nack latency: ${options.requests} requests at ${options.concurrency} concurrent per scenario,` +
        ` in ${options.ackRounds} turns taken by the bare app and the bot\n`,
    );
    const ackOptions = {
      requests: options.requests,
      serialRequests: Math.min(200, options.requests),
      concurrency: options.concurrency,
      rounds: options.ackRounds,
      warmup: Math.min(300, options.requests),
      runtime,
      stamp,
    };
    results.ack = [await ackPhase("stage", ackOptions), await ackPhase("processes", ackOptions)];
    for (const result of results.ack) {
      for (const s of result.scenarios) {
        const label = `ack p99 [${result.setup}] ${s.scenario}`;
        checks.add(
          label,
          `bot ${s.bot.p99} ms / bare ${s.bare.p99} ms = ${s.ratioP99.toFixed(2)}×` +
            ` (p50 ${s.bot.p50}/${s.bare.p50}, max ${s.bot.max}/${s.bare.max})`,
          `≤ ${TARGETS.ackRatio}×`,
          s.ratioP99 <= TARGETS.ackRatio && s.bot.errors === 0,
        );
        checks.info(
          `ack p50 one at a time [${result.setup}] ${s.scenario}`,
          `bot ${s.serial.bot.p50} ms / bare ${s.serial.bare.p50} ms = ${s.serial.ratioP50.toFixed(2)}×` +
            ` (p99 ${s.serial.bot.p99}/${s.serial.bare.p99})`,
        );
        if (s.bot.errors + s.bare.errors > 0)
          checks.info(`${label} non-200`, `bot ${s.bot.errors}, bare ${s.bare.errors}`);
      }
    }
  }

  if (phases.has("latency")) {
    process.stdout.write(`\napprove → job id in the thread: ${options.latencyRuns} runs per RDS delay\n`);
    results.latency = await latencyPhase(options.latencyRuns, [0, 300]);
    for (const r of results.latency) {
      const limit = TARGETS.approveOverheadMs + r.rdsLatencyMs;
      checks.add(
        `approve → job id p50, RDS +${r.rdsLatencyMs} ms`,
        `${r.summary.p50} ms (p99 ${r.summary.p99}, max ${r.summary.max})`,
        `< ${limit} ms`,
        r.summary.p50 < limit,
      );
      if (r.rdsLatencyMs > 0) {
        // The approval runs the pre-flight reads (in parallel) and then CreateBackup: two RDS round
        // trips one after the other; what is left is the bot's own time.
        checks.info(
          `approve → job id p50 minus 2 RDS round trips (pre-flight, CreateBackup), RDS +${r.rdsLatencyMs} ms`,
          `${Math.round((r.summary.p50 - 2 * r.rdsLatencyMs) * 10) / 10} ms`,
        );
      }
      checks.add(
        `job id announced once, RDS +${r.rdsLatencyMs} ms`,
        `${r.repeatedAnnouncements} repeated`,
        "0",
        r.repeatedAnnouncements === 0,
      );
    }
  }

  if (phases.has("memory")) {
    results.memory = [];
    for (const dialect of dialects) {
      process.stdout.write(
        `\nmemory [${dialect}]: ${options.lifecycles} lifecycles at ${options.memoryConcurrency} concurrent\n`,
      );
      const result = await memoryPhase(dialect, {
        lifecycles: options.lifecycles,
        step: options.memoryStep,
        concurrency: options.memoryConcurrency,
        runtime,
        stamp,
        logLevel: String(flags["log-level"]),
      });
      if (!result) {
        checks.info(`memory [${dialect}]`, "skipped: no PostgreSQL server");
        continue;
      }
      results.memory.push(result);
      const first = result.points[0];
      const last = result.points[result.points.length - 1];
      const peak = Math.max(result.idle.rssMb, ...result.points.flatMap((p) => [p.rssMb, p.rssAfterGcMb]));
      checks.add(
        `RSS idle [${dialect}]`,
        `${result.idle.rssMb} MB`,
        `< ${TARGETS.rssMb} MB`,
        result.idle.rssMb < TARGETS.rssMb,
      );
      checks.add(
        `RSS peak over ${result.lifecycles} lifecycles [${dialect}]`,
        `${peak} MB (at each thousand, under load: ${result.points.map((p) => p.rssMb).join(", ")})`,
        `< ${TARGETS.rssMb} MB`,
        peak < TARGETS.rssMb,
      );
      if (first && last) {
        // Compared settled (jobs followed to their end, after a full GC): the same state each time.
        const rssGrowth = Math.round((last.rssAfterGcMb - first.rssAfterGcMb) * 10) / 10;
        const heapGrowth = Math.round((last.heapUsedMb - first.heapUsedMb) * 10) / 10;
        checks.add(
          `RSS growth (settled), thousand ${first.lifecycles} → ${last.lifecycles} [${dialect}]`,
          `${rssGrowth >= 0 ? "+" : ""}${rssGrowth} MB (${result.points.map((p) => p.rssAfterGcMb).join(", ")})`,
          `≤ +${TARGETS.rssGrowthMb} MB`,
          rssGrowth <= TARGETS.rssGrowthMb,
        );
        checks.add(
          `heap after GC growth, ${first.lifecycles} → ${last.lifecycles} [${dialect}]`,
          `${heapGrowth >= 0 ? "+" : ""}${heapGrowth} MB (${result.points.map((p) => p.heapUsedMb).join(", ")})`,
          `≤ +${TARGETS.heapGrowthMb} MB`,
          heapGrowth <= TARGETS.heapGrowthMb,
        );
        checks.info(
          `seconds per thousand lifecycles, first → last [${dialect}]`,
          `${first.chunkS} → ${last.chunkS} (each includes ~6 s waiting for its jobs to end)`,
        );
      }
      checks.add(
        `lifecycles completed [${dialect}]`,
        `${result.lifecycles - result.failures}/${result.lifecycles} in ${result.durationS} s` +
          ` (approve → job p50 ${result.approveToJob.p50} ms under load)`,
        "all",
        result.failures === 0,
      );
    }
  }

  if (phases.has("startup")) {
    process.stdout.write(`\nstart-up to /healthz: ${options.startupRuns} runs after a warm-up\n`);
    results.startup = await startupPhase(runtime, options.startupRuns, stamp, dialects);
    for (const r of results.startup) {
      checks.add(
        `start-up to /healthz [${r.runtime}, ${r.dialect}]`,
        `p50 ${r.summary.p50} ms, max ${r.summary.max} ms`,
        `< ${TARGETS.startupMs} ms (max)`,
        r.summary.max < TARGETS.startupMs,
      );
    }
  }

  const table = checks.table();
  process.stdout.write(`\n${table}\n`);
  const file = join(RESULTS_DIR, `${stamp}.json`);
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        startedAt: stamp,
        machine: { cpus: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
        options: {
          ...options,
          phases: [...phases],
          runtime,
          dialects,
          childNodeArgs: process.env.BENCH_CHILD_NODE_ARGS ?? "",
        },
        targets: TARGETS,
        checks: checks.rows,
        results,
      },
      null,
      2,
    )}\n`,
  );
  const failed = checks.rows.filter((row) => row.pass === false).length;
  process.stdout.write(`\n${failed === 0 ? "every target met" : `${failed} target(s) missed`} · ${file}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
