import { describe, expect, it } from "vitest";
import { defaultRule, mayDecide, mayRequest, type PolicyRule, ruleFor } from "../../src/domain/policy.js";

const rule = defaultRule({ userIds: ["UAPPROVER"], usergroupIds: ["SDBAS"], allowSelfApproval: false });
const request = { requesterId: "UASKER", allowSelfApproval: false, approvals: [] };
const none = new Set<string>();

describe("approval policy", () => {
  it("lets listed approvers and group members decide", () => {
    expect(mayDecide(rule, request, { userId: "UAPPROVER", groups: none }, "approve")).toEqual({ ok: true });
    expect(mayDecide(rule, request, { userId: "UMEMBER", groups: new Set(["SDBAS"]) }, "approve")).toEqual({
      ok: true,
    });
    expect(mayDecide(rule, request, { userId: "UOTHER", groups: none }, "approve")).toEqual({
      ok: false,
      reason: "not_approver",
    });
    expect(mayDecide(rule, request, { userId: "UOTHER", groups: none }, "reject")).toEqual({
      ok: false,
      reason: "not_approver",
    });
  });

  it("refuses self-approval unless allowed, but lets an approver reject their own request", () => {
    const own = { ...request, requesterId: "UAPPROVER" };
    expect(mayDecide(rule, own, { userId: "UAPPROVER", groups: none }, "approve")).toEqual({
      ok: false,
      reason: "self_approval",
    });
    expect(
      mayDecide(rule, { ...own, allowSelfApproval: true }, { userId: "UAPPROVER", groups: none }, "approve"),
    ).toEqual({
      ok: true,
    });
    expect(mayDecide(rule, own, { userId: "UAPPROVER", groups: none }, "reject")).toEqual({ ok: true });
  });

  it("refuses a second approval by the same person", () => {
    const approved = { ...request, approvals: [{ userId: "UAPPROVER", at: new Date() }] };
    expect(mayDecide(rule, approved, { userId: "UAPPROVER", groups: none }, "approve")).toEqual({
      ok: false,
      reason: "already_approved",
    });
  });

  it("matches rules by instance pattern, region and engine, first match wins", () => {
    const prod: PolicyRule = {
      ...rule,
      name: "prod",
      match: { instanceIds: ["rm-prod*"], regions: ["ap-northeast-1"], engines: ["MySQL"] },
      approvalsRequired: 2,
    };
    const policy = { rules: [prod, rule] };
    expect(ruleFor(policy, { id: "rm-prod001", regionId: "ap-northeast-1", engine: "MySQL" })?.name).toBe(
      "prod",
    );
    expect(ruleFor(policy, { id: "rm-prod001", regionId: "cn-hangzhou", engine: "MySQL" })?.name).toBe(
      "default",
    );
    expect(ruleFor(policy, { id: "rm-dev001", regionId: "ap-northeast-1", engine: "MySQL" })?.name).toBe(
      "default",
    );
    expect(
      ruleFor({ rules: [prod] }, { id: "rm-dev001", regionId: "ap-northeast-1", engine: "MySQL" }),
    ).toBeUndefined();
  });

  it("limits who may request when the rule says so", () => {
    expect(mayRequest(rule, { userId: "UANY", groups: none })).toEqual({ ok: true });
    expect(mayRequest(undefined, { userId: "UANY", groups: none })).toEqual({ ok: false, reason: "no_rule" });
    const limited: PolicyRule = {
      ...rule,
      requesters: { userIds: ["UASKER"], usergroupIds: [], channelIds: ["COPS"] },
    };
    expect(mayRequest(limited, { userId: "UASKER", channelId: "COPS", groups: none })).toEqual({ ok: true });
    expect(mayRequest(limited, { userId: "UASKER", channelId: "CRANDOM", groups: none })).toEqual({
      ok: false,
      reason: "channel_not_allowed",
    });
    expect(mayRequest(limited, { userId: "UOTHER", channelId: "COPS", groups: none })).toEqual({
      ok: false,
      reason: "not_requester",
    });
  });
});
