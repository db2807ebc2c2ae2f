import { describe, expect, it } from "vitest";
import type { BackupSet, BackupTask } from "../../src/domain/instance.js";
import {
  afterLook,
  CLOCK_SKEW_MS,
  currentPhase,
  FRESH_START,
  judgeListings,
  MAX_CREATE_CALLS,
  type StartPhase,
  watchingAfter,
} from "../../src/domain/start-record.js";

const firstCallAt = new Date("2026-05-01T03:00:00Z");
const task = (backupJobId: string, mode = "Manual"): BackupTask => ({
  backupJobId,
  status: "Uploading",
  mode,
});
const set = (backupId: string, startTime: string | undefined, mode = "Manual"): BackupSet => ({
  backupId,
  method: "Physical",
  status: "Success",
  mode,
  ...(startTime ? { startTime } : {}),
});
const judge = (input: Partial<Parameters<typeof judgeListings>[0]>) =>
  judgeListings({ tasks: [], sets: [], jobsBefore: [], othersJobIds: new Set(), firstCallAt, ...input });

describe("judging the listings after an unclear answer", () => {
  it("adopts the one manual job that was not running before and is nobody else's", () => {
    expect(judge({ tasks: [task("7")] })).toEqual({ kind: "ours", backupJobId: "7" });
  });

  it("never adopts a job that ran before the first call, another request's, an automated one, or one of several", () => {
    expect(judge({ tasks: [task("7")], jobsBefore: ["7"] })).toMatchObject({ reason: "running_before" });
    expect(judge({ tasks: [task("7")], othersJobIds: new Set(["7"]) })).toMatchObject({
      reason: "other_request",
    });
    expect(judge({ tasks: [task("7")], jobsBefore: undefined })).toMatchObject({ reason: "unknown_before" });
    expect(judge({ tasks: [task("7"), task("8")] })).toMatchObject({ reason: "several" });
    expect(judge({ tasks: [task("7", "Automated")] })).toEqual({ kind: "nothing" });
  });

  it("takes a manual backup set made since the first call (with clock slack) as a sign a backup ran", () => {
    const justBefore = new Date(firstCallAt.getTime() - CLOCK_SKEW_MS + 1_000).toISOString();
    const longBefore = new Date(firstCallAt.getTime() - CLOCK_SKEW_MS - 1_000).toISOString();
    expect(judge({ sets: [set("s1", justBefore)] })).toMatchObject({ kind: "backup_set", backupId: "s1" });
    expect(judge({ sets: [set("s1", longBefore)] })).toEqual({ kind: "nothing" });
    expect(judge({ sets: [set("s1", justBefore, "Automated")] })).toEqual({ kind: "nothing" });
    // No readable time: a person looks rather than a second backup.
    expect(judge({ sets: [set("s1", undefined)] })).toMatchObject({ kind: "backup_set" });
  });
});

describe("deciding after a look", () => {
  const watching = (mayCallAgain: boolean): Extract<StartPhase, { kind: "watching" }> => ({
    kind: "watching",
    code: "Timeout",
    at: firstCallAt,
    decideAt: new Date(firstCallAt.getTime() + 90_000),
    mayCallAgain,
  });
  const before = new Date(firstCallAt.getTime() + 30_000);
  const after = new Date(firstCallAt.getTime() + 90_000);

  it("adopts at once, and hands a backup set to a person at once", () => {
    expect(afterLook(watching(true), { kind: "ours", backupJobId: "7" }, 1, before)).toEqual({
      kind: "adopt",
      backupJobId: "7",
    });
    expect(afterLook(watching(true), { kind: "backup_set", backupId: "s" }, 1, before).kind).toBe(
      "hand_over",
    );
  });

  it("decides nothing else before the listings had their time", () => {
    for (const sighting of [
      { kind: "nothing" } as const,
      { kind: "unreadable", code: "Timeout" } as const,
      { kind: "other_job", backupJobId: "8", reason: "running_before" } as const,
    ]) {
      expect(afterLook(watching(true), sighting, 1, before)).toEqual({ kind: "keep_watching" });
    }
  });

  it("calls once more only after a clean look showed nothing, when allowed and calls are left", () => {
    expect(afterLook(watching(true), { kind: "nothing" }, 1, after)).toEqual({ kind: "call_again" });
    expect(afterLook(watching(false), { kind: "nothing" }, 1, after)).toEqual({
      kind: "hand_over",
      finding: { kind: "nothing" },
    });
    expect(afterLook(watching(true), { kind: "nothing" }, MAX_CREATE_CALLS, after).kind).toBe("hand_over");
    expect(afterLook(watching(true), { kind: "unreadable", code: "Timeout" }, 1, after)).toEqual({
      kind: "hand_over",
      finding: { kind: "unreadable", code: "Timeout" },
    });
  });

  it("allows the one more call after the first unclear answer of the bot's own calls only", () => {
    const first = watchingAfter("Timeout", FRESH_START, 1, firstCallAt, 90_000, false);
    expect(first.phase).toMatchObject({ kind: "watching", mayCallAgain: true });
    expect(first.unclear).toBe(1);
    const second = watchingAfter("Timeout", first, 2, firstCallAt, 90_000, false);
    expect(second.phase).toMatchObject({ mayCallAgain: false });
    const byPerson = watchingAfter("Timeout", FRESH_START, 1, firstCallAt, 90_000, true);
    expect(byPerson.phase).toMatchObject({ mayCallAgain: false });
  });

  it("reads a request without a record: nothing called yet is ready, calls made are a call out", () => {
    expect(currentPhase(0, undefined)).toEqual({ kind: "ready" });
    expect(currentPhase(1, undefined).kind).toBe("calling");
  });
});
