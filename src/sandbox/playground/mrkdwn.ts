/**
 * Slack's text formatting as HTML: mrkdwn (https://docs.slack.dev/messaging/formatting-message-text)
 * and plain_text. Pure: the same text and context always give the same HTML.
 *
 * - `<…>` control sequences: user, channel and group mentions, `@here`/`@channel`/`@everyone`,
 *   links, and date tokens shown in the reader's time zone.
 * - `*bold*`, `_italic_`, `~strike~`, `` `code` ``, ```` ```blocks``` ````, `>` quotes, bare URLs,
 *   `:emoji:`; the three entities Slack escapes (`&amp;`, `&lt;`, `&gt;`) are shown as characters.
 * - Anything Slack would not understand either (an unknown `<!…>` command, an emoji name Slack does
 *   not have, a date format it lacks) is marked as unknown, never dropped.
 */
import { emoji } from "./emoji.js";
import { attrs, decodeSlackEntities, escapeHtml } from "./html.js";
import { type RenderContext, unknownHtml } from "./render-context.js";
import { formatSlackDate } from "./slack-dates.js";

/** First character of the private-use area: finished HTML is held out of the text as one such character. */
const HELD = 0xe000;
const HELD_RANGE = /[\uE000-\uF8FF]/g;
const HAS_HELD = /[\uE000-\uF8FF]/;

/** `:name:` with at least one letter in the name (so `10:30:00` stays a time). */
const EMOJI_CODE = /:([a-z0-9_+'-]+):/g;

/** The picture of one emoji, sized by the surrounding text (CSS `.emoji`). */
export function emojiHtml(name: string): string {
  const info = emoji(name);
  if (!info) return unknownHtml(`:${name}:`, "Slack has no emoji by this name and shows the text as it is");
  const label = attrs({ class: "emoji", role: "img", "aria-label": `:${name}:`, title: `:${name}:` });
  if (!info.sheet) return `<span${label}>${info.char}</span>`;
  const { x, y } = info.sheet;
  return `<span${label} data-sheet style="--x:${x};--y:${y}">${info.char}</span>`;
}

/** Emoji short codes in already-escaped HTML text. */
function withEmoji(html: string): string {
  return html.replace(EMOJI_CODE, (whole, name: string) => (/[a-z]/.test(name) ? emojiHtml(name) : whole));
}

/** A plain_text object's text: entities decoded, escaped, emoji shown unless `emoji: false`. */
export function renderPlain(text: string, withEmojiCodes = true): string {
  const html = escapeHtml(decodeSlackEntities(text));
  return (withEmojiCodes ? withEmoji(html) : html).replace(/\n/g, "<br>");
}

/** Text (a link's label, a code span) with entities decoded and escaped, nothing else. */
function literal(text: string): string {
  return escapeHtml(decodeSlackEntities(text));
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + separator.length)];
}

function mention(kind: "user" | "channel" | "group" | "special", text: string, id?: string): string {
  return `<span${attrs({ class: `bk-mention bk-mention-${kind}`, "data-id": id })}>${escapeHtml(text)}</span>`;
}

const SAFE_LINK = /^(https?:|mailto:)/i;

function link(target: string, labelHtml: string): string {
  const href = decodeSlackEntities(target);
  if (!SAFE_LINK.test(href)) return `<span${attrs({ class: "bk-link", title: href })}>${labelHtml}</span>`;
  return `<a${attrs({ class: "bk-link", href, target: "_blank", rel: "noopener noreferrer" })}>${labelHtml}</a>`;
}

function dateToken(spec: string, fallback: string | undefined, ctx: RenderContext): string {
  const [seconds, format, url] = spec.split("^");
  const epoch = Number(seconds);
  const shown = fallback === undefined ? "" : decodeSlackEntities(fallback);
  const formatted =
    Number.isInteger(epoch) && format !== undefined
      ? formatSlackDate(epoch, decodeSlackEntities(format), ctx.timeZone, ctx.now)
      : undefined;
  if (formatted === undefined) {
    return unknownHtml(
      shown || `<!date^${spec}>`,
      `a date token Slack cannot format (${spec}); its fallback is shown`,
    );
  }
  const time = `<time${attrs({
    class: "bk-date",
    datetime: new Date(epoch * 1000).toISOString(),
    title: shown || undefined,
  })}>${escapeHtml(formatted)}</time>`;
  return url ? link(url, time) : time;
}

/** One `<…>` control sequence (without the brackets) as HTML. */
function controlSequence(inner: string, ctx: RenderContext): string {
  if (inner.startsWith("@")) {
    const [id, label] = splitOnce(inner.slice(1), "|");
    return mention("user", `@${label ?? ctx.userName(id) ?? id}`, id);
  }
  if (inner.startsWith("#")) {
    const [id, label] = splitOnce(inner.slice(1), "|");
    return mention("channel", `#${label ?? ctx.channelName(id) ?? id}`, id);
  }
  if (inner.startsWith("!")) {
    const [command, label] = splitOnce(inner.slice(1), "|");
    if (command.startsWith("date^")) return dateToken(command.slice("date^".length), label, ctx);
    if (command.startsWith("subteam^")) {
      const id = command.slice("subteam^".length);
      const handle = label ?? `@${ctx.groupHandle(id) ?? id}`;
      return mention("group", handle.startsWith("@") ? handle : `@${handle}`, id);
    }
    if (command === "here" || command === "channel" || command === "everyone") {
      return mention("special", `@${command}`);
    }
    return unknownHtml(`<${inner}>`, "a Slack command the playground does not know");
  }
  const [target, label] = splitOnce(inner, "|");
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
    return link(target, label === undefined ? literal(target) : withEmoji(literal(label)));
  }
  return unknownHtml(`<${inner}>`, "angle brackets Slack does not understand (text should escape < as &lt;)");
}

const EMPHASIS: ReadonlyArray<[RegExp, string]> = [
  [/(^|[^\p{L}\p{N}*])\*([^*\n]*?[^\s*])\*(?![\p{L}\p{N}*])/gu, "b"],
  [/(^|[^\p{L}\p{N}_])_([^_\n]*?[^\s_])_(?![\p{L}\p{N}_])/gu, "i"],
  [/(^|[^\p{L}\p{N}~])~([^~\n]*?[^\s~])~(?![\p{L}\p{N}~])/gu, "s"],
];

function emphasis(html: string): string {
  let out = html;
  for (const [pattern, tag] of EMPHASIS) {
    out = out.replace(pattern, (_, before: string, inner: string) => `${before}<${tag}>${inner}</${tag}>`);
  }
  return out;
}

/** mrkdwn text as HTML. */
export function renderMrkdwn(text: string, ctx: RenderContext): string {
  const held: string[] = [];
  const hold = (html: string): string => {
    held.push(html);
    return String.fromCharCode(HELD + held.length - 1);
  };
  let s = text.replace(HELD_RANGE, "\uFFFD");
  s = s.replace(/<([^<>]*)>/g, (_, inner: string) => hold(controlSequence(inner, ctx)));
  s = s.replace(/```([\s\S]*?)```/g, (_, code: string) =>
    hold(`<pre class="bk-pre">${literal(code.replace(/^\n/, ""))}</pre>`),
  );
  s = s.replace(/`([^`\n]+)`/g, (_, code: string) => hold(`<code class="bk-code">${literal(code)}</code>`));
  s = s.replace(/\bhttps?:\/\/[^\s<>\uE000-\uF8FF]+/g, (url: string) => {
    const [, bare = url, trailing = ""] = /^(.*?)([.,;:!?)]*)$/.exec(url) ?? [];
    return hold(link(bare, literal(bare))) + trailing;
  });
  s = s.replace(EMOJI_CODE, (whole, name: string) => (/[a-z]/.test(name) ? hold(emojiHtml(name)) : whole));

  const out: string[] = [];
  let quote: string[] = [];
  const flushQuote = () => {
    if (quote.length === 0) return;
    const last = out.length - 1;
    if (out[last]?.endsWith("<br>")) out[last] = out[last].slice(0, -"<br>".length);
    out.push(`<blockquote class="bk-quote">${quote.join("<br>")}</blockquote>`);
    quote = [];
  };
  const lines = s.split("\n");
  lines.forEach((line, index) => {
    if (line.startsWith(">")) {
      quote.push(emphasis(literal(line.slice(1).replace(/^ /, ""))));
      return;
    }
    flushQuote();
    out.push(emphasis(literal(line)) + (index < lines.length - 1 ? "<br>" : ""));
  });
  flushQuote();

  let html = out.join("");
  // Held pieces may hold others (a mention inside a code block): put them back until none is left.
  for (let round = 0; round < 4 && HAS_HELD.test(html); round++) {
    html = html.replace(HELD_RANGE, (c) => held[c.charCodeAt(0) - HELD] ?? "\uFFFD");
  }
  return html;
}
