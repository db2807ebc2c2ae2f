/**
 * RDS misbehaving while an approved request calls CreateBackup (and while the bot checks the
 * instance): server errors, throttling, a call that hangs past its timeout, a dropped connection,
 * a gateway's HTML page. For each: the bot keeps serving, says what happened, calls again only when
 * it knows no job was created, and ends with at most one backup, announced once.
 */
import { describe, expect, it } from "vitest";
import type { ScriptedFailure } from "../../src/sandbox/rds-emulator.js";
import { USERS, useStage } from "../e2e/harness.js";
import {
  acceptedCreates,
  approve,
  expectConsistent,
  file,
  freshInstance,
  outcomeOf,
  stillServes,
  threadOf,
} from "./helpers.js";

const h = useStage();

/** The actions RDS received after the first CreateBackup of `instanceId`, in order. */
function callsAfterFirstCreate(instanceId: string): string[] {
  const calls = h.rds.calls.filter((call) => call.params.DBInstanceId === instanceId);
  const first = calls.findIndex((call) => call.action === "CreateBackup");
  return calls.slice(first + 1).map((call) => call.action);
}

describe("CreateBackup fails once, then RDS recovers", () => {
  const transient: { name: string; fault: ScriptedFailure; checksFirst: boolean }[] = [
    { name: "HTTP 500 InternalError", fault: { code: "InternalError", httpStatus: 500 }, checksFirst: true },
    { name: "HTTP 503 ServiceUnavailable", fault: { code: "ServiceUnavailable" }, checksFirst: true },
    { name: "a load balancer's HTML 502 page", fault: { fault: "html502" }, checksFirst: true },
    { name: "a dropped connection", fault: { fault: "drop" }, checksFirst: true },
    { name: "a hang past the call's timeout", fault: { fault: "hang" }, checksFirst: true },
    { name: "throttling (Throttling.User)", fault: { code: "Throttling.User" }, checksFirst: false },
    {
      name: "throttling with the API's retry-after",
      fault: { code: "Throttling.User", retryAfterMs: 700 },
      checksFirst: false,
    },
  ];

  for (const scenario of transient) {
    it(`${scenario.name}: one backup, announced once${scenario.checksFirst ? ", after checking none was made" : ""}`, async () => {
      const instanceId = freshInstance(h);
      const filed = await file(h, instanceId);
      h.rds.failNext("CreateBackup", scenario.fault);
      await approve(h, filed);
      // While CreateBackup is in trouble, other people are still answered in time.
      await stillServes(h);
      const request = await outcomeOf(h, filed.requestId);
      expect(["submitted", "succeeded"]).toContain(request.state);
      expect(h.rds.count("CreateBackup")).toBe(2);
      expect(acceptedCreates(h, instanceId)).toBe(1);
      const after = callsAfterFirstCreate(instanceId);
      const second = after.indexOf("CreateBackup");
      if ("retryAfterMs" in scenario.fault && scenario.fault.retryAfterMs) {
        // The API's retry-after is honoured.
        const creates = h.rds.calls.filter((call) => call.action === "CreateBackup");
        const gap = (creates[1]?.at.getTime() ?? 0) - (creates[0]?.at.getTime() ?? 0);
        expect(gap).toBeGreaterThanOrEqual(scenario.fault.retryAfterMs - 50);
      }
      if (scenario.checksFirst) {
        // An unknown outcome: the second call only after RDS said no job exists.
        expect(after.slice(0, second)).toContain("DescribeBackupTasks");
      } else {
        // Throttling is a refusal: nothing was created, so no check is needed.
        expect(after.slice(0, second)).not.toContain("DescribeBackupTasks");
      }
      await expectConsistent(h, [filed]);
      await stillServes(h);
    });
  }
});

describe("CreateBackup's answer is lost after RDS created the job", () => {
  it("adopts the job instead of calling again, and says the answer was lost", async () => {
    const instanceId = freshInstance(h);
    const filed = await file(h, instanceId);
    h.rds.failNext("CreateBackup", { fault: "timeout-after-create" });
    await approve(h, filed);
    const request = await outcomeOf(h, filed.requestId);
    expect(["submitted", "succeeded"]).toContain(request.state);
    expect(h.rds.count("CreateBackup")).toBe(1);
    await expectConsistent(h, [filed]);
    expect(threadOf(h, filed.card).some((text) => text.includes("answer was lost"))).toBe(true);
  });

  it("asks a person, and never calls again, when RDS cannot say whether a job was made", async () => {
    const instanceId = freshInstance(h);
    const filed = await file(h, instanceId);
    h.rds.failNext("CreateBackup", { fault: "drop" });
    // Every DescribeBackupTasks fails: the approval's pre-flight check (unknown does not block) and
    // the check after the lost answer, every attempt of it.
    h.rds.failNext("DescribeBackupTasks", { code: "ServiceUnavailable" }, 1_000);
    await approve(h, filed);
    const request = await outcomeOf(h, filed.requestId);
    h.rds.clearFailures();
    expect(request.state).toBe("needs_attention");
    expect(h.rds.count("CreateBackup")).toBe(1);
    await expectConsistent(h, [filed]);
    expect(
      threadOf(h, filed.card).some((text) => text.includes("cannot tell whether its backup started")),
    ).toBe(true);
    await stillServes(h);
  });
});

describe("RDS keeps failing", () => {
  it("gives up on endless throttling inside the deadline, says why, and made nothing", async () => {
    const instanceId = freshInstance(h);
    const filed = await file(h, instanceId);
    h.rds.failNext("CreateBackup", { code: "Throttling.User" }, 1_000);
    await approve(h, filed);
    const request = await outcomeOf(h, filed.requestId, 15_000);
    h.rds.clearFailures();
    expect(request.state).toBe("failed");
    expect(request.error?.code).toBe("Throttling.User");
    expect(h.rds.jobs(instanceId)).toHaveLength(0);
    expect(h.rds.count("CreateBackup")).toBeGreaterThan(1);
    await expectConsistent(h, [filed]);
    expect(threadOf(h, filed.card).some((text) => text.includes("Throttling.User"))).toBe(true);
  });

  it("never repeats a call RDS refused (a 4xx business error)", async () => {
    const instanceId = freshInstance(h);
    const filed = await file(h, instanceId);
    h.rds.failNext("CreateBackup", { code: "InvalidParameter", httpStatus: 400 });
    await approve(h, filed);
    const request = await outcomeOf(h, filed.requestId);
    expect(request.state).toBe("failed");
    expect(h.rds.count("CreateBackup")).toBe(1);
    await expectConsistent(h, [filed]);
  });
});

describe("RDS faults on the read calls around a request", () => {
  it("retries a dropped read while filing: the request is filed, nothing is said twice", async () => {
    const instanceId = freshInstance(h);
    h.rds.failNext("DescribeDBInstanceAttribute", { fault: "drop" });
    const filed = await file(h, instanceId);
    expect(
      h.rds.calls.filter((c) => c.action === "DescribeDBInstanceAttribute" && c.result === "drop"),
    ).toHaveLength(1);
    await approve(h, filed);
    await outcomeOf(h, filed.requestId);
    await expectConsistent(h, [filed]);
  });

  it("goes on with an approval whose pre-flight read hangs (the check is unknown, not passed)", async () => {
    const instanceId = freshInstance(h);
    const filed = await file(h, instanceId);
    h.rds.failNext("DescribeBackupTasks", { fault: "hang" });
    await approve(h, filed);
    const request = await outcomeOf(h, filed.requestId);
    expect(["submitted", "succeeded"]).toContain(request.state);
    expect(request.preflight?.noBackupInProgress.status).toBe("unknown");
    await expectConsistent(h, [filed]);
  });
});

describe("several requests at once while RDS misbehaves", () => {
  it("brings every one to a correct end, with one backup each", async () => {
    const filed = [];
    for (let i = 0; i < 4; i++) filed.push(await file(h, freshInstance(h)));
    h.rds.failNext("CreateBackup", { fault: "drop" });
    h.rds.failNext("CreateBackup", { code: "Throttling.User" });
    h.rds.failNext("CreateBackup", { fault: "timeout-after-create" });
    h.rds.failNext("CreateBackup", { code: "InternalError", httpStatus: 500 });
    const approvers = [USERS.approver, USERS.approver2, USERS.groupApprover, USERS.approver];
    await Promise.all(filed.map((one, i) => approve(h, one, approvers[i])));
    await stillServes(h);
    for (const one of filed) await outcomeOf(h, one.requestId);
    await expectConsistent(h, filed);
    await stillServes(h);
  });
});
