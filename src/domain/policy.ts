/**
 * Who may ask, who may decide, how many must agree, and how long a request may wait. Rules are
 * matched by instance id pattern, region and engine; the first matching rule applies. Without a
 * policy file the contract's environment variables make the single rule.
 */
import type { Engine } from "./engine.js";
import type { InstanceInfo } from "./instance.js";
import type { RemindAfter } from "./reminders.js";
import type { BackupRequest } from "./request.js";
import type { BackupWindow } from "./schedule.js";

export interface PeopleSet {
  userIds: readonly string[];
  usergroupIds: readonly string[];
}

export interface PolicyRule {
  name: string;
  match: {
    /** Glob patterns on the instance id (`*` matches any run of characters). Empty: any. */
    instanceIds: readonly string[];
    regions: readonly string[];
    engines: readonly Engine[];
  };
  approvers: PeopleSet;
  approvalsRequired: number;
  allowSelfApproval: boolean;
  /** Who may file a request; `undefined` means anyone in the workspace. */
  requesters?: (PeopleSet & { channelIds: readonly string[] }) | undefined;
  maxWaitHours: number;
  /** When backups of these instances may run (src/domain/schedule.ts); absent: any time. */
  window?: BackupWindow | undefined;
  /** A request must say why it is wanted (src/domain/reason.ts); absent: the reason is optional. */
  requireReason?: boolean | undefined;
  /** When a pending request reminds its approvers (`remind_after`); absent: APPROVAL_REMINDER_AFTER. */
  remindAfter?: RemindAfter | undefined;
}

export interface Policy {
  rules: readonly PolicyRule[];
}

export const DEFAULT_MAX_WAIT_HOURS = 24;

export function defaultRule(people: PeopleSet & { allowSelfApproval: boolean }): PolicyRule {
  return {
    name: "default",
    match: { instanceIds: [], regions: [], engines: [] },
    approvers: { userIds: people.userIds, usergroupIds: people.usergroupIds },
    approvalsRequired: 1,
    allowSelfApproval: people.allowSelfApproval,
    maxWaitHours: DEFAULT_MAX_WAIT_HOURS,
  };
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`);
}

export function ruleMatches(
  rule: PolicyRule,
  instance: Pick<InstanceInfo, "id" | "regionId" | "engine">,
): boolean {
  const { instanceIds, regions, engines } = rule.match;
  return (
    (instanceIds.length === 0 || instanceIds.some((glob) => globToRegExp(glob).test(instance.id))) &&
    (regions.length === 0 || regions.includes(instance.regionId)) &&
    (engines.length === 0 || engines.includes(instance.engine))
  );
}

/** The rule for an instance, or `undefined` when no rule covers it (then nobody may request it). */
export function ruleFor(
  policy: Policy,
  instance: Pick<InstanceInfo, "id" | "regionId" | "engine">,
): PolicyRule | undefined {
  return policy.rules.find((rule) => ruleMatches(rule, instance));
}

/** Every user group a rule names, so the caller can resolve memberships in one go. */
export function groupsNamedBy(rule: PolicyRule): string[] {
  return [...new Set([...rule.approvers.usergroupIds, ...(rule.requesters?.usergroupIds ?? [])])];
}

function inSet(people: PeopleSet, userId: string, groupsOfUser: ReadonlySet<string>): boolean {
  return people.userIds.includes(userId) || people.usergroupIds.some((group) => groupsOfUser.has(group));
}

export type RequestRefusal = "no_rule" | "not_requester" | "channel_not_allowed";

export function mayRequest(
  rule: PolicyRule | undefined,
  who: { userId: string; channelId?: string | undefined; groups: ReadonlySet<string> },
): { ok: true } | { ok: false; reason: RequestRefusal } {
  if (!rule) return { ok: false, reason: "no_rule" };
  const allowed = rule.requesters;
  if (!allowed) return { ok: true };
  if (allowed.channelIds.length > 0 && (!who.channelId || !allowed.channelIds.includes(who.channelId))) {
    return { ok: false, reason: "channel_not_allowed" };
  }
  const anyPeopleListed = allowed.userIds.length > 0 || allowed.usergroupIds.length > 0;
  if (anyPeopleListed && !inSet(allowed, who.userId, who.groups))
    return { ok: false, reason: "not_requester" };
  return { ok: true };
}

export type DecisionRefusal = "not_approver" | "self_approval" | "already_approved" | "no_rule";

/** May this person approve (or reject) this pending request? */
export function mayDecide(
  rule: PolicyRule | undefined,
  request: Pick<BackupRequest, "requesterId" | "allowSelfApproval" | "approvals">,
  who: { userId: string; groups: ReadonlySet<string> },
  decision: "approve" | "reject",
): { ok: true } | { ok: false; reason: DecisionRefusal } {
  if (!rule) return { ok: false, reason: "no_rule" };
  if (!inSet(rule.approvers, who.userId, who.groups)) return { ok: false, reason: "not_approver" };
  // A requester may always withdraw by cancelling; approving their own request needs permission.
  if (decision === "approve" && who.userId === request.requesterId && !request.allowSelfApproval) {
    return { ok: false, reason: "self_approval" };
  }
  if (decision === "approve" && request.approvals.some((approval) => approval.userId === who.userId)) {
    return { ok: false, reason: "already_approved" };
  }
  return { ok: true };
}

/**
 * May this person see how a request ended (the Home tab's recent backups)? Its requester may, and
 * so may the people who could decide on it.
 */
export function maySeeOutcome(
  rule: PolicyRule | undefined,
  request: Pick<BackupRequest, "requesterId">,
  who: { userId: string; groups: ReadonlySet<string> },
): boolean {
  if (who.userId === request.requesterId) return true;
  return rule !== undefined && inSet(rule.approvers, who.userId, who.groups);
}

/** What an approver can do about a request that needs attention (the card's buttons). */
export type AttentionAction = "check_again" | "start_again" | "close";

/**
 * May this person act on a request that needs attention? Its approvers may; starting the backup
 * again is an approval of its own, so a requester may do it only where self-approval is allowed.
 */
export function mayHandleAttention(
  rule: PolicyRule | undefined,
  request: Pick<BackupRequest, "requesterId" | "allowSelfApproval">,
  who: { userId: string; groups: ReadonlySet<string> },
  action: AttentionAction,
): { ok: true } | { ok: false; reason: Exclude<DecisionRefusal, "already_approved"> } {
  if (!rule) return { ok: false, reason: "no_rule" };
  if (!inSet(rule.approvers, who.userId, who.groups)) return { ok: false, reason: "not_approver" };
  if (action === "start_again" && who.userId === request.requesterId && !request.allowSelfApproval) {
    return { ok: false, reason: "self_approval" };
  }
  return { ok: true };
}

/**
 * May this person cancel a scheduled run? Its requester may (it is theirs to withdraw), and so may
 * its approvers (who scheduled it by approving).
 */
export function mayCancelScheduled(
  rule: PolicyRule | undefined,
  request: Pick<BackupRequest, "requesterId">,
  who: { userId: string; groups: ReadonlySet<string> },
): boolean {
  if (who.userId === request.requesterId) return true;
  return rule !== undefined && inSet(rule.approvers, who.userId, who.groups);
}
