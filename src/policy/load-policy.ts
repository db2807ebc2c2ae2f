/**
 * The approval policy file (`POLICY_FILE`): YAML, checked with zod, turned into the domain's
 * `Policy`. Every problem in the file is reported at once, each with its place
 * (`<file>:<line>:<column> <path>: <what is wrong and what is expected>`), so a typo is fixed in one
 * round trip and a broken file never half-applies. The format is documented in
 * `manifests/policy.example.yaml`.
 *
 * Instances that no rule matches cannot be requested (the domain's `no_rule`). The environment's
 * approver variables (APPROVER_USER_IDS, APPROVER_USERGROUP_IDS, ALLOW_SELF_APPROVAL) are NOT added
 * behind the file's rules on their own: a file is the whole policy, so what it says is all that
 * applies, and a leftover variable cannot quietly open every other instance. A file that wants them
 * says so with `fallback: env`, which appends the rule the bot uses without a file as the last rule.
 */
import { readFileSync } from "node:fs";
import { LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { formatDuration, parseDuration } from "../domain/duration.js";
import { ENGINES } from "../domain/engine.js";
import { DEFAULT_MAX_WAIT_HOURS, defaultRule, type Policy, type PolicyRule } from "../domain/policy.js";
import type { RemindAfter } from "../domain/reminders.js";
import { describeWindow, parseWindow, type WindowError } from "../domain/schedule.js";
import { knownTimeZones } from "../domain/zoned-time.js";
import { closest } from "./suggest.js";
import { formatPath, locate, type PathSegment } from "./yaml-location.js";

/** What the environment says; used only for `fallback: env`. */
export interface PolicyDefaults {
  userIds: string[];
  usergroupIds: string[];
  allowSelfApproval: boolean;
}

export class PolicyError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `The policy file has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "PolicyError";
  }
}

export const MAX_APPROVALS = 3;
export const MAX_WAIT_HOURS_LIMIT = 720;
/** The name of the rule `fallback: env` appends (the same name the bot uses without a file). */
export const FALLBACK_RULE_NAME = "default";

// ---------------------------------------------------------------------------------------------
// Messages

const MAX_ECHO = 40;

/** The offending value, short: never more than that (the file holds no secrets, but stay brief). */
function shown(input: unknown): string {
  if (input === undefined) return "nothing";
  if (input === null) return "an empty value";
  if (Array.isArray(input)) return "a list";
  if (typeof input === "object") return "a mapping";
  if (typeof input === "string") {
    const short = input.length > MAX_ECHO ? `${input.slice(0, MAX_ECHO)}…` : input;
    return JSON.stringify(short);
  }
  return String(input);
}

interface IssueLike {
  input?: unknown;
}

/** One message for every way a value can be wrong: "required: …" or "expected …, got …". */
const expecting =
  (expected: string, hint?: (input: unknown) => string | undefined) =>
  (issue: IssueLike): string => {
    if (issue.input === undefined) return `required: ${expected}`;
    const extra = hint?.(issue.input);
    return `expected ${expected}, got ${shown(issue.input)}${extra ? ` (${extra})` : ""}`;
  };

const idHint = (sigil: string, what: string) => (input: unknown) =>
  typeof input === "string" && input.startsWith(sigil)
    ? `use the ${what} id, not its name: in Slack, open its details and copy the id`
    : undefined;

const oneItemHint = (input: unknown) =>
  typeof input === "string" || typeof input === "number"
    ? "a list of one is written in brackets: [ … ]"
    : undefined;

const suggestion = (candidates: readonly string[]) => (input: unknown) => {
  if (typeof input !== "string") return undefined;
  const near = closest(input, candidates);
  return near ? `did you mean ${near}?` : undefined;
};

// ---------------------------------------------------------------------------------------------
// Schema

const USER_ID = /^[UW][A-Z0-9]{2,}$/;
const USERGROUP_ID = /^S[A-Z0-9]{2,}$/;
const CHANNEL_ID = /^[CG][A-Z0-9]{2,}$/;
const REGION = /^[a-z]{2}(-[a-z0-9]+)+$/;
const INSTANCE_GLOB = /^[A-Za-z0-9_*-]{1,64}$/;

/** A list that, when given, names at least one thing (omit the key to mean "any"). */
const list = <T extends z.ZodType>(item: T, expected: string, whenEmpty: string) =>
  z
    .array(item, { error: expecting(`a list of ${expected}`, oneItemHint) })
    .min(1, { error: `the list is empty: ${whenEmpty}` });

const ids = (pattern: RegExp, expected: string, sigil: string, what: string) => {
  const message = expecting(expected, idHint(sigil, what));
  return z.array(z.string({ error: message }).regex(pattern, { error: message }), {
    error: expecting(`a list of ${what} ids`, oneItemHint),
  });
};

const userIds = ids(USER_ID, "a Slack user id (U… or W…)", "@", "user");
const groupIds = ids(USERGROUP_ID, "a Slack user group id (S…)", "@", "user group");
const channelIds = ids(CHANNEL_ID, "a Slack channel id (C… or G…)", "#", "channel");

const approvalsMessage = expecting(`a whole number from 1 to ${MAX_APPROVALS} (distinct approvers needed)`);
const approvals = z
  .number({ error: approvalsMessage })
  .int({ error: approvalsMessage })
  .min(1, { error: approvalsMessage })
  .max(MAX_APPROVALS, { error: approvalsMessage });

const waitMessage = expecting(`a number of hours above 0 and at most ${MAX_WAIT_HOURS_LIMIT}`);
const maxWaitHours = z
  .number({ error: waitMessage })
  .positive({ error: waitMessage })
  .max(MAX_WAIT_HOURS_LIMIT, { error: waitMessage });

const allowSelfApproval = z.boolean({ error: expecting("true or false") });
const requireReason = z.boolean({
  error: expecting("true or false (must a request say why the backup is wanted?)"),
});

const REMIND_EXPECTED = "off, or a whole number and a unit s, m, h or d, such as 30m or 2h";

/** Why a `remind_after` value is not one, when that can be said better than "expected …". */
function remindHint(input: unknown): string | undefined {
  if (input === false) return 'to turn reminders off write "off"';
  if (typeof input === "number") return `add a unit: ${input}m or ${input}h`;
  if (typeof input === "string" && parseDuration(input.trim()) === 0)
    return "a reminder at once is no reminder: write off to turn them off";
  if (typeof input === "string" && /^\d+(\.\d+)?\s*[a-z]+$/i.test(input.trim()))
    return "a whole number and one of s, m, h, d, with nothing between them";
  return undefined;
}

const remindMessage = expecting(REMIND_EXPECTED, remindHint);

/** `remind_after`: a duration above 0 (`30m`, `2h`) or `off`, in the environment's notation. */
const remindAfter = z.string({ error: remindMessage }).transform((text, ctx): RemindAfter => {
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === "off") return "off";
  const ms = parseDuration(trimmed);
  if (ms !== undefined && ms > 0) return ms;
  ctx.addIssue({ code: "custom", message: remindMessage({ input: text }), input: text });
  return z.NEVER;
});

const WINDOW_EXPECTED =
  'a backup window such as "01:00-05:00 Asia/Tokyo" or "Mon-Fri 01:00-05:00 Asia/Tokyo"';

/** What is wrong with a window, in the file's own words: "expected …, got … (why)". */
function windowProblem(text: string, error: WindowError): string {
  const why = (() => {
    switch (error.kind) {
      case "empty":
        return undefined;
      case "no_times":
        return "no opening and closing time: add them as HH:MM-HH:MM, such as 01:00-05:00";
      case "times":
        return `the times ${shown(error.value)}: write HH:MM-HH:MM on a 24-hour clock (24:00 only as a closing time)`;
      case "same_times":
        return "it opens and closes at the same time: for the whole day write 00:00-24:00";
      case "no_zone":
        return "no time zone: name one, such as Asia/Tokyo or UTC, so the window never depends on where the bot runs";
      case "zone": {
        const near = closest(error.value, knownTimeZones());
        return `unknown time zone ${shown(error.value)}${near ? `: did you mean ${near}?` : ": use an IANA name such as Asia/Tokyo"}`;
      }
      case "days":
        return `the days ${shown(error.value)}: write days such as Mon-Fri, Sat,Sun or Mon,Wed-Fri`;
      case "extra":
        return `${shown(error.value)} is one part too many: a window has one time range, one time zone and at most one list of days`;
    }
  })();
  return `expected ${WINDOW_EXPECTED}, got ${text.trim() === "" ? "an empty text" : shown(text)}${why ? ` (${why})` : ""}`;
}

const backupWindow = z.string({ error: expecting(WINDOW_EXPECTED) }).transform((text, ctx) => {
  const parsed = parseWindow(text);
  if (parsed.ok) return parsed.value;
  ctx.addIssue({ code: "custom", message: windowProblem(text, parsed.error), input: text });
  return z.NEVER;
});

const engineMessage = expecting(`an engine: one of ${ENGINES.join(", ")}`, suggestion(ENGINES));

const matchSchema = z.strictObject(
  {
    instances: list(
      z.string({ error: expecting("an instance id or glob such as rm-prod*") }).regex(INSTANCE_GLOB, {
        error: expecting(
          "an instance id or glob such as rm-prod* (letters, digits, -, _, and * for any run)",
        ),
      }),
      "instance ids or globs such as rm-prod*",
      "name at least one instance id or glob, or omit instances to match any instance",
    ).optional(),
    regions: list(
      z.string({ error: expecting("a region id such as ap-northeast-1") }).regex(REGION, {
        error: expecting("a region id such as ap-northeast-1"),
      }),
      "regions such as ap-northeast-1",
      "name at least one region, or omit regions to match any region",
    ).optional(),
    engines: list(
      z.enum(ENGINES, { error: engineMessage }),
      "engines",
      "name at least one engine, or omit engines to match any engine",
    ).optional(),
  },
  { error: expecting("a mapping with instances, regions and/or engines") },
);

const approversSchema = z.strictObject(
  { users: userIds.optional(), groups: groupIds.optional() },
  { error: expecting("a mapping with users and/or groups") },
);
const requestersSchema = z.strictObject(
  { users: userIds.optional(), groups: groupIds.optional(), channels: channelIds.optional() },
  { error: expecting("a mapping with users, groups and/or channels") },
);

const ruleSchema = z.strictObject(
  {
    name: z
      .string({ error: expecting("a rule name (shown in logs and the audit trail)") })
      .trim()
      .min(1, { error: "expected a rule name (shown in logs and the audit trail), got an empty text" })
      .max(64, { error: "the name is too long: keep it under 64 characters" }),
    match: matchSchema.optional(),
    approvers: approversSchema.optional(),
    approvals: approvals.optional(),
    allow_self_approval: allowSelfApproval.optional(),
    requesters: requestersSchema.optional(),
    max_wait_hours: maxWaitHours.optional(),
    window: backupWindow.optional(),
    require_reason: requireReason.optional(),
    remind_after: remindAfter.optional(),
  },
  { error: expecting("a rule: a mapping with name, approvers and optionally match, approvals, …") },
);

const defaultsSchema = z.strictObject(
  {
    max_wait_hours: maxWaitHours.optional(),
    approvals: approvals.optional(),
    allow_self_approval: allowSelfApproval.optional(),
    require_reason: requireReason.optional(),
    remind_after: remindAfter.optional(),
  },
  {
    error: expecting(
      "a mapping with max_wait_hours, approvals, allow_self_approval, require_reason and/or remind_after",
    ),
  },
);

const FALLBACKS = ["none", "env"] as const;

const fileSchema = z.strictObject(
  {
    defaults: defaultsSchema.optional(),
    fallback: z.enum(FALLBACKS, { error: expecting("none or env", suggestion(FALLBACKS)) }).optional(),
    rules: z
      .array(ruleSchema, { error: expecting("a list of rules, each starting with `- name: …`") })
      .min(1, { error: "the list is empty: add at least one rule" }),
  },
  { error: expecting("a mapping with a rules: list") },
);

const RULE_KEYS = Object.keys(ruleSchema.shape);

type RuleInput = z.output<typeof ruleSchema>;
type DefaultsInput = z.output<typeof defaultsSchema>;

/** The keys each mapping accepts, by where it sits, for "unknown key" suggestions. */
function keysAt(path: readonly PathSegment[]): readonly string[] {
  const last = path.at(-1);
  if (path.length === 0) return Object.keys(fileSchema.shape);
  if (last === "defaults") return Object.keys(defaultsSchema.shape);
  if (typeof last === "number") return Object.keys(ruleSchema.shape);
  if (last === "match") return Object.keys(matchSchema.shape);
  if (last === "approvers") return Object.keys(approversSchema.shape);
  if (last === "requesters") return Object.keys(requestersSchema.shape);
  return [];
}

/** Keys that are right, but one level off: `instances:` directly under a rule, for example. */
function misplaced(key: string, path: readonly PathSegment[]): string | undefined {
  const last = path.at(-1);
  if (typeof last === "number") {
    if (key in matchSchema.shape) return `${key} belongs under match:`;
    if (key === "channels") return "channels belongs under requesters:";
    if (key in approversSchema.shape) return `${key} belongs under approvers: or requesters:`;
  }
  if (path.length === 0) {
    if (key in defaultsSchema.shape) return `${key} belongs under defaults: or in a rule`;
    if (key in ruleSchema.shape) return `${key} belongs in a rule, under rules:`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Parsing

interface Problem {
  path: readonly PathSegment[];
  at: "value" | "key";
  message: string;
}

/**
 * Reads and checks the policy file at `path`. Throws `PolicyError` naming every problem. The
 * `defaults` (from APPROVER_USER_IDS, APPROVER_USERGROUP_IDS, ALLOW_SELF_APPROVAL) are used only
 * when the file asks for them with `fallback: env`: see the module comment.
 */
export function loadPolicy(path: string, defaults: PolicyDefaults): Policy {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
    throw new PolicyError([`${path}: cannot read the policy file (${code}): check POLICY_FILE`]);
  }
  return parsePolicy(text, path, defaults);
}

/** Checks policy YAML; `sourceName` is the file name used in messages. */
export function parsePolicy(yamlText: string, sourceName: string, defaults: PolicyDefaults): Policy {
  const lines = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });

  const syntax = [...doc.errors, ...doc.warnings].map((error) => {
    const pos = error.linePos?.[0] ?? lines.linePos(error.pos[0]);
    const what = (error.message.split("\n")[0] ?? error.code).replace(/ at line \d+, column \d+:?$/, "");
    return `${sourceName}:${pos.line}:${pos.col} YAML syntax: ${what}`;
  });
  if (syntax.length > 0) throw new PolicyError(syntax);

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new PolicyError([`${sourceName}:1:1 YAML: ${(error as Error).message.split("\n")[0]}`]);
  }
  if (raw === null || raw === undefined) {
    throw new PolicyError([
      `${sourceName}:1:1 rules: the file is empty: expected a mapping with a rules: list (see manifests/policy.example.yaml)`,
    ]);
  }

  const problems: Problem[] = [];
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) problems.push(...parsed.error.issues.flatMap(toProblems));

  const fileDefaults = pick(defaultsSchema, isRecord(raw) ? raw.defaults : undefined) ?? {};
  problems.push(...crossChecks(raw, fileDefaults, defaults));

  if (problems.length > 0 || !parsed.success) {
    const placed = problems.map((problem) => {
      const pos = locate(doc, lines, problem.path, problem.at);
      const where = problem.path.length > 0 ? formatPath(problem.path) : "(top level)";
      return { pos, text: `${sourceName}:${pos.line}:${pos.col} ${where}: ${problem.message}` };
    });
    placed.sort((a, b) => a.pos.line - b.pos.line || a.pos.col - b.pos.col);
    throw new PolicyError([...new Set(placed.map((p) => p.text))]);
  }

  const file = parsed.data;
  const rules = file.rules.map((rule) => toRule(rule, file.defaults ?? {}));
  if (file.fallback === "env") {
    rules.push({
      ...defaultRule(defaults),
      maxWaitHours: file.defaults?.max_wait_hours ?? DEFAULT_MAX_WAIT_HOURS,
      ...(file.defaults?.require_reason ? { requireReason: true } : {}),
      ...(file.defaults?.remind_after !== undefined ? { remindAfter: file.defaults.remind_after } : {}),
    });
  }
  return { rules };
}

function toProblems(issue: z.core.$ZodIssue): Problem[] {
  const path = issue.path.filter((s): s is PathSegment => typeof s === "string" || typeof s === "number");
  if (issue.code === "unrecognized_keys") {
    const known = keysAt(path);
    return issue.keys.map((key) => {
      const near = closest(key, known);
      const hint =
        misplaced(key, path) ?? (near ? `did you mean ${near}?` : `expected one of ${known.join(", ")}`);
      return { path: [...path, key], at: "key" as const, message: `unknown key: ${hint}` };
    });
  }
  return [{ path, at: "value", message: issue.message }];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value parsed by `schema`, or `undefined` when it is absent or wrong (reported elsewhere). */
function pick<T extends z.ZodType>(schema: T, value: unknown): z.output<T> | undefined {
  if (value === undefined) return undefined;
  const result = schema.safeParse(value);
  return result.success ? result.data : undefined;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** A rule that matches every instance: no `match`, an empty one, or only `*` globs. */
function matchesEverything(rawRule: Record<string, unknown>): boolean {
  if (rawRule.match === undefined) return true;
  const match = pick(matchSchema, rawRule.match);
  if (!match) return false;
  const anyInstance = !match.instances || match.instances.some((glob) => /^\*+$/.test(glob));
  return anyInstance && !match.regions && !match.engines;
}

/**
 * What a schema cannot see on its own: a rule nobody can approve, approvals nobody can reach,
 * an empty requesters list, duplicate names, rules hidden behind a catch-all. Each part is checked
 * from whatever in the rule is valid, so these are reported alongside type errors elsewhere.
 */
function crossChecks(raw: unknown, fileDefaults: DefaultsInput, env: PolicyDefaults): Problem[] {
  if (!isRecord(raw) || !Array.isArray(raw.rules)) return [];
  const problems: Problem[] = [];
  const names = new Map<string, number>();
  let catchAll: { index: number; name: string } | undefined;
  const fallback = raw.fallback;

  raw.rules.forEach((rawRule: unknown, index) => {
    if (!isRecord(rawRule)) return;
    const at = (...rest: PathSegment[]): PathSegment[] => ["rules", index, ...rest];
    const name = typeof rawRule.name === "string" ? rawRule.name.trim() : undefined;

    if (name) {
      const first = names.get(name);
      if (first !== undefined) {
        problems.push({
          path: at("name"),
          at: "value",
          message: `the name ${shown(name)} is already used by rules[${first}]`,
        });
      } else {
        names.set(name, index);
      }
      if (name === FALLBACK_RULE_NAME && fallback === "env") {
        problems.push({
          path: at("name"),
          at: "value",
          message: `the name ${FALLBACK_RULE_NAME} is taken by the rule fallback: env adds; choose another`,
        });
      }
    }

    if (catchAll) {
      problems.push({
        path: at(),
        at: "value",
        message: `this rule can never apply: rules[${catchAll.index}] (${catchAll.name}) above it matches every instance; move it above, or narrow that rule's match`,
      });
    } else if (matchesEverything(rawRule)) {
      catchAll = { index, name: name ?? "unnamed" };
    }

    const approvers = pick(approversSchema, rawRule.approvers);
    const approversValid = rawRule.approvers === undefined || approvers !== undefined;
    const users = new Set(approvers?.users ?? []);
    const groups = new Set(approvers?.groups ?? []);
    // `aprovers:` is already reported as "did you mean approvers?"; saying nobody approves is noise.
    const approversMisspelt =
      rawRule.approvers === undefined &&
      Object.keys(rawRule).some(
        (key) => !(key in ruleSchema.shape) && closest(key, RULE_KEYS) === "approvers",
      );
    if (approversValid && !approversMisspelt && users.size === 0 && groups.size === 0) {
      problems.push({
        path: at("approvers"),
        at: "key",
        message: "nobody could approve: list users (U…) and/or groups (S…) under approvers",
      });
    }

    const ownApprovals = pick(approvals, rawRule.approvals);
    const needed = rawRule.approvals === undefined ? fileDefaults.approvals : ownApprovals;
    if (
      approvers &&
      needed !== undefined &&
      needed > 1 &&
      groups.size === 0 &&
      users.size > 0 &&
      users.size < needed
    ) {
      const from = rawRule.approvals === undefined ? " (from defaults.approvals)" : "";
      problems.push({
        path: rawRule.approvals === undefined ? at("approvers") : at("approvals"),
        at: "key",
        message: `${needed} distinct approvals needed${from} but approvers list only ${plural(users.size, "user")} and no group: nobody could ever reach ${needed}; list more users or a group, or lower approvals`,
      });
    }

    if (rawRule.requesters !== undefined) {
      const requesters = pick(requestersSchema, rawRule.requesters);
      const count = requesters
        ? (requesters.users?.length ?? 0) +
          (requesters.groups?.length ?? 0) +
          (requesters.channels?.length ?? 0)
        : undefined;
      if (count === 0) {
        problems.push({
          path: at("requesters"),
          at: "key",
          message: "lists nobody: omit requesters to let anyone request, or list users, groups or channels",
        });
      }
    }
  });

  if (fallback === "env") {
    if (env.userIds.length === 0 && env.usergroupIds.length === 0) {
      problems.push({
        path: ["fallback"],
        at: "value",
        message:
          "fallback: env needs APPROVER_USER_IDS or APPROVER_USERGROUP_IDS, and both are empty; set one, or use fallback: none",
      });
    }
    if (catchAll) {
      problems.push({
        path: ["fallback"],
        at: "value",
        message: `fallback: env can never apply: rules[${catchAll.index}] (${catchAll.name}) matches every instance; remove one of them`,
      });
    }
  }
  return problems;
}

function toRule(rule: RuleInput, fileDefaults: DefaultsInput): PolicyRule {
  const unique = <T>(values: readonly T[] | undefined): T[] => [...new Set(values ?? [])];
  const out: PolicyRule = {
    name: rule.name,
    match: {
      instanceIds: unique(rule.match?.instances),
      regions: unique(rule.match?.regions),
      engines: unique(rule.match?.engines),
    },
    approvers: { userIds: unique(rule.approvers?.users), usergroupIds: unique(rule.approvers?.groups) },
    approvalsRequired: rule.approvals ?? fileDefaults.approvals ?? 1,
    allowSelfApproval: rule.allow_self_approval ?? fileDefaults.allow_self_approval ?? false,
    maxWaitHours: rule.max_wait_hours ?? fileDefaults.max_wait_hours ?? DEFAULT_MAX_WAIT_HOURS,
  };
  if (rule.window) out.window = rule.window;
  if (rule.require_reason ?? fileDefaults.require_reason) out.requireReason = true;
  // Absent in the rule and the defaults: APPROVAL_REMINDER_AFTER applies (the runner's fallback).
  const remind = rule.remind_after ?? fileDefaults.remind_after;
  if (remind !== undefined) out.remindAfter = remind;
  if (rule.requesters) {
    out.requesters = {
      userIds: unique(rule.requesters.users),
      usergroupIds: unique(rule.requesters.groups),
      channelIds: unique(rule.requesters.channels),
    };
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Start-up log

function describeMatch(rule: PolicyRule): string {
  const { instanceIds, regions, engines } = rule.match;
  const parts = [
    instanceIds.length > 0 ? `instances ${instanceIds.join(",")}` : "",
    regions.length > 0 ? `regions ${regions.join(",")}` : "",
    engines.length > 0 ? `engines ${engines.join(",")}` : "",
  ].filter((part) => part !== "");
  return parts.length > 0 ? parts.join(" ") : "any instance";
}

/**
 * One short line per rule, in order, for the start-up log: name, what it matches, how many
 * approvers and approvals, self-approval, who may request, and how long a request may wait.
 * Counts only: the ids themselves stay in the file.
 */
export function describePolicy(policy: Policy): string[] {
  if (policy.rules.length === 0) return ["no rules: every request is refused"];
  return policy.rules.map((rule, index) => {
    const approvers = `${plural(rule.approvers.userIds.length, "user")} + ${plural(rule.approvers.usergroupIds.length, "group")}`;
    const requesters = rule.requesters
      ? `${plural(rule.requesters.userIds.length, "user")} + ${plural(rule.requesters.usergroupIds.length, "group")} in ${rule.requesters.channelIds.length > 0 ? plural(rule.requesters.channelIds.length, "channel") : "any channel"}`
      : "anyone";
    return [
      `${index + 1}. ${rule.name}: ${describeMatch(rule)}`,
      `${rule.approvalsRequired} of ${approvers}`,
      rule.allowSelfApproval ? "self-approval allowed" : "no self-approval",
      `requesters ${requesters}`,
      `wait ${rule.maxWaitHours}h`,
      ...(rule.window ? [`window ${describeWindow(rule.window)}`] : []),
      ...(rule.requireReason ? ["reason required"] : []),
      ...(rule.remindAfter === undefined
        ? []
        : [rule.remindAfter === "off" ? "no reminders" : `remind after ${formatDuration(rule.remindAfter)}`]),
    ].join(" · ");
  });
}
