/**
 * The RDS emulator plays the listings' unkind timing (src/sandbox/rds-listings.ts) and CreateBackup
 * answers that are lost after the job was made, through the real SDK. The emulator's clock is a
 * variable here, so lags pass without waiting.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { ApiFailure } from "../../src/domain/api-failure.js";
import { type RdsEmulator, SEED, startRdsEmulator } from "../../src/sandbox/rds-emulator.js";
import { gatewayFor, rejectionOf } from "./helpers.js";

let emulator: RdsEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

let nowMs = Date.now();
const clock = () => new Date(nowMs);
const day = { start: new Date(Date.now() - 3_600_000), end: new Date(Date.now() + 86_400_000) };

describe("the listings' lag", () => {
  it("shows a new task only after taskLagMs, with or without its job id; CreateBackup meets it all the same", async () => {
    nowMs = Date.now();
    emulator = await startRdsEmulator({ now: clock, jobAdvance: "manual", listings: { taskLagMs: 30_000 } });
    const gateway = gatewayFor(emulator);
    const { backupJobId } = await gateway.createBackup({ DBInstanceId: SEED.mysql });
    expect(await gateway.describeBackupTasks({ instanceId: SEED.mysql })).toEqual([]);
    expect(await gateway.describeBackupTasks({ instanceId: SEED.mysql, backupJobId })).toEqual([]);
    // BackupJobExists while any task runs, listed yet or not.
    const refused = await rejectionOf(gateway.createBackup({ DBInstanceId: SEED.mysql }));
    expect((refused as ApiFailure).code).toBe("BackupJobExists");
    nowMs += 30_000;
    expect((await gateway.describeBackupTasks({ instanceId: SEED.mysql })).map((t) => t.backupJobId)).toEqual(
      [backupJobId],
    );
  });

  it("shows a finished task's backup set only after setLagMs; without a job id only unfinished tasks are listed", async () => {
    nowMs = Date.now();
    emulator = await startRdsEmulator({ now: clock, listings: { setLagMs: 60_000 } });
    const gateway = gatewayFor(emulator);
    emulator.scriptJob("next", [{ status: "Finished", process: 100 }]);
    const { backupJobId } = await gateway.createBackup({ DBInstanceId: SEED.mysql });
    expect(await gateway.describeBackupTasks({ instanceId: SEED.mysql })).toEqual([]);
    const [byId] = await gateway.describeBackupTasks({ instanceId: SEED.mysql, backupJobId });
    expect(byId).toMatchObject({ status: "Finished", backupId: emulator.job(backupJobId)?.backupId });
    const manual = async () =>
      (await gateway.describeBackups({ instanceId: SEED.mysql, ...day })).filter((s) => s.mode === "Manual");
    expect(await manual()).toEqual([]);
    nowMs += 60_000;
    expect((await manual()).map((s) => s.backupId)).toEqual([emulator.job(backupJobId)?.backupId]);
  });

  it("forgets a finished task, even by its job id, after forgetFinishedAfterMs", async () => {
    nowMs = Date.now();
    emulator = await startRdsEmulator({ now: clock, listings: { forgetFinishedAfterMs: 5_000 } });
    const gateway = gatewayFor(emulator);
    emulator.scriptJob("next", [{ status: "Finished", process: 100 }]);
    const { backupJobId } = await gateway.createBackup({ DBInstanceId: SEED.mysql });
    expect(await gateway.describeBackupTasks({ instanceId: SEED.mysql, backupJobId })).toHaveLength(1);
    nowMs += 5_000;
    expect(await gateway.describeBackupTasks({ instanceId: SEED.mysql, backupJobId })).toEqual([]);
  });

  it("with jobAdvance 'timed', a job finishes by itself within a second", async () => {
    nowMs = Date.now();
    emulator = await startRdsEmulator({ now: clock, jobAdvance: "timed", stepMs: 200 });
    const gateway = gatewayFor(emulator);
    const { backupJobId } = await gateway.createBackup({ DBInstanceId: SEED.mysql });
    expect((await gateway.describeBackupTasks({ instanceId: SEED.mysql, backupJobId }))[0]?.status).toBe(
      "Checking",
    );
    nowMs += 800;
    expect((await gateway.describeBackupTasks({ instanceId: SEED.mysql, backupJobId }))[0]?.status).toBe(
      "Finished",
    );
  });

  it("setListings changes the lag of a running emulator", async () => {
    nowMs = Date.now();
    emulator = await startRdsEmulator({ now: clock, jobAdvance: "manual" });
    emulator.setListings({ taskLagMs: 10_000 });
    const gateway = gatewayFor(emulator);
    await gateway.createBackup({ DBInstanceId: SEED.mysql });
    expect(await gateway.describeBackupTasks({ instanceId: SEED.mysql })).toEqual([]);
  });
});

describe("CreateBackup answers lost after the job was made", () => {
  it("error-after-create makes the job, then answers HTTP 500", async () => {
    emulator = await startRdsEmulator();
    const gateway = gatewayFor(emulator);
    emulator.failNext("CreateBackup", { fault: "error-after-create" });
    const failure = (await rejectionOf(gateway.createBackup({ DBInstanceId: SEED.mysql }))) as ApiFailure;
    expect(failure).toMatchObject({ code: "InternalError", httpStatus: 500, outcome: "unknown" });
    expect(emulator.jobs(SEED.mysql)).toHaveLength(1);
  });

  it("drop-after-create makes the job, then drops the connection", async () => {
    emulator = await startRdsEmulator();
    const gateway = gatewayFor(emulator);
    emulator.failNext("CreateBackup", { fault: "drop-after-create" });
    const failure = (await rejectionOf(gateway.createBackup({ DBInstanceId: SEED.mysql }))) as ApiFailure;
    expect(failure.outcome).toBe("unknown");
    expect(emulator.jobs(SEED.mysql)).toHaveLength(1);
  });
});
