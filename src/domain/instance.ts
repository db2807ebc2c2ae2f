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
}

export const RUNNING = "Running";

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
