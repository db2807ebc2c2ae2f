/**
 * The requester's reason and the global shortcut, end to end: the real bot (Bolt, the store, the
 * RDS SDK) on the emulators, over HTTP and over Socket Mode. A policy rule requires a reason for
 * one instance: a request without one is refused like any other problem (nothing filed, nothing
 * called); one with a reason shows it, escaped, on the card, in `status` and `history`, in the
 * audit trail and in the notify channel's summary. The shortcut opens the request form in the
 * person's own language, though its payload says nothing about it.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED } from "../../src/sandbox/rds-emulator.js";
import { blockText } from "../../src/sandbox/slack-emulator.js";
import { REQUEST_SHORTCUT_CALLBACK_ID } from "../../src/slack/ids.js";
import {
  APPROVAL_CHANNEL,
  commandReply,
  currentCard,
  eventually,
  fileInline,
  type Harness,
  NOTIFY_CHANNEL,
  openModalFor,
  settle,
  startHarness,
  threadTexts,
  USERS,
  waitForCard,
} from "./harness.js";

const POLICY = `
rules:
  - name: production-mysql
    match:
      instances: ["${SEED.mysql}"]
    approvers:
      users: [${USERS.approver}, ${USERS.approver2}]
    require_reason: true
fallback: env
`;

function writePolicy(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "rdsbot-reason-")), "policy.yaml");
  writeFileSync(path, text);
  return path;
}

/** Cards posted to the approval channel so far (top-level messages). */
const cardsPosted = (h: Harness) =>
  h.slack
    .callsTo("chat.postMessage")
    .filter((call) => call.args.channel === APPROVAL_CHANNEL && !call.args.thread_ts).length;

describe.each(["http", "socket"] as const)("the reason and the shortcut (%s)", (mode) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      mode,
      env: { POLICY_FILE: writePolicy(POLICY), NOTIFY_CHANNEL_IDS: NOTIFY_CHANNEL },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("refuses an inline request without the reason the rule requires: nothing filed, nothing called", async () => {
    const before = cardsPosted(h);
    const reply = await commandReply(h, USERS.requester, `${SEED.mysql} method=Physical`);
    expect(reply).toContain("The request was not filed");
    expect(reply).toContain("asks for a reason");
    const unclosed = await commandReply(h, USERS.requester, `${SEED.mysql} reason="forgot the end`);
    expect(unclosed).toContain("never closes");
    const tooLong = await commandReply(h, USERS.requester, `${SEED.mysql} reason=${"x".repeat(501)}`);
    expect(tooLong).toContain("501 characters");
    expect(await h.bot.store.list({ instanceId: SEED.mysql, limit: 10 })).toEqual([]);
    expect(cardsPosted(h)).toBe(before);
    expect(h.rds.count("CreateBackup")).toBe(0);
  });

  it("marks the form's reason required for that instance, and refuses a submission without one on its block", async () => {
    const view = await openModalFor(h, USERS.requester, SEED.mysql);
    const field = view.blocks.find((block) => block.block_id === "reason");
    expect(field).toMatchObject({ type: "input", optional: false, element: { type: "plain_text_input" } });
    // A Slack client refuses an empty required field; a submission sent before the re-render made
    // it required (or by anything else than a Slack client) reaches the bot, which checks again.
    const submitted = await h.user.submitView({
      userId: USERS.requester,
      view,
      values: { reason: "   " },
      bypassClientChecks: true,
    });
    expect(submitted.responseAction).toBe("errors");
    expect(submitted.errors?.reason).toContain("asks for a reason");
    expect(Object.keys(submitted.errors ?? {})).toEqual(["reason"]);
    expect(await h.bot.store.list({ instanceId: SEED.mysql, limit: 10 })).toEqual([]);
    expect(h.rds.count("CreateBackup")).toBe(0);
  });

  it("files with a reason typed in the form; the card shows it", async () => {
    const view = await openModalFor(h, USERS.requester, SEED.mysql);
    const after = h.slack.calls.length;
    const submitted = await h.user.submitView({
      userId: USERS.requester,
      view,
      values: { reason: "Schema migration\ntonight" },
    });
    expect(submitted.responseAction).toBeUndefined();
    const card = await waitForCard(h, after);
    expect(blockText(card.blocks)).toContain("Schema migration\ntonight");
    const [request] = await h.bot.store.list({ instanceId: SEED.mysql, limit: 1 });
    expect(request?.requestReason).toBe("Schema migration\ntonight");
    await h.user.clickButton({ userId: USERS.requester, message: card, actionId: "cancel_backup" });
    await eventually(async () => (await h.bot.store.get(request?.id ?? ""))?.state === "cancelled");
  });

  it("shows an inline reason, escaped, on the card, in status, history, the audit trail and the summary", async () => {
    const reason = "リリース 2.3 の前に <!channel> & check";
    const card = await fileInline(h, USERS.requester, `${SEED.mysql} reason="${reason}"`);
    const escaped = "リリース 2.3 の前に &lt;!channel&gt; &amp; check";
    expect(blockText(card.blocks)).toContain(escaped);
    expect(JSON.stringify(card.blocks)).not.toContain("<!channel>");
    const [request] = await h.bot.store.list({ instanceId: SEED.mysql, limit: 1 });
    expect(request?.requestReason).toBe(reason);
    const id = request?.id ?? "";

    const status = await commandReply(h, USERS.requester, `status ${id}`);
    expect(status).toContain(`reason: ${escaped}`);
    const history = await commandReply(h, USERS.requester, `history ${SEED.mysql}`);
    expect(history).toContain(`reason: ${escaped}`);
    const trail = await h.bot.store.auditTrail(id);
    expect(trail[0]).toMatchObject({ type: "requested", detail: { reason } });

    await h.user.clickButton({ userId: USERS.approver, message: card, actionId: "approve_backup" });
    await eventually(async () => threadTexts(h, card).some((text) => text.includes("Backup started")));
    expect(h.rds.count("CreateBackup")).toBe(1);
    const summary = await h.slack.waitFor("chat.postMessage", (args) => args.channel === NOTIFY_CHANNEL, {
      timeoutMs: 20_000,
    });
    expect(String(summary.args.text)).toContain(`Reason: ${escaped}`);
    expect(JSON.stringify(summary.args)).not.toContain("<!channel>");
    expect(blockText(currentCard(h, card).blocks)).toContain(escaped);
    await settle(h);
  });

  it("opens the request form from the global shortcut, in Japanese for a Japanese user", async () => {
    const before = h.slack.calls.length;
    const shortcut = await h.user.globalShortcut({
      userId: USERS.jaRequester,
      callbackId: REQUEST_SHORTCUT_CALLBACK_ID,
    });
    expect(shortcut.status).toBe(200);
    expect(shortcut.slackErrors).toEqual([]);
    expect(shortcut.payload).not.toHaveProperty("channel");
    await h.slack.waitFor("views.open", { trigger_id: shortcut.triggerId }, { after: before });
    const view = await eventually(async () => {
      const current = h.slack.currentView(USERS.jaRequester);
      return current && blockText(current.blocks).includes("申請します") ? current : undefined;
    });
    expect(view.callback_id).toBe("rds_backup_request");
    const inputs = view.blocks.filter((block) => block.type === "input").map((block) => block.block_id);
    expect(inputs).toEqual(["DBInstanceId", "reason"]);
    expect(blockText(view.blocks)).toContain("理由");
    // Slack offers only the shortcuts the app declares.
    await expect(
      h.user.globalShortcut({ userId: USERS.jaRequester, callbackId: "not_declared" }),
    ).rejects.toThrow(/declares no global shortcut/);
    if (mode === "socket") {
      const envelope = h.socket?.envelopes.find((e) => e.envelope.payload.trigger_id === shortcut.triggerId);
      expect(envelope?.envelope).toMatchObject({
        type: "interactive",
        accepts_response_payload: false,
        payload: { type: "shortcut", callback_id: REQUEST_SHORTCUT_CALLBACK_ID },
      });
      expect(envelope?.outcome).toBe("acked");
    }
  });
});
