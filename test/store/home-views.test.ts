/**
 * Who opened the Home tab (migration 012), on both dialects: a tab is stale when a request changed
 * since its data was read, one owner leases it at a time, and a burst of changes makes one publish
 * per interval.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { HomeViewStore, RequestStore } from "../../src/backup/ports.js";
import { openStore } from "../../src/store/open-store.js";
import { at, harnesses, minimalRequest } from "./harness.js";

const HARNESSES = await harnesses();

describe.each(HARNESSES)("Home tabs on $name", (harness) => {
  let store: RequestStore & HomeViewStore;
  let nowMs: number;
  const clock = () => new Date(nowMs);
  const DAY = 86_400_000;

  beforeAll(() => harness.setup());
  afterAll(() => harness.teardown());
  beforeEach(async () => {
    nowMs = at(60_000).getTime();
    store = await openStore(await harness.fresh(), { clock });
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
  });

  const claim = (owner: string, now: Date, minIntervalMs = 0) =>
    store.claimStaleHomes(owner, now, 10_000, new Date(now.getTime() - DAY), minIntervalMs, 10);

  it("offers a tab never published, once, to one owner at a time", async () => {
    await store.recordHomeOpened("U1", "ja", at(0));
    const first = await claim("a", at(1_000));
    expect(first.map((v) => [v.userId, v.locale])).toEqual([["U1", "ja"]]);
    expect(await claim("b", at(2_000))).toEqual([]);
    expect(await store.recordHomePublished("U1", "b", at(2_000), "h")).toBe(false);
    expect(await store.recordHomePublished("U1", "a", at(1_000), "h")).toBe(true);
    expect(await claim("b", at(3_000))).toEqual([]);
  });

  it("is stale again after a request changes, not before; and not within the interval", async () => {
    await store.recordHomeOpened("U1", "en", at(0));
    await store.recordHomePublished("U1", undefined, at(70_000), "h1");
    expect(await claim("a", at(80_000))).toEqual([]);
    const changed = minimalRequest({ createdAt: at(90_000), updatedAt: at(90_000) });
    await store.create(changed, { type: "requested", actor: "U2" }, []);
    // Published 20.5 s before: within an interval of 30 s, so it waits.
    expect(await claim("a", at(90_500), 30_000)).toEqual([]);
    const stale = await claim("a", at(100_500), 30_000);
    expect(stale.map((v) => [v.userId, v.dataHash])).toEqual([["U1", "h1"]]);
  });

  it("leaves out people who have not opened the tab for a long time", async () => {
    await store.recordHomeOpened("U1", "en", at(0));
    expect(await store.claimStaleHomes("a", at(2 * DAY), 10_000, at(DAY), 0, 10)).toEqual([]);
  });

  it("waits until retryAt after a failed publish", async () => {
    await store.recordHomeOpened("U1", "en", at(0));
    await claim("a", at(1_000));
    await store.releaseHome("U1", "a", at(30_000));
    expect(await claim("b", at(20_000))).toEqual([]);
    expect((await claim("b", at(31_000))).map((v) => v.userId)).toEqual(["U1"]);
  });
});
