/**
 * /metrics, /healthz and /readyz on a whole bot (the stage: real Bolt in HTTP mode, real SDK, real
 * store, emulated Slack and RDS), scraped over HTTP like Prometheus and a kubelet would.
 */
import { App, SocketModeReceiver } from "@slack/bolt";
import { afterEach, describe, expect, it } from "vitest";
import { type CredentialsState, Readiness } from "../../src/ops/health.js";
import { BotMetrics, OPEN_STATES } from "../../src/ops/metrics.js";
import { SEED } from "../../src/sandbox/rds-emulator.js";
import { followSocketMode, slackEventType } from "../../src/slack/event-tracking.js";
import {
  eventually,
  fileInline,
  type Harness,
  settle,
  startHarness,
  threadTexts,
  USERS,
} from "../e2e/harness.js";
import { parsePrometheusText, sampleValue, scrape } from "./prom-text.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const port = (harness: Harness) => harness.config.port;

describe("/metrics on a running bot", () => {
  it("counts a request, its approval, the CreateBackup call, the acks and the notifications", async () => {
    h = await startHarness();
    const before = await scrape(port(h));
    expect(before.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(
      sampleValue(before.samples, "rdsbot_request_transitions_total", { from: "new", to: "pending" }),
    ).toBe(0);
    // Node.js process metrics come along (on this bot's own registry).
    expect(before.samples.some((s) => s.name === "process_cpu_user_seconds_total")).toBe(true);

    const card = await fileInline(h, USERS.requester, SEED.mysql);
    const filed = (await scrape(port(h))).samples;
    expect(sampleValue(filed, "rdsbot_request_transitions_total", { from: "new", to: "pending" })).toBe(1);
    expect(sampleValue(filed, "rdsbot_requests_open", { state: "pending" })).toBe(1);

    await h.user.clickButton({ userId: USERS.approver, message: card, actionId: "approve_backup" });
    await h.slack.waitUntil(() => threadTexts(h as Harness, card).some((t) => t.includes("Backup started")));
    await settle(h);
    const after = (await scrape(port(h))).samples;

    expect(sampleValue(after, "rdsbot_request_transitions_total", { from: "pending", to: "approved" })).toBe(
      1,
    );
    expect(
      sampleValue(after, "rdsbot_request_transitions_total", { from: "approved", to: "submitted" }),
    ).toBe(1);
    expect(sampleValue(after, "rdsbot_decisions_total", { decision: "approve" })).toBe(1);
    expect(sampleValue(after, "rdsbot_requests_open", { state: "pending" })).toBe(0);

    // CreateBackup: one call, timed, no error.
    const createCount = { operation: "CreateBackup", outcome: "ok" };
    expect(sampleValue(after, "rdsbot_rds_call_duration_seconds_count", createCount)).toBe(1);
    expect(sampleValue(after, "rdsbot_rds_call_duration_seconds_sum", createCount)).toBeGreaterThan(0);
    expect(
      sampleValue(after, "rdsbot_rds_call_duration_seconds_bucket", { ...createCount, le: "+Inf" }),
    ).toBe(1);
    expect(after.filter((s) => s.name === "rdsbot_rds_call_errors_total")).toEqual([]);
    // The instance look-up before filing is an RDS call too.
    expect(
      sampleValue(after, "rdsbot_rds_call_duration_seconds_count", {
        operation: "DescribeDBInstanceAttribute",
        outcome: "ok",
      }),
    ).toBeGreaterThanOrEqual(1);

    // Every Slack request was acknowledged, well inside Slack's 3 seconds.
    for (const type of ["command", "block_actions"]) {
      const acks = sampleValue(after, "rdsbot_slack_ack_duration_seconds_count", { type });
      expect(acks, type).toBeGreaterThanOrEqual(1);
      expect(sampleValue(after, "rdsbot_slack_ack_duration_seconds_bucket", { type, le: "3" })).toBe(acks);
    }

    // The card (posted, then updated) and the thread replies went out.
    expect(
      sampleValue(after, "rdsbot_notifications_total", { kind: "card", result: "delivered" }),
    ).toBeGreaterThanOrEqual(2);
    expect(
      sampleValue(after, "rdsbot_notifications_total", { kind: "thread", result: "delivered" }),
    ).toBeGreaterThanOrEqual(2);
    expect(sampleValue(after, "rdsbot_notifications_total", { kind: "card", result: "failed" })).toBe(0);
  });

  it("counts a failing CreateBackup by its error code, a rejection, and undelivered notifications", async () => {
    h = await startHarness();
    h.rds.failNext("CreateBackup", { code: "BackupJobExists" });
    const card = await fileInline(h, USERS.requester, SEED.mysql);
    await h.user.clickButton({ userId: USERS.approver, message: card, actionId: "approve_backup" });
    await h.slack.waitUntil(() => threadTexts(h as Harness, card).some((t) => t.includes("BackupJobExists")));

    const rejected = await fileInline(h, USERS.requester, SEED.postgres);
    await h.user.clickButton({ userId: USERS.approver, message: rejected, actionId: "reject_backup" });
    await h.slack.waitFor("views.open");
    const modal = h.slack.currentView(USERS.approver);
    if (!modal) throw new Error("no reject modal");
    // Slack refuses the card's update once: the failure is counted, and the outbox tries again.
    h.slack.failNext("chat.update", { error: "channel_not_found" });
    await h.user.submitView({ userId: USERS.approver, view: modal, values: { reason: "not now" } });
    await h.slack.waitUntil(() => threadTexts(h as Harness, rejected).some((t) => t.includes("not now")));
    await settle(h);
    const samples = (await scrape(port(h))).samples;

    expect(
      sampleValue(samples, "rdsbot_rds_call_errors_total", {
        operation: "CreateBackup",
        code: "BackupJobExists",
      }),
    ).toBe(1);
    expect(
      sampleValue(samples, "rdsbot_rds_call_duration_seconds_count", {
        operation: "CreateBackup",
        outcome: "error",
      }),
    ).toBe(1);
    expect(sampleValue(samples, "rdsbot_request_transitions_total", { from: "approved", to: "failed" })).toBe(
      1,
    );
    expect(sampleValue(samples, "rdsbot_decisions_total", { decision: "approve" })).toBe(1);
    expect(sampleValue(samples, "rdsbot_decisions_total", { decision: "reject" })).toBe(1);
    expect(
      sampleValue(samples, "rdsbot_request_transitions_total", { from: "pending", to: "rejected" }),
    ).toBe(1);
    expect(sampleValue(samples, "rdsbot_notifications_total", { kind: "card", result: "failed" })).toBe(1);
  });

  it("counts CreateBackup's unclear answers and what became of them: adopted, retried, needs_attention", async () => {
    h = await startHarness({ rds: { listings: { taskLagMs: 1_000 } } });
    const stage = h;
    const outcome = async (instanceId: string) =>
      eventually(async () => {
        const [request] = await stage.bot.store.list({ instanceId, limit: 1 });
        return request && request.state !== "pending" && request.state !== "approved" ? request : undefined;
      }, 20_000);
    // One answer lost after the job was made: the job shows in the listings and is adopted.
    stage.rds.failNext("CreateBackup", { fault: "timeout-after-create" });
    const adopted = await fileInline(stage, USERS.requester, SEED.mysql);
    await stage.user.clickButton({ userId: USERS.approver, message: adopted, actionId: "approve_backup" });
    expect((await outcome(SEED.mysql)).state).toBe("submitted");
    // Two HTTP 500s: one more call after the listings showed nothing, then the approvers decide.
    stage.rds.failNext("CreateBackup", { code: "InternalError", httpStatus: 500 }, 2);
    const handed = await fileInline(stage, USERS.requester, SEED.postgres);
    await stage.user.clickButton({ userId: USERS.approver, message: handed, actionId: "approve_backup" });
    expect((await outcome(SEED.postgres)).state).toBe("needs_attention");

    const samples = (await scrape(port(stage))).samples;
    expect(sampleValue(samples, "rdsbot_create_backup_unclear_total", { code: "Timeout" })).toBe(1);
    expect(sampleValue(samples, "rdsbot_create_backup_unclear_total", { code: "InternalError" })).toBe(2);
    expect(sampleValue(samples, "rdsbot_create_backup_unclear_outcomes_total", { outcome: "adopted" })).toBe(
      1,
    );
    expect(sampleValue(samples, "rdsbot_create_backup_unclear_outcomes_total", { outcome: "retried" })).toBe(
      1,
    );
    expect(
      sampleValue(samples, "rdsbot_create_backup_unclear_outcomes_total", { outcome: "needs_attention" }),
    ).toBe(1);
    expect(sampleValue(samples, "rdsbot_requests_open", { state: "needs_attention" })).toBe(1);
  });

  it("keeps each bot's metrics apart", async () => {
    h = await startHarness();
    const other = await startHarness({ slack: h.slack, rdsEmulator: h.rds });
    try {
      await fileInline(h, USERS.requester, SEED.mysql);
      const mine = (await scrape(port(h))).samples;
      const theirs = (await scrape(port(other))).samples;
      expect(sampleValue(mine, "rdsbot_request_transitions_total", { from: "new", to: "pending" })).toBe(1);
      expect(sampleValue(theirs, "rdsbot_request_transitions_total", { from: "new", to: "pending" })).toBe(0);
    } finally {
      await other.close();
    }
  });
});

describe("/healthz and /readyz", () => {
  it("answers 200 on both while the bot runs, and stops answering once it stopped", async () => {
    h = await startHarness();
    const base = `http://127.0.0.1:${port(h)}`;
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: "ready",
      ready: true,
      slack: "connected",
      store: "ok",
      alibaba: "ok",
    });

    await h.stopBot();
    await expect(fetch(`${base}/readyz`)).rejects.toThrow();
  });
});

describe("Readiness", () => {
  const answering = { outboxEmpty: async () => true };

  it("is not ready before Slack is up, nor once stopping", async () => {
    const readiness = new Readiness({ store: answering });
    expect(await readiness.check()).toEqual({ ready: false, slack: "starting", store: "ok", alibaba: "ok" });
    readiness.slackConnected(true);
    expect((await readiness.check()).ready).toBe(true);
    readiness.slackConnected(false);
    expect(await readiness.check()).toEqual({
      ready: false,
      slack: "disconnected",
      store: "ok",
      alibaba: "ok",
    });
    readiness.slackConnected(true);
    readiness.stopping();
    readiness.slackConnected(true); // a late "connected" does not undo the stop
    expect(await readiness.check()).toEqual({ ready: false, slack: "stopping", store: "ok", alibaba: "ok" });
  });

  it("is not ready once Alibaba Cloud refuses the credentials, and says why", async () => {
    let state: CredentialsState = { ok: true };
    const readiness = new Readiness({ store: answering, credentials: () => state });
    readiness.slackConnected(true);
    expect((await readiness.check()).ready).toBe(true);
    const since = new Date("2026-12-01T03:00:00Z");
    state = { ok: false, code: "InvalidSecurityToken.Expired", since };
    const report = await readiness.check();
    expect(report).toMatchObject({
      ready: false,
      alibaba: "failing",
      alibabaError: { code: "InvalidSecurityToken.Expired", since: since.toISOString() },
    });
    expect(report.alibabaError?.reason).toContain("RRSA");
    expect(report.alibabaError?.reason).toContain("ECS RAM role");
  });

  it("is not ready when the store fails or does not answer in time", async () => {
    const failing = new Readiness({ store: { outboxEmpty: () => Promise.reject(new Error("down")) } });
    failing.slackConnected(true);
    expect(await failing.check()).toEqual({
      ready: false,
      slack: "connected",
      store: "error",
      alibaba: "ok",
    });

    const hanging = new Readiness({
      store: { outboxEmpty: () => new Promise(() => {}) },
      storeTimeoutMs: 50,
    });
    hanging.slackConnected(true);
    expect(await hanging.check()).toEqual({
      ready: false,
      slack: "connected",
      store: "timeout",
      alibaba: "ok",
    });
  });

  it("follows the Socket Mode connection of a Bolt app, and ignores an HTTP app", () => {
    const receiver = new SocketModeReceiver({ appToken: "xapp-1-A0-1-test" });
    const socketApp = new App({ token: "xoxb-test", receiver, tokenVerificationEnabled: false });
    const seen: boolean[] = [];
    expect(followSocketMode(socketApp, (connected) => seen.push(connected))).toBe(true);
    receiver.client.emit("connecting");
    receiver.client.emit("connected");
    receiver.client.emit("close");
    receiver.client.emit("reconnecting");
    receiver.client.emit("connected");
    receiver.client.emit("disconnected");
    expect(seen).toEqual([false, true, false, false, true, false]);

    const httpApp = new App({ token: "xoxb-test", signingSecret: "00ff", tokenVerificationEnabled: false });
    expect(followSocketMode(httpApp, () => seen.push(true))).toBe(false);
  });
});

describe("the metric helpers", () => {
  it("labels Slack requests by kind", () => {
    expect(slackEventType({ command: "/rds-backup" })).toBe("command");
    expect(slackEventType({ type: "block_actions" })).toBe("block_actions");
    expect(slackEventType({ type: "view_submission" })).toBe("view_submission");
    expect(slackEventType({ type: "event_callback" })).toBe("event");
    expect(slackEventType({ type: "<script>" })).toBe("script");
    expect(slackEventType({})).toBe("other");
  });

  it("leaves the open-requests gauge out when the store does not answer", async () => {
    const metrics = new BotMetrics({ defaultMetrics: false, storeTimeoutMs: 50 });
    const store = { list: () => new Promise<never>(() => {}) } as unknown as Parameters<
      BotMetrics["instrumentStore"]
    >[0];
    metrics.instrumentStore(store);
    const text = await metrics.text();
    expect(text).not.toMatch(/^rdsbot_requests_open\{/m);
    expect(OPEN_STATES).toEqual(["pending", "scheduled", "approved", "submitted", "needs_attention"]);
  });

  it("counts only moves that happened (a lost race counts nothing)", async () => {
    const metrics = new BotMetrics({ defaultMetrics: false });
    const fake = {
      transition: async (_id: string, move: { to: string }) =>
        move.to === "expired" ? { id: "x" } : undefined,
      outboxEmpty: async () => true,
    };
    const store = metrics.instrumentStore(fake as unknown as Parameters<BotMetrics["instrumentStore"]>[0]);
    await store.transition("a", { from: "pending", to: "expired" }, {}, { type: "expired", actor: "system" });
    await store.transition("b", { from: "pending", to: "rejected" }, {}, { type: "rejected", actor: "U1" });
    expect(await store.outboxEmpty()).toBe(true); // everything else passes through
    const samples = parsePrometheusText(await metrics.text());
    expect(sampleValue(samples, "rdsbot_decisions_total", { decision: "expire" })).toBe(1);
    expect(sampleValue(samples, "rdsbot_decisions_total", { decision: "reject" })).toBe(0);
  });
});
