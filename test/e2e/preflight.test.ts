import { describe, expect, it } from "vitest";
import { SEED } from "../../src/sandbox/rds-emulator.js";
import { blockText } from "../../src/sandbox/slack-emulator.js";
import {
  commandReply,
  currentCard,
  eventually,
  fileInline,
  openModalFor,
  settle,
  threadTexts,
  USERS,
  useStage,
} from "./harness.js";

const h = useStage({ rds: { jobAdvance: "manual" } });

describe("pre-flight checks at submit", () => {
  it("shows the three checks on the card", async () => {
    h.rds.addBackupSet(SEED.mysql, { mode: "Manual", startTime: new Date(), endTime: new Date() });
    const card = await fileInline(h, USERS.requester, SEED.mysql);
    const text = blockText(card.blocks);
    expect(text).toContain("Pre-flight checks");
    expect(text).toContain("Running");
    expect(text).toContain("No backup in progress");
    expect(text).toMatch(/1 of 20 backups today \(UTC\)/);
  });

  it("refuses an instance that is not Running, as a field error in the modal and a problem inline", async () => {
    const view = await openModalFor(h, USERS.requester, SEED.restarting);
    const result = await h.user.submitView({ userId: USERS.requester, view, values: {} });
    expect(result.responseAction).toBe("errors");
    expect(result.errors?.DBInstanceId).toContain("Restarting");
    expect(await commandReply(h, USERS.requester, SEED.restarting)).toContain("Restarting");
    expect(await h.bot.store.list({ limit: 10 })).toHaveLength(0);
  });

  it("refuses while a backup is in progress, and at the daily limit", async () => {
    const card = await fileInline(h, USERS.requester, SEED.mysql);
    await h.user.clickButton({ userId: USERS.approver, message: card, actionId: "approve_backup" });
    await eventually(async () => threadTexts(h, card).some((t) => t.includes("Backup started")));
    const jobId = h.rds.jobs(SEED.mysql)[0]?.backupJobId ?? "?";
    const busy = await commandReply(h, USERS.requester, SEED.mysql);
    expect(busy).toContain(jobId);
    expect(busy).toContain("already running");

    for (let i = 0; i < 20; i += 1) {
      h.rds.addBackupSet(SEED.postgres, { mode: "Manual", startTime: new Date(), endTime: new Date() });
    }
    expect(await commandReply(h, USERS.requester, SEED.postgres)).toMatch(/20 backup sets .*today \(UTC\)/);
  });

  it("shows a check that cannot answer as unknown, not as passed", async () => {
    h.rds.failNext("DescribeBackups", { code: "ServiceUnavailable", httpStatus: 503 }, 100);
    const card = await fileInline(h, USERS.requester, SEED.mysql);
    expect(blockText(card.blocks)).toContain("Backups today unknown");
    h.rds.clearFailures();
  });
});

describe("pre-flight checks at approval", () => {
  it("holds the backup back while the instance is not ready, and runs it once it is", async () => {
    const card = await fileInline(h, USERS.requester, SEED.mysql);
    h.rds.updateInstance(SEED.mysql, { status: "Restarting" });
    await h.user.clickButton({ userId: USERS.approver, message: card, actionId: "approve_backup" });
    await eventually(async () => threadTexts(h, card).some((t) => t.includes("was not started")));
    await eventually(async () =>
      h.slack.ephemerals(USERS.approver).some((e) => (e.text ?? "").includes("precondition failed")),
    );
    await settle(h);
    expect(h.rds.count("CreateBackup")).toBe(0);
    expect(blockText(currentCard(h, card).blocks)).toContain("Not running (Restarting)");
    const [pending] = await h.bot.store.list({ limit: 1 });
    expect(pending?.state).toBe("pending");

    h.rds.updateInstance(SEED.mysql, { status: "Running" });
    await h.user.clickButton({
      userId: USERS.approver,
      message: currentCard(h, card),
      actionId: "approve_backup",
    });
    await eventually(async () => threadTexts(h, card).some((t) => t.includes("Backup started")));
    expect(h.rds.count("CreateBackup")).toBe(1);
  });
});
