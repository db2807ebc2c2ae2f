/**
 * A request that needs attention has ways out (issue 12, sequence 6): the approvers check again,
 * start the backup again or close it as not started. Each is audited, said in the thread, and
 * shows in `status` and `history`. On in-memory ports with a simulated clock.
 */
import { afterEach, describe, expect, it } from "vitest";
import { historyText, statusText } from "../../src/slack/views/status.js";
import { type World, world } from "./world.js";

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

/** A request whose CreateBackup answered 500 twice: handed to the approvers. */
async function handedOver(current: World) {
  current.rds.script({ kind: "5xx" }, { kind: "5xx" });
  const { request } = await current.fileAndApprove();
  const handed = await current.settled(request.id);
  expect(handed.state).toBe("needs_attention");
  return handed;
}

const auditOf = async (current: World, id: string) =>
  (await current.store.auditTrail(id)).map((event) => `${event.type}:${event.actor}`);

describe("6: the way out of needs_attention", () => {
  it("'Check again' that finds nothing says so, keeps the request for a decision, and is audited", async () => {
    w = await world();
    const request = await handedOver(w);
    const result = await w.run(w.service.checkAgain(request.id, "U0APPROVER1"));
    expect(result.kind).toBe("done");
    expect((await w.request(request.id)).state).toBe("needs_attention");
    expect(w.thread(request.id).at(-1)).toMatchObject({
      type: "checked_again",
      by: "U0APPROVER1",
      finding: { kind: "nothing" },
    });
    expect((await auditOf(w, request.id)).at(-1)).toBe("checked_again:U0APPROVER1");
    expect(w.rds.createCalls).toHaveLength(2);
  });

  it("'Check again' that finds the request's job follows it", async () => {
    // The job shows in the listings only long after the bot gave up watching.
    w = await world({ rds: { taskLagMs: 400_000 } });
    w.rds.script({ kind: "created_then_5xx" }, { kind: "5xx" });
    const { request } = await w.fileAndApprove();
    expect((await w.settled(request.id)).state).toBe("needs_attention");
    await w.clock.advance(400_000);
    const result = await w.run(w.service.checkAgain(request.id, "U0APPROVER1"));
    expect(result).toMatchObject({ kind: "done", request: { state: "submitted" } });
    const final = await w.request(request.id);
    expect(final.backupJobId).toBe(w.rds.ownJobs()[0]?.backupJobId);
    expect((await auditOf(w, request.id)).at(-1)).toBe("reconciled:U0APPROVER1");
    expect(w.thread(request.id).at(-1)).toMatchObject({ type: "job_adopted" });
    expect(w.rds.createCalls).toHaveLength(2);
  });

  it("'Start the backup again' calls CreateBackup once more, audited as the approver's decision", async () => {
    w = await world();
    const request = await handedOver(w);
    const result = await w.run(w.service.startAgain(request.id, "U0APPROVER1"));
    expect(result).toMatchObject({ kind: "done", request: { state: "submitted" } });
    expect(w.rds.createCalls).toHaveLength(3);
    const audit = await auditOf(w, request.id);
    expect(audit.slice(-3)).toEqual([
      "started_again:U0APPROVER1",
      "create_backup_called:U0APPROVER1",
      "submitted:system",
    ]);
    expect(
      w
        .thread(request.id)
        .map((event) => event.type)
        .slice(-2),
    ).toEqual(["started_again", "job_started"]);
  });

  it("two clicks on 'Start the backup again' make one call", async () => {
    w = await world();
    const request = await handedOver(w);
    const [one, two] = await w.run(
      Promise.all([
        w.service.startAgain(request.id, "U0APPROVER1"),
        w.service.startAgain(request.id, "U0APPROVER1"),
      ]),
    );
    expect([one?.kind, two?.kind].sort()).toEqual(["done", "refused"]);
    expect(w.rds.createCalls).toHaveLength(3);
  });

  it("'Close as not started' ends the request; CreateBackup is never called for it again", async () => {
    w = await world();
    const request = await handedOver(w);
    const result = await w.run(w.service.closeNotStarted(request.id, "U0APPROVER1"));
    expect(result).toMatchObject({ kind: "done", request: { state: "cancelled", decidedBy: "U0APPROVER1" } });
    expect((await auditOf(w, request.id)).at(-1)).toBe("closed_not_started:U0APPROVER1");
    expect(w.thread(request.id).at(-1)).toMatchObject({ type: "closed_not_started", by: "U0APPROVER1" });
    expect(await w.run(w.service.startAgain(request.id, "U0APPROVER1"))).toMatchObject({
      kind: "refused",
      reason: "already_decided",
    });
    expect(w.rds.createCalls).toHaveLength(2);
  });

  it("only the approvers may act, and the requester may not start it again on their own", async () => {
    w = await world();
    const request = await handedOver(w);
    for (const act of [w.service.checkAgain, w.service.startAgain, w.service.closeNotStarted]) {
      expect(await w.run(act.call(w.service, request.id, "U0OUTSIDER1"))).toMatchObject({
        kind: "refused",
        reason: "not_approver",
      });
    }
    expect(await w.run(w.service.startAgain("req-notarequest", "U0APPROVER1"))).toMatchObject({
      kind: "refused",
      reason: "invalid",
    });
    expect((await w.request(request.id)).state).toBe("needs_attention");
    expect(w.rds.createCalls).toHaveLength(2);
  });

  it("status and history show what the approvers did", async () => {
    w = await world();
    const request = await handedOver(w);
    await w.run(w.service.checkAgain(request.id, "U0APPROVER1"));
    await w.run(w.service.closeNotStarted(request.id, "U0APPROVER1"));
    const status = await w.run(statusText(w.service, request.id, "en"));
    expect(status).toContain("Closed as not started by <@U0APPROVER1>");
    expect(status).toContain("<@U0APPROVER1> checked again (");
    expect(status).toContain("<@U0APPROVER1> closed it as not started (");
    const history = await w.run(historyText(w.service, undefined, "ja"));
    expect(history).toContain("<@U0APPROVER1> が");
    expect(history).toContain("未実行として終了しました");
  });
});
