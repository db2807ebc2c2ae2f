/**
 * The three preconditions of CreateBackup (createbackup.md): the instance is Running, no backup
 * task is in progress, and fewer than 20 backup sets were made today. Checked when a request is
 * filed and again at approval. A check that could not be answered is `unknown`, never `pass`.
 */
import type { BackupTask } from "./instance.js";
import { RUNNING } from "./instance.js";

export const DAILY_BACKUP_LIMIT = 20;

export type CheckStatus = "pass" | "fail" | "unknown";

export interface Preflight {
  checkedAt: Date;
  running: { status: CheckStatus; instanceStatus?: string | undefined };
  noBackupInProgress: { status: CheckStatus; backupJobId?: string | undefined };
  dailyLimit: { status: CheckStatus; count?: number | undefined; limit: number };
}

/** What RDS said; `undefined` where it could not say in time. */
export interface PreflightFacts {
  instanceStatus?: string | undefined;
  tasksInProgress?: readonly BackupTask[] | undefined;
  backupsToday?: number | undefined;
}

export function evaluatePreflight(facts: PreflightFacts, checkedAt: Date): Preflight {
  const inProgress = facts.tasksInProgress?.find(
    (task) => task.status !== "Finished" && task.status !== "Failed",
  );
  return {
    checkedAt,
    running:
      facts.instanceStatus === undefined
        ? { status: "unknown" }
        : {
            status: facts.instanceStatus === RUNNING ? "pass" : "fail",
            instanceStatus: facts.instanceStatus,
          },
    noBackupInProgress:
      facts.tasksInProgress === undefined
        ? { status: "unknown" }
        : inProgress
          ? { status: "fail", backupJobId: inProgress.backupJobId }
          : { status: "pass" },
    dailyLimit:
      facts.backupsToday === undefined
        ? { status: "unknown", limit: DAILY_BACKUP_LIMIT }
        : {
            status: facts.backupsToday < DAILY_BACKUP_LIMIT ? "pass" : "fail",
            count: facts.backupsToday,
            limit: DAILY_BACKUP_LIMIT,
          },
  };
}

/** True when a check failed (unknown checks do not block: the API has the last word). */
export function preflightBlocks(preflight: Preflight): boolean {
  return [preflight.running, preflight.noBackupInProgress, preflight.dailyLimit].some(
    (check) => check.status === "fail",
  );
}

/**
 * "Today" for the daily limit: the UTC calendar day. The API reference does not say which time
 * zone its limit counts in, so the bot says "today (UTC)" wherever it shows the count.
 */
export function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/** Why an instance was not ready at a scheduled run's start time: its failed pre-flight checks. */
export type NotReadyReason =
  | { kind: "not_running"; status: string }
  | { kind: "backup_in_progress"; backupJobId: string }
  | { kind: "daily_limit"; count: number };

export function notReadyReasons(preflight: Preflight): NotReadyReason[] {
  const reasons: NotReadyReason[] = [];
  if (preflight.running.status === "fail") {
    reasons.push({ kind: "not_running", status: preflight.running.instanceStatus ?? "" });
  }
  if (preflight.noBackupInProgress.status === "fail") {
    reasons.push({ kind: "backup_in_progress", backupJobId: preflight.noBackupInProgress.backupJobId ?? "" });
  }
  if (preflight.dailyLimit.status === "fail") {
    reasons.push({ kind: "daily_limit", count: preflight.dailyLimit.count ?? preflight.dailyLimit.limit });
  }
  return reasons;
}
