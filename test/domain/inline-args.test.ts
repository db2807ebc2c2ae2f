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

describe("the reason, inline", () => {
  it('takes reason=word and reason="…" with spaces, Japanese and punctuation kept as typed', () => {
    expect(parseInlineArgs("rm-abc12345 reason=release method=Physical")).toEqual({
      ok: true,
      value: { DBInstanceId: "rm-abc12345", BackupMethod: "Physical", reason: "release" },
    });
    expect(parseInlineArgs('rm-abc12345 reason="before the 2.3 release, db=a  b" db=orders, users')).toEqual({
      ok: true,
      value: {
        DBInstanceId: "rm-abc12345",
        DBName: "orders,users",
        reason: "before the 2.3 release, db=a  b",
      },
    });
    expect(
      parseInlineArgs('rm-abc12345 Reason="リリース 2.3 の前に取得 <!channel> & more" at=01:30'),
    ).toMatchObject({
      ok: true,
      value: { reason: "リリース 2.3 の前に取得 <!channel> & more", at: { kind: "clock" } },
    });
    // macOS and iOS type “smart quotes” by default, in Slack's composer too.
    expect(parseInlineArgs("rm-abc12345 reason=“nightly check”")).toMatchObject({
      ok: true,
      value: { reason: "nightly check" },
    });
    expect(parseInlineArgs('rm-abc12345 reason=""')).toMatchObject({ ok: true, value: { reason: "" } });
  });

  it("reports an unterminated quote, a repeated reason, and lists reason among the known keys", () => {
    const open = parseInlineArgs('rm-abc12345 method=Physical reason="never closed');
    expect(open).toEqual({
      ok: false,
      problems: [{ field: "reason", code: "unterminated_quote", value: '"' }],
    });
    const twice = parseInlineArgs("rm-abc12345 reason=a reason=b colour=red");
    expect(twice.ok).toBe(false);
    if (!twice.ok) {
      expect(twice.problems.map((p) => [p.field, p.code])).toEqual([
        ["reason", "duplicate_option"],
        ["input", "unknown_option"],
      ]);
      expect(twice.problems[1]?.allowed).toContain("reason");
    }
    expect(parseInlineArgs('"rm-abc12345 method=Physical')).toEqual({
      ok: false,
      problems: [{ field: "input", code: "unterminated_quote", value: '"' }],
    });
    const elsewhere = parseInlineArgs('rm-abc12345 db="orders');
    expect(elsewhere).toEqual({
      ok: false,
      problems: [{ field: "input", code: "unterminated_quote", value: '"' }],
    });
  });
});
