/** Instants and time zones for the property tests of zoned time, windows and start times. */
import fc from "fast-check";

/** Zones with every kind of rule: none, whole hours, half hours, 45 minutes, changes at midnight. */
export const ZONES = [
  "UTC",
  "Asia/Tokyo",
  "Asia/Kolkata",
  "Asia/Kathmandu",
  "America/New_York",
  "America/Los_Angeles",
  "America/St_Johns",
  "America/Santiago",
  "America/Havana",
  "America/Sao_Paulo",
  "Europe/London",
  "Europe/Berlin",
  "Africa/Casablanca",
  "Asia/Tehran",
  "Australia/Sydney",
  "Australia/Lord_Howe",
  "Pacific/Auckland",
  "Pacific/Chatham",
] as const;

/** Instants from 2015 to 2035, to the second. */
export const instant = fc
  .integer({ min: Date.UTC(2015, 0, 1) / 1000, max: Date.UTC(2035, 0, 1) / 1000 })
  .map((seconds) => seconds * 1000);
export const zone = fc.constantFrom(...ZONES);
