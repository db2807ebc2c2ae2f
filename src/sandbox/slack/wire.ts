/** Small helpers for the Web API's wire format: arguments in, `{ ok, … }` answers out. */
import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";

/** A method's arguments, parsed: form fields as strings, JSON fields decoded. */
export type Args = Record<string, unknown>;
/** What a Web API method answers: `{ ok: true, … }` or `{ ok: false, error }`. */
export type ApiAnswer = Record<string, unknown> & { ok: boolean };
/** One Web API method of the emulator, after the token check. */
export type MethodHandler = (args: Args) => ApiAnswer;
/** Web API methods by name (`chat.postMessage`, …). */
export type MethodTable = Record<string, MethodHandler>;

/** Arguments Slack sends JSON-encoded inside a form body. */
export const JSON_FIELDS = ["blocks", "attachments", "view", "metadata"] as const;

export const fail = (error: string, extra: Record<string, unknown> = {}): ApiAnswer => ({
  ok: false,
  error,
  ...extra,
});

export function refuse(error: string, extra: Record<string, unknown> = {}): { refusal: ApiAnswer } {
  return { refusal: fail(error, extra) };
}

export function str(args: Args, key: string): string | undefined {
  const v = args[key];
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return undefined;
}

export function bool(args: Args, key: string): boolean {
  const v = args[key];
  return v === true || v === 1 || v === "true" || v === "1";
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function randomId(prefix: string, length: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  const bytes = randomBytes(length);
  let out = prefix;
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}
