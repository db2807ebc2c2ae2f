/** When a request runs, in words for the card, the form and status: pure renderings of its schedule. */
import { DAILY_BACKUP_LIMIT, type NotReadyReason } from "../../domain/preflight.js";
import type { BackupRequest, Locale } from "../../domain/request.js";
import { type BackupWindow, describeWindow, openingAtOrAfter, planRun } from "../../domain/schedule.js";
import { messages } from "../../i18n/index.js";
import { slackTime, timeUntil } from "../dates.js";
import { userText } from "../text.js";

/**
 * The card's "When" for a pending request that does not simply run once approved: the time it
 * runs (asked for, or the window's opening after it), or how the window decides.
 */
export function whenText(request: BackupRequest, now: Date): string | undefined {
  const schedule = request.schedule;
  if (!schedule) return undefined;
  const m = messages(request.locale).card;
  const window = schedule.window;
  if (schedule.askedFor) {
    const startAt = schedule.startAt ?? schedule.askedFor;
    const until = timeUntil(startAt, now, request.locale);
    if (window && startAt.getTime() !== schedule.askedFor.getTime()) {
      return m.runsAtOpening(slackTime(startAt), until, slackTime(schedule.askedFor), describeWindow(window));
    }
    return m.runsAt(slackTime(startAt), until);
  }
  if (window) {
    return m.runsInWindow(describeWindow(window), slackTime(openingAtOrAfter(window, now).start));
  }
  return undefined;
}

/** The form's note about when the backup would run, for the instance's window and the time chosen. */
export function formWhenNote(
  window: BackupWindow | undefined,
  runAt: Date | undefined,
  now: Date,
  locale: Locale,
): string | undefined {
  const m = messages(locale).modal;
  if (!window) return runAt ? m.runsAtNote(slackTime(runAt)) : undefined;
  if (!runAt) return m.windowNote(describeWindow(window), slackTime(openingAtOrAfter(window, now).start));
  const plan = planRun(runAt, window);
  return plan.startAt.getTime() === runAt.getTime()
    ? m.runsAtNote(slackTime(runAt))
    : m.runsAtOpeningNote(slackTime(plan.startAt), describeWindow(window));
}

/** Why the instance was not ready, in the words of the card's pre-flight lines. */
export function notReadyText(reasons: readonly NotReadyReason[], locale: Locale): string {
  return reasons.map((reason) => reasonText(reason, locale)).join("; ");
}

function reasonText(reason: NotReadyReason, locale: Locale): string {
  const m = messages(locale).card.preflight;
  switch (reason.kind) {
    case "not_running":
      return m.notRunning(userText(reason.status || "?", 40));
    case "backup_in_progress":
      return m.backupRunning(userText(reason.backupJobId || "?", 40));
    case "daily_limit":
      return m.today(reason.count, DAILY_BACKUP_LIMIT);
  }
}
