/**
 * Turns a failed Alibaba Cloud call into words for a Slack thread: what happened, what to do next,
 * in the requester's language, with the raw code and RequestId kept for support.
 *
 * Everything that comes from the API or the caller is treated as hostile and sanitised (no
 * `undefined`/`null`/`[object Object]`, no stack traces, no control characters, capped lengths,
 * secrets redacted). The result is plain text: no Slack markup and no escaping (`<!channel>` is
 * left as it is); the Slack layer renders and escapes.
 */
import {
  type ApiErrorClass,
  canonicalErrorCode,
  classifyApiError,
  type ErrorCategory,
} from "../domain/api-errors.js";
import type { ApiFailureInfo, Outcome } from "../domain/api-failure.js";
import type { Locale } from "../domain/request.js";
import {
  API_ERRORS_EN,
  type ErrorCatalog,
  EXPLAIN_EN,
  type ExplainStrings,
  PLACEHOLDERS,
  type Placeholder,
} from "./api-errors.en.js";
import { API_ERRORS_JA, EXPLAIN_JA } from "./api-errors.ja.js";

export type { Placeholder } from "./api-errors.en.js";
export { PLACEHOLDERS } from "./api-errors.en.js";

/** Facts that fill the texts' placeholders. Anything missing reads as a neutral phrase. */
export interface ExplainContext {
  /** DBInstanceId, e.g. `rm-uf6wjk5xxxx`. */
  instanceId?: string | undefined;
  /** The instance's current DBInstanceStatus, e.g. `Restarting`. */
  status?: string | undefined;
  engine?: string | undefined;
  /** BackupMethod asked for. */
  method?: string | undefined;
  /** DBName asked for (comma-separated names). */
  dbName?: string | undefined;
  /** How long to wait: seconds (formatted in the locale) or ready-made words. Default: the failure's retryAfterSeconds. */
  retryAfter?: number | string | undefined;
  /** The RAM action refused, e.g. `rds:CreateBackup`. */
  action?: string | undefined;
  /** When the daily backup count resets, in words ("after 00:00 UTC+8"). */
  resetTime?: string | undefined;
}

export interface FailureExplanation {
  /** Heading, by what is known to have happened on the server. */
  title: string;
  what: string;
  next: string;
  category: ErrorCategory;
  categoryLabel: string;
  /** The error code, cleaned (letters, digits, `.`, `_`, `:`, `-`). */
  code: string;
  /** The API's own message, sanitised; absent when empty. */
  apiMessage?: string;
  requestId?: string;
  /** The API's diagnosis link, only when it is an http(s) URL. */
  recommend?: string;
  /** Worth retrying automatically: the catalog's word for a known code, the failure's own otherwise. */
  transient: boolean;
}

const CATALOGS: Readonly<Record<Locale, { errors: ErrorCatalog; strings: ExplainStrings }>> = {
  en: { errors: API_ERRORS_EN, strings: EXPLAIN_EN },
  ja: { errors: API_ERRORS_JA, strings: EXPLAIN_JA },
};

const OUTCOMES: readonly Outcome[] = ["not_sent", "rejected", "unknown"];

/** Length caps, in code points. */
export const DISPLAY_LIMITS = Object.freeze({
  code: 64,
  apiMessage: 400,
  /** The API's message quoted inside "what" for an unknown code. */
  messageInWhat: 200,
  requestId: 64,
  recommend: 300,
  contextValue: 80,
  line: 700,
});

/** Work on at most this much of any input: a 10 MB message costs no more than a 20 kB one. */
const MAX_INPUT = 20_000;

export function explainFailure(
  failure: ApiFailureInfo,
  locale: Locale,
  context: ExplainContext = {},
): FailureExplanation {
  const { errors, strings } = CATALOGS[locale === "ja" ? "ja" : "en"];
  const code = sanitizeCode(failure.code);
  const httpStatus = sanitizeHttpStatus(failure.httpStatus);
  const known = canonicalErrorCode(code);
  const classification: ApiErrorClass = classifyApiError(code, httpStatus);
  const outcome: Outcome = OUTCOMES.includes(failure.outcome) ? failure.outcome : "unknown";
  const apiMessage = sanitizeForDisplay(failure.message, DISPLAY_LIMITS.apiMessage);
  const values = contextValues(context, failure, strings);
  const joiner = locale === "ja" ? "" : " ";

  let what: string;
  let next: string;
  if (known !== undefined) {
    const text = errors[known];
    what = fill(text.what, values, strings, locale);
    next = fill(text.next, values, strings, locale);
  } else {
    const quoted = apiMessage === undefined ? undefined : truncate(apiMessage, DISPLAY_LIMITS.messageInWhat);
    what = strings.unknownWhat(code, quoted);
    next = strings.categoryNext[classification.category];
  }
  if (outcome === "unknown") next = `${strings.outcomeUnknownNote}${joiner}${next}`;

  const explanation: FailureExplanation = {
    title: strings.title[outcome],
    what: truncate(what, DISPLAY_LIMITS.line),
    next: truncate(next, DISPLAY_LIMITS.line),
    category: classification.category,
    categoryLabel: strings.categoryLabel[classification.category],
    code,
    transient:
      known !== undefined || typeof failure.transient !== "boolean"
        ? classification.transient
        : failure.transient,
  };
  if (apiMessage !== undefined) explanation.apiMessage = apiMessage;
  const requestId = sanitizeRequestId(failure.requestId);
  if (requestId !== undefined) explanation.requestId = requestId;
  const recommend = sanitizeUrl(failure.recommend);
  if (recommend !== undefined) explanation.recommend = recommend;
  return explanation;
}

// --- placeholders ---

type Values = Partial<Record<Placeholder, string>>;

function contextValues(context: ExplainContext, failure: ApiFailureInfo, strings: ExplainStrings): Values {
  const values: Values = {};
  const source = (typeof context === "object" && context !== null ? context : {}) as Record<string, unknown>;
  for (const name of PLACEHOLDERS) {
    if (name === "retryAfter") continue;
    const value = sanitizeForDisplay(source[name], DISPLAY_LIMITS.contextValue);
    if (value !== undefined) values[name] = value;
  }
  const wait = waitWords(source.retryAfter, strings) ?? waitWords(failure.retryAfterSeconds, strings);
  if (wait !== undefined) values.retryAfter = wait;
  return values;
}

/** Seconds (a positive number, rounded up, at most a day) in the locale's words, or ready-made words. */
function waitWords(wait: unknown, strings: ExplainStrings): string | undefined {
  if (typeof wait !== "number") return sanitizeForDisplay(wait, DISPLAY_LIMITS.contextValue);
  if (!Number.isFinite(wait) || wait <= 0) return undefined;
  return strings.duration(Math.ceil(Math.min(wait, 86_400)));
}

function isPlaceholder(name: string): name is Placeholder {
  return (PLACEHOLDERS as readonly string[]).includes(name);
}

/** Kana and kanji: next to these, a Latin value gets a space (`rm-xxxx では`). */
const JAPANESE_CHAR = /[\u3040-\u30FF\u3400-\u9FFF\uF900-\uFAFF]/;
const ASCII_VISIBLE = /[!-~]/;

/** Replaces each `{name}` once, left to right: a value that contains `{status}` is not filled again. */
function fill(template: string, values: Values, strings: ExplainStrings, locale: Locale): string {
  return template.replace(/\{(\w+)\}/g, (_match: string, name: string, offset: number) => {
    if (!isPlaceholder(name)) return "";
    const value = values[name] ?? strings.fallback[name];
    if (locale !== "ja") return value;
    const before = template.charAt(offset - 1);
    const after = template.charAt(offset + name.length + 2);
    let spaced = value;
    if (JAPANESE_CHAR.test(before) && ASCII_VISIBLE.test(value.charAt(0))) spaced = ` ${spaced}`;
    if (JAPANESE_CHAR.test(after) && ASCII_VISIBLE.test(value.charAt(value.length - 1)))
      spaced = `${spaced} `;
    return spaced;
  });
}

// --- sanitising ---

/** Values that mean "nothing" once printed. */
const EMPTY_LOOKING = new Set(["", "undefined", "null", "nan", "[object object]", "{}"]);

/**
 * Makes an untrusted value safe to show: strings and finite numbers only; stack frames dropped;
 * control and invisible (bidi, zero-width) characters removed; secrets redacted; `[object Object]`
 * removed; whitespace collapsed; capped at `maxLength` code points (with `…`). Undefined when
 * nothing meaningful is left. Slack markup (`<!channel>`, `*`, `&`) is left for the Slack layer.
 */
export function sanitizeForDisplay(value: unknown, maxLength: number): string | undefined {
  let text: string;
  if (typeof value === "string") text = value;
  else if (typeof value === "number" && Number.isFinite(value)) text = String(value);
  else return undefined;
  if (text.length > MAX_INPUT) text = text.slice(0, MAX_INPUT);
  text = dropStackFrames(text);
  text = stripInvisible(text);
  text = redactSecrets(text);
  text = text.replaceAll("[object Object]", " ").replace(/\s+/g, " ").trim();
  if (EMPTY_LOOKING.has(text.toLowerCase())) return undefined;
  return truncate(text, maxLength);
}

/** A stack frame on its own line: `    at fn (/path/file.js:10:5)`, `    at node:internal/…`. */
const FRAME_LINE = /^\s+at\s.*(?::\d+:\d+\)?|<anonymous>\)?|\(native\))\s*$/;
/** A stack frame run into the text. */
const INLINE_FRAME =
  /\s+at\s+(?:(?:new|async)\s+)?(?:[\w$.<>[\]]+\s+)?\(?(?:file:\/\/|node:|\/|[A-Za-z]:\\)[^\s()]*:\d+:\d+\)?/g;

function dropStackFrames(text: string): string {
  const lines = text.split(/\r\n|\r|\n/);
  const firstFrame = lines.findIndex((line) => FRAME_LINE.test(line));
  const kept = firstFrame === -1 ? lines : lines.slice(0, firstFrame);
  return kept.join("\n").replace(INLINE_FRAME, "");
}

function isInvisible(codePoint: number): boolean {
  return (
    (codePoint >= 0x200b && codePoint <= 0x200f) || // zero-width, LRM/RLM
    (codePoint >= 0x202a && codePoint <= 0x202e) || // bidi embedding and override
    (codePoint >= 0x2060 && codePoint <= 0x2064) || // word joiner, invisible operators
    (codePoint >= 0x2066 && codePoint <= 0x2069) || // bidi isolates
    codePoint === 0xfeff || // BOM
    codePoint === 0x00ad || // soft hyphen
    (codePoint >= 0xd800 && codePoint <= 0xdfff) // a lone surrogate (pairs arrive joined)
  );
}

/** Control characters (C0, DEL, C1) become spaces; invisible ones disappear. */
function stripInvisible(text: string): string {
  let out = "";
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0;
    if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint <= 0x9f)) out += " ";
    else if (!isInvisible(codePoint)) out += char;
  }
  return out;
}

const REDACTED = "[redacted]";
/** Everything after the name of an AccessKey secret is dropped, whatever follows. */
const ACCESS_KEY_SECRET = /access[\s_.-]*key[\s_.-]*secret/i;
const SECRET_PATTERNS: readonly [RegExp, string][] = [
  // Slack tokens (xoxb-, xoxp-, xoxa-, xoxr-, xoxe-, xapp-), also inside URL-encoded text.
  [/xox[a-z]-[A-Za-z0-9-]+/gi, REDACTED],
  [/xapp-[A-Za-z0-9-]+/gi, REDACTED],
  // key=value / key: value echoes of credentials.
  [
    /(?<![A-Za-z])(password|passwd|pwd|secret|token|signature|security[_-]?token|credential|client[_-]?secret)(["']?\s*(?:[:=]|%3D)\s*["']?)[^\s"',;&]+/gi,
    `$1$2${REDACTED}`,
  ],
  [/\bBearer\s+[A-Za-z0-9._~+/=-]+/gi, `Bearer ${REDACTED}`],
  // Alibaba Cloud STS tokens and AccessKey IDs, also inside URL-encoded strings to sign.
  [/CAIS[A-Za-z0-9+/=%]{16,}/g, REDACTED],
  [/LTAI[A-Za-z0-9]{8,}/g, REDACTED],
];

function redactSecrets(text: string): string {
  let out = text;
  const secret = ACCESS_KEY_SECRET.exec(out);
  if (secret !== null) out = `${out.slice(0, secret.index + secret[0].length)} ${REDACTED}`;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** Cuts to `max` code points, ending with `…` when something was cut. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const codePoints = Array.from(text);
  if (codePoints.length <= max) return text;
  return `${codePoints
    .slice(0, Math.max(0, max - 1))
    .join("")
    .trimEnd()}…`;
}

function sanitizeCode(raw: unknown): string {
  const text = typeof raw === "string" ? raw : typeof raw === "number" ? String(raw) : "";
  const cleaned = text.slice(0, MAX_INPUT).replace(/[^A-Za-z0-9._:-]/g, "");
  if (EMPTY_LOOKING.has(cleaned.toLowerCase())) return "UnknownError";
  return cleaned.slice(0, DISPLAY_LIMITS.code);
}

function sanitizeHttpStatus(raw: unknown): number | undefined {
  return typeof raw === "number" && Number.isInteger(raw) && raw >= 100 && raw <= 599 ? raw : undefined;
}

function sanitizeRequestId(raw: unknown): string | undefined {
  if (typeof raw !== "string") return undefined;
  const cleaned = raw.slice(0, MAX_INPUT).replace(/[^A-Za-z0-9-]/g, "");
  if (EMPTY_LOOKING.has(cleaned.toLowerCase())) return undefined;
  return cleaned.slice(0, DISPLAY_LIMITS.requestId);
}

function sanitizeUrl(raw: unknown): string | undefined {
  const text = sanitizeForDisplay(raw, DISPLAY_LIMITS.recommend);
  if (text === undefined || text.endsWith("…")) return undefined;
  return /^https?:\/\/[^\s<>"]+$/.test(text) ? text : undefined;
}
