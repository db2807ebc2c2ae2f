/**
 * From the SDK's response models to the domain's types. Pure. The SDK's property names are not
 * consistently camelCase (`DBInstanceId`, `items.DBInstance`, `items.backupJob`): each model's
 * `names()` map is the reference.
 */
import type * as Sdk from "@alicloud/rds20140815";
import { ApiFailure } from "../domain/api-failure.js";
import { parseEngine } from "../domain/engine.js";
import type { BackupSet, BackupTask, InstanceInfo } from "../domain/instance.js";

/** The fields DescribeDBInstanceAttribute and DescribeDBInstances have in common. */
type InstanceFields = Pick<
  Sdk.DescribeDBInstanceAttributeResponseBodyItemsDBInstanceAttribute,
  | "DBInstanceId"
  | "regionId"
  | "engine"
  | "engineVersion"
  | "DBInstanceStatus"
  | "DBInstanceDescription"
  | "DBInstanceStorageType"
  | "category"
  | "lockMode"
  | "DBInstanceType"
  | "masterInstanceId"
>;

export type InstanceMapping = { ok: true; instance: InstanceInfo } | { ok: false; engine: string };

/** Fails (rather than guessing) when the engine is none the bot supports. */
export function toInstanceInfo(item: InstanceFields, fallbackRegionId: string): InstanceMapping {
  const engine = parseEngine(item.engine ?? "");
  if (!engine) return { ok: false, engine: item.engine ?? "" };
  return {
    ok: true,
    instance: {
      id: item.DBInstanceId ?? "",
      regionId: item.regionId || fallbackRegionId,
      engine,
      engineVersion: item.engineVersion ?? "",
      status: item.DBInstanceStatus ?? "",
      description: item.DBInstanceDescription ?? "",
      storageType: item.DBInstanceStorageType || undefined,
      category: item.category || undefined,
      lockMode: item.lockMode || undefined,
      instanceType: item.DBInstanceType || undefined,
      masterInstanceId: item.masterInstanceId || undefined,
    },
  };
}

/** The engine check as an `ApiFailure` the catalog already knows how to explain. */
export function unsupportedEngine(
  instanceId: string,
  engine: string,
  requestId: string | undefined,
): ApiFailure {
  return new ApiFailure({
    code: "IncorrectDBInstanceEngine",
    message: `Instance ${instanceId} runs ${engine || "an unknown engine"}, which this bot cannot back up.`,
    requestId,
    outcome: "rejected",
    transient: false,
  });
}

export function parsePercent(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  const value = Number.parseFloat(raw);
  return Number.isFinite(value) ? Math.min(100, Math.max(0, value)) : undefined;
}

export function toBackupTask(job: Sdk.DescribeBackupTasksResponseBodyItemsBackupJob): BackupTask {
  return {
    backupJobId: job.backupJobId ?? "",
    // BackupStatus appears only once the task runs; before that the program status says NoStart.
    status: job.backupStatus || job.backupProgressStatus || "NoStart",
    progress: parsePercent(job.process),
    backupId: job.backupId || undefined,
    // JobMode (Automated / Manual) is the task's mode; the API gives no separate BackupMode here,
    // and no start time either (SDK 15.4.0).
    mode: job.jobMode || undefined,
    jobMode: job.jobMode || undefined,
  };
}

export function toBackupSet(backup: Sdk.DescribeBackupsResponseBodyItemsBackup): BackupSet {
  return {
    backupId: backup.backupId ?? "",
    method: backup.backupMethod ?? "",
    size:
      typeof backup.backupSize === "number" && Number.isFinite(backup.backupSize)
        ? backup.backupSize
        : undefined,
    startTime: backup.backupStartTime || undefined,
    endTime: backup.backupEndTime || undefined,
    status: backup.backupStatus ?? "",
    mode: backup.backupMode || undefined,
  };
}

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * DescribeBackups wants `yyyy-MM-ddTHH:mmZ` in UTC: minutes, no seconds. `roundUp` moves a time
 * with seconds to the next minute, so an end bound still includes the minute it falls in.
 */
export function toApiMinute(date: Date, roundUp = false): string {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new RangeError("invalid date");
  const minute = 60_000;
  const rounded = roundUp ? Math.ceil(ms / minute) * minute : Math.floor(ms / minute) * minute;
  const d = new Date(rounded);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}Z`;
}
