/**
 * JSON logs with pino. Secrets are removed twice: by key (anything called token, secret,
 * authorization, …) and by value (the configured secrets, wherever they appear in a string, such
 * as an error message that echoes a request).
 */
import { type DestinationStream, type Logger, pino } from "pino";

export type { Logger };

const SECRET_KEYS = /token|secret|password|authorization|signature|cookie|credential/i;
const REDACTED = "[REDACTED]";
/** Slack token shapes, redacted even when they are not the configured ones. */
const TOKEN_SHAPES = /\bx(?:ox[abpers]|app)-[A-Za-z0-9-]{6,}/g;

export interface LoggerOptions {
  level: string;
  /** The configured secret values; any string containing one is scrubbed. */
  secrets: readonly string[];
  /** Where lines go (default stdout). Tests pass a stream to read the lines back. */
  destination?: DestinationStream | undefined;
  base?: Record<string, unknown> | undefined;
}

export function createLogger(options: LoggerOptions): Logger {
  const scrub = makeScrubber(options.secrets);
  return pino(
    {
      level: options.level,
      base: options.base ?? { service: "rds-backup-bot" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => scrub(object) as Record<string, unknown>,
      },
      hooks: {
        // The message string itself (`log.info("…")`) is not seen by formatters.log.
        logMethod(args, method) {
          const cleaned = args.map((arg) =>
            typeof arg === "string" ? scrubString(arg, options.secrets) : arg,
          );
          return method.apply(this, cleaned as Parameters<typeof method>);
        },
      },
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    },
    options.destination,
  );
}

export function scrubString(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out.replace(TOKEN_SHAPES, REDACTED);
}

function makeScrubber(secrets: readonly string[]) {
  const walk = (value: unknown, depth: number, seen: WeakSet<object>): unknown => {
    if (typeof value === "string") return scrubString(value, secrets);
    if (value === null || typeof value !== "object" || depth > 8) return value;
    if (seen.has(value)) return "[Circular]";
    seen.add(value);
    if (Array.isArray(value)) return value.map((item) => walk(item, depth + 1, seen));
    if (value instanceof Error) {
      return walk(
        {
          type: value.name,
          message: value.message,
          stack: value.stack,
          code: (value as { code?: unknown }).code,
        },
        depth + 1,
        seen,
      );
    }
    if (value instanceof Date || value instanceof URL) return scrubString(String(value), secrets);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] =
        SECRET_KEYS.test(key) && item !== undefined && typeof item !== "boolean"
          ? REDACTED
          : walk(item, depth + 1, seen);
    }
    return out;
  };
  return (value: unknown) => walk(value, 0, new WeakSet());
}
