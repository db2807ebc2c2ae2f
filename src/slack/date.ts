/**
 * Times in mrkdwn as Slack date tokens (`<!date^unix^format|fallback>`): each reader sees the time
 * in their own time zone; clients that cannot render the token show the UTC fallback
 * (../shared/docs/slack-facts.md, "Times"). Tokens render in mrkdwn only, never in plain_text.
 */
import type { Locale } from "../domain/request.js";
import { formatTime, messages } from "../i18n/index.js";

/** `{date_short_pretty} {time}`: "today 01:30", "Dec 2 01:30", in the reader's time zone. */
export function slackDate(date: Date, format = "{date_short_pretty} {time}"): string {
  const unix = Math.floor(date.getTime() / 1000);
  return `<!date^${unix}^${format}|${formatTime(date)}>`;
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
