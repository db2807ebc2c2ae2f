import { describe, expect, it } from "vitest";
import { SEED } from "../../src/sandbox/rds-emulator.js";
import { blockText } from "../../src/sandbox/slack-emulator.js";
import {
  APPROVAL_CHANNEL,
  currentCard,
  fileInline,
  settle,
  threadTexts,
  USERS,
  useStage,
} from "./harness.js";

describe("who may decide", () => {
  const h = useStage();

  it("tells a non-approver why, privately, and changes nothing", async () => {
    const card = await fileInline(h, USERS.requester, SEED.mysql);
    const click = await h.user.clickButton({
      userId: USERS.outsider,
      message: card,
      actionId: "approve_backup",
    });
    expect(click.status).toBe(200);
    await h.slack.waitUntil(() => h.slack.ephemerals(USERS.outsider).length > 0);
    expect(h.slack.ephemerals(USERS.outsider)[0]?.text).toContain("Only the approvers");
    expect(h.rds.count("CreateBackup")).toBe(0);
    expect(JSON.stringify(currentCard(h, card).blocks)).toContain("approve_backup");
    expect(await h.bot.store.list({ states: ["pending"], limit: 10 })).toHaveLength(1);
  });

  it("lets a member of an approver user group approve", async () => {
    const card = await fileInline(h, USERS.requester, SEED.mysql);
    await h.user.clickButton({ userId: USERS.groupApprover, message: card, actionId: "approve_backup" });
    await h.slack.waitUntil(() => threadTexts(h, card).some((text) => text.includes("Backup started")));
    expect(h.rds.count("CreateBackup")).toBe(1);
  });

  it("refuses self-approval", async () => {
    const card = await fileInline(h, USERS.approver, SEED.mysql);
    await h.user.clickButton({ userId: USERS.approver, message: card, actionId: "approve_backup" });
    await h.slack.waitUntil(() =>
      h.slack.ephemerals(USERS.approver).some((e) => (e.text ?? "").includes("own request")),
    );
    expect(h.rds.count("CreateBackup")).toBe(0);
  });

  it("runs CreateBackup once when ten approvers click at once", async () => {
    const card = await fileInline(h, USERS.requester, SEED.mysql);
    const clickers = [USERS.approver, USERS.approver2, USERS.groupApprover];
    const clicks = Array.from({ length: 10 }, (_, i) =>
      h.user.clickButton({
        userId: clickers[i % clickers.length] ?? USERS.approver,
        message: card,
        actionId: "approve_backup",
      }),
    );
    const answers = await Promise.all(clicks);
    for (const answer of answers) expect(answer.status).toBe(200);
    await h.slack.waitUntil(() => threadTexts(h, card).some((text) => text.includes("Backup started")));
    await settle(h);
    expect(h.rds.count("CreateBackup")).toBe(1);
    expect(threadTexts(h, card).filter((text) => text.includes("Backup started"))).toHaveLength(1);
  });

  it("runs CreateBackup once when an approver double-clicks, and tells them the second was one too many", async () => {
    // Slack never redelivers a click: a double click is two clicks of its own (new trigger ids).
    const card = await fileInline(h, USERS.requester, SEED.mysql);
    const clicks = await Promise.all(
      [1, 2].map(() =>
        h.user.clickButton({ userId: USERS.approver, message: card, actionId: "approve_backup" }),
      ),
    );
    for (const click of clicks) expect(click.status).toBe(200);
    expect(clicks[0]?.triggerId).not.toBe(clicks[1]?.triggerId);
    await h.slack.waitUntil(() => threadTexts(h, card).some((text) => text.includes("Backup started")));
    await settle(h);
    expect(h.rds.count("CreateBackup")).toBe(1);
    // The first click says nothing (the thread does); the second is told, privately, that it was one too many.
    const told = await h.slack.waitUntil(() => h.slack.ephemerals(USERS.approver)[0]);
    expect(told.text).toMatch(/already (approved|running)/);
    expect(h.slack.ephemerals(USERS.approver)).toHaveLength(1);
    // The second click's pre-flight check may see the job the first one started: that is no block.
    expect(threadTexts(h, card).filter((text) => text.includes("was not started"))).toEqual([]);
  });
});

describe("self-approval when the operator allows it", () => {
  const h = useStage({ env: { ALLOW_SELF_APPROVAL: "true" } });

  it("lets an approver approve their own request", async () => {
    const card = await fileInline(h, USERS.approver, SEED.mysql);
    await h.user.clickButton({ userId: USERS.approver, message: card, actionId: "approve_backup" });
    await h.slack.waitUntil(() => threadTexts(h, card).some((text) => text.includes("Backup started")));
    expect(h.rds.count("CreateBackup")).toBe(1);
  });
});

describe("Slack request signatures", () => {
  const h = useStage();

  it("answers 401 to a bad signature or a stale timestamp, and does nothing", async () => {
    const bad = await h.user.slashCommand({
      userId: USERS.requester,
      channelId: APPROVAL_CHANNEL,
      text: SEED.mysql,
      badSignature: true,
    });
    expect(bad.status).toBe(401);
    const stale = await h.user.slashCommand({
      userId: USERS.requester,
      channelId: APPROVAL_CHANNEL,
      text: SEED.mysql,
      timestampOffsetSeconds: -6 * 60,
    });
    expect(stale.status).toBe(401);
    const unsigned = await h.user.slashCommand({
      userId: USERS.requester,
      channelId: APPROVAL_CHANNEL,
      text: SEED.mysql,
      unsigned: true,
    });
    expect(unsigned.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.rds.count()).toBe(0);
    expect(h.slack.callsTo("chat.postMessage")).toHaveLength(0);
    expect(await h.bot.store.list({ limit: 10 })).toHaveLength(0);
  });
});

describe("a failing CreateBackup", () => {
  const h = useStage();

  it("explains the error with its code and RequestId in the thread, and the card reads failed", async () => {
    const card = await fileInline(h, USERS.requester, SEED.mysql);
    h.rds.failNext("CreateBackup", { code: "IncorrectDBInstanceState" });
    await h.user.clickButton({ userId: USERS.approver, message: card, actionId: "approve_backup" });
    await h.slack.waitUntil(() =>
      threadTexts(h, card).some((text) => text.includes("IncorrectDBInstanceState")),
    );
    const reply = h.slack
      .thread(APPROVAL_CHANNEL, card.ts)
      .find((m) => (m.text ?? "").includes("IncorrectDBInstanceState"));
    const text = blockText(reply?.blocks ?? []);
    const call = h.rds.calls.find((c) => c.action === "CreateBackup");
    expect(text).toContain(call?.requestId);
    expect(text).toMatch(/Running/);
    expect(text).not.toMatch(/undefined|\[object Object\]|at .*\.ts:\d+/);
    await h.slack.waitUntil(() => blockText(currentCard(h, card).blocks).includes("Failed"));
    expect(h.rds.count("CreateBackup")).toBe(1);
    const [request] = await h.bot.store.list({ limit: 1 });
    expect(request?.state).toBe("failed");
  });
});
