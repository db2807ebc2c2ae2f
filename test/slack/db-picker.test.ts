import { describe, expect, it } from "vitest";
import { namesMatching } from "../../src/backup/instance-catalog.js";
import { requestModal } from "../../src/slack/views/request-modal.js";

const instance = {
  id: "rm-uf6wjk5xxxx",
  regionId: "cn-hangzhou",
  engine: "MySQL" as const,
  engineVersion: "8.0",
  status: "Running",
  description: "orders",
};
const names = (count: number) => Array.from({ length: count }, (_, i) => `db${String(i).padStart(3, "0")}`);

function dbNameElement(count: number) {
  const view = requestModal({
    locale: "en",
    approvalChannelId: "C0APPROVALS",
    instance,
    chosen: { method: "Logical", strategy: "db" },
    databases: names(count),
  });
  const block = view.blocks.find((candidate) => candidate.block_id === "DBName");
  return (block as { element?: Record<string, unknown> } | undefined)?.element;
}

describe("the database picker", () => {
  it("lists up to 100 databases in the form", () => {
    const element = dbNameElement(100);
    expect(element?.type).toBe("multi_static_select");
    expect(element?.options).toHaveLength(100);
  });

  it("searches past 100, so none is out of reach", () => {
    const element = dbNameElement(150);
    expect(element).toMatchSnapshot();
    expect(element?.type).toBe("multi_external_select");
    expect(element?.options).toBeUndefined();
  });

  it("matches names by part, case-insensitively, at most the limit", () => {
    expect(namesMatching(["Orders", "users", "orders_archive"], "ORDER", 10)).toEqual([
      "Orders",
      "orders_archive",
    ]);
    expect(namesMatching(names(150), "", 100)).toHaveLength(100);
    expect(namesMatching(names(150), " db149 ", 100)).toEqual(["db149"]);
  });
});
