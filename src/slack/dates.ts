/**
 * Times as people read them in Slack. A date token (`<!date^unix^{date_short_pretty} {time}|…>`)
 * is shown by each reader's client in that reader's own time zone ("Today at 9:30 AM"); the text
 * after `|` is what clients that cannot render it (notifications, older clients) show instead, so
 * it names its zone. Slack's formatting guide, "Date formatting". mrkdwn only: plain_text shows
 * the token as typed, so plain_text places use `formatTime` (UTC, named).
 */
import type { Locale } from "../domain/request.js";
import { formatTime, messages } from "../i18n/index.js";

export function slackTime(date: Date): string {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) return "-";
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${formatTime(date)}>`;
}

/**
 * How long ago `date` was, as each reader's client says it when they look ("5 minutes ago"): the
 * `{ago}` date token, so a published view does not go stale as time passes. Fallback: the time.
 */
export function slackAgo(date: Date): string {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) return "-";
  return `<!date^${Math.floor(ms / 1000)}^{ago}|${formatTime(date)}>`;
}

/** How long until `target`, in the reader's language: "in 3 h 20 min" (as of `now`). */
export function timeUntil(target: Date, now: Date, locale: Locale): string {
  // Rounded up: a run 20 s away is "in 1 min"; one whose time has come is "any moment now".
  const minutes = Math.max(0, Math.ceil((target.getTime() - now.getTime()) / 60_000));
  return messages(locale).card.inAbout(
    Math.floor(minutes / 1440),
    Math.floor((minutes % 1440) / 60),
    minutes % 60,
  );
}
