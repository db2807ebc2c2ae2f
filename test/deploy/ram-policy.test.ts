/**
 * manifests/ram-policy.json grants exactly the RDS operations the code calls: the gateway's SDK
 * calls (`client.<operation>WithOptions(…)`) are read from the source and compared with the
 * policy's actions, both ways.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import * as Rds from "@alicloud/rds20140815";
import { describe, expect, it } from "vitest";

const repo = resolve(import.meta.dirname, "../..");

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: unknown;
}
interface Policy {
  Version: string;
  Statement: Statement[];
}

const policy = JSON.parse(readFileSync(join(repo, "manifests/ram-policy.json"), "utf8")) as Policy;
const list = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

/** `describeDBInstanceAttributeWithOptions(` → `DescribeDBInstanceAttribute`, for every SDK call in src/rds. */
function operationsCalled(): Map<string, string> {
  const calls = new Map<string, string>();
  const dir = join(repo, "src/rds");
  for (const file of readdirSync(dir).filter((name) => name.endsWith(".ts"))) {
    for (const match of readFileSync(join(dir, file), "utf8").matchAll(
      /\.\s*([a-z][A-Za-z0-9]*)WithOptions\s*\(/g,
    )) {
      const method = match[1] ?? "";
      calls.set(`${method.charAt(0).toUpperCase()}${method.slice(1)}`, `src/rds/${file}`);
    }
  }
  return calls;
}

describe("the RAM policy", () => {
  it("allows exactly the RDS operations the gateway calls", () => {
    const called = operationsCalled();
    expect([...called.keys()]).toContain("CreateBackup");
    const allowed = policy.Statement.filter((s) => s.Effect === "Allow").flatMap((s) => list(s.Action));
    expect(new Set(allowed)).toEqual(new Set([...called.keys()].map((operation) => `rds:${operation}`)));
    expect(allowed).toHaveLength(new Set(allowed).size); // each once
  });

  it("names real API operations (each has a request model in the SDK)", () => {
    for (const operation of operationsCalled().keys()) {
      expect(typeof (Rds as unknown as Record<string, unknown>)[`${operation}Request`], operation).toBe(
        "function",
      );
    }
  });

  it("uses no wildcard action, no Deny and only RDS instance resources", () => {
    expect(policy.Version).toBe("1");
    for (const statement of policy.Statement) {
      expect(statement.Effect).toBe("Allow");
      for (const action of list(statement.Action)) expect(action).toMatch(/^rds:[A-Z][A-Za-z]+$/);
      for (const resource of list(statement.Resource))
        expect(resource).toMatch(/^acs:rds:[a-z0-9*-]+:[0-9*]+:dbinstance\/[A-Za-z0-9*-]+$/);
    }
    // Listing is its own statement, so the other one can be narrowed to chosen instances.
    const listing = policy.Statement.find((s) => list(s.Action).includes("rds:DescribeDBInstances"));
    expect(list(listing?.Action ?? [])).toEqual(["rds:DescribeDBInstances"]);
  });

  it("is explained, action by action, in ram-policy.md", () => {
    const doc = readFileSync(join(repo, "manifests/ram-policy.md"), "utf8");
    for (const operation of operationsCalled().keys()) expect(doc).toContain(`rds:${operation}`);
    expect(doc).toContain("acs:rds:{region}:{account}:dbinstance/{id}");
  });
});
