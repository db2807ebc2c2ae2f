/**
 * Properties of the pure parts every entry point relies on: the one validation of CreateBackup's
 * parameters, the inline argument parser, and the text escaping of anything people typed.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ENGINES, type EngineFacts } from "../../src/domain/engine.js";
import { INLINE_KEYS, parseInlineArgs } from "../../src/domain/inline-args.js";
import {
  type BackupParams,
  PARAM_FIELDS,
  type RawBackupInput,
  toApiParameters,
  validateBackupParams,
} from "../../src/domain/params.js";
import { escapeMrkdwn, mention, plain, stripControl, truncate, userText } from "../../src/slack/text.js";
import { apiRefusal } from "./api-rules.js";
import {
  anyText,
  inlineText,
  instanceIdish,
  markup,
  PARAM_KEYS,
  type ParamKey,
  paramValue,
} from "./arbitraries.js";

const RUNS = 2_000;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is checked for
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;

const facts: fc.Arbitrary<EngineFacts> = fc.record({
  engine: fc.constantFrom(...ENGINES),
  storageType: fc.constantFrom(
    "local_ssd",
    "ephemeral_ssd",
    "cloud_ssd",
    "cloud_essd",
    "general_essd",
    "CLOUD_ESSD",
    undefined,
  ),
  engineVersion: fc.constantFrom("5.5", "5.6", "5.7", "8.0", "8.0.36", "15.0", "2019_std_ha", "", undefined),
  category: fc.constantFrom("Basic", "HighAvailability", "Finance", "AlwaysOn", "cluster", undefined),
});

const rawInput: fc.Arbitrary<RawBackupInput> = fc
  .tuple(instanceIdish, fc.subarray(PARAM_KEYS))
  .chain(([id, keys]) =>
    fc
      .tuple(...keys.map((key) => paramValue(key as ParamKey)))
      .map((values) => ({ DBInstanceId: id, ...Object.fromEntries(keys.map((key, i) => [key, values[i]])) })),
  );

describe("validateBackupParams", () => {
  it("never throws, and whatever it accepts RDS accepts too", () => {
    fc.assert(
      fc.property(facts, rawInput, (f, input) => {
        const result = validateBackupParams(input, f);
        if (!result.ok) {
          expect(result.problems.length).toBeGreaterThan(0);
          for (const problem of result.problems) expect([...PARAM_FIELDS, "input"]).toContain(problem.field);
          return;
        }
        const params: BackupParams = result.value;
        expect(params.DBInstanceId).toMatch(/^[a-z][a-z0-9]{1,9}-[a-z0-9]{4,64}$/);
        expect(apiRefusal(f, toApiParameters(params))).toBeUndefined();
      }),
      { numRuns: RUNS },
    );
  });

  it("accepts every value in any capitalisation only as the API spells it", () => {
    const local = { engine: "MySQL", storageType: "local_ssd" } as const;
    for (const method of ["physical", "PHYSICAL", "Physical", "pHySiCaL"]) {
      const result = validateBackupParams({ DBInstanceId: "rm-bp1mysql01", BackupMethod: method }, local);
      expect(result.ok && result.value.BackupMethod).toBe("Physical");
    }
    fc.assert(
      fc.property(facts, fc.constantFrom("snapshot", "SNAPSHOT", "physical", "Physical"), (f, method) => {
        const result = validateBackupParams({ DBInstanceId: "rm-bp1mysql01", BackupMethod: method }, f);
        if (result.ok) expect(["Physical", "Snapshot"]).toContain(result.value.BackupMethod);
      }),
    );
  });

  it("with no method chosen, sends the one the reference names for the instance", () => {
    fc.assert(
      fc.property(facts, (f) => {
        const result = validateBackupParams({ DBInstanceId: "rm-bp1mysql01" }, f);
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(apiRefusal(f, toApiParameters(result.value))).toBeUndefined();
        if (f.engine === "MariaDB") expect(result.value.BackupMethod).toBe("Physical");
      }),
      { numRuns: RUNS },
    );
  });
});

describe("parseInlineArgs", () => {
  it("never throws; an accepted line names its instance first and only known options", () => {
    fc.assert(
      fc.property(inlineText, (text) => {
        const parsed = parseInlineArgs(text);
        if (!parsed.ok) {
          expect(parsed.problems.length).toBeGreaterThan(0);
          return;
        }
        const keys = Object.keys(parsed.value);
        for (const key of keys)
          expect(["DBInstanceId", "at", "reason", ...Object.values(INLINE_KEYS)]).toContain(key);
        // Quotes group words into one value (`reason="a b"`); without any, words are split on blanks.
        if (/["\u201c]/.test(text)) {
          expect(parsed.value.DBInstanceId ?? "").not.toMatch(/["\u201c]/);
          return;
        }
        const first = text
          .replace(/,\s+/g, ",")
          .split(/\s+/)
          .find((token) => token !== "");
        expect(parsed.value.DBInstanceId).toBe(first);
      }),
      { numRuns: RUNS },
    );
  });

  it("reports each unknown or repeated option, not just the first", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom("bogus=1", "zzz=2", "nope"), { minLength: 1, maxLength: 5 }),
        (junk) => {
          const parsed = parseInlineArgs(`rm-bp1mysql01 ${junk.join(" ")}`);
          expect(parsed.ok).toBe(false);
          if (!parsed.ok) expect(parsed.problems).toHaveLength(junk.length);
        },
      ),
    );
  });
});

describe("text escaping", () => {
  it("userText never lets markup through: no <, >, or a bare & that is not an entity", () => {
    fc.assert(
      fc.property(anyText, fc.integer({ min: 1, max: 600 }), (text, max) => {
        const out = userText(text, max);
        expect(out).not.toMatch(/[<>]/);
        expect(out).not.toMatch(/&(?!amp;|lt;|gt;)/);
        expect(out).not.toMatch(CONTROL);
      }),
      { numRuns: RUNS },
    );
  });

  it("escaping is reversible: what people typed is shown, not swallowed", () => {
    fc.assert(
      fc.property(fc.oneof(markup, fc.string()), (text) => {
        const unescaped = escapeMrkdwn(text)
          .replace(/&lt;/g, "<")
          .replace(/&gt;/g, ">")
          .replace(/&amp;/g, "&");
        expect(unescaped).toBe(text);
      }),
      { numRuns: RUNS },
    );
  });

  it("truncate and plain keep within the limit (in code points) and mark the cut", () => {
    fc.assert(
      fc.property(anyText, fc.integer({ min: 1, max: 3_000 }), (text, max) => {
        expect([...truncate(text, max)].length).toBeLessThanOrEqual(max);
        expect([...plain(text, max)].length).toBeLessThanOrEqual(max);
        if ([...text].length > max) expect(truncate(text, max).endsWith("…")).toBe(true);
        expect(stripControl(stripControl(text))).toBe(stripControl(text));
      }),
      { numRuns: RUNS },
    );
  });

  it("mention() makes a mention only of a Slack id, and escapes anything else", () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.stringMatching(/^[A-Z0-9]{2,12}$/)), (id) => {
        const out = mention(id);
        if (/^[A-Z0-9]{2,}$/.test(id)) expect(out).toBe(`<@${id}>`);
        else expect(out).not.toMatch(/[<>]/);
      }),
      { numRuns: RUNS },
    );
  });
});
