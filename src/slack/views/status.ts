/** `/rds-backup status …` and `/rds-backup history …`: where requests stand, as short text. */
import type { AuditRecord } from "../../backup/ports.js";
import type { BackupService } from "../../backup/service.js";
import type { BackupRequest, Locale } from "../../domain/request.js";
import { messages } from "../../i18n/index.js";
import { slackTime } from "../dates.js";
import { mention, userText } from "../text.js";
import { stateLine } from "./approval-card.js";
import { reasonInline } from "./reason.js";

export function statusLine(request: BackupRequest, locale: Locale): string {
  const t = messages(locale);
  const job = request.backupJobId ? ` · job ${userText(request.backupJobId, 40)}` : "";
  // A request that runs at a set time says when, until it starts.
  const startAt =
    request.state === "scheduled" || request.state === "pending" ? request.schedule?.startAt : undefined;
  const when = startAt ? ` · ${t.status.scheduledFor(slackTime(startAt))}` : "";
  return `\`${request.id}\` · \`${userText(request.params.DBInstanceId, 80)}\` · *${t.stateNames[request.state]}*${when}${job} · ${mention(request.requesterId)} · ${slackTime(request.createdAt)}`;
}

/** An approver's decision on a request that needed attention, in a few words. */
export function attentionLine(action: AuditRecord, locale: Locale): string | undefined {
  const m = messages(locale).status;
  const who = mention(action.actor);
  const when = slackTime(action.at);
  switch (action.type) {
    case "checked_again":
      return m.checkedAgain(who, when);
    case "started_again":
      return m.startedAgain(who, when);
    case "closed_not_started":
      return m.closedNotStarted(who, when);
    default:
      return undefined;
  }
}

export async function statusText(service: BackupService, query: string, locale: Locale): Promise<string> {
  const t = messages(locale);
  const request = await service.find(query.trim());
  if (!request) return t.status.notFound(userText(query, 80));
  const actions = (request.createCalls ?? 0) > 0 ? await service.attentionActions(request.id) : [];
  return [
    statusLine(request, locale),
    ...(request.requestReason ? [t.status.reason(reasonInline(request.requestReason, 500))] : []),
    stateLine({ ...request, locale }),
    ...actions.flatMap((action) => {
      const line = attentionLine(action, locale);
      return line ? [`• ${line}`] : [];
    }),
  ].join("\n");
}

export async function historyText(
  service: BackupService,
  instanceId: string | undefined,
  locale: Locale,
): Promise<string> {
  const t = messages(locale);
  const requests = await service.history(instanceId?.trim() || undefined, 10);
  if (requests.length === 0) return t.status.noHistory;
  const lines = await Promise.all(
    requests.map(async (request) => {
      // The latest decision an approver took on it after it needed attention, when there was one.
      const actions = (request.createCalls ?? 0) > 0 ? await service.attentionActions(request.id) : [];
      const latest = actions.at(-1);
      const note = latest ? attentionLine(latest, locale) : undefined;
      const reason = request.requestReason
        ? ` · ${t.status.reason(reasonInline(request.requestReason, 80))}`
        : "";
      return `• ${statusLine(request, locale)}${reason}${note ? ` · ${note}` : ""}`;
    }),
  );
  return [t.status.historyHeader(requests.length), ...lines].join("\n");
}
