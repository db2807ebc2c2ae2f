/**
 * Starting a backup when RDS's answers are not clear (issue 12): each numbered sequence of the
 * issue, played on in-memory ports (the real store on in-memory SQLite, a fake RDS that lags and
 * refuses as RDS does) with a simulated clock, through the approval as an approver clicks it.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { RequestStore } from "../../src/backup/ports.js";
import { MAX_CREATE_CALLS } from "../../src/domain/start-record.js";
import { APPROVERS, type World, world } from "./world.js";

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const types = (events: { type: string }[]) => events.map((event) => event.type);

describe("1: an answer that comes late", () => {
  it("is not reported as 'not created': the bot watches the listings and follows the job", async () => {
    w = await world({ rds: { taskLagMs: 30_000 } });
    // RDS accepts the call but answers 2.15 s later; the call's timeout is 2 s.
    w.rds.script({ kind: "answer", ms: 2_150 });
    const { request } = await w.fileAndApprove();
    const final = await w.settled(request.id);

    expect(final.state).toBe("submitted");
    expect(final.backupJobId).toBe(w.rds.ownJobs()[0]?.backupJobId);
    expect(w.rds.createCalls).toHaveLength(1);
    const thread = w.thread(request.id);
    expect(types(thread)).not.toContain("create_failed");
    expect(types(thread)).toEqual(["create_unclear", "job_adopted"]);
  });

  it("is never silent: the thread says so within 10 s, with the code and when the bot decides", async () => {
    w = await world({ rds: { taskLagMs: 30_000 } });
    w.rds.script({ kind: "answer", ms: 2_150 });
    const { request } = await w.fileAndApprove();
    await w.settled(request.id);
    const called = w.rds.createCalls[0]?.at ?? 0;
    const unclear = w.thread(request.id).find((event) => event.type === "create_unclear");
    expect(unclear).toMatchObject({ code: "Timeout", call: 1 });
    expect((unclear?.at ?? Number.POSITIVE_INFINITY) - called).toBeLessThanOrEqual(10_000);
    // It decides once the listings had RDS_LISTING_LAG to show the job.
    const decideAt = Date.parse(unclear && "decideAt" in unclear ? unclear.decideAt : "");
    expect(decideAt - (unclear?.at ?? 0)).toBe(90_000);
    // The card shows the same state (re-rendered from the request, which says so).
    const cards = w.said.filter((one) => one.requestId === request.id && one.notification.kind === "card");
    expect(cards.some((one) => one.at === unclear?.at)).toBe(true);
  });
});

describe("2: a job that finishes before the listings show it", () => {
  it("makes no second backup: the backup set that appears goes to a person", async () => {
    // A snapshot on cloud disks: done within a second; DescribeBackups trails it by a minute.
    w = await world({ rds: { taskLagMs: 5_000, setLagMs: 60_000, jobMs: 900 } });
    w.rds.script({ kind: "answer", ms: 2_150 });
    const { request } = await w.fileAndApprove();
    const final = await w.settled(request.id);

    expect(w.rds.ownJobs()).toHaveLength(1);
    expect(w.rds.createCalls).toHaveLength(1);
    expect(final.state).toBe("needs_attention");
    const handedOver = w.thread(request.id).find((event) => event.type === "needs_attention");
    expect(handedOver).toMatchObject({
      finding: { kind: "backup_set", backupId: w.rds.ownJobs()[0]?.backupId },
      approvers: APPROVERS,
    });
  });
});

describe("3: the store fails after CreateBackup succeeded", () => {
  /** A store whose moves to `submitted` fail `times` times. */
  const failingSubmits =
    (times: number) =>
    (store: RequestStore): RequestStore => {
      let left = times;
      return new Proxy(store, {
        get(target, property) {
          const value = Reflect.get(target, property, target) as unknown;
          if (property !== "transition" || typeof value !== "function") {
            return typeof value === "function" ? value.bind(target) : value;
          }
          return (...args: Parameters<RequestStore["transition"]>) => {
            if (args[1].to === "submitted" && left > 0) {
              left -= 1;
              return Promise.reject(new Error("database connection lost"));
            }
            return store.transition(...args);
          };
        },
      });
    };

  it("never calls CreateBackup again: the write is retried and the request reaches submitted", async () => {
    w = await world({ rds: { taskLagMs: 30_000 }, store: failingSubmits(2) });
    const { request, result } = await w.fileAndApprove();
    expect(result.kind).toBe("done");
    const final = await w.settled(request.id);
    expect(final.state).toBe("submitted");
    expect(final.backupJobId).toBe(w.rds.ownJobs()[0]?.backupJobId);
    expect(w.rds.createCalls).toHaveLength(1);
  });

  it("logs the job id at error level when the store stays down, and adopts the job once it is back", async () => {
    // 60 s of retries give up; the store comes back later.
    w = await world({ rds: { taskLagMs: 30_000 }, store: failingSubmits(25) });
    const filed = await w.file();
    await w.run(w.approve(filed.id)).catch(() => undefined);
    const final = await w.settled(filed.id);
    const jobId = w.rds.ownJobs()[0]?.backupJobId;
    expect(final.state).toBe("submitted");
    expect(final.backupJobId).toBe(jobId);
    expect(w.rds.createCalls).toHaveLength(1);
    const errors = w.logs.filter((line) => line.includes('"level":"error"'));
    expect(errors.some((line) => line.includes(`backup job ${jobId} was started`))).toBe(true);
  });
});

describe("4: CreateBackup keeps answering HTTP 500", () => {
  it("says so at once, calls twice in all, and ends in needs_attention with the approvers mentioned", async () => {
    w = await world();
    w.rds.script(...Array.from({ length: 20 }, () => ({ kind: "5xx" as const })));
    const { request, clickDoneAt } = await w.fileAndApprove();
    // The click's work ends with the first answer: no after-ack slot is held while the bot waits.
    expect(clickDoneAt - (w.rds.createCalls[0]?.at ?? 0)).toBeLessThan(2_000);
    const final = await w.settled(request.id);

    expect(final.state).toBe("needs_attention");
    expect(w.rds.createCalls).toHaveLength(2);
    const thread = w.thread(request.id);
    expect(types(thread)).toEqual(["create_unclear", "create_again", "create_unclear", "needs_attention"]);
    expect(thread[0]).toMatchObject({ code: "InternalError" });
    expect(thread.at(-1)).toMatchObject({
      approvers: APPROVERS,
      finding: { kind: "nothing" },
      canStartAgain: true,
    });
    // The second call only after the listings showed nothing for RDS_LISTING_LAG.
    const [first, second] = w.rds.createCalls;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(90_000);
  });

  it("a 2xx without a job id is unclear too: the job it made is found and followed, not made twice", async () => {
    w = await world({ rds: { taskLagMs: 30_000 } });
    w.rds.script({ kind: "created_without_id" });
    const { request } = await w.fileAndApprove();
    const final = await w.settled(request.id);
    expect(final.state).toBe("submitted");
    expect(final.backupJobId).toBe(w.rds.ownJobs()[0]?.backupJobId);
    expect(w.rds.createCalls).toHaveLength(1);
  });

  it("a dropped connection after the job was made: followed, one call", async () => {
    w = await world({ rds: { taskLagMs: 20_000 } });
    w.rds.script({ kind: "created_then_drop" });
    const { request } = await w.fileAndApprove();
    const final = await w.settled(request.id);
    expect(final.state).toBe("submitted");
    expect(w.rds.createCalls).toHaveLength(1);
  });

  it("BackupJobExists after an unclear answer is not a failure: the job is adopted when it shows", async () => {
    // The first answer is lost; the listings lag longer than the bot waits; the second call meets
    // the first one's job, which shows soon after.
    w = await world({ rds: { taskLagMs: 100_000 } });
    w.rds.script({ kind: "answer", ms: 5_000 });
    const { request } = await w.fileAndApprove();
    const final = await w.settled(request.id);
    expect(final.state).toBe("submitted");
    expect(final.backupJobId).toBe(w.rds.ownJobs()[0]?.backupJobId);
    expect(w.rds.ownJobs()).toHaveLength(1);
    expect(w.rds.createCalls).toHaveLength(2);
    expect(types(w.thread(request.id))).not.toContain("create_failed");
  });
});

describe("7: adopting a job only when it is this request's", () => {
  it("never adopts a console backup that was running before the first call", async () => {
    w = await world();
    const filed = await w.file();
    const console = w.rds.startForeignJob(30 * 60_000);
    // The approval's own check of the tasks fails, so the approval goes ahead; the call is lost.
    w.rds.failTaskReads = 1;
    w.rds.script({ kind: "lost" });
    await w.run(w.approve(filed.id));
    const final = await w.settled(filed.id);
    expect(final.backupJobId).toBeUndefined();
    expect(final.state).toBe("needs_attention");
    expect(w.thread(filed.id).at(-1)).toMatchObject({
      finding: { kind: "other_job", backupJobId: console.backupJobId, reason: "running_before" },
    });
    expect(w.rds.createCalls).toHaveLength(1);
  });

  it("never adopts another request's job, even when the listing showed it only late", async () => {
    w = await world({ rds: { taskLagMs: 30_000 } });
    const first = await w.file();
    const second = await w.file();
    await w.run(w.approve(first.id));
    const firstJob = (await w.request(first.id)).backupJobId;
    expect(firstJob).toBeDefined();
    // Five seconds later the second is approved; its call never reaches RDS. The first request's
    // job was not listed yet when the second one's call went out.
    await w.clock.advance(5_000);
    w.rds.script({ kind: "lost" });
    await w.run(w.approve(second.id));
    const final = await w.settled(second.id);
    expect(final.backupJobId).toBeUndefined();
    expect(final.state).toBe("needs_attention");
    expect(w.thread(second.id).at(-1)).toMatchObject({
      finding: { kind: "other_job", backupJobId: firstJob, reason: "other_request" },
    });
    expect((await w.request(first.id)).backupJobId).toBe(firstJob);
  });
});

describe("9: the configured CreateBackup timeout", () => {
  it("is the one each call is given", async () => {
    w = await world({ service: { createTimeoutMs: 8_000 } });
    w.rds.script({ kind: "answer", ms: 6_000 });
    const { request } = await w.fileAndApprove();
    expect((await w.request(request.id)).state).toBe("submitted");
    expect(w.rds.createCalls.map((call) => call.timeoutMs)).toEqual([8_000]);
  });
});

describe(`at most ${MAX_CREATE_CALLS} CreateBackup calls per approved request`, () => {
  it("endless throttling (which surely made nothing) stops at the cap and fails truthfully", async () => {
    w = await world();
    w.rds.script(...Array.from({ length: 10 }, () => ({ kind: "throttled" as const })));
    const { request } = await w.fileAndApprove();
    const final = await w.settled(request.id);
    expect(final.state).toBe("failed");
    expect(final.error?.code).toBe("Throttling.User");
    expect(w.rds.createCalls).toHaveLength(MAX_CREATE_CALLS);
  });

  it("an approver's 'Start the backup again' counts too, and is refused once the calls are used up", async () => {
    w = await world();
    w.rds.script(...Array.from({ length: 10 }, () => ({ kind: "5xx" as const })));
    const { request } = await w.fileAndApprove();
    expect((await w.settled(request.id)).state).toBe("needs_attention");
    expect(w.rds.createCalls).toHaveLength(2);

    const again = await w.run(w.service.startAgain(request.id, "U0APPROVER1"));
    expect(again.kind).toBe("done");
    const after = await w.settled(request.id);
    expect(after.state).toBe("needs_attention");
    expect(w.rds.createCalls).toHaveLength(3);
    // A person's call that gets no clear answer is watched, never followed by another automatic one.
    expect(types(w.thread(request.id)).filter((type) => type === "create_again")).toHaveLength(1);

    const refused = await w.run(w.service.startAgain(request.id, "U0APPROVER1"));
    expect(refused).toMatchObject({ kind: "refused", reason: "calls_used_up" });
    expect(w.rds.createCalls).toHaveLength(3);
    expect(w.thread(request.id).at(-1)).toMatchObject({ type: "needs_attention", canStartAgain: false });
  });
});
