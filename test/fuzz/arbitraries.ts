/**
 * Generators of hostile and random input for the property tests: Slack markup that could ping
 * people or fake links, control and direction characters, huge strings, near-miss ids and values.
 */
import fc from "fast-check";
import { SEED } from "../../src/sandbox/rds-emulator.js";
import { USERS } from "../../src/sandbox/stage.js";

/** Mention and link syntax someone could smuggle into a message. */
export const MARKUP = [
  "<!channel>",
  "<!here>",
  "<!everyone>",
  "<!subteam^S0DBAS>",
  "<!subteam^S0DBAS|@dbas>",
  "<@U123>",
  "<@U0APPROVER1>",
  "<@W0ENTERPRISE>",
  "<#C0APPROVALS>",
  "<https://evil.example|x>",
  "<http://evil.example>",
  "<mailto:a@evil.example|mail>",
  "<!date^1392734382^{date}|x>",
  "&lt;!channel&gt;",
  "&amp;lt;",
  "*bold* _it_ ~st~ `code` ```block```",
  ">quote",
] as const;

/** Characters that garble or reorder text, and a few that break naive parsers. */
export const NASTY_CHARS = [
  "\u0000",
  "\u0007",
  "\u001b[31m",
  "\u007f",
  "\u200b",
  "\u200e",
  "\u202e",
  "\u2066",
  "\ufeff",
  "\ud800",
  "\r\n",
  "\t",
  "%00",
  "%0a",
  "'; drop table backup_requests; --",
  // A template placeholder, as text (built so no linter mistakes it for a template).
  ["$", "{process.exit()}"].join(""),
  "{{7*7}}",
  "__proto__",
  "constructor",
  "🙂",
  "漢字",
] as const;

export const markup = fc.constantFrom(...MARKUP);
export const nasty = fc.constantFrom(...NASTY_CHARS);

/** Text that mixes ordinary words, markup and nasty characters. */
export const hostileText = fc
  .array(fc.oneof(fc.string({ maxLength: 12 }), markup, nasty, fc.constantFrom(" ", "=", ",", "-")), {
    maxLength: 12,
  })
  .map((parts) => parts.join(""));

/** Sometimes huge. */
export const anyText = fc.oneof(
  { weight: 6, arbitrary: hostileText },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom("", " ", "\n") },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom("a", "<!channel>", "\u202e", "x="), fc.integer({ min: 1_000, max: 40_000 }))
      .map(([unit, count]) => unit.repeat(count)),
  },
);

export const seededInstance = fc.constantFrom(...Object.values(SEED));

/** Instance ids: real ones, near misses, and junk. */
export const instanceIdish = fc.oneof(
  seededInstance,
  fc.constantFrom("rm-doesnotexist1", "rm-", "RM-BP1MYSQL01", "rm-bp1mysql01 ", "rm_bp1mysql01", "pgm-x"),
  fc.stringMatching(/^[a-z][a-z0-9]{1,9}-[a-z0-9]{4,20}$/),
  anyText,
);

const VALUES = {
  BackupMethod: ["Physical", "Logical", "Snapshot", "physical", "LOGICAL", "Snap", ""],
  BackupStrategy: ["instance", "db", "DB", "database", ""],
  BackupType: ["Auto", "FullBackup", "fullbackup", "Incremental", ""],
  BackupRetentionPeriod: ["-1", "7", "730", "731", "6", "0", "30", "1e3", "0x10", " 30 ", "-7", "99999"],
  DBName: ["app", "orders", "orders,customers", "a b", "x".repeat(65), "ok$_-1", "bad;name", ""],
} as const;

export type ParamKey = keyof typeof VALUES;
export const PARAM_KEYS = Object.keys(VALUES) as ParamKey[];

/** A value for a parameter: usually plausible, sometimes anything at all. */
export function paramValue(key: ParamKey): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...VALUES[key]) },
    { weight: 1, arbitrary: anyText },
  );
}

const INLINE_KEY: Record<ParamKey, string> = {
  BackupMethod: "method",
  BackupStrategy: "strategy",
  BackupType: "type",
  BackupRetentionPeriod: "retention",
  DBName: "db",
};

/** A plausible request line: a real instance and options with plausible (not always right) values. */
export const plausibleInline = fc
  .tuple(
    seededInstance,
    fc
      .subarray(PARAM_KEYS)
      .chain((keys) =>
        fc.tuple(...keys.map((key) => fc.constantFrom(...VALUES[key]).map((v) => `${INLINE_KEY[key]}=${v}`))),
      ),
  )
  .map(([id, options]) => [id, ...options].join(" "));

/** `/rds-backup` argument text: an id then key=value options, with junk mixed in. */
export const inlineText = fc.oneof(
  { weight: 4, arbitrary: plausibleInline },
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        instanceIdish,
        fc.array(
          fc.oneof(
            fc
              .constantFrom(...PARAM_KEYS)
              .chain((key) => paramValue(key).map((v) => `${INLINE_KEY[key]}=${v}`)),
            fc.tuple(fc.constantFrom("Method", "DB", "bogus", "=", ""), anyText).map(([k, v]) => `${k}=${v}`),
            anyText,
          ),
          { maxLength: 6 },
        ),
      )
      .map(([id, options]) => [id, ...options].join(" ")),
  },
  { weight: 1, arbitrary: anyText },
);

/** Users who click and type: real approvers and requesters, outsiders, and odd ids. */
export const userId = fc.constantFrom(...Object.values(USERS));
