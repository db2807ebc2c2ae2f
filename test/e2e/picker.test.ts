import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SEED } from "../../src/sandbox/rds-emulator.js";
import { eventually, type Harness, openRequestForm, startHarness, USERS } from "./harness.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function openModal(stage: Harness, userId: string) {
  return (await openRequestForm(stage, userId)).view;
}

async function options(stage: Harness, userId: string, query: string) {
  const view = await openModal(stage, userId);
  const answer = await stage.user.requestOptions({
    userId,
    view,
    actionId: "value",
    blockId: "DBInstanceId",
    query,
  });
  return answer;
}

describe("the instance picker", () => {
  it("lists every page of DescribeDBInstances, searchable by id or description, at most 100 at a time", async () => {
    h = await startHarness();
    for (let i = 0; i < 150; i += 1) {
      h.rds.addInstance({
        id: `rm-bulk${String(i).padStart(4, "0")}`,
        engine: "MySQL",
        description: `bulk ${i}`,
      });
    }
    // A cold listing of 160 instances, page by page, may outlast the picker's time box: the first
    // answer then says RDS was slow, and the listing fills the cache for the next keystroke.
    const all = await eventually(async () => {
      const answer = await options(h as Harness, USERS.requester, "");
      return answer.options.length > 1 ? answer : undefined;
    });
    expect(all.options).toHaveLength(100);
    const one = await options(h, USERS.requester, "bulk0149");
    expect(one.options.map((o) => o.value)).toEqual(["rm-bulk0149"]);
    const byDescription = await options(h, USERS.requester, "analytics");
    expect(byDescription.options.map((o) => o.value)).toEqual([SEED.postgres]);
    const label = JSON.stringify(byDescription.options[0]);
    expect(label).toContain("PostgreSQL");
    expect(label).toContain("Running");
    expect(h.rds.calls.filter((c) => c.action === "DescribeDBInstances").length).toBeGreaterThanOrEqual(2);
  });

  it("answers in time when RDS is slow, from the last list, and says so", async () => {
    h = await startHarness({ overrides: { catalog: { ttlMs: 0, answerWithinMs: 500 } } });
    const first = await options(h, USERS.requester, "");
    expect(first.options.length).toBeGreaterThan(5);
    h.rds.setLatency(2_500);
    const slow = await options(h, USERS.requester, "");
    expect(slow.elapsedMs).toBeLessThan(3_000);
    expect(slow.slackErrors).toEqual([]);
    expect(JSON.stringify(slow.options)).toContain("slow to answer");
    expect(slow.options.map((o) => o.value)).toContain(SEED.mysql);
    h.rds.setLatency(0);
  });

  it("offers only the instances the policy lets this person request", async () => {
    const policy = join(mkdtempSync(join(tmpdir(), "rdsbot-picker-")), "policy.yaml");
    writeFileSync(
      policy,
      `rules:
  - name: restricted
    match: { instances: ["rm-bp1mysql0*"] }
    approvers: { users: [${USERS.approver}] }
    requesters: { users: [${USERS.jaRequester}] }
  - name: rest
    approvers: { users: [${USERS.approver}] }
`,
    );
    h = await startHarness({ env: { POLICY_FILE: policy } });
    const forOthers = (await options(h, USERS.requester, "rm-bp1mysql")).options.map((o) => o.value);
    expect(forOthers).not.toContain(SEED.mysql);
    const forKenji = (await options(h, USERS.jaRequester, "rm-bp1mysql")).options.map((o) => o.value);
    expect(forKenji).toContain(SEED.mysql);
  });
});
