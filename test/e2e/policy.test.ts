import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PolicyError } from "../../src/policy/load-policy.js";
import { SEED } from "../../src/sandbox/rds-emulator.js";
import { blockText } from "../../src/sandbox/slack-emulator.js";
import {
  currentCard,
  eventually,
  fileInline,
  type Harness,
  REQUEST_CHANNEL,
  settle,
  startHarness,
  threadTexts,
  USERS,
} from "./harness.js";

const POLICY = `
rules:
  - name: production-mysql
    match:
      instances: ["rm-bp1mysql01"]
    approvers:
      users: [${USERS.approver}, ${USERS.approver2}]
      groups: [S0DBAS]
    approvals: 2
  - name: short-wait
    match:
      engines: [PostgreSQL]
    approvers:
      users: [${USERS.approver}]
    max_wait_hours: 0.0001
fallback: env
`;

function writePolicy(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "rdsbot-policy-")), "policy.yaml");
  writeFileSync(path, text);
  return path;
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { POLICY_FILE: writePolicy(POLICY) } });
});
afterAll(async () => {
  await h.close();
});

async function ephemeralTo(userId: string, pattern: RegExp): Promise<string> {
  return eventually(async () => {
    const texts = h.slack.ephemerals(userId).map((e) => e.text ?? "");
    return texts.find((text) => pattern.test(text));
  });
}

describe("approval policy from POLICY_FILE", () => {
  it("needs two different approvers for production; CreateBackup runs after the second", async () => {
    const card = await fileInline(h, USERS.requester, SEED.mysql);
    expect(blockText(card.blocks)).toContain("0 of 2 approvals");
    await h.user.clickButton({ userId: USERS.approver, message: card, actionId: "approve_backup" });
    await eventually(async () => blockText(currentCard(h, card).blocks).includes("1 of 2 approvals"));
    await eventually(async () => threadTexts(h, card).some((t) => t.includes("(1 of 2)")));
    expect(h.rds.count("CreateBackup")).toBe(0);

    await h.user.clickButton({ userId: USERS.approver, message: card, actionId: "approve_backup" });
    await ephemeralTo(USERS.approver, /already approved/);
    expect(h.rds.count("CreateBackup")).toBe(0);

    await h.user.clickButton({ userId: USERS.groupApprover, message: card, actionId: "approve_backup" });
    await eventually(async () => threadTexts(h, card).some((t) => t.includes("Backup started")));
    expect(h.rds.count("CreateBackup")).toBe(1);
    const [request] = await h.bot.store.list({ limit: 1, instanceId: SEED.mysql });
    const trail = (await h.bot.store.auditTrail(request?.id ?? "")).map(
      (event) => `${event.type}:${event.actor}`,
    );
    expect(trail.slice(0, 5)).toEqual([
      `requested:${USERS.requester}`,
      `approval:${USERS.approver}`,
      `approved:${USERS.groupApprover}`,
      "create_backup_called:system",
      "submitted:system",
    ]);
    const auditLines = h.logs.filter(
      (line) => line.includes('"msg":"audit"') && line.includes(request?.id ?? "?"),
    );
    expect(auditLines.length).toBeGreaterThanOrEqual(4);
  });

  it("lets the requester cancel with the button, and nobody else", async () => {
    const card = await fileInline(h, USERS.requester, SEED.sqlServer);
    await h.user.clickButton({ userId: USERS.approver, message: card, actionId: "cancel_backup" });
    await ephemeralTo(USERS.approver, /Only the person who filed/);
    await h.user.clickButton({ userId: USERS.requester, message: card, actionId: "cancel_backup" });
    await eventually(async () => threadTexts(h, card).some((t) => t.includes("cancelled")));
    await settle(h);
    expect(blockText(currentCard(h, card).blocks)).toMatch(/Cancelled by/);
    expect(JSON.stringify(currentCard(h, card).blocks)).not.toContain("approve_backup");
  });

  it("cancels with /rds-backup cancel <request id>", async () => {
    await fileInline(h, USERS.requester, SEED.mariadb);
    const [request] = await h.bot.store.list({ limit: 1, instanceId: SEED.mariadb });
    const after = h.slack.calls.length;
    await h.user.slashCommand({
      userId: USERS.requester,
      channelId: REQUEST_CHANNEL,
      text: `cancel ${request?.id}`,
    });
    const post = await h.slack.waitFor("response_url", () => true, { after });
    expect(String((post.args as { text?: string }).text)).toContain("cancelled");
    expect((await h.bot.store.get(request?.id ?? ""))?.state).toBe("cancelled");
  });

  it("expires requests that wait too long: card updated, requester told, nothing runs", async () => {
    const card = await fileInline(h, USERS.requester, SEED.postgres);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await h.bot.housekeeping();
    await eventually(async () => threadTexts(h, card).some((t) => t.includes("expired")));
    await settle(h);
    expect(blockText(currentCard(h, card).blocks)).toMatch(/Expired/);
    expect(h.slack.dms(USERS.requester).some((m) => (m.text ?? "").includes("expired"))).toBe(true);
    await h.user.clickButton({ userId: USERS.approver, message: card, actionId: "approve_backup" });
    await ephemeralTo(USERS.approver, /already expired/);
    expect(
      h.rds.calls.filter((c) => c.action === "CreateBackup" && c.params.DBInstanceId === SEED.postgres),
    ).toHaveLength(0);
  });

  it("answers a forged or unknown request id in a button with a clear refusal", async () => {
    const card = await fileInline(h, USERS.requester, SEED.mysqlCloud);
    await h.user.clickButton({
      userId: USERS.approver,
      message: card,
      actionId: "approve_backup",
      value: "'; drop table x; --",
    });
    await ephemeralTo(USERS.approver, /does not belong/);
    await h.user.clickButton({
      userId: USERS.approver,
      message: card,
      actionId: "approve_backup",
      value: "req-0000000000",
    });
    await ephemeralTo(USERS.approver, /no longer exists/);
    expect(
      h.rds.calls.filter((c) => c.action === "CreateBackup" && c.params.DBInstanceId === SEED.mysqlCloud),
    ).toHaveLength(0);
  });

  it("shows the history, in the reader's language", async () => {
    const after = h.slack.calls.length;
    await h.user.slashCommand({
      userId: USERS.jaRequester,
      channelId: REQUEST_CHANNEL,
      text: `history ${SEED.mysql}`,
    });
    const post = await h.slack.waitFor("response_url", () => true, { after });
    const text = String((post.args as { text?: string }).text);
    expect(text).toContain("最近のバックアップ申請");
    expect(text).toContain(SEED.mysql);
  });
});

describe("a policy file with mistakes", () => {
  it("stops the bot before it starts, naming every problem with its line", async () => {
    const path = writePolicy("rules:\n  - name: x\n    aprovers: { users: [U0AAA] }\n    approvals: 5\n");
    const attempt = startHarness({ env: { POLICY_FILE: path } });
    await expect(attempt).rejects.toBeInstanceOf(PolicyError);
    await attempt.catch((error: PolicyError) => {
      const text = error.problems.join("\n");
      expect(text).toMatch(/:3:\d+ .*aprovers.*did you mean approvers/);
      expect(text).toMatch(/:4:\d+ .*approvals/);
    });
  });
});
