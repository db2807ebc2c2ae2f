/**
 * The approval card: a pure rendering of a request as the store has it. Re-rendering always gives
 * the right card, so any `chat.update` can be repeated or repaired.
 */
import type { Button, KnownBlock } from "@slack/types";
import type { BackupParams } from "../../domain/params.js";
import { notReadyReasons, type Preflight } from "../../domain/preflight.js";
import type { BackupRequest, Locale } from "../../domain/request.js";
import { describeWindow, SCHEDULE_MISSED, timingAtApproval } from "../../domain/schedule.js";
import { MAX_CREATE_CALLS } from "../../domain/start-record.js";
// Confirm dialogs show plain text: no date tokens there, so their times name UTC.
import { formatTime, messages } from "../../i18n/index.js";
import { slackTime, timeUntil } from "../dates.js";
import {
  APPROVE_ACTION_ID,
  ATTENTION_BLOCK_ID,
  CANCEL_ACTION_ID,
  CHECK_AGAIN_ACTION_ID,
  CLOSE_NOT_STARTED_ACTION_ID,
  DECISION_BLOCK_ID,
  REJECT_ACTION_ID,
  START_AGAIN_ACTION_ID,
} from "../ids.js";
import { mention, plain, userText } from "../text.js";
import { reasonText } from "./reason.js";
import { notReadyText, whenText } from "./schedule.js";

export interface RenderedMessage {
  text: string;
  blocks: KnownBlock[];
}

const PARAM_ORDER: (keyof BackupParams)[] = [
  "BackupMethod",
  "BackupType",
  "BackupStrategy",
  "DBName",
  "BackupRetentionPeriod",
];

/** The parameters as sent, with the API's defaults named where a field was left out. */
export function parameterLines(request: BackupRequest): string[] {
  const m = messages(request.locale).card;
  const { params } = request;
  return PARAM_ORDER.map((key) => {
    const value = params[key];
    if (value === undefined) {
      if (key === "BackupMethod") return `• ${key}: Physical (${m.apiDefault})`;
      return undefined;
    }
    const shown = Array.isArray(value) ? value.join(", ") : String(value);
    return `• ${key}: ${userText(shown, 300)}`;
  }).filter((line): line is string => line !== undefined);
}

/** Where the request stands, in a sentence; `now` is the moment of rendering ("in 3 h"). */
export function stateLine(request: BackupRequest, now: Date = new Date()): string {
  const m = messages(request.locale).card.state;
  const lastApprover = request.approvals.at(-1);
  const approvers = request.approvals.map((approval) => mention(approval.userId)).join(", ");
  const approvedAt = lastApprover ? slackTime(lastApprover.at) : "";
  const decider = request.decidedBy && request.decidedBy !== "system" ? mention(request.decidedBy) : "";
  const decidedAt = request.decidedAt ? slackTime(request.decidedAt) : "";
  switch (request.state) {
    case "pending":
      return m.pending;
    case "approved": {
      const phase = request.start?.phase;
      return phase?.kind === "watching"
        ? m.approvedUnclear(approvers, approvedAt, userText(phase.code, 80), slackTime(phase.decideAt))
        : m.approved(approvers, approvedAt);
    }
    case "submitted":
      return m.submitted(approvers, approvedAt, userText(request.backupJobId, 40));
    case "succeeded":
      return m.succeeded(approvers, approvedAt, userText(request.backupJobId, 40));
    case "scheduled":
      return scheduledLine(request, approvers, approvedAt, now);
    case "failed":
      // A scheduled run that never started: nothing ran.
      if (request.error?.code === SCHEDULE_MISSED && request.schedule?.deadline) {
        return m.scheduleMissed(slackTime(request.schedule.deadline));
      }
      // The job ran past the watch limit: its end is not known, only that the bot stopped looking.
      return request.error?.code === WATCH_TIMED_OUT && request.backupJobId
        ? m.lostTrack(userText(request.backupJobId, 40))
        : m.failed(userText(request.error?.code ?? "?", 80));
    case "rejected":
      return m.rejected(decider, decidedAt);
    case "cancelled":
      // Cancelled after CreateBackup calls: an approver closed it as not started.
      return (request.createCalls ?? 0) > 0
        ? m.closedNotStarted(decider, decidedAt)
        : m.cancelled(decider, decidedAt);
    case "expired":
      return m.expired(slackTime(request.decidedAt ?? request.expiresAt));
    case "needs_attention":
      return m.needs_attention;
  }
}

/** A scheduled request: when it runs, until when it may start, and whether the instance was ready. */
function scheduledLine(request: BackupRequest, approvers: string, approvedAt: string, now: Date): string {
  const m = messages(request.locale).card.state;
  const schedule = request.schedule ?? {};
  const startAt = schedule.startAt ?? request.updatedAt;
  const line = m.scheduled(
    approvers,
    approvedAt,
    slackTime(startAt),
    timeUntil(startAt, now, request.locale),
    schedule.deadline ? slackTime(schedule.deadline) : "-",
  );
  if (!schedule.notReady || !request.preflight) return line;
  const reasons = notReadyText(notReadyReasons(request.preflight), request.locale);
  return `${line} ${m.scheduledNotReady(slackTime(request.preflight.checkedAt), reasons, schedule.deadline ? slackTime(schedule.deadline) : "-")}`;
}

export const STATE_ICON: Record<BackupRequest["state"], string> = {
  pending: ":hourglass_flowing_sand:",
  scheduled: ":alarm_clock:",
  approved: ":white_check_mark:",
  submitted: ":arrows_counterclockwise:",
  succeeded: ":white_check_mark:",
  failed: ":x:",
  rejected: ":no_entry_sign:",
  cancelled: ":heavy_multiplication_x:",
  expired: ":alarm_clock:",
  needs_attention: ":warning:",
};

/** The error code of a request whose job ran past the watch limit (src/backup/watcher.ts). */
const WATCH_TIMED_OUT = "WatchTimedOut";

const CHECK_ICON = { pass: ":white_check_mark:", fail: ":x:", unknown: ":grey_question:" } as const;

/** The pre-flight checks as one line each ("Running", "no backup in progress", "7 of 20 today"). */
export function preflightLines(preflight: Preflight, locale: Locale): string[] {
  const m = messages(locale).card.preflight;
  const { running, noBackupInProgress, dailyLimit } = preflight;
  const runningText =
    running.status === "pass"
      ? m.running
      : running.status === "fail"
        ? m.notRunning(userText(running.instanceStatus ?? "?", 40))
        : m.runningUnknown;
  const backupText =
    noBackupInProgress.status === "pass"
      ? m.noBackup
      : noBackupInProgress.status === "fail"
        ? m.backupRunning(userText(noBackupInProgress.backupJobId ?? "?", 40))
        : m.backupUnknown;
  const todayText =
    dailyLimit.status === "unknown" || dailyLimit.count === undefined
      ? m.todayUnknown
      : m.today(dailyLimit.count, dailyLimit.limit);
  return [
    `${CHECK_ICON[running.status]} ${runningText}`,
    `${CHECK_ICON[noBackupInProgress.status]} ${backupText}`,
    `${CHECK_ICON[dailyLimit.status]} ${todayText}`,
  ];
}

/** The card as the store has the request; `now` is the moment of rendering ("in 3 h"). */
export function approvalCard(request: BackupRequest, now: Date = new Date()): RenderedMessage {
  const t = messages(request.locale);
  const m = t.card;
  const { instance } = request;
  const when = request.state === "pending" ? whenText(request, now) : undefined;
  const blocks: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: plain(m.header(instance.id), 150) } },
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: m.requestedBy(mention(request.requesterId), slackTime(request.createdAt)),
      },
      fields: [
        { type: "mrkdwn", text: `*${m.instance}*\n\`${userText(instance.id, 80)}\`` },
        {
          type: "mrkdwn",
          text: `*${m.engine}*\n${userText(`${instance.engine} ${instance.engineVersion}`, 80)}`,
        },
        { type: "mrkdwn", text: `*${m.description}*\n${userText(instance.description || "-", 200)}` },
        { type: "mrkdwn", text: `*${m.status}*\n${userText(instance.status, 60)}` },
        { type: "mrkdwn", text: `*${m.region}*\n${userText(instance.regionId, 60)}` },
      ],
    },
    {
      type: "section",
      text: { type: "mrkdwn", text: `*${m.parameters}*\n${parameterLines(request).join("\n")}` },
    },
    ...(request.requestReason
      ? [
          {
            type: "section" as const,
            text: { type: "mrkdwn" as const, text: `*${m.reason}*\n${reasonText(request.requestReason)}` },
          },
        ]
      : []),
    ...(when
      ? [
          {
            type: "section" as const,
            text: { type: "mrkdwn" as const, text: `:alarm_clock: *${m.when}*: ${when}` },
          },
        ]
      : []),
    ...(request.preflight &&
    (request.state === "pending" || request.state === "approved" || request.state === "scheduled")
      ? [
          {
            type: "section" as const,
            text: {
              type: "mrkdwn" as const,
              text: `*${m.preflight.title}* (${m.preflight.checkedAt(slackTime(request.preflight.checkedAt))})\n${preflightLines(request.preflight, request.locale).join("\n")}`,
            },
          },
        ]
      : []),
    {
      type: "section",
      text: { type: "mrkdwn", text: `${STATE_ICON[request.state]} ${stateLine(request, now)}` },
    },
    {
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: [
            m.requestId(request.id),
            m.approvals(request.approvals.length, request.approvalsRequired),
            ...(request.state === "pending" ? [m.expires(slackTime(request.expiresAt))] : []),
            // The call count matters to people only while it is not a plain single call.
            ...((request.createCalls ?? 0) > 1 || request.state === "needs_attention"
              ? [m.createCalls(request.createCalls ?? 0, MAX_CREATE_CALLS)]
              : []),
          ].join(" · "),
        },
      ],
    },
  ];
  if (request.state === "pending") {
    blocks.push({
      type: "actions",
      block_id: DECISION_BLOCK_ID,
      elements: [
        ...decisionButtons(request, now),
        {
          type: "button",
          action_id: CANCEL_ACTION_ID,
          text: { type: "plain_text", text: t.card.cancel },
          value: request.id,
        },
      ],
    });
  }
  if (request.state === "scheduled") blocks.push(cancelScheduledAction(request));
  if (request.state === "needs_attention") blocks.push(attentionActions(request));
  const stateName = t.stateNames[request.state];
  return { text: m.fallback(request.id, instance.id, stateName), blocks };
}

/**
 * Approve (with its confirm dialog) and Reject for a pending request, as the card and the Home tab
 * show them: the same action ids, the request id as the value, the same confirmation. `locale` is
 * the reader's (the card's is the requester's).
 */
export function decisionButtons(
  request: BackupRequest,
  now: Date,
  locale: Locale = request.locale,
): Button[] {
  const m = messages(locale).card;
  const { instance } = request;
  // Approving a request for a set time schedules it: the confirmation says when (in UTC: a
  // dialog's text shows no date tokens). With only a window, when depends on the click's moment.
  const timing = timingAtApproval(request.schedule, now);
  const later = timing.kind === "later" && request.schedule?.askedFor ? timing.plan.startAt : undefined;
  const window = request.schedule?.askedFor ? undefined : request.schedule?.window;
  const confirmTitle = later ? m.confirmLaterTitle : window ? m.confirmWindowTitle : m.confirmTitle;
  const confirmText = later
    ? m.confirmLaterText(instance.id, formatTime(later))
    : window
      ? m.confirmWindowText(instance.id, describeWindow(window))
      : m.confirmText(instance.id);
  return [
    {
      type: "button",
      action_id: APPROVE_ACTION_ID,
      style: "primary",
      text: { type: "plain_text", text: m.approve },
      value: request.id,
      confirm: {
        title: { type: "plain_text", text: plain(confirmTitle, 100) },
        text: { type: "mrkdwn", text: plain(confirmText, 300) },
        confirm: { type: "plain_text", text: m.confirmYes },
        deny: { type: "plain_text", text: m.confirmNo },
      },
    },
    {
      type: "button",
      action_id: REJECT_ACTION_ID,
      style: "danger",
      text: { type: "plain_text", text: m.reject },
      value: request.id,
    },
  ];
}

/** A scheduled run can be cancelled until it starts, by its requester or its approvers. */
function cancelScheduledAction(request: BackupRequest): KnownBlock {
  const m = messages(request.locale).card;
  const startAt = request.schedule?.startAt;
  return {
    type: "actions",
    block_id: DECISION_BLOCK_ID,
    elements: [
      {
        type: "button",
        action_id: CANCEL_ACTION_ID,
        text: { type: "plain_text", text: m.cancelScheduled },
        value: request.id,
        confirm: {
          title: { type: "plain_text", text: plain(m.cancelScheduledConfirmTitle, 100) },
          text: {
            type: "mrkdwn",
            text: plain(
              m.cancelScheduledConfirmText(request.instance.id, startAt ? formatTime(startAt) : "-"),
              300,
            ),
          },
          confirm: { type: "plain_text", text: m.cancelScheduledConfirmYes },
          deny: { type: "plain_text", text: m.confirmBack },
        },
      },
    ],
  };
}

/**
 * What the approvers can do about a request that needs attention. "Start the backup again" asks
 * for confirmation (a second backup may result) and is offered only while calls are left.
 */
function attentionActions(request: BackupRequest): KnownBlock {
  const m = messages(request.locale).card;
  const canStartAgain = (request.createCalls ?? 0) < MAX_CREATE_CALLS;
  return {
    type: "actions",
    block_id: ATTENTION_BLOCK_ID,
    elements: [
      {
        type: "button",
        action_id: CHECK_AGAIN_ACTION_ID,
        text: { type: "plain_text", text: m.checkAgain },
        value: request.id,
      },
      ...(canStartAgain
        ? [
            {
              type: "button" as const,
              action_id: START_AGAIN_ACTION_ID,
              style: "danger" as const,
              text: { type: "plain_text" as const, text: m.startAgain },
              value: request.id,
              confirm: {
                title: { type: "plain_text" as const, text: plain(m.startAgainConfirmTitle, 100) },
                text: {
                  type: "mrkdwn" as const,
                  text: plain(m.startAgainConfirmText(request.instance.id), 300),
                },
                confirm: { type: "plain_text" as const, text: m.startAgainConfirmYes },
                deny: { type: "plain_text" as const, text: m.confirmBack },
                style: "danger" as const,
              },
            },
          ]
        : []),
      {
        type: "button",
        action_id: CLOSE_NOT_STARTED_ACTION_ID,
        text: { type: "plain_text", text: m.closeNotStarted },
        value: request.id,
        confirm: {
          title: { type: "plain_text", text: plain(m.closeConfirmTitle, 100) },
          text: { type: "mrkdwn", text: plain(m.closeConfirmText, 300) },
          confirm: { type: "plain_text", text: m.closeConfirmYes },
          deny: { type: "plain_text", text: m.confirmBack },
        },
      },
    ],
  };
}
