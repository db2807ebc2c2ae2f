/**
 * Reminders of pending requests (issue 15), on in-memory ports with a simulated clock: the real
 * store on in-memory SQLite, the service filing and deciding, and reminder runners polling on the
 * clock (a day of waiting passes in a moment). What the thread is told, and when.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { ThreadEvent } from "../../src/backup/ports.js";
import { type World, world } from "./world.js";

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const MIN = 60_000;
const HOUR = 60 * MIN;
/** How often the runners look, here: a reminder comes at most this late. */
const POLL = MIN;

type Reminder = Extract<ThreadEvent, { type: "reminder" }> & { at: number };

function remindersOf(world: World, requestId: string): Reminder[] {
  return world.thread(requestId).filter((event): event is Reminder => event.type === "reminder");
}

/** When each reminder came, relative to the request's filing. */
function timeline(world: World, request: { id: string; createdAt: Date }) {
  return remindersOf(world, request.id).map((event) => ({
    kind: event.kind,
    after: event.at - request.createdAt.getTime(),
  }));
}

describe("reminders of a pending request", () => {
  it("reminds once after APPROVAL_REMINDER_AFTER and once 15 minutes before it expires, naming who may decide", async () => {
    w = await world({
      reminders: { remindAfter: 2 * HOUR, pollMs: POLL },
      // The requester is an approver too, but may not approve their own request: not mentioned.
      rule: { approvers: { userIds: ["U0REQUESTER", "U0APPROVER1"], usergroupIds: ["S0DBAS"] } },
    });
    w.reminderRunner();
    const request = await w.file();
    await w.clock.advance(25 * HOUR);

    const reminders = timeline(w, request);
    expect(reminders.map((one) => one.kind)).toEqual(["waiting", "expiring"]);
    const [waiting, expiring] = reminders;
    expect(waiting?.after).toBeGreaterThanOrEqual(2 * HOUR);
    expect(waiting?.after).toBeLessThanOrEqual(2 * HOUR + POLL);
    expect(expiring?.after).toBeGreaterThanOrEqual(24 * HOUR - 15 * MIN);
    expect(expiring?.after).toBeLessThanOrEqual(24 * HOUR - 15 * MIN + POLL);
    for (const reminder of remindersOf(w, request.id)) {
      expect(reminder.approvers).toEqual({ userIds: ["U0APPROVER1"], usergroupIds: ["S0DBAS"] });
    }
    const trail = await w.store.auditTrail(request.id);
    expect(trail.filter((event) => event.type === "reminded").map((event) => event.detail?.kind)).toEqual([
      "waiting",
      "expiring",
    ]);
  });

  it("mentions the requester too where self-approval is allowed, and not who already approved", async () => {
    w = await world({
      reminders: { remindAfter: 2 * HOUR, pollMs: POLL },
      rule: {
        approvers: { userIds: ["U0REQUESTER", "U0APPROVER1", "U0APPROVER2"], usergroupIds: [] },
        approvalsRequired: 2,
        allowSelfApproval: true,
      },
    });
    w.reminderRunner();
    const request = await w.file();
    await w.clock.advance(HOUR);
    expect((await w.run(w.approve(request.id, "U0APPROVER1"))).kind).toBe("done");
    await w.clock.advance(2 * HOUR);
    expect(remindersOf(w, request.id).map((event) => event.approvers)).toEqual([
      { userIds: ["U0REQUESTER", "U0APPROVER2"], usergroupIds: [] },
    ]);
  });

  it("lets the policy rule's remind_after override APPROVAL_REMINDER_AFTER, off included", async () => {
    w = await world({ reminders: { remindAfter: 2 * HOUR, pollMs: POLL }, rule: { remindAfter: 30 * MIN } });
    w.reminderRunner();
    const early = await w.file();
    await w.clock.advance(HOUR);
    expect(timeline(w, early)).toEqual([{ kind: "waiting", after: 30 * MIN }]);
    await w.close();

    w = await world({ reminders: { remindAfter: 2 * HOUR, pollMs: POLL }, rule: { remindAfter: "off" } });
    w.reminderRunner();
    const quiet = await w.file();
    await w.clock.advance(25 * HOUR);
    expect(timeline(w, quiet)).toEqual([]);
  });

  it("sends nothing when APPROVAL_REMINDER_AFTER is off", async () => {
    w = await world({ reminders: { remindAfter: "off", pollMs: POLL } });
    w.reminderRunner();
    const request = await w.file();
    await w.clock.advance(25 * HOUR);
    expect(timeline(w, request)).toEqual([]);
    expect((await w.store.auditTrail(request.id)).map((event) => event.type)).toEqual(["requested"]);
  });

  it("gives a request that lives an hour only its last call, 15 minutes before it expires", async () => {
    w = await world({ reminders: { remindAfter: 2 * HOUR, pollMs: POLL }, rule: { maxWaitHours: 1 } });
    w.reminderRunner();
    const request = await w.file();
    await w.clock.advance(2 * HOUR);
    expect(timeline(w, request)).toEqual([{ kind: "expiring", after: 45 * MIN }]);
  });

  it("never reminds about a request decided, cancelled or scheduled before its time", async () => {
    w = await world({ reminders: { remindAfter: 2 * HOUR, pollMs: POLL } });
    w.reminderRunner();
    const approved = await w.file();
    const rejected = await w.file();
    const cancelled = await w.file();
    const later = await w.file({
      runAt: { kind: "instant", at: new Date(w.clock.now().getTime() + 3 * 86_400_000) },
    });
    await w.clock.advance(HOUR);
    expect((await w.run(w.approve(approved.id))).kind).toBe("done");
    expect((await w.run(w.service.reject(rejected.id, "U0APPROVER1"))).kind).toBe("done");
    expect((await w.run(w.service.cancel(cancelled.id, "U0REQUESTER"))).kind).toBe("done");
    expect((await w.run(w.approve(later.id))).kind).toBe("done");
    expect((await w.request(later.id)).state).toBe("scheduled");
    await w.clock.advance(25 * HOUR);
    for (const request of [approved, rejected, cancelled, later]) expect(timeline(w, request)).toEqual([]);
  });

  it("posts each reminder once with two replicas looking, and not again after a restart", async () => {
    w = await world({ reminders: { remindAfter: 2 * HOUR, pollMs: POLL } });
    const first = w.reminderRunner();
    w.reminderRunner();
    const request = await w.file();
    await w.clock.advance(3 * HOUR);
    expect(timeline(w, request).map((one) => one.kind)).toEqual(["waiting"]);
    // One replica goes away and the bot starts again beside the other.
    w.stopPolling(first);
    const restarted = w.reminderRunner();
    expect(await restarted.round()).toBe(0);
    await w.clock.advance(22 * HOUR);
    expect(timeline(w, request).map((one) => one.kind)).toEqual(["waiting", "expiring"]);
  });
});
