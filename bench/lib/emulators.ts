/**
 * The RDS side of the benchmark: an RDS emulator whose backup jobs finish at once and never hit the
 * daily limit, so thousands of backups can run on a handful of instances. The Slack side is the
 * stage's own workspace (`startStageWorkspace` in src/sandbox/stage.ts).
 */
import {
  type InstanceInput,
  type RdsEmulator,
  type RdsEmulatorOptions,
  startRdsEmulator,
} from "../../src/sandbox/rds-emulator.js";

/**
 * Instances only the benchmark uses: MySQL, so an inline request with no options is valid. The bot
 * checks RDS's limit of 20 backup sets per instance per day before filing and approving, so a run
 * of many backups spreads them over enough instances (`instanceFor`).
 */
export const BACKUPS_PER_INSTANCE = 15;
export const BENCH_INSTANCE_COUNT = 1_000;

export function instanceId(index: number): string {
  return `rm-bench${String(index).padStart(4, "0")}`;
}

/** The instance for the `index`-th backup of a run of `total`: at most 15 backups on each. */
export function instanceFor(index: number, total: number): string {
  const used = Math.min(BENCH_INSTANCE_COUNT, Math.max(1, Math.ceil(total / BACKUPS_PER_INSTANCE)));
  return instanceId(index % used);
}

export const BENCH_RDS_OPTIONS: RdsEmulatorOptions = {
  defaultJobSteps: [{ status: "Finished", process: 100 }],
  maxBackupsPerDay: Number.MAX_SAFE_INTEGER,
};

export function benchInstances(): InstanceInput[] {
  return Array.from({ length: BENCH_INSTANCE_COUNT }, (_, i) => ({
    id: instanceId(i),
    engine: "MySQL",
    engineVersion: "8.0",
    description: `bench instance ${i}`,
    storageType: "cloud_essd",
    databases: ["app"],
  }));
}

/** `port`: to replace an emulator by a fresh one where a bot already points. */
export async function startBenchRds(port?: number): Promise<RdsEmulator> {
  const rds = await startRdsEmulator({ ...BENCH_RDS_OPTIONS, ...(port ? { port } : {}) });
  for (const instance of benchInstances()) rds.addInstance(instance);
  return rds;
}
