/** What a renderer needs to know about the reader and the workspace (all of it plain data or lookups). */
import { attrs, escapeHtml } from "./html.js";

export interface RenderContext {
  /** The reader's IANA time zone: date tokens and message times are shown in it. */
  timeZone: string;
  /** Epoch milliseconds: decides today/yesterday and `{ago}`. */
  now: number;
  /** A user's display name (`<@U…>`), or undefined when unknown. */
  userName(id: string): string | undefined;
  /** A channel's name without `#` (`<#C…>`), or undefined when unknown. */
  channelName(id: string): string | undefined;
  /** A user group's handle without `@` (`<!subteam^S…>`), or undefined when unknown. */
  groupHandle(id: string): string | undefined;
  /** People and channels that users and conversations selects offer. */
  directory: {
    users: ReadonlyArray<{ id: string; name: string }>;
    channels: ReadonlyArray<{ id: string; name: string }>;
  };
}

/** The class of everything the renderer shows because it does not know it (tests look for it). */
export const UNKNOWN_CLASS = "bk-unknown";

/** Something the renderer does not know, shown as such: its label, why, and the raw JSON if any. */
export function unknownHtml(label: string, why: string, raw?: unknown, block = false): string {
  const title = attrs({ class: UNKNOWN_CLASS, title: why });
  if (!block) return `<span${title}>${escapeHtml(label)}</span>`;
  const json =
    raw === undefined ? "" : `<pre class="bk-raw">${escapeHtml(JSON.stringify(raw, null, 2))}</pre>`;
  return `<div${title}><div class="bk-unknown-label">${escapeHtml(label)}</div><div class="bk-unknown-why">${escapeHtml(why)}</div>${json}</div>`;
}
