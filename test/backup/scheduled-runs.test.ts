/**
 * Backups at the right time (issue 16), on in-memory ports with a simulated clock: the real store
 * on in-memory SQLite, the fake RDS, the service and the scheduled-run runner polling on the
 * clock. Each rule of the issue is played through the approval as an approver clicks it.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { ThreadEvent } from "../../src/backup/ports.js";
import { GRACE_MS, MAX_LEAD_MS, SCHEDULE_MISSED } from "../../src/domain/schedule.js";
import { type World, world } from "./world.js";

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const types = (events: { type: string }[]) => events.map((event) => event.type);
const HOUR = 3_600_000;
/** Tuesday 2026-12-01 12:00 in Tokyo (03:00 UTC): the window "01:00-05:00 Asia/Tokyo" is closed. */
const TUESDAY_NOON_TOKYO = new Date("2026-12-01T03:00:00Z");
/** That window's next opening: Wednesday 01:00 in Tokyo. */
const NEXT_OPENING = new Date("2026-12-01T16:00:00Z");

function ready(): World {
  if (!w) throw new Error("no world");
  return w;
}

async function stateOf(id: string): Promise<string> {
  return (await ready().request(id)).state;
}

/** Runs the clock until the request leaves `scheduled`, then until it rests. */
async function untilStarted(id: string, limitMs = 30 * HOUR) {
  await ready().clock.runUntil(async () => (await stateOf(id)) !== "scheduled", limitMs);
  return ready().settled(id, limitMs);
}

describe("asking for a time: approve now, run later", () => {
  it("schedules on approval and calls CreateBackup once, at the start time, through the starter", async () => {
    w = await world({ scheduling: { pollMs: 1_000 } });
    const startAt = new Date(w.clock.now().getTime() + 10 * 60_000);
    const filed = await w.file({ runAt: { kind: "instant", at: startAt } });
    expect(filed.schedule?.startAt).toEqual(startAt);
    // A request for later may wait for its decision until its start time and grace.
    expect(filed.expiresAt).toEqual(new Date(startAt.getTime() + GRACE_MS));

    const result = await w.run(w.approve(filed.id));
    expect(result.kind).toBe("done");
    expect(await stateOf(filed.id)).toBe("scheduled");
    expect(w.rds.createCalls).toHaveLength(0);

    await w.clock.advance(10 * 60_000 - 10_000);
    expect(await stateOf(filed.id)).toBe("scheduled");
    expect(w.rds.createCalls).toHaveLength(0);

    const final = await untilStarted(filed.id);
    expect(final.state).toBe("submitted");
    expect(w.rds.createCalls).toHaveLength(1);
    const called = w.rds.createCalls[0]?.at ?? 0;
    expect(called).toBeGreaterThanOrEqual(startAt.getTime());
    expect(called - startAt.getTime()).toBeLessThanOrEqual(1_000 + 100);
    expect(types(w.thread(filed.id))).toEqual(["scheduled", "job_started"]);
    // The pre-flight checks ran again at the start time.
    const checks = w.rds.reads.filter((read) => read.action === "DescribeDBInstanceAttribute");
    expect(checks.some((read) => read.at >= startAt.getTime())).toBe(true);
    const trail = await w.store.auditTrail(filed.id);
    expect(trail.map((event) => event.type)).toEqual([
      "requested",
      "approved",
      "scheduled",
      "schedule_started",
      "create_backup_called",
      "submitted",
    ]);
  });

  it("refuses a time in the past or more than 14 days ahead, and files nothing", async () => {
    w = await world();
    const now = w.clock.now().getTime();
    for (const at of [new Date(now - 60_000), new Date(now + MAX_LEAD_MS + 60_000)]) {
      const filed = await w.run(
        w.service.fileRequest(
          { DBInstanceId: "rm-sim0001" },
          { userId: "U0REQUESTER", locale: "en" },
          { runAt: { kind: "instant", at } },
        ),
      );
      expect(filed.ok).toBe(false);
      if (!filed.ok && "problems" in filed) {
        expect(filed.problems.map((problem) => [problem.field, problem.code])).toEqual([
          ["run_at", at.getTime() < now ? "run_at_past" : "run_at_too_far"],
        ]);
      }
    }
    expect(await w.store.list({ limit: 10 })).toEqual([]);
  });

  it("takes a clock time as the next such time in the requester's time zone", async () => {
    w = await world({ start: TUESDAY_NOON_TOKYO });
    const filed = await w.file({ runAt: { kind: "clock", hour: 1, minute: 30 } });
    expect(filed.schedule?.askedFor).toEqual(new Date("2026-12-01T16:30:00Z"));
  });
});

describe("windows in the policy", () => {
  it("an approval while the window is closed waits for its next opening", async () => {
    w = await world({ window: "01:00-05:00 Asia/Tokyo", start: TUESDAY_NOON_TOKYO, scheduling: {} });
    const filed = await w.file();
    await w.run(w.approve(filed.id));
    const scheduled = await w.request(filed.id);
    expect(scheduled.state).toBe("scheduled");
    expect(scheduled.schedule?.startAt).toEqual(NEXT_OPENING);
    expect(scheduled.schedule?.deadline).toEqual(new Date("2026-12-01T20:00:00Z"));
    await untilStarted(filed.id);
    expect(w.rds.createCalls).toHaveLength(1);
    expect(w.rds.createCalls[0]?.at).toBeGreaterThanOrEqual(NEXT_OPENING.getTime());
  });

  it("an asked time outside the window runs at the next opening; one inside, at that time", async () => {
    w = await world({ window: "01:00-05:00 Asia/Tokyo", start: TUESDAY_NOON_TOKYO });
    const outside = await w.file({ runAt: { kind: "instant", at: new Date("2026-12-01T06:00:00Z") } });
    expect(outside.schedule?.startAt).toEqual(NEXT_OPENING);
    const inside = await w.file({ runAt: { kind: "instant", at: new Date("2026-12-01T17:30:00Z") } });
    expect(inside.schedule?.startAt).toEqual(new Date("2026-12-01T17:30:00Z"));
  });

  it("an approval while the window is open runs at once", async () => {
    w = await world({ window: "01:00-05:00 Asia/Tokyo", start: new Date("2026-12-01T17:00:00Z") });
    const { request, result } = await w.fileAndApprove();
    expect(result.kind).toBe("done");
    expect((await w.settled(request.id)).state).toBe("submitted");
    const trail = (await w.store.auditTrail(request.id)).map((event) => event.type);
    expect(trail).toContain("submitted");
    expect(trail).not.toContain("scheduled");
  });
});

describe("approval must come before the start time", () => {
  it("a request still pending at its start time may be approved within the grace, and runs at once", async () => {
    w = await world();
    const startAt = new Date(w.clock.now().getTime() + HOUR);
    const filed = await w.file({ runAt: { kind: "instant", at: startAt } });
    await w.clock.advance(HOUR + 30 * 60_000);
    const result = await w.run(w.approve(filed.id));
    expect(result.kind).toBe("done");
    expect((await w.settled(filed.id)).state).toBe("submitted");
    expect(w.rds.createCalls).toHaveLength(1);
  });

  it("after the grace it is refused as too late, expires, and nothing runs", async () => {
    w = await world();
    const startAt = new Date(w.clock.now().getTime() + HOUR);
    const filed = await w.file({ runAt: { kind: "instant", at: startAt } });
    await w.clock.advance(HOUR + GRACE_MS);
    const result = await w.run(w.approve(filed.id));
    expect(result).toMatchObject({ kind: "refused", reason: "too_late" });
    expect(await stateOf(filed.id)).toBe("expired");
    expect(w.rds.createCalls).toHaveLength(0);
  });

  it("with a window: approvable while the window lasts, not after it closed", async () => {
    w = await world({ window: "01:00-05:00 Asia/Tokyo", start: TUESDAY_NOON_TOKYO });
    const asked = new Date("2026-12-01T17:00:00Z"); // 02:00 in Tokyo, inside
    const early = await w.file({ runAt: { kind: "instant", at: asked } });
    const late = await w.file({ runAt: { kind: "instant", at: asked } });
    await w.clock.advance(asked.getTime() - w.clock.now().getTime() + 2 * HOUR); // 04:00 in Tokyo
    expect((await w.run(w.approve(early.id))).kind).toBe("done");
    expect((await w.settled(early.id)).state).toBe("submitted");
    await w.clock.advance(HOUR); // 05:00: the window closed
    expect(await w.run(w.approve(late.id))).toMatchObject({ kind: "refused", reason: "too_late" });
  });
});

describe("at the start time", () => {
  it("every rule of an unclear CreateBackup answer applies: the job is adopted, never called twice", async () => {
    w = await world({ rds: { taskLagMs: 30_000 }, scheduling: {} });
    const filed = await w.file({ runAt: { kind: "instant", at: new Date(w.clock.now().getTime() + HOUR) } });
    await w.run(w.approve(filed.id));
    w.rds.script({ kind: "answer", ms: 2_150 });
    const final = await untilStarted(filed.id);
    expect(final.state).toBe("submitted");
    expect(w.rds.createCalls).toHaveLength(1);
    expect(types(w.thread(filed.id))).toEqual(["scheduled", "create_unclear", "job_adopted"]);
  });

  it("an instance that is not ready: the thread says so once, the bot tries again and starts once it is", async () => {
    w = await world({ scheduling: { retryMs: 60_000 } });
    const startAt = new Date(w.clock.now().getTime() + HOUR);
    const filed = await w.file({ runAt: { kind: "instant", at: startAt } });
    await w.run(w.approve(filed.id));
    w.rds.instanceStatus = "Restarting";
    await w.clock.advance(HOUR + 5 * 60_000);
    const waiting = await w.request(filed.id);
    expect(waiting.state).toBe("scheduled");
    expect(waiting.schedule?.notReady?.checks).toBeGreaterThanOrEqual(4);
    expect(w.rds.createCalls).toHaveLength(0);
    w.rds.instanceStatus = "Running";
    const final = await untilStarted(filed.id);
    expect(final.state).toBe("submitted");
    expect(w.rds.createCalls).toHaveLength(1);
    const thread = w.thread(filed.id);
    expect(types(thread)).toEqual(["scheduled", "schedule_not_ready", "job_started"]);
    const notReady = thread[1] as Extract<ThreadEvent, { type: "schedule_not_ready" }>;
    expect(notReady.reasons).toEqual([{ kind: "not_running", status: "Restarting" }]);
  });

  it("a window that closes while the instance stays busy ends the request: nothing ran", async () => {
    w = await world({ window: "01:00-05:00 Asia/Tokyo", start: TUESDAY_NOON_TOKYO, scheduling: {} });
    const filed = await w.file();
    await w.run(w.approve(filed.id));
    // Someone's long backup runs on the instance through the whole window.
    await w.clock.advance(NEXT_OPENING.getTime() - w.clock.now().getTime() - 60_000);
    const foreign = w.rds.startForeignJob(6 * HOUR);
    const final = await w.run(
      (async () => {
        await w?.clock.runUntil(async () => (await stateOf(filed.id)) !== "scheduled", 10 * HOUR);
        return ready().request(filed.id);
      })(),
    );
    expect(final.state).toBe("failed");
    expect(final.error?.code).toBe(SCHEDULE_MISSED);
    expect(w.rds.createCalls).toHaveLength(0);
    expect(w.clock.now().getTime()).toBeGreaterThanOrEqual(new Date("2026-12-01T20:00:00Z").getTime());
    const thread = w.thread(filed.id);
    expect(types(thread)).toEqual(["scheduled", "schedule_not_ready", "schedule_missed"]);
    expect(thread[2]).toMatchObject({
      type: "schedule_missed",
      reasons: [{ kind: "backup_in_progress", backupJobId: foreign.backupJobId }],
    });
    const requester = w.said.filter(
      (one) => one.requestId === filed.id && one.notification.kind === "requester",
    );
    expect(requester.map((one) => (one.notification as { event: { type: string } }).event.type)).toContain(
      "schedule_missed",
    );
  });
});

describe("nothing lost, nothing twice", () => {
  it("two replicas' runners on one store start the run once", async () => {
    w = await world({ scheduling: { pollMs: 1_000 } });
    const other = w.anotherRunner(w.anotherService());
    const filed = await w.file({
      runAt: { kind: "instant", at: new Date(w.clock.now().getTime() + 5 * 60_000) },
    });
    await w.run(w.approve(filed.id));
    await untilStarted(filed.id);
    await w.clock.advance(10 * 60_000);
    expect(w.rds.createCalls).toHaveLength(1);
    expect(types(w.thread(filed.id)).filter((type) => type === "job_started")).toHaveLength(1);
    w.stopPolling(other);
  });

  it("a run whose bot went away during the wait is started by the next one, on time", async () => {
    w = await world({ scheduling: {} });
    const startAt = new Date(w.clock.now().getTime() + HOUR);
    const filed = await w.file({ runAt: { kind: "instant", at: startAt } });
    await w.run(w.approve(filed.id));
    // The first bot stops before the start time; the next start brings a new runner.
    w.stopPolling(w.runner);
    w.service.stopStarting();
    await w.clock.advance(30 * 60_000);
    w.anotherRunner(w.anotherService());
    await untilStarted(filed.id);
    expect(w.rds.createCalls).toHaveLength(1);
    expect((w.rds.createCalls[0]?.at ?? 0) - startAt.getTime()).toBeLessThanOrEqual(60_000 + 1_000);
  });

  it("a stopping bot starts no scheduled run: the run stays scheduled for the next start", async () => {
    w = await world();
    const filed = await w.file({ runAt: { kind: "instant", at: new Date(w.clock.now().getTime() + HOUR) } });
    await w.run(w.approve(filed.id));
    await w.clock.advance(HOUR);
    w.service.stopStarting();
    expect(await w.run(w.runner.round())).toBe(0);
    expect(await stateOf(filed.id)).toBe("scheduled");
    const next = w.anotherRunner(w.anotherService());
    expect(await w.run(next.round())).toBe(1);
    expect((await w.settled(filed.id)).state).toBe("submitted");
    expect(w.rds.createCalls).toHaveLength(1);
  });
});

describe("changing your mind", () => {
  async function scheduledRequest(): Promise<string> {
    const current = ready();
    const filed = await current.file({
      runAt: { kind: "instant", at: new Date(current.clock.now().getTime() + HOUR) },
    });
    await current.run(current.approve(filed.id));
    expect(await stateOf(filed.id)).toBe("scheduled");
    return filed.id;
  }

  it("the requester cancels before it starts: nothing runs at the start time", async () => {
    w = await world({ scheduling: {} });
    const id = await scheduledRequest();
    const result = await w.run(w.service.cancel(id, "U0REQUESTER"));
    expect(result.kind).toBe("done");
    await w.clock.advance(2 * HOUR);
    expect(await stateOf(id)).toBe("cancelled");
    expect(w.rds.createCalls).toHaveLength(0);
    expect(types(w.thread(id))).toEqual(["scheduled", "cancelled"]);
  });

  it("an approver may cancel it too; anyone else may not", async () => {
    w = await world();
    const id = await scheduledRequest();
    expect(await w.run(w.service.cancel(id, "U0OUTSIDER"))).toMatchObject({
      kind: "refused",
      reason: "not_requester_or_approver",
    });
    expect((await w.run(w.service.cancel(id, "U0APPROVER1"))).kind).toBe("done");
    expect((await w.request(id)).decidedBy).toBe("U0APPROVER1");
  });

  it("once it started, it can no longer be cancelled", async () => {
    w = await world({ scheduling: {} });
    const id = await scheduledRequest();
    await untilStarted(id);
    expect(await w.run(w.service.cancel(id, "U0REQUESTER"))).toMatchObject({
      kind: "refused",
      reason: "already_started",
    });
  });
});
