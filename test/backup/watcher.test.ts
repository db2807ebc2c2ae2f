/**
 * Following a job to a real end (issue 12, sequence 5), on in-memory ports with a simulated clock:
 * a job that leaves the listings, a backup set that DescribeBackups lists late, a job that outlives
 * the watch. Each ends in a final state that says what is known.
 */
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import type { ThreadEvent } from "../../src/backup/ports.js";
import { BackupWatcher, type WatcherOptions } from "../../src/backup/watcher.js";
import { createLogger } from "../../src/logger.js";
import { type World, world } from "./world.js";

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

function watcherFor(current: World, options: Partial<WatcherOptions> = {}): BackupWatcher {
  const logger = createLogger({
    level: "silent",
    secrets: [],
    destination: new Writable({ write: (_chunk, _encoding, done) => done() }),
  });
  return new BackupWatcher(
    current.store,
    current.rds,
    logger,
    { listingLagMs: 90_000, backupSetWaitMs: 120_000, settleCheckMs: 15_000, ...options },
    () => {},
    current.clock.now,
  );
}

/** Runs watch rounds, each when the watch is due, until the request leaves `submitted`. */
async function follow(current: World, watcher: BackupWatcher, requestId: string, limitMs = 48 * 3_600_000) {
  const start = current.clock.now().getTime();
  for (;;) {
    await current.run(watcher.round());
    const request = await current.request(requestId);
    if (request.state !== "submitted") return request;
    if (current.clock.now().getTime() - start > limitMs) throw new Error("still submitted");
    // On to the watch's next check (at least a second on).
    const watch = (await current.store.listWatches()).find((one) => one.requestId === requestId);
    const due = (watch?.nextCheckAt.getTime() ?? 0) - current.clock.now().getTime();
    await current.clock.advance(Math.max(1_000, due));
  }
}

const finishedEvent = (events: ThreadEvent[]) =>
  events.find(
    (event): event is Extract<ThreadEvent, { type: "job_finished" }> => event.type === "job_finished",
  );

describe("5: following a job to a real end", () => {
  it("a job that leaves DescribeBackupTasks is found in DescribeBackups and reported finished", async () => {
    w = await world({ rds: { jobMs: 30_000, setLagMs: 60_000, forgetFinished: true } });
    const { request } = await w.fileAndApprove();
    const final = await follow(w, watcherFor(w), request.id);
    const job = w.rds.ownJobs()[0];
    expect(final.state).toBe("succeeded");
    expect(finishedEvent(w.thread(request.id))?.backupSet).toMatchObject({
      backupId: job?.backupId,
      method: "Physical",
      sizeBytes: 1_073_741_824,
    });
  });

  it("the finished message waits for the backup set, then gives its size and method", async () => {
    w = await world({ rds: { jobMs: 30_000, setLagMs: 60_000 } });
    const { request } = await w.fileAndApprove();
    await follow(w, watcherFor(w), request.id);
    const finished = finishedEvent(w.thread(request.id));
    expect(finished?.backupSet).toMatchObject({ method: "Physical", sizeBytes: 1_073_741_824 });
    // It went out once DescribeBackups listed the set, a minute after the job finished.
    const job = w.rds.ownJobs()[0];
    const said = w.thread(request.id).find((event) => event.type === "job_finished");
    expect((said?.at ?? 0) - (job?.finishAt ?? 0)).toBeGreaterThanOrEqual(60_000);
    expect((said?.at ?? 0) - (job?.finishAt ?? 0)).toBeLessThan(120_000);
  });

  it("a backup set that never shows: the message goes out after a couple of minutes with what is known", async () => {
    w = await world({ rds: { jobMs: 30_000, setLagMs: 3_600_000 } });
    const { request } = await w.fileAndApprove();
    const final = await follow(w, watcherFor(w), request.id);
    expect(final.state).toBe("succeeded");
    const finished = finishedEvent(w.thread(request.id));
    expect(finished?.backupSet).toEqual({ backupId: w.rds.ownJobs()[0]?.backupId });
  });

  it("a job that vanishes without a backup set is reported lost, not left running for ever", async () => {
    w = await world({ rds: { jobMs: 30_000, setLagMs: 3_600_000, forgetFinished: true } });
    const { request } = await w.fileAndApprove();
    const final = await follow(w, watcherFor(w), request.id);
    expect(final.state).toBe("failed");
    expect(final.error?.code).toBe("BackupJobVanished");
    expect(w.thread(request.id).at(-1)).toMatchObject({ type: "job_lost" });
    expect(await w.store.listWatches()).toHaveLength(0);
  });

  it("a job still unfinished at the watch limit ends in a final state that points at the console", async () => {
    w = await world({ rds: { jobMs: 30 * 3_600_000 } });
    const { request } = await w.fileAndApprove();
    const final = await follow(w, watcherFor(w, { maxWatchMs: 2 * 3_600_000 }), request.id);
    expect(final.state).toBe("failed");
    expect(final.error?.code).toBe("WatchTimedOut");
    expect(w.thread(request.id).at(-1)).toMatchObject({ type: "watch_gave_up" });
    expect(await w.store.listWatches()).toHaveLength(0);
  });
});
