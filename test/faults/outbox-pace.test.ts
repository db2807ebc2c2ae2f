/**
 * The outbox sends one message per request per round (to keep each thread in order). A request
 * that has several messages queued must still get them back to back, not one per poll: with the
 * production poll of a second, an approval's fourth message (the job id) otherwise waits seconds.
 */
import { afterEach, describe, expect, it } from "vitest";
import { SEED } from "../../src/sandbox/rds-emulator.js";
import { fileInline, type Harness, startHarness, threadTexts, USERS } from "../e2e/harness.js";
import { announcesJob } from "./announcements.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("outbox pace", () => {
  it("delivers a request's queued messages back to back, whatever the poll interval", async () => {
    // Nothing but the bot's own kicks may move the outbox: polls are a minute apart.
    h = await startHarness({
      overrides: {
        dispatcher: { pollMs: 60_000, maxBackoffMs: 500 },
        watcher: { pollMs: 60_000, firstCheckMs: 60_000 },
      },
    });
    const stage = h;
    const card = await fileInline(stage, USERS.requester, SEED.mysql);
    await stage.user.clickButton({ userId: USERS.approver, message: card, actionId: "approve_backup" });
    const job = await stage.slack.waitUntil(() => stage.rds.jobs(SEED.mysql)[0], 3_000, "a backup job");
    // Approved → card, "approved" reply; submitted → card, job id reply, requester DM: five messages.
    await stage.slack.waitUntil(
      () => threadTexts(stage, card).some((text) => announcesJob(text, job.backupJobId)),
      3_000,
      "the job id in the thread",
    );
    expect(threadTexts(stage, card).filter((text) => announcesJob(text, job.backupJobId))).toHaveLength(1);
  });
});
