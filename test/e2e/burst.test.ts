/**
 * A burst of commands while RDS is slow: every command is acked, the work after the acks runs a
 * bounded number at a time (src/slack/after-ack.ts), and every command still gets its one answer.
 */
import { describe, expect, it } from "vitest";
import { SEED } from "../../src/sandbox/rds-emulator.js";
import { AFTER_ACK_CONCURRENCY } from "../../src/slack/after-ack.js";
import { openStore } from "../../src/store/open-store.js";
import { sampleValue, scrape } from "../deploy/prom-text.js";
import { APPROVAL_CHANNEL, REQUEST_CHANNEL, USERS, useStage } from "./harness.js";

const RDS_LATENCY_MS = 400;
/** Filing one request reads the instance, its backup tasks and its backup sets, in parallel. */
const RDS_READS_PER_FILING = 3;

const h = useStage();

/** The most calls the emulator was answering at one time, each answered `latencyMs` after it came. */
function mostInFlight(arrivals: readonly Date[], latencyMs: number): number {
  const times = arrivals.map((at) => at.getTime()).sort((a, b) => a - b);
  let most = 0;
  for (const [i, start] of times.entries()) {
    const overlapping = times.slice(i).filter((t) => t < start + latencyMs).length;
    most = Math.max(most, overlapping);
  }
  return most;
}

describe("a burst of commands", () => {
  it("acks all, bounds the RDS work in flight, and answers every command once", async () => {
    const burst = AFTER_ACK_CONCURRENCY * 3;
    h.rds.setLatency(RDS_LATENCY_MS);
    const rdsBefore = h.rds.calls.length;

    const commands = await Promise.all(
      Array.from({ length: burst }, () =>
        h.user.slashCommand({ userId: USERS.requester, channelId: REQUEST_CHANNEL, text: SEED.mysql }),
      ),
    );
    expect(commands.map((command) => command.status)).toEqual(commands.map(() => 200));

    // What /metrics says meanwhile: the queue fills up and never runs more than the bound.
    const seen = { running: 0, waiting: 0 };
    let watching = true;
    const watchingMetrics = (async () => {
      while (watching) {
        const { samples } = await scrape(h.config.port);
        const work = (state: string) => sampleValue(samples, "rdsbot_slack_after_ack_work", { state }) ?? 0;
        seen.running = Math.max(seen.running, work("running"));
        seen.waiting = Math.max(seen.waiting, work("waiting"));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();

    const answers = (id: string) =>
      h.slack.calls.filter((call) => call.method === "response_url" && call.responseUrlId === id);
    await h.slack.waitUntil(
      () => commands.every((command) => answers(command.responseUrlId).length > 0),
      30_000,
    );
    for (const command of commands) {
      const [answer, ...more] = answers(command.responseUrlId);
      expect(more).toHaveLength(0);
      expect(String((answer?.args as { text?: string } | undefined)?.text)).toMatch(/req-[a-z0-9]{10}/);
    }
    // The cards keep Slack's pace in their channel (a burst, then about one a second).
    await h.slack.waitUntil(
      () =>
        h.slack.calls.filter(
          (call) => call.method === "chat.postMessage" && call.args.channel === APPROVAL_CHANNEL,
        ).length === burst,
      25_000,
    );

    watching = false;
    await watchingMetrics;
    expect(seen.running).toBe(AFTER_ACK_CONCURRENCY);
    expect(seen.waiting).toBeGreaterThan(0);
    const idle = (await scrape(h.config.port)).samples;
    expect(sampleValue(idle, "rdsbot_slack_after_ack_work", { state: "running" })).toBe(0);
    expect(sampleValue(idle, "rdsbot_slack_after_ack_work", { state: "waiting" })).toBe(0);

    const reads = h.rds.calls.slice(rdsBefore).map((call) => call.at);
    expect(reads).toHaveLength(burst * RDS_READS_PER_FILING);
    // Unbounded, all of them would be in flight at once.
    expect(mostInFlight(reads, RDS_LATENCY_MS)).toBeLessThanOrEqual(
      AFTER_ACK_CONCURRENCY * RDS_READS_PER_FILING,
    );
  });

  it("a stop in the middle of a burst finishes the queued work before it exits", async () => {
    const burst = AFTER_ACK_CONCURRENCY * 3;
    h.rds.setLatency(RDS_LATENCY_MS);
    const commands = await Promise.all(
      Array.from({ length: burst }, () =>
        h.user.slashCommand({ userId: USERS.requester, channelId: REQUEST_CHANNEL, text: SEED.mysql }),
      ),
    );
    expect(commands.every((command) => command.status === 200)).toBe(true);

    // Most of the burst is still waiting for its turn when the stop (SIGTERM's path) begins.
    await h.stopBot();

    const answered = commands.map((command) =>
      h.slack.calls.filter(
        (call) => call.method === "response_url" && call.responseUrlId === command.responseUrlId,
      ),
    );
    expect(answered.map((answers) => answers.length)).toEqual(commands.map(() => 1));
    // Every command was filed. Cards keep Slack's pace in their channel (a burst, then about one a
    // second): those that did not fit into the stop's last delivery round wait in the outbox for the
    // next start. None is lost, none posted twice.
    const cards = h.slack.calls.filter(
      (call) => call.ok && call.method === "chat.postMessage" && call.args.channel === APPROVAL_CHANNEL,
    );
    const store = await openStore(h.databaseUrl);
    try {
      const filed = await store.list({ limit: 1_000 });
      expect(filed).toHaveLength(burst);
      expect(filed.filter((request) => request.card)).toHaveLength(cards.length);
      expect(await store.outboxEmpty()).toBe(cards.length === burst);
    } finally {
      await store.close();
    }
  });
});
