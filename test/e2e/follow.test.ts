import { afterEach, describe, expect, it } from "vitest";
import { SEED } from "../../src/sandbox/rds-emulator.js";
import { blockText } from "../../src/sandbox/slack-emulator.js";
import {
  currentCard,
  fileInline,
  type Harness,
  NOTIFY_CHANNEL,
  settle,
  startHarness,
  threadTexts,
  USERS,
} from "./harness.js";

const NOTIFY = NOTIFY_CHANNEL;
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("following a backup to its end", () => {
  it("posts each step once, then the backup set; DMs the requester and summarises in the notify channel", async () => {
    h = await startHarness({ env: { NOTIFY_CHANNEL_IDS: NOTIFY } });
    const stage = h;
    stage.rds.scriptJob("next", [
      { status: "Uploading", process: 0 },
      { status: "Uploading", process: 60 },
      { status: "Finished", process: 100, backupSize: 3 * 1024 ** 3 },
    ]);
    const card = await fileInline(stage, USERS.requester, SEED.mysql);
    await stage.user.clickButton({ userId: USERS.approver, message: card, actionId: "approve_backup" });
    await stage.slack.waitUntil(
      () => threadTexts(stage, card).some((text) => text.includes("Backup finished")),
      10_000,
    );
    await settle(stage);

    const thread = threadTexts(stage, card);
    const jobId = stage.rds.jobs(SEED.mysql)[0]?.backupJobId ?? "?";
    expect(thread.filter((text) => text.includes("Backup started"))).toHaveLength(1);
    expect(thread.filter((text) => /: 0% \(Uploading\)/.test(text))).toHaveLength(1);
    expect(thread.filter((text) => text.includes("60% (Uploading)"))).toHaveLength(1);
    const finished = thread.filter((text) => text.includes("Backup finished"));
    expect(finished).toHaveLength(1);
    expect(finished[0]).toContain(jobId);
    expect(finished[0]).toContain("3.0 GB");
    const set = stage.rds.backupSets(SEED.mysql).at(-1);
    expect(finished[0]).toContain(set?.backupId);

    expect(stage.slack.dms(USERS.requester).some((m) => (m.text ?? "").includes("finished"))).toBe(true);
    const summaries = stage.slack.messages(NOTIFY);
    expect(summaries).toHaveLength(1);
    expect(summaries[0]?.text).toContain(SEED.mysql);
    expect(summaries[0]?.text).toContain("https://");
    expect(blockText(currentCard(stage, card).blocks)).toContain("finished");
    const [request] = await stage.bot.store.list({ limit: 1 });
    expect(request?.state).toBe("succeeded");
    expect(await stage.bot.store.listWatches()).toHaveLength(0);
  });

  it("reports a job that fails on the RDS side, translated for a Japanese requester", async () => {
    h = await startHarness({ env: { NOTIFY_CHANNEL_IDS: NOTIFY } });
    const stage = h;
    stage.rds.scriptJob("next", [
      { status: "Uploading", process: 10 },
      { status: "Failed", process: 10 },
    ]);
    const card = await fileInline(stage, USERS.jaRequester, SEED.postgres);
    await stage.user.clickButton({ userId: USERS.approver, message: card, actionId: "approve_backup" });
    await stage.slack.waitUntil(
      () => threadTexts(stage, card).some((text) => text.includes("失敗しました")),
      10_000,
    );
    await settle(stage);
    const [request] = await stage.bot.store.list({ limit: 1 });
    expect(request?.state).toBe("failed");
    expect(stage.slack.messages(NOTIFY)[0]?.text).toContain("失敗");
    expect(stage.slack.dms(USERS.jaRequester).some((m) => (m.text ?? "").includes("失敗"))).toBe(true);
  });

  it("loses nothing when the bot restarts in the middle of a job", async () => {
    const first = await startHarness({ env: { NOTIFY_CHANNEL_IDS: NOTIFY }, rds: { jobAdvance: "manual" } });
    first.rds.scriptJob("next", [
      { status: "Uploading", process: 20 },
      { status: "Finished", process: 100, backupSize: 1024 ** 2 },
    ]);
    const card = await fileInline(first, USERS.requester, SEED.mysql);
    await first.user.clickButton({ userId: USERS.approver, message: card, actionId: "approve_backup" });
    await first.slack.waitUntil(() => threadTexts(first, card).some((text) => text.includes("20%")), 10_000);
    await first.stopBot();
    first.rds.advanceJobs(5);

    h = await startHarness({ slack: first.slack, rdsEmulator: first.rds, databaseUrl: first.databaseUrl });
    const second = h;
    try {
      await second.slack.waitUntil(
        () => threadTexts(second, card).some((text) => text.includes("Backup finished")),
        10_000,
      );
      await settle(second);
      expect(threadTexts(second, card).filter((text) => text.includes("Backup finished"))).toHaveLength(1);
      expect(threadTexts(second, card).filter((text) => text.includes("Backup started"))).toHaveLength(1);
      expect(second.rds.count("CreateBackup")).toBe(1);
    } finally {
      await first.close();
    }
  });
});

describe("/rds-backup status", () => {
  it("answers where a request stands, by request id or job id", async () => {
    h = await startHarness();
    const stage = h;
    const card = await fileInline(stage, USERS.requester, SEED.mysql);
    await stage.user.clickButton({ userId: USERS.approver, message: card, actionId: "approve_backup" });
    await stage.slack.waitUntil(() =>
      threadTexts(stage, card).some((text) => text.includes("Backup started")),
    );
    const [request] = await stage.bot.store.list({ limit: 1 });
    for (const query of [request?.id, request?.backupJobId]) {
      const after = stage.slack.calls.length;
      await stage.user.slashCommand({
        userId: USERS.requester,
        channelId: "C0DBOPS",
        text: `status ${query}`,
      });
      const post = await stage.slack.waitFor("response_url", () => true, { after });
      expect(String((post.args as { text?: string }).text)).toContain(request?.id);
    }
  });
});
