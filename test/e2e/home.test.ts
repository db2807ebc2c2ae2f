/**
 * The Home tab, end to end with the real bot over HTTP and in Socket Mode: Slack sends
 * `app_home_opened`, the bot publishes the person's view; Approve in it decides exactly like the
 * card (one CreateBackup, the job id in the card's thread) and the tab is published again without
 * that request's buttons; a refused click from the tab is said in the tab itself.
 */
import Sqlite from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { SEED } from "../../src/sandbox/rds-emulator.js";
import { blockText, type SlackHomeView } from "../../src/sandbox/slack-emulator.js";
import {
  APPROVAL_CHANNEL,
  currentCard,
  eventually,
  fileInline,
  type Harness,
  settle,
  startHarness,
  threadTexts,
  USERS,
} from "./harness.js";

let h: Harness;
/** Stages whose emulators `h` borrowed: closed after it. */
const lenders: Harness[] = [];
afterEach(async () => {
  await h.close();
  for (const stage of lenders.splice(0)) await stage.close();
});

/** The buttons in a Home tab, as `action_id:value`. */
function buttons(view: SlackHomeView | undefined): string[] {
  return (view?.blocks ?? []).flatMap((block) =>
    block.type === "actions" && Array.isArray(block.elements)
      ? block.elements.map(
          (el) =>
            `${String((el as { action_id?: string }).action_id)}:${String((el as { value?: string }).value)}`,
        )
      : [],
  );
}

/** Opens the person's Home tab and waits for the bot to publish it. */
async function openHome(userId: string): Promise<SlackHomeView> {
  const after = h.slack.calls.length;
  const delivery = await h.user.openHomeTab({ userId });
  expect(delivery.acked).toBe(true);
  expect(delivery.attempts).toHaveLength(1);
  await h.slack.waitFor("views.publish", { user_id: userId }, { after, timeoutMs: 10_000 });
  const view = h.slack.homeView(userId);
  if (!view) throw new Error("no Home tab published");
  return view;
}

describe.each(["http", "socket"] as const)("the Home tab (%s)", (mode) => {
  it("lets an approver approve from it: one CreateBackup, the job id in the card's thread, the button gone", async () => {
    h = await startHarness({ mode });
    const card = await fileInline(h, USERS.requester, `${SEED.mysql} reason="before the 2.3 release"`);
    const requestId = (await h.bot.store.list({ states: ["pending"], limit: 1 }))[0]?.id ?? "";
    const home = await openHome(USERS.approver);
    expect(buttons(home)).toEqual([`approve_backup:${requestId}`, `reject_backup:${requestId}`]);
    expect(blockText(home.blocks)).toContain(SEED.mysql);
    expect(blockText(home.blocks)).toContain("*Reason*: before the 2.3 release");

    const click = await h.user.clickInHome({ userId: USERS.approver, actionId: "approve_backup" });
    expect(click.status).toBe(200);
    expect(click.payload.message).toBeUndefined();
    expect(click.payload.container).toEqual({ type: "view", view_id: home.id });

    await h.slack.waitUntil(
      () => threadTexts(h, card).some((text) => /Backup started: job \*\d+\*/.test(text)),
      15_000,
      "the job id in the card's thread",
    );
    await h.slack.waitUntil(
      () => !buttons(h.slack.homeView(USERS.approver)).some((b) => b.endsWith(requestId)),
      10_000,
      "the Home tab published again without the request's buttons",
    );
    await settle(h);
    expect(h.rds.count("CreateBackup")).toBe(1);
    expect(JSON.stringify(currentCard(h, card).blocks)).not.toContain("approve_backup");
    expect(h.slack.ephemerals(USERS.approver)).toEqual([]);
  });

  it("shows a non-approver no buttons, and the requester their own request with its thread", async () => {
    h = await startHarness({ mode });
    const card = await fileInline(h, USERS.requester, SEED.mysql);
    await settle(h);

    const outsider = await openHome(USERS.outsider);
    expect(buttons(outsider)).toEqual([]);
    expect(blockText(outsider.blocks)).toContain("Nothing waits for your decision.");

    const mine = await openHome(USERS.requester);
    expect(buttons(mine)).toEqual([]); // their own request: no self-approval
    const text = JSON.stringify(mine.blocks);
    const requestId = (await h.bot.store.list({ limit: 1 }))[0]?.id ?? "";
    expect(text).toContain("Your requests");
    expect(text).toContain(requestId);
    expect(text).toContain(`/archives/${APPROVAL_CHANNEL}/p${card.ts.replace(".", "")}|thread>`);
  });

  it("says a refused click from the tab in the tab itself, and nothing changes", async () => {
    h = await startHarness({ mode });
    const card = await fileInline(h, USERS.requester, SEED.mysql);
    const stale = await openHome(USERS.approver2);
    // Someone else decides from the card first; approver2 still looks at the older tab.
    await h.user.clickButton({ userId: USERS.approver, message: card, actionId: "reject_backup" });
    const rejectModal = await h.slack.waitUntil(() => h.slack.currentView(USERS.approver));
    await h.user.submitView({ userId: USERS.approver, view: rejectModal, values: { reason: "not today" } });
    await h.slack.waitUntil(() => threadTexts(h, card).some((t) => t.includes("rejected")), 10_000);

    const click = await h.user.clickInHome({
      userId: USERS.approver2,
      actionId: "approve_backup",
      view: stale,
    });
    expect(click.status).toBe(200);
    await h.slack.waitUntil(
      () => blockText(h.slack.homeView(USERS.approver2)?.blocks).includes("already rejected"),
      10_000,
      "the refusal on top of the Home tab",
    );
    expect(h.rds.count("CreateBackup")).toBe(0);
    expect(h.slack.ephemerals(USERS.approver2)).toEqual([]);
  });
});

describe("the Events API request URL (HTTP mode)", () => {
  it("answers Slack's url_verification challenge at POST /slack/events, and a retried event is harmless", async () => {
    h = await startHarness();
    const { verified } = await h.user.verifyEventsUrl();
    expect(verified).toBe(true);
    await openHome(USERS.approver);
    // Slack sends an event again when it did not see the ack: the tab is simply published again.
    const after = h.slack.calls.length;
    const again = await h.user.openHomeTab({
      userId: USERS.approver,
      retryNum: 1,
      retryReason: "http_timeout",
    });
    expect(again.acked).toBe(true);
    await h.slack.waitFor("views.publish", { user_id: USERS.approver }, { after, timeoutMs: 10_000 });
    expect(h.slack.homePublishes(USERS.approver)).toBe(2);
  });
});

describe("re-publishing the Home tab", () => {
  it("publishes a tab again only when what it shows changed", async () => {
    h = await startHarness();
    await openHome(USERS.outsider);
    await openHome(USERS.approver);
    await fileInline(h, USERS.requester, SEED.mysql);
    const request = (await h.bot.store.list({ states: ["pending"], limit: 1 }))[0];
    if (!request) throw new Error("nothing filed");
    await h.slack.waitUntil(
      () => buttons(h.slack.homeView(USERS.approver)).includes(`approve_backup:${request.id}`),
      10_000,
      "the approver's tab with the new request",
    );
    // The outsider's tab was looked at again after the change (its row records the read)…
    const db = new Sqlite(h.databaseUrl, { readonly: true });
    try {
      await eventually(async () => {
        const row = db.prepare("select published_at from home_views where user_id = ?").get(USERS.outsider) as
          | { published_at: number | null }
          | undefined;
        return (row?.published_at ?? 0) >= request.updatedAt.getTime() || undefined;
      });
    } finally {
      db.close();
    }
    // …but nothing in it changed (a request they may neither decide nor see), so it was not published.
    expect(h.slack.homePublishes(USERS.outsider)).toBe(1);
    expect(h.slack.homePublishes(USERS.approver)).toBeGreaterThan(1);
  });
});

describe("the Home tab across a restart", () => {
  it("is published again by the next bot when a request changes: who opened it is in the store", async () => {
    const first = await startHarness();
    lenders.push(first);
    h = first;
    await openHome(USERS.approver);
    await first.stopBot();
    h = await startHarness({ slack: first.slack, rdsEmulator: first.rds, databaseUrl: first.databaseUrl });
    const before = h.slack.homePublishes(USERS.approver);
    await fileInline(h, USERS.requester, SEED.mysql);
    const requestId = (await h.bot.store.list({ states: ["pending"], limit: 1 }))[0]?.id ?? "";
    // Nobody opened the tab again: the new process knows from the store who looks at it.
    await h.slack.waitUntil(
      () => buttons(h.slack.homeView(USERS.approver)).includes(`approve_backup:${requestId}`),
      10_000,
      "the approver's Home tab published again with the new request",
    );
    expect(h.slack.homePublishes(USERS.approver)).toBeGreaterThan(before);
  });
});
