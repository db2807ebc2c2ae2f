import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "../../src/domain/duration.js";
import { defaultRule } from "../../src/domain/policy.js";
import {
  DEFAULT_REMIND_AFTER_MS,
  dueReminder,
  expiryLeadMs,
  type ReminderKind,
  remindAfterFor,
  reminderTimes,
  whoToRemind,
} from "../../src/domain/reminders.js";

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = new Date("2026-12-01T03:00:00Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const pending = (lifeMs = 24 * HOUR) => ({ state: "pending", createdAt: T0, expiresAt: at(lifeMs) }) as const;

/** Every reminder a request gets when a runner looks every `stepMs`, recording what it sends. */
function playedOut(request: ReturnType<typeof pending>, after: number | "off", stepMs = MIN) {
  const sent: { kind: ReminderKind; at: number }[] = [];
  for (let t = 0; t <= request.expiresAt.getTime() - T0.getTime() + HOUR; t += stepMs) {
    const kind = dueReminder(
      request,
      after,
      sent.map((one) => one.kind),
      at(t),
    );
    if (kind) sent.push({ kind, at: t });
  }
  return sent;
}

describe("when a pending request reminds its approvers", () => {
  it("reminds once after remind_after and once 15 minutes before it expires, and never again", () => {
    expect(playedOut(pending(), 2 * HOUR)).toEqual([
      { kind: "waiting", at: 2 * HOUR },
      { kind: "expiring", at: 24 * HOUR - 15 * MIN },
    ]);
    expect(DEFAULT_REMIND_AFTER_MS).toBe(2 * HOUR);
  });

  it("gives a short-lived request its last call a quarter of its life before the end", () => {
    const short = pending(40 * MIN);
    expect(expiryLeadMs(short)).toBe(10 * MIN);
    expect(expiryLeadMs(pending(24 * HOUR))).toBe(15 * MIN);
    expect(playedOut(short, 5 * MIN)).toEqual([
      { kind: "waiting", at: 5 * MIN },
      { kind: "expiring", at: 30 * MIN },
    ]);
  });

  it("sends only the last call when the first would come after it (or was missed)", () => {
    expect(playedOut(pending(HOUR), 2 * HOUR)).toEqual([{ kind: "expiring", at: 45 * MIN }]);
    // No runner looked between the two times (the bot was down): one post, not two in a row.
    expect(dueReminder(pending(), 2 * HOUR, [], at(23 * HOUR + 50 * MIN))).toBe("expiring");
    expect(dueReminder(pending(), 2 * HOUR, ["expiring"], at(23 * HOUR + 55 * MIN))).toBeUndefined();
  });

  it("sends nothing when off, once expired, or for a request that is not pending", () => {
    expect(playedOut(pending(), "off")).toEqual([]);
    expect(reminderTimes(pending(), "off")).toBeUndefined();
    expect(dueReminder(pending(), 2 * HOUR, [], at(24 * HOUR))).toBeUndefined();
    for (const state of ["approved", "scheduled", "rejected", "cancelled", "expired", "submitted"] as const) {
      expect(dueReminder({ ...pending(), state }, 2 * HOUR, [], at(3 * HOUR))).toBeUndefined();
    }
  });

  it("takes the rule's remind_after over the environment's", () => {
    const rule = defaultRule({ userIds: ["U0A"], usergroupIds: [], allowSelfApproval: false });
    expect(remindAfterFor(rule, 2 * HOUR)).toBe(2 * HOUR);
    expect(remindAfterFor({ ...rule, remindAfter: 30 * MIN }, 2 * HOUR)).toBe(30 * MIN);
    expect(remindAfterFor({ ...rule, remindAfter: "off" }, 2 * HOUR)).toBe("off");
    expect(remindAfterFor({ ...rule, remindAfter: 30 * MIN }, "off")).toBe(30 * MIN);
    expect(remindAfterFor(undefined, "off")).toBe("off");
  });
});

describe("who a reminder mentions", () => {
  const rule = defaultRule({
    userIds: ["U0REQUESTER", "U0BOB", "U0CAROL"],
    usergroupIds: ["S0DBAS"],
    allowSelfApproval: false,
  });
  const request = { requesterId: "U0REQUESTER", allowSelfApproval: false, approvals: [] };

  it("names the rule's approver users and groups, not the requester who may not approve", () => {
    expect(whoToRemind(rule, request)).toEqual({ userIds: ["U0BOB", "U0CAROL"], usergroupIds: ["S0DBAS"] });
    expect(whoToRemind(rule, { ...request, allowSelfApproval: true })).toEqual({
      userIds: ["U0REQUESTER", "U0BOB", "U0CAROL"],
      usergroupIds: ["S0DBAS"],
    });
  });

  it("leaves out who already approved, and names nobody without a rule", () => {
    expect(whoToRemind(rule, { ...request, approvals: [{ userId: "U0BOB", at: T0 }] })).toEqual({
      userIds: ["U0CAROL"],
      usergroupIds: ["S0DBAS"],
    });
    expect(whoToRemind(undefined, request)).toEqual({ userIds: [], usergroupIds: [] });
  });
});

describe("durations", () => {
  it("reads and writes the contract's notation", () => {
    expect(parseDuration("90s")).toBe(90_000);
    expect(parseDuration("2h")).toBe(2 * HOUR);
    expect(parseDuration("1d")).toBe(24 * HOUR);
    for (const wrong of ["", "2", "1.5h", "2 h", "-1m", "2H", "off"])
      expect(parseDuration(wrong)).toBeUndefined();
    expect(formatDuration(2 * HOUR)).toBe("2h");
    expect(formatDuration(90_000)).toBe("90s");
    expect(formatDuration(30 * MIN)).toBe("30m");
    expect(formatDuration(48 * HOUR)).toBe("2d");
  });
});
