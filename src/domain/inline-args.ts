/**
 * `/rds-backup <DBInstanceId> key=value …`: the command line form of a request. Keys are short
 * names for the CreateBackup parameters, and `at` the start time (src/domain/schedule.ts); every
 * problem is reported, not just the first.
 */
import type { ParamField, Problem, RawBackupInput, Validation } from "./params.js";
import { parseRunAt, RUN_AT_FIELD, type RunAtInput } from "./schedule.js";

export const INLINE_KEYS = {
  db: "DBName",
  strategy: "BackupStrategy",
  method: "BackupMethod",
  type: "BackupType",
  retention: "BackupRetentionPeriod",
} as const satisfies Record<string, ParamField>;

/** The start time: not a CreateBackup parameter, so it travels beside them. */
export const AT_KEY = "at";

type InlineKey = keyof typeof INLINE_KEYS;
const KNOWN = Object.keys(INLINE_KEYS) as InlineKey[];

/** An inline request: the parameters, and the start time when one was given. */
export type InlineRequest = RawBackupInput & { at?: RunAtInput | undefined };

function isInlineKey(key: string): key is InlineKey {
  return (KNOWN as string[]).includes(key);
}

/** Splits on whitespace; `db=a, b` style spaces after commas are tolerated. */
function tokens(text: string): string[] {
  return text
    .replace(/,\s+/g, ",")
    .split(/\s+/)
    .filter((token) => token !== "");
}

export function parseInlineArgs(text: string): Validation<InlineRequest> {
  const [instanceId, ...rest] = tokens(text);
  const problems: Problem[] = [];
  const input: Record<string, string> = {};
  const seen = new Set<string>();
  let at: RunAtInput | undefined;
  for (const token of rest) {
    const eq = token.indexOf("=");
    if (eq <= 0) {
      problems.push({ field: "input", code: "malformed_option", value: token });
      continue;
    }
    const key = token.slice(0, eq).toLowerCase();
    const value = token.slice(eq + 1);
    if (key === AT_KEY) {
      if (seen.has(key)) {
        problems.push({ field: RUN_AT_FIELD, code: "duplicate_option", value: key });
        continue;
      }
      seen.add(key);
      const parsed = parseRunAt(value);
      if (parsed.ok) at = parsed.value;
      else problems.push(...parsed.problems);
      continue;
    }
    if (!isInlineKey(key)) {
      problems.push({
        field: "input",
        code: "unknown_option",
        value: token.slice(0, eq),
        allowed: [...KNOWN, AT_KEY],
      });
      continue;
    }
    if (seen.has(key)) {
      problems.push({ field: INLINE_KEYS[key], code: "duplicate_option", value: key });
      continue;
    }
    seen.add(key);
    input[INLINE_KEYS[key]] = value;
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { ...input, DBInstanceId: instanceId, ...(at ? { at } : {}) } };
}
