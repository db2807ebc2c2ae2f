/**
 * The Slack Web API misbehaving while the bot tells people what happened: 429 with Retry-After,
 * HTTP 500, a dropped connection, an outage of several calls. Messages wait in the outbox and are
 * delivered again: nothing is lost, each thread reads in order, the job id is announced once.
 */
import { describe, expect, it } from "vitest";
import type { RecordedCall, SlackFault } from "../../src/sandbox/slack-emulator.js";
import { APPROVAL_CHANNEL, REQUEST_CHANNEL, settle, USERS, useStage } from "../e2e/harness.js";
import {
  announcesJob,
  approve,
  expectConsistent,
  file,
  freshInstance,
  outcomeOf,
  stillServes,
  threadOf,
} from "./helpers.js";

const h = useStage();

function isThreadPost(call: RecordedCall, cardTs: string): boolean {
  return call.method === "chat.postMessage" && call.args.thread_ts === cardTs;
}

describe("the job announcement meets a Slack fault", () => {
  const faults: { name: string; fault: SlackFault; waitsAtLeastMs: number }[] = [
    { name: "429 with Retry-After: 1", fault: { status: 429, retryAfter: 1 }, waitsAtLeastMs: 950 },
    { name: "HTTP 500", fault: { status: 500 }, waitsAtLeastMs: 0 },
    { name: "a dropped connection", fault: { drop: true }, waitsAtLeastMs: 0 },
    { name: "HTTP 503 after a slow answer", fault: { status: 503, delayMs: 400 }, waitsAtLeastMs: 0 },
  ];

  for (const scenario of faults) {
    it(`${scenario.name}: delivered again, announced once, in order`, async () => {
      const instanceId = freshInstance(h);
      const filed = await file(h, instanceId);
      // CreateBackup answers after a while, so the fault can be aimed at the announcement.
      h.rds.failNext("CreateBackup", { fault: "delay", ms: 1_000 });
      await approve(h, filed);
      await h.slack.waitUntil(
        () => threadOf(h, filed.card).some((text) => text.includes("Calling CreateBackup")),
        5_000,
        "the approval reply",
      );
      expect(h.rds.count("CreateBackup")).toBe(1);
      // At the thread: the requester's message goes to another place, at the same time.
      h.slack.failNext("chat.postMessage", scenario.fault, 1, { thread_ts: filed.card.ts });

      await outcomeOf(h, filed.requestId);
      const job = h.rds.jobs(instanceId)[0];
      if (!job) throw new Error("no job");
      await h.slack.waitUntil(
        () => threadOf(h, filed.card).some((text) => announcesJob(text, job.backupJobId)),
        10_000,
        "the job announcement",
      );
      const posts = h.slack.calls.filter((call) => isThreadPost(call, filed.card.ts));
      const faulted = posts.filter((call) => call.faulted);
      expect(faulted).toHaveLength(1);
      const delivered = posts.find(
        (call) => call.ok && announcesJob(String(call.args.text ?? ""), job.backupJobId),
      );
      expect(delivered).toBeDefined();
      expect((delivered?.at ?? 0) - (faulted[0]?.at ?? 0)).toBeGreaterThanOrEqual(scenario.waitsAtLeastMs);
      await expectConsistent(h, [filed]);
      // In order: the approval, then the job (then whatever follows the job).
      const thread = threadOf(h, filed.card);
      const approvedAt = thread.findIndex((text) => text.includes("Calling CreateBackup"));
      const announcedAt = thread.findIndex((text) => announcesJob(text, job.backupJobId));
      expect(approvedAt).toBeGreaterThanOrEqual(0);
      expect(announcedAt).toBeGreaterThan(approvedAt);
      await stillServes(h);
    });
  }
});

describe("the approval card meets Slack faults", () => {
  it("posts the card once after a failed post, and its thread waits for it", async () => {
    h.slack.failNext("chat.postMessage", { status: 500 });
    const instanceId = freshInstance(h);
    const filed = await file(h, instanceId);
    const cards = h.slack
      .messages(APPROVAL_CHANNEL)
      .filter((message) => !message.thread_ts || message.ts === message.thread_ts);
    expect(cards.filter((card) => JSON.stringify(card.blocks).includes(filed.requestId))).toHaveLength(1);
    await approve(h, filed);
    await outcomeOf(h, filed.requestId);
    await expectConsistent(h, [filed]);
  });

  it("rate-limited card updates end with the right card", async () => {
    const instanceId = freshInstance(h);
    const filed = await file(h, instanceId);
    h.slack.failNext("chat.update", { status: 429, retryAfter: 1 }, 2);
    await approve(h, filed);
    const request = await outcomeOf(h, filed.requestId);
    await expectConsistent(h, [filed]);
    const card = h.slack.message(APPROVAL_CHANNEL, filed.card.ts);
    expect(JSON.stringify(card?.blocks)).not.toContain("approve_backup");
    expect(JSON.stringify(card?.blocks)).toContain(request.backupJobId ?? "?");
  });
});

describe("a Slack outage", () => {
  it("loses nothing: every message of several requests arrives once, in order, when Slack is back", async () => {
    const filed = [];
    for (let i = 0; i < 3; i++) filed.push(await file(h, freshInstance(h)));
    // The next 12 Web API calls of any kind fail (500 or dropped), then Slack is back.
    h.slack.failNext("*", { status: 500 }, 6);
    h.slack.failNext("*", { drop: true }, 6);
    const approvers = [USERS.approver, USERS.approver2, USERS.groupApprover];
    await Promise.all(filed.map((one, i) => approve(h, one, approvers[i])));
    for (const one of filed) await outcomeOf(h, one.requestId);
    await expectConsistent(h, filed);
    for (const one of filed) {
      const thread = threadOf(h, one.card);
      // Each reply once.
      expect(new Set(thread).size).toBe(thread.length);
    }
    await stillServes(h);
  });
});

describe("the request form cannot be opened", () => {
  for (const fault of [{ error: "expired_trigger_id" }, { status: 500 }, { drop: true }] as SlackFault[]) {
    it(`views.open ${JSON.stringify(fault)}: the person is told, privately`, async () => {
      h.slack.failNext("views.open", fault);
      const command = await h.user.slashCommand({
        userId: USERS.requester,
        channelId: REQUEST_CHANNEL,
        text: "",
      });
      expect(command.status).toBe(200);
      expect(command.slackErrors).toEqual([]);
      await h.slack.waitUntil(() => h.slack.responses(command.responseUrlId).length > 0, 5_000, "an answer");
      const answer = h.slack.responses(command.responseUrlId)[0]?.body;
      expect(answer?.response_type).toBe("ephemeral");
      expect(String(answer?.text)).toMatch(/went wrong/);
      await stillServes(h);
    });
  }
});

describe("the answer to a command cannot be posted", () => {
  it("a failed confirmation is not followed by 'nothing was filed' about a request that was filed", async () => {
    h.slack.failNext("response_url", { status: 500 });
    const instanceId = freshInstance(h);
    const command = await h.user.slashCommand({
      userId: USERS.requester,
      channelId: REQUEST_CHANNEL,
      text: instanceId,
    });
    expect(command.status).toBe(200);
    await h.slack.waitFor("chat.postMessage", (args) =>
      JSON.stringify(args.blocks ?? "").includes(instanceId),
    );
    expect(await h.bot.store.list({ instanceId, limit: 5 })).toHaveLength(1);
    await settle(h);
    for (const post of h.slack.responses(command.responseUrlId)) {
      expect(String(post.body.text)).not.toMatch(/nothing was filed/);
    }
    await stillServes(h);
  });
});
