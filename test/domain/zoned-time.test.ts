/**
 * Wall-clock arithmetic in IANA time zones (src/domain/zoned-time.ts): examples at the clock
 * changes people trip over, and properties across zones with and without daylight saving.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  canonicalTimeZone,
  firstInstantAt,
  offsetAt,
  type WallTime,
  wallMs,
  wallTimeAt,
} from "../../src/domain/zoned-time.js";
import { instant, zone } from "./time-arbitraries.js";

const wall = (text: string): WallTime => {
  const [date = "", time = ""] = text.split(" ");
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const [hour, minute] = time.split(":").map(Number) as [number, number];
  return { year, month, day, hour, minute };
};
const iso = (ms: number) => new Date(ms).toISOString();

describe("the wall clock at an instant", () => {
  it("reads each zone's own time", () => {
    const at = Date.parse("2026-07-01T00:30:00Z");
    expect(wallTimeAt(at, "Asia/Tokyo")).toEqual(wall("2026-07-01 09:30"));
    expect(wallTimeAt(at, "America/New_York")).toEqual(wall("2026-06-30 20:30"));
    expect(wallTimeAt(at, "Asia/Kathmandu")).toEqual(wall("2026-07-01 06:15"));
    expect(offsetAt(at, "Pacific/Chatham")).toBe((12 * 60 + 45) * 60_000);
  });

  it("knows canonical names and refuses unknown ones", () => {
    expect(canonicalTimeZone("Asia/Tokyo")).toBe("Asia/Tokyo");
    expect(canonicalTimeZone("UTC")).toBe("UTC");
    expect(canonicalTimeZone("Asia/Tokio")).toBeUndefined();
    expect(canonicalTimeZone(" Asia/Tokyo")).toBeUndefined();
    expect(canonicalTimeZone("")).toBeUndefined();
  });
});

describe("the first instant the clock shows a time", () => {
  it("is the instant itself on an ordinary day", () => {
    expect(iso(firstInstantAt(wall("2026-12-02 01:30"), "Asia/Tokyo"))).toBe("2026-12-01T16:30:00.000Z");
  });

  it("is the moment the clock jumps past a time it skips (spring forward)", () => {
    // New York, 2026-03-08: 02:00 EST becomes 03:00 EDT at 07:00 UTC.
    expect(iso(firstInstantAt(wall("2026-03-08 02:30"), "America/New_York"))).toBe(
      "2026-03-08T07:00:00.000Z",
    );
    // Lord Howe moves by half an hour: 02:00 becomes 02:30.
    expect(iso(firstInstantAt(wall("2026-10-04 02:15"), "Australia/Lord_Howe"))).toBe(
      "2026-10-03T15:30:00.000Z",
    );
  });

  it("is the earlier of the two for a time that happens twice (fall back)", () => {
    // New York, 2026-11-01: 01:30 EDT (05:30 UTC), then 01:30 EST (06:30 UTC).
    expect(iso(firstInstantAt(wall("2026-11-01 01:30"), "America/New_York"))).toBe(
      "2026-11-01T05:30:00.000Z",
    );
    // London, 2026-10-25: 01:30 BST (00:30 UTC), then 01:30 GMT.
    expect(iso(firstInstantAt(wall("2026-10-25 01:30"), "Europe/London"))).toBe("2026-10-25T00:30:00.000Z");
  });

  it("round-trips: the instant of what the clock shows is the earliest with that time, and shows it", () => {
    fc.assert(
      fc.property(instant, zone, (at, timeZone) => {
        const shown = wallTimeAt(at, timeZone);
        const first = firstInstantAt(shown, timeZone);
        expect(wallTimeAt(first, timeZone)).toEqual(shown);
        expect(first).toBeLessThanOrEqual(at);
        // Within the same minute, or an hour (or half hour) earlier when the time happened twice.
        expect(at - first).toBeLessThan(2 * 3_600_000 + 60_000);
      }),
      { numRuns: 500 },
    );
  });

  it("is never before a moment the clock shows that time or later (skipped times included)", () => {
    fc.assert(
      fc.property(instant, zone, fc.integer({ min: 0, max: 1439 }), (at, timeZone, minutes) => {
        const day = wallTimeAt(at, timeZone);
        const target = { ...day, hour: Math.floor(minutes / 60), minute: minutes % 60 };
        const first = firstInstantAt(target, timeZone);
        expect(wallMs(wallTimeAt(first, timeZone))).toBeGreaterThanOrEqual(wallMs(target));
        // Every earlier moment of the 36 hours before showed an earlier time.
        for (let back = 1; back <= 36; back++) {
          const earlier = first - back * 3_600_000 + ((minutes * 7919) % 3_600_000);
          if (earlier >= first) continue;
          expect(wallMs(wallTimeAt(earlier, timeZone))).toBeLessThan(wallMs(target));
        }
      }),
      { numRuns: 300 },
    );
  });
});
