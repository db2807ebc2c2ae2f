/**
 * Where an instance lives: the catalog on an in-memory gateway whose regions answer as scripted.
 */
import { describe, expect, it } from "vitest";
import { InstanceCatalog } from "../../src/backup/instance-catalog.js";
import type { CallOptions, RdsGateway } from "../../src/backup/ports.js";
import { ApiFailure } from "../../src/domain/api-failure.js";
import type { InstanceInfo } from "../../src/domain/instance.js";
import { createLogger } from "../../src/logger.js";

const log = createLogger({ level: "silent", secrets: [] });

type Answer = InstanceInfo | "not_found" | "hang" | "timeout";

/** A gateway that knows, per region, what DescribeDBInstanceAttribute answers; it counts the asks. */
function regionsGateway(answers: Record<string, Answer>) {
  const asked: string[] = [];
  const gateway: Pick<RdsGateway, "describeInstance" | "listInstances"> = {
    describeInstance: (instanceId: string, options?: CallOptions) => {
      const regionId = options?.regionId ?? "";
      asked.push(regionId);
      const answer = answers[regionId] ?? "not_found";
      if (answer === "hang") return new Promise(() => {});
      if (typeof answer === "object") return Promise.resolve(answer);
      return Promise.reject(
        new ApiFailure({
          code: answer === "timeout" ? "Timeout" : "InvalidDBInstanceId.NotFound",
          message: `${instanceId} in ${regionId}`,
          outcome: answer === "timeout" ? "unknown" : "rejected",
          transient: answer === "timeout",
        }),
      );
    },
    listInstances: () => Promise.resolve([]),
  };
  return { gateway: gateway as RdsGateway, asked };
}

const tokyo: InstanceInfo = {
  id: "rm-6we1tokyo01",
  regionId: "ap-northeast-1",
  engine: "MySQL",
  engineVersion: "8.0",
  status: "Running",
  description: "",
};

const catalogOf = (gateway: RdsGateway, regionIds: string[]) =>
  new InstanceCatalog(
    gateway,
    { regionIds, defaultRegionId: regionIds[0], ttlMs: 60_000, answerWithinMs: 500 },
    log,
  );

describe("InstanceCatalog.locate", () => {
  it("asks every region at once, answers with the first that has it, and remembers", async () => {
    const { gateway, asked } = regionsGateway({ "cn-hangzhou": "hang", "ap-northeast-1": tokyo });
    const catalog = catalogOf(gateway, ["cn-hangzhou", "ap-northeast-1", "eu-central-1"]);
    // A region that never answers does not hold up the one that has it.
    await expect(catalog.locate(tokyo.id, 500)).resolves.toEqual({
      kind: "found",
      regionId: "ap-northeast-1",
    });
    expect(asked).toHaveLength(3);
    await expect(catalog.locate(tokyo.id, 500)).resolves.toEqual({
      kind: "found",
      regionId: "ap-northeast-1",
    });
    expect(asked).toHaveLength(3);
  });

  it("shares one search between people asking at the same time", async () => {
    const { gateway, asked } = regionsGateway({ "ap-northeast-1": tokyo });
    const catalog = catalogOf(gateway, ["cn-hangzhou", "ap-northeast-1"]);
    await Promise.all([catalog.locate(tokyo.id, 500), catalog.locate(tokyo.id, 500)]);
    expect(asked).toHaveLength(2);
  });

  it("says not found only when every region said so, and failed when one could not answer", async () => {
    const nowhere = catalogOf(regionsGateway({}).gateway, ["cn-hangzhou", "ap-northeast-1"]);
    await expect(nowhere.locate("rm-nowhere01", 500)).resolves.toEqual({
      kind: "not_found",
      regionIds: ["cn-hangzhou", "ap-northeast-1"],
    });
    const { gateway, asked } = regionsGateway({ "ap-northeast-1": "timeout" });
    const unsure = catalogOf(gateway, ["cn-hangzhou", "ap-northeast-1"]);
    const located = await unsure.locate(tokyo.id, 500);
    expect(located).toMatchObject({ kind: "failed", error: { code: "Timeout" } });
    // Nothing is remembered from a failure: the next request asks again.
    await unsure.locate(tokyo.id, 500);
    expect(asked).toHaveLength(4);
  });

  it("with one region, asks nothing: the look-up that follows says whether the instance is there", async () => {
    const { gateway, asked } = regionsGateway({});
    await expect(catalogOf(gateway, ["cn-hangzhou"]).locate(tokyo.id, 500)).resolves.toEqual({
      kind: "found",
      regionId: "cn-hangzhou",
    });
    expect(asked).toHaveLength(0);
  });
});
