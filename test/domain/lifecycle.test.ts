import { describe, expect, it } from "vitest";
import { canMove, isFinal, move, REQUEST_STATES, type RequestState } from "../../src/domain/lifecycle.js";

const LEGAL: ReadonlyArray<[RequestState, RequestState]> = [
  ["pending", "approved"],
  ["pending", "rejected"],
  ["pending", "cancelled"],
  ["pending", "expired"],
  ["pending", "scheduled"],
  ["scheduled", "approved"],
  ["scheduled", "cancelled"],
  ["scheduled", "failed"],
  ["approved", "submitted"],
  ["approved", "failed"],
  ["approved", "needs_attention"],
  ["submitted", "succeeded"],
  ["submitted", "failed"],
  ["needs_attention", "submitted"],
  ["needs_attention", "failed"],
  ["needs_attention", "approved"],
  ["needs_attention", "cancelled"],
];

describe("request lifecycle", () => {
  // Every ordered pair of states: legal exactly when listed above.
  for (const from of REQUEST_STATES) {
    for (const to of REQUEST_STATES) {
      const legal = LEGAL.some(([a, b]) => a === from && b === to);
      it(`${from} → ${to} is ${legal ? "legal" : "illegal"}`, () => {
        expect(canMove(from, to)).toBe(legal);
        if (legal) expect(move(from, to as never)).toEqual({ from, to });
        else expect(() => move(from, to as never)).toThrow(/illegal request transition/);
      });
    }
  }

  it("final states have no way out", () => {
    expect(REQUEST_STATES.filter(isFinal).sort()).toEqual([
      "cancelled",
      "expired",
      "failed",
      "rejected",
      "succeeded",
    ]);
  });
});
