/**
 * Thread replies under the approval card and the requester's direct messages: pure renderings of
 * an event about a request, in the request's language.
 */
import type { KnownBlock } from "@slack/types";
import type { BackupSetSummary, RequesterEvent, ThreadEvent } from "../../backup/ports.js";
import type { ApiFailureInfo } from "../../domain/api-failure.js";
import type { BackupRequest, Locale } from "../../domain/request.js";
import { type Finding, MAX_CREATE_CALLS } from "../../domain/start-record.js";
import { explainFailure } from "../../i18n/explain-failure.js";
import { messages } from "../../i18n/index.js";
import { slackTime } from "../dates.js";
import { channelLink, groupMention, mention, userText } from "../text.js";
import { preflightLines, type RenderedMessage } from "./approval-card.js";
import { reasonInline } from "./reason.js";
import { notReadyText } from "./schedule.js";

const section = (text: string): KnownBlock => ({ type: "section", text: { type: "mrkdwn", text } });

/** A translated, actionable explanation of an API error, with the code and RequestId for support. */
export function failureBlocks(
  request: BackupRequest,
  error: ApiFailureInfo,
  headline: string,
): RenderedMessage {
  const m = messages(request.locale).thread;
  const explained = explainFailure(error, request.locale, {
    instanceId: request.params.DBInstanceId,
    // The status when the request was filed is stale by now; only a fresh one is worth showing.
    status: error.instanceStatus,
    engine: request.instance.engine,
    method: request.params.BackupMethod ?? "Physical",
    dbName: request.params.DBName?.join(",") ?? "",
    action: "rds:CreateBackup",
  });
  const facts = [
    `${m.errorCode}: \`${userText(explained.code, 100)}\``,
    ...(explained.requestId ? [`${m.requestIdLabel}: \`${userText(explained.requestId, 100)}\``] : []),
    ...(explained.recommend ? [`${m.recommendLabel}: ${userText(explained.recommend, 300)}`] : []),
  ];
  const blocks: KnownBlock[] = [
    section(
      `:x: *${userText(headline, 200)}* ${userText(explained.title, 200)}\n${userText(explained.what, 600)}`,
    ),
    section(`*${m.nextLabel}* (${userText(explained.categoryLabel, 80)}): ${userText(explained.next, 600)}`),
    { type: "context", elements: [{ type: "mrkdwn", text: facts.join(" · ") }] },
  ];
  return { text: userText(`${headline} ${explained.code}: ${explained.what}`, 600), blocks };
}

export function threadReply(request: BackupRequest, event: ThreadEvent): RenderedMessage {
  const m = messages(request.locale).thread;
  const simple = (text: string): RenderedMessage => ({ text, blocks: [section(text)] });
  switch (event.type) {
    case "approval_recorded":
      return simple(m.approvalRecorded(mention(event.by), event.count, event.required));
    case "approved":
      return simple(m.approved(mention(event.by)));
    case "job_started":
      return simple(
        `:rocket: ${m.jobStarted(userText(event.backupJobId, 40), userText(event.requestId, 80))}`,
      );
    case "job_adopted":
      return simple(`:rocket: ${m.jobAdopted(userText(event.backupJobId, 40))}`);
    case "create_unclear":
      return simple(m.createUnclear(userText(event.code, 80), event.call, shortTime(event.decideAt)));
    case "create_again":
      return simple(m.createAgain(event.call, MAX_CREATE_CALLS));
    case "create_failed":
      return failureBlocks(request, event.error, m.createFailed);
    case "rejected":
      return simple(
        event.reason
          ? m.rejectedWithReason(mention(event.by), userText(event.reason, 500))
          : m.rejected(mention(event.by)),
      );
    case "cancelled":
      return simple(m.cancelled(mention(event.by)));
    case "expired":
      return simple(m.expired);
    case "needs_attention":
      return needsAttentionReply(request, event);
    case "checked_again":
      return simple(m.checkedAgain(mention(event.by), findingText(event.finding, request.locale)));
    case "started_again":
      return simple(m.startedAgain(mention(event.by), event.call, MAX_CREATE_CALLS));
    case "closed_not_started":
      return simple(m.closedNotStarted(mention(event.by)));
    case "job_progress":
      return simple(
        m.jobProgress(userText(event.backupJobId, 40), event.percent, userText(event.status, 40)),
      );
    case "job_finished":
      return simple(m.jobFinished(userText(event.backupJobId, 40), backupSetLine(request, event.backupSet)));
    case "job_failed":
      return simple(m.jobFailed(userText(event.backupJobId, 40), userText(event.status, 40)));
    case "job_lost":
      return simple(m.jobLost(userText(event.backupJobId, 40)));
    case "watch_gave_up":
      return simple(m.watchGaveUp(userText(event.backupJobId, 40), event.hours));
    case "preflight_blocked": {
      const failed = request.preflight
        ? preflightLines(request.preflight, request.locale).filter((line) => line.startsWith(":x:"))
        : [];
      return simple(
        m.preflightBlocked(mention(event.by), failed.map((line) => line.replace(":x: ", "")).join(", ")),
      );
    }
    case "scheduled":
      return simple(m.scheduled(mention(event.by), dateToken(event.startAt), dateToken(event.deadline)));
    case "schedule_not_ready":
      return simple(
        m.scheduleNotReady(notReadyText(event.reasons, request.locale), dateToken(event.deadline)),
      );
    case "schedule_missed":
      return simple(
        event.reasons && event.reasons.length > 0
          ? m.scheduleMissedNotReady(notReadyText(event.reasons, request.locale), dateToken(event.deadline))
          : m.scheduleMissed(dateToken(event.deadline)),
      );
    case "reminder":
      return simple(reminderText(request, event));
  }
}

/**
 * A reminder in a pending request's thread: the people who may decide are mentioned (so Slack
 * notifies them), with how long it has waited and when it expires, as date tokens.
 */
function reminderText(request: BackupRequest, event: Extract<ThreadEvent, { type: "reminder" }>): string {
  const m = messages(request.locale).thread;
  const mentions = [
    ...event.approvers.userIds.map(mention),
    ...event.approvers.usergroupIds.map(groupMention),
  ].join(" ");
  const expires = slackTime(request.expiresAt);
  const text =
    event.kind === "waiting"
      ? m.remindWaiting(
          mentions,
          slackTime(request.createdAt),
          request.approvals.length > 0
            ? m.remindProgress(request.approvals.length, request.approvalsRequired)
            : "",
          expires,
        )
      : m.remindExpiring(mentions, expires);
  // Without anyone to mention, the emoji and the sentence meet with one space.
  return text.replace(/ {2,}/g, " ");
}

/** A time carried by an event (ISO text) as a date token. */
function dateToken(raw: string): string {
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? "-" : slackTime(new Date(ms));
}

/** What the listings showed, in a sentence. */
export function findingText(finding: Finding, locale: Locale): string {
  const m = messages(locale).thread.found;
  switch (finding.kind) {
    case "nothing":
      return m.nothing;
    case "backup_set":
      return m.backupSet(userText(finding.backupId, 40), shortTime(finding.startTime));
    case "other_job": {
      const jobId = userText(finding.backupJobId, 40);
      switch (finding.reason) {
        case "running_before":
          return m.runningBefore(jobId);
        case "other_request":
          return m.otherRequest(jobId);
        case "unknown_before":
          return m.unknownBefore(jobId);
        case "several":
          return m.several(jobId);
      }
      break;
    }
    case "unreadable":
      return m.unreadable(userText(finding.code, 80));
    case "calls_used_up":
      return m.callsUsedUp(MAX_CREATE_CALLS);
  }
}

/**
 * A request handed to the approvers: they are mentioned, told what the bot saw and what the card
 * lets them do. The last error's code and RequestId are kept for support.
 */
function needsAttentionReply(
  request: BackupRequest,
  event: Extract<ThreadEvent, { type: "needs_attention" }>,
): RenderedMessage {
  const m = messages(request.locale).thread;
  const approvers = event.approvers
    ? [...event.approvers.userIds.map(mention), ...event.approvers.usergroupIds.map(groupMention)].join(" ")
    : "";
  // Before this event carried a finding (an older row), it said the one thing it knew.
  const found = event.finding ? findingText(event.finding, request.locale) : m.needsAttention;
  const headline = m.needsDecision(approvers).replace(/\s+/g, " ");
  const facts = event.error
    ? [
        `${m.errorCode}: \`${userText(event.error.code, 100)}\``,
        ...(event.error.requestId
          ? [`${m.requestIdLabel}: \`${userText(event.error.requestId, 100)}\``]
          : []),
      ]
    : [];
  const blocks: KnownBlock[] = [
    section(`${headline}\n${found}`),
    section(`*${m.nextLabel}*: ${m.decideOptions(event.canStartAgain ?? true)}`),
    ...(facts.length > 0
      ? [{ type: "context" as const, elements: [{ type: "mrkdwn" as const, text: facts.join(" · ") }] }]
      : []),
  ];
  return { text: `${headline} ${found}`, blocks };
}

/** "1.5 GB" and the like; binary units, as the console shows them. */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return "-";
  const units = ["B", "KB", "MB", "GB", "TB", "PB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 10 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

function shortTime(raw: string | undefined): string {
  const ms = raw ? Date.parse(raw) : Number.NaN;
  return Number.isNaN(ms) ? "-" : slackTime(new Date(ms));
}

function backupSetLine(request: BackupRequest, set: BackupSetSummary | undefined): string {
  if (!set) return "";
  return messages(request.locale).thread.backupSetDetails(
    userText(set.backupId, 40),
    userText(set.method ?? "-", 40),
    formatBytes(set.sizeBytes),
    shortTime(set.startTime),
    shortTime(set.endTime),
  );
}

/** The one line a notification channel gets about an outcome, or nothing for other events. */
export function summaryLine(
  request: BackupRequest,
  event: ThreadEvent,
  link: string,
): RenderedMessage | undefined {
  const m = messages(request.locale).summary;
  const id = userText(request.params.DBInstanceId, 80);
  // The requester's reason, under the line: why this backup was wanted, for whoever reads the channel.
  const reason = request.requestReason ? m.reason(reasonInline(request.requestReason, 200)) : undefined;
  const simple = (text: string): RenderedMessage =>
    reason
      ? {
          text: `${text}\n${reason}`,
          blocks: [section(text), { type: "context", elements: [{ type: "mrkdwn", text: reason }] }],
        }
      : { text, blocks: [section(text)] };
  switch (event.type) {
    case "job_finished":
      return simple(
        m.finished(id, userText(event.backupJobId, 40), formatBytes(event.backupSet?.sizeBytes), link),
      );
    case "job_failed":
      return simple(m.failed(id, userText(event.status, 40), link));
    case "create_failed":
      return simple(m.failed(id, userText(event.error.code, 80), link));
    case "needs_attention":
      return simple(m.needsAttention(id, link));
    case "closed_not_started":
      return simple(m.closedNotStarted(id, mention(event.by), link));
    case "schedule_missed":
      return simple(m.scheduleMissed(id, link));
    case "job_lost":
      return simple(m.failed(id, "BackupJobVanished", link));
    case "watch_gave_up":
      return simple(m.failed(id, "WatchTimedOut", link));
    default:
      return undefined;
  }
}

/**
 * The requester's own message about their request. It says what happened by itself (who decided,
 * the job, the error and what to do), because `link`, the card's thread, may be in a private
 * channel the requester cannot open.
 */
export function requesterMessage(
  request: BackupRequest,
  event: RequesterEvent,
  link: string,
  options: { botUserId?: string | undefined } = {},
): RenderedMessage | undefined {
  const m = messages(request.locale).requester;
  const id = userText(request.params.DBInstanceId, 80);
  const simple = (text: string): RenderedMessage => ({ text, blocks: [section(text)] });
  const gap = m.sentenceGap;
  const withThread = (text: string): RenderedMessage => simple(`${text}${gap}${m.threadLink(link)}`);
  const explained = (headline: string, error: ApiFailureInfo): RenderedMessage => {
    const failure = failureBlocks(request, error, headline);
    return {
      text: failure.text,
      blocks: [
        ...failure.blocks,
        { type: "context", elements: [{ type: "mrkdwn", text: m.threadLink(link) }] },
      ],
    };
  };
  switch (event.type) {
    case "filed":
      return simple(m.filed(request.id, id, link));
    case "job_started":
      return withThread(
        m.approved(id, approversOf(request), userText(event.backupJobId, 40), userText(event.requestId, 80)),
      );
    case "job_adopted":
      return withThread(m.adopted(id, userText(event.backupJobId, 40)));
    case "rejected":
      return withThread(
        event.reason
          ? m.rejectedWithReason(id, mention(event.by), userText(event.reason, 500))
          : m.rejected(id, mention(event.by)),
      );
    case "create_failed":
      return explained(m.failed(id), event.error);
    case "needs_attention":
      return event.error
        ? explained(m.needsAttention(id), event.error)
        : withThread(
            `:warning: ${m.needsAttention(id)}${gap}${messages(request.locale).thread.needsAttention}`,
          );
    case "cancelled":
      // Someone else cancelled it: a scheduled run its approver called off.
      return simple(
        event.by === request.requesterId ? m.cancelled(id) : m.cancelledBy(id, mention(event.by)),
      );
    case "scheduled":
      return withThread(m.scheduled(id, dateToken(event.startAt)));
    case "schedule_missed":
      return withThread(m.scheduleMissed(id));
    case "expired":
      return withThread(m.expired(id));
    case "job_finished":
      return withThread(
        m.finished(id, userText(event.backupJobId, 40), backupSetLine(request, event.backupSet)),
      );
    case "job_failed":
      return withThread(m.jobFailed(id, userText(event.backupJobId, 40), userText(event.status, 40)));
    case "job_lost":
      return withThread(m.jobLost(id, userText(event.backupJobId, 40)));
    case "closed_not_started":
      return withThread(m.closedNotStarted(id, mention(event.by)));
    case "watch_gave_up":
      return withThread(m.watchGaveUp(id, userText(event.backupJobId, 40), event.hours));
    case "approval_unreachable": {
      const channel = `${channelLink(event.channel)} (${userText(event.channel, 40)})`;
      const fix =
        event.reason === "no_access"
          ? m.unreachableFix.no_access(options.botUserId ? mention(options.botUserId) : "@rds-backup")
          : event.reason === "archived" || event.reason === "restricted" || event.reason === "missing_scope"
            ? m.unreachableFix[event.reason]
            : m.unreachableFix.other;
      return simple(
        [
          m.approvalUnreachable(request.id, id, channel, userText(event.code, 60)),
          fix,
          m.unreachableThen(request.id),
        ].join(gap),
      );
    }
    case "approval_posted":
      // Pending: it can be decided now, until it expires; otherwise (approved from the Home tab
      // meanwhile) the card and its thread tell the rest.
      return simple(
        request.state === "pending"
          ? m.approvalPosted(request.id, id, link, dateToken(request.expiresAt.toISOString()))
          : m.approvalPostedLater(request.id, id, link),
      );
    default:
      return undefined;
  }
}

/** Who approved, as mentions (the decider alone when no approvals are recorded). */
function approversOf(request: BackupRequest): string {
  const ids =
    request.approvals.length > 0 ? request.approvals.map((a) => a.userId) : [request.decidedBy ?? ""];
  return ids
    .filter((userId) => userId !== "")
    .map(mention)
    .join(", ");
}
