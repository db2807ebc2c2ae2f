/**
 * What a real Alibaba Cloud account has that a tidy one does not (issue 13): read-only and other
 * non-primary instances, cloud disks and editions, instances in several regions, credentials that
 * expire, throttling in all its spellings. Each runs the real bot and the real SDK against the RDS
 * emulator, which answers as the platform does.
 */
import { afterEach, describe, expect, it } from "vitest";
import { type RdsEmulator, SEED, startRdsEmulator } from "../../src/sandbox/rds-emulator.js";
import {
  acceptedCreates,
  approve,
  file,
  freshInstance,
  outcomeOf,
  requestIdOf,
  threadOf,
} from "../faults/helpers.js";
import {
  APPROVAL_CHANNEL,
  commandReply,
  type Harness,
  type HarnessOptions,
  openModalFor,
  openRequestForm,
  REQUEST_CHANNEL,
  settle,
  startHarness,
  USERS,
  waitForCard,
} from "./harness.js";

let h: Harness | undefined;
let ownEmulator: RdsEmulator | undefined;
async function stage(options?: HarnessOptions): Promise<Harness> {
  h = await startHarness(options);
  return h;
}
afterEach(async () => {
  await h?.close();
  await ownEmulator?.close();
  h = undefined;
  ownEmulator = undefined;
});

const REGIONS = ["cn-hangzhou", "ap-northeast-1"];

/** A bot watching two regions, each reached at its own endpoint (RDS_ENDPOINT as region=URL pairs). */
async function twoRegionStage(env: Record<string, string> = {}): Promise<Harness> {
  ownEmulator = await startRdsEmulator();
  return stage({
    rdsEmulator: ownEmulator,
    env: {
      RDS_REGION_IDS: REGIONS.join(","),
      RDS_ENDPOINT: await ownEmulator.endpointsFor(REGIONS),
      ALIBABA_CLOUD_REGION_ID: "",
      ...env,
    },
  });
}

describe("throttling, however RDS spells it", () => {
  it("retries CreateBackup after Rejected.Throttling (nothing ran) and starts one backup", async () => {
    const h = await stage();
    const instanceId = freshInstance(h);
    const filed = await file(h, instanceId);
    h.rds.failNext("CreateBackup", { code: "Rejected.Throttling" });
    await approve(h, filed);
    const request = await outcomeOf(h, filed.requestId);
    expect(["submitted", "succeeded"]).toContain(request.state);
    expect(h.rds.count("CreateBackup")).toBe(2);
    expect(acceptedCreates(h, instanceId)).toBe(1);
  });
});

describe("only primary instances", () => {
  it("refuses a read-only instance typed inline, naming its primary; nothing filed, nothing called", async () => {
    const h = await stage();
    const reply = await commandReply(h, USERS.requester, SEED.readOnly);
    expect(reply).toContain(`"${SEED.readOnly}" is a read-only instance of ${SEED.mysql}`);
    expect(reply).toContain(`Ask for a backup of ${SEED.mysql} instead`);
    expect(await h.bot.store.list({ limit: 10 })).toHaveLength(0);
    expect(h.rds.count("CreateBackup")).toBe(0);
    const ja = await commandReply(h, USERS.jaRequester, SEED.readOnly);
    expect(ja).toContain(`${SEED.mysql} の読み取り専用インスタンス`);
  });

  it("refuses a disaster recovery or temporary instance in the same way", async () => {
    const h = await stage();
    h.rds.addInstance({ id: "rm-bp1guard01", instanceType: "Guard", masterInstanceId: SEED.mysql });
    h.rds.addInstance({ id: "rm-bp1temp001", instanceType: "Temp" });
    expect(await commandReply(h, USERS.requester, "rm-bp1guard01")).toContain(
      `a disaster recovery instance of ${SEED.mysql}`,
    );
    expect(await commandReply(h, USERS.requester, "rm-bp1temp001")).toContain(
      '"rm-bp1temp001" is a temporary instance, and RDS backs up only primary instances',
    );
    expect(await h.bot.store.list({ limit: 10 })).toHaveLength(0);
  });

  it("refuses a read-only instance forged into the form, and never offers one", async () => {
    const h = await stage();
    const { view } = await openRequestForm(h, USERS.requester);
    const options = await h.user.requestOptions({
      userId: USERS.requester,
      view,
      actionId: "value",
      blockId: "DBInstanceId",
      query: "",
    });
    const offered = JSON.stringify(options);
    expect(offered).toContain(SEED.mysql);
    expect(offered).not.toContain(SEED.readOnly);
    const result = await h.user.submitView({
      userId: USERS.requester,
      view,
      values: { DBInstanceId: SEED.readOnly },
      bypassClientChecks: true,
    });
    expect(result.responseAction).toBe("errors");
    expect(result.errors?.DBInstanceId).toContain(`read-only instance of ${SEED.mysql}`);
    expect(await h.bot.store.list({ limit: 10 })).toHaveLength(0);
    expect(h.rds.count("CreateBackup")).toBe(0);
  });
});

describe("cloud disks and editions", () => {
  const createParams = (h: Harness, instanceId: string) =>
    h.rds.calls.filter((call) => call.action === "CreateBackup" && call.params.DBInstanceId === instanceId);

  it("backs up a cloud-disk MySQL instance asked for inline with the snapshot the reference names", async () => {
    const h = await stage();
    const filed = await file(h, SEED.mysqlCloud);
    await approve(h, filed);
    const request = await outcomeOf(h, filed.requestId);
    expect(["submitted", "succeeded"]).toContain(request.state);
    expect(createParams(h, SEED.mysqlCloud).map((call) => call.params.BackupMethod)).toEqual(["Snapshot"]);
    expect(request.params.BackupMethod).toBe("Snapshot");
  });

  it("sends MariaDB's snapshot as Physical, named", async () => {
    const h = await stage();
    const filed = await file(h, SEED.mariadb);
    await approve(h, filed);
    expect(["submitted", "succeeded"]).toContain((await outcomeOf(h, filed.requestId)).state);
    expect(createParams(h, SEED.mariadb).map((call) => call.params.BackupMethod)).toEqual(["Physical"]);
  });

  it("refuses inline what the instance's storage or edition does not allow, saying why; nothing filed", async () => {
    const h = await stage();
    const cloud = await commandReply(
      h,
      USERS.requester,
      `${SEED.mysqlCloud} method=Logical strategy=db db=wordpress`,
    );
    expect(cloud).toContain('BackupMethod "Logical"');
    expect(cloud).toContain("Use one of: Snapshot");
    expect(cloud).toContain("on cloud disks (cloud_essd): RDS takes only snapshot backups");
    h.rds.addInstance({
      id: "rm-bp1mysql55",
      engineVersion: "5.5",
      storageType: "local_ssd",
      category: "HighAvailability",
      databases: ["shop"],
    });
    const old = await commandReply(h, USERS.requester, "rm-bp1mysql55 method=Logical strategy=db db=shop");
    expect(old).toContain('BackupStrategy "db"');
    expect(old).toContain("needs MySQL 5.6, 5.7 or 8.0");
    expect(old).toContain("this instance is MySQL 5.5 · HighAvailability · local_ssd");
    const ja = await commandReply(h, USERS.jaRequester, `${SEED.mysqlCloud} method=Physical`);
    expect(ja).toContain("クラウドディスク (cloud_essd)");
    expect(await h.bot.store.list({ limit: 10 })).toHaveLength(0);
    expect(h.rds.count("CreateBackup")).toBe(0);
  });

  it("offers a cloud-disk instance only Snapshot, and the hint says why", async () => {
    const h = await stage();
    const view = await openModalFor(h, USERS.requester, SEED.mysqlCloud);
    const method = view.blocks.find((block) => block.block_id === "BackupMethod");
    const options = (method?.element as { options?: { value: string }[] } | undefined)?.options ?? [];
    expect(options.map((option) => option.value)).toEqual(["Snapshot"]);
    expect(JSON.stringify(method?.hint)).toContain("only snapshot backups");
    const submitted = await h.user.submitView({ userId: USERS.requester, view, values: {} });
    expect(submitted.responseAction).toBeUndefined();
    const [request] = await h.bot.store.list({ limit: 1 });
    expect(request?.params).toEqual({ DBInstanceId: SEED.mysqlCloud, BackupMethod: "Snapshot" });
  });

  it("re-checks at approval: an instance moved to cloud disks since filing gets a snapshot", async () => {
    const h = await stage();
    const instanceId = freshInstance(h);
    h.rds.updateInstance(instanceId, { storageType: "local_ssd" });
    const filed = await file(h, instanceId);
    h.rds.updateInstance(instanceId, { storageType: "cloud_essd" });
    await approve(h, filed);
    expect(["submitted", "succeeded"]).toContain((await outcomeOf(h, filed.requestId)).state);
    expect(createParams(h, instanceId).map((call) => call.params.BackupMethod)).toEqual(["Snapshot"]);
  });
});

describe("several regions", () => {
  const lookups = (h: Harness, instanceId: string, endpoint: string) =>
    h.rds.calls.filter(
      (call) =>
        call.action === "DescribeDBInstanceAttribute" &&
        call.params.DBInstanceId === instanceId &&
        call.endpoint === endpoint,
    ).length;

  it("finds an instance typed inline in its own region with nothing cached, and backs it up there", async () => {
    const h = await twoRegionStage();
    expect(h.config.alibaba.regionId).toBe("cn-hangzhou");
    const filed = await file(h, SEED.tokyo);
    await approve(h, filed);
    const request = await outcomeOf(h, filed.requestId);
    expect(request.instance.regionId).toBe("ap-northeast-1");
    expect(["submitted", "succeeded"]).toContain(request.state);
    const creates = h.rds.calls.filter((call) => call.action === "CreateBackup");
    expect(creates.map((call) => call.endpoint)).toEqual(["rds.ap-northeast-1.aliyuncs.com"]);
  });

  it("finds an instance the picker's list does not hold, asks each region once, and remembers", async () => {
    const h = await twoRegionStage();
    // The picker lists both regions now; an instance created afterwards is in no cache.
    const { view } = await openRequestForm(h, USERS.requester);
    const listed = await h.user.requestOptions({
      userId: USERS.requester,
      view,
      actionId: "value",
      blockId: "DBInstanceId",
      query: "",
    });
    expect(JSON.stringify(listed)).toContain(SEED.tokyo);
    h.rds.addInstance({ id: "rm-6we1tokyo02", regionId: "ap-northeast-1", zoneId: "ap-northeast-1a" });
    const first = await file(h, "rm-6we1tokyo02");
    expect((await h.bot.store.get(first.requestId))?.instance.regionId).toBe("ap-northeast-1");
    expect(lookups(h, "rm-6we1tokyo02", "rds.aliyuncs.com")).toBe(1);
    // Its region is remembered: the next request asks only there.
    const reply = await commandReply(h, USERS.requester, "rm-6we1tokyo02");
    expect(reply).toContain("is filed");
    expect(lookups(h, "rm-6we1tokyo02", "rds.aliyuncs.com")).toBe(1);
  });

  it("says where it looked when no region has the instance", async () => {
    const h = await twoRegionStage();
    const reply = await commandReply(h, USERS.requester, "rm-6we1nowhere");
    expect(reply).toContain('No instance "rm-6we1nowhere" was found');
    expect(reply).toContain("cn-hangzhou, ap-northeast-1");
    expect(reply).toContain("RDS_REGION_IDS");
  });

  it("with RDS_REGION_IDS alone, the first listed region is the default", async () => {
    const h = await twoRegionStage({ RDS_REGION_IDS: "ap-northeast-1,cn-hangzhou" });
    expect(h.config.alibaba.regionId).toBe("ap-northeast-1");
  });
});

describe("a static STS token", () => {
  const STS = { id: "STS.NUemulator1", secret: "sts-emulator-secret", token: "CAIS-emulator-sts-token-0001" };

  async function stsStage(): Promise<Harness> {
    ownEmulator = await startRdsEmulator({
      accessKeys: { [STS.id]: { secret: STS.secret, securityToken: STS.token } },
    });
    return stage({
      rdsEmulator: ownEmulator,
      env: {
        ALIBABA_CLOUD_ACCESS_KEY_ID: STS.id,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: STS.secret,
        ALIBABA_CLOUD_SECURITY_TOKEN: STS.token,
      },
    });
  }

  const readyz = async (h: Harness) => {
    const response = await fetch(`http://127.0.0.1:${h.config.port}/readyz`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it("is accepted with a start-up warning that recommends RRSA or an ECS RAM role", async () => {
    const h = await stsStage();
    const warning = h.logs.find((line) => line.includes("static STS token"));
    expect(warning).toBeDefined();
    expect(warning).toContain('"level":"warn"');
    expect(warning).toContain("RRSA");
    expect(warning).toContain("ECS instance's RAM role");
    expect(warning).toContain("one hour by default");
    expect(warning).not.toContain(STS.token);
    expect((await readyz(h)).status).toBe(200);
  });

  it("once it expires: /readyz fails with the reason, and the request's thread explains it in the requester's language", async () => {
    const h = await stsStage();
    const after = h.slack.calls.length;
    await h.user.slashCommand({ userId: USERS.jaRequester, channelId: REQUEST_CHANNEL, text: SEED.mysql });
    const card = await waitForCard(h, after);
    const filed = { card, requestId: requestIdOf(card), instanceId: SEED.mysql };
    // The token runs out while the request waits for its approver.
    h.rds.setAccessKey(STS.id, {
      secret: STS.secret,
      securityToken: STS.token,
      expiresAt: new Date(Date.now() - 1),
    });
    await approve(h, filed);
    const request = await outcomeOf(h, filed.requestId);
    expect(request.state).toBe("failed");
    expect(request.error?.code).toBe("InvalidSecurityToken.Expired");
    expect(h.rds.jobs(SEED.mysql)).toHaveLength(0);
    await settle(h);
    expect(threadOf(h, card).join("\n")).toContain("STS トークン");
    // What to do next, in the reply's blocks.
    expect(JSON.stringify(h.slack.thread(APPROVAL_CHANNEL, card.ts))).toContain("RRSA");
    const ready = await readyz(h);
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ ready: false, alibaba: "failing" });
    expect(ready.body.alibabaError).toMatchObject({ code: "InvalidSecurityToken.Expired" });
    expect(JSON.stringify(ready.body)).toContain("RRSA");
    expect(JSON.stringify(ready.body)).not.toContain(STS.token);
    // A new request meanwhile is told who must act, not "try again in a moment".
    const refused = await commandReply(h, USERS.requester, SEED.postgres);
    expect(refused).toContain("Alibaba Cloud refuses the bot's credentials (InvalidSecurityToken.Expired)");
    expect(refused).toContain("An operator must fix them");
  });
});
