import type { Engine } from "./engine.js";

/** What the bot knows about an RDS instance (from DescribeDBInstanceAttribute / DescribeDBInstances). */
export interface InstanceInfo {
  id: string;
  regionId: string;
  engine: Engine;
  engineVersion: string;
  /** DBInstanceStatus as the API reports it: `Running`, `Restarting`, `Creating`, … */
  status: string;
  description: string;
  /** DBInstanceStorageType: `local_ssd`, `cloud_ssd`, `cloud_essd`, `general_essd`, … */
  storageType?: string | undefined;
  /** Category: `Basic`, `HighAvailability`, `AlwaysOn`, `Finance`, `serverless_basic`, … */
  category?: string | undefined;
  /** LockMode: `Unlock` when the instance is not locked. */
  lockMode?: string | undefined;
  /**
   * DBInstanceType: `Primary`, `Readonly` (ids `rr-…`), `Guard` (disaster recovery) or `Temp`.
   * DescribeDBInstances lists every role unless asked; only a primary can be backed up.
   */
  instanceType?: string | undefined;
  /** MasterInstanceId: the primary a read-only (or other secondary) instance belongs to. */
  masterInstanceId?: string | undefined;
}

export const RUNNING = "Running";
export const PRIMARY = "Primary";

/**
 * Can this instance be backed up at all? CreateBackup on a read-only instance fails with
 * `ReadDBInstanceNotSupport` (createbackup.md, "Only primary instances"). An instance whose role
 * is not known (a request stored before the bot read the role) counts as primary: RDS still has
 * the last word.
 */
export function isPrimary(instance: Pick<InstanceInfo, "instanceType">): boolean {
  return instance.instanceType === undefined || instance.instanceType === PRIMARY;
}

/** A backup job as DescribeBackupTasks reports it. */
export interface BackupTask {
  backupJobId: string;
  /** NoStart, Checking, Preparing, Waiting, Uploading, Finished, Failed. */
  status: string;
  /** Percentage 0–100 when the API reports one. */
  progress?: number | undefined;
  /** The backup set, once Finished. */
  backupId?: string | undefined;
  startTime?: string | undefined;
  mode?: string | undefined;
  jobMode?: string | undefined;
}

export const FINISHED_TASK_STATUSES = ["Finished"] as const;
export const FAILED_TASK_STATUSES = ["Failed"] as const;

export function isTaskDone(task: BackupTask): boolean {
  return task.status === "Finished" || task.status === "Failed";
}

/** A finished backup set as DescribeBackups reports it. */
export interface BackupSet {
  backupId: string;
  method: string;
  /** Bytes. */
  size?: number | undefined;
  startTime?: string | undefined;
  endTime?: string | undefined;
  status: string;
  mode?: string | undefined;
}
