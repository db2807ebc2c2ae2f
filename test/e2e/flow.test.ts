import { describe, expect, it } from "vitest";
import { SEED } from "../../src/sandbox/rds-emulator.js";
import { blockText } from "../../src/sandbox/slack-emulator.js";
import {
  currentCard,
  fileInline,
  openModalFor,
  REQUEST_CHANNEL,
  threadTexts,
  USERS,
  useStage,
  waitForCard,
} from "./harness.js";

const h = useStage();

describe("request → approval → CreateBackup → job id in the thread", () => {
  it("files through the modal, approves, and posts the job id once", async () => {
    const view = await openModalFor(h, USERS.requester, SEED.mysql);
    expect(view.blocks.map((block) => block.block_id)).toContain("BackupMethod");
    const after = h.slack.calls.length;
    const submitted = await h.user.submitView({ userId: USERS.requester, view, values: {} });
    expect(submitted.status).toBe(200);
    expect(submitted.responseAction).toBeUndefined();

    const card = await waitForCard(h, after);
    const cardText = blockText(card.blocks);
    expect(cardText).toContain(SEED.mysql);
    expect(cardText).toContain("orders (production)");
    expect(cardText).toContain("MySQL 8.0");
    expect(cardText).toContain(`<@${USERS.requester}>`);
    expect(JSON.stringify(card.blocks)).toContain("approve_backup");

    // The requester hears where it waits.
    await h.slack.waitUntil(() => h.slack.ephemerals(USERS.requester, REQUEST_CHANNEL).length > 0);

    const click = await h.user.clickButton({
      userId: USERS.approver,
      message: card,
      actionId: "approve_backup",
    });
    expect(click.status).toBe(200);

    await h.slack.waitUntil(() => threadTexts(h, card).some((text) => text.includes("Backup started")));
    expect(h.rds.count("CreateBackup")).toBe(1);
    const job = h.rds.jobs(SEED.mysql)[0];
    expect(job).toBeDefined();
    const announcements = threadTexts(h, card).filter((text) => text.includes(job?.backupJobId ?? "?"));
    expect(announcements).toHaveLength(1);

    await h.slack.waitUntil(() => !JSON.stringify(currentCard(h, card).blocks).includes("approve_backup"));
    const updated = blockText(currentCard(h, card).blocks);
    expect(updated).toContain(`<@${USERS.approver}>`);
    expect(updated).toContain(job?.backupJobId);
  });

  it("files inline and rejects with a reason: no API call, thread and requester told", async () => {
    const card = await fileInline(h, USERS.requester, `${SEED.postgres}`);
    await h.user.clickButton({ userId: USERS.approver, message: card, actionId: "reject_backup" });
    await h.slack.waitFor("views.open");
    const modal = h.slack.currentView(USERS.approver);
    if (!modal) throw new Error("no reject modal");
    const result = await h.user.submitView({
      userId: USERS.approver,
      view: modal,
      values: { reason: "not during peak" },
    });
    expect(result.status).toBe(200);
    await h.slack.waitUntil(() => threadTexts(h, card).some((text) => text.includes("not during peak")));
    await h.slack.waitUntil(() =>
      h.slack.dms(USERS.requester).some((m) => (m.text ?? "").includes("rejected")),
    );
    expect(h.rds.count("CreateBackup")).toBe(0);
    expect(JSON.stringify(currentCard(h, card).blocks)).not.toContain("approve_backup");
  });
});
