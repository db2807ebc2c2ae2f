/**
 * Starting a backup when RDS's answers are not always clear: what the bot keeps about the
 * CreateBackup calls of one approved request, and the pure decisions about them. The use case in
 * src/backup/start-backup.ts acts on these decisions; the record lives in the store, so a restart
 * or another replica carries on exactly where the last one stopped.
 *
 * The facts behind the rules (../shared/docs/createbackup.md, "What the listings really do"):
 * DescribeBackupTasks lists only unfinished tasks and gives no start time; DescribeBackups trails a
 * finished task by a minute or more; a new task may be missing from the listings for a while;
 * CreateBackup is refused with `BackupJobExists` while any task runs, listed yet or not. So an
 * answer that did not come (a timeout, a 5xx, a dropped connection) is settled only by watching
 * the listings for as long as they may lag (`RDS_LISTING_LAG`), never by one quick look.
 */
import type { BackupSet, BackupTask } from "./instance.js";

/** CreateBackup calls one approved request may make in all, whatever happens. */
export const MAX_CREATE_CALLS = 3;
/** RDS's clock and ours may differ; times RDS reports are compared with this much slack. */
export const CLOCK_SKEW_MS = 60_000;

/** What the listings showed when the bot handed a request to a person. */
export type Finding =
  /** No new job and no new backup set for as long as the listings may lag. */
  | { kind: "nothing" }
  /** A manual backup set made since the first call: probably this request's, but RDS does not say which job made it. */
  | { kind: "backup_set"; backupId: string; startTime?: string | undefined }
  /** A manual job the bot may not adopt: it ran before the first call, belongs to another request, or is one of several. */
  | {
      kind: "other_job";
      backupJobId: string;
      reason: "running_before" | "other_request" | "unknown_before" | "several";
    }
  /** RDS's listings could not be read. */
  | { kind: "unreadable"; code: string }
  /** The calls allowed for one request are used up. */
  | { kind: "calls_used_up" };

/** Where starting the backup stands. */
export type StartPhase =
  /** The next call may go now: the first one, or one an approver asked for ("Start the backup again"). */
  | { kind: "ready"; by?: string | undefined }
  /** A call is out. Found like this by anyone but the caller, the caller died before its answer. */
  | { kind: "calling"; call: number; at: Date }
  /** The last call surely sent nothing (throttling, a refused connection): the next may go at `at`. */
  | { kind: "retry"; at: Date; since: Date }
  /** An unclear answer: the listings are watched until `decideAt`; then the bot decides. */
  | { kind: "watching"; code: string; at: Date; decideAt: Date; mayCallAgain: boolean }
  /** Handed to a person (`needs_attention`): what the listings showed. */
  | { kind: "handed_over"; finding: Finding };

export interface StartRecord {
  /** Manual jobs the listing showed just before the first call; absent when it could not be read. */
  jobsBefore?: readonly string[] | undefined;
  /** Unclear answers so far (timeouts, 5xx, dropped connections, BackupJobExists after one of those). */
  unclear: number;
  phase: StartPhase;
}

/** A request approved before this record existed, or just now. */
export const FRESH_START: StartRecord = { unclear: 0, phase: { kind: "ready" } };

/** The phase to act on, given the calls made so far. */
export function currentPhase(calls: number, record: StartRecord | undefined): StartPhase {
  if (record) return record.phase;
  // No record but calls made: a call went out before anything was written about it.
  return calls === 0 ? { kind: "ready" } : { kind: "calling", call: calls, at: new Date(0) };
}

// ─── Reading the listings ───────────────────────────────────────────────────────────────────────

/** What one look at the listings says about an unclear answer. */
export type Sighting =
  | { kind: "ours"; backupJobId: string }
  | Extract<Finding, { kind: "backup_set" | "other_job" }>
  | { kind: "nothing" };

const isManual = (mode: string | undefined) => !mode || mode.toLowerCase() === "manual";

/**
 * Judges the instance's listings after an unclear answer. A job is ours when it is manual, was
 * not running just before the first call (the listing taken then says which were) and is not
 * another request's job. A manual backup set that started at or after the first call (with clock
 * slack) shows a backup was made, but not by which job: a person decides. Times are compared where
 * RDS gives them (backup sets have start times; tasks have none).
 */
export function judgeListings(input: {
  tasks: readonly BackupTask[];
  sets: readonly BackupSet[];
  jobsBefore: readonly string[] | undefined;
  /** Job ids other requests hold. */
  othersJobIds: ReadonlySet<string>;
  firstCallAt: Date;
}): Sighting {
  const manual = input.tasks.filter((task) => isManual(task.mode) && task.backupJobId !== "");
  const candidates = manual.filter(
    (task) => !input.jobsBefore?.includes(task.backupJobId) && !input.othersJobIds.has(task.backupJobId),
  );
  if (input.jobsBefore !== undefined && candidates.length === 1 && candidates[0]) {
    return { kind: "ours", backupJobId: candidates[0].backupJobId };
  }
  const since = input.firstCallAt.getTime() - CLOCK_SKEW_MS;
  const set = input.sets.find((candidate) => {
    if (candidate.mode?.toLowerCase() !== "manual") return false;
    const started = candidate.startTime ? Date.parse(candidate.startTime) : Number.NaN;
    // A set without a readable start time may be ours: better a person's look than a second backup.
    return Number.isNaN(started) || started >= since;
  });
  if (set) return { kind: "backup_set", backupId: set.backupId, startTime: set.startTime };
  const other = candidates[0] ?? manual[0];
  if (other) {
    const reason =
      candidates.length > 1
        ? "several"
        : input.jobsBefore === undefined
          ? "unknown_before"
          : input.othersJobIds.has(other.backupJobId)
            ? "other_request"
            : "running_before";
    return { kind: "other_job", backupJobId: other.backupJobId, reason };
  }
  return { kind: "nothing" };
}

/** What to do after a look at the listings while watching. */
export type AfterLook =
  | { kind: "adopt"; backupJobId: string }
  | { kind: "call_again" }
  | { kind: "hand_over"; finding: Finding }
  | { kind: "keep_watching" };

/**
 * The decision after one look (or a failed one, `undefined`). A backup set settles it at once (no
 * second call may follow); otherwise nothing is decided before `decideAt`. At `decideAt` a clean
 * look that shows nothing allows the one more call when the phase allows it; anything else goes to
 * a person.
 */
export function afterLook(
  phase: Extract<StartPhase, { kind: "watching" }>,
  sighting: Sighting | { kind: "unreadable"; code: string },
  calls: number,
  now: Date,
): AfterLook {
  if (sighting.kind === "ours") return { kind: "adopt", backupJobId: sighting.backupJobId };
  if (sighting.kind === "backup_set") return { kind: "hand_over", finding: sighting };
  if (now.getTime() < phase.decideAt.getTime()) return { kind: "keep_watching" };
  if (sighting.kind === "nothing") {
    if (phase.mayCallAgain && calls < MAX_CREATE_CALLS) return { kind: "call_again" };
    return { kind: "hand_over", finding: { kind: "nothing" } };
  }
  return { kind: "hand_over", finding: sighting };
}

/** The phase after an unclear answer to call number `calls`. */
export function watchingAfter(
  code: string,
  record: StartRecord,
  calls: number,
  now: Date,
  listingLagMs: number,
  byPerson: boolean,
): StartRecord {
  const unclear = record.unclear + 1;
  return {
    ...record,
    unclear,
    phase: {
      kind: "watching",
      code,
      at: now,
      decideAt: new Date(now.getTime() + listingLagMs),
      // One more call, once, and only after the first unclear answer of the bot's own calls.
      mayCallAgain: unclear === 1 && !byPerson && calls < MAX_CREATE_CALLS,
    },
  };
}
