/**
 * Backup windows and start times (src/domain/schedule.ts): how a window is written and read, when
 * it is open across time zones and clock changes, when an approved request runs, and the start
 * times people type. Properties check the window's openings against its plain reading on the
 * wall clock, in zones with and without daylight saving.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type BackupWindow,
  describeWindow,
  GRACE_MS,
  isOpen,
  MAX_LEAD_MS,
  nextClockTime,
  openingAtOrAfter,
  parseDays,
  parseRunAt,
  parseWindow,
  planRun,
  resolveRunAt,
  scheduleFor,
  timingAtApproval,
} from "../../src/domain/schedule.js";
import { offsetAt, wallTimeAt, weekdayOf } from "../../src/domain/zoned-time.js";
import { instant, zone } from "./time-arbitraries.js";

const at = (text: string) => new Date(text);
const iso = (date: Date) => date.toISOString();

function window(text: string): BackupWindow {
  const parsed = parseWindow(text);
  if (!parsed.ok) throw new Error(`${text}: ${JSON.stringify(parsed.error)}`);
  return parsed.value;
}

describe("writing a window", () => {
  it("reads times, a time zone and optional days, in any order", () => {
    expect(window("01:00-05:00 Asia/Tokyo")).toEqual({
      opens: 60,
      closes: 300,
      timeZone: "Asia/Tokyo",
      days: [0, 1, 2, 3, 4, 5, 6],
    });
    expect(window("Mon-Fri 01:00-05:00 Asia/Tokyo").days).toEqual([1, 2, 3, 4, 5]);
    expect(window("22:00-02:00 Europe/Berlin sat,sun")).toMatchObject({
      opens: 1320,
      closes: 120,
      days: [0, 6],
    });
    expect(window("0:00-24:00 UTC Fri-Mon").days).toEqual([0, 1, 5, 6]);
  });

  it("writes a window back the policy's way", () => {
    for (const text of [
      "01:00-05:00 Asia/Tokyo",
      "Mon-Fri 01:00-05:00 Asia/Tokyo",
      "Sat-Sun 22:00-02:00 Europe/Berlin",
      "Mon,Wed-Fri 00:00-24:00 UTC",
    ]) {
      expect(describeWindow(window(text))).toBe(text);
    }
  });

  it("says what is wrong with a window that cannot be read", () => {
    const error = (text: string) => {
      const parsed = parseWindow(text);
      return parsed.ok ? undefined : parsed.error;
    };
    expect(error("")).toEqual({ kind: "empty" });
    expect(error("Asia/Tokyo")).toEqual({ kind: "no_times" });
    expect(error("01:00-05:00")).toEqual({ kind: "no_zone" });
    expect(error("1-5 Asia/Tokyo")).toEqual({ kind: "times", value: "1-5" });
    expect(error("01:00-25:00 Asia/Tokyo")).toEqual({ kind: "times", value: "01:00-25:00" });
    expect(error("05:00-05:00 Asia/Tokyo")).toEqual({ kind: "same_times", value: "05:00-05:00" });
    expect(error("01:00-05:00 Asia/Tokio")).toEqual({ kind: "zone", value: "Asia/Tokio" });
    expect(error("Mon-Fry 01:00-05:00 UTC")).toEqual({ kind: "days", value: "Mon-Fry" });
    expect(error("01:00-05:00 UTC 02:00-03:00")).toEqual({ kind: "extra", value: "02:00-03:00" });
  });

  it("reads day lists and ranges, wrapping over the week's end", () => {
    expect(parseDays("Mon")).toEqual([1]);
    expect(parseDays("Fri-Mon")).toEqual([0, 1, 5, 6]);
    expect(parseDays("monday,Wednesday-FRI")).toEqual([1, 3, 4, 5]);
    expect(parseDays("Mo")).toBeUndefined();
    expect(parseDays("Mon--Fri")).toBeUndefined();
  });
});

describe("when a window is open", () => {
  it("opens on the days it names, in its own time zone", () => {
    const tokyo = window("Mon-Fri 01:00-05:00 Asia/Tokyo");
    // Friday 2026-12-04 02:00 in Tokyo is Thursday 17:00 UTC.
    expect(isOpen(tokyo, at("2026-12-03T17:00:00Z"))).toBe(true);
    // Saturday 02:00 in Tokyo: closed; the next opening is Monday 01:00.
    const saturday = openingAtOrAfter(tokyo, at("2026-12-04T17:00:00Z"));
    expect(iso(saturday.start)).toBe("2026-12-06T16:00:00.000Z");
    expect(iso(saturday.end)).toBe("2026-12-06T20:00:00.000Z");
  });

  it("stays open past midnight for a window that closes the next day, counted from the day it opens", () => {
    const friNight = window("Fri 22:00-02:00 UTC");
    expect(isOpen(friNight, at("2026-12-05T01:00:00Z"))).toBe(true); // Saturday 01:00
    expect(isOpen(friNight, at("2026-12-06T01:00:00Z"))).toBe(false); // Sunday 01:00
  });

  it("opens when the clock jumps past a skipped opening time, and lasts longer on a fall-back night", () => {
    const nightly = window("02:30-04:00 America/New_York");
    const spring = openingAtOrAfter(nightly, at("2026-03-08T05:00:00Z"));
    expect(iso(spring.start)).toBe("2026-03-08T07:00:00.000Z"); // 03:00 EDT
    expect(iso(spring.end)).toBe("2026-03-08T08:00:00.000Z"); // 04:00 EDT
    const fall = openingAtOrAfter(window("01:00-02:00 America/New_York"), at("2026-11-01T00:00:00Z"));
    expect(iso(fall.start)).toBe("2026-11-01T05:00:00.000Z"); // the first 01:00 (EDT)
    expect(iso(fall.end)).toBe("2026-11-01T07:00:00.000Z"); // 02:00 EST: two hours that night
  });

  const windowArb = fc
    .record({
      opens: fc.integer({ min: 0, max: 1439 }),
      length: fc.integer({ min: 1, max: 1440 }),
      days: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
      timeZone: zone,
    })
    .map(
      ({ opens, length, days, timeZone }): BackupWindow => ({
        opens,
        closes: length === 1440 && opens === 0 ? 1440 : (opens + length) % 1440 || 1440,
        timeZone,
        days: [...days].sort((a, b) => a - b),
      }),
    )
    .filter((w) => w.opens !== w.closes % 1440 || w.closes === 1440);

  /** The plain reading: the clock shows a time in the range, on a day the window opens (or the day after, past midnight). */
  function openByTheClock(w: BackupWindow, ms: number): boolean {
    const now = wallTimeAt(ms, w.timeZone);
    const minutes = now.hour * 60 + now.minute;
    const weekday = weekdayOf(now);
    if (w.closes > w.opens) return w.days.includes(weekday) && minutes >= w.opens && minutes < w.closes;
    return (
      (w.days.includes(weekday) && minutes >= w.opens) ||
      (w.days.includes((weekday + 6) % 7) && minutes < w.closes)
    );
  }

  /** Near a clock change the same time shows twice (or a day is short): the plain reading is ambiguous there. */
  function nearClockChange(timeZone: string, ms: number): boolean {
    return offsetAt(ms - 26 * 3_600_000, timeZone) !== offsetAt(ms + 26 * 3_600_000, timeZone);
  }

  it("agrees with the wall clock: open from each opening to its end, closed before it", () => {
    fc.assert(
      fc.property(
        windowArb,
        instant,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 }),
        (w, from, samples) => {
          const opening = openingAtOrAfter(w, new Date(from));
          const start = opening.start.getTime();
          const end = opening.end.getTime();
          expect(end).toBeGreaterThan(from);
          expect(end).toBeGreaterThan(start);
          expect(end - start).toBeLessThanOrEqual(1440 * 60_000 + 3_600_000);
          // Within a week and a day of `from`.
          expect(start - from).toBeLessThan(8 * 86_400_000);
          for (const fraction of samples) {
            const inside = start + Math.min(end - start - 1, Math.floor(fraction * (end - start)));
            if (!nearClockChange(w.timeZone, inside)) expect(openByTheClock(w, inside)).toBe(true);
            const before = from + Math.floor(fraction * Math.max(0, start - from - 1));
            if (before < start && !nearClockChange(w.timeZone, before)) {
              expect(openByTheClock(w, before)).toBe(false);
            }
          }
          // It opens on a day it names (the clock may have jumped past its opening time).
          if (!nearClockChange(w.timeZone, start)) {
            const opened = wallTimeAt(start, w.timeZone);
            expect(opened.hour * 60 + opened.minute).toBe(w.opens);
            expect(w.days).toContain(weekdayOf(opened));
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it("gives the opening that contains an instant inside it", () => {
    fc.assert(
      fc.property(windowArb, instant, (w, from) => {
        const opening = openingAtOrAfter(w, new Date(from));
        const mid = new Date(Math.floor((opening.start.getTime() + opening.end.getTime()) / 2));
        expect(openingAtOrAfter(w, mid)).toEqual(opening);
        expect(isOpen(w, mid)).toBe(true);
        expect(isOpen(w, new Date(opening.end.getTime()))).toBe(
          openingAtOrAfter(w, opening.end).start.getTime() === opening.end.getTime(),
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe("planning a run", () => {
  it("runs at the asked time inside the window, else at the next opening; without a window, with an hour's grace", () => {
    const tokyo = window("01:00-05:00 Asia/Tokyo");
    const inside = planRun(at("2026-12-01T17:30:00Z"), tokyo); // 02:30 in Tokyo
    expect(iso(inside.startAt)).toBe("2026-12-01T17:30:00.000Z");
    expect(iso(inside.deadline)).toBe("2026-12-01T20:00:00.000Z");
    const outside = planRun(at("2026-12-01T03:00:00Z"), tokyo); // 12:00 in Tokyo
    expect(iso(outside.startAt)).toBe("2026-12-01T16:00:00.000Z");
    const bare = planRun(at("2026-12-01T03:00:00Z"), undefined);
    expect(bare.deadline.getTime() - bare.startAt.getTime()).toBe(GRACE_MS);
  });

  it("never starts before it was wanted, always inside the window, before its deadline", () => {
    const windowArb = fc
      .record({
        opens: fc.integer({ min: 0, max: 1439 }),
        length: fc.integer({ min: 1, max: 1439 }),
        days: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
        timeZone: zone,
      })
      .map(
        ({ opens, length, days, timeZone }): BackupWindow => ({
          opens,
          closes: (opens + length) % 1440 || 1440,
          timeZone,
          days: [...days].sort((a, b) => a - b),
        }),
      );
    fc.assert(
      fc.property(fc.option(windowArb, { nil: undefined }), instant, (w, from) => {
        const plan = planRun(new Date(from), w);
        expect(plan.startAt.getTime()).toBeGreaterThanOrEqual(from);
        expect(plan.deadline.getTime()).toBeGreaterThan(plan.startAt.getTime());
        if (w) {
          expect(isOpen(w, plan.startAt)).toBe(true);
          if (isOpen(w, new Date(from))) expect(plan.startAt.getTime()).toBe(from);
          expect(openingAtOrAfter(w, plan.startAt).end).toEqual(plan.deadline);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("decides at approval: now, later, or too late", () => {
    const asked = at("2026-12-01T17:30:00Z");
    const schedule = scheduleFor(asked, undefined);
    expect(timingAtApproval(undefined, at("2026-12-01T00:00:00Z"))).toEqual({ kind: "now" });
    expect(timingAtApproval(schedule, at("2026-12-01T17:00:00Z")).kind).toBe("later");
    // Still pending at its start time: approved within the hour's grace, it runs at once.
    expect(timingAtApproval(schedule, at("2026-12-01T18:00:00Z")).kind).toBe("now");
    expect(timingAtApproval(schedule, at("2026-12-01T18:30:00Z")).kind).toBe("too_late");
    // A window and no time asked: at once while it is open, else at its next opening.
    const windowOnly = scheduleFor(undefined, window("01:00-05:00 Asia/Tokyo"));
    expect(timingAtApproval(windowOnly, at("2026-12-01T17:30:00Z"))).toEqual({ kind: "now" });
    const later = timingAtApproval(windowOnly, at("2026-12-01T03:00:00Z"));
    expect(later.kind === "later" && iso(later.plan.startAt)).toBe("2026-12-01T16:00:00.000Z");
  });
});

describe("the start time people type", () => {
  it("reads ISO 8601 with an offset, and clock times", () => {
    expect(parseRunAt("2026-12-02T01:30+09:00")).toEqual({
      ok: true,
      value: { kind: "instant", at: at("2026-12-01T16:30:00Z") },
    });
    expect(parseRunAt("2026-12-02T01:30:15.5Z")).toEqual({
      ok: true,
      value: { kind: "instant", at: at("2026-12-02T01:30:15Z") },
    });
    expect(parseRunAt("2026-12-02T01:30-0330")).toMatchObject({ ok: true });
    expect(parseRunAt("01:30")).toEqual({ ok: true, value: { kind: "clock", hour: 1, minute: 30 } });
  });

  it("refuses what it cannot read, and a date without an offset", () => {
    const code = (text: string) => {
      const parsed = parseRunAt(text);
      return parsed.ok ? undefined : parsed.problems[0]?.code;
    };
    expect(code("2026-12-02T01:30")).toBe("run_at_needs_offset");
    expect(code("2026-02-30T01:30Z")).toBe("run_at_format");
    expect(code("24:00")).toBe("run_at_format");
    expect(code("tomorrow")).toBe("run_at_format");
    expect(code("2026-12-02T01:30+15:00")).toBe("run_at_format");
  });

  it("refuses a time in the past or more than 14 days ahead, and a clock time without a time zone", () => {
    const now = at("2026-12-01T00:00:00Z");
    const problem = (input: Parameters<typeof resolveRunAt>[0], tz?: string) => {
      const resolved = resolveRunAt(input, now, tz);
      return resolved.ok ? undefined : resolved.problems[0]?.code;
    };
    expect(problem({ kind: "instant", at: at("2026-11-30T23:59:00Z") })).toBe("run_at_past");
    expect(problem({ kind: "instant", at: new Date(now.getTime() + MAX_LEAD_MS + 60_000) })).toBe(
      "run_at_too_far",
    );
    expect(problem({ kind: "instant", at: new Date(now.getTime() + MAX_LEAD_MS) })).toBeUndefined();
    expect(problem({ kind: "clock", hour: 1, minute: 30 })).toBe("run_at_no_time_zone");
    expect(problem({ kind: "clock", hour: 1, minute: 30 }, "Mars/Olympus")).toBe("run_at_no_time_zone");
  });

  it("takes a clock time as the next such time in the requester's time zone", () => {
    const now = at("2026-12-01T17:00:00Z"); // 02:00 on Dec 2 in Tokyo
    expect(iso(nextClockTime(now, 1, 30, "Asia/Tokyo"))).toBe("2026-12-02T16:30:00.000Z");
    expect(iso(nextClockTime(now, 3, 0, "Asia/Tokyo"))).toBe("2026-12-01T18:00:00.000Z");
    // 02:30 does not exist in New York on 2026-03-08: the run starts when the clock jumps past it.
    expect(iso(nextClockTime(at("2026-03-08T06:00:00Z"), 2, 30, "America/New_York"))).toBe(
      "2026-03-08T07:00:00.000Z",
    );
  });

  it("the next clock time is after now, within a day and an hour, and shows that time when it exists", () => {
    fc.assert(
      fc.property(
        instant,
        zone,
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        (now, tz, hour, minute) => {
          const next = nextClockTime(new Date(now), hour, minute, tz);
          expect(next.getTime()).toBeGreaterThan(now);
          expect(next.getTime() - now).toBeLessThanOrEqual(25 * 3_600_000);
          const shown = wallTimeAt(next, tz);
          if (offsetAt(next.getTime() - 3 * 3_600_000, tz) === offsetAt(next.getTime() + 3 * 3_600_000, tz)) {
            expect([shown.hour, shown.minute]).toEqual([hour, minute]);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
