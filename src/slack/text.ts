/** Text safety for Slack: escaping what people typed, and keeping within Block Kit's limits. */

/**
 * Escapes `&`, `<` and `>` so text from users or APIs cannot become a mention (`<!channel>`),
 * a link or a user reference when shown in mrkdwn.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Control and direction-changing characters (newlines and tabs excepted) that garble a message. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g;

export function stripControl(text: string): string {
  return text.replace(CONTROL, "");
}

/** Shortens to at most `max` characters (code points), marking the cut. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/** User- or API-supplied text, made safe to place in mrkdwn. */
export function userText(text: string | undefined, max = 500): string {
  return escapeMrkdwn(truncate(stripControl(text ?? ""), max));
}

/** Plain-text fields (labels, options) are not parsed as mrkdwn, but still have length limits. */
export function plain(text: string, max: number): string {
  return truncate(stripControl(text), max);
}

const SLACK_ID = /^[A-Z0-9]{2,}$/;

/** A user mention; ids come from signed payloads, but are checked so nothing else becomes markup. */
export const mention = (userId: string): string =>
  SLACK_ID.test(userId) ? `<@${userId}>` : userText(userId, 40);
/** A user group mention (`<!subteam^S…>`), which notifies its members; checked like a user id. */
export const groupMention = (groupId: string): string =>
  SLACK_ID.test(groupId) ? `<!subteam^${groupId}>` : userText(groupId, 40);
export const channelLink = (channelId: string): string =>
  SLACK_ID.test(channelId) ? `<#${channelId}>` : userText(channelId, 40);
