/**
 * What the fuzz tests check against, independent of the code under test: the parameter rules RDS
 * applies to CreateBackup (as the emulator has them), and Slack markup that must never appear
 * unescaped in anything the bot posts.
 */
import type { EngineFacts } from "../../src/domain/engine.js";
import type { RecordedCall } from "../../src/sandbox/slack-emulator.js";

/** Written out here rather than taken from the code under test: cloud disks by their API names. */
function onCloudDisks(storageType: string | undefined): boolean {
  return /^(cloud_|general_essd)/i.test(storageType ?? "");
}

/**
 * Why RDS would refuse these CreateBackup parameters, or undefined. (Database existence aside.)
 * An unknown storage type, version or edition is taken as the permissive case: the API decides.
 */
export function apiRefusal(facts: EngineFacts, params: Record<string, string | number>): string | undefined {
  const method = String(params.BackupMethod ?? "Physical");
  const cloud = onCloudDisks(facts.storageType);
  const local = /^(local_ssd|ephemeral_ssd)$/i.test(facts.storageType ?? "");
  if (!["Physical", "Logical", "Snapshot"].includes(method)) return "InvalidBackupMethod.ValueNotSupport";
  if (method === "Logical" && facts.engine !== "MySQL") return "InvalidBackupMethod.ValueNotSupport";
  if (method === "Snapshot" && (local || facts.engine === "MariaDB")) {
    return "InvalidBackupMethod.ValueNotSupport";
  }
  // Cloud disks: only snapshot backups for MySQL and PostgreSQL.
  if (cloud && method !== "Snapshot" && (facts.engine === "MySQL" || facts.engine === "PostgreSQL")) {
    return "InvalidBackupMethod.ValueNotSupport";
  }
  // A MySQL database-level backup: 5.6, 5.7 or 8.0; High-availability (or 5.7 Enterprise); local SSDs.
  if (facts.engine === "MySQL" && params.BackupStrategy === "db") {
    const version = facts.engineVersion ? (/^\d+\.\d+/.exec(facts.engineVersion)?.[0] ?? "?") : undefined;
    const category = facts.category?.toLowerCase();
    if (version !== undefined && !["5.6", "5.7", "8.0"].includes(version)) return "IncorrectDBInstanceType";
    if (category && !(category === "highavailability" || (category === "finance" && version === "5.7"))) {
      return "IncorrectDBInstanceType";
    }
    if (cloud) return "IncorrectDBInstanceType";
  }
  if (params.BackupType !== undefined) {
    if (!["Auto", "FullBackup"].includes(String(params.BackupType))) return "BackupType.NotSupport";
    if (facts.engine !== "SQLServer" || method !== "Physical") return "BackupType.NotSupport";
  }
  if (params.BackupStrategy !== undefined && !["instance", "db"].includes(String(params.BackupStrategy))) {
    return "Parameters.Invalid";
  }
  if (params.BackupStrategy === "db") {
    if (!params.DBName) return "RequiredParam.NotFound";
    for (const name of String(params.DBName).split(",")) {
      if (!/^[A-Za-z0-9_$-]{1,64}$/.test(name)) return "InvalidDBName.Format";
    }
  }
  if (params.DBName !== undefined && params.BackupStrategy !== "db") return "DBName without a db strategy";
  if (params.BackupRetentionPeriod !== undefined) {
    const days = Number(params.BackupRetentionPeriod);
    if (!(Number.isInteger(days) && (days === -1 || (days >= 7 && days <= 730)))) return "Parameters.Invalid";
  }
  return undefined;
}

/** Error codes by which RDS refuses CreateBackup's parameters. */
export const PARAMETER_ERROR_CODES = new Set([
  "InvalidBackupMethod.ValueNotSupport",
  "BackupType.NotSupport",
  "Parameters.Invalid",
  "RequiredParam.NotFound",
  "InvalidDBName.Format",
  "InvalidDB.NotFound",
  "InvalidParameter",
  "MissingDBInstanceId",
]);

/** The mrkdwn a call shows people: top-level `text` and every `mrkdwn` text object, recursively. */
export function mrkdwnTexts(value: unknown, topLevel = true): string[] {
  const out: string[] = [];
  const walk = (node: unknown, top: boolean) => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item, false);
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const record = node as Record<string, unknown>;
    if (top && typeof record.text === "string") out.push(record.text);
    if (!top && record.type === "mrkdwn" && typeof record.text === "string") out.push(record.text);
    for (const [key, child] of Object.entries(record)) {
      if (top && key === "text") continue;
      if (typeof child === "object") walk(child, false);
    }
  };
  walk(value, topLevel);
  return out;
}

const MESSAGE_METHODS = new Set([
  "chat.postMessage",
  "chat.update",
  "chat.postEphemeral",
  "response_url",
  "views.open",
  "views.update",
  "views.push",
]);

export interface MarkupFinding {
  method: string;
  text: string;
  found: string;
}

const OWN_DATE_TOKEN = /^!date\^\d+\^\{date_short_pretty\} \{time\}\|\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/;

/**
 * Unescaped markup in what the bot sent: special mentions (`<!channel>`, `<!here>`, `<!everyone>`,
 * `<!subteam…>`, any `<!…>` but the bot's own date tokens), user mentions of anyone but `allowedUsers`, and links other than to
 * `allowedHosts`.
 */
export function unescapedMarkup(
  calls: readonly RecordedCall[],
  allowedUsers: ReadonlySet<string>,
  allowedHosts: ReadonlySet<string>,
): MarkupFinding[] {
  const findings: MarkupFinding[] = [];
  for (const call of calls) {
    if (!MESSAGE_METHODS.has(call.method)) continue;
    for (const text of mrkdwnTexts(call.args)) {
      for (const match of text.matchAll(/<([^<>]*)>/g)) {
        const inner = match[1] ?? "";
        let bad = false;
        // The bot's own date tokens (src/slack/dates.ts) are the one special it writes.
        if (inner.startsWith("!")) bad = !OWN_DATE_TOKEN.test(inner);
        else if (inner.startsWith("@")) bad = !allowedUsers.has(inner.slice(1).split("|")[0] ?? "");
        else if (inner.startsWith("#")) bad = !/^#C[A-Z0-9]+(\|[^|]*)?$/.test(inner);
        else if (/^[a-z]+:/i.test(inner)) {
          let host = "";
          try {
            host = new URL(inner.split("|")[0] ?? "").hostname;
          } catch {
            host = "";
          }
          bad = !allowedHosts.has(host);
        }
        if (bad) findings.push({ method: call.method, text: text.slice(0, 300), found: match[0] });
      }
    }
  }
  return findings;
}
