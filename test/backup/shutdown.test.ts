/**
 * Stopping while a backup is being started (issue 12, sequence 8), on in-memory ports with a
 * simulated clock: waits end at once, a call already out is waited for and recorded, nothing new
 * is called, and the next start carries every request on from where it stood.
 */
import { afterEach, describe, expect, it } from "vitest";
import { type World, world } from "./world.js";

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

/** The next start (or a second replica): the same store, RDS and clock. */
const nextStart = (current: World) => current.anotherService({ abandonedAfterMs: 0 });

describe("8: stopping in the middle of starting a backup", () => {
  it("ends the wait for the listings at once and leaves the request to the next start", async () => {
    w = await world();
    w.rds.script({ kind: "5xx" }, { kind: "5xx" });
    const { request } = await w.fileAndApprove();
    expect((await w.request(request.id)).start?.phase.kind).toBe("watching");

    const stopAt = w.clock.now().getTime();
    w.service.stopStarting();
    await w.run(w.service.drain());
    expect(w.clock.now().getTime() - stopAt).toBeLessThan(1_000);
    const left = await w.request(request.id);
    expect(left.state).toBe("approved");
    expect(w.rds.createCalls).toHaveLength(1);

    // The next start takes it up at once (the lease was given back) and settles it.
    const next = nextStart(w);
    expect(await w.run(next.reconcileAbandoned())).toBe(1);
    const final = await w.settled(request.id);
    expect(final.state).toBe("needs_attention");
    expect(w.rds.createCalls).toHaveLength(2);
    next.stopStarting();
    await w.run(next.drain());
  });

  it("waits for a call already out and records its answer", async () => {
    w = await world();
    w.rds.script({ kind: "answer", ms: 1_500 });
    const filed = await w.file();
    const approving = w.approve(filed.id);
    await w.clock.runUntil(() => w?.rds.createCalls.length === 1);
    w.service.stopStarting();
    await w.run(Promise.all([approving, w.service.drain()]));
    const final = await w.request(filed.id);
    expect(final.state).toBe("submitted");
    expect(final.backupJobId).toBe(w.rds.ownJobs()[0]?.backupJobId);
  });

  it("starts nothing once stopping began: an approval still queued is recorded and started by the next start", async () => {
    w = await world();
    const filed = await w.file();
    w.service.stopStarting();
    const result = await w.run(w.approve(filed.id));
    expect(result).toMatchObject({ kind: "done", request: { state: "approved" } });
    expect(w.rds.createCalls).toHaveLength(0);

    const next = nextStart(w);
    expect(await w.run(next.reconcileAbandoned())).toBe(1);
    const final = await w.settled(filed.id);
    expect(final.state).toBe("submitted");
    expect(w.rds.createCalls).toHaveLength(1);
    next.stopStarting();
    await w.run(next.drain());
  });

  it("never lets two processes carry one request: the other waits for the lease", async () => {
    w = await world();
    w.rds.script({ kind: "5xx" }, { kind: "5xx" });
    const { request } = await w.fileAndApprove();
    const other = nextStart(w);
    // The first process still carries it (watching the listings): neither the other one nor its
    // own reconciliation starts a second loop for it.
    expect(await w.run(other.reconcileAbandoned())).toBe(0);
    expect(await w.run(w.service.reconcileAbandoned())).toBe(0);
    const final = await w.settled(request.id);
    expect(final.state).toBe("needs_attention");
    expect(w.rds.createCalls).toHaveLength(2);
    other.stopStarting();
    await w.run(other.drain());
  });
});
