/**
 * Block Kit as HTML, close enough to Slack's own look to judge a message, a modal or a Home tab
 * (https://docs.slack.dev/reference/block-kit). A pure function of the blocks, what the person has
 * entered so far, the field errors and the reader: the playground renders the emulator's state
 * with it, and the unit tests render the bot's snapshot views with it.
 *
 * Interactive elements carry `data-action-id` and `data-element`; their block carries
 * `data-block-id`. The page's script turns a click or a pick into the request Slack would send.
 * Whatever this file does not know (a block or element type, a malformed text object) is shown
 * marked as unknown with its JSON, never dropped.
 */
import { isRecord, type SlackStateValue, type SlackStateValues } from "../slack-blocks.js";
import { emoji } from "./emoji.js";
import { attrs, decodeSlackEntities, escapeHtml } from "./html.js";
import { emojiHtml, renderMrkdwn, renderPlain } from "./mrkdwn.js";
import { type RenderContext, unknownHtml } from "./render-context.js";
import { localTime } from "./slack-dates.js";

export interface SurfaceOptions {
  /** `message`: a message or ephemeral; `modal` or `home`: a view, whose inputs hold `state`. */
  surface: "message" | "modal" | "home";
  /** What the person entered so far (`view.state.values`). */
  state?: SlackStateValues | undefined;
  /** Field errors by block id (`response_action: "errors"`, or the checks Slack's client runs). */
  errors?: Readonly<Record<string, string>> | undefined;
}

interface Place {
  blockId: string;
  inInput: boolean;
  ctx: RenderContext;
  options: SurfaceOptions;
}

/** A list of blocks as HTML. */
export function renderBlocks(blocks: unknown, ctx: RenderContext, options: SurfaceOptions): string {
  if (!Array.isArray(blocks)) return unknownHtml("blocks", "blocks must be an array", blocks, true);
  return blocks.map((block) => renderBlock(block, ctx, options)).join("");
}

/** A text object (plain_text or mrkdwn) as HTML; "" when absent. */
export function renderText(value: unknown, ctx: RenderContext): string {
  if (value === undefined || value === null) return "";
  if (!isRecord(value) || typeof value.text !== "string") {
    return unknownHtml("text", "not a text object (type and text)", value);
  }
  if (value.type === "mrkdwn") return renderMrkdwn(value.text, ctx);
  if (value.type === "plain_text") return renderPlain(value.text, value.emoji !== false);
  return unknownHtml(value.text, `a text object of type "${String(value.type)}"`);
}

/** A text object as plain characters (for `<option>` and attributes, which hold no markup). */
export function plainText(value: unknown): string {
  if (!isRecord(value) || typeof value.text !== "string") return "";
  const text = decodeSlackEntities(value.text);
  return text.replace(/:([a-z0-9_+'-]+):/g, (whole, name: string) => emoji(name)?.char ?? whole);
}

function renderBlock(block: unknown, ctx: RenderContext, options: SurfaceOptions): string {
  if (!isRecord(block) || typeof block.type !== "string") {
    return unknownHtml("block", "a block must be an object with a type", block, true);
  }
  const blockId = typeof block.block_id === "string" ? block.block_id : "";
  const place: Place = { blockId, inInput: block.type === "input", ctx, options };
  const wrap = (inner: string, extraClass = "", extra: Record<string, string | boolean | undefined> = {}) =>
    `<div${attrs({
      class: `bk-block bk-${block.type}${extraClass}`,
      "data-block-id": blockId || undefined,
      ...extra,
    })}>${inner}</div>`;
  switch (block.type) {
    case "header":
      return wrap(`<div class="bk-header-text">${renderText(block.text, ctx)}</div>`);
    case "section": {
      const text =
        block.text === undefined ? "" : `<div class="bk-section-text">${renderText(block.text, ctx)}</div>`;
      const fields = Array.isArray(block.fields)
        ? `<div class="bk-fields">${block.fields.map((f) => `<div class="bk-field">${renderText(f, ctx)}</div>`).join("")}</div>`
        : "";
      const accessory =
        block.accessory === undefined
          ? ""
          : `<div class="bk-accessory">${renderElement(block.accessory, place)}</div>`;
      return wrap(`<div class="bk-section-main">${text}${fields}</div>${accessory}`);
    }
    case "divider":
      return wrap("<hr>");
    case "context": {
      const elements = Array.isArray(block.elements) ? block.elements : [];
      const inner = elements
        .map((el) => {
          if (isRecord(el) && el.type === "image") return imageThumb(el);
          if (isRecord(el) && (el.type === "mrkdwn" || el.type === "plain_text")) {
            return `<span class="bk-context-text">${renderText(el, ctx)}</span>`;
          }
          return unknownHtml(
            `context element ${isRecord(el) ? String(el.type) : "?"}`,
            "not text or an image",
            el,
          );
        })
        .join("");
      return wrap(inner);
    }
    case "actions": {
      const elements = Array.isArray(block.elements) ? block.elements : [];
      return wrap(elements.map((el) => renderElement(el, place)).join(""));
    }
    case "input":
      return renderInputBlock(block, place, wrap);
    case "image":
      return wrap(imageBlock(block, ctx));
    case "markdown":
      return wrap(renderMarkdown(typeof block.text === "string" ? block.text : ""));
    case "rich_text":
      return wrap(renderRichText(block.elements, ctx));
    default:
      return wrap(
        unknownHtml(`${block.type} block`, "a block type the playground does not render yet", block, true),
        " bk-unknown-block",
      );
  }
}

// ---------------------------------------------------------------------------------------------------
// Input blocks and elements
// ---------------------------------------------------------------------------------------------------

function renderInputBlock(
  block: Record<string, unknown>,
  place: Place,
  wrap: (inner: string, extraClass?: string, extra?: Record<string, string | boolean | undefined>) => string,
): string {
  const { ctx, options } = place;
  const error = options.errors?.[place.blockId];
  const optional = block.optional === true ? ' <span class="bk-optional">(optional)</span>' : "";
  const label = `<div class="bk-label">${renderText(block.label, ctx)}${optional}</div>`;
  const element = renderElement(block.element, place);
  const hint = block.hint === undefined ? "" : `<div class="bk-hint">${renderText(block.hint, ctx)}</div>`;
  const errorHtml =
    error === undefined ? "" : `<div class="bk-error" role="alert">${escapeHtml(error)}</div>`;
  return wrap(`${label}${element}${errorHtml}${hint}`, error === undefined ? "" : " bk-has-error", {
    "data-dispatch": block.dispatch_action === true ? "true" : undefined,
  });
}

interface OptionLike {
  value: string;
  text: unknown;
  description?: unknown;
}

function asOptions(list: unknown): OptionLike[] {
  return Array.isArray(list)
    ? list.filter((o): o is OptionLike => isRecord(o) && typeof o.value === "string")
    : [];
}

/** The entered state of an element, if the person touched it. */
function stateOf(place: Place, actionId: string): SlackStateValue | undefined {
  return place.options.state?.[place.blockId]?.[actionId];
}

function selectedValues(el: Record<string, unknown>, state: SlackStateValue | undefined): string[] {
  const fromOptions = (list: unknown) => asOptions(list).map((o) => o.value);
  if (state) {
    if (isRecord(state.selected_option)) return fromOptions([state.selected_option]);
    if (Array.isArray(state.selected_options)) return fromOptions(state.selected_options);
    for (const key of ["selected_user", "selected_conversation", "selected_channel"]) {
      if (typeof state[key] === "string") return [state[key] as string];
    }
    for (const key of ["selected_users", "selected_conversations", "selected_channels"]) {
      if (Array.isArray(state[key]))
        return (state[key] as unknown[]).filter((v): v is string => typeof v === "string");
    }
    return [];
  }
  if (isRecord(el.initial_option)) return fromOptions([el.initial_option]);
  if (Array.isArray(el.initial_options)) return fromOptions(el.initial_options);
  for (const key of ["initial_user", "initial_conversation", "initial_channel"]) {
    if (typeof el[key] === "string") return [el[key] as string];
  }
  for (const key of ["initial_users", "initial_conversations", "initial_channels"]) {
    if (Array.isArray(el[key]))
      return (el[key] as unknown[]).filter((v): v is string => typeof v === "string");
  }
  return [];
}

/** The option objects behind the selected values (an external select's come from its state or initial options). */
function selectedOptions(el: Record<string, unknown>, state: SlackStateValue | undefined): OptionLike[] {
  if (state) {
    if (isRecord(state.selected_option)) return asOptions([state.selected_option]);
    if (Array.isArray(state.selected_options)) return asOptions(state.selected_options);
    return [];
  }
  if (isRecord(el.initial_option)) return asOptions([el.initial_option]);
  return asOptions(el.initial_options);
}

const SELECT_PLACEHOLDER = "Select an item";

function placeholderOf(el: Record<string, unknown>, fallback = SELECT_PLACEHOLDER): string {
  return plainText(el.placeholder) || fallback;
}

function directoryOptions(type: string, ctx: RenderContext): OptionLike[] | undefined {
  const people = ctx.directory.users.map((u) => ({
    value: u.id,
    text: { type: "plain_text", text: u.name },
  }));
  const channels = ctx.directory.channels.map((c) => ({
    value: c.id,
    text: { type: "plain_text", text: `#${c.name}` },
  }));
  if (type === "users_select" || type === "multi_users_select") return people;
  if (type === "channels_select" || type === "multi_channels_select") return channels;
  if (type === "conversations_select" || type === "multi_conversations_select")
    return [...channels, ...people];
  return undefined;
}

function optionTags(options: OptionLike[], selected: string[]): string {
  return options
    .map(
      (o) =>
        `<option${attrs({ value: o.value, selected: selected.includes(o.value) })}>${escapeHtml(plainText(o.text))}</option>`,
    )
    .join("");
}

function groupedOptionTags(el: Record<string, unknown>, selected: string[]): string {
  if (Array.isArray(el.option_groups)) {
    return el.option_groups
      .map((g) =>
        isRecord(g)
          ? `<optgroup${attrs({ label: plainText(g.label) })}>${optionTags(asOptions(g.options), selected)}</optgroup>`
          : "",
      )
      .join("");
  }
  return optionTags(asOptions(el.options), selected);
}

function allOptions(el: Record<string, unknown>): OptionLike[] {
  if (Array.isArray(el.option_groups))
    return el.option_groups.flatMap((g) => (isRecord(g) ? asOptions(g.options) : []));
  return asOptions(el.options);
}

function chip(option: OptionLike): string {
  return `<span${attrs({ class: "bk-chip", "data-value": option.value })}>${escapeHtml(plainText(option.text))}<button type="button" class="bk-chip-remove" aria-label="Remove">×</button></span>`;
}

function multiChoice(
  el: Record<string, unknown>,
  options: OptionLike[],
  selected: string[],
  common: string,
): string {
  const chosen = options.filter((o) => selected.includes(o.value));
  const boxes = options
    .map(
      (o) =>
        `<label class="bk-multi-option"><input${attrs({ type: "checkbox", value: o.value, checked: selected.includes(o.value) })}><span>${escapeHtml(plainText(o.text))}</span></label>`,
    )
    .join("");
  return `<details${common}><summary class="bk-multi-summary"><span class="bk-chips">${chosen.map(chip).join("")}</span><span class="bk-multi-placeholder"${chosen.length > 0 ? " hidden" : ""}>${escapeHtml(placeholderOf(el))}</span></summary><div class="bk-multi-options">${boxes}</div></details>`;
}

function textValue(el: Record<string, unknown>, state: SlackStateValue | undefined): string {
  if (state) {
    if (typeof state.value === "string") return state.value;
    if (isRecord(state.rich_text_value)) return richTextPlain(state.rich_text_value);
    return "";
  }
  if (typeof el.initial_value === "string") return el.initial_value;
  if (isRecord(el.initial_value)) return richTextPlain(el.initial_value);
  return "";
}

function richTextPlain(value: unknown): string {
  if (Array.isArray(value)) return value.map(richTextPlain).join("");
  if (!isRecord(value)) return "";
  if (typeof value.text === "string") return value.text;
  return richTextPlain(value.elements);
}

function renderElement(value: unknown, place: Place): string {
  if (!isRecord(value) || typeof value.type !== "string") {
    return unknownHtml("element", "an element must be an object with a type", value, true);
  }
  const el = value;
  const type = el.type as string;
  const actionId = typeof el.action_id === "string" ? el.action_id : "";
  const { ctx, options } = place;
  // Slack sends block_actions from messages for every element; the user simulator sends clicks on buttons.
  const sendable = options.surface !== "message" || type === "button";
  const common = attrs({
    class: `bk-el bk-el-${type}`,
    "data-action-id": actionId || undefined,
    "data-element": type,
    "data-min-query": typeof el.min_query_length === "number" ? el.min_query_length : undefined,
    disabled: !sendable,
    title: sendable ? undefined : "The playground's user simulator cannot send this from a message yet",
  });
  const state = stateOf(place, actionId);
  switch (type) {
    case "button": {
      const style = el.style === "primary" || el.style === "danger" ? ` bk-button-${el.style}` : "";
      const button = `<button type="button"${attrs({
        class: `bk-button${style}`,
        "data-action-id": actionId || undefined,
        "data-element": "button",
        "data-url": typeof el.url === "string" ? el.url : undefined,
        "aria-label": typeof el.accessibility_label === "string" ? el.accessibility_label : undefined,
      })}>${renderText(el.text, ctx)}</button>`;
      return button + confirmDialog(el.confirm, ctx, el.style);
    }
    case "static_select":
    case "users_select":
    case "conversations_select":
    case "channels_select": {
      const selected = selectedValues(el, state);
      const directory = directoryOptions(type, ctx);
      const optionsHtml = directory ? optionTags(directory, selected) : groupedOptionTags(el, selected);
      return `<select${common}><option value="">${escapeHtml(placeholderOf(el))}</option>${optionsHtml}</select>${confirmDialog(el.confirm, ctx)}`;
    }
    case "multi_static_select":
    case "multi_users_select":
    case "multi_conversations_select":
    case "multi_channels_select": {
      const choices = directoryOptions(type, ctx) ?? allOptions(el);
      return multiChoice(el, choices, selectedValues(el, state), common);
    }
    case "external_select":
    case "multi_external_select": {
      const chosen = selectedOptions(el, state);
      const multi = type === "multi_external_select";
      const first = chosen[0];
      const input = `<input${attrs({
        type: "text",
        class: "bk-combo-input",
        placeholder: placeholderOf(el),
        autocomplete: "off",
        value: !multi && first ? plainText(first.text) : undefined,
        "data-value": !multi && first ? first.value : undefined,
        // Slack shows a picked option's description only in the open menu; a tooltip keeps it here.
        title: !multi && first ? plainText(first.description) || undefined : undefined,
        disabled: !sendable,
      })}>`;
      const chips = multi ? `<span class="bk-chips">${chosen.map(chip).join("")}</span>` : "";
      return `<div${common}>${chips}${input}<ul class="bk-combo-options" role="listbox" hidden></ul></div>`;
    }
    case "checkboxes":
    case "radio_buttons": {
      const selected = selectedValues(el, state);
      const kind = type === "checkboxes" ? "checkbox" : "radio";
      const name = `${place.blockId}/${actionId}`;
      const items = asOptions(el.options)
        .map((o) => {
          const description =
            o.description === undefined
              ? ""
              : `<div class="bk-option-description">${renderText(o.description, ctx)}</div>`;
          return `<label class="bk-choice"><input${attrs({ type: kind, name, value: o.value, checked: selected.includes(o.value), disabled: !sendable })}><span>${renderText(o.text, ctx)}${description}</span></label>`;
        })
        .join("");
      return `<div${common}>${items}</div>`;
    }
    case "datepicker": {
      const date = state ? state.selected_date : el.initial_date;
      return `<input${common}${attrs({ type: "date", value: typeof date === "string" ? date : undefined })}>`;
    }
    case "timepicker": {
      const time = state ? state.selected_time : el.initial_time;
      return `<input${common}${attrs({ type: "time", value: typeof time === "string" ? time : undefined })}>`;
    }
    case "datetimepicker": {
      const at = state ? state.selected_date_time : el.initial_date_time;
      let date: string | undefined;
      let time: string | undefined;
      if (typeof at === "number") {
        const t = localTime(at * 1000, ctx.timeZone);
        const pad = (n: number) => String(n).padStart(2, "0");
        date = `${t.year}-${pad(t.month + 1)}-${pad(t.day)}`;
        time = `${pad(t.hour)}:${pad(t.minute)}`;
      }
      return `<span${common}><input${attrs({ type: "date", class: "bk-dt-date", value: date, disabled: !sendable })}><input${attrs({ type: "time", class: "bk-dt-time", value: time, disabled: !sendable })}></span>`;
    }
    case "plain_text_input":
    case "number_input":
    case "email_text_input":
    case "url_text_input":
    case "rich_text_input": {
      const text = textValue(el, state);
      const placeholder = plainText(el.placeholder) || undefined;
      if (el.multiline === true || type === "rich_text_input") {
        return `<textarea${common}${attrs({ placeholder, rows: 4 })}>${escapeHtml(text)}</textarea>`;
      }
      const modes: Record<string, string> = {
        number_input: "decimal",
        email_text_input: "email",
        url_text_input: "url",
      };
      const inputmode = modes[type];
      return `<input${common}${attrs({ type: "text", placeholder, value: text || undefined, inputmode })}>`;
    }
    case "overflow": {
      const items = asOptions(el.options)
        .map((o) => `<li>${renderText(o.text, ctx)}</li>`)
        .join("");
      return `<details class="bk-overflow" title="The playground's user simulator cannot send an overflow pick yet"><summary class="bk-button">⋯</summary><ul>${items}</ul></details>`;
    }
    case "image":
      return imageThumb(el);
    case "file_input":
      return `<div${common} aria-disabled="true">Drag files here or <u>upload from your computer</u> (not in the playground)</div>`;
    case "workflow_button":
      return `<button type="button" class="bk-button" disabled title="Workflows do not run in the playground">${renderText(el.text, ctx)}</button>`;
    default:
      return unknownHtml(`${type} element`, "an element type the playground does not render yet", el, true);
  }
}

function confirmDialog(confirm: unknown, ctx: RenderContext, buttonStyle?: unknown): string {
  if (!isRecord(confirm)) return "";
  const style = confirm.style ?? (buttonStyle === "danger" ? "danger" : "primary");
  const confirmClass =
    style === "danger" ? "bk-button bk-button-danger-solid" : "bk-button bk-button-primary-solid";
  return `<dialog class="bk-confirm"><form method="dialog"><div class="bk-confirm-title">${renderText(confirm.title, ctx)}</div><div class="bk-confirm-text">${renderText(confirm.text, ctx)}</div><div class="bk-confirm-buttons"><button class="bk-button" value="deny">${renderText(confirm.deny, ctx)}</button><button class="${confirmClass}" value="confirm">${renderText(confirm.confirm, ctx)}</button></div></form></dialog>`;
}

// ---------------------------------------------------------------------------------------------------
// Images: the playground has no network, so a picture shows as a frame with its alt text
// ---------------------------------------------------------------------------------------------------

function imageSource(el: Record<string, unknown>): string | undefined {
  const url = typeof el.image_url === "string" ? el.image_url : undefined;
  return url?.startsWith("data:image/") ? url : undefined;
}

function imageThumb(el: Record<string, unknown>): string {
  const alt = typeof el.alt_text === "string" ? el.alt_text : "";
  const src = imageSource(el);
  if (src) return `<img${attrs({ class: "bk-thumb", src, alt })}>`;
  return `<span${attrs({ class: "bk-thumb bk-thumb-empty", title: `${alt} (${String(el.image_url ?? "slack_file")}: not loaded in the playground)` })}>${emojiHtml("frame_with_picture")}</span>`;
}

function imageBlock(block: Record<string, unknown>, ctx: RenderContext): string {
  const title =
    block.title === undefined ? "" : `<div class="bk-image-title">${renderText(block.title, ctx)}</div>`;
  const alt = typeof block.alt_text === "string" ? block.alt_text : "";
  const src = imageSource(block);
  const picture = src
    ? `<img${attrs({ class: "bk-image-picture", src, alt })}>`
    : `<div${attrs({ class: "bk-image-frame", title: String(block.image_url ?? "slack_file") })}>${emojiHtml("frame_with_picture")} ${escapeHtml(alt)}<div class="bk-image-note">image not loaded in the playground</div></div>`;
  return `${title}${picture}`;
}

// ---------------------------------------------------------------------------------------------------
// markdown blocks (standard Markdown, a small subset) and rich_text blocks
// ---------------------------------------------------------------------------------------------------

function markdownInline(text: string): string {
  return escapeHtml(text)
    .replace(/`([^`]+)`/g, '<code class="bk-code">$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, "<b>$1</b>")
    .replace(/(^|[^\w*])[*_]([^*_]+)[*_](?!\w)/g, "$1<i>$2</i>")
    .replace(
      /\[([^\]]+)\]\((https?:[^)\s]+)\)/g,
      '<a class="bk-link" href="$2" target="_blank" rel="noopener noreferrer">$1</a>',
    );
}

function renderMarkdown(text: string): string {
  const out: string[] = [];
  let list: string[] = [];
  const flush = () => {
    if (list.length > 0) out.push(`<ul>${list.join("")}</ul>`);
    list = [];
  };
  for (const line of text.split("\n")) {
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const item = /^\s*[-*]\s+(.*)$/.exec(line);
    if (item) {
      list.push(`<li>${markdownInline(item[1] ?? "")}</li>`);
      continue;
    }
    flush();
    if (heading) out.push(`<div class="bk-md-heading">${markdownInline(heading[2] ?? "")}</div>`);
    else if (line.trim() !== "") out.push(`<p>${markdownInline(line)}</p>`);
  }
  flush();
  return `<div class="bk-markdown">${out.join("")}</div>`;
}

function styled(html: string, style: unknown): string {
  if (!isRecord(style)) return html;
  let out = html;
  if (style.code === true) out = `<code class="bk-code">${out}</code>`;
  if (style.bold === true) out = `<b>${out}</b>`;
  if (style.italic === true) out = `<i>${out}</i>`;
  if (style.strike === true) out = `<s>${out}</s>`;
  return out;
}

function richInline(el: unknown, ctx: RenderContext): string {
  if (!isRecord(el)) return unknownHtml("rich text element", "not an object", el);
  const escaped = (s: unknown) => escapeHtml(typeof s === "string" ? s : "");
  switch (el.type) {
    case "text":
      return styled(escaped(el.text).replace(/\n/g, "<br>"), el.style);
    case "link":
      return styled(
        `<a class="bk-link" href="${escaped(el.url)}" target="_blank" rel="noopener noreferrer">${escaped(el.text ?? el.url)}</a>`,
        el.style,
      );
    case "user":
      return renderMrkdwn(`<@${String(el.user_id)}>`, ctx);
    case "channel":
      return renderMrkdwn(`<#${String(el.channel_id)}>`, ctx);
    case "usergroup":
      return renderMrkdwn(`<!subteam^${String(el.usergroup_id)}>`, ctx);
    case "broadcast":
      return renderMrkdwn(`<!${String(el.range)}>`, ctx);
    case "emoji":
      return emojiHtml(String(el.name));
    case "date":
      return renderMrkdwn(
        `<!date^${String(el.timestamp)}^${String(el.format)}${typeof el.url === "string" ? `^${el.url}` : ""}|${String(el.fallback ?? "")}>`,
        ctx,
      );
    case "color":
      return `<span class="bk-color" style="--swatch:${escaped(el.value)}">${escaped(el.value)}</span>`;
    default:
      return unknownHtml(
        `${String(el.type)} rich text element`,
        "a rich text element the playground does not know",
        el,
      );
  }
}

function renderRichText(elements: unknown, ctx: RenderContext): string {
  if (!Array.isArray(elements)) return unknownHtml("rich_text", "elements must be an array", elements, true);
  const inline = (list: unknown) => (Array.isArray(list) ? list.map((e) => richInline(e, ctx)).join("") : "");
  return elements
    .map((part) => {
      if (!isRecord(part)) return unknownHtml("rich text part", "not an object", part, true);
      switch (part.type) {
        case "rich_text_section":
          return `<div class="bk-rich-section">${inline(part.elements)}</div>`;
        case "rich_text_preformatted":
          return `<pre class="bk-pre">${inline(part.elements)}</pre>`;
        case "rich_text_quote":
          return `<blockquote class="bk-quote">${inline(part.elements)}</blockquote>`;
        case "rich_text_list": {
          const tag = part.style === "ordered" ? "ol" : "ul";
          const items = Array.isArray(part.elements)
            ? part.elements.map((item) => `<li>${isRecord(item) ? inline(item.elements) : ""}</li>`).join("")
            : "";
          return `<${tag} class="bk-rich-list" style="--indent:${Number(part.indent ?? 0)}">${items}</${tag}>`;
        }
        default:
          return unknownHtml(
            `${String(part.type)} rich text part`,
            "a rich text part the playground does not know",
            part,
            true,
          );
      }
    })
    .join("");
}
