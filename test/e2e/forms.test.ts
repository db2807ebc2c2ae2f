import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED } from "../../src/sandbox/rds-emulator.js";
import {
  actionIdIn,
  type Harness,
  openModalFor,
  openRequestForm,
  REQUEST_CHANNEL,
  startHarness,
  USERS,
} from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

async function lastEphemeral(_userId: string, after: number): Promise<string> {
  const post = await h.slack.waitFor("response_url", () => true, { after });
  return String((post.args as { text?: string }).text ?? "");
}

describe("/rds-backup help and the inline form", () => {
  it("answers help with usage, privately", async () => {
    const after = h.slack.calls.length;
    const result = await h.user.slashCommand({
      userId: USERS.requester,
      channelId: REQUEST_CHANNEL,
      text: "help",
    });
    expect(result.status).toBe(200);
    const text = await lastEphemeral(USERS.requester, after);
    expect(text).toContain("/rds-backup <DBInstanceId>");
    expect(text).toContain("retention");
  });

  it("lists every problem of an invalid inline request and files nothing", async () => {
    const after = h.slack.calls.length;
    await h.user.slashCommand({
      userId: USERS.requester,
      channelId: REQUEST_CHANNEL,
      text: `${SEED.postgres} method=Logical type=FullBackup retention=5 colour=blue`,
    });
    const text = await lastEphemeral(USERS.requester, after);
    expect(text).toContain("colour");
    expect(await h.bot.store.list({ limit: 10 })).toHaveLength(0);

    const after2 = h.slack.calls.length;
    await h.user.slashCommand({
      userId: USERS.requester,
      channelId: REQUEST_CHANNEL,
      text: `${SEED.postgres} method=Logical type=FullBackup retention=5`,
    });
    const text2 = await lastEphemeral(USERS.requester, after2);
    expect(text2).toMatch(/3 things to fix/);
    expect(text2).toContain("BackupMethod");
    expect(text2).toContain("BackupType");
    expect(text2).toContain(`Retention "5"`);
    expect(await h.bot.store.list({ limit: 10 })).toHaveLength(0);
    expect(h.rds.count("CreateBackup")).toBe(0);
  });

  it("points a mistyped subcommand at help", async () => {
    const after = h.slack.calls.length;
    await h.user.slashCommand({
      userId: USERS.requester,
      channelId: REQUEST_CHANNEL,
      text: "stauts req-0000000000",
    });
    expect(await lastEphemeral(USERS.requester, after)).toMatch(/"stauts" is not a command I know.*help/);
  });

  it("answers in Japanese to a ja-JP user", async () => {
    const after = h.slack.calls.length;
    await h.user.slashCommand({
      userId: USERS.jaRequester,
      channelId: REQUEST_CHANNEL,
      text: "rm-nosuch0001",
    });
    const text = await lastEphemeral(USERS.jaRequester, after);
    expect(text).toContain("見つかりません");
  });
});

describe("the modal follows the engine", () => {
  it("offers only what each engine supports", async () => {
    const pg = await openModalFor(h, USERS.requester, SEED.postgres);
    const blockIds = (view: typeof pg) => view.blocks.map((block) => block.block_id).filter(Boolean);
    expect(blockIds(pg)).toEqual(expect.arrayContaining(["DBInstanceId", "BackupMethod"]));
    expect(blockIds(pg)).not.toContain("BackupStrategy");
    expect(blockIds(pg)).not.toContain("BackupType");
    const methods = JSON.stringify(pg.blocks.find((b) => b.block_id === "BackupMethod"));
    expect(methods).toContain("Snapshot");
    expect(methods).not.toContain("Logical");

    const sql = await openModalFor(h, USERS.requester, SEED.sqlServer);
    expect(blockIds(sql)).toContain("BackupType");
    expect(blockIds(sql)).not.toContain("BackupRetentionPeriod");
  });

  it.each([
    [SEED.mysql, ["Physical", "Logical"]],
    [SEED.mysqlCloud, ["Snapshot"]],
    [SEED.postgres, ["Snapshot"]],
    [SEED.sqlServer, ["Physical", "Snapshot"]],
    [SEED.sqlServerLocal, ["Physical"]],
    [SEED.mariadb, ["Physical"]],
  ])("offers %s exactly the methods %j", async (instanceId, methods) => {
    const view = await openModalFor(h, USERS.requester, instanceId);
    const block = view.blocks.find((b) => b.block_id === "BackupMethod");
    const offered = ((block?.element as { options?: { value: string }[] })?.options ?? []).map(
      (o) => o.value,
    );
    expect(offered).toEqual(methods);
    const sqlServer = instanceId === SEED.sqlServer || instanceId === SEED.sqlServerLocal;
    expect(view.blocks.some((b) => b.block_id === "BackupType")).toBe(sqlServer);
  });

  it("refuses a value the form did not offer, with an error on its block", async () => {
    const view = await openModalFor(h, USERS.requester, SEED.mysql);
    // A forged submission: Snapshot is not offered for local SSD MySQL.
    const result = await h.user.submitView({
      userId: USERS.requester,
      view,
      values: { BackupMethod: "Snapshot" },
      bypassClientChecks: true,
    });
    expect(result.responseAction).toBe("errors");
    expect(result.errors?.BackupMethod).toContain("Snapshot");
    expect(await h.bot.store.list({ limit: 50, instanceId: SEED.mysql })).toHaveLength(0);
  });

  it("re-renders for a logical database-level backup and asks for the databases", async () => {
    const view = await openModalFor(h, USERS.requester, SEED.mysql);
    await h.user.actInView({
      userId: USERS.requester,
      view,
      actionId: actionIdIn(view, "BackupMethod"),
      blockId: "BackupMethod",
      value: "Logical",
    });
    const withStrategy = await h.slack.waitUntil(() => {
      const current = h.slack.currentView(USERS.requester);
      return current?.blocks.some((b) => b.block_id === "BackupStrategy") ? current : undefined;
    });
    await h.user.actInView({
      userId: USERS.requester,
      view: withStrategy,
      actionId: actionIdIn(withStrategy, "BackupStrategy"),
      blockId: "BackupStrategy",
      value: "db",
    });
    const withDb = await h.slack.waitUntil(() => {
      const current = h.slack.currentView(USERS.requester);
      return current?.blocks.some((b) => b.block_id === "DBName") ? current : undefined;
    });
    // The method chosen before survives the re-render.
    const state = withDb.state?.values ?? {};
    expect(JSON.stringify(state.BackupMethod)).toContain("Logical");
    expect(JSON.stringify(withDb.blocks.find((b) => b.block_id === "DBName"))).toContain("customers");

    const missing = await h.user.submitView({
      userId: USERS.requester,
      view: withDb,
      values: {},
      bypassClientChecks: true,
    });
    expect(missing.responseAction).toBe("errors");
    expect(missing.errors?.DBName).toBeTruthy();

    const ok = await h.user.submitView({
      userId: USERS.requester,
      view: withDb,
      values: { DBName: ["orders", "customers"] },
    });
    expect(ok.responseAction).toBeUndefined();
    const [request] = await h.bot.store.list({ limit: 1, instanceId: SEED.mysql });
    expect(request?.params).toEqual({
      DBInstanceId: SEED.mysql,
      BackupMethod: "Logical",
      BackupStrategy: "db",
      DBName: ["orders", "customers"],
    });
  });

  it("validates SQL Server retention on the server", async () => {
    const view = await openModalFor(h, USERS.requester, SEED.sqlServer);
    await h.user.actInView({
      userId: USERS.requester,
      view,
      actionId: actionIdIn(view, "BackupType"),
      blockId: "BackupType",
      value: "FullBackup",
    });
    const v2 = await h.slack.waitUntil(() => {
      const current = h.slack.currentView(USERS.requester);
      return current?.blocks.some((b) => b.block_id === "BackupStrategy") ? current : undefined;
    });
    await h.user.actInView({
      userId: USERS.requester,
      view: v2,
      actionId: actionIdIn(v2, "BackupStrategy"),
      blockId: "BackupStrategy",
      value: "db",
    });
    const v3 = await h.slack.waitUntil(() => {
      const current = h.slack.currentView(USERS.requester);
      return current?.blocks.some((b) => b.block_id === "BackupRetentionPeriod") ? current : undefined;
    });
    const bad = await h.user.submitView({
      userId: USERS.requester,
      view: v3,
      values: { DBName: ["erp"], BackupRetentionPeriod: "3" },
      bypassClientChecks: true,
    });
    expect(bad.responseAction).toBe("errors");
    expect(bad.errors?.BackupRetentionPeriod).toMatch(/7 to 730/);
    const good = await h.user.submitView({
      userId: USERS.requester,
      view: v3,
      values: { DBName: ["erp"], BackupRetentionPeriod: "30" },
    });
    expect(good.responseAction).toBeUndefined();
  });

  it("turns an unknown instance into a field error", async () => {
    const { view } = await openRequestForm(h, USERS.requester);
    const result = await h.user.submitView({
      userId: USERS.requester,
      view,
      values: { DBInstanceId: "rm-doesnotexist" },
      bypassClientChecks: true,
    });
    expect(result.responseAction).toBe("errors");
    expect(result.errors?.DBInstanceId).toContain("rm-doesnotexist");
  });
});
