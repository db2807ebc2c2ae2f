import { describe, expect, it } from "vitest";
import { checkReason, MAX_REASON_LENGTH } from "../../src/domain/reason.js";

describe("checkReason", () => {
  it("keeps a reason without its surrounding blanks; an empty one is no reason", () => {
    expect(checkReason("  release 2.3\n", false)).toEqual({ ok: true, value: "release 2.3" });
    expect(checkReason("   ", false)).toEqual({ ok: true, value: undefined });
    expect(checkReason(undefined, false)).toEqual({ ok: true, value: undefined });
  });

  it("refuses a missing reason where the rule requires one", () => {
    for (const raw of [undefined, "", " \n "]) {
      expect(checkReason(raw, true)).toEqual({
        ok: false,
        problems: [{ field: "reason", code: "reason_required" }],
      });
    }
    expect(checkReason("移行前", true)).toEqual({ ok: true, value: "移行前" });
  });

  it("counts characters, not UTF-16 units, and refuses more than 500", () => {
    expect(checkReason("あ".repeat(MAX_REASON_LENGTH), true).ok).toBe(true);
    // 500 emoji are 1,000 UTF-16 units: still 500 characters.
    expect(checkReason("🗄".repeat(MAX_REASON_LENGTH), false).ok).toBe(true);
    expect(checkReason("x".repeat(MAX_REASON_LENGTH + 1), false)).toEqual({
      ok: false,
      problems: [{ field: "reason", code: "reason_too_long", value: "501" }],
    });
  });
});
