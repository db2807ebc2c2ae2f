/**
 * What a first install gets wrong, found at start-up and said plainly in the log:
 *
 * - a channel the bot must post to but cannot: not invited (`/invite @rds-backup`), a private
 *   channel it cannot see, an archived one, a wrong id. Asked with `conversations.info` (scopes
 *   `channels:read` and `groups:read`), whose `is_member` and `is_archived` say it before any card
 *   is refused; a private channel the bot is not in answers `channel_not_found`.
 * - approver user groups on a workspace without user groups: they exist only on paid plans, and
 *   `usergroups.users.list` answers `plan_upgrade_required` on a free one (api.slack.com/methods/
 *   usergroups.users.list); older answers say `paid_teams_only`. Nobody could approve through them.
 *
 * A problem with the approval channel also makes the bot not ready (`/readyz`), and is checked
 * again (`recheck`) until it is fixed; the outbox reports the same when Slack refuses a card.
 */
import type { WebClient } from "@slack/web-api";
import type { Logger } from "../logger.js";
import { slackErrorCode } from "./delivery-errors.js";

/** Whether the bot can post in a channel, as far as Slack says. */
export type ChannelAccess = "ok" | "not_in_channel" | "not_found" | "archived" | "unchecked";

export interface ChannelReport {
  channel: string;
  access: ChannelAccess;
  name?: string | undefined;
  /** Why it could not be checked (`missing_scope`, a timeout, …). */
  error?: string | undefined;
}

/** Asks Slack about one channel. */
export async function checkChannel(client: WebClient, channel: string): Promise<ChannelReport> {
  try {
    const info = (await client.conversations.info({ channel })).channel;
    if (!info) return { channel, access: "unchecked", error: "no channel in Slack's answer" };
    const name = info.name;
    if (info.is_archived) return { channel, access: "archived", name };
    if (info.is_member === false && !info.is_im) return { channel, access: "not_in_channel", name };
    return { channel, access: "ok", name };
  } catch (error) {
    const code = slackErrorCode(error);
    if (code === "channel_not_found") return { channel, access: "not_found" };
    return {
      channel,
      access: "unchecked",
      error: code ?? (error instanceof Error ? error.message : String(error)),
    };
  }
}

/** What the operator should do about a channel, in one sentence naming the variable. */
export function channelAdvice(report: ChannelReport, variable: string, bot: string): string {
  const where = report.name ? `${report.channel} (#${report.name})` : report.channel;
  switch (report.access) {
    case "ok":
      return `${variable} ${where}: the bot can post there.`;
    case "not_in_channel":
      return `${variable} ${where}: the bot is not a member, so Slack refuses its messages there (not_in_channel). Type /invite ${bot} in that channel.`;
    case "not_found":
      return `${variable} ${where}: the bot cannot see this channel (channel_not_found). A private channel: invite the bot there (/invite ${bot}). Otherwise the id is wrong: copy the channel's id (C…) from its details in Slack.`;
    case "archived":
      return `${variable} ${where} is archived: nobody can post there. Unarchive it, or set ${variable} to another channel.`;
    case "unchecked":
      return report.error === "missing_scope"
        ? `${variable} ${where} was not checked: the app lacks the channels:read and groups:read scopes. Reinstall it from manifests/slack-app.*.yaml.`
        : `${variable} ${where} could not be checked (${report.error ?? "no answer"}); the bot starts anyway.`;
  }
}

/** Slack's refusals of a post that say the channel itself is unusable. */
const CHANNEL_PROBLEMS: Readonly<Record<string, ChannelAccess>> = {
  not_in_channel: "not_in_channel",
  channel_not_found: "not_found",
  is_archived: "archived",
};

/** Codes with which Slack says the workspace has no user groups at all. */
const NO_USERGROUPS = new Set(["plan_upgrade_required", "paid_teams_only"]);

export interface WorkspaceCheckOptions {
  approvalChannelId: string;
  notifyChannelIds: readonly string[];
  /** Every user group the approval policy names. */
  usergroupIds: readonly string[];
  /** The bot's user id, to name it in advice. */
  botUserId?: string | undefined;
  /** Told the approval channel's state: `undefined` when usable (or unknown), else the problem. */
  onApprovalChannel: (problem: ChannelAccess | undefined) => void;
}

export class WorkspaceCheck {
  private approvalProblem: ChannelAccess | undefined;

  constructor(
    private readonly client: WebClient,
    private readonly options: WorkspaceCheckOptions,
    private readonly log: Logger,
  ) {}

  private get bot(): string {
    return this.options.botUserId ? `<@${this.options.botUserId}>` : "@rds-backup";
  }

  /** Checks every channel and user group at once and logs what needs doing. */
  async atStart(): Promise<void> {
    const { approvalChannelId, notifyChannelIds, usergroupIds } = this.options;
    const [approval, notify] = await Promise.all([
      checkChannel(this.client, approvalChannelId),
      Promise.all(notifyChannelIds.map((channel) => checkChannel(this.client, channel))),
      this.checkUsergroups(usergroupIds),
    ]);
    this.reportApproval(approval);
    for (const report of notify) {
      if (report.access === "ok") continue;
      this.log.warn(
        { channel: report.channel, access: report.access, error: report.error },
        channelAdvice(report, "NOTIFY_CHANNEL_IDS", this.bot),
      );
    }
  }

  /** While the approval channel has a problem, asks again (after someone may have fixed it). */
  async recheck(): Promise<void> {
    if (this.approvalProblem === undefined) return;
    this.reportApproval(await checkChannel(this.client, this.options.approvalChannelId));
  }

  /** The outbox gave up on a message to the approval channel: Slack answered `code`. */
  approvalCardRefused(code: string): void {
    const problem = CHANNEL_PROBLEMS[code];
    if (!problem) return;
    this.approvalProblem = problem;
    this.options.onApprovalChannel(problem);
  }

  private reportApproval(report: ChannelReport): void {
    const advice = channelAdvice(report, "APPROVAL_CHANNEL_ID", this.bot);
    const facts = { channel: report.channel, access: report.access, error: report.error };
    if (report.access === "ok") {
      if (this.approvalProblem !== undefined) this.log.info(facts, advice);
      this.approvalProblem = undefined;
    } else if (report.access === "unchecked") {
      this.log.warn(facts, advice);
      // Unknown is not unusable: readiness stays as it was.
      return;
    } else {
      this.log.error(facts, `${advice} Until then no approval card can be posted.`);
      this.approvalProblem = report.access;
    }
    this.options.onApprovalChannel(this.approvalProblem);
  }

  private async checkUsergroups(groupIds: readonly string[]): Promise<void> {
    const results = await Promise.all(
      groupIds.map(async (group) => {
        try {
          await this.client.usergroups.users.list({ usergroup: group });
          return { group, code: undefined };
        } catch (error) {
          return {
            group,
            code: slackErrorCode(error) ?? (error instanceof Error ? error.message : String(error)),
          };
        }
      }),
    );
    const freePlan = results.find((result) => result.code !== undefined && NO_USERGROUPS.has(result.code));
    if (freePlan) {
      this.log.warn(
        { usergroups: groupIds, error: freePlan.code },
        `This Slack workspace has no user groups (they need a paid plan; Slack answered ${freePlan.code}), so nobody can approve or request through ${groupIds.join(", ")} (APPROVER_USERGROUP_IDS or the policy's groups). Name the approvers by user id instead (APPROVER_USER_IDS, or users: in the policy).`,
      );
      return;
    }
    for (const { group, code } of results) {
      if (code === undefined) continue;
      this.log.warn(
        { usergroup: group, error: code },
        code === "no_such_subteam"
          ? `User group ${group} does not exist in this workspace: its members cannot approve. Copy the group's id (S…) from its details in Slack.`
          : `User group ${group} could not be checked (${code}); membership is looked up again on each decision.`,
      );
    }
  }
}
