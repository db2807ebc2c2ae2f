import type { HomeTabs } from "../../backup/home.js";
import type { InstanceCatalog } from "../../backup/instance-catalog.js";
import type { BackupService } from "../../backup/service.js";
import type { Locale } from "../../domain/request.js";
import type { Logger } from "../../logger.js";
import type { AfterAck } from "../after-ack.js";
import type { SlackDirectory } from "../directory.js";

/** What every listener needs; built once in the composition root. */
export interface ListenerDeps {
  service: BackupService;
  catalog: InstanceCatalog;
  directory: SlackDirectory;
  approvalChannelId: string;
  defaultLocale: Locale;
  logger: Logger;
  /** The Home tab: publishing it when opened, and with a word on top for a refused click there. */
  home: HomeTabs;
  /** Runs a listener's work after its ack, a bounded number at a time (see after-ack.ts). */
  afterAck: AfterAck;
  /** The bot was added to `channel`: what was set aside there may go now. */
  botJoined: (channel: string) => Promise<void>;
}

/**
 * The child logger the request middleware put on Bolt's context (one per Slack request, with its
 * id, kind and user), or the app's logger outside a request.
 */
export function requestLog(context: Record<string, unknown>, fallback: Logger): Logger {
  const log = context.log;
  return log && typeof (log as Logger).child === "function" ? (log as Logger) : fallback;
}

/** A short reference people can quote to an operator, matching the log line with the details. */
export function errorReference(): string {
  return `E${Date.now().toString(36).toUpperCase()}`;
}
