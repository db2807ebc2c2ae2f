/**
 * Slack's date tokens (`<!date^1700000000^{date_short_pretty} at {time}|fallback>`) as a reader sees
 * them: in the reader's time zone. The tokens and their output follow the list in `@slack/types`
 * (`RichTextDate.format` in node_modules/@slack/types/dist/block-kit/block-elements.d.ts), in
 * English and with a 12-hour clock, Slack's defaults. `today`, `yesterday` and `tomorrow` are
 * capitalised when they open the text, as Slack's clients do.
 */

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

interface LocalTime {
  year: number;
  /** 0–11 */
  month: number;
  day: number;
  /** 0 = Sunday */
  weekday: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock reading of an instant in a time zone. Throws RangeError for an unknown zone. */
export function localTime(epochMs: number, timeZone: string): LocalTime {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "numeric",
      day: "numeric",
      weekday: "short",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      hourCycle: "h23",
    });
    formatters.set(timeZone, format);
  }
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(new Date(epochMs))) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month) - 1,
    day: Number(parts.day),
    weekday: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(parts.weekday ?? ""),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${["th", "st", "nd", "rd"][n % 10] ?? "th"}`;
}

const pad = (n: number) => String(n).padStart(2, "0");

function clock(t: LocalTime, seconds: boolean): string {
  const hour = t.hour % 12 === 0 ? 12 : t.hour % 12;
  return `${hour}:${pad(t.minute)}${seconds ? `:${pad(t.second)}` : ""} ${t.hour < 12 ? "AM" : "PM"}`;
}

/** Days from `now` to `then` counted in calendar days of the zone (0 today, -1 yesterday, 1 tomorrow). */
function calendarDays(then: LocalTime, now: LocalTime): number {
  return Math.round(
    (Date.UTC(then.year, then.month, then.day) - Date.UTC(now.year, now.month, now.day)) / 86_400_000,
  );
}

function relativeDay(then: LocalTime, now: LocalTime): string | undefined {
  return { [-1]: "yesterday", 0: "today", 1: "tomorrow" }[calendarDays(then, now)];
}

function ago(epochMs: number, nowMs: number): string {
  const seconds = Math.round((nowMs - epochMs) / 1000);
  const size = Math.abs(seconds);
  const units: Array<[number, string]> = [
    [365 * 86_400, "year"],
    [30 * 86_400, "month"],
    [86_400, "day"],
    [3_600, "hour"],
    [60, "minute"],
  ];
  const [unit, name] = units.find(([length]) => size >= length) ?? [1, "second"];
  const count = Math.floor(size / unit);
  const phrase = `${count} ${name}${count === 1 ? "" : "s"}`;
  return seconds >= 0 ? `${phrase} ago` : `in ${phrase}`;
}

/**
 * The text Slack shows for a date token's `format` at `epochSeconds`, in `timeZone`, with `nowMs`
 * deciding today/yesterday/tomorrow and `{ago}`; undefined when the format holds a token Slack's
 * list does not have (Slack then shows the fallback).
 */
export function formatSlackDate(
  epochSeconds: number,
  format: string,
  timeZone: string,
  nowMs: number,
): string | undefined {
  const epochMs = epochSeconds * 1000;
  const t = localTime(epochMs, timeZone);
  const now = localTime(nowMs, timeZone);
  const month = MONTHS[t.month] ?? "";
  const weekday = WEEKDAYS[t.weekday] ?? "";
  const dateLong = `${weekday}, ${month} ${ordinal(t.day)}, ${t.year}`;
  const dateShort = `${month.slice(0, 3)} ${t.day}, ${t.year}`;
  const dateBare = `${month} ${t.day}`;
  const relative = relativeDay(t, now);
  const tokens: Record<string, () => string> = {
    date_num: () => `${t.year}-${pad(t.month + 1)}-${pad(t.day)}`,
    date_slash: () => `${pad(t.day)}/${pad(t.month + 1)}/${t.year}`,
    date_long: () => dateLong,
    date_long_full: () => `${dateBare}, ${t.year}`,
    date_long_pretty: () => relative ?? dateLong,
    date: () => dateBare,
    date_pretty: () => relative ?? dateBare,
    date_short: () => dateShort,
    date_short_pretty: () => relative ?? dateShort,
    day_divider_pretty: () =>
      relative ?? (t.year === now.year ? `${weekday}, ${month} ${ordinal(t.day)}` : dateLong),
    time: () => clock(t, false),
    time_secs: () => clock(t, true),
    ago: () => ago(epochMs, nowMs),
  };
  let unknown = false;
  const text = format.replace(/\{([a-z_]+)\}/g, (whole, name: string) => {
    const token = tokens[name];
    if (!token) {
      unknown = true;
      return whole;
    }
    return token();
  });
  if (unknown) return undefined;
  return /^(today|yesterday|tomorrow)/.test(text) ? text[0]?.toUpperCase() + text.slice(1) : text;
}
