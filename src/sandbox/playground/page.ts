/**
 * The playground's page: the workspace as Slack shows it (sidebar, channel, thread, modal, Home
 * tab), rendered from a snapshot of the emulator's state. Pure, like the Block Kit renderer it
 * wraps; the server builds the snapshot and the page's script swaps the parts in.
 */

import { isRecord } from "../slack-blocks.js";
import type { SlackEphemeral, SlackMessage, SlackView } from "../slack-emulator.js";
import { renderBlocks, renderText } from "./block-kit.js";
import { attrs, escapeHtml } from "./html.js";
import { renderMrkdwn } from "./mrkdwn.js";
import type { Person } from "./people.js";
import type { RenderContext } from "./render-context.js";
import { formatSlackDate } from "./slack-dates.js";

export type Place = { kind: "channel"; id: string } | { kind: "dm" } | { kind: "home" };

export interface WorkspaceSnapshot {
  teamName: string;
  bot: { userId: string; name: string };
  viewer: Person;
  people: readonly Person[];
  channels: ReadonlyArray<{ id: string; name: string }>;
  place: Place;
  /** Top-level messages of the place (a channel, or the viewer's DM with the bot). */
  messages: readonly SlackMessage[];
  /** The viewer's ephemeral messages in the place. */
  ephemerals: readonly SlackEphemeral[];
  thread: { parent: SlackMessage; replies: readonly SlackMessage[] } | undefined;
  modal: { view: SlackView; errors: Readonly<Record<string, string>> | undefined } | undefined;
  /** The viewer's Home tab as the bot last published it (`views.publish`), if ever. */
  home: { view: Record<string, unknown>; id: string | undefined } | undefined;
}

export interface PageParts {
  title: string;
  sidebar: string;
  main: string;
  thread: string;
  modal: string;
  composer: { placeholder: string; enabled: boolean };
}

function placeName(snap: WorkspaceSnapshot): string {
  const { place } = snap;
  if (place.kind === "channel") return `#${snap.channels.find((c) => c.id === place.id)?.name ?? place.id}`;
  return snap.bot.name;
}

/** Every part of the page for one reader. */
export function renderPage(snap: WorkspaceSnapshot, ctx: RenderContext): PageParts {
  const name = placeName(snap);
  return {
    title: `${name} · ${snap.teamName} (playground)`,
    sidebar: renderSidebar(snap),
    main: renderMain(snap, ctx),
    thread: snap.thread ? renderThread(snap, snap.thread, ctx) : "",
    modal: snap.modal ? renderModal(snap.modal.view, snap.modal.errors, ctx) : "",
    composer: { placeholder: `Message ${name}`, enabled: snap.place.kind !== "home" },
  };
}

// ---------------------------------------------------------------------------------------------------

function avatar(person: { name: string; color: string } | undefined, bot: boolean): string {
  if (bot || !person) {
    return '<div class="avatar avatar-bot" aria-hidden="true"><svg viewBox="0 0 24 24" width="22" height="22"><ellipse cx="12" cy="5.5" rx="7" ry="2.8" fill="#fff"/><path d="M5 5.5v13c0 1.5 3.1 2.8 7 2.8s7-1.3 7-2.8v-13c0 1.5-3.1 2.8-7 2.8S5 7 5 5.5z" fill="#fff" opacity=".85"/><path d="M5 10c0 1.5 3.1 2.8 7 2.8s7-1.3 7-2.8M5 14.5c0 1.5 3.1 2.8 7 2.8s7-1.3 7-2.8" stroke="#ff6a00" stroke-width="1.2" fill="none"/></svg></div>';
  }
  return `<div class="avatar" style="background:${escapeHtml(person.color)}" aria-hidden="true">${escapeHtml(person.name.slice(0, 1))}</div>`;
}

function renderSidebar(snap: WorkspaceSnapshot): string {
  const item = (place: string, label: string, active: boolean, icon: string) =>
    `<a href="#"${attrs({ class: `side-item${active ? " active" : ""}`, "data-place": place })}><span class="side-icon">${icon}</span>${escapeHtml(label)}</a>`;
  const channels = snap.channels
    .map((c) => item(`channel:${c.id}`, c.name, snap.place.kind === "channel" && snap.place.id === c.id, "#"))
    .join("");
  const inApp = snap.place.kind === "dm" || snap.place.kind === "home";
  return `<div class="ws-name">${escapeHtml(snap.teamName)}</div><nav><div class="side-section">Channels</div>${channels}<div class="side-section">Apps</div>${item(
    "dm",
    snap.bot.name,
    inApp,
    '<span class="side-app-dot"></span>',
  )}</nav>`;
}

function messageTime(ts: string, ctx: RenderContext): string {
  const seconds = Math.floor(Number(ts));
  return escapeHtml(formatSlackDate(seconds, "{time}", ctx.timeZone, ctx.now) ?? ts);
}

function authorOf(message: { user: string }, snap: WorkspaceSnapshot) {
  const isBot = message.user === snap.bot.userId;
  const person = snap.people.find((p) => p.id === message.user);
  return { isBot, person, name: isBot ? snap.bot.name : (person?.name ?? message.user) };
}

function content(
  message: { text: string; blocks: unknown[] },
  ctx: RenderContext,
  surface: "message",
): string {
  if (Array.isArray(message.blocks) && message.blocks.length > 0)
    return renderBlocks(message.blocks, ctx, { surface });
  return `<div class="msg-text">${renderMrkdwn(message.text, ctx)}</div>`;
}

function attachments(list: unknown, ctx: RenderContext): string {
  if (!Array.isArray(list) || list.length === 0) return "";
  return list
    .map((a) => {
      if (!isRecord(a)) return "";
      const color = typeof a.color === "string" ? a.color : "#dddddd";
      const body = [
        typeof a.pretext === "string" ? `<div>${renderMrkdwn(a.pretext, ctx)}</div>` : "",
        typeof a.title === "string" ? `<div class="att-title">${renderMrkdwn(a.title, ctx)}</div>` : "",
        typeof a.text === "string" ? `<div>${renderMrkdwn(a.text, ctx)}</div>` : "",
        Array.isArray(a.blocks) ? renderBlocks(a.blocks, ctx, { surface: "message" }) : "",
        typeof a.footer === "string" ? `<div class="att-footer">${renderMrkdwn(a.footer, ctx)}</div>` : "",
      ].join("");
      return `<div class="attachment" style="--bar:${escapeHtml(color.startsWith("#") || /^[a-z]+$/.test(color) ? color : "#ddd")}">${body || renderMrkdwn(String(a.fallback ?? ""), ctx)}</div>`;
    })
    .join("");
}

function renderMessage(
  message: SlackMessage | SlackEphemeral,
  snap: WorkspaceSnapshot,
  ctx: RenderContext,
  options: { inThread: boolean; compact?: boolean },
): string {
  const ephemeral = "via" in message;
  const author = ephemeral
    ? { isBot: true, person: undefined, name: snap.bot.name }
    : authorOf(message, snap);
  const meta = `<div class="msg-meta"><span class="msg-author">${escapeHtml(author.name)}</span>${author.isBot ? '<span class="app-badge">APP</span>' : ""}<time class="msg-time">${messageTime(message.ts, ctx)}</time></div>`;
  const note = ephemeral
    ? `<div class="msg-ephemeral-note"><span class="eye" aria-hidden="true"></span>Only visible to you<button type="button" class="dismiss" data-dismiss="${escapeHtml(message.ts)}">Dismiss</button></div>`
    : "";
  const edited = !ephemeral && message.edited ? ' <span class="msg-edited">(edited)</span>' : "";
  let replies = "";
  if (!ephemeral && !options.inThread && message.reply_count) {
    const repliers = (message.reply_users ?? [])
      .slice(0, 3)
      .map((id) =>
        avatar(
          snap.people.find((p) => p.id === id),
          id === snap.bot.userId,
        ),
      )
      .join("");
    const last = message.latest_reply
      ? formatSlackDate(
          Math.floor(Number(message.latest_reply)),
          "{date_short_pretty} at {time}",
          ctx.timeZone,
          ctx.now,
        )
      : undefined;
    const count = `${message.reply_count} ${message.reply_count === 1 ? "reply" : "replies"}`;
    replies = `<button type="button" class="thread-link" data-open-thread="${escapeHtml(message.ts)}"><span class="thread-avatars">${repliers}</span><span class="thread-count">${count}</span>${last ? `<span class="thread-last">Last reply ${escapeHtml(last.replace(/^[A-Z]/, (c) => c.toLowerCase()))}</span>` : ""}</button>`;
  }
  const surface = attrs({
    class: `msg${ephemeral ? " msg-ephemeral" : ""}${options.compact ? " msg-compact" : ""}`,
    "data-surface": "message",
    "data-channel": message.channel,
    "data-ts": message.ts,
    "data-ephemeral": ephemeral ? "true" : undefined,
  });
  // Slack runs one person's messages a few minutes apart together: no second avatar or name.
  const side = options.compact
    ? `<div class="msg-gutter"><time class="msg-time">${messageTime(message.ts, ctx)}</time></div>`
    : avatar(author.person, author.isBot);
  return `<div${surface}>${side}<div class="msg-body">${options.compact ? "" : meta}${note}<div class="msg-content">${content(message, ctx, "message")}${edited}</div>${ephemeral ? "" : attachments(message.attachments, ctx)}${replies}</div></div>`;
}

function dayDivider(ts: string, ctx: RenderContext): string {
  const label = formatSlackDate(Math.floor(Number(ts)), "{day_divider_pretty}", ctx.timeZone, ctx.now) ?? "";
  return `<div class="day-divider"><span>${escapeHtml(label)}</span></div>`;
}

function timeline(
  items: ReadonlyArray<SlackMessage | SlackEphemeral>,
  snap: WorkspaceSnapshot,
  ctx: RenderContext,
  inThread: boolean,
): string {
  const sorted = [...items].sort((a, b) => Number(a.ts) - Number(b.ts));
  let lastDay = "";
  let previous: SlackMessage | SlackEphemeral | undefined;
  return sorted
    .map((m) => {
      const day = formatSlackDate(Math.floor(Number(m.ts)), "{date_num}", ctx.timeZone, ctx.now) ?? "";
      const divider = !inThread && day !== lastDay ? dayDivider(m.ts, ctx) : "";
      const compact =
        divider === "" &&
        previous !== undefined &&
        !("via" in m) &&
        !("via" in previous) &&
        previous.user === m.user &&
        !previous.reply_count &&
        Number(m.ts) - Number(previous.ts) < 300;
      lastDay = day;
      previous = m;
      return divider + renderMessage(m, snap, ctx, { inThread, compact });
    })
    .join("");
}

function renderMain(snap: WorkspaceSnapshot, ctx: RenderContext): string {
  const { place } = snap;
  const inApp = place.kind !== "channel";
  const tabs = inApp
    ? `<div class="tabs"><a href="#" class="tab${place.kind === "home" ? " active" : ""}" data-place="home">Home</a><a href="#" class="tab${place.kind === "dm" ? " active" : ""}" data-place="dm">Messages</a></div>`
    : "";
  const header = `<header class="channel-header"><div class="channel-title">${inApp ? `${avatar(undefined, true)}` : ""}${escapeHtml(placeName(snap))}</div>${tabs}</header>`;
  if (place.kind === "home") {
    const body = snap.home
      ? `<div${attrs({ class: "home-view", "data-surface": "home", "data-view-id": snap.home.id })}>${renderBlocks(snap.home.view.blocks, ctx, { surface: "home" })}</div>`
      : `<div class="empty">The bot has not published a Home tab for ${escapeHtml(snap.viewer.name)} (no <code>views.publish</code> yet).</div>`;
    return `${header}<div class="scroller home">${body}</div>`;
  }
  const outsideThreads = (e: SlackEphemeral) => e.thread_ts === undefined || e.thread_ts === e.ts;
  const items = [...snap.messages, ...snap.ephemerals.filter(outsideThreads)];
  const empty =
    items.length === 0
      ? `<div class="empty">Nothing here yet. Type <code>/rds-backup</code> below to open the form, <code>/rds-backup help</code> for the commands, or switch person above.</div>`
      : "";
  return `${header}<div class="scroller" id="messages">${empty}${timeline(items, snap, ctx, false)}</div>`;
}

function renderThread(
  snap: WorkspaceSnapshot,
  thread: NonNullable<WorkspaceSnapshot["thread"]>,
  ctx: RenderContext,
): string {
  const inThread = snap.ephemerals.filter(
    (e) => e.thread_ts === thread.parent.ts && e.ts !== thread.parent.ts,
  );
  const count = thread.replies.length;
  return `<header class="thread-header"><div><b>Thread</b> <span class="thread-where">${escapeHtml(placeName(snap))}</span></div><button type="button" class="icon-button" data-close-thread aria-label="Close thread">×</button></header><div class="scroller" id="thread-messages">${renderMessage(thread.parent, snap, ctx, { inThread: true })}<div class="replies-divider"><span>${count} ${count === 1 ? "reply" : "replies"}</span></div>${timeline([...thread.replies, ...inThread], snap, ctx, true)}</div>`;
}

function renderModal(
  view: SlackView,
  errors: Readonly<Record<string, string>> | undefined,
  ctx: RenderContext,
): string {
  const body = renderBlocks(view.blocks, ctx, { surface: "modal", state: view.state.values, errors });
  const close = view.close ? renderText(view.close, ctx) : "Cancel";
  const submit = view.submit
    ? `<button type="button" class="bk-button bk-button-primary-solid" data-submit-view>${renderText(view.submit, ctx)}</button>`
    : "";
  return `<div class="modal-backdrop"><div${attrs({
    class: "modal",
    role: "dialog",
    "aria-modal": "true",
    "aria-label": view.title.text,
    "data-surface": "modal",
    "data-view-id": view.id,
    "data-hash": view.hash,
    "data-callback-id": view.callback_id,
  })}><header class="modal-header">${avatar(undefined, true)}<h1 class="modal-title">${renderText(view.title, ctx)}</h1><button type="button" class="icon-button" data-close-view aria-label="Close">×</button></header><div class="modal-body">${body}</div><footer class="modal-footer"><button type="button" class="bk-button" data-close-view>${close}</button>${submit}</footer></div></div>`;
}
