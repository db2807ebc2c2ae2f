/**
 * Issue 12's sequences 1, 2, 4 and 5 with the real bot (Bolt, the RDS SDK, the store) against the
 * emulators, whose RDS plays the listings' lag and CreateBackup answers lost after the job was
 * made (src/sandbox/rds-listings.ts): the bot never says "not created" about a running backup,
 * never makes a second one, is never silent, hands what it cannot settle to the approvers (who act
 * from the card), and follows every job to a real end.
 */
import { afterEach, describe, expect, it } from "vitest";
import { blockText, type SlackMessage } from "../../src/sandbox/slack-emulator.js";
import { stillServes } from "../faults/helpers.js";
import {
  currentCard,
  eventually,
  fileInline,
  type Harness,
  type HarnessOptions,
  settle,
  startHarness,
  threadTexts,
  USERS,
} from "./harness.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

let counter = 0;
/** A fresh MySQL instance, so each test's backups can be told apart. */
function freshInstance(stage: Harness): string {
  counter += 1;
  const id = `rm-unclear${String(counter).padStart(3, "0")}${Math.random().toString(36).slice(2, 6)}`;
  stage.rds.addInstance({ id, engine: "MySQL", engineVersion: "8.0", databases: ["app"] });
  return id;
}

async function start(options: HarnessOptions = {}): Promise<Harness> {
  h = await startHarness(options);
  return h;
}

async function approved(stage: Harness, instanceId: string): Promise<SlackMessage> {
  const card = await fileInline(stage, USERS.requester, instanceId);
  const click = await stage.user.clickButton({
    userId: USERS.approver,
    message: card,
    actionId: "approve_backup",
  });
  expect(click.status).toBe(200);
  return card;
}

async function stateOf(
  stage: Harness,
  instanceId: string,
  until: (state: string) => boolean,
  timeoutMs = 20_000,
) {
  return eventually(
    async () => {
      const [request] = await stage.bot.store.list({ instanceId, limit: 1 });
      return request && until(request.state) ? request : undefined;
    },
    timeoutMs,
    `the request on ${instanceId}`,
  );
}

/** Out of the hands of the approval and the start: where the bot rests. */
const rests = (state: string) => state !== "pending" && state !== "approved";

const creates = (stage: Harness, instanceId: string) =>
  stage.rds.calls.filter((call) => call.action === "CreateBackup" && call.params.DBInstanceId === instanceId);

describe("1: CreateBackup accepted, answered after the bot's timeout", () => {
  it("says so within 10 s, shows it on the card, then follows the job: never 'not created'", async () => {
    const stage = await start({ rds: { jobAdvance: "manual", listings: { taskLagMs: 1_500 } } });
    const instanceId = freshInstance(stage);
    // Answered 2.15 s late against the bot's 2 s timeout (TEST_OVERRIDES).
    stage.rds.failNext("CreateBackup", { fault: "timeout-after-create", ms: 2_150 });
    const card = await approved(stage, instanceId);

    const told = await stage.slack.waitUntil(
      () => threadTexts(stage, card).find((text) => text.includes("got no clear answer (Timeout)")),
      10_000,
      "the thread to say the answer was unclear",
    );
    expect(told).toContain("decides by");
    const calledAt = creates(stage, instanceId)[0]?.at.getTime() ?? 0;
    expect(Date.now() - calledAt).toBeLessThan(10_000);
    await stage.slack.waitUntil(
      () => blockText(currentCard(stage, card).blocks).includes("checking whether the backup started"),
      5_000,
      "the card to show the same",
    );

    const request = await stateOf(stage, instanceId, rests);
    expect(request.state).toBe("submitted");
    expect(request.backupJobId).toBe(stage.rds.jobs(instanceId)[0]?.backupJobId);
    expect(creates(stage, instanceId)).toHaveLength(1);
    await settle(stage);
    const thread = threadTexts(stage, card);
    expect(thread.some((text) => text.includes("CreateBackup failed"))).toBe(false);
    expect(thread.filter((text) => text.includes(`*${request.backupJobId}*`))).toHaveLength(1);
  });
});

describe("2: a job that finishes within a second, a DescribeBackups that lags", () => {
  it("makes no second backup; the approvers are mentioned and close it from the card", async () => {
    const stage = await start({
      env: { RDS_LISTING_LAG: "5s" },
      rds: { listings: { setLagMs: 2_500 } },
    });
    const instanceId = freshInstance(stage);
    stage.rds.scriptJob("next", [{ status: "Finished", process: 100 }]);
    stage.rds.failNext("CreateBackup", { fault: "timeout-after-create", ms: 2_150 });
    const card = await approved(stage, instanceId);

    const request = await stateOf(stage, instanceId, rests);
    expect(request.state).toBe("needs_attention");
    expect(stage.rds.jobs(instanceId)).toHaveLength(1);
    expect(creates(stage, instanceId)).toHaveLength(1);
    await settle(stage);
    const handedOver = threadTexts(stage, card).find((text) => text.includes("needs a decision"));
    expect(handedOver).toContain(`<@${USERS.approver}>`);
    expect(handedOver).toContain("<!subteam^S0DBAS>");
    expect(handedOver).toContain(stage.rds.jobs(instanceId)[0]?.backupId);

    // Someone who is not an approver is refused; an approver closes it.
    const now = currentCard(stage, card);
    await stage.user.clickButton({
      userId: USERS.outsider,
      message: now,
      actionId: "close_backup_not_started",
    });
    await stage.slack.waitUntil(
      () => stage.slack.ephemerals(USERS.outsider).some((m) => (m.text ?? "").includes("Only the approvers")),
      5_000,
    );
    await stage.user.clickButton({
      userId: USERS.approver2,
      message: now,
      actionId: "close_backup_not_started",
    });
    const closed = await stateOf(stage, instanceId, (state) => state === "cancelled");
    expect(closed.decidedBy).toBe(USERS.approver2);
    await settle(stage);
    expect(blockText(currentCard(stage, card).blocks)).toContain("Closed as not started");
    expect(JSON.stringify(currentCard(stage, card).blocks)).not.toContain("start_backup_again");
    expect(creates(stage, instanceId)).toHaveLength(1);
  });
});

describe("4: CreateBackup keeps answering HTTP 500", () => {
  it("is never silent, calls twice, ends in needs_attention; an approver starts it again from the card", async () => {
    const stage = await start();
    const instanceId = freshInstance(stage);
    stage.rds.failNext("CreateBackup", { code: "InternalError", httpStatus: 500 }, 2);
    const card = await approved(stage, instanceId);

    await stage.slack.waitUntil(
      () => threadTexts(stage, card).some((text) => text.includes("got no clear answer (InternalError)")),
      10_000,
      "the unclear answer in the thread",
    );
    // While the bot waits out the listings, it answers everybody else in time.
    await stillServes(stage);
    const request = await stateOf(stage, instanceId, rests);
    expect(request.state).toBe("needs_attention");
    expect(creates(stage, instanceId)).toHaveLength(2);
    await settle(stage);
    expect(threadTexts(stage, card).some((text) => text.includes("calling CreateBackup once more"))).toBe(
      true,
    );

    const now = currentCard(stage, card);
    expect(JSON.stringify(now.blocks)).toContain("check_backup_again");
    await stage.user.clickButton({ userId: USERS.approver, message: now, actionId: "start_backup_again" });
    const started = await stateOf(
      stage,
      instanceId,
      (state) => state === "submitted" || state === "succeeded",
    );
    expect(started.backupJobId).toBe(stage.rds.jobs(instanceId)[0]?.backupJobId);
    expect(creates(stage, instanceId)).toHaveLength(3);
    await settle(stage);
    expect(threadTexts(stage, card).some((text) => text.includes("decided to start the backup again"))).toBe(
      true,
    );
    const trail = (await stage.bot.store.auditTrail(started.id)).map(
      (event) => `${event.type}:${event.actor}`,
    );
    expect(trail).toContain(`started_again:${USERS.approver}`);
  });
});

describe("5: following a job to a real end", () => {
  it("a job that leaves DescribeBackupTasks is found in DescribeBackups and reported finished, with its size", async () => {
    const stage = await start({
      rds: { jobAdvance: "timed", stepMs: 200, listings: { setLagMs: 1_000, forgetFinishedAfterMs: 0 } },
    });
    const instanceId = freshInstance(stage);
    const card = await approved(stage, instanceId);
    const request = await stateOf(stage, instanceId, (state) => rests(state) && state !== "submitted");
    expect(request.state).toBe("succeeded");
    await settle(stage);
    const finished = threadTexts(stage, card).find((text) => text.includes("Backup finished"));
    expect(finished).toContain(stage.rds.jobs(instanceId)[0]?.backupId);
    expect(finished).toContain("1.0 GB");
  });

  it("the finished message waits for the backup set that DescribeBackups lists late", async () => {
    const stage = await start({ rds: { jobAdvance: "timed", stepMs: 200, listings: { setLagMs: 1_500 } } });
    const instanceId = freshInstance(stage);
    const card = await approved(stage, instanceId);
    await stateOf(stage, instanceId, (state) => state === "succeeded");
    await settle(stage);
    const finished = threadTexts(stage, card).find((text) => text.includes("Backup finished"));
    expect(finished).toContain("1.0 GB");
    // The instance is a MySQL on cloud disks, which RDS backs up by snapshot.
    expect(finished).toContain("Snapshot");
  });
});
