/**
 * When a pending request reminds the people who may decide (issue 15). Two reminders at most, each
 * in the card's thread: one after the request has waited `remindAfter` (APPROVAL_REMINDER_AFTER, or
 * the policy rule's `remind_after`), and one shortly before it expires. Only a `pending` request is
 * reminded: a decided, expired or cancelled one needs nobody, and a `scheduled` one is approved
 * already. Pure: the runner (src/backup/reminders.ts) asks these functions, the store makes each
 * reminder happen once.
 */
import type { PolicyRule } from "./policy.js";
import type { BackupRequest } from "./request.js";

/** `waiting`: the request has waited `remindAfter`; `expiring`: it expires soon. */
export const REMINDER_KINDS = ["waiting", "expiring"] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/** How long a request waits before its first reminder (ms), or `off`: no reminders at all. */
export type RemindAfter = number | "off";

export const DEFAULT_REMIND_AFTER_MS = 2 * 3_600_000;

/**
 * How long before its expiry the last reminder comes, at most. Our reading of "shortly before it
 * expires": a quarter of an hour is enough for someone who sees it to open the card and decide,
 * and short enough that it reads as a last call. A request with a short life (a policy's
 * `max_wait_hours: 0.5`) gets a quarter of its life instead, so the last call never comes before
 * the request has had most of its time.
 */
export const MAX_EXPIRY_LEAD_MS = 15 * 60_000;

type Timing = Pick<BackupRequest, "createdAt" | "expiresAt">;

/** How long before `expiresAt` the `expiring` reminder is due. */
export function expiryLeadMs(request: Timing): number {
  const lifetime = Math.max(0, request.expiresAt.getTime() - request.createdAt.getTime());
  return Math.min(MAX_EXPIRY_LEAD_MS, Math.floor(lifetime / 4));
}

/** When each reminder of a request is due; `undefined` when reminders are off. */
export function reminderTimes(
  request: Timing,
  remindAfter: RemindAfter,
): Record<ReminderKind, Date> | undefined {
  if (remindAfter === "off") return undefined;
  return {
    waiting: new Date(request.createdAt.getTime() + remindAfter),
    expiring: new Date(request.expiresAt.getTime() - expiryLeadMs(request)),
  };
}

/**
 * The reminder a request is due for at `now`, given the ones it already had (`sent`); at most one.
 * Once the last call is due, the first is never sent any more: a request that reaches its last
 * call without its first (the first would come after it, or no bot ran at the time) gets only the
 * last call, not two posts in a row. Nothing once the request has expired (housekeeping ends it).
 */
export function dueReminder(
  request: Timing & Pick<BackupRequest, "state">,
  remindAfter: RemindAfter,
  sent: readonly ReminderKind[],
  now: Date,
): ReminderKind | undefined {
  if (request.state !== "pending") return undefined;
  const times = reminderTimes(request, remindAfter);
  const at = now.getTime();
  if (!times || at >= request.expiresAt.getTime()) return undefined;
  if (at >= times.expiring.getTime()) return sent.includes("expiring") ? undefined : "expiring";
  if (at >= times.waiting.getTime() && !sent.includes("waiting")) return "waiting";
  return undefined;
}

/** The rule's `remind_after`, or the environment's when the rule says nothing. */
export function remindAfterFor(rule: PolicyRule | undefined, fallback: RemindAfter): RemindAfter {
  return rule?.remindAfter ?? fallback;
}

/**
 * Who a reminder mentions: the rule's approver users and groups, less the requester when they may
 * not approve their own request, and less anyone who already approved it (an approval counts once:
 * they cannot add another). A group is mentioned whole: the bot does not list its members.
 */
export function whoToRemind(
  rule: PolicyRule | undefined,
  request: Pick<BackupRequest, "requesterId" | "allowSelfApproval" | "approvals">,
): { userIds: string[]; usergroupIds: string[] } {
  if (!rule) return { userIds: [], usergroupIds: [] };
  const approved = new Set(request.approvals.map((approval) => approval.userId));
  return {
    userIds: rule.approvers.userIds.filter(
      (userId) => !approved.has(userId) && (request.allowSelfApproval || userId !== request.requesterId),
    ),
    usergroupIds: [...rule.approvers.usergroupIds],
  };
}
