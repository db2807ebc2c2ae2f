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
});
