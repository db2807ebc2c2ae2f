/**
 * The Home tab: a pure rendering of what the store says a person sees (src/backup/home.ts), in
 * their language. What waits for their decision carries the card's own Approve and Reject buttons
 * (`decisionButtons`), so a click here is a click on the card. At most 100 blocks (Slack's limit
 * for a home view): long lists end with "…and N more".
 */
import type { HomeView, KnownBlock } from "@slack/types";
import type { HomeData } from "../../backup/ports.js";
import type { BackupRequest, Locale } from "../../domain/request.js";
import { messages } from "../../i18n/index.js";
import { slackAgo, slackTime } from "../dates.js";
import { DECISION_BLOCK_ID } from "../ids.js";
import { channelLink, mention, userText } from "../text.js";
import { decisionButtons, parameterLines, STATE_ICON } from "./approval-card.js";
import { reasonText } from "./reason.js";

/** Slack's limit for a home view. */
export const HOME_MAX_BLOCKS = 100;
export const HOME_CALLBACK_ID = "rds_backup_home";

export interface HomeViewInput {
  data: HomeData;
  locale: Locale;
  approvalChannelId: string;
  /** Each request's thread (the card's permalink), by request id, where known. */
  links: ReadonlyMap<string, string>;
  /** A line shown on top this once (a refused click from the tab). */
  notice?: string | undefined;
  now: Date;
}

export function homeView(input: HomeViewInput): HomeView {
  const { data, locale, now } = input;
  const m = messages(locale).home;
  const top: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: m.header } },
    {
      type: "context",
      elements: [{ type: "mrkdwn", text: m.intro(channelLink(input.approvalChannelId)) }],
    },
  ];
  if (input.notice) {
    top.push({ type: "section", text: { type: "mrkdwn", text: `:warning: ${input.notice}` } });
  }
  const mine = listSection(m.mine, m.mineNone, data.mine, (r) => mineLine(r, locale, input.links));
  const recent = listSection(m.recent, m.recentNone, data.recent, (r) => recentLine(r, locale, input.links));

  // The waiting list gets what the other parts leave of the 100 blocks: two blocks a request.
  const waitingHeader: KnownBlock[] = [{ type: "divider" }, heading(m.waiting)];
  const spare = HOME_MAX_BLOCKS - top.length - waitingHeader.length - mine.length - recent.length;
  const waiting: KnownBlock[] = [];
  if (data.waiting.length === 0) {
    waiting.push(contextLine(m.waitingNone));
  } else {
    const fits = data.waiting.length * 2 <= spare ? data.waiting.length : Math.floor((spare - 1) / 2);
    for (const request of data.waiting.slice(0, fits)) waiting.push(...waitingItem(request, locale, now));
    if (fits < data.waiting.length) waiting.push(contextLine(m.more(data.waiting.length - fits)));
  }
  return {
    type: "home",
    callback_id: HOME_CALLBACK_ID,
    blocks: [...top, ...waitingHeader, ...waiting, ...mine, ...recent],
  };
}

/** One request waiting for this person: what it is, and the card's two buttons. */
function waitingItem(request: BackupRequest, locale: Locale, now: Date): KnownBlock[] {
  const m = messages(locale);
  const { instance } = request;
  const lines = [
    `*\`${userText(instance.id, 80)}\`* · ${userText(`${instance.engine} ${instance.engineVersion}`, 80)}`,
    `${m.home.requested(mention(request.requesterId), slackAgo(request.createdAt))} · ${m.home.expires(slackTime(request.expiresAt))}`,
    // The parameters read in the reader's language ("API default").
    ...parameterLines({ ...request, locale }),
    // Why the requester wants it, as they wrote it (escaped: it never pings).
    ...(request.requestReason ? [`*${m.home.reason}*: ${reasonText(request.requestReason)}`] : []),
    `${m.card.requestId(request.id)} · ${m.home.approvals(request.approvals.length, request.approvalsRequired)}`,
  ];
  return [
    { type: "section", text: { type: "mrkdwn", text: lines.join("\n") } },
    {
      type: "actions",
      // One per request: block ids must be unique within a view; the listeners go by action id.
      block_id: `${DECISION_BLOCK_ID}:${request.id}`,
      elements: decisionButtons(request, now, locale),
    },
  ];
}

function mineLine(request: BackupRequest, locale: Locale, links: ReadonlyMap<string, string>): string {
  const m = messages(locale);
  return [
    `${STATE_ICON[request.state]} *${m.stateNames[request.state]}* · \`${userText(request.instance.id, 80)}\``,
    request.id,
    ...(request.backupJobId ? [m.home.job(userText(request.backupJobId, 40))] : []),
    m.home.filed(slackAgo(request.createdAt)),
    ...threadLink(request, locale, links),
  ].join(" · ");
}

function recentLine(request: BackupRequest, locale: Locale, links: ReadonlyMap<string, string>): string {
  const m = messages(locale);
  return [
    `${STATE_ICON[request.state]} *${m.stateNames[request.state]}* · \`${userText(request.instance.id, 80)}\``,
    ...(request.backupJobId ? [m.home.job(userText(request.backupJobId, 40))] : []),
    m.home.by(mention(request.requesterId)),
    m.home.ended(slackAgo(request.decidedAt ?? request.updatedAt)),
    ...threadLink(request, locale, links),
  ].join(" · ");
}

function threadLink(request: BackupRequest, locale: Locale, links: ReadonlyMap<string, string>): string[] {
  const link = links.get(request.id);
  // A permalink is Slack's own URL: no user text in it, nothing to escape but the separator.
  return link ? [`<${link.replace(/[<>|]/g, "")}|${messages(locale).home.thread}>`] : [];
}

function listSection(
  title: string,
  none: string,
  requests: readonly BackupRequest[],
  line: (request: BackupRequest) => string,
): KnownBlock[] {
  return [
    { type: "divider" },
    heading(title),
    ...(requests.length === 0
      ? [contextLine(none)]
      : requests.map((r): KnownBlock => ({ type: "section", text: { type: "mrkdwn", text: line(r) } }))),
  ];
}

function heading(text: string): KnownBlock {
  return { type: "header", text: { type: "plain_text", text } };
}

function contextLine(text: string): KnownBlock {
  return { type: "context", elements: [{ type: "mrkdwn", text }] };
}
