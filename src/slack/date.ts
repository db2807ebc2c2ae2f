/**
 * Times in mrkdwn as Slack date tokens (`<!date^unix^format|fallback>`): each reader sees the time
 * in their own time zone; clients that cannot render the token show the UTC fallback
 * (../shared/docs/slack-facts.md, "Times"). Tokens render in mrkdwn only, never in plain_text.
 */
import { formatTime } from "../i18n/index.js";

/** `{date_short_pretty} {time}`: "today 01:30", "Dec 2 01:30", in the reader's time zone. */
export function slackDate(date: Date, format = "{date_short_pretty} {time}"): string {
  const unix = Math.floor(date.getTime() / 1000);
  return `<!date^${unix}^${format}|${formatTime(date)}>`;
}
