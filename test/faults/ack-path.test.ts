/**
 * RDS answering in 2.9 seconds on a path whose answer must reach Slack within 3: the modal
 * submission (its instance look-up decides the field errors the ack carries; too slow, the ack
 * says "checking…" and the outcome follows), the inline command, and the instance picker's
 * options. The ack must land in time and say something true.
 */
import { describe, expect, it } from "vitest";
import { SEED } from "../../src/sandbox/rds-emulator.js";
import { blockText } from "../../src/sandbox/slack-emulator.js";
import {
  APPROVAL_CHANNEL,
  openModalFor,
  openRequestForm,
  REQUEST_CHANNEL,
  USERS,
  useStage,
} from "../e2e/harness.js";
import { stillServes } from "./helpers.js";

const SLOW = { fault: "delay", ms: 2_900 } as const;

const h = useStage();

async function requestCount(): Promise<number> {
  return (await h.bot.store.list({ limit: 100 })).length;
}

describe("a 2.9-second RDS answer on the ack path", () => {
  it("modal submission: acks in time with 'checking…', then shows the look-up failed; submitting again files it", async () => {
    const view = await openModalFor(h, USERS.requester, SEED.mysql);
    h.rds.failNext("DescribeDBInstanceAttribute", SLOW);
    const before = h.slack.calls.length;
    const submitted = await h.user.submitView({ userId: USERS.requester, view, values: {} });
    expect(submitted.status).toBe(200);
    // The simulator reports an answer later than Slack's 3 seconds as operation_timeout.
    expect(submitted.slackErrors).toEqual([]);
    expect(submitted.responseAction).toBe("update");
    expect(blockText(h.slack.currentView(USERS.requester)?.blocks)).toContain("Checking the instance");

    // The outcome follows in the form, whose values stay.
    await h.slack.waitFor("views.update", (args) => JSON.stringify(args.view).includes("looked up"), {
      after: before,
      timeoutMs: 6_000,
    });
    const shown = blockText(h.slack.currentView(USERS.requester)?.blocks);
    expect(shown).toContain("could not be looked up just now");
    // True: it did not say the instance does not exist, and it filed nothing.
    expect(shown).not.toMatch(/no instance|not found|does not exist/i);
    expect(shown).not.toContain("Checking the instance");
    expect(await requestCount()).toBe(0);
    expect(
      h.slack.callsTo("chat.postMessage").filter((c) => c.args.channel === APPROVAL_CHANNEL),
    ).toHaveLength(0);

    // RDS is back: the same (still open) modal files the request.
    const again = await h.user.submitView({ userId: USERS.requester, view: view.id, values: {} });
    expect(again.status).toBe(200);
    expect(again.slackErrors).toEqual([]);
    expect(again.responseAction).toBeUndefined();
    expect(await requestCount()).toBe(1);
  });

  it("the pre-flight reads being slow do not hold the ack: 'checking…', then filed with the checks unknown", async () => {
    const view = await openModalFor(h, USERS.requester, SEED.mysql);
    h.rds.failNext("DescribeBackupTasks", SLOW);
    h.rds.failNext("DescribeBackups", SLOW);
    const before = h.slack.calls.length;
    const submitted = await h.user.submitView({ userId: USERS.requester, view, values: {} });
    expect(submitted.status).toBe(200);
    expect(submitted.slackErrors).toEqual([]);
    expect(submitted.responseAction).toBe("update");
    await h.slack.waitFor("views.update", (args) => JSON.stringify(args.view).includes("is filed"), {
      after: before,
      timeoutMs: 6_000,
    });
    const [request] = await h.bot.store.list({ limit: 1 });
    expect(blockText(h.slack.currentView(USERS.requester)?.blocks)).toContain(request?.id ?? "?");
    expect(request?.preflight?.noBackupInProgress.status).toBe("unknown");
    expect(request?.preflight?.dailyLimit.status).toBe("unknown");
  });

  it("inline command: acks at once, then says the look-up failed, and files nothing", async () => {
    h.rds.failNext("DescribeDBInstanceAttribute", SLOW);
    const command = await h.user.slashCommand({
      userId: USERS.requester,
      channelId: REQUEST_CHANNEL,
      text: SEED.mysql,
    });
    expect(command.status).toBe(200);
    expect(command.slackErrors).toEqual([]);
    await h.slack.waitUntil(() => h.slack.responses(command.responseUrlId).length > 0, 6_000, "the answer");
    const text = String(h.slack.responses(command.responseUrlId)[0]?.body.text ?? "");
    expect(text).toContain("could not be looked up just now");
    expect(await requestCount()).toBe(0);
    await stillServes(h);
  });

  it("instance picker on a cold cache: answers in time, and does not claim that nothing matches", async () => {
    const { view } = await openRequestForm(h, USERS.requester);
    h.rds.failNext("DescribeDBInstances", SLOW);
    const options = await h.user.requestOptions({
      userId: USERS.requester,
      view,
      actionId: "value",
      blockId: "DBInstanceId",
      query: "",
      bypassClientChecks: true,
    });
    expect(options.status).toBe(200);
    expect(options.slackErrors).toEqual([]);
    const texts = options.options.map((option) => option.text.text);
    // RDS did not answer: "No instance matches" would be false (the fleet has ten); say what happened.
    expect(texts.join(" ")).not.toMatch(/No instance matches/);
    expect(texts.join(" ")).toContain("RDS did not answer in time");
    // Once RDS has answered, the list is there.
    await h.slack.waitUntil(
      () => h.rds.calls.some((c) => c.action === "DescribeDBInstances" && c.result === 200),
      5_000,
    );
    const later = await h.user.requestOptions({
      userId: USERS.requester,
      view,
      actionId: "value",
      blockId: "DBInstanceId",
      query: "",
      bypassClientChecks: true,
    });
    expect(later.options.map((option) => option.value)).toContain(SEED.mysql);
  });
});
