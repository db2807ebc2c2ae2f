/** `/rds-backup status …` and `/rds-backup history …`: where requests stand, as short text. */
import type { BackupService } from "../../backup/service.js";
import type { BackupRequest, Locale } from "../../domain/request.js";
import { messages } from "../../i18n/index.js";
import { slackTime } from "../dates.js";
import { mention, userText } from "../text.js";
import { stateLine } from "./approval-card.js";

export function statusLine(request: BackupRequest, locale: Locale): string {
  const t = messages(locale);
  const job = request.backupJobId ? ` · job ${userText(request.backupJobId, 40)}` : "";
  return `\`${request.id}\` · \`${userText(request.params.DBInstanceId, 80)}\` · *${t.stateNames[request.state]}*${job} · ${mention(request.requesterId)} · ${slackTime(request.createdAt)}`;
}

export async function statusText(service: BackupService, query: string, locale: Locale): Promise<string> {
  const t = messages(locale);
  const request = await service.find(query.trim());
  if (!request) return t.status.notFound(userText(query, 80));
  return [statusLine(request, locale), stateLine({ ...request, locale })].join("\n");
}

export async function historyText(
  service: BackupService,
  instanceId: string | undefined,
  locale: Locale,
): Promise<string> {
  const t = messages(locale);
  const requests = await service.history(instanceId?.trim() || undefined, 10);
  if (requests.length === 0) return t.status.noHistory;
  return [
    t.status.historyHeader(requests.length),
    ...requests.map((request) => `• ${statusLine(request, locale)}`),
  ].join("\n");
}
