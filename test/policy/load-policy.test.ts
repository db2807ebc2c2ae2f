import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { mayRequest, ruleFor } from "../../src/domain/policy.js";
import {
  describePolicy,
  loadPolicy,
  type PolicyDefaults,
  PolicyError,
  parsePolicy,
} from "../../src/policy/load-policy.js";
import { closest, editDistance } from "../../src/policy/suggest.js";

const EXAMPLE = fileURLToPath(new URL("../../manifests/policy.example.yaml", import.meta.url));
const BROKEN = fileURLToPath(new URL("./fixtures/broken.yaml", import.meta.url));

const env: PolicyDefaults = { userIds: ["UENV1"], usergroupIds: [], allowSelfApproval: true };
const noEnv: PolicyDefaults = { userIds: [], usergroupIds: [], allowSelfApproval: false };

const yaml = (...lines: string[]) => `${lines.join("\n")}\n`;

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof PolicyError) return error.problems;
    throw error;
  }
  throw new Error("expected a PolicyError");
}

const problems = (text: string, defaults = noEnv) =>
  problemsOf(() => parsePolicy(text, "policy.yaml", defaults));

describe("the example policy", () => {
  it("loads into the documented rules, in order", () => {
    const policy = loadPolicy(EXAMPLE, noEnv);
    expect(policy.rules.map((rule) => rule.name)).toEqual(["production", "staging", "everything-else"]);
    expect(policy.rules[0]).toEqual({
      name: "production",
      match: {
        instanceIds: ["rm-prod*", "pgm-prod*"],
        regions: ["ap-northeast-1"],
        engines: ["MySQL", "PostgreSQL"],
      },
      approvers: { userIds: ["U0123ABCD"], usergroupIds: ["S0DBAS"] },
      approvalsRequired: 2,
      allowSelfApproval: false,
      requesters: { userIds: [], usergroupIds: ["S0SRE"], channelIds: ["C0OPS"] },
      maxWaitHours: 8,
      window: { opens: 60, closes: 300, timeZone: "Asia/Tokyo", days: [1, 2, 3, 4, 5] },
      requireReason: true,
      remindAfter: 30 * 60_000,
    });
    expect(policy.rules[1]).toEqual({
      name: "staging",
      match: { instanceIds: ["rm-stg*", "pgm-stg*"], regions: [], engines: [] },
      approvers: { userIds: [], usergroupIds: ["S0DBAS"] },
      approvalsRequired: 1,
      allowSelfApproval: true,
      maxWaitHours: 24,
    });
    expect(policy.rules[2]).toEqual({
      name: "everything-else",
      match: { instanceIds: [], regions: [], engines: [] },
      approvers: { userIds: ["U0123ABCD"], usergroupIds: [] },
      approvalsRequired: 1,
      allowSelfApproval: false,
      maxWaitHours: 24,
    });
    expect(policy.rules[1]).not.toHaveProperty("requesters");
  });

  it("does not add the environment's rule behind its own (it ends with a catch-all anyway)", () => {
    expect(loadPolicy(EXAMPLE, env).rules).toHaveLength(3);
  });

  it("picks the first matching rule", () => {
    const policy = loadPolicy(EXAMPLE, noEnv);
    const prod = { id: "rm-prod-orders", regionId: "ap-northeast-1", engine: "MySQL" as const };
    expect(ruleFor(policy, prod)?.name).toBe("production");
    expect(ruleFor(policy, { ...prod, regionId: "cn-hangzhou" })?.name).toBe("everything-else");
    expect(ruleFor(policy, { ...prod, id: "rm-stg-1" })?.name).toBe("staging");
  });

  it("describes each rule in one short line, without ids", () => {
    const lines = describePolicy(loadPolicy(EXAMPLE, noEnv));
    expect(lines).toEqual([
      "1. production: instances rm-prod*,pgm-prod* regions ap-northeast-1 engines MySQL,PostgreSQL · 2 of 1 user + 1 group · no self-approval · requesters 0 users + 1 group in 1 channel · wait 8h · window Mon-Fri 01:00-05:00 Asia/Tokyo · reason required · remind after 30m",
      "2. staging: instances rm-stg*,pgm-stg* · 1 of 0 users + 1 group · self-approval allowed · requesters anyone · wait 24h",
      "3. everything-else: any instance · 1 of 1 user + 0 groups · no self-approval · requesters anyone · wait 24h",
    ]);
    expect(lines.join("\n")).not.toContain("U0123ABCD");
  });
});

describe("rule order, defaults and the fallback", () => {
  const twoRules = yaml(
    "defaults:",
    "  max_wait_hours: 12",
    "  approvals: 2",
    "  allow_self_approval: true",
    "rules:",
    "  - name: narrow",
    "    match: { instances: [rm-a*], engines: [MySQL] }",
    "    approvers: { groups: [S0DBAS] }",
    "    max_wait_hours: 2",
    "  - name: broad",
    "    match: { instances: [rm-*] }",
    "    approvers: { users: [U0AAA, U0BBB] }",
    "    approvals: 1",
    "    allow_self_approval: false",
  );

  it("keeps the file's order: first match wins", () => {
    const policy = parsePolicy(twoRules, "p.yaml", noEnv);
    expect(policy.rules.map((rule) => rule.name)).toEqual(["narrow", "broad"]);
    expect(ruleFor(policy, { id: "rm-a1", regionId: "cn-hangzhou", engine: "MySQL" })?.name).toBe("narrow");
    expect(ruleFor(policy, { id: "rm-a1", regionId: "cn-hangzhou", engine: "MariaDB" })?.name).toBe("broad");
    expect(ruleFor(policy, { id: "pgm-x", regionId: "cn-hangzhou", engine: "PostgreSQL" })).toBeUndefined();
  });

  it("fills what a rule leaves out from defaults, and from the built-in defaults after that", () => {
    const [narrow, broad] = parsePolicy(twoRules, "p.yaml", noEnv).rules;
    expect(narrow).toMatchObject({ approvalsRequired: 2, allowSelfApproval: true, maxWaitHours: 2 });
    expect(broad).toMatchObject({ approvalsRequired: 1, allowSelfApproval: false, maxWaitHours: 12 });
    const [bare] = parsePolicy(
      yaml("rules:", "  - name: r", "    approvers: { users: [U0AAA] }"),
      "p",
      noEnv,
    ).rules;
    expect(bare).toMatchObject({ approvalsRequired: 1, allowSelfApproval: false, maxWaitHours: 24 });
  });

  it("leaves instances no rule matches without a rule, even when the environment names approvers", () => {
    const policy = parsePolicy(twoRules, "p.yaml", env);
    expect(policy.rules).toHaveLength(2);
    const rule = ruleFor(policy, { id: "pgm-x", regionId: "cn-hangzhou", engine: "PostgreSQL" });
    expect(mayRequest(rule, { userId: "U0AAA", groups: new Set() })).toEqual({
      ok: false,
      reason: "no_rule",
    });
  });

  it("appends the environment's rule last with fallback: env", () => {
    const policy = parsePolicy(`fallback: env\n${twoRules}`, "p.yaml", env);
    expect(policy.rules.map((rule) => rule.name)).toEqual(["narrow", "broad", "default"]);
    expect(policy.rules[2]).toEqual({
      name: "default",
      match: { instanceIds: [], regions: [], engines: [] },
      approvers: { userIds: ["UENV1"], usergroupIds: [] },
      approvalsRequired: 1,
      allowSelfApproval: true,
      maxWaitHours: 12,
    });
    expect(ruleFor(policy, { id: "pgm-x", regionId: "cn-hangzhou", engine: "PostgreSQL" })?.name).toBe(
      "default",
    );
  });

  it("refuses fallback: env when the environment names no approver, or a catch-all makes it unreachable", () => {
    expect(problems(`fallback: env\n${twoRules}`, noEnv)).toEqual([
      "policy.yaml:1:11 fallback: fallback: env needs APPROVER_USER_IDS or APPROVER_USERGROUP_IDS, and both are empty; set one, or use fallback: none",
    ]);
    const withCatchAll = yaml(
      "fallback: env",
      "rules:",
      "  - name: all",
      "    approvers: { users: [U0AAA] }",
    );
    expect(problems(withCatchAll, env)).toEqual([
      "policy.yaml:1:11 fallback: fallback: env can never apply: rules[0] (all) matches every instance; remove one of them",
    ]);
    expect(
      problems(yaml("fallback: always", "rules:", "  - name: all", "    approvers: { users: [U0AAA] }")),
    ).toEqual(['policy.yaml:1:11 fallback: expected none or env, got "always"']);
  });

  it("dedupes repeated ids", () => {
    const [rule] = parsePolicy(
      yaml("rules:", "  - name: r", "    approvers: { users: [U0AAA, U0AAA], groups: [S0A, S0A] }"),
      "p",
      noEnv,
    ).rules;
    expect(rule?.approvers).toEqual({ userIds: ["U0AAA"], usergroupIds: ["S0A"] });
  });
});

describe("problems, each with its line, column and path", () => {
  const rule = (...lines: string[]) =>
    yaml("rules:", "  - name: r", "    approvers: { users: [U0AAA] }", ...lines.map((line) => `    ${line}`));

  it("points at a backup window it cannot read, and says how to write one", () => {
    const expected =
      'expected a backup window such as "01:00-05:00 Asia/Tokyo" or "Mon-Fri 01:00-05:00 Asia/Tokyo"';
    expect(problems(rule('window: "01:00-05:00 Asia/Tokio"'))).toEqual([
      `policy.yaml:4:13 rules[0].window: ${expected}, got "01:00-05:00 Asia/Tokio" (unknown time zone "Asia/Tokio": did you mean Asia/Tokyo?)`,
    ]);
    expect(problems(rule('window: "01:00-05:00"'))).toEqual([
      `policy.yaml:4:13 rules[0].window: ${expected}, got "01:00-05:00" (no time zone: name one, such as Asia/Tokyo or UTC, so the window never depends on where the bot runs)`,
    ]);
    expect(problems(rule("window: Mon-Fry 1:00-5:00 UTC"))).toEqual([
      `policy.yaml:4:13 rules[0].window: ${expected}, got "Mon-Fry 1:00-5:00 UTC" (the days "Mon-Fry": write days such as Mon-Fri, Sat,Sun or Mon,Wed-Fri)`,
    ]);
    expect(problems(rule("window: 05:00-05:00 UTC"))).toEqual([
      `policy.yaml:4:13 rules[0].window: ${expected}, got "05:00-05:00 UTC" (it opens and closes at the same time: for the whole day write 00:00-24:00)`,
    ]);
    expect(problems(rule("window: 3"))).toEqual([`policy.yaml:4:13 rules[0].window: ${expected}, got 3`]);
  });

  it("points at a remind_after it cannot read, and says how to write one", () => {
    const expected = "expected off, or a whole number and a unit s, m, h or d, such as 30m or 2h";
    expect(problems(rule("remind_after: 90"))).toEqual([
      `policy.yaml:4:19 rules[0].remind_after: ${expected}, got 90 (add a unit: 90m or 90h)`,
    ]);
    expect(problems(rule("remind_after: 1.5h"))).toEqual([
      `policy.yaml:4:19 rules[0].remind_after: ${expected}, got "1.5h" (a whole number and one of s, m, h, d, with nothing between them)`,
    ]);
    expect(problems(rule("remind_after: false"))).toEqual([
      `policy.yaml:4:19 rules[0].remind_after: ${expected}, got false (to turn reminders off write "off")`,
    ]);
    expect(problems(rule("remind_after: 0m"))).toEqual([
      `policy.yaml:4:19 rules[0].remind_after: ${expected}, got "0m" (a reminder at once is no reminder: write off to turn them off)`,
    ]);
    expect(
      problems(
        yaml(
          "defaults:",
          "  remind_after: soon",
          "rules:",
          "  - name: r",
          "    approvers: { users: [U0AAA] }",
        ),
      ),
    ).toEqual([`policy.yaml:2:17 defaults.remind_after: ${expected}, got "soon"`]);
  });

  it("reads remind_after into the rule: a duration, off, or the defaults'; absent means the environment's", () => {
    const read = (text: string) => parsePolicy(text, "policy.yaml", env).rules;
    expect(read(rule("remind_after: 45m"))[0]?.remindAfter).toBe(45 * 60_000);
    expect(read(rule("remind_after: off"))[0]?.remindAfter).toBe("off");
    expect(read(rule("remind_after: 90s"))[0]?.remindAfter).toBe(90_000);
    expect(read(rule())[0]?.remindAfter).toBeUndefined();
    const withDefaults = read(
      yaml(
        "defaults: { remind_after: 1h }",
        "fallback: env",
        "rules:",
        "  - name: a",
        "    match: { instances: [rm-a*] }",
        "    approvers: { users: [U0AAA] }",
        "  - name: b",
        "    match: { instances: [rm-b*] }",
        "    approvers: { users: [U0AAA] }",
        "    remind_after: off",
      ),
    );
    expect(withDefaults.map((one) => one.remindAfter)).toEqual([3_600_000, "off", 3_600_000]);
    expect(describePolicy({ rules: withDefaults })[1]).toContain("no reminders");
    expect(describePolicy({ rules: withDefaults })[0]).toContain("remind after 1h");
  });

  it("reads a window into the rule, in its own time zone", () => {
    const policy = parsePolicy(rule('window: "Sat,Sun 22:00-02:00 Europe/Berlin"'), "policy.yaml", noEnv);
    expect(policy.rules[0]?.window).toEqual({
      opens: 1320,
      closes: 120,
      timeZone: "Europe/Berlin",
      days: [0, 6],
    });
    expect(describePolicy(policy)[0]).toContain("window Sat-Sun 22:00-02:00 Europe/Berlin");
  });

  it("reads require_reason from a rule or from defaults, and points at a value that is not a boolean", () => {
    expect(parsePolicy(rule("require_reason: true"), "policy.yaml", noEnv).rules[0]?.requireReason).toBe(
      true,
    );
    expect(parsePolicy(rule("require_reason: false"), "policy.yaml", noEnv).rules[0]?.requireReason).toBe(
      undefined,
    );
    expect(parsePolicy(rule(), "policy.yaml", noEnv).rules[0]?.requireReason).toBeUndefined();
    const withDefaults = parsePolicy(
      yaml(
        "defaults:",
        "  require_reason: true",
        "fallback: env",
        "rules:",
        "  - name: r",
        "    match: { instances: [rm-a*] }",
        "    approvers: { users: [U0AAA] }",
        "  - name: lenient",
        "    match: { instances: [rm-b*] }",
        "    approvers: { users: [U0AAA] }",
        "    require_reason: false",
      ),
      "policy.yaml",
      env,
    );
    expect(withDefaults.rules.map((r) => [r.name, r.requireReason ?? false])).toEqual([
      ["r", true],
      ["lenient", false],
      ["default", true],
    ]);
    expect(describePolicy(withDefaults)[0]).toContain("reason required");

    expect(problems(rule('require_reason: "yes"'))).toEqual([
      'policy.yaml:4:21 rules[0].require_reason: expected true or false (must a request say why the backup is wanted?), got "yes"',
    ]);
    expect(problems(rule("require_reasons: true"))).toEqual([
      "policy.yaml:4:5 rules[0].require_reasons: unknown key: did you mean require_reason?",
    ]);
    expect(
      problems(yaml("require_reason: true", "rules:", "  - name: r", "    approvers: { users: [U0AAA] }")),
    ).toEqual([
      "policy.yaml:1:1 require_reason: unknown key: require_reason belongs under defaults: or in a rule",
    ]);
  });

  it("reports a typo'd key as unknown, with a suggestion", () => {
    expect(problems(yaml("rules:", "  - name: r", "    aprovers:", "      users: [U0AAA]"))).toEqual([
      "policy.yaml:3:5 rules[0].aprovers: unknown key: did you mean approvers?",
    ]);
    expect(problems(rule("max_wait_hour: 3"))).toEqual([
      "policy.yaml:4:5 rules[0].max_wait_hour: unknown key: did you mean max_wait_hours?",
    ]);
    expect(problems(rule("match: { engine: [MySQL] }"))).toEqual([
      "policy.yaml:4:14 rules[0].match.engine: unknown key: did you mean engines?",
    ]);
    expect(problems(yaml("rule:", "  - name: r"))).toEqual([
      "policy.yaml:1:1 rules: required: a list of rules, each starting with `- name: …`",
      "policy.yaml:1:1 rule: unknown key: did you mean rules?",
    ]);
  });

  it("lists the accepted keys when nothing is close, and says where a misplaced key belongs", () => {
    expect(problems(rule("colour: blue"))).toEqual([
      "policy.yaml:4:5 rules[0].colour: unknown key: expected one of name, match, approvers, approvals, allow_self_approval, requesters, max_wait_hours, window, require_reason, remind_after",
    ]);
    expect(problems(rule("instances: [rm-a*]"))).toEqual([
      "policy.yaml:4:5 rules[0].instances: unknown key: instances belongs under match:",
    ]);
    expect(
      problems(
        yaml(
          "max_wait_hours: 3",
          "approvers: { users: [U0AAA] }",
          "rules:",
          "  - name: r",
          "    approvers: { users: [U0AAA] }",
        ),
      ),
    ).toEqual([
      "policy.yaml:1:1 max_wait_hours: unknown key: max_wait_hours belongs under defaults: or in a rule",
      "policy.yaml:2:1 approvers: unknown key: approvers belongs in a rule, under rules:",
    ]);
    expect(problems(rule("requesters: { usrs: [U0AAA] }"))).toEqual([
      "policy.yaml:4:19 rules[0].requesters.usrs: unknown key: did you mean users?",
    ]);
  });

  it("names the valid engines, and suggests the closest", () => {
    expect(problems(rule("match:", "  engines: [MySQL, Postgres, Oracle]"))).toEqual([
      'policy.yaml:5:24 rules[0].match.engines[1]: expected an engine: one of MySQL, PostgreSQL, SQLServer, MariaDB, got "Postgres" (did you mean PostgreSQL?)',
      'policy.yaml:5:34 rules[0].match.engines[2]: expected an engine: one of MySQL, PostgreSQL, SQLServer, MariaDB, got "Oracle"',
    ]);
    expect(problems(rule("match: { engines: [mysql] }"))[0]).toContain("(did you mean MySQL?)");
  });

  it("checks the shape of user, group and channel ids", () => {
    expect(
      problems(
        yaml(
          "rules:",
          "  - name: r",
          "    approvers:",
          "      users: [U0AAA, bob, '@alice']",
          "      groups: [U0AAA]",
          "    requesters:",
          "      channels: ['#ops', C0OPS, G0PRIV, D0DM]",
        ),
      ),
    ).toEqual([
      'policy.yaml:4:22 rules[0].approvers.users[1]: expected a Slack user id (U… or W…), got "bob"',
      'policy.yaml:4:27 rules[0].approvers.users[2]: expected a Slack user id (U… or W…), got "@alice" (use the user id, not its name: in Slack, open its details and copy the id)',
      'policy.yaml:5:16 rules[0].approvers.groups[0]: expected a Slack user group id (S…), got "U0AAA"',
      'policy.yaml:7:18 rules[0].requesters.channels[0]: expected a Slack channel id (C… or G…), got "#ops" (use the channel id, not its name: in Slack, open its details and copy the id)',
      'policy.yaml:7:41 rules[0].requesters.channels[3]: expected a Slack channel id (C… or G…), got "D0DM"',
    ]);
  });

  it("wants approvals to be a whole number from 1 to 3", () => {
    for (const [value, shownAs] of [
      ["0", "0"],
      ["4", "4"],
      ["1.5", "1.5"],
      ["two", '"two"'],
    ] as const) {
      expect(problems(rule(`approvals: ${value}`))).toEqual([
        `policy.yaml:4:16 rules[0].approvals: expected a whole number from 1 to 3 (distinct approvers needed), got ${shownAs}`,
      ]);
    }
  });

  it("wants max_wait_hours above 0 and at most 720, and accepts fractions", () => {
    for (const value of ["0", "-1", "721", ".inf", "soon"]) {
      expect(problems(rule(`max_wait_hours: ${value}`))).toHaveLength(1);
      expect(problems(rule(`max_wait_hours: ${value}`))[0]).toMatch(
        /^policy\.yaml:4:21 rules\[0\]\.max_wait_hours: expected a number of hours above 0 and at most 720, got /,
      );
    }
    expect(parsePolicy(rule("max_wait_hours: 0.5"), "p", noEnv).rules[0]?.maxWaitHours).toBe(0.5);
    expect(parsePolicy(rule("max_wait_hours: 720"), "p", noEnv).rules[0]?.maxWaitHours).toBe(720);
  });

  it("wants allow_self_approval to be true or false (YAML 1.2: `no` is text)", () => {
    expect(problems(rule("allow_self_approval: no"))).toEqual([
      'policy.yaml:4:26 rules[0].allow_self_approval: expected true or false, got "no"',
    ]);
  });

  it("refuses a rule nobody could approve", () => {
    expect(problems(yaml("rules:", "  - name: r"))).toEqual([
      "policy.yaml:2:5 rules[0].approvers: nobody could approve: list users (U…) and/or groups (S…) under approvers",
    ]);
    expect(problems(yaml("rules:", "  - name: r", "    approvers: { users: [], groups: [] }"))).toEqual([
      "policy.yaml:3:5 rules[0].approvers: nobody could approve: list users (U…) and/or groups (S…) under approvers",
    ]);
  });

  it("refuses approvals that the listed approvers could never reach", () => {
    expect(problems(rule("approvals: 2"))).toEqual([
      "policy.yaml:4:5 rules[0].approvals: 2 distinct approvals needed but approvers list only 1 user and no group: nobody could ever reach 2; list more users or a group, or lower approvals",
    ]);
    expect(
      problems(
        yaml("defaults: { approvals: 3 }", "rules:", "  - name: r", "    approvers: { users: [U0A, U0B] }"),
      ),
    ).toEqual([
      "policy.yaml:4:5 rules[0].approvers: 3 distinct approvals needed (from defaults.approvals) but approvers list only 2 users and no group: nobody could ever reach 3; list more users or a group, or lower approvals",
    ]);
    // A group may have any number of members; two listed users can reach two.
    expect(
      parsePolicy(
        yaml("rules:", "  - name: r", "    approvers: { groups: [S0A] }", "    approvals: 3"),
        "p",
        noEnv,
      ).rules,
    ).toHaveLength(1);
    expect(
      parsePolicy(
        yaml("rules:", "  - name: r", "    approvers: { users: [U0A, U0B] }", "    approvals: 2"),
        "p",
        noEnv,
      ).rules,
    ).toHaveLength(1);
  });

  it("refuses empty lists where they would read as 'nobody' or 'nothing' but mean 'any'", () => {
    expect(problems(rule("requesters: { users: [], channels: [] }"))).toEqual([
      "policy.yaml:4:5 rules[0].requesters: lists nobody: omit requesters to let anyone request, or list users, groups or channels",
    ]);
    expect(problems(rule("match: { engines: [] }"))).toEqual([
      "policy.yaml:4:23 rules[0].match.engines: the list is empty: name at least one engine, or omit engines to match any engine",
    ]);
  });

  it("checks instance globs and regions", () => {
    expect(problems(rule("match:", "  instances: [rm-prod?, 'rm prod']", "  regions: [Tokyo]"))).toEqual([
      'policy.yaml:5:19 rules[0].match.instances[0]: expected an instance id or glob such as rm-prod* (letters, digits, -, _, and * for any run), got "rm-prod?"',
      'policy.yaml:5:29 rules[0].match.instances[1]: expected an instance id or glob such as rm-prod* (letters, digits, -, _, and * for any run), got "rm prod"',
      'policy.yaml:6:17 rules[0].match.regions[0]: expected a region id such as ap-northeast-1, got "Tokyo"',
    ]);
    expect(problems(rule("match: { regions: ap-northeast-1 }"))).toEqual([
      'policy.yaml:4:23 rules[0].match.regions: expected a list of regions such as ap-northeast-1, got "ap-northeast-1" (a list of one is written in brackets: [ … ])',
    ]);
  });

  it("refuses duplicate names and rules hidden behind a catch-all", () => {
    expect(
      problems(
        yaml(
          "rules:",
          "  - name: all",
          "    approvers: { users: [U0AAA] }",
          "  - name: all",
          "    match: { instances: [rm-prod*] }",
          "    approvers: { users: [U0AAA] }",
        ),
      ),
    ).toEqual([
      "policy.yaml:4:5 rules[1]: this rule can never apply: rules[0] (all) above it matches every instance; move it above, or narrow that rule's match",
      'policy.yaml:4:11 rules[1].name: the name "all" is already used by rules[0]',
    ]);
    // `instances: ["*"]` with nothing else is a catch-all too.
    expect(
      problems(
        yaml(
          "rules:",
          "  - { name: a, match: { instances: ['*'] }, approvers: { users: [U0AAA] } }",
          "  - { name: b, approvers: { users: [U0AAA] } }",
        ),
      )[0],
    ).toContain("rules[1]: this rule can never apply: rules[0] (a)");
  });

  it("reports every problem in a file at once, in file order", () => {
    expect(problemsOf(() => loadPolicy(BROKEN, noEnv))).toEqual([
      `${BROKEN}:3:19 defaults.max_wait_hours: expected a number of hours above 0 and at most 720, got 0`,
      `${BROKEN}:8:24 rules[0].match.engines[1]: expected an engine: one of MySQL, PostgreSQL, SQLServer, MariaDB, got "Postgres" (did you mean PostgreSQL?)`,
      `${BROKEN}:9:5 rules[0].aprovers: unknown key: did you mean approvers?`,
      `${BROKEN}:11:16 rules[0].approvals: expected a whole number from 1 to 3 (distinct approvers needed), got 4`,
      `${BROKEN}:16:5 rules[1].approvals: 2 distinct approvals needed but approvers list only 1 user and no group: nobody could ever reach 2; list more users or a group, or lower approvals`,
      `${BROKEN}:21:15 rules[2].requesters.users[0]: expected a Slack user id (U… or W…), got "@alice" (use the user id, not its name: in Slack, open its details and copy the id)`,
      `${BROKEN}:22:18 rules[2].requesters.channels[0]: expected a Slack channel id (C… or G…), got "#ops" (use the channel id, not its name: in Slack, open its details and copy the id)`,
      `${BROKEN}:23:21 rules[2].max_wait_hours: expected a number of hours above 0 and at most 720, got 1000`,
    ]);
  });

  it("echoes no more than the offending value, shortened", () => {
    const long = "x".repeat(500);
    const [problem] = problems(rule(`match: { regions: [${long}] }`));
    expect(problem).toContain(`got "${"x".repeat(40)}…"`);
    expect(problem?.length).toBeLessThan(200);
  });
});

describe("files that are not a policy at all", () => {
  it("reports YAML syntax errors with their line, and no source excerpt", () => {
    const found = problems(yaml("rules:", "  - name: r", "    approvers: { users: [U0AAA }", "  - name: s"));
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]).toMatch(/^policy\.yaml:3:\d+ YAML syntax: /);
    expect(found.join("\n")).not.toContain("name: s");
    expect(problems(yaml("rules:", "\t- name: r"))[0]).toMatch(/^policy\.yaml:2:1 YAML syntax: /);
  });

  it("reports duplicate keys and several documents as syntax errors", () => {
    expect(problems(yaml("rules: []", "rules: []"))).toEqual([
      "policy.yaml:2:1 YAML syntax: Map keys must be unique",
    ]);
    expect(problems(yaml("rules: []", "---", "rules: []"))[0]).toMatch(
      /^policy\.yaml:2:1 YAML syntax: Source contains multiple documents/,
    );
  });

  it("says clearly that an empty file, or one without rules, is not a policy", () => {
    for (const empty of ["", "\n", "# only a comment\n"]) {
      expect(problems(empty)).toEqual([
        "policy.yaml:1:1 rules: the file is empty: expected a mapping with a rules: list (see manifests/policy.example.yaml)",
      ]);
    }
    expect(problems(yaml("defaults:", "  max_wait_hours: 4"))).toEqual([
      "policy.yaml:1:1 rules: required: a list of rules, each starting with `- name: …`",
    ]);
    expect(problems("rules: []\n")).toEqual([
      "policy.yaml:1:8 rules: the list is empty: add at least one rule",
    ]);
    expect(problems("rules:\n")).toEqual([
      "policy.yaml:1:1 rules: expected a list of rules, each starting with `- name: …`, got an empty value",
    ]);
    expect(problems(yaml("- name: r"))).toEqual([
      "policy.yaml:1:1 (top level): expected a mapping with a rules: list, got a list",
    ]);
  });

  it("says when the file cannot be read", () => {
    const dir = mkdtempSync(join(tmpdir(), "policy-"));
    expect(problemsOf(() => loadPolicy(join(dir, "missing.yaml"), noEnv))).toEqual([
      `${join(dir, "missing.yaml")}: cannot read the policy file (ENOENT): check POLICY_FILE`,
    ]);
    const file = join(dir, "ok.yaml");
    writeFileSync(file, yaml("rules:", "  - name: r", "    approvers: { users: [U0AAA] }"));
    expect(loadPolicy(file, noEnv).rules).toHaveLength(1);
  });

  it("puts every problem in the error message too", () => {
    const error = (() => {
      try {
        parsePolicy("rules: []\n", "p.yaml", noEnv);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as PolicyError).message).toContain("p.yaml:1:8 rules: the list is empty");
  });
});

describe("suggestions", () => {
  it("measures edits, counting a swap of neighbours as one", () => {
    expect(editDistance("aprovers", "approvers")).toBe(1);
    expect(editDistance("approvres", "approvers")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
  });

  it("suggests only near candidates", () => {
    expect(closest("aprovers", ["approvers", "approvals"])).toBe("approvers");
    expect(closest("mysql", ["MySQL", "MariaDB"])).toBe("MySQL");
    expect(closest("colour", ["name", "match"])).toBeUndefined();
  });
});
