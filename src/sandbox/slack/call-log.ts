/** Every request the emulator received and every interaction the simulator sent, and waiting for them. */
import { EventEmitter } from "node:events";
import { isRecord } from "../slack-blocks.js";
import { isDelayOnly } from "./faults.js";
import type { CallFilter, RecordedCall, RecordedInteraction, WaitOptions } from "./types.js";

export class CallLog {
  /** Every request received, in order. */
  readonly calls: RecordedCall[] = [];
  /** Every interaction the simulator sent to the app, in order. */
  readonly interactions: RecordedInteraction[] = [];
  private readonly events = new EventEmitter();

  constructor(
    private readonly now: () => number,
    private readonly log: (line: string) => void,
  ) {
    this.events.setMaxListeners(0);
  }

  record(entry: Omit<RecordedCall, "seq" | "ok" | "at" | "faulted">): RecordedCall {
    const call: RecordedCall = {
      ...entry,
      seq: this.calls.length + 1,
      at: this.now(),
      ok: entry.status === 200 && entry.response?.ok === true,
      faulted: entry.fault !== undefined && !isDelayOnly(entry.fault),
    };
    this.calls.push(call);
    this.log(`⇠ ${describeCall(call)}`);
    this.events.emit("call", call);
    return call;
  }

  recordInteraction(interaction: RecordedInteraction): void {
    this.interactions.push(interaction);
    this.log(
      `⇢ ${interaction.type} by ${interaction.user} → HTTP ${interaction.status} in ${interaction.elapsedMs} ms`,
    );
    this.events.emit("interaction", interaction);
  }

  /** See `SlackEmulator.waitFor`. */
  waitFor(
    first: string | ((call: RecordedCall) => boolean),
    second?: CallFilter | number | WaitOptions,
    third?: number | WaitOptions,
  ): Promise<RecordedCall> {
    let predicate: (call: RecordedCall) => boolean;
    let description: string;
    let opts: number | WaitOptions | undefined;
    if (typeof first === "function") {
      predicate = first;
      description = "a call matching the predicate";
      opts = second as number | WaitOptions | undefined;
    } else {
      const where = second as CallFilter | undefined;
      predicate = (call) =>
        call.method === first &&
        !call.faulted &&
        (where === undefined ||
          (typeof where === "function" ? where(call.args, call) : matches(call.args, where)));
      description =
        where === undefined || typeof where === "function"
          ? `a ${first} call`
          : `a ${first} call with ${JSON.stringify(where)}`;
      opts = third;
    }
    const { timeoutMs = 5000, after = 0 } = typeof opts === "number" ? { timeoutMs: opts } : (opts ?? {});
    const found = this.calls.find((c) => c.seq > after && predicate(c));
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const onCall = (call: RecordedCall): void => {
        if (call.seq > after && predicate(call)) {
          clearTimeout(timer);
          this.events.off("call", onCall);
          resolve(call);
        }
      };
      const timer = setTimeout(() => {
        this.events.off("call", onCall);
        reject(new Error(`Slack emulator: no ${description} within ${timeoutMs} ms.\n${this.recentCalls()}`));
      }, timeoutMs);
      this.events.on("call", onCall);
    });
  }

  /** See `SlackEmulator.waitUntil`. */
  waitUntil<T>(check: () => T | undefined | false, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const started = this.now();
      let done = false;
      const finish = (): void => {
        done = true;
        clearInterval(interval);
        this.events.off("call", poll);
      };
      const poll = (): void => {
        if (done) return;
        let value: T | undefined | false;
        try {
          value = check();
        } catch (error) {
          finish();
          reject(error);
          return;
        }
        if (value !== undefined && value !== false) {
          finish();
          resolve(value);
        } else if (this.now() - started > timeoutMs) {
          finish();
          reject(
            new Error(`Slack emulator: ${what} did not hold within ${timeoutMs} ms.\n${this.recentCalls()}`),
          );
        }
      };
      const interval = setInterval(poll, 10);
      this.events.on("call", poll);
      poll();
    });
  }

  /** The last calls, one line each (what `waitFor` prints on timeout). */
  recentCalls(count = 15): string {
    if (this.calls.length === 0) return "No calls were recorded.";
    const recent = this.calls.slice(-count).map((c) => `  ${describeCall(c)}`);
    return `Last ${recent.length} of ${this.calls.length} calls:\n${recent.join("\n")}`;
  }
}

/** Partial deep match used by `waitFor(method, where)`; primitives compare as strings (form args are strings). */
function matches(actual: unknown, expected: unknown): boolean {
  if (expected === undefined) return true;
  if (expected === null || typeof expected !== "object") {
    if (actual === null || actual === undefined) return expected === actual;
    if (typeof actual === "object") return false;
    return String(actual) === String(expected);
  }
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((e, i) => matches(actual[i], e))
    );
  }
  if (!isRecord(actual)) return false;
  return Object.entries(expected).every(([k, v]) => matches(actual[k], v));
}

function describeCall(call: RecordedCall): string {
  const keys = ["channel", "ts", "thread_ts", "user", "users", "usergroup", "view_id", "trigger_id"];
  const bits = keys.flatMap((k) => (call.args[k] !== undefined ? [`${k}=${String(call.args[k])}`] : []));
  if (typeof call.args.text === "string") bits.push(`text=${JSON.stringify(call.args.text.slice(0, 60))}`);
  const outcome = call.faulted
    ? `fault ${JSON.stringify(call.fault)}`
    : call.ok
      ? "ok"
      : `error=${String(call.response?.error ?? call.status)}`;
  return `#${call.seq} ${call.method} ${bits.join(" ")} → ${outcome}`;
}
