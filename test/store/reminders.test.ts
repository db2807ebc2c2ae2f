/**
 * Reminders in the store, on SQLite and PostgreSQL: each reminder of a request is claimed once,
 * however many replicas try at the same moment, and never for a request that is no longer pending.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AuditEvent, Notification, RequestStore } from "../../src/backup/ports.js";
import type { ReminderKind } from "../../src/domain/reminders.js";
import { openStore } from "../../src/store/open-store.js";
import { at, harnesses, minimalRequest } from "./harness.js";

const HARNESSES = await harnesses();

const reminded = (kind: ReminderKind): AuditEvent => ({
  type: "reminded",
  actor: "system",
  detail: { kind },
});
const reply = (kind: ReminderKind): Notification => ({
  kind: "thread",
  event: { type: "reminder", kind, approvers: { userIds: ["U_BOB"], usergroupIds: ["S_DBAS"] } },
  dedupeKey: `thread:reminder:${kind}`,
});

describe.each(HARNESSES)("reminders in the store on $name", (harness) => {
  let url: string;
  let store: RequestStore;
  const opened: RequestStore[] = [];
  const clock = () => at(3 * 3_600_000);

  async function open(): Promise<RequestStore> {
    const next = await openStore(url, { clock });
    opened.push(next);
    await next.migrate();
    return next;
  }

  async function threadItems(s: RequestStore): Promise<Notification[]> {
    const items = await s.claimNotifications("test", at(10 * 86_400_000), 1_000, 1_000);
    return items.map((item) => item.notification);
  }

  beforeAll(() => harness.setup());
  afterAll(() => harness.teardown());
  beforeEach(async () => {
    url = await harness.fresh();
    store = await open();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });

  it("claims each reminder once when two replicas race for it, with one audit event and one reply", async () => {
    const request = minimalRequest();
    await store.create(request, { type: "requested", actor: "U_REQUESTER" }, []);
    // Two pools on PostgreSQL; SQLite's one connection per process serialises them anyway (a second
    // store in the same process would wait on the first's lock with the event loop blocked).
    const other = harness.name === "postgres" ? await open() : store;
    const tries = Array.from({ length: 8 }, (_, i) =>
      (i % 2 === 0 ? store : other).claimReminder(request.id, "waiting", clock(), reminded("waiting"), [
        reply("waiting"),
      ]),
    );
    const results = await Promise.all(tries);
    expect(results.filter(Boolean)).toHaveLength(1);
    // The other kind is a reminder of its own, claimed once too.
    expect(
      await other.claimReminder(request.id, "expiring", clock(), reminded("expiring"), [reply("expiring")]),
    ).toBe(true);
    expect(
      await store.claimReminder(request.id, "expiring", clock(), reminded("expiring"), [reply("expiring")]),
    ).toBe(false);

    const trail = await store.auditTrail(request.id);
    expect(trail.filter((event) => event.type === "reminded").map((event) => event.detail?.kind)).toEqual([
      "waiting",
      "expiring",
    ]);
    expect(trail.find((event) => event.type === "reminded")?.at).toEqual(clock());
    // One reply per reminder, in the order they were claimed (one at a time: one lane).
    const first = await threadItems(store);
    expect(first).toEqual([reply("waiting")]);
  });

  it("claims nothing for a request that is no longer pending", async () => {
    for (const to of ["rejected", "cancelled", "expired"] as const) {
      const request = minimalRequest();
      await store.create(request, { type: "requested", actor: "U_REQUESTER" }, []);
      await store.transition(request.id, { from: "pending", to }, {}, { type: to, actor: "U_BOB" });
      expect(
        await store.claimReminder(request.id, "waiting", clock(), reminded("waiting"), [reply("waiting")]),
      ).toBe(false);
      expect((await store.auditTrail(request.id)).map((event) => event.type)).toEqual(["requested", to]);
    }
    const approved = minimalRequest();
    await store.create(approved, { type: "requested", actor: "U_REQUESTER" }, []);
    await store.addApproval(approved.id, "U_BOB", clock(), []);
    expect(
      await store.claimReminder(approved.id, "waiting", clock(), reminded("waiting"), [reply("waiting")]),
    ).toBe(false);
    expect(await store.claimReminder("req-0000000000", "waiting", clock(), reminded("waiting"), [])).toBe(
      false,
    );
    expect(await threadItems(store)).toEqual([]);
  });

  it("lists the pending requests that still have a reminder to come, soonest to expire first", async () => {
    const later = minimalRequest({ expiresAt: at(20 * 3_600_000) });
    const sooner = minimalRequest({ expiresAt: at(10 * 3_600_000), approvalsRequired: 2 });
    const done = minimalRequest({ expiresAt: at(5 * 3_600_000) });
    const decided = minimalRequest({ expiresAt: at(1 * 3_600_000) });
    for (const request of [later, sooner, done, decided])
      await store.create(request, { type: "requested", actor: "U_REQUESTER" }, []);
    await store.addApproval(sooner.id, "U_BOB", at(1_000), []);
    await store.claimReminder(sooner.id, "waiting", clock(), reminded("waiting"), [reply("waiting")]);
    for (const kind of ["waiting", "expiring"] as const)
      await store.claimReminder(done.id, kind, clock(), reminded(kind), [reply(kind)]);
    await store.transition(
      decided.id,
      { from: "pending", to: "rejected" },
      {},
      { type: "rejected", actor: "U" },
    );

    const listed = await store.listRemindable(10);
    expect(listed.map((one) => [one.request.id, one.sent])).toEqual([
      [sooner.id, ["waiting"]],
      [later.id, []],
    ]);
    expect(listed[0]?.request.approvals.map((approval) => approval.userId)).toEqual(["U_BOB"]);
    expect(await store.listRemindable(1)).toHaveLength(1);
    expect(await store.listRemindable(0)).toEqual([]);
  });
});
