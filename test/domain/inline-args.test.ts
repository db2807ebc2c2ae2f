import { describe, expect, it } from "vitest";
import { parseInlineArgs } from "../../src/domain/inline-args.js";

describe("parseInlineArgs", () => {
  it("maps short keys to CreateBackup parameters", () => {
    expect(
      parseInlineArgs("rm-abc12345 method=Logical strategy=db db=orders, users type=Auto retention=7"),
    ).toEqual({
      ok: true,
      value: {
        DBInstanceId: "rm-abc12345",
        BackupMethod: "Logical",
        BackupStrategy: "db",
        DBName: "orders,users",
        BackupType: "Auto",
        BackupRetentionPeriod: "7",
      },
    });
  });

  it("lists every malformed, unknown and repeated option", () => {
    const result = parseInlineArgs("rm-abc12345 foo=1 method=Physical method=Logical justaword =x");
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems.map((p) => [p.code, p.value])).toEqual([
        ["unknown_option", "foo"],
        ["duplicate_option", "method"],
        ["malformed_option", "justaword"],
        ["malformed_option", "=x"],
      ]);
    }
  });

  it("takes a start time with at=, beside the parameters, and reports one it cannot read", () => {
    expect(parseInlineArgs("rm-abc12345 at=2026-12-02T01:30+09:00 method=Physical")).toEqual({
      ok: true,
      value: {
        DBInstanceId: "rm-abc12345",
        BackupMethod: "Physical",
        at: { kind: "instant", at: new Date("2026-12-01T16:30:00Z") },
      },
    });
    expect(parseInlineArgs("rm-abc12345 AT=01:30")).toMatchObject({
      ok: true,
      value: { at: { kind: "clock", hour: 1, minute: 30 } },
    });
    const result = parseInlineArgs("rm-abc12345 at=2026-12-02T01:30 at=01:30 bogus=1");
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems.map((p) => [p.field, p.code])).toEqual([
        ["run_at", "run_at_needs_offset"],
        ["run_at", "duplicate_option"],
        ["input", "unknown_option"],
      ]);
      expect(result.problems[2]?.allowed).toContain("at");
    }
  });
});
