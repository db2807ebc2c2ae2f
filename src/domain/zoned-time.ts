/**
 * Wall-clock time in an IANA time zone, with the platform's own time zone data
 * (`Intl.DateTimeFormat`): no date library. Two questions are answered here: what does the clock on
 * the wall show at an instant, and when does it first show a given time.
 *
 * Daylight saving makes the second question subtle: on a spring-forward day some wall times never
 * happen (02:30 in New York on 2026-03-08), and on a fall-back day some happen twice (01:30 on
 * 2026-11-01). The answer used throughout is "the first instant at which the clock shows that time
 * or later": the earlier of two, and for a skipped time the moment the clock jumps past it.
 */

/** A local date and time, to the minute (months 1-12, weekdays 0 = Sunday … 6 = Saturday). */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone);
  if (!found) {
    found = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, found);
  }
  return found;
}

/** The time zone's canonical name, or `undefined` when the platform does not know it. */
export function canonicalTimeZone(name: string): string | undefined {
  if (name.trim() === "" || name !== name.trim()) return undefined;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** Every IANA time zone name the platform knows (for "did you mean …?"). */
export function knownTimeZones(): readonly string[] {
  return Intl.supportedValuesOf("timeZone");
}

/** The wall clock in `timeZone` at `instant`, with its seconds (for offsets). */
function wallParts(instantMs: number, timeZone: string): WallTime & { second: number } {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instantMs))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** What the clock in `timeZone` shows at `instant`, to the minute. */
export function wallTimeAt(instant: Date | number, timeZone: string): WallTime {
  const { second: _second, ...wall } = wallParts(
    typeof instant === "number" ? instant : instant.getTime(),
    timeZone,
  );
  return wall;
}

/** How far the zone's clock is ahead of UTC at `instant`, in milliseconds. */
export function offsetAt(instantMs: number, timeZone: string): number {
  const whole = Math.floor(instantMs / 1000) * 1000;
  const wall = wallParts(whole, timeZone);
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) - whole;
}

/** A wall time read as if it were UTC: a number that orders wall times and does date arithmetic. */
export function wallMs(wall: WallTime): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
}

/** The wall time `wallMs` stands for (normalised: 24:00 is the next day's 00:00). */
export function fromWallMs(ms: number): WallTime {
  const date = new Date(ms);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
  };
}

/** The weekday of a calendar date (0 = Sunday), which no time zone changes. */
export function weekdayOf(wall: Pick<WallTime, "year" | "month" | "day">): number {
  return new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay();
}

/**
 * The first instant at which the clock in `timeZone` shows `wall` or later: the instant itself for
 * an ordinary time, the earlier one for a time that happens twice, and for a time the clock skips
 * the moment it jumps past it.
 */
export function firstInstantAt(wall: WallTime, timeZone: string): number {
  const local = wallMs(wall);
  // Offsets a day either side: time zone rules change at most once in two days.
  const before = offsetAt(local - DAY_MS, timeZone);
  const after = offsetAt(local + DAY_MS, timeZone);
  const exact = [...new Set([local - before, local - after])]
    .filter((candidate) => offsetAt(candidate, timeZone) === local - candidate)
    .sort((a, b) => a - b);
  if (exact[0] !== undefined) return exact[0];
  // Skipped: the clock jumps from before `wall` to after it between these two instants.
  let low = Math.min(local - before, local - after);
  let high = Math.max(local - before, local - after);
  while (high - low > 1000) {
    const middle = Math.floor((low + high) / 2000) * 1000;
    if (wallMs(wallTimeAt(middle, timeZone)) >= local) high = middle;
    else low = middle;
  }
  return high;
}

/** Adds days to a calendar date (month and year ends handled). */
export function addDays(wall: WallTime, days: number): WallTime {
  return fromWallMs(wallMs(wall) + days * DAY_MS);
}

/** The same date at `minutes` after midnight (1440 is the next day's midnight). */
export function atMinutes(wall: WallTime, minutes: number): WallTime {
  return fromWallMs(Date.UTC(wall.year, wall.month - 1, wall.day) + minutes * MINUTE_MS);
}
