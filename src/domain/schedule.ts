/**
 * When an approved backup runs: the time a requester asks for (`run_at` in the form, `at=` inline),
 * the policy's backup window (`window: "Mon-Fri 01:00-05:00 Asia/Tokyo"`), and how the two combine.
 *
 * The rules (issue 16):
 * - No time asked and no window: the backup starts as soon as it is approved.
 * - A time asked: it runs then (a time in the past or more than 14 days ahead is refused).
 * - A window: it runs only while the window is open: at the asked time (or the approval) when that
 *   is inside it, else at the window's next opening.
 * - Approval must come before the start time. A request still pending at its start time may be
 *   approved while the window lasts (without a window, for an hour's grace) and then runs at once;
 *   after that it can no longer run. The same limit ends the tries at run time when the instance is
 *   not ready: a scheduled run that has not started when the window closes ends, and nothing ran.
 *
 * A window is read on the wall clock of its own time zone: it is open while the clock there shows a
 * time from its opening to its closing, on the days it names (the day it opens, for a window that
 * closes after midnight). Daylight saving follows src/domain/zoned-time.ts: a window opens the first
 * time the clock shows its opening time or later.
 */
import type { Problem, Validation } from "./params.js";
import {
  addDays,
  atMinutes,
  canonicalTimeZone,
  firstInstantAt,
  wallTimeAt,
  weekdayOf,
} from "./zoned-time.js";

/** How far ahead a backup may be asked for. */
export const MAX_LEAD_MS = 14 * 86_400_000;
/** Without a window: how long after its start time a request may still be approved, or started. */
export const GRACE_MS = 3_600_000;
/** The error code of a scheduled run that never started (its request ends `failed`; nothing ran). */
export const SCHEDULE_MISSED = "ScheduleMissed";
/** The form field and inline key's name in problems (the modal's block id). */
export const RUN_AT_FIELD = "run_at";

export const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const MINUTES_PER_DAY = 1440;

/** A backup window from the policy. */
export interface BackupWindow {
  /** Minutes after local midnight when it opens (0-1439). */
  opens: number;
  /** Minutes after local midnight when it closes (1-1440); at or before `opens`: the next day. */
  closes: number;
  /** IANA time zone name, canonical. */
  timeZone: string;
  /** The days it opens on (0 = Sunday … 6 = Saturday), sorted; all seven when the policy names none. */
  days: readonly number[];
}

/** One opening of a window: from `start` (inclusive) to `end` (exclusive). */
export interface Opening {
  start: Date;
  end: Date;
}

// ─── Writing and reading windows ────────────────────────────────────────────────────────────────

export type WindowError =
  | { kind: "empty" }
  | { kind: "no_times" }
  | { kind: "times"; value: string }
  | { kind: "same_times"; value: string }
  | { kind: "no_zone" }
  | { kind: "zone"; value: string }
  | { kind: "days"; value: string }
  | { kind: "extra"; value: string };

const TIME_RANGE = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/;
const DAY_SPEC = /^[A-Za-z]{3,9}([-,][A-Za-z]{3,9})*$/;
const FULL_DAY_NAMES = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

function dayIndex(name: string): number | undefined {
  const lower = name.toLowerCase();
  const index = FULL_DAY_NAMES.findIndex((full) => full === lower || full.slice(0, 3) === lower);
  return index < 0 ? undefined : index;
}

/** `Mon-Fri`, `Sat,Sun`, `Mon,Wed-Fri`, `Fri-Mon` (wrapping over the weekend); undefined if not days. */
export function parseDays(text: string): number[] | undefined {
  if (!DAY_SPEC.test(text)) return undefined;
  const days = new Set<number>();
  for (const part of text.split(",")) {
    const [from, to, ...rest] = part.split("-");
    if (from === undefined || rest.length > 0) return undefined;
    const first = dayIndex(from);
    const last = to === undefined ? first : dayIndex(to);
    if (first === undefined || last === undefined) return undefined;
    for (let day = first; ; day = (day + 1) % 7) {
      days.add(day);
      if (day === last) break;
    }
  }
  return [...days].sort((a, b) => a - b);
}

function parseTimes(text: string): { opens: number; closes: number } | "bad" | "same" {
  const match = TIME_RANGE.exec(text);
  if (!match) return "bad";
  const [h1, m1, h2, m2] = match.slice(1).map(Number) as [number, number, number, number];
  if (h1 > 23 || m1 > 59 || m2 > 59 || h2 > 24 || (h2 === 24 && m2 !== 0)) return "bad";
  const opens = h1 * 60 + m1;
  const closes = h2 * 60 + m2;
  if (opens === closes % MINUTES_PER_DAY && closes !== MINUTES_PER_DAY) return "same";
  return { opens, closes };
}

/**
 * Reads a window as the policy writes it: `01:00-05:00 Asia/Tokyo`, optionally with days
 * (`Mon-Fri 01:00-05:00 Asia/Tokyo`; the parts in any order). `22:00-02:00` closes the next day;
 * `00:00-24:00` is the whole day. The time zone is required: a window is never read in the bot's
 * own time zone by accident.
 */
export function parseWindow(
  text: string,
): { ok: true; value: BackupWindow } | { ok: false; error: WindowError } {
  const tokens = text
    .trim()
    .split(/\s+/)
    .filter((token) => token !== "");
  if (tokens.length === 0) return { ok: false, error: { kind: "empty" } };
  let times: { opens: number; closes: number } | undefined;
  let days: number[] | undefined;
  let timeZone: string | undefined;
  for (const token of tokens) {
    if (/^\d/.test(token)) {
      const parsed = parseTimes(token);
      if (parsed === "bad") return { ok: false, error: { kind: "times", value: token } };
      if (parsed === "same") return { ok: false, error: { kind: "same_times", value: token } };
      if (times) return { ok: false, error: { kind: "extra", value: token } };
      times = parsed;
      continue;
    }
    const asDays = parseDays(token);
    if (asDays) {
      if (days) return { ok: false, error: { kind: "extra", value: token } };
      days = asDays;
      continue;
    }
    const zone = canonicalTimeZone(token);
    if (!zone) {
      // Something that reads like days but is not (`Mon-Fry`) is about the days, not a zone.
      const kind = DAY_SPEC.test(token) && !token.includes("/") && token.length <= 15 ? "days" : "zone";
      return { ok: false, error: { kind, value: token } };
    }
    if (timeZone) return { ok: false, error: { kind: "extra", value: token } };
    timeZone = zone;
  }
  if (!times) return { ok: false, error: { kind: "no_times" } };
  if (!timeZone) return { ok: false, error: { kind: "no_zone" } };
  return { ok: true, value: { ...times, timeZone, days: days ?? [0, 1, 2, 3, 4, 5, 6] } };
}

const pad = (n: number) => String(n).padStart(2, "0");
const clock = (minutes: number) => `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;

/** The days as people write them: `Mon-Fri`, `Sat,Sun`, `Mon,Wed-Fri`; empty for every day. */
export function describeDays(days: readonly number[]): string {
  if (days.length === 7) return "";
  const runs: [number, number][] = [];
  for (const day of days) {
    const last = runs.at(-1);
    if (last && last[1] === day - 1) last[1] = day;
    else runs.push([day, day]);
  }
  // Sat,Sun and Sun-… wrap over the week's end: Sat-Sun reads better than Sun,Sat.
  const first = runs[0];
  const final = runs.at(-1);
  if (runs.length > 1 && first && final && first[0] === 0 && final[1] === 6) {
    runs.shift();
    final[1] = first[1];
  }
  return runs
    .map(([from, to]) => (from === to ? WEEKDAYS[from] : `${WEEKDAYS[from]}-${WEEKDAYS[to % 7]}`))
    .join(",");
}

/** The window written back the policy's way: `Mon-Fri 01:00-05:00 Asia/Tokyo`. */
export function describeWindow(window: BackupWindow): string {
  const days = describeDays(window.days);
  const times = `${clock(window.opens)}-${clock(window.closes)}`;
  return [days, times, window.timeZone].filter((part) => part !== "").join(" ");
}

// ─── When a window is open ──────────────────────────────────────────────────────────────────────

/** The window's opening on a local date, when it opens that day. */
function openingOn(
  window: BackupWindow,
  date: { year: number; month: number; day: number },
): Opening | undefined {
  if (!window.days.includes(weekdayOf(date))) return undefined;
  const day = { ...date, hour: 0, minute: 0 };
  const closesNextDay = window.closes <= window.opens;
  const start = firstInstantAt(atMinutes(day, window.opens), window.timeZone);
  const end = firstInstantAt(
    atMinutes(closesNextDay ? addDays(day, 1) : day, window.closes),
    window.timeZone,
  );
  // A clock change can swallow a short window whole: then it does not open that day.
  return end > start ? { start: new Date(start), end: new Date(end) } : undefined;
}

/** The opening that contains `at`, or else the next one: the first whose end is after `at`. */
export function openingAtOrAfter(window: BackupWindow, at: Date): Opening {
  // From the day before (a window that closes after midnight may have opened then); with at least
  // one day a week, an opening comes within eight days.
  const today = wallTimeAt(at, window.timeZone);
  for (let offset = -1; offset <= 8; offset++) {
    const opening = openingOn(window, addDays(today, offset));
    if (opening && opening.end.getTime() > at.getTime()) return opening;
  }
  throw new Error(`window ${describeWindow(window)} does not open within a week of ${at.toISOString()}`);
}

export function isOpen(window: BackupWindow, at: Date): boolean {
  return openingAtOrAfter(window, at).start.getTime() <= at.getTime();
}

// ─── Planning a run ─────────────────────────────────────────────────────────────────────────────

/** When a backup starts and the latest it may still start. */
export interface RunPlan {
  startAt: Date;
  /** The window's close, or the grace after `startAt` without a window. */
  deadline: Date;
}

/** The run for a backup wanted from `from` on (the asked time, or the approval) under `window`. */
export function planRun(from: Date, window: BackupWindow | undefined): RunPlan {
  if (!window) return { startAt: from, deadline: new Date(from.getTime() + GRACE_MS) };
  const opening = openingAtOrAfter(window, from);
  return {
    startAt: new Date(Math.max(from.getTime(), opening.start.getTime())),
    deadline: opening.end,
  };
}

/** What a request keeps about when it runs (on the request, in the store). */
export interface RunSchedule {
  /** The time the requester asked for; absent: as soon as approved. */
  askedFor?: Date | undefined;
  /** The policy's window when the request was filed. */
  window?: BackupWindow | undefined;
  /** When it is due and the latest it may start: known from filing with a time asked, else once approved. */
  startAt?: Date | undefined;
  deadline?: Date | undefined;
  /** Checks at run time that found the instance not ready, and when the next one is. */
  notReady?: { checks: number; since: Date; nextTryAt: Date } | undefined;
}

/** The schedule of a new request, or `undefined` when it simply runs once approved. */
export function scheduleFor(
  askedFor: Date | undefined,
  window: BackupWindow | undefined,
): RunSchedule | undefined {
  if (!askedFor && !window) return undefined;
  return { ...(window ? { window } : {}), ...(askedFor ? { askedFor, ...planRun(askedFor, window) } : {}) };
}

export type ApprovalTiming =
  /** Runs now (no schedule, or its start time has come and it may still start). */
  | { kind: "now" }
  /** Runs at `plan.startAt`. */
  | { kind: "later"; plan: RunPlan }
  /** Its last chance to start has passed: it can no longer run. */
  | { kind: "too_late"; plan: RunPlan };

/** What an approval completed at `now` means for a request with this schedule. */
export function timingAtApproval(schedule: RunSchedule | undefined, now: Date): ApprovalTiming {
  if (!schedule || (!schedule.askedFor && !schedule.window)) return { kind: "now" };
  const plan =
    schedule.startAt && schedule.deadline
      ? { startAt: schedule.startAt, deadline: schedule.deadline }
      : planRun(schedule.askedFor ?? now, schedule.window);
  if (now.getTime() >= plan.deadline.getTime()) return { kind: "too_late", plan };
  if (plan.startAt.getTime() <= now.getTime()) return { kind: "now" };
  return { kind: "later", plan };
}

/** The latest moment a pending request may still be approved, when its schedule sets one. */
export function approveBy(schedule: RunSchedule | undefined): Date | undefined {
  return schedule?.askedFor ? schedule.deadline : undefined;
}

// ─── The time a requester asks for ──────────────────────────────────────────────────────────────

/** A start time as typed: an instant, or a clock time in the requester's time zone. */
export type RunAtInput = { kind: "instant"; at: Date } | { kind: "clock"; hour: number; minute: number };

const ISO_WITH_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|z|[+-]\d{2}:?\d{2})?$/;
const CLOCK = /^(\d{1,2}):(\d{2})$/;

function runAtProblem(code: Problem["code"], value: string): Validation<never> {
  return { ok: false, problems: [{ field: RUN_AT_FIELD, code, value }] };
}

/**
 * Reads `at=`: ISO 8601 with an offset (`2026-12-02T01:30+09:00`, `…Z`) or a clock time (`01:30`).
 * A date and time without an offset is refused: it does not say whose 01:30 it is.
 */
export function parseRunAt(text: string): Validation<RunAtInput> {
  const value = text.trim();
  const clockMatch = CLOCK.exec(value);
  if (clockMatch) {
    const hour = Number(clockMatch[1]);
    const minute = Number(clockMatch[2]);
    if (hour > 23 || minute > 59) return runAtProblem("run_at_format", value);
    return { ok: true, value: { kind: "clock", hour, minute } };
  }
  const match = ISO_WITH_TIME.exec(value);
  if (!match) return runAtProblem("run_at_format", value);
  const [year, month, day, hour, minute, second = 0] = match
    .slice(1, 7)
    .map((part) => (part === undefined ? undefined : Number(part))) as number[];
  const offsetText = match[7];
  const fields = [year, month, day, hour, minute] as [number, number, number, number, number];
  const utc = Date.UTC(fields[0], fields[1] - 1, fields[2], fields[3], fields[4], second);
  const back = new Date(utc);
  const real =
    back.getUTCFullYear() === fields[0] &&
    back.getUTCMonth() === fields[1] - 1 &&
    back.getUTCDate() === fields[2] &&
    fields[3] <= 23 &&
    fields[4] <= 59 &&
    second <= 59;
  if (!real) return runAtProblem("run_at_format", value);
  if (!offsetText) return runAtProblem("run_at_needs_offset", value);
  let offsetMs = 0;
  if (offsetText.toUpperCase() !== "Z") {
    const digits = offsetText.replace(":", "");
    const hours = Number(digits.slice(1, 3));
    const minutes = Number(digits.slice(3, 5));
    if (hours > 14 || minutes > 59) return runAtProblem("run_at_format", value);
    offsetMs = (digits.startsWith("-") ? -1 : 1) * (hours * 60 + minutes) * 60_000;
  }
  return { ok: true, value: { kind: "instant", at: new Date(utc - offsetMs) } };
}

/** The next time after `now` the clock in `timeZone` shows `hour:minute`. */
export function nextClockTime(now: Date, hour: number, minute: number, timeZone: string): Date {
  const today = wallTimeAt(now, timeZone);
  for (let offset = 0; offset <= 2; offset++) {
    const day = addDays(today, offset);
    const at = firstInstantAt({ ...day, hour, minute }, timeZone);
    if (at > now.getTime()) return new Date(at);
  }
  throw new Error(`no ${hour}:${minute} within two days in ${timeZone}`);
}

/**
 * The instant a requested start time stands for, checked: not in the past, at most 14 days ahead.
 * A clock time needs the requester's time zone (Slack's `users.info`).
 */
export function resolveRunAt(input: RunAtInput, now: Date, timeZone: string | undefined): Validation<Date> {
  let at: Date;
  if (input.kind === "clock") {
    const zone = timeZone ? canonicalTimeZone(timeZone) : undefined;
    const typed = `${pad(input.hour)}:${pad(input.minute)}`;
    if (!zone) return runAtProblem("run_at_no_time_zone", typed);
    at = nextClockTime(now, input.hour, input.minute, zone);
  } else {
    at = input.at;
  }
  if (at.getTime() < now.getTime()) return runAtProblem("run_at_past", at.toISOString());
  if (at.getTime() - now.getTime() > MAX_LEAD_MS) return runAtProblem("run_at_too_far", at.toISOString());
  return { ok: true, value: at };
}
