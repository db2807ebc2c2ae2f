/**
 * PostgreSQL goes away under load and comes back (a restart), seen through a TCP proxy in front of
 * the shared server: the bot keeps acknowledging Slack, tells people it could not act, calls
 * CreateBackup for nobody it cannot record, and afterwards every request ends correctly (the one
 * whose CreateBackup was in flight is reconciled with the job RDS shows), each job announced once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SlashCommandResult } from "../../src/sandbox/slack-emulator.js";
import {
  eventually,
  type Harness,
  REQUEST_CHANNEL,
  startHarness,
  TEST_OVERRIDES,
  USERS,
} from "../e2e/harness.js";
import { createTestDatabase, postgresAvailable, type TestDatabase } from "../support/postgres.js";
import {
  acceptedCreates,
  approve,
  expectConsistent,
  type Filed,
  file,
  freshInstance,
  outcomeOf,
  stillServes,
} from "./helpers.js";
import { TcpProxy } from "./tcp-proxy.js";

let database: TestDatabase | undefined;
let proxy: TcpProxy | undefined;
let h: Harness | undefined;
/** Stops the background load (also when the test fails half-way). */
let stopLoad: (() => Promise<void>) | undefined;

beforeAll(async () => {
  if (!(await postgresAvailable())) return;
  database = await createTestDatabase();
  const target = new URL(database.url);
  proxy = await TcpProxy.start(target.hostname, Number(target.port || 5432));
  const viaProxy = new URL(database.url);
  viaProxy.host = `127.0.0.1:${proxy.port}`;
  h = await startHarness({
    databaseUrl: viaProxy.toString(),
    overrides: {
      // Reconciliation of an approval left without an outcome may start 1.5 s after it.
      service: { ...TEST_OVERRIDES.service, abandonedAfterMs: 1_500 },
      // A message claimed while the database went away stays leased this long (30 s by default).
      dispatcher: { ...TEST_OVERRIDES.dispatcher, leaseMs: 2_000 },
      watcher: { ...TEST_OVERRIDES.watcher, leaseMs: 2_000 },
    },
  });
});

afterAll(async () => {
  await stopLoad?.();
  proxy?.restore();
  await h?.close();
  await proxy?.close();
  await database?.drop();
});

/** Slash commands sent every 50 ms while `running`; every ack is checked afterwards. */
function backgroundLoad(harness: Harness) {
  const acks: SlashCommandResult[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      acks.push(
        await harness.user.slashCommand({
          userId: USERS.outsider,
          channelId: REQUEST_CHANNEL,
          text: "history",
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return {
    acks,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

describe("PostgreSQL restarted under load", () => {
  it("keeps acking, tells the truth, and ends every request correctly with one backup each", async (context) => {
    if (!h || !proxy) return context.skip();
    const stage = h;
    const db = proxy;

    // Before: two requests approved and done, four waiting.
    const done: Filed[] = [];
    for (let i = 0; i < 2; i++) {
      const one = await file(stage, freshInstance(stage));
      await approve(stage, one);
      await outcomeOf(stage, one.requestId);
      done.push(one);
    }
    const [inFlight, cutOff, late, untouched] = await Promise.all(
      [0, 1, 2, 3].map(() => file(stage, freshInstance(stage))),
    );
    if (!inFlight || !cutOff || !late || !untouched) throw new Error("filing failed");
    const load = backgroundLoad(stage);
    stopLoad = load.stop;

    // One approval's CreateBackup is in flight when the database goes away.
    stage.rds.failNext("CreateBackup", { fault: "delay", ms: 1_000 });
    await approve(stage, inFlight);
    await eventually(
      async () => acceptedCreates(stage, inFlight.instanceId) > 0 || stage.rds.count("CreateBackup") > 2,
      5_000,
    );
    db.cut();

    // While it is down: clicks and commands are still acknowledged within Slack's 3 seconds…
    const ephemeralsBefore = stage.slack.ephemerals(USERS.approver2).length;
    const click = await stage.user.clickButton({
      userId: USERS.approver2,
      message: cutOff.card,
      actionId: "approve_backup",
    });
    expect(click.status).toBe(200);
    expect(click.slackErrors).toEqual([]);
    const command = await stage.user.slashCommand({
      userId: USERS.requester,
      channelId: REQUEST_CHANNEL,
      text: freshInstance(stage),
    });
    expect(command.status).toBe(200);
    expect(command.slackErrors).toEqual([]);
    // …and the people are told it did not work (rather than nothing, or a success).
    await stage.slack.waitUntil(
      () => stage.slack.ephemerals(USERS.approver2).length > ephemeralsBefore,
      10_000,
      "an answer to the click",
    );
    expect(stage.slack.ephemerals(USERS.approver2).at(-1)?.text).toMatch(/went wrong/);
    expect(stage.slack.ephemerals(USERS.approver2).at(-1)?.text).toMatch(/thread will show/);
    await stage.slack.waitUntil(
      () => stage.slack.responses(command.responseUrlId).length > 0,
      10_000,
      "an answer to the command",
    );
    expect(String(stage.slack.responses(command.responseUrlId)[0]?.body.text)).toMatch(/nothing was filed/);
    const health = await fetch(`http://127.0.0.1:${stage.config.port}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`http://127.0.0.1:${stage.config.port}/readyz`);
    expect(ready.status).toBe(503);
    // The click the store could not record called nothing.
    expect(
      stage.rds.calls.filter(
        (c) => c.params.DBInstanceId === cutOff.instanceId && c.action === "CreateBackup",
      ),
    ).toHaveLength(0);

    // The in-flight CreateBackup answers while the database is still down: its outcome cannot be
    // recorded, and the approver hears that something went wrong.
    const approverHeard = stage.slack.ephemerals(USERS.approver).length;
    await eventually(
      async () => acceptedCreates(stage, inFlight.instanceId) === 1,
      5_000,
      "the CreateBackup answer",
    );
    await stage.slack.waitUntil(
      () => stage.slack.ephemerals(USERS.approver).length > approverHeard,
      10_000,
      "an answer to the in-flight approval",
    );
    // True: it does not claim nothing happened (RDS did start the backup).
    const told = stage.slack.ephemerals(USERS.approver).at(-1)?.text ?? "";
    expect(told).toMatch(/went wrong/);
    expect(told).not.toMatch(/nothing was filed/);
    expect((await fetch(`http://127.0.0.1:${stage.config.port}/healthz`)).status).toBe(200);

    // The database is back.
    db.restore();
    await eventually(
      async () => (await fetch(`http://127.0.0.1:${stage.config.port}/readyz`)).status === 200,
      10_000,
      "readiness",
    );
    await load.stop();

    // The approval that failed is simply given again; a new request goes through.
    await approve(stage, cutOff, USERS.approver2);
    await outcomeOf(stage, cutOff.requestId);
    await approve(stage, late);
    await outcomeOf(stage, late.requestId);

    // The request whose outcome could not be recorded is reconciled with the job RDS made.
    const reconciled = await eventually(
      async () => {
        await stage.bot.housekeeping();
        const request = await stage.bot.store.get(inFlight.requestId);
        return request && request.state !== "approved" ? request : undefined;
      },
      15_000,
      "reconciliation of the in-flight request",
    );
    expect(["submitted", "succeeded"]).toContain(reconciled.state);
    expect(acceptedCreates(stage, inFlight.instanceId)).toBe(1);

    const all = [...done, inFlight, cutOff, late, untouched];
    const requests = await expectConsistent(stage, all);
    expect(requests.find((r) => r.id === untouched.requestId)?.state).toBe("pending");
    // Every ack under load was in time.
    expect(load.acks.length).toBeGreaterThan(5);
    for (const ack of load.acks) {
      expect(ack.status).toBe(200);
      expect(ack.slackErrors).toEqual([]);
    }
    await stillServes(stage);
  }, 90_000);
});
