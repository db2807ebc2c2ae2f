import { describe, expect, it } from "vitest";
import { SEED } from "../../src/sandbox/rds-emulator.js";
import { eventually, fileInline, settle, threadTexts, USERS, useStage } from "./harness.js";

const h = useStage();

async function approveAndSettle(instanceId: string) {
  const card = await fileInline(h, USERS.requester, instanceId);
  await h.user.clickButton({ userId: USERS.approver, message: card, actionId: "approve_backup" });
  await eventually(
    async () => {
      const [request] = await h.bot.store.list({ limit: 1 });
      return request && request.state !== "pending" && request.state !== "approved" ? request : undefined;
    },
    15_000,
    "an outcome for the request",
  );
  await settle(h);
  const [request] = await h.bot.store.list({ limit: 1 });
  return { card, request };
}

describe("CreateBackup retries, carefully", () => {
  it("adopts the job an unanswered call created instead of calling again", async () => {
    h.rds.failNext("CreateBackup", { fault: "timeout-after-create" });
    const { card, request } = await approveAndSettle(SEED.mysql);
    expect(h.rds.count("CreateBackup")).toBe(1);
    expect(h.rds.jobs(SEED.mysql)).toHaveLength(1);
    expect(["submitted", "succeeded"]).toContain(request?.state);
    expect(request?.backupJobId).toBe(h.rds.jobs(SEED.mysql)[0]?.backupJobId);
    const callsAfterCreate = h.rds.calls.slice(h.rds.calls.findIndex((c) => c.action === "CreateBackup") + 1);
    expect(callsAfterCreate[0]?.action).toBe("DescribeBackupTasks");
    expect(threadTexts(h, card).some((text) => text.includes("answer was lost"))).toBe(true);
  });

  it("calls again only after checking that the unanswered call created nothing", async () => {
    h.rds.failNext("CreateBackup", { fault: "hang" });
    const { card, request } = await approveAndSettle(SEED.mysql);
    expect(h.rds.count("CreateBackup")).toBe(2);
    expect(h.rds.jobs(SEED.mysql)).toHaveLength(1);
    const actions = h.rds.calls.map((call) => call.action);
    const first = actions.indexOf("CreateBackup");
    const second = actions.lastIndexOf("CreateBackup");
    expect(actions.slice(first + 1, second)).toContain("DescribeBackupTasks");
    expect(["submitted", "succeeded"]).toContain(request?.state);
    expect(threadTexts(h, card).filter((text) => text.includes("Backup started"))).toHaveLength(1);
  });

  it("retries throttling (nothing was created) with backoff", async () => {
    h.rds.failNext("CreateBackup", { code: "Throttling.User" });
    const { request } = await approveAndSettle(SEED.mysql);
    expect(h.rds.count("CreateBackup")).toBe(2);
    expect(["submitted", "succeeded"]).toContain(request?.state);
  });

  it("never retries a business error", async () => {
    h.rds.failNext("CreateBackup", { code: "Exceeded.BackupTimes" });
    const { card, request } = await approveAndSettle(SEED.mysql);
    expect(h.rds.count("CreateBackup")).toBe(1);
    expect(request?.state).toBe("failed");
    expect(threadTexts(h, card).some((text) => text.includes("Exceeded.BackupTimes"))).toBe(true);
  });

  it("asks a person when it cannot check whether the unanswered call created a job", async () => {
    h.rds.failNext("CreateBackup", { fault: "hang" });
    h.rds.failNext("DescribeBackupTasks", { code: "ServiceUnavailable", httpStatus: 503 }, 50);
    const { card, request } = await approveAndSettle(SEED.mysql);
    expect(h.rds.count("CreateBackup")).toBe(1);
    expect(request?.state).toBe("needs_attention");
    expect(threadTexts(h, card).some((text) => text.includes("cannot tell whether its backup started"))).toBe(
      true,
    );
  });
});
