/** The requester's reason, as shown: escaped like all user text, so `<!channel>` in it never pings. */
import { userText } from "../text.js";

/** The reason as written, line breaks kept (the card). */
export function reasonText(reason: string, max = 500): string {
  return userText(reason, max);
}

/** The reason on one line (status, history, a channel summary): runs of blanks become one space. */
export function reasonInline(reason: string, max: number): string {
  return userText(reason.replace(/\s+/g, " ").trim(), max);
}
