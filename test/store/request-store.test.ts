/**
 * The RequestStore contract, run against both dialects: SQLite in a temp file and PostgreSQL in a
 * throwaway database. Races are real: concurrent calls go through the driver (one connection on
 * SQLite, a pool on PostgreSQL, and on PostgreSQL also two separate pools).
 */

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type {
  ApprovalResult,
  AuditEvent,
  Notification,
  OutboxItem,
  RequestStore,
} from "../../src/backup/ports.js";
import { type RequestState, TRANSITIONS } from "../../src/domain/lifecycle.js";
import { FIXED_BY_ACCESS } from "../../src/slack/delivery-errors.js";
import { MIGRATIONS } from "../../src/store/migrations.js";
import { CorruptRowError, openStore } from "../../src/store/open-store.js";
import { at, FULL_ERROR, fullRequest, harnesses, minimalRequest, T0 } from "./harness.js";

const HARNESSES = await harnesses();

const requested: AuditEvent = { type: "requested", actor: "U_REQUESTER" };
const card: Notification = { kind: "card" };
const filed: Notification = { kind: "requester", event: { type: "filed" } };

function thread(by: string, dedupeKey?: string): Notification {
  return { kind: "thread", event: { type: "approved", by }, ...(dedupeKey ? { dedupeKey } : {}) };
}

function kinds(results: readonly ApprovalResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const result of results) counts[result.kind] = (counts[result.kind] ?? 0) + 1;
  return counts;
}

const LEGAL_MOVES: [RequestState, RequestState][] = Object.entries(TRANSITIONS).flatMap(([from, tos]) =>
  (tos as readonly RequestState[]).map((to): [RequestState, RequestState] => [from as RequestState, to]),
);

describe.each(HARNESSES)("RequestStore on $name", (harness) => {
  let url: string;
  let store: RequestStore;
  let nowMs: number;
  const clock = () => new Date(nowMs);
  const opened: RequestStore[] = [];

  async function open(): Promise<RequestStore> {
    const next = await openStore(url, { clock });
    opened.push(next);
    await next.migrate();
    return next;
  }

  /** Every undelivered item, in order, leased by a throwaway owner far in the future. */
  async function drainAll(s: RequestStore = store): Promise<OutboxItem[]> {
    const all: OutboxItem[] = [];
    for (;;) {
      const round = await s.claimNotifications("drain", at(10 * 86_400_000), 1_000, 1_000);
      if (round.length === 0) return all;
      for (const item of round) await s.markDelivered(item.id, "drain");
      all.push(...round);
    }
  }

  beforeAll(() => harness.setup());
  afterAll(() => harness.teardown());
  beforeEach(async () => {
    nowMs = at(60_000).getTime();
    url = await harness.fresh();
    store = await open();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });

  // ─── create / get ─────────────────────────────────────────────────────────────────────────────

  describe("create and read", () => {
    it("round-trips a request with every optional field set", async () => {
      const request = fullRequest();
      await store.create(request, requested, []);
      const got = await store.get(request.id);
      expect(got).toEqual(request);
      expect(got?.createdAt).toBeInstanceOf(Date);
      expect(got?.updatedAt.getTime()).toBe(request.updatedAt.getTime());
      expect(got?.decidedAt?.getTime()).toBe(request.decidedAt?.getTime());
      expect(got?.submittedAt?.toISOString()).toBe("2026-03-01T09:00:03.126Z");
      expect(got?.approvals.map((a) => a.at.getTime())).toEqual([at(1_001).getTime(), at(2_002).getTime()]);
      expect(got?.error).toEqual(FULL_ERROR);
    });

    it("leaves absent optional fields absent, not undefined", async () => {
      const request = minimalRequest();
      await store.create(request, requested, []);
      const got = await store.get(request.id);
      expect(got).toEqual(request);
      expect(Object.keys(got ?? {}).sort()).toEqual(Object.keys(request).sort());
      expect(Object.keys(got?.params ?? {})).toEqual(["DBInstanceId"]);
      expect(Object.keys(got?.instance ?? {}).sort()).toEqual(Object.keys(request.instance).sort());
    });

    it("keeps an error with only its required fields as such", async () => {
      const error = { code: "Timeout", message: "no answer", outcome: "unknown", transient: true } as const;
      const request = fullRequest({ error });
      await store.create(request, requested, []);
      const got = await store.get(request.id);
      expect(got?.error).toEqual(error);
      expect(Object.keys(got?.error ?? {}).sort()).toEqual(Object.keys(error).sort());
    });

    it("answers undefined for an unknown id", async () => {
      expect(await store.get("req-0000000000")).toBeUndefined();
      expect(await store.findByBackupJobId("42")).toBeUndefined();
    });

    it("writes the request, its audit event and its notifications together", async () => {
      const request = minimalRequest();
      await store.create(request, { ...requested, detail: { source: "modal" } }, [card, filed]);
      const trail = await store.auditTrail(request.id);
      expect(trail).toEqual([
        {
          id: expect.any(Number),
          requestId: request.id,
          at: request.createdAt,
          type: "requested",
          actor: "U_REQUESTER",
          detail: { source: "modal" },
        },
      ]);
      expect(Object.hasOwn(trail[0] ?? {}, "detail")).toBe(true);
      const items = await drainAll();
      expect(items.map((item) => item.notification)).toEqual([card, filed]);
      expect(items.every((item) => item.requestId === request.id && item.attempts === 0)).toBe(true);
    });

    it("refuses a second request with the same id and writes nothing for it", async () => {
      const request = minimalRequest();
      await store.create(request, requested, [card]);
      await expect(
        store.create({ ...request, requesterId: "U_OTHER" }, requested, [filed]),
      ).rejects.toThrow();
      expect((await store.get(request.id))?.requesterId).toBe("U_REQUESTER");
      expect(await store.auditTrail(request.id)).toHaveLength(1);
      expect((await drainAll()).map((item) => item.notification)).toEqual([card]);
    });

    it("finds a request by its backup job id", async () => {
      const request = fullRequest({ state: "submitted", backupJobId: "987654321" });
      await store.create(request, requested, []);
      await store.create(minimalRequest(), requested, []);
      expect((await store.findByBackupJobId("987654321"))?.id).toBe(request.id);
      expect(await store.findByBackupJobId("111")).toBeUndefined();
    });

    it("remembers where the card was posted", async () => {
      const request = minimalRequest();
      await store.create(request, requested, []);
      await store.setCard(request.id, { channel: "C_APPROVALS", ts: "1767225600.000200" });
      expect((await store.get(request.id))?.card).toEqual({
        channel: "C_APPROVALS",
        ts: "1767225600.000200",
      });
      await store.setCard("req-0000000000", { channel: "C", ts: "1" }); // no such request: no error
    });

    it("records a pre-flight check only while the request is pending", async () => {
      const request = minimalRequest({ approvalsRequired: 1 });
      await store.create(request, requested, []);
      const check = (jobId: string) => ({
        checkedAt: at(1_000),
        running: { status: "pass" as const, instanceStatus: "Running" },
        noBackupInProgress: { status: "fail" as const, backupJobId: jobId },
        dailyLimit: { status: "pass" as const, count: 1, limit: 20 },
      });
      expect(await store.setPreflight(request.id, check("1"), [card])).toBe(true);
      expect((await store.get(request.id))?.preflight?.noBackupInProgress.backupJobId).toBe("1");
      await drainAll();
      // Approved meanwhile (by a double click's twin): a later, stale check changes nothing.
      await store.addApproval(request.id, "U_A", at(2_000), []);
      expect(await store.setPreflight(request.id, check("2"), [card])).toBe(false);
      expect((await store.get(request.id))?.preflight?.noBackupInProgress.backupJobId).toBe("1");
      expect(await store.outboxEmpty()).toBe(true);
      expect(await store.setPreflight("req-0000000000", check("3"))).toBe(false);
    });
  });

  // ─── list / audit ─────────────────────────────────────────────────────────────────────────────

  describe("list", () => {
    it("lists newest first, with filters and a limit", async () => {
      const a = minimalRequest({ createdAt: at(1), expiresAt: at(100) });
      const b = minimalRequest({
        createdAt: at(2),
        expiresAt: at(200),
        requesterId: "U_OTHER",
        approvals: [{ userId: "U_A", at: at(2) }],
        approvalsRequired: 2,
      });
      const c = minimalRequest({
        createdAt: at(3),
        expiresAt: at(300),
        state: "approved",
        params: { DBInstanceId: "pgm-xyz98765" },
      });
      for (const request of [a, b, c]) await store.create(request, requested, []);

      const ids = async (filter: Parameters<RequestStore["list"]>[0]) =>
        (await store.list(filter)).map((request) => request.id);
      expect(await ids({ limit: 10 })).toEqual([c.id, b.id, a.id]);
      expect(await ids({ limit: 2 })).toEqual([c.id, b.id]);
      expect(await ids({ limit: 10, states: ["pending"] })).toEqual([b.id, a.id]);
      expect(await ids({ limit: 10, states: ["pending", "approved"] })).toEqual([c.id, b.id, a.id]);
      expect(await ids({ limit: 10, states: [] })).toEqual([]);
      expect(await ids({ limit: 10, requesterId: "U_OTHER" })).toEqual([b.id]);
      expect(await ids({ limit: 10, instanceId: "pgm-xyz98765" })).toEqual([c.id]);
      expect(await ids({ limit: 10, expiresBefore: at(200) })).toEqual([a.id]);
      expect(await ids({ limit: 10, states: ["pending"], expiresBefore: at(201) })).toEqual([b.id, a.id]);
      expect(await ids({ limit: 0 })).toEqual([]);

      const [listedB] = await store.list({ limit: 1, requesterId: "U_OTHER" });
      expect(listedB).toEqual(b);
    });

    it("returns the audit trail oldest first", async () => {
      const request = minimalRequest({ approvalsRequired: 2 });
      await store.create(request, requested, []);
      await store.addApproval(request.id, "U_A", at(1_000), []);
      await store.addApproval(request.id, "U_B", at(2_000), []);
      nowMs = at(3_000).getTime();
      await store.transition(
        request.id,
        { from: "approved", to: "submitted" },
        { backupJobId: "55" },
        { type: "submitted", actor: "system", detail: { backupJobId: "55", retried: false, note: null } },
      );
      const trail = await store.auditTrail(request.id);
      expect(trail.map((event) => [event.type, event.actor, event.at.getTime()])).toEqual([
        ["requested", "U_REQUESTER", T0.getTime()],
        ["approval", "U_A", at(1_000).getTime()],
        ["approved", "U_B", at(2_000).getTime()],
        ["submitted", "system", at(3_000).getTime()],
      ]);
      expect(trail[1]?.detail).toEqual({ count: 1, required: 2 });
      expect(trail[3]?.detail).toEqual({ backupJobId: "55", retried: false, note: null });
      expect(trail.map((event) => event.id)).toEqual(
        [...trail.map((event) => event.id)].sort((x, y) => x - y),
      );
      expect(await store.auditTrail("req-0000000000")).toEqual([]);
    });
  });

  // ─── transition ───────────────────────────────────────────────────────────────────────────────

  describe("transition", () => {
    it.each(LEGAL_MOVES)("moves %s → %s with its patch, audit event and notifications", async (from, to) => {
      const request = minimalRequest({ state: from });
      await store.create(request, requested, []);
      nowMs = at(5_000).getTime();
      const patch = {
        decidedBy: "U_DECIDER",
        decidedAt: at(4_999),
        reason: "because",
        backupJobId: "4242",
        apiRequestId: "REQ-1",
        submittedAt: at(4_000),
        error: FULL_ERROR,
      };
      const moved = await store.transition(
        request.id,
        { from, to } as never,
        patch,
        { type: "needs_attention", actor: "system", detail: { to } },
        [thread("system", `moved-${to}`)],
      );
      const expected = { ...request, ...patch, state: to, updatedAt: at(5_000) };
      expect(moved).toEqual(expected);
      expect(await store.get(request.id)).toEqual(expected);
      const trail = await store.auditTrail(request.id);
      expect(trail.map((event) => event.type)).toEqual(["requested", "needs_attention"]);
      expect(trail[1]?.at).toEqual(at(5_000));
      expect((await drainAll()).map((item) => item.notification)).toEqual([thread("system", `moved-${to}`)]);
    });

    it("does nothing when the request is no longer in the move's from state", async () => {
      const request = minimalRequest();
      await store.create(request, requested, []);
      const first = await store.transition(
        request.id,
        { from: "pending", to: "rejected" },
        { reason: "no" },
        {
          type: "rejected",
          actor: "U_A",
        },
      );
      expect(first?.state).toBe("rejected");
      const lost = await store.transition(
        request.id,
        { from: "pending", to: "approved" },
        { decidedBy: "U_B" },
        { type: "approved", actor: "U_B" },
        [thread("U_B"), card],
      );
      expect(lost).toBeUndefined();
      const after = await store.get(request.id);
      expect(after?.state).toBe("rejected");
      expect(after?.decidedBy).toBeUndefined();
      expect((await store.auditTrail(request.id)).map((event) => event.type)).toEqual([
        "requested",
        "rejected",
      ]);
      expect(await store.outboxEmpty()).toBe(true);
      expect(
        await store.transition(
          "req-0000000000",
          { from: "pending", to: "expired" },
          {},
          {
            type: "expired",
            actor: "system",
          },
        ),
      ).toBeUndefined();
    });

    it("lets exactly one of many concurrent moves from the same state win", async () => {
      const request = minimalRequest();
      await store.create(request, requested, []);
      const targets = ["approved", "rejected", "cancelled", "expired"] as const;
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => {
          const to = targets[i % targets.length] ?? "expired";
          return store.transition(
            request.id,
            { from: "pending", to },
            { reason: `r${i}` },
            { type: to === "approved" ? "approved" : to, actor: `U_${i}` },
            [thread(`U_${i}`)],
          );
        }),
      );
      const winners = results.filter((result) => result !== undefined);
      expect(winners).toHaveLength(1);
      const winner = winners[0];
      expect((await store.get(request.id))?.state).toBe(winner?.state);
      expect(await store.auditTrail(request.id)).toHaveLength(2);
      expect(await drainAll()).toHaveLength(1);
    });

    it("clears a field the patch names with undefined and keeps the ones it does not name", async () => {
      const request = fullRequest({ state: "needs_attention" });
      await store.create(request, requested, []);
      const moved = await store.transition(
        request.id,
        { from: "needs_attention", to: "submitted" },
        { error: undefined, backupJobId: "777" },
        { type: "reconciled", actor: "system" },
      );
      expect(moved?.error).toBeUndefined();
      expect(moved && Object.hasOwn(moved, "error")).toBe(false);
      expect(moved?.backupJobId).toBe("777");
      expect(moved?.reason).toBe(request.reason);
      expect(moved?.approvals).toEqual(request.approvals);
      expect(moved?.card).toEqual(request.card);
    });

    it("refuses an illegal move", async () => {
      const request = minimalRequest();
      await store.create(request, requested, []);
      await expect(
        store.transition(request.id, { from: "pending", to: "submitted" } as never, {}, requested),
      ).rejects.toThrow(/illegal/);
      expect((await store.get(request.id))?.state).toBe("pending");
    });

    it("rolls the move back when a later write of the same transaction fails", async () => {
      const request = minimalRequest();
      await store.create(request, requested, []);
      const unserialisable = {
        kind: "thread",
        event: { type: "approval_recorded", by: "U_A", count: 1n, required: 2 },
      } as unknown as Notification;
      await expect(
        store.transition(
          request.id,
          { from: "pending", to: "cancelled" },
          {},
          { type: "cancelled", actor: "U_A" },
          [unserialisable],
        ),
      ).rejects.toThrow();
      expect((await store.get(request.id))?.state).toBe("pending");
      expect((await store.auditTrail(request.id)).map((event) => event.type)).toEqual(["requested"]);
      expect(await store.outboxEmpty()).toBe(true);
    });
  });

  // ─── addApproval ──────────────────────────────────────────────────────────────────────────────

  describe("addApproval", () => {
    it("answers not_found for an unknown request", async () => {
      expect(await store.addApproval("req-0000000000", "U_A", at(1), [])).toEqual({ kind: "not_found" });
    });

    it("records, then approves on the last approval needed, then refuses", async () => {
      const request = minimalRequest({ approvalsRequired: 2 });
      await store.create(request, requested, []);
      const first = await store.addApproval(request.id, "U_A", at(1_000), [thread("U_A")]);
      expect(first.kind).toBe("recorded");
      if (first.kind !== "recorded") throw new Error("unreachable");
      expect(first.request.state).toBe("pending");
      expect(first.request.approvals).toEqual([{ userId: "U_A", at: at(1_000) }]);
      expect(first.request.updatedAt).toEqual(at(1_000));
      expect(await store.outboxEmpty()).toBe(true);

      const again = await store.addApproval(request.id, "U_A", at(1_500), []);
      expect(again.kind).toBe("duplicate");

      const second = await store.addApproval(request.id, "U_B", at(2_000), [thread("U_B", "approved"), card]);
      expect(second.kind).toBe("approved");
      if (second.kind !== "approved") throw new Error("unreachable");
      expect(second.request.state).toBe("approved");
      expect(second.request.approvals.map((a) => a.userId)).toEqual(["U_A", "U_B"]);
      expect(await store.get(request.id)).toEqual(second.request);

      const late = await store.addApproval(request.id, "U_C", at(3_000), [thread("U_C")]);
      expect(late.kind).toBe("not_pending");
      if (late.kind !== "not_pending") throw new Error("unreachable");
      expect(late.request.approvals).toHaveLength(2);

      expect((await store.auditTrail(request.id)).map((event) => [event.type, event.actor])).toEqual([
        ["requested", "U_REQUESTER"],
        ["approval", "U_A"],
        ["approved", "U_B"],
      ]);
      expect((await drainAll()).map((item) => item.notification)).toEqual([thread("U_B", "approved"), card]);
    });

    it("gives exactly one of ten concurrent approvers of a 1-approval request `approved`", async () => {
      const request = minimalRequest({ approvalsRequired: 1 });
      await store.create(request, requested, []);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          store.addApproval(request.id, `U_${i}`, at(i), [thread(`U_${i}`)]),
        ),
      );
      expect(kinds(results)).toEqual({ approved: 1, not_pending: 9 });
      const after = await store.get(request.id);
      expect(after?.state).toBe("approved");
      expect(after?.approvals).toHaveLength(1);
      expect((await store.auditTrail(request.id)).map((event) => event.type)).toEqual([
        "requested",
        "approved",
      ]);
      expect(await drainAll()).toHaveLength(1);
    });

    it("counts ten concurrent approvals by the same person once", async () => {
      const request = minimalRequest({ approvalsRequired: 2 });
      await store.create(request, requested, []);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => store.addApproval(request.id, "U_SAME", at(i), [card])),
      );
      expect(kinds(results)).toEqual({ recorded: 1, duplicate: 9 });
      const after = await store.get(request.id);
      expect(after?.state).toBe("pending");
      expect(after?.approvals.map((a) => a.userId)).toEqual(["U_SAME"]);
      expect((await store.auditTrail(request.id)).map((event) => event.type)).toEqual([
        "requested",
        "approval",
      ]);
      expect(await store.outboxEmpty()).toBe(true);
    });

    it("never leaves a 2-approval request pending with two approvals under concurrent approvers", async () => {
      const requests = Array.from({ length: 8 }, () => minimalRequest({ approvalsRequired: 2 }));
      for (const request of requests) await store.create(request, requested, []);
      const all = await Promise.all(
        requests.map((request) =>
          Promise.all(
            Array.from({ length: 6 }, (_, i) => store.addApproval(request.id, `U_${i}`, at(i), [card])),
          ),
        ),
      );
      for (const [index, results] of all.entries()) {
        expect(kinds(results)).toEqual({ recorded: 1, approved: 1, not_pending: 4 });
        const after = await store.get(requests[index]?.id ?? "");
        expect(after?.state).toBe("approved");
        expect(after?.approvals).toHaveLength(2);
      }
      expect(await drainAll()).toHaveLength(requests.length);
    });

    it("stays race-free between two store instances (two pools)", async (context) => {
      if (harness.name !== "postgres") {
        // Two SQLite handles in one thread cannot wait for each other (better-sqlite3 blocks the
        // thread while busy); the cross-process SQLite test covers this (sqlite-processes.test.ts).
        context.skip();
      }
      const other = await open();
      const single = minimalRequest({ approvalsRequired: 1 });
      const double = minimalRequest({ approvalsRequired: 2 });
      const same = minimalRequest({ approvalsRequired: 2 });
      for (const request of [single, double, same]) await store.create(request, requested, []);
      const pick = (i: number) => (i % 2 === 0 ? store : other);

      const [singles, doubles, sames] = await Promise.all([
        Promise.all(
          Array.from({ length: 10 }, (_, i) => pick(i).addApproval(single.id, `U_${i}`, at(i), [card])),
        ),
        Promise.all(
          Array.from({ length: 10 }, (_, i) => pick(i).addApproval(double.id, `U_${i}`, at(i), [card])),
        ),
        Promise.all(
          Array.from({ length: 10 }, (_, i) => pick(i).addApproval(same.id, "U_SAME", at(i), [card])),
        ),
      ]);
      expect(kinds(singles)).toEqual({ approved: 1, not_pending: 9 });
      expect(kinds(doubles)).toEqual({ recorded: 1, approved: 1, not_pending: 8 });
      expect(kinds(sames)).toEqual({ recorded: 1, duplicate: 9 });
      expect((await other.get(double.id))?.approvals).toHaveLength(2);
      expect((await store.get(same.id))?.state).toBe("pending");
      expect(await drainAll()).toHaveLength(2);
    });
  });

  // ─── outbox ───────────────────────────────────────────────────────────────────────────────────

  describe("outbox", () => {
    const now = at(100_000);
    const lease = 30_000;

    async function withNotifications(...notifications: Notification[]) {
      const request = minimalRequest();
      await store.create(request, requested, notifications);
      return request;
    }

    it("hands out one item per destination of a request, always its oldest undelivered one", async () => {
      // The card and its thread share a destination; the requester is another.
      const r1 = await withNotifications(card, filed, thread("U_1"));
      const r2 = await withNotifications(card, filed);
      const first = await store.claimNotifications("w1", now, lease, 10);
      expect(first.map((item) => [item.requestId, item.notification])).toEqual([
        [r1.id, card],
        [r1.id, filed],
        [r2.id, card],
        [r2.id, filed],
      ]);
      // Every head is leased: nothing else may go, not even to the same owner.
      expect(await store.claimNotifications("w2", now, lease, 10)).toEqual([]);
      expect(await store.claimNotifications("w1", now, lease, 10)).toEqual([]);

      const [r1Card, r1Filed, r2Card, r2Filed] = first;
      // The requester's message going out does not let the card's reply overtake the card.
      await store.markDelivered(r1Filed?.id ?? 0, "w1");
      expect(await store.claimNotifications("w2", now, lease, 10)).toEqual([]);
      await store.markDelivered(r1Card?.id ?? 0, "w1");
      const second = await store.claimNotifications("w2", now, lease, 10);
      expect(second.map((item) => [item.requestId, item.notification])).toEqual([[r1.id, thread("U_1")]]);
      for (const item of [r2Card, r2Filed]) await store.markDelivered(item?.id ?? 0, "w1");
      await store.markDelivered(second[0]?.id ?? 0, "w2");
      expect(await store.outboxEmpty()).toBe(true);
      expect(await store.claimNotifications("w1", now, lease, 10)).toEqual([]);
    });

    it("sets an item aside: out of the outbox, the next one of its destination goes", async () => {
      const request = await withNotifications(card, thread("U_1"));
      const [head] = await store.claimNotifications("w1", now, lease, 10);
      await store.setAside(head?.id ?? 0, "w2", "not this owner's"); // ignored
      expect(await store.claimNotifications("w1", now, lease, 10)).toEqual([]);
      await store.setAside(head?.id ?? 0, "w1", "not_in_channel: Slack answered not_in_channel");
      const next = await store.claimNotifications("w1", now, lease, 10);
      expect(next.map((item) => [item.requestId, item.notification])).toEqual([[request.id, thread("U_1")]]);
      const rows = await harness.raw(
        harness.name === "postgres"
          ? "select attempts, last_error, set_aside_at, destination from outbox where id = $1"
          : "select attempts, last_error, set_aside_at, destination from outbox where id = ?",
        [head?.id],
      );
      expect(rows[0]).toMatchObject({ attempts: 1, destination: "approval" });
      expect(String(rows[0]?.last_error)).toMatch(/^not_in_channel/);
      expect(Number(rows[0]?.set_aside_at)).toBeGreaterThan(0);
      await store.markDelivered(next[0]?.id ?? 0, "w1");
      expect(await store.outboxEmpty()).toBe(true);
    });

    it("keeps the first card stored: a second one is refused and the first returned", async () => {
      const request = await withNotifications();
      const first = { channel: "C_APPROVALS", ts: "1767225600.000200" };
      expect(await store.setCard(request.id, first)).toEqual(first);
      expect(await store.setCard(request.id, { channel: "C_APPROVALS", ts: "1767225601.000300" })).toEqual(
        first,
      );
      expect((await store.get(request.id))?.card).toEqual(first);
      expect(await store.setCard("req-0000000000", first)).toBeUndefined();
    });

    it("honours the limit, oldest requests first", async () => {
      const requests = [];
      for (let i = 0; i < 5; i++) requests.push(await withNotifications(card));
      const claimed = await store.claimNotifications("w1", now, lease, 3);
      expect(claimed.map((item) => item.requestId)).toEqual(requests.slice(0, 3).map((r) => r.id));
      expect(await store.claimNotifications("w1", now, lease, 0)).toEqual([]);
    });

    it("lets a lease expire and another owner take the item over", async () => {
      await withNotifications(card, thread("U_1"));
      const [item] = await store.claimNotifications("w1", now, lease, 10);
      expect(item?.attempts).toBe(0);
      expect(await store.claimNotifications("w2", new Date(now.getTime() + lease - 1), lease, 10)).toEqual(
        [],
      );
      const taken = await store.claimNotifications("w2", new Date(now.getTime() + lease), lease, 10);
      expect(taken.map((i) => i.id)).toEqual([item?.id]);

      // The first owner lost its lease: its late reports change nothing.
      await store.markDelivered(item?.id ?? 0, "w1");
      await store.markFailed(item?.id ?? 0, "w1", now, "late");
      expect(await store.claimNotifications("w3", new Date(now.getTime() + lease + 1), lease, 10)).toEqual(
        [],
      );

      await store.markDelivered(item?.id ?? 0, "w2");
      const next = await store.claimNotifications("w3", new Date(now.getTime() + lease + 1), lease, 10);
      expect(next.map((i) => i.notification)).toEqual([thread("U_1")]);
    });

    it("retries a failed item at its retry time, holding back its destination's later items", async () => {
      const request = await withNotifications(card, thread("U_1"));
      const other = await withNotifications(card);
      const [head] = await store.claimNotifications("w1", now, lease, 1);
      expect(head?.requestId).toBe(request.id);
      const retryAt = new Date(now.getTime() + 5_000);
      await store.markFailed(head?.id ?? 0, "w1", retryAt, "slack said 500");

      const before = await store.claimNotifications("w1", new Date(retryAt.getTime() - 1), lease, 10);
      expect(before.map((item) => item.requestId)).toEqual([other.id]);
      const rows = await harness.raw(
        harness.name === "postgres"
          ? "select attempts, last_error, next_attempt_at, lease_owner from outbox where id = $1"
          : "select attempts, last_error, next_attempt_at, lease_owner from outbox where id = ?",
        [head?.id],
      );
      expect(rows[0]).toMatchObject({ attempts: 1, last_error: "slack said 500", lease_owner: null });
      expect(Number(rows[0]?.next_attempt_at)).toBe(retryAt.getTime());

      const retried = await store.claimNotifications("w2", retryAt, lease, 10);
      expect(retried).toEqual([{ id: head?.id, requestId: request.id, notification: card, attempts: 1 }]);
      await store.markFailed(head?.id ?? 0, "w2", retryAt, "again");
      const third = await store.claimNotifications("w2", retryAt, lease, 10);
      expect(third[0]?.attempts).toBe(2);
    });

    it("stores a notification with a dedupe key once per request", async () => {
      const request = await withNotifications(thread("U_A", "job-announced"));
      const other = await withNotifications(thread("U_A", "job-announced"));
      await store.enqueue(request.id, [thread("U_B", "job-announced"), card, card]);
      await store.enqueue(request.id, [thread("U_C", "fresh"), thread("U_C", "fresh")]);
      await store.transition(
        request.id,
        { from: "pending", to: "cancelled" },
        {},
        { type: "cancelled", actor: "U_R" },
        [thread("U_D", "job-announced"), thread("U_D", "fresh"), filed],
      );
      const all = await drainAll();
      const items = all.filter((item) => item.requestId === request.id);
      expect(
        items.filter((item) => item.notification.kind !== "requester").map((item) => item.notification),
      ).toEqual([thread("U_A", "job-announced"), card, card, thread("U_C", "fresh")]);
      expect(
        items.filter((item) => item.notification.kind === "requester").map((item) => item.notification),
      ).toEqual([filed]);
      expect(all.filter((item) => item.requestId === other.id)).toHaveLength(1);
      // Delivered items still count: the announcement is never stored again.
      await store.enqueue(request.id, [thread("U_E", "job-announced")]);
      expect(await store.outboxEmpty()).toBe(true);
    });

    it("refuses to enqueue for an unknown request", async () => {
      await expect(store.enqueue("req-0000000000", [card])).rejects.toThrow(/no request/);
      await store.enqueue("req-0000000000", []);
    });

    it("reports whether anything is waiting", async () => {
      expect(await store.outboxEmpty()).toBe(true);
      const request = await withNotifications();
      expect(await store.outboxEmpty()).toBe(true);
      await store.enqueue(request.id, [card]);
      expect(await store.outboxEmpty()).toBe(false);
      const [item] = await store.claimNotifications("w1", now, lease, 10);
      expect(await store.outboxEmpty()).toBe(false);
      await store.markFailed(item?.id ?? 0, "w1", new Date(now.getTime() + 60_000), "down");
      expect(await store.outboxEmpty()).toBe(false);
      const [again] = await store.claimNotifications("w1", new Date(now.getTime() + 60_000), lease, 10);
      await store.markDelivered(again?.id ?? 0, "w1");
      expect(await store.outboxEmpty()).toBe(true);
    });

    it("never hands the same item to two concurrent claimers", async () => {
      const stores = harness.name === "postgres" ? [store, await open()] : [store];
      for (let i = 0; i < 20; i++) await withNotifications(card, thread("U_1"));
      const rounds = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          (stores[i % stores.length] ?? store).claimNotifications(`w${i}`, now, lease, 5),
        ),
      );
      const ids = rounds.flat().map((item) => item.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBeLessThanOrEqual(20);
      const requestIds = rounds.flat().map((item) => item.requestId);
      expect(new Set(requestIds).size).toBe(requestIds.length);
      expect(rounds.flat().every((item) => item.notification.kind === "card")).toBe(true);
    });

    /** Claims the head of the request's approval lane and sets it aside, as the dispatcher does. */
    async function setAsideHead(
      requestId: string,
      error = "not_in_channel: Slack answered not_in_channel",
    ): Promise<void> {
      const items = await store.claimNotifications("w1", now, lease, 100);
      const head = items.find(
        (item) => item.requestId === requestId && item.notification.kind !== "requester",
      );
      for (const item of items) if (item !== head) await store.markFailed(item.id, "w1", now, "later");
      await store.setAside(head?.id ?? 0, "w1", error);
    }

    it("puts a live request's set-aside card and replies back once, in order, the note behind them", async () => {
      const note: Notification = {
        kind: "requester",
        event: { type: "approval_posted" },
        dedupeKey: "requester:approval_posted",
      };
      const live = await withNotifications(card, thread("U_1"));
      await setAsideHead(live.id);
      await setAsideHead(live.id);
      const ended = await withNotifications(card);
      await setAsideHead(ended.id);
      await store.transition(
        ended.id,
        { from: "pending", to: "expired" },
        {},
        { type: "expired", actor: "system" },
      );
      expect(await store.outboxEmpty()).toBe(true);

      // Another channel is not the approval channel's: nothing there.
      expect(await store.releaseSetAside("C_ELSEWHERE", "C_APPROVALS", [note], FIXED_BY_ACCESS)).toEqual([]);
      // Two releasers at once (on PostgreSQL from two pools): each item goes back once.
      const stores = harness.name === "postgres" ? [store, await open()] : [store, store];
      const results = await Promise.all(
        stores.map((s) => s.releaseSetAside("C_APPROVALS", "C_APPROVALS", [note], FIXED_BY_ACCESS)),
      );
      expect(results.flat()).toEqual([{ requestId: live.id, count: 2, card: true }]);
      expect(await store.releaseSetAside("C_APPROVALS", "C_APPROVALS", [note], FIXED_BY_ACCESS)).toEqual([]);

      // Back in their old order, the card first; the expired request's card stays set aside.
      const order: Notification[] = [];
      for (let round = 0; round < 5; round++) {
        const items = await store.claimNotifications("w1", now, lease, 10);
        for (const item of items) {
          expect(item.requestId).toBe(live.id);
          order.push(item.notification);
          await store.markDelivered(item.id, "w1");
        }
      }
      expect(order).toEqual([card, thread("U_1"), note]);
      expect(await store.outboxEmpty()).toBe(true);
    });

    it("keeps set aside what Slack refused for what it is: joining the channel does not fix it", async () => {
      const request = await withNotifications(card);
      await setAsideHead(request.id, "msg_too_long: Slack answered msg_too_long");
      expect(await store.releaseSetAside("C_APPROVALS", "C_APPROVALS", [card], FIXED_BY_ACCESS)).toEqual([]);
      expect(await store.outboxEmpty()).toBe(true);
    });

    it("releases the replies of a posted card in its own channel, with no note", async () => {
      const request = await withNotifications(thread("U_1"));
      await store.setCard(request.id, { channel: "C_OLD", ts: "1767225600.000200" });
      await setAsideHead(request.id);
      expect(await store.releaseSetAside("C_APPROVALS", "C_APPROVALS", [card], FIXED_BY_ACCESS)).toEqual([]);
      expect(await store.releaseSetAside("C_OLD", "C_APPROVALS", [card], FIXED_BY_ACCESS)).toEqual([
        { requestId: request.id, count: 1, card: false },
      ]);
      const items = await store.claimNotifications("w1", now, lease, 10);
      expect(items.map((item) => item.notification)).toEqual([thread("U_1")]);
    });
  });

  // ─── starting a backup ────────────────────────────────────────────────────────────────────────

  describe("starting a backup: lease and CreateBackup calls", () => {
    async function approved(): Promise<string> {
      const request = minimalRequest();
      await store.create(request, requested, []);
      expect((await store.addApproval(request.id, "U_A", clock(), [])).kind).toBe("approved");
      return request.id;
    }
    const until = (ms: number) => new Date(nowMs + ms);
    const called: AuditEvent = { type: "create_backup_called", actor: "system", detail: { call: 1 } };

    it("leases an approved request to one owner at a time, until the lease runs out", async () => {
      const id = await approved();
      expect(await store.leaseApproved(id, "A", clock(), until(10_000), 0)).toBeDefined();
      expect(await store.leaseApproved(id, "B", clock(), until(10_000), 0)).toBeUndefined();
      expect(await store.leaseApproved(id, "A", clock(), until(20_000), 0)).toBeDefined(); // renewed
      nowMs += 15_000;
      expect(await store.leaseApproved(id, "B", clock(), until(10_000), 0)).toBeUndefined();
      nowMs += 10_000;
      expect(await store.leaseApproved(id, "B", clock(), until(10_000), 0)).toBeDefined();
    });

    it("takes an approved request nobody ever leased only once it has been idle long enough", async () => {
      const id = await approved();
      expect(await store.leaseApproved(id, "R", clock(), until(10_000), 60_000)).toBeUndefined();
      nowMs += 60_000;
      expect(await store.leaseApproved(id, "R", clock(), until(10_000), 60_000)).toBeDefined();
    });

    it("gives a released lease to the next owner at once", async () => {
      const id = await approved();
      await store.leaseApproved(id, "A", clock(), until(60_000), 0);
      await store.releaseLease(id, "B", clock()); // not B's: nothing happens
      expect(await store.leaseApproved(id, "B", clock(), until(10_000), 0)).toBeUndefined();
      await store.releaseLease(id, "A", clock());
      expect(await store.leaseApproved(id, "B", clock(), until(10_000), 0)).toBeDefined();
    });

    it("leases only approved requests, and a move ends the lease", async () => {
      const pending = minimalRequest();
      await store.create(pending, requested, []);
      expect(await store.leaseApproved(pending.id, "A", clock(), until(10_000), 0)).toBeUndefined();
      const id = await approved();
      await store.leaseApproved(id, "A", clock(), until(60_000), 0);
      await store.transition(
        id,
        { from: "approved", to: "needs_attention" },
        {},
        { type: "needs_attention", actor: "system" },
      );
      await store.transition(
        id,
        { from: "needs_attention", to: "approved" },
        {},
        { type: "started_again", actor: "U_B" },
      );
      expect(await store.leaseApproved(id, "B", clock(), until(10_000), 0)).toBeDefined();
    });

    it("counts each CreateBackup call once, for the lease holder only, whatever the races", async () => {
      const id = await approved();
      await store.leaseApproved(id, "A", clock(), until(60_000), 0);
      expect(await store.countCreateCall(id, "B", 0, {}, called)).toBeUndefined();
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          store.countCreateCall(id, "A", 0, { submittedAt: clock() }, called, [thread("U_A")]),
        ),
      );
      expect(results.filter((result) => result !== undefined)).toHaveLength(1);
      const got = await store.get(id);
      expect(got?.createCalls).toBe(1);
      expect(got?.submittedAt?.getTime()).toBe(nowMs);
      expect(
        (await store.auditTrail(id)).filter((event) => event.type === "create_backup_called"),
      ).toHaveLength(1);
      expect(await drainAll()).toHaveLength(1);
      expect(await store.countCreateCall(id, "A", 1, {}, called)).toBeDefined();
      expect((await store.get(id))?.createCalls).toBe(2);
    });

    it("records progress for the lease holder while the request is approved, and not after", async () => {
      const id = await approved();
      await store.leaseApproved(id, "A", clock(), until(60_000), 0);
      const start = {
        unclear: 1,
        phase: {
          kind: "watching" as const,
          code: "Timeout",
          at: clock(),
          decideAt: until(90_000),
          mayCallAgain: true,
        },
      };
      expect(await store.recordStart(id, "B", { start })).toBeUndefined();
      const noted = await store.recordStart(id, "A", { start }, { type: "unclear_answer", actor: "system" }, [
        card,
      ]);
      expect(noted?.start).toEqual(start);
      expect((await store.get(id))?.start).toEqual(start);
      await store.transition(
        id,
        { from: "approved", to: "needs_attention" },
        {},
        { type: "needs_attention", actor: "system" },
      );
      expect(await store.recordStart(id, "A", { start })).toBeUndefined();
      // A note on a request that needs attention, with its audit event.
      expect(
        await store.annotate(id, "needs_attention", {}, { type: "checked_again", actor: "U_B" }, [card]),
      ).toBeDefined();
      expect(
        await store.annotate(id, "approved", {}, { type: "checked_again", actor: "U_B" }),
      ).toBeUndefined();
      expect((await store.auditTrail(id)).map((event) => event.type)).toEqual([
        "requested",
        "approved",
        "unclear_answer",
        "needs_attention",
        "checked_again",
      ]);
    });
  });

  // ─── scheduled runs ───────────────────────────────────────────────────────────────────────────

  describe("scheduled runs: approved for later, claimed when due", () => {
    const plan = { startAt: at(3_600_000), deadline: at(7_200_000) };
    const scheduledNote: Notification = {
      kind: "thread",
      event: {
        type: "scheduled",
        by: "U_A",
        startAt: plan.startAt.toISOString(),
        deadline: plan.deadline.toISOString(),
      },
      dedupeKey: "thread:approved",
    };

    async function scheduled(): Promise<string> {
      const request = minimalRequest({ schedule: { askedFor: plan.startAt, ...plan } });
      await store.create(request, requested, []);
      const result = await store.addApproval(request.id, "U_A", clock(), [thread("U_A")], {
        plan,
        notifications: [card, scheduledNote],
      });
      expect(result.kind).toBe("scheduled");
      return request.id;
    }

    it("moves the last approval before the start time to scheduled, with its own notes and audit", async () => {
      const id = await scheduled();
      const got = await store.get(id);
      expect(got?.state).toBe("scheduled");
      expect(got?.schedule).toEqual({ askedFor: plan.startAt, ...plan });
      expect((await store.auditTrail(id)).map((event) => event.type)).toEqual([
        "requested",
        "approved",
        "scheduled",
      ]);
      expect((await drainAll()).map((item) => item.notification)).toEqual([card, scheduledNote]);
      expect(await store.leaseApproved(id, "A", clock(), at(9_999_999), 0)).toBeUndefined();
    });

    it("is claimed only once due, by one claimer at a time, and again once the lease runs out", async () => {
      const id = await scheduled();
      expect(await store.claimScheduled("A", at(3_599_999), 60_000, 10)).toEqual([]);
      const claims = await Promise.all(
        ["A", "B", "C", "D", "E", "F"].map((owner) => store.claimScheduled(owner, plan.startAt, 60_000, 10)),
      );
      expect(claims.flat().map((request) => request.id)).toEqual([id]);
      expect(await store.claimScheduled("B", at(3_600_000 + 59_999), 60_000, 10)).toEqual([]);
      expect((await store.claimScheduled("B", at(3_600_000 + 60_000), 60_000, 10)).map((r) => r.id)).toEqual([
        id,
      ]);
    });

    it("records a check that did not start it, for the lease holder only, due again at the next try", async () => {
      const id = await scheduled();
      await store.claimScheduled("A", plan.startAt, 60_000, 10);
      const nextTryAt = at(3_660_000);
      const patch = {
        schedule: {
          askedFor: plan.startAt,
          ...plan,
          notReady: { checks: 1, since: plan.startAt, nextTryAt },
        },
      };
      expect(await store.recordScheduleCheck(id, "B", nextTryAt, patch)).toBeUndefined();
      const noted = await store.recordScheduleCheck(
        id,
        "A",
        nextTryAt,
        patch,
        { type: "schedule_not_ready", actor: "system" },
        [card],
      );
      expect(noted?.schedule?.notReady?.checks).toBe(1);
      // The lease is given back, and the run is due again only at the next try.
      expect(await store.claimScheduled("B", at(3_659_999), 60_000, 10)).toEqual([]);
      expect((await store.claimScheduled("B", nextTryAt, 60_000, 10)).map((r) => r.id)).toEqual([id]);
    });

    it("starts (or is cancelled) once whatever the races, and is no longer due after", async () => {
      const id = await scheduled();
      const started = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          i % 2 === 0
            ? store.transition(
                id,
                { from: "scheduled", to: "approved" },
                {},
                { type: "schedule_started", actor: "system" },
              )
            : store.transition(
                id,
                { from: "scheduled", to: "cancelled" },
                { decidedBy: "U_A" },
                { type: "cancelled", actor: "U_A" },
              ),
        ),
      );
      expect(started.filter((moved) => moved !== undefined)).toHaveLength(1);
      expect(await store.claimScheduled("A", at(9_000_000), 60_000, 10)).toEqual([]);
      const trail = (await store.auditTrail(id)).map((event) => event.type);
      expect(trail.filter((type) => type === "schedule_started" || type === "cancelled")).toHaveLength(1);
    });
  });

  // ─── migrations and restarts ──────────────────────────────────────────────────────────────────

  describe("migrations", () => {
    it("are idempotent", async () => {
      await store.migrate();
      await store.migrate();
      const rows = await harness.raw("select name from kysely_migration order by name");
      expect(rows.map((row) => row.name)).toEqual(MIGRATIONS.map((m) => m.name));
    });

    it("can run from two store instances at once", async (context) => {
      // Same-thread SQLite handles cannot wait for each other; sqlite-processes.test.ts covers SQLite.
      if (harness.name !== "postgres") context.skip();
      url = await harness.fresh();
      const stores = await Promise.all([1, 2, 3].map(() => openStore(url, { clock })));
      opened.push(...stores);
      await Promise.all(stores.map((s) => s.migrate()));
      const rows = await harness.raw("select name from kysely_migration order by name");
      expect(rows.map((row) => row.name)).toEqual(MIGRATIONS.map((m) => m.name));
      const request = minimalRequest();
      await stores[0]?.create(request, requested, []);
      expect((await stores[2]?.get(request.id))?.id).toBe(request.id);
    });

    it("keeps a pending request across a restart", async () => {
      const request = minimalRequest({ approvalsRequired: 2 });
      await store.create(request, requested, [card]);
      await store.addApproval(request.id, "U_A", at(1_000), []);
      await store.close();
      const reopened = await open();
      const got = await reopened.get(request.id);
      expect(got?.state).toBe("pending");
      expect(got?.approvals.map((a) => a.userId)).toEqual(["U_A"]);
      expect(await reopened.outboxEmpty()).toBe(false);
      expect((await reopened.addApproval(request.id, "U_B", at(2_000), [])).kind).toBe("approved");
    });
  });

  // ─── corrupt rows ─────────────────────────────────────────────────────────────────────────────

  describe("corrupt rows", () => {
    const placeholder = () => (harness.name === "postgres" ? "$1" : "?");

    it("fail loudly instead of returning a half-typed request", async () => {
      const request = minimalRequest();
      await store.create(request, requested, []);
      await harness.raw(
        `update backup_requests set params = '{"DBInstanceId": 5}' where id = ${placeholder()}`,
        [request.id],
      );
      await expect(store.get(request.id)).rejects.toThrow(CorruptRowError);
      await expect(store.get(request.id)).rejects.toThrow(/backup_requests row req-.*params/);
    });

    it("fail loudly on JSON that does not parse, or an unknown state", async () => {
      const a = minimalRequest();
      const b = minimalRequest();
      await store.create(a, requested, [card]);
      await store.create(b, requested, []);
      await harness.raw(`update backup_requests set instance = '{not json' where id = ${placeholder()}`, [
        a.id,
      ]);
      await harness.raw(`update backup_requests set state = 'limbo' where id = ${placeholder()}`, [b.id]);
      await harness.raw(`update outbox set notification = '{"kind":"smoke"}'`);
      await expect(store.get(a.id)).rejects.toThrow(/not JSON/);
      await expect(store.get(b.id)).rejects.toThrow(/unknown state/);
      await expect(store.claimNotifications("w", at(0), 1_000, 10)).rejects.toThrow(CorruptRowError);
    });
  });
});
