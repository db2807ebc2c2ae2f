/**
 * Times as people read them in Slack. A date token (`<!date^unix^{date_short_pretty} {time}|…>`)
 * is shown by each reader's client in that reader's own time zone ("Today at 9:30 AM"); the text
 * after `|` is what clients that cannot render it (notifications, older clients) show instead, so
 * it names its zone. Slack's formatting guide, "Date formatting". mrkdwn only: plain_text shows
 * the token as typed, so plain_text places use `formatTime` (UTC, named).
 */
import { formatTime } from "../i18n/index.js";

export function slackTime(date: Date): string {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) return "-";
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${formatTime(date)}>`;
}
