import { describe, expect, it } from "vitest";
import { ApiFailure } from "../../src/domain/api-failure.js";
import { nextDelayMs, type RetryClock, type RetryPolicy, withRetry } from "../../src/rds/retry.js";

const policy: RetryPolicy = { baseDelayMs: 100, maxDelayMs: 1_000, maxAttempts: 5, minAttemptMs: 50 };

const transient = (extra: Partial<ConstructorParameters<typeof ApiFailure>[0]> = {}) =>
  new ApiFailure({
    code: "Throttling",
    message: "slow down",
    outcome: "rejected",
    transient: true,
    ...extra,
  });
const permanent = new ApiFailure({
  code: "BackupJobExists",
  message: "exists",
  outcome: "rejected",
  transient: false,
});

/** A clock that only moves when the code under test sleeps. */
function fakeClock(random = 0.5): RetryClock & { sleeps: number[]; time: number } {
  const clock = {
    time: 0,
    sleeps: [] as number[],
    now: () => clock.time,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
      clock.time += ms;
    },
    random: () => random,
  };
  return clock;
}

/** An attempt function failing with `failures` in turn, then returning "ok". */
function script(failures: unknown[]) {
  const seen: number[] = [];
  const attempt = async ({ attempt }: { attempt: number }) => {
    seen.push(attempt);
    const failure = failures[attempt - 1];
    if (failure) throw failure;
    return "ok";
  };
  return { attempt, seen };
}

describe("withRetry", () => {
  it("retries transient failures with exponential backoff and full jitter", async () => {
    const clock = fakeClock(0.5);
    const { attempt, seen } = script([transient(), transient(), transient()]);
    await expect(withRetry(attempt, 10_000, policy, clock)).resolves.toBe("ok");
    expect(seen).toEqual([1, 2, 3, 4]);
    // Half of 100, 200, 400 (random() = 0.5).
    expect(clock.sleeps).toEqual([50, 100, 200]);
  });

  it("caps the delay at maxDelayMs", async () => {
    const clock = fakeClock(0.999);
    const many = Array.from({ length: 8 }, () => transient());
    const { attempt } = script(many);
    await withRetry(attempt, 60_000, { ...policy, maxAttempts: 10 }, clock);
    expect(clock.sleeps).toHaveLength(8);
    expect(clock.sleeps.slice(-3)).toEqual([999, 999, 999]);
  });

  it("does not retry a failure that is not transient, nor a non-ApiFailure error", async () => {
    for (const failure of [permanent, new TypeError("bug")]) {
      const clock = fakeClock();
      const { attempt, seen } = script([failure]);
      await expect(withRetry(attempt, 10_000, policy, clock)).rejects.toBe(failure);
      expect(seen).toEqual([1]);
      expect(clock.sleeps).toEqual([]);
    }
  });

  it("waits at least the retry-after the API asked for", async () => {
    const clock = fakeClock(0);
    const { attempt } = script([transient({ retryAfterSeconds: 2.5 })]);
    await withRetry(attempt, 10_000, policy, clock);
    expect(clock.sleeps).toEqual([2_500]);
  });

  it("gives up with the last failure when the deadline leaves no room", async () => {
    const clock = fakeClock(0.5);
    const last = transient({ retryAfterSeconds: 5 });
    const { attempt, seen } = script([transient(), last]);
    // 50 ms sleep fits in 1 s; the 5 s retry-after does not.
    await expect(withRetry(attempt, 1_000, policy, clock)).rejects.toBe(last);
    expect(seen).toEqual([1, 2]);
    expect(clock.sleeps).toEqual([50]);
  });

  it("stops after maxAttempts", async () => {
    const clock = fakeClock(0);
    const failures = Array.from({ length: 10 }, () => transient());
    const { attempt, seen } = script(failures);
    await expect(withRetry(attempt, 60_000, policy, clock)).rejects.toBe(failures[4]);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });

  it("tells each attempt how much time is left", async () => {
    const clock = fakeClock(0.5);
    const remaining: number[] = [];
    let calls = 0;
    await withRetry(
      async (context) => {
        remaining.push(context.remainingMs);
        if (++calls < 3) throw transient();
        return "ok";
      },
      1_000,
      policy,
      clock,
    );
    expect(remaining).toEqual([1_000, 950, 850]);
  });
});

describe("nextDelayMs", () => {
  it("is undefined when the wait plus a minimal attempt would pass the deadline", () => {
    expect(nextDelayMs(transient(), 1, 40, policy, () => 0)).toBeUndefined();
    expect(nextDelayMs(transient(), 1, 500, policy, () => 0)).toBe(0);
  });
});
