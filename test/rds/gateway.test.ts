/**
 * The gateway with the real SDK, over HTTP, against the RDS emulator.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiFailure } from "../../src/domain/api-failure.js";
import { AlibabaRdsGateway } from "../../src/rds/gateway.js";
import {
  EMULATOR_ACCESS_KEY_ID,
  EMULATOR_ACCESS_KEY_SECRET,
  type RdsEmulator,
  SEED,
  startRdsEmulator,
} from "../../src/sandbox/rds-emulator.js";
import { captureLogger, closedPort, FAST_RETRY, gatewayFor, rejectionOf } from "./helpers.js";

let emulator: RdsEmulator;
let gateway: AlibabaRdsGateway;

beforeEach(async () => {
  emulator = await startRdsEmulator();
  const tokyo = await emulator.endpointFor("ap-northeast-1");
  gateway = gatewayFor(emulator, {
    endpoint: (regionId) => (regionId === "ap-northeast-1" ? tokyo : emulator.endpoint),
  });
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await emulator.close();
});

async function failureOf(promise: Promise<unknown>): Promise<ApiFailure> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(ApiFailure);
  return error as ApiFailure;
}

describe("reads", () => {
  it("describeInstance maps DescribeDBInstanceAttribute", async () => {
    await expect(gateway.describeInstance(SEED.sqlServer)).resolves.toEqual({
      id: SEED.sqlServer,
      regionId: "cn-hangzhou",
      engine: "SQLServer",
      engineVersion: "2019_std_ha",
      status: "Running",
      description: "erp",
      storageType: "cloud_essd",
      category: "HighAvailability",
      lockMode: "Unlock",
      instanceType: "Primary",
    });
    const call = emulator.calls.at(-1);
    expect(call).toMatchObject({
      action: "DescribeDBInstanceAttribute",
      params: { DBInstanceId: SEED.sqlServer },
    });
  });

  it("describeInstance reads the role: a read-only instance names its primary", async () => {
    await expect(gateway.describeInstance(SEED.readOnly)).resolves.toMatchObject({
      id: SEED.readOnly,
      instanceType: "Readonly",
      masterInstanceId: SEED.mysql,
    });
  });

  it("describeInstance of an unknown instance is InvalidDBInstanceId.NotFound", async () => {
    const failure = await failureOf(gateway.describeInstance("rm-doesnotexist"));
    expect(failure).toMatchObject({
      code: "InvalidDBInstanceId.NotFound",
      outcome: "rejected",
      transient: false,
    });
    expect(failure.requestId).toMatch(/^[0-9A-F-]{36}$/);
  });

  it("describeInstance refuses an engine the bot does not support", async () => {
    emulator.addInstance({ id: "rm-oracle0001", engine: "Oracle" });
    const failure = await failureOf(gateway.describeInstance("rm-oracle0001"));
    expect(failure).toMatchObject({ code: "IncorrectDBInstanceEngine", outcome: "rejected" });
    expect(failure.message).toContain("Oracle");
  });

  it("listInstances returns every engine of the region, and no other region", async () => {
    const instances = await gateway.listInstances("cn-hangzhou");
    expect(new Set(instances.map((i) => i.engine))).toEqual(
      new Set(["MySQL", "PostgreSQL", "SQLServer", "MariaDB"]),
    );
    expect(new Set(instances.map((i) => i.storageType))).toEqual(new Set(["local_ssd", "cloud_essd"]));
    expect(instances.map((i) => i.id)).not.toContain(SEED.tokyo);
    const tokyo = await gateway.listInstances("ap-northeast-1");
    expect(tokyo.map((i) => i.id)).toEqual([SEED.tokyo]);
    expect(tokyo[0]?.regionId).toBe("ap-northeast-1");
    expect(emulator.calls.at(-1)?.endpoint).toBe("rds.ap-northeast-1.aliyuncs.com");
  });

  it("listInstances reads every page, 100 at a time", async () => {
    for (let n = 0; n < 250; n++) {
      emulator.addInstance({ id: `rm-gs5fleet${String(n).padStart(4, "0")}`, regionId: "eu-central-1" });
    }
    emulator.addInstance({ id: "rm-gs5oracle1", regionId: "eu-central-1", engine: "Oracle" });
    const frankfurt = await emulator.endpointFor("eu-central-1");
    gateway = gatewayFor(emulator, {
      endpoint: (regionId) => (regionId === "eu-central-1" ? frankfurt : emulator.endpoint),
    });
    const instances = await gateway.listInstances("eu-central-1");
    expect(instances).toHaveLength(250);
    expect(new Set(instances.map((i) => i.id)).size).toBe(250);
    const pages = emulator.calls.filter((c) => c.action === "DescribeDBInstances");
    expect(pages.map((c) => [c.params.RegionId, c.params.PageSize, c.params.PageNumber])).toEqual([
      ["eu-central-1", "100", "1"],
      ["eu-central-1", "100", "2"],
      ["eu-central-1", "100", "3"],
    ]);
  });

  it("describeDatabases lists the names, across pages", async () => {
    await expect(gateway.describeDatabases(SEED.mysql)).resolves.toEqual([
      "orders",
      "customers",
      "inventory",
    ]);
    const many = Array.from({ length: 130 }, (_, n) => `db_${n}`);
    emulator.addInstance({ id: "rm-manydbs01", databases: many });
    await expect(gateway.describeDatabases("rm-manydbs01")).resolves.toEqual(many);
    expect(emulator.calls.filter((c) => c.params.DBInstanceId === "rm-manydbs01")).toHaveLength(2);
  });

  it("describeBackupTasks sends the job id as a number and maps progress", async () => {
    const { backupJobId } = await gateway.createBackup({
      DBInstanceId: SEED.postgres,
      BackupMethod: "Snapshot",
    });
    const [task] = await gateway.describeBackupTasks({ instanceId: SEED.postgres, backupJobId });
    expect(task).toMatchObject({ backupJobId, status: "Checking", progress: 0 });
    expect(emulator.calls.at(-1)?.params.BackupJobId).toBe(backupJobId);
    // Without a job id: the jobs in progress.
    const running = await gateway.describeBackupTasks({ instanceId: SEED.postgres });
    expect(running).toEqual([expect.objectContaining({ backupJobId, status: "Uploading", progress: 30 })]);
  });

  it("describeBackupTasks refuses a job id that is not a number, without calling the API", async () => {
    const before = emulator.count();
    const failure = await failureOf(
      gateway.describeBackupTasks({ instanceId: SEED.mysql, backupJobId: "50x" }),
    );
    expect(failure).toMatchObject({ code: "InvalidBackupJobId.Malformed", outcome: "not_sent" });
    expect(emulator.count()).toBe(before);
  });

  it("describeBackups sends minute-precision UTC times and reads every page", async () => {
    const start = new Date("2030-01-01T00:00:30Z");
    const end = new Date("2030-01-02T00:00:10Z");
    for (let n = 0; n < 130; n++) {
      const at = new Date(start.getTime() + 60_000 * (n + 1));
      emulator.addBackupSet(SEED.mysql, { startTime: at, endTime: at, size: 1000 + n, mode: "Manual" });
    }
    const sets = await gateway.describeBackups({ instanceId: SEED.mysql, start, end });
    expect(sets).toHaveLength(130);
    expect(sets[0]).toMatchObject({ method: "Physical", status: "Success", mode: "Manual", size: 1129 });
    const calls = emulator.calls.filter((c) => c.action === "DescribeBackups");
    expect(calls.map((c) => c.params.PageNumber)).toEqual(["1", "2"]);
    expect(calls[0]?.params).toMatchObject({ StartTime: "2030-01-01T00:00Z", EndTime: "2030-01-02T00:01Z" });
  });

  it("describeBackups finds the set of a finished job by its id", async () => {
    const { backupJobId } = await gateway.createBackup({ DBInstanceId: SEED.mariadb });
    emulator.settleJobs();
    const [task] = await gateway.describeBackupTasks({ instanceId: SEED.mariadb, backupJobId });
    expect(task?.status).toBe("Finished");
    expect(task?.backupId).toBeDefined();
    const sets = await gateway.describeBackups({
      instanceId: SEED.mariadb,
      start: new Date(Date.now() - 3_600_000),
      end: new Date(),
      backupId: task?.backupId,
    });
    expect(sets).toEqual([
      expect.objectContaining({ backupId: task?.backupId, mode: "Manual", status: "Success" }),
    ]);
    expect(sets[0]?.size).toBeGreaterThan(0);
  });

  it("uses the region of the call, with one client per region, each at its region's endpoint", async () => {
    const tokyo = await gateway.describeInstance(SEED.tokyo, { regionId: "ap-northeast-1" });
    expect(tokyo.regionId).toBe("ap-northeast-1");
    expect(emulator.calls.at(-1)?.endpoint).toBe("rds.ap-northeast-1.aliyuncs.com");
    // The same instance asked for at another region's endpoint is not there, as on the platform.
    const elsewhere = await failureOf(gateway.describeInstance(SEED.tokyo, { regionId: "cn-hangzhou" }));
    expect(elsewhere.code).toBe("InvalidDBInstanceId.NotFound");
  });
});

describe("createBackup", () => {
  it("sends the parameters with the API's names and returns the job", async () => {
    const result = await gateway.createBackup({
      DBInstanceId: SEED.sqlServer,
      BackupMethod: "Physical",
      BackupType: "FullBackup",
      BackupStrategy: "db",
      DBName: ["erp", "reporting"],
      BackupRetentionPeriod: 30,
    });
    expect(result.backupJobId).toMatch(/^\d+$/);
    expect(result.requestId).toMatch(/^[0-9A-F-]{36}$/);
    expect(emulator.calls.at(-1)?.params).toEqual({
      DBInstanceId: SEED.sqlServer,
      BackupMethod: "Physical",
      BackupType: "FullBackup",
      BackupStrategy: "db",
      DBName: "erp,reporting",
      BackupRetentionPeriod: "30",
    });
    expect(emulator.job(result.backupJobId)?.instanceId).toBe(SEED.sqlServer);
  });

  it.each([
    ["rm-doesnotexist", "InvalidDBInstanceId.NotFound", 400],
    [SEED.restarting, "IncorrectDBInstanceState", 403],
    [SEED.locked, "IncorrectDBInstanceLockMode.ValueNotSupported", 400],
    [SEED.readOnly, "ReadDBInstanceNotSupport", 400],
  ])("refuses %s with %s", async (id, code, httpStatus) => {
    const failure = await failureOf(gateway.createBackup({ DBInstanceId: id }));
    expect(failure).toMatchObject({ code, httpStatus, outcome: "rejected", transient: false });
    expect(failure.message).not.toBe(code);
    expect(emulator.jobs()).toHaveLength(0);
  });

  it("refuses a second backup while one is in progress (BackupJobExists)", async () => {
    await gateway.createBackup({ DBInstanceId: SEED.mysql });
    const failure = await failureOf(gateway.createBackup({ DBInstanceId: SEED.mysql }));
    expect(failure).toMatchObject({
      code: "BackupJobExists",
      message: "A backup job already exists in the specified DB instance.",
      outcome: "rejected",
    });
    emulator.settleJobs();
    await expect(gateway.createBackup({ DBInstanceId: SEED.mysql })).resolves.toBeDefined();
  });

  it("refuses the 21st backup of the day (Exceeded.BackupTimes)", async () => {
    for (let n = 0; n < 20; n++)
      emulator.addBackupSet(SEED.postgres, { startTime: new Date(), mode: "Manual" });
    const failure = await failureOf(
      gateway.createBackup({ DBInstanceId: SEED.postgres, BackupMethod: "Snapshot" }),
    );
    expect(failure).toMatchObject({ code: "Exceeded.BackupTimes", httpStatus: 403, outcome: "rejected" });
  });

  it("refuses what cloud disks and editions do not take, with the codes our reading gives them", async () => {
    // Cloud disks: snapshot backups only, for MySQL and PostgreSQL.
    for (const method of [undefined, "Physical", "Logical"] as const) {
      const failure = await failureOf(
        gateway.createBackup({ DBInstanceId: SEED.mysqlCloud, ...(method ? { BackupMethod: method } : {}) }),
      );
      expect(failure.code, String(method)).toBe("InvalidBackupMethod.ValueNotSupport");
    }
    await expect(
      gateway.createBackup({ DBInstanceId: SEED.mysqlCloud, BackupMethod: "Snapshot" }),
    ).resolves.toBeDefined();
    // A database-level MySQL backup on 5.5, or on a Basic edition: refused.
    emulator.addInstance({
      id: "rm-bp1mysql55",
      engineVersion: "5.5",
      storageType: "local_ssd",
      databases: ["a"],
    });
    const old = await failureOf(
      gateway.createBackup({
        DBInstanceId: "rm-bp1mysql55",
        BackupMethod: "Logical",
        BackupStrategy: "db",
        DBName: ["a"],
      }),
    );
    expect(old.code).toBe("IncorrectDBInstanceType");
    await expect(
      gateway.createBackup({
        DBInstanceId: "rm-bp1mysql55",
        BackupMethod: "Logical",
        BackupStrategy: "instance",
      }),
    ).resolves.toBeDefined();
  });

  it("lets the API refuse parameters the engine does not take", async () => {
    const logical = await failureOf(
      gateway.createBackup({ DBInstanceId: SEED.postgres, BackupMethod: "Logical" }),
    );
    expect(logical.code).toBe("InvalidBackupMethod.ValueNotSupport");
    const snapshot = await failureOf(
      gateway.createBackup({ DBInstanceId: SEED.mysql, BackupMethod: "Snapshot" }),
    );
    expect(snapshot.code).toBe("InvalidBackupMethod.ValueNotSupport");
    const type = await failureOf(
      gateway.createBackup({ DBInstanceId: SEED.mysql, BackupType: "FullBackup" }),
    );
    expect(type.code).toBe("BackupType.NotSupport");
    const db = await failureOf(
      gateway.createBackup({
        DBInstanceId: SEED.mysql,
        BackupMethod: "Logical",
        BackupStrategy: "db",
        DBName: ["nope"],
      }),
    );
    expect(db).toMatchObject({ code: "InvalidDB.NotFound", httpStatus: 404 });
  });
});

describe("errors", () => {
  it("scripted API errors come back with the API's code, message, RequestId and Recommend", async () => {
    emulator.failNext("CreateBackup", { code: "OperationDenied.ApiForbidden" });
    const failure = await failureOf(gateway.createBackup({ DBInstanceId: SEED.mysql }));
    const call = emulator.calls.at(-1);
    expect(failure.toInfo()).toEqual({
      code: "OperationDenied.ApiForbidden",
      message: "operation not permitted.",
      httpStatus: 403,
      requestId: call?.requestId,
      recommend: `https://api.aliyun.com/troubleshoot?q=OperationDenied.ApiForbidden&product=Rds&requestId=${call?.requestId}`,
      outcome: "rejected",
      transient: false,
      retryAfterSeconds: undefined,
    });

    emulator.failNext("DescribeDBInstanceAttribute", {
      code: "Custom.Code",
      httpStatus: 409,
      message: "A custom message.",
      recommend: "https://example.com/why",
    });
    const custom = await failureOf(gateway.describeInstance(SEED.mysql));
    expect(custom).toMatchObject({
      code: "Custom.Code",
      httpStatus: 409,
      message: "A custom message.",
      recommend: "https://example.com/why",
    });
  });

  it("a wrong AccessKey secret is SignatureDoesNotMatch, and the secret appears nowhere", async () => {
    const logger = captureLogger();
    const wrong = gatewayFor(emulator, { accessKeySecret: "wrong-secret-value", logger });
    const failure = await failureOf(wrong.describeInstance(SEED.mysql));
    expect(failure).toMatchObject({ code: "SignatureDoesNotMatch", httpStatus: 400, outcome: "rejected" });
    expect(failure.transient).toBe(false);
    expect(emulator.count("DescribeDBInstanceAttribute")).toBe(1);
    const everything = JSON.stringify([failure.toInfo(), failure.message, logger.lines]);
    expect(everything).not.toContain("wrong-secret-value");
  });

  it("an unknown AccessKey id is InvalidAccessKeyId.NotFound", async () => {
    const unknown = gatewayFor(emulator, { accessKeyId: "LTAI-nobody" });
    const failure = await failureOf(unknown.listInstances("cn-hangzhou"));
    expect(failure).toMatchObject({
      code: "InvalidAccessKeyId.NotFound",
      httpStatus: 404,
      outcome: "rejected",
    });
  });

  it("an STS token travels signed, and is never echoed into a message", async () => {
    const sts = await startRdsEmulator({
      accessKeys: { "STS.emulator": { secret: "sts-secret-value", securityToken: "sts-token-value" } },
    });
    try {
      const good = gatewayFor(sts, {
        accessKeyId: "STS.emulator",
        accessKeySecret: "sts-secret-value",
        securityToken: "sts-token-value",
      });
      await expect(good.describeInstance(SEED.mysql)).resolves.toMatchObject({ id: SEED.mysql });
      // An API message that happens to echo the token and the secret is scrubbed.
      sts.failNext("DescribeDBInstanceAttribute", {
        code: "InvalidSecurityToken.Expired",
        message: "token sts-token-value for key secret sts-secret-value has expired",
      });
      const failure = await failureOf(good.describeInstance(SEED.mysql));
      expect(failure.message).toBe("token *** for key secret *** has expired");
      const wrongToken = gatewayFor(sts, {
        accessKeyId: "STS.emulator",
        accessKeySecret: "sts-secret-value",
        securityToken: "other-token",
      });
      const mismatch = await failureOf(wrongToken.describeInstance(SEED.mysql));
      expect(mismatch.code).toBe("InvalidSecurityToken.MismatchWithAccessKey");
    } finally {
      await sts.close();
    }
  });

  it("throttling is retried for reads, honouring x-acs-retry-after", async () => {
    emulator.failNext("DescribeDBInstanceAttribute", { code: "Throttling.User", retryAfterMs: 300 }, 2);
    const started = Date.now();
    await expect(gateway.describeInstance(SEED.mysql)).resolves.toMatchObject({ id: SEED.mysql });
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    expect(emulator.count("DescribeDBInstanceAttribute")).toBe(3);
  });

  it("throttling is never retried for createBackup", async () => {
    emulator.failNext("CreateBackup", { code: "Throttling.User", retryAfterMs: 100 });
    const failure = await failureOf(gateway.createBackup({ DBInstanceId: SEED.mysql }));
    expect(failure).toMatchObject({ code: "Throttling.User", transient: true, retryAfterSeconds: 0.1 });
    expect(emulator.count("CreateBackup")).toBe(1);
    expect(emulator.jobs()).toHaveLength(0);
  });

  it("a read that keeps failing gives up at its deadline with the last failure", async () => {
    emulator.failNext("DescribeDatabases", { code: "ServiceUnavailable" }, 1000);
    const started = Date.now();
    const failure = await failureOf(gateway.describeDatabases(SEED.mysql, { timeoutMs: 600 }));
    expect(failure).toMatchObject({ code: "ServiceUnavailable", httpStatus: 503, transient: true });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(emulator.count("DescribeDatabases")).toBeGreaterThan(1);
  });

  it("a business error on a read is not retried", async () => {
    emulator.failNext("DescribeBackupTasks", { code: "InvalidDBInstanceId.NotFound" });
    await failureOf(gateway.describeBackupTasks({ instanceId: SEED.mysql }));
    expect(emulator.count("DescribeBackupTasks")).toBe(1);
  });

  it("a 5xx with a code on createBackup is outcome unknown, one attempt", async () => {
    emulator.failNext("CreateBackup", { code: "InternalError" });
    const failure = await failureOf(gateway.createBackup({ DBInstanceId: SEED.mysql }));
    expect(failure).toMatchObject({
      code: "InternalError",
      httpStatus: 500,
      outcome: "unknown",
      transient: true,
    });
    expect(emulator.count("CreateBackup")).toBe(1);
  });

  it("a hang is a Timeout within the attempt timeout, outcome unknown", async () => {
    const quick = gatewayFor(emulator, { timeoutMs: 300 });
    emulator.failNext("CreateBackup", { fault: "hang" });
    const started = Date.now();
    const failure = await failureOf(quick.createBackup({ DBInstanceId: SEED.mysql }));
    expect(failure).toMatchObject({ code: "Timeout", outcome: "unknown", transient: true });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(emulator.count("CreateBackup")).toBe(1);
  });

  it("CallOptions.timeoutMs bounds a createBackup attempt too", async () => {
    emulator.failNext("CreateBackup", { fault: "hang" });
    const started = Date.now();
    const failure = await failureOf(gateway.createBackup({ DBInstanceId: SEED.mysql }, { timeoutMs: 200 }));
    expect(failure.code).toBe("Timeout");
    expect(Date.now() - started).toBeLessThan(1_900);
  });

  it("the CreateBackup timeout the caller gives is the one used, also when longer than a read's attempt", async () => {
    // Issue 12, sequence 9: the configured timeout was silently cut to the client's attempt limit.
    const shortAttempts = gatewayFor(emulator, { timeoutMs: 300 });
    emulator.failNext("CreateBackup", { fault: "delay", ms: 700 });
    const result = await shortAttempts.createBackup({ DBInstanceId: SEED.mysql }, { timeoutMs: 2_000 });
    expect(result.backupJobId).toBe(emulator.jobs(SEED.mysql)[0]?.backupJobId);
    expect(emulator.count("CreateBackup")).toBe(1);
  });

  it("a hanging read is retried within its deadline, then Timeout", async () => {
    emulator.failNext("DescribeDBInstanceAttribute", { fault: "hang" }, 100);
    const started = Date.now();
    const failure = await failureOf(gateway.describeInstance(SEED.mysql, { timeoutMs: 800 }));
    expect(failure.code).toBe("Timeout");
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("a hang that ends in time is only a slow answer", async () => {
    emulator.failNext("DescribeDBInstanceAttribute", { fault: "delay", ms: 200 });
    await expect(gateway.describeInstance(SEED.mysql)).resolves.toMatchObject({ id: SEED.mysql });
    expect(emulator.count("DescribeDBInstanceAttribute")).toBe(1);
  });

  it("a dropped connection: createBackup reports unknown, a read retries", async () => {
    emulator.failNext("CreateBackup", { fault: "drop" });
    const failure = await failureOf(gateway.createBackup({ DBInstanceId: SEED.mysql }));
    expect(failure).toMatchObject({ outcome: "unknown", transient: true });
    expect(failure.code).toMatch(/^E[A-Z]+$/);
    expect(emulator.count("CreateBackup")).toBe(1);

    emulator.failNext("DescribeDBInstanceAttribute", { fault: "drop" });
    await expect(gateway.describeInstance(SEED.mysql)).resolves.toMatchObject({ id: SEED.mysql });
    expect(emulator.count("DescribeDBInstanceAttribute")).toBe(2);
  });

  it("an HTML 502 is BadGateway, outcome unknown; a read retries it", async () => {
    emulator.failNext("CreateBackup", { fault: "html502" });
    const failure = await failureOf(gateway.createBackup({ DBInstanceId: SEED.mysql }));
    expect(failure).toMatchObject({ code: "BadGateway", outcome: "unknown", transient: true });
    emulator.failNext("DescribeBackupTasks", { fault: "html502" });
    await expect(gateway.describeBackupTasks({ instanceId: SEED.mysql })).resolves.toEqual([]);
    expect(emulator.count("DescribeBackupTasks")).toBe(2);
  });

  it("a timeout after the job was created leaves a job DescribeBackupTasks can find", async () => {
    const quick = gatewayFor(emulator, { timeoutMs: 300 });
    emulator.failNext("CreateBackup", { fault: "timeout-after-create" });
    const failure = await failureOf(quick.createBackup({ DBInstanceId: SEED.mysql }));
    expect(failure).toMatchObject({ code: "Timeout", outcome: "unknown" });
    const tasks = await quick.describeBackupTasks({ instanceId: SEED.mysql });
    expect(tasks).toHaveLength(1);
    expect(tasks[0]?.backupJobId).toBe(emulator.jobs(SEED.mysql)[0]?.backupJobId);
  });

  it("a refused connection is not_sent", async () => {
    const port = await closedPort();
    const nowhere = gatewayFor(emulator, { endpoint: new URL(`http://127.0.0.1:${port}`) });
    const failure = await failureOf(nowhere.createBackup({ DBInstanceId: SEED.mysql }));
    expect(failure).toMatchObject({ code: "ECONNREFUSED", outcome: "not_sent", transient: true });
    const read = await failureOf(nowhere.describeInstance(SEED.mysql, { timeoutMs: 300 }));
    expect(read).toMatchObject({ code: "ECONNREFUSED", outcome: "not_sent" });
  });

  it("latency applies to every answer", async () => {
    emulator.setLatency(150);
    const started = Date.now();
    await gateway.describeInstance(SEED.mysql);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe("credentials and logging", () => {
  it("follows whether the credentials work: an expired STS token, then one that works again", async () => {
    const sts = { secret: "sts-secret", securityToken: "CAIS-test-token" };
    emulator.setAccessKey("STS.test", sts);
    const withSts = gatewayFor(emulator, {
      accessKeyId: "STS.test",
      accessKeySecret: sts.secret,
      securityToken: sts.securityToken,
      credentialRecheckMs: 0,
    });
    await expect(withSts.checkCredentials()).resolves.toMatchObject({ type: "sts" });
    await withSts.describeInstance(SEED.mysql);
    expect(withSts.credentialHealth()).toEqual({ ok: true });

    emulator.setAccessKey("STS.test", { ...sts, expiresAt: new Date(Date.now() - 1) });
    const failure = await failureOf(withSts.describeInstance(SEED.mysql));
    expect(failure).toMatchObject({ code: "InvalidSecurityToken.Expired", transient: false });
    expect(withSts.credentialHealth()).toMatchObject({ ok: false, code: "InvalidSecurityToken.Expired" });

    // Fixed: the next health check tries them again (one cheap call) and becomes ok by itself.
    emulator.setAccessKey("STS.test", sts);
    const probes = emulator.count("DescribeDBInstances");
    withSts.credentialHealth();
    await vi.waitFor(() => expect(withSts.credentialHealth()).toEqual({ ok: true }));
    expect(emulator.count("DescribeDBInstances")).toBeGreaterThan(probes);
    // An ordinary refusal says nothing about the credentials.
    await failureOf(withSts.createBackup({ DBInstanceId: "rm-doesnotexist" }));
    expect(withSts.credentialHealth()).toEqual({ ok: true });
  });

  it("checkCredentials reports static keys without the secret", async () => {
    const resolved = await gateway.checkCredentials();
    expect(resolved).toEqual({
      type: "access_key",
      providerName: "static_ak",
      accessKeyId: EMULATOR_ACCESS_KEY_ID,
    });
    expect(JSON.stringify(resolved)).not.toContain(EMULATOR_ACCESS_KEY_SECRET);
  });

  it("without keys, uses the default credential chain (here: the environment)", async () => {
    vi.stubEnv("ALIBABA_CLOUD_ACCESS_KEY_ID", EMULATOR_ACCESS_KEY_ID);
    vi.stubEnv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", EMULATOR_ACCESS_KEY_SECRET);
    const chained = new AlibabaRdsGateway({
      regionId: "cn-hangzhou",
      endpoint: emulator.endpoint,
      retryPolicy: FAST_RETRY,
    });
    await expect(chained.checkCredentials()).resolves.toMatchObject({ accessKeyId: EMULATOR_ACCESS_KEY_ID });
    await expect(chained.describeInstance(SEED.mysql)).resolves.toMatchObject({ id: SEED.mysql });
  });

  it("with RRSA set up, says what is wrong with it, not which variables to set", async () => {
    const rrsa = {
      roleArn: "acs:ram::1234567890:role/rds-backup-bot",
      oidcProviderArn: "acs:ram::1234567890:oidc-provider/ack-rrsa-c0ffee",
      oidcTokenFile: "/nonexistent-rrsa/token",
      vpcEndpoint: false,
    };
    // As ack-pod-identity-webhook sets them: the chain would see them too.
    vi.stubEnv("ALIBABA_CLOUD_ROLE_ARN", rrsa.roleArn);
    vi.stubEnv("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", rrsa.oidcProviderArn);
    vi.stubEnv("ALIBABA_CLOUD_OIDC_TOKEN_FILE", rrsa.oidcTokenFile);
    vi.stubEnv("ALIBABA_CLOUD_ACCESS_KEY_ID", "");
    vi.stubEnv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "");
    vi.stubEnv("HOME", "/nonexistent-home-for-tests");
    const withRrsa = new AlibabaRdsGateway({ regionId: "ap-northeast-1", endpoint: emulator.endpoint, rrsa });
    const error = await rejectionOf(withRrsa.checkCredentials());
    const message = (error as Error).message;
    expect(message).toContain("ALIBABA_CLOUD_OIDC_TOKEN_FILE names /nonexistent-rrsa/token");
    expect(message).not.toContain("set ALIBABA_CLOUD_ACCESS_KEY_ID");
    expect(message).not.toContain("ALIBABA_CLOUD_ROLE_ARN");
    const failure = await failureOf(withRrsa.describeInstance(SEED.mysql));
    expect(failure.code).toBe("CredentialsUnavailable");
    expect(emulator.count()).toBe(0);
  });

  it("checkCredentials fails clearly when the chain finds nothing", async () => {
    vi.stubEnv("ALIBABA_CLOUD_ACCESS_KEY_ID", "");
    vi.stubEnv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "");
    vi.stubEnv("ALIBABA_CLOUD_SECURITY_TOKEN", "");
    vi.stubEnv("HOME", "/nonexistent-home-for-tests");
    vi.stubEnv("ALIBABA_CLOUD_CREDENTIALS_FILE", "/nonexistent-home-for-tests/credentials");
    const none = new AlibabaRdsGateway({ regionId: "cn-hangzhou", endpoint: emulator.endpoint });
    const error = await rejectionOf(none.checkCredentials());
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(
      /No usable Alibaba Cloud credentials: set ALIBABA_CLOUD_ACCESS_KEY_ID/,
    );
    // A call without credentials fails before anything is sent, every time (the chain is not
    // stuck on the provider it tried last).
    for (let n = 0; n < 2; n++) {
      const failure = await failureOf(none.createBackup({ DBInstanceId: SEED.mysql }));
      expect(failure).toMatchObject({
        code: "CredentialsUnavailable",
        outcome: "not_sent",
        transient: false,
      });
    }
    expect(emulator.count("CreateBackup")).toBe(0);
    // Once credentials appear, the same gateway finds them.
    vi.stubEnv("ALIBABA_CLOUD_ACCESS_KEY_ID", EMULATOR_ACCESS_KEY_ID);
    vi.stubEnv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", EMULATOR_ACCESS_KEY_SECRET);
    await expect(none.createBackup({ DBInstanceId: SEED.mysql })).resolves.toBeDefined();
  });

  it("refuses half a static key", () => {
    expect(() => new AlibabaRdsGateway({ regionId: "cn-hangzhou", accessKeyId: "LTAI-x" })).toThrow(/both/);
  });

  it("logs one debug line per HTTP attempt, with the RequestId and the code on failure", async () => {
    const logger = captureLogger();
    const logged = gatewayFor(emulator, { logger });
    emulator.failNext("DescribeDBInstanceAttribute", { code: "Throttling" });
    await logged.describeInstance(SEED.mysql);
    expect(logger.lines).toHaveLength(2);
    const [first, second] = logger.lines.map((line) => line.fields);
    expect(first).toMatchObject({ action: "DescribeDBInstanceAttribute", attempt: 1, code: "Throttling" });
    expect(second).toMatchObject({ action: "DescribeDBInstanceAttribute", attempt: 2 });
    expect(second?.requestId).toBe(emulator.calls.at(-1)?.requestId);
    expect(typeof second?.durationMs).toBe("number");
    expect(JSON.stringify(logger.lines)).not.toContain(EMULATOR_ACCESS_KEY_SECRET);
  });
});
