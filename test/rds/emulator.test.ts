/**
 * The emulator's own behaviour: the API gateway checks, the error body, and the scripting tests
 * rely on. Requests are signed with the SDK's own signer, or sent by the gateway.
 */
import { createHash, randomUUID } from "node:crypto";
import { stringify } from "node:querystring";
import * as OpenApi from "@alicloud/openapi-core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ApiFailure } from "../../src/domain/api-failure.js";
import {
  DEFAULT_INSTANCES,
  EMULATOR_ACCESS_KEY_ID,
  EMULATOR_ACCESS_KEY_SECRET,
  type RdsEmulator,
  SEED,
  startRdsEmulator,
} from "../../src/sandbox/rds-emulator.js";
import { COMMON_ERRORS, CREATE_BACKUP_ERRORS, errorDefaults } from "../../src/sandbox/rds-error-codes.js";
import { gatewayFor, rejectionOf } from "./helpers.js";

let emulator: RdsEmulator;
beforeEach(async () => {
  emulator = await startRdsEmulator();
});
afterEach(async () => {
  await emulator.close();
});

const EMPTY_SHA = createHash("sha256").update("").digest("hex");

interface RawOptions {
  action?: string;
  version?: string;
  nonce?: string;
  date?: string;
  secret?: string;
  query?: Record<string, string>;
  sign?: boolean;
}

/** A request as the SDK would send it, with knobs to get each gateway check wrong. */
async function raw(target: RdsEmulator, options: RawOptions = {}) {
  const query = options.query ?? { DBInstanceId: SEED.mysql };
  const headers: Record<string, string> = {
    host: target.endpoint.host,
    "x-acs-version": options.version ?? "2014-08-15",
    "x-acs-action": options.action ?? "DescribeDBInstanceAttribute",
    "x-acs-date": options.date ?? new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    "x-acs-signature-nonce": options.nonce ?? randomUUID(),
    "x-acs-content-sha256": EMPTY_SHA,
  };
  if (options.sign !== false) {
    headers.Authorization = OpenApi.OpenApiUtil.getAuthorization(
      { pathname: "/", method: "POST", query, headers } as never,
      "ACS3-HMAC-SHA256",
      EMPTY_SHA,
      EMULATOR_ACCESS_KEY_ID,
      options.secret ?? EMULATOR_ACCESS_KEY_SECRET,
    );
  }
  const { host, ...sent } = headers;
  const response = await fetch(`${target.url}/?${stringify(query)}`, { method: "POST", headers: sent });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe("the API gateway checks", () => {
  it("answers a good request", async () => {
    const answer = await raw(emulator);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ Items: { DBInstanceAttribute: [{ DBInstanceId: SEED.mysql }] } });
    expect(answer.headers.get("x-acs-request-id")).toBe(answer.body.RequestId);
  });

  it("answers errors in the API's shape", async () => {
    const answer = await raw(emulator, { secret: "nope" });
    expect(answer.status).toBe(400);
    expect(Object.keys(answer.body).sort()).toEqual(["Code", "HostId", "Message", "Recommend", "RequestId"]);
    expect(answer.body).toMatchObject({
      Code: "SignatureDoesNotMatch",
      Message: "Specified signature is not matched with our calculation.",
      HostId: "rds.aliyuncs.com",
    });
  });

  it.each<[string, RawOptions, string, number]>([
    ["no signature", { sign: false }, "IncompleteSignature", 400],
    ["another API version", { version: "2020-01-01" }, "InvalidVersion", 400],
    ["a stale date", { date: "2020-01-01T00:00:00Z" }, "InvalidTimeStamp.Expired", 400],
    ["an unknown action", { action: "DeleteDBInstance" }, "InvalidAction.NotFound", 404],
  ])("refuses %s", async (_, options, code, status) => {
    const answer = await raw(emulator, options);
    expect(answer.status).toBe(status);
    expect(answer.body.Code).toBe(code);
  });

  it("refuses a replayed nonce", async () => {
    expect((await raw(emulator, { nonce: "same" })).status).toBe(200);
    const replay = await raw(emulator, { nonce: "same" });
    expect(replay.body.Code).toBe("SignatureNonceUsed");
  });

  it("records every call, whatever its fate", async () => {
    await raw(emulator, { secret: "nope" });
    await raw(emulator);
    expect(emulator.count("DescribeDBInstanceAttribute")).toBe(2);
    expect(emulator.calls.map((c) => c.result)).toEqual([400, 200]);
    expect(emulator.calls[1]).toMatchObject({
      accessKeyId: EMULATOR_ACCESS_KEY_ID,
      params: { DBInstanceId: SEED.mysql },
    });
    emulator.clearCalls();
    expect(emulator.count()).toBe(0);
  });
});

describe("the default fleet", () => {
  it("has all four engines, local and cloud disks, and the awkward cases", () => {
    const fleet = emulator.instances();
    expect(fleet).toHaveLength(DEFAULT_INSTANCES.length);
    expect(new Set(fleet.map((i) => i.engine))).toEqual(
      new Set(["MySQL", "PostgreSQL", "SQLServer", "MariaDB"]),
    );
    expect(new Set(fleet.map((i) => i.storageType))).toEqual(new Set(["local_ssd", "cloud_essd"]));
    expect(emulator.instance(SEED.restarting)?.status).toBe("Restarting");
    expect(emulator.instance(SEED.locked)?.lockMode).not.toBe("Unlock");
    // Every seeded id passes the bot's own instance-id check.
    for (const instance of fleet) expect(instance.id).toMatch(/^[a-z][a-z0-9]{1,9}-[a-z0-9]{4,64}$/);
  });

  it("can be replaced and changed", async () => {
    const custom = await startRdsEmulator({ instances: [{ id: "pgm-only0001", engine: "PostgreSQL" }] });
    try {
      expect(custom.instances().map((i) => i.id)).toEqual(["pgm-only0001"]);
      custom.updateInstance("pgm-only0001", { status: "Creating" });
      const failure = await rejectionOf(gatewayFor(custom).createBackup({ DBInstanceId: "pgm-only0001" }));
      expect(failure).toMatchObject({ code: "IncorrectDBInstanceState" });
      custom.removeInstance("pgm-only0001");
      expect(custom.instance("pgm-only0001")).toBeUndefined();
    } finally {
      await custom.close();
    }
  });
});

describe("scripting", () => {
  it("failNext applies to the next calls of that action only, `times` times", async () => {
    const gateway = gatewayFor(emulator);
    emulator.failNext("CreateBackup", { code: "BackupJobExists" }, 2);
    await gateway.describeInstance(SEED.mysql);
    for (let n = 0; n < 2; n++) {
      const failure = await rejectionOf(gateway.createBackup({ DBInstanceId: SEED.mysql }));
      expect(failure).toMatchObject({ code: "BackupJobExists" });
    }
    await expect(gateway.createBackup({ DBInstanceId: SEED.mysql })).resolves.toBeDefined();
  });

  it("failNext('*') applies to any action, and clearFailures forgets", async () => {
    const gateway = gatewayFor(emulator);
    emulator.failNext("*", { code: "Forbidden.RAM" });
    expect(await rejectionOf(gateway.listInstances("cn-hangzhou"))).toMatchObject({
      code: "Forbidden.RAM",
      httpStatus: 403,
    });
    emulator.failNext("*", { code: "Forbidden.RAM" });
    emulator.clearFailures();
    await expect(gateway.listInstances("cn-hangzhou")).resolves.not.toHaveLength(0);
  });

  it("a job follows its script: Failed records no backup set", async () => {
    const gateway = gatewayFor(emulator);
    emulator.scriptJob("next", [
      { status: "Checking", process: 0 },
      { status: "Uploading", process: 40 },
      { status: "Failed", process: 40 },
    ]);
    const { backupJobId } = await gateway.createBackup({
      DBInstanceId: SEED.postgres,
      BackupMethod: "Snapshot",
    });
    const seen: string[] = [];
    for (let n = 0; n < 4; n++) {
      const [task] = await gateway.describeBackupTasks({ instanceId: SEED.postgres, backupJobId });
      seen.push(`${task?.status}:${task?.progress}`);
    }
    expect(seen).toEqual(["Checking:0", "Uploading:40", "Failed:40", "Failed:40"]);
    expect(emulator.job(backupJobId)?.backupId).toBeUndefined();
    expect(emulator.backupSets(SEED.postgres).filter((s) => s.mode === "Manual")).toHaveLength(0);
    // A failed job is no longer in progress.
    await expect(
      gateway.createBackup({ DBInstanceId: SEED.postgres, BackupMethod: "Snapshot" }),
    ).resolves.toBeDefined();
  });

  it("a Finished step records the backup set, with its size", async () => {
    const gateway = gatewayFor(emulator);
    const { backupJobId } = await gateway.createBackup({ DBInstanceId: SEED.mysql });
    emulator.scriptJob(backupJobId, [{ status: "Finished", process: 100, backupSize: 123_456 }]);
    const job = emulator.job(backupJobId);
    expect(job?.backupId).toBeDefined();
    const set = emulator.backupSets(SEED.mysql).find((s) => s.backupId === job?.backupId);
    expect(set).toMatchObject({ size: 123_456, mode: "Manual", status: "Success", backupJobId });
  });

  it("with jobAdvance 'manual', only advanceJobs moves jobs", async () => {
    const manual = await startRdsEmulator({ jobAdvance: "manual" });
    try {
      const gateway = gatewayFor(manual);
      const { backupJobId } = await gateway.createBackup({ DBInstanceId: SEED.mysql });
      const status = async () =>
        (await gateway.describeBackupTasks({ instanceId: SEED.mysql, backupJobId }))[0]?.status;
      expect(await status()).toBe("Checking");
      expect(await status()).toBe("Checking");
      manual.advanceJobs();
      expect(await status()).toBe("Uploading");
      manual.settleJobs();
      expect(await status()).toBe("Finished");
    } finally {
      await manual.close();
    }
  });

  it("delay answers late; timeout-after-create with ms answers late too", async () => {
    const gateway = gatewayFor(emulator, { timeoutMs: 3_000 });
    emulator.failNext("CreateBackup", { fault: "timeout-after-create", ms: 150 });
    const started = Date.now();
    const result = await gateway.createBackup({ DBInstanceId: SEED.mysql });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(emulator.job(result.backupJobId)).toBeDefined();
  });

  it("close() ends hanging requests", async () => {
    const gateway = gatewayFor(emulator, { timeoutMs: 10_000 });
    emulator.failNext("CreateBackup", { fault: "hang" });
    const pending = rejectionOf(gateway.createBackup({ DBInstanceId: SEED.mysql }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await emulator.close();
    const failure = await pending;
    expect(failure).toBeInstanceOf(ApiFailure);
    expect((failure as ApiFailure).outcome).toBe("unknown");
    expect(Date.now() - started).toBeLessThan(2_000);
    emulator = await startRdsEmulator(); // for afterEach
  });
});

describe("error code table", () => {
  it("holds every CreateBackup error code of the reference, with its status", () => {
    expect(CREATE_BACKUP_ERRORS).toHaveLength(74);
    expect(errorDefaults("Exceeded.BackupTimes")).toEqual({
      code: "Exceeded.BackupTimes",
      httpStatus: 403,
      message: "The backup times exceeds.",
    });
    expect(errorDefaults("InvalidDB.NotFound").httpStatus).toBe(404);
    expect(errorDefaults("InvokeProxyFailure").httpStatus).toBe(500);
    expect(errorDefaults("Throttling.User").httpStatus).toBe(400);
    expect(errorDefaults("No.Such.Code")).toMatchObject({ httpStatus: 400 });
    const codes = [...CREATE_BACKUP_ERRORS, ...COMMON_ERRORS].map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
