/**
 * What a real Alibaba Cloud account has that a tidy one does not (issue 13): read-only and other
 * non-primary instances, cloud disks and editions, instances in several regions, credentials that
 * expire, throttling in all its spellings. Each runs the real bot and the real SDK against the RDS
 * emulator, which answers as the platform does.
 */
import { afterEach, describe, expect, it } from "vitest";
import { acceptedCreates, approve, file, freshInstance, outcomeOf } from "../faults/helpers.js";
import { type Harness, type HarnessOptions, startHarness } from "./harness.js";

let h: Harness | undefined;
async function stage(options?: HarnessOptions): Promise<Harness> {
  h = await startHarness(options);
  return h;
}
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("throttling, however RDS spells it", () => {
  it("retries CreateBackup after Rejected.Throttling (nothing ran) and starts one backup", async () => {
    const h = await stage();
    const instanceId = freshInstance(h);
    const filed = await file(h, instanceId);
    h.rds.failNext("CreateBackup", { code: "Rejected.Throttling" });
    await approve(h, filed);
    const request = await outcomeOf(h, filed.requestId);
    expect(["submitted", "succeeded"]).toContain(request.state);
    expect(h.rds.count("CreateBackup")).toBe(2);
    expect(acceptedCreates(h, instanceId)).toBe(1);
  });
});
