import { en, type Messages } from "./messages.en.js";
import { ja } from "./messages.ja.js";

export type { Messages };
export type Locale = "en" | "ja";

const catalogs: Record<Locale, Messages> = { en, ja };

export function messages(locale: Locale): Messages {
  return catalogs[locale];
}

/** A Slack locale (`ja-JP`, `en-US`, …) to one of ours: `ja-*` is Japanese, anything else English. */
export function localeFromSlack(slackLocale: string | undefined, fallback: Locale): Locale {
  if (!slackLocale) return fallback;
  return slackLocale.toLowerCase().startsWith("ja") ? "ja" : "en";
}

/**
 * A time in UTC, the zone named: the fallback inside a Slack date token (src/slack/dates.ts, which
 * shows each reader their own zone) and the form for places that cannot hold one.
 */
export function formatTime(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
