/**
 * When the RDS emulator's listings show a backup job or a backup set, and how jobs move on in
 * time: the unkind timing of the real listings, so tests can play the sequences of issue 12.
 * Everything here is off unless a test turns it on (`RdsEmulatorOptions.listings`,
 * `RdsEmulator.setListings`); the default emulator lists everything at once.
 *
 * Sources, one per behaviour:
 * - A new task shows in DescribeBackupTasks only after a while, with its job id or without
 *   (`taskLagMs`): Alibaba's Terraform provider polls DescribeBackupTasks by job id right after
 *   CreateBackup and treats an empty answer as "not there yet" (aliyun/terraform-provider-alicloud,
 *   alicloud/service_alicloud_rds.go, `RdsBackupStateRefreshFunc`: `IsNotFoundError` → keep
 *   waiting; `DescribeBackupTasks` there turns an empty `Items.BackupJob` into NotFound).
 * - A finished task's backup set shows in DescribeBackups only after a while (`setLagMs`): the
 *   same provider sleeps a minute once the task is Finished, "because the query API
 *   (DescribeBackups) has not been synchronized" (alicloud/resource_alicloud_rds_backup.go), and
 *   ../shared/docs/createbackup.md, "What the listings really do".
 * - A finished task may stop answering even by its job id (`forgetFinishedAfterMs`): the same
 *   `RdsBackupStateRefreshFunc` is written for that empty answer; the bot must then look for the
 *   job's backup set instead (issue 12, sequence 5).
 * - Jobs that finish within a second (`jobAdvance: "timed"`, `stepMs`): a snapshot backup on cloud
 *   disks completes in seconds (createbackup.md: cloud disks support only snapshot backups), so
 *   DescribeBackupTasks without a job id, which lists only unfinished tasks, may never show it.
 */

export interface ListingTiming {
  /** How long a new task is missing from DescribeBackupTasks (with or without its job id). */
  taskLagMs: number;
  /** How long a finished task's backup set is missing from DescribeBackups. */
  setLagMs: number;
  /** After this long, a finished task no longer answers a query by its job id (absent: never). */
  forgetFinishedAfterMs?: number | undefined;
}

export const NO_LAG: ListingTiming = { taskLagMs: 0, setLagMs: 0 };

/** Does DescribeBackupTasks show this task now? */
export function taskListed(
  task: { startedAt: Date; finishedAt?: Date | undefined },
  now: Date,
  timing: ListingTiming,
): boolean {
  if (now.getTime() < task.startedAt.getTime() + timing.taskLagMs) return false;
  const forget = timing.forgetFinishedAfterMs;
  return !(forget !== undefined && task.finishedAt && now.getTime() >= task.finishedAt.getTime() + forget);
}

/** Does DescribeBackups show this backup set now? */
export function setListed(set: { recordedAt?: Date | undefined }, now: Date, timing: ListingTiming): boolean {
  return !set.recordedAt || now.getTime() >= set.recordedAt.getTime() + timing.setLagMs;
}

/** How many steps a job started at `startedAt` has taken by `now`, one every `stepMs`. */
export function timedSteps(startedAt: Date, now: Date, stepMs: number): number {
  return Math.max(0, Math.floor((now.getTime() - startedAt.getTime()) / Math.max(1, stepMs)));
}
