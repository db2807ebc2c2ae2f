/** HTML text and attribute escaping for the playground's renderers (everything they emit goes through here). */

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text made safe to place inside an element or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** ` name="value"` pairs; `undefined` and `false` leave an attribute out, `true` writes it bare. */
export function attrs(values: Readonly<Record<string, string | number | boolean | undefined>>): string {
  let out = "";
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || value === false) continue;
    out += value === true ? ` ${name}` : ` ${name}="${escapeHtml(String(value))}"`;
  }
  return out;
}

/**
 * Slack escapes exactly three characters in text (`&amp;`, `&lt;`, `&gt;`) and decodes exactly those
 * for display (https://docs.slack.dev/messaging/formatting-message-text#escaping); one pass, so
 * `&amp;lt;` shows as `&lt;`.
 */
export function decodeSlackEntities(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_, name: string) =>
    name === "amp" ? "&" : name === "lt" ? "<" : ">",
  );
}
