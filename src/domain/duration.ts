/**
 * Durations as the contract writes them: a whole number and a unit, `s`, `m`, `h` or `d` (`90s`,
 * `30m`, `2h`, `1d`). One parser for the environment (RDS_LISTING_LAG, APPROVAL_REMINDER_AFTER)
 * and the policy file (`remind_after`), so both read the same text the same way.
 */

export const DURATION_UNITS_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
type Unit = keyof typeof DURATION_UNITS_MS;

/** Up to 7 digits: 9999999d is far beyond anything useful, and stays an exact JS number. */
export const DURATION_PATTERN = /^\d{1,7}[smhd]$/;

/** What a malformed duration is told (after the variable or key it belongs to). */
export const DURATION_EXPECTED = "a whole number and a unit s, m, h or d, such as 90s or 2m";

/** The duration in milliseconds, or `undefined` when `text` is not one (no spaces, no fractions). */
export function parseDuration(text: string): number | undefined {
  if (!DURATION_PATTERN.test(text)) return undefined;
  return Number(text.slice(0, -1)) * DURATION_UNITS_MS[text.slice(-1) as Unit];
}

/** The shortest way to write `ms` in the same notation (`7200000` → `2h`, `90000` → `90s`). */
export function formatDuration(ms: number): string {
  for (const unit of ["d", "h", "m"] as const) {
    const size = DURATION_UNITS_MS[unit];
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${Math.round(ms / 1000)}s`;
}
