/**
 * What a real Alibaba Cloud account has that a tidy one does not (issue 13): read-only and other
 * non-primary instances, cloud disks and editions, instances in several regions, credentials that
 * expire, throttling in all its spellings. Each runs the real bot and the real SDK against the RDS
 * emulator, which answers as the platform does.
 */
import { afterEach, describe, expect, it } from "vitest";
import { SEED } from "../../src/sandbox/rds-emulator.js";
import { acceptedCreates, approve, file, freshInstance, outcomeOf } from "../faults/helpers.js";
import {
  commandReply,
  type Harness,
  type HarnessOptions,
  openRequestForm,
  startHarness,
  USERS,
} from "./harness.js";

let h: Harness | undefined;
async function stage(options?: HarnessOptions): Promise<Harness> {
  h = await startHarness(options);
  return h;
}
afterEach(async () => {
  await h?.close();
  h = undefined;
});

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
