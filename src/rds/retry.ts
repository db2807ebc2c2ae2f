/**
 * Retrying read calls: exponential backoff with full jitter, honouring the API's retry-after, and
 * never past the call's deadline. Only `ApiFailure`s marked `transient` are retried. The clock,
 * the sleep and the randomness are injectable so the policy can be tested without waiting.
 */
import { ApiFailure } from "../domain/api-failure.js";

export interface RetryPolicy {
  /** Delay cap before jitter for the first retry; doubles each time. */
  baseDelayMs: number;
  /** Largest delay between attempts (before retry-after, which wins when longer). */
  maxDelayMs: number;
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** An attempt is not started with less time than this left before the deadline. */
  minAttemptMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseDelayMs: 200,
  maxDelayMs: 3_000,
  maxAttempts: 5,
  minAttemptMs: 100,
};

export interface RetryClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** A number in [0, 1). */
  random(): number;
}

export const realClock: RetryClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

export interface AttemptContext {
  /** 1 for the first attempt. */
  attempt: number;
  /** Time left before the deadline when this attempt starts. */
  remainingMs: number;
}

/** The delay before attempt `attempt + 1`, or undefined when that attempt must not be made. */
export function nextDelayMs(
  failure: unknown,
  attempt: number,
  remainingMs: number,
  policy: RetryPolicy,
  random: () => number,
): number | undefined {
  if (!(failure instanceof ApiFailure) || !failure.transient) return undefined;
  if (attempt >= policy.maxAttempts) return undefined;
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  let delay = Math.floor(random() * cap);
  if (failure.retryAfterSeconds !== undefined)
    delay = Math.max(delay, Math.ceil(failure.retryAfterSeconds * 1000));
  // Waiting only to be cut off by the deadline helps nobody: give the caller the failure now.
  if (delay + policy.minAttemptMs > remainingMs) return undefined;
  return delay;
}

/**
 * Runs `attempt` until it succeeds, a failure is not worth retrying, or the deadline (an absolute
 * time on `clock`) leaves no room for another try. Throws the last failure.
 */
export async function withRetry<T>(
  attempt: (context: AttemptContext) => Promise<T>,
  deadline: number,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  clock: RetryClock = realClock,
  onRetry?: (failure: ApiFailure, attempt: number, delayMs: number) => void,
): Promise<T> {
  for (let n = 1; ; n++) {
    const remainingMs = deadline - clock.now();
    try {
      return await attempt({ attempt: n, remainingMs });
    } catch (failure) {
      const delay = nextDelayMs(failure, n, deadline - clock.now(), policy, clock.random);
      if (delay === undefined) throw failure;
      onRetry?.(failure as ApiFailure, n, delay);
      await clock.sleep(delay);
    }
  }
}
