/**
 * `/rds-backup <DBInstanceId> key=value …`: the command line form of a request. Keys are short
 * names for the CreateBackup parameters, `at` the start time (src/domain/schedule.ts) and `reason`
 * the requester's reason (src/domain/reason.ts); every problem is reported, not just the first.
 *
 * A value may be double-quoted to hold spaces (`reason="restore test before the 2.3 release"`);
 * the text must already be unescaped from Slack's `&amp;`/`&lt;`/`&gt;` (the command listener does).
 */
import type { ParamField, Problem, RawBackupInput, Validation } from "./params.js";
import { REASON_FIELD } from "./reason.js";
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
/** The requester's reason: free text, beside the parameters too. */
export const REASON_KEY = "reason";

type InlineKey = keyof typeof INLINE_KEYS;
const KNOWN = Object.keys(INLINE_KEYS) as InlineKey[];

/** An inline request: the parameters, and the start time and the reason when they were given. */
export type InlineRequest = RawBackupInput & { at?: RunAtInput | undefined; reason?: string | undefined };

function isInlineKey(key: string): key is InlineKey {
  return (KNOWN as string[]).includes(key);
}

/**
 * Opening and closing quotes. Besides `"`, the typographic pair “…”: macOS and iOS turn typed
 * quotes into those by default ("smart quotes"), in Slack's composer too.
 */
const CLOSING: Readonly<Record<string, string>> = { '"': '"', "\u201c": "\u201d" };

interface Token {
  text: string;
  /** The quote that opened and never closed, if one did not. */
  unclosed?: string;
}

/**
 * Splits on whitespace outside quotes; a quoted part keeps its spaces and loses its quotes
 * (`reason="a b"` is `reason=a b`). `db=a, b` style spaces after commas are tolerated.
 */
function tokens(text: string): Token[] {
  const out: Token[] = [];
  let current: string | undefined;
  let quote: string | undefined;
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i] as string;
    if (quote !== undefined) {
      if (char === CLOSING[quote]) quote = undefined;
      else current = (current ?? "") + char;
      continue;
    }
    if (char in CLOSING) {
      quote = char;
      current ??= "";
      continue;
    }
    if (/\s/.test(char)) {
      // A space right after a comma continues the list: `db=a, b`.
      if (current?.endsWith(",")) continue;
      if (current !== undefined) out.push({ text: current });
      current = undefined;
      continue;
    }
    current = (current ?? "") + char;
  }
  if (current !== undefined)
    out.push(quote !== undefined ? { text: current, unclosed: quote } : { text: current });
  return out;
}

export function parseInlineArgs(text: string): Validation<InlineRequest> {
  const [first, ...rest] = tokens(text);
  const instanceId = first?.text;
  const problems: Problem[] = [];
  if (first?.unclosed !== undefined) {
    problems.push({ field: "input", code: "unterminated_quote", value: first.unclosed });
  }
  const input: Record<string, string> = {};
  const seen = new Set<string>();
  let at: RunAtInput | undefined;
  let reason: string | undefined;
  for (const { text: token, unclosed } of rest) {
    const eq = token.indexOf("=");
    if (unclosed !== undefined) {
      const key = token.slice(0, Math.max(eq, 0)).toLowerCase();
      problems.push({
        field: key === REASON_KEY ? REASON_FIELD : "input",
        code: "unterminated_quote",
        value: unclosed,
      });
      continue;
    }
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
    if (key === REASON_KEY) {
      if (seen.has(key)) {
        problems.push({ field: REASON_FIELD, code: "duplicate_option", value: key });
        continue;
      }
      seen.add(key);
      reason = value;
      continue;
    }
    if (!isInlineKey(key)) {
      problems.push({
        field: "input",
        code: "unknown_option",
        value: token.slice(0, eq),
        allowed: [...KNOWN, AT_KEY, REASON_KEY],
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
  return {
    ok: true,
    value: {
      ...input,
      DBInstanceId: instanceId,
      ...(at ? { at } : {}),
      ...(reason !== undefined ? { reason } : {}),
    },
  };
}
