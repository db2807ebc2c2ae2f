/**
 * What a real Slack workspace does that a kind emulator would not: command text that arrives
 * escaped, clicks that are never redelivered, a deadline measured at Slack, stale view hashes,
 * and more databases than a static select holds (issue 14).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SEED } from "../../src/sandbox/rds-emulator.js";
import { commandReply, type Harness, startHarness, USERS } from "./harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe("command text arrives escaped", () => {
  it("is unescaped once, so an echo is escaped once, not twice", async () => {
    const unknown = await commandReply(h, USERS.requester, "<oops>");
    expect(unknown).toContain('"&lt;oops&gt;" is not a command I know');
    expect(unknown).not.toContain("&amp;");

    const invalid = await commandReply(
      h,
      USERS.requester,
      `${SEED.mysql} method=Logical strategy=db db=orders&co`,
    );
    expect(invalid).toContain('"orders&amp;co" is not a valid database name');
    expect(invalid).not.toContain("&amp;amp;");
  });
});
