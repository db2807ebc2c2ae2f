/**
 * Asks RDS the three questions behind CreateBackup's preconditions, at once and time-boxed:
 * DescribeDBInstanceAttribute (status), DescribeBackupTasks (a job in progress?) and
 * DescribeBackups (how many sets today?). An answer that does not come in time is "unknown".
 */
import { ApiFailure } from "../domain/api-failure.js";
import type { BackupTask, InstanceInfo } from "../domain/instance.js";
import { evaluatePreflight, type Preflight, startOfUtcDay } from "../domain/preflight.js";
import type { Logger } from "../logger.js";
import type { RdsGateway } from "./ports.js";

export interface PreflightResult {
  preflight: Preflight;
  /** The instance as RDS describes it now, when it answered. */
  instance?: InstanceInfo | undefined;
  /** Why the instance itself could not be described (for example it does not exist). */
  instanceError?: unknown;
  /** The unfinished backup tasks, when RDS listed them (the jobs running before a CreateBackup). */
  tasks?: BackupTask[] | undefined;
}

export async function runPreflight(
  rds: RdsGateway,
  target: { instanceId: string; regionId?: string | undefined },
  now: Date,
  timeoutMs: number,
  log: Logger,
): Promise<PreflightResult> {
  const options = { regionId: target.regionId, timeoutMs };
  const [instance, tasks, backups] = await Promise.allSettled([
    rds.describeInstance(target.instanceId, options),
    rds.describeBackupTasks({ instanceId: target.instanceId }, options),
    rds.describeBackups({ instanceId: target.instanceId, start: startOfUtcDay(now), end: now }, options),
  ]);
  for (const [what, result] of [
    ["tasks", tasks],
    ["backups", backups],
  ] as const) {
    if (result.status === "rejected") {
      const code = result.reason instanceof ApiFailure ? result.reason.code : "InternalError";
      log.warn(
        { check: what, code, instanceId: target.instanceId },
        "a pre-flight check could not be answered",
      );
    }
  }
  const described = instance.status === "fulfilled" ? instance.value : undefined;
  const preflight = evaluatePreflight(
    {
      instanceStatus: described?.status,
      tasksInProgress: tasks.status === "fulfilled" ? tasks.value : undefined,
      backupsToday:
        backups.status === "fulfilled"
          ? backups.value.filter(
              (set) => !set.startTime || Date.parse(set.startTime) >= startOfUtcDay(now).getTime(),
            ).length
          : undefined,
    },
    now,
  );
  return {
    preflight,
    instance: described,
    ...(instance.status === "rejected" ? { instanceError: instance.reason } : {}),
    ...(tasks.status === "fulfilled" ? { tasks: tasks.value } : {}),
  };
}
