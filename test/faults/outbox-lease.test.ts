/**
 * A delivery finishes or gives up inside its outbox lease, so two replicas never post the same
 * card: the outbox's Slack calls make one attempt each (no retries inside the web client, which
 * could outlast the lease while another replica takes the message over). And should a process stall
 * past its lease anyway, the card stored first wins and the late one is removed, so no orphan card
 * keeps live buttons.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NotificationDispatcher } from "../../src/backup/dispatcher.js";
import type { Notifier } from "../../src/backup/ports.js";
import type { MessageRef } from "../../src/domain/request.js";
import { createLogger } from "../../src/logger.js";
import { SEED } from "../../src/sandbox/rds-emulator.js";
import { openStore } from "../../src/store/open-store.js";
import {
  APPROVAL_CHANNEL,
  REQUEST_CHANNEL,
  type Stage,
  startStage,
  USERS,
  waitForCard,
} from "../e2e/harness.js";
import { minimalRequest } from "../store/harness.js";
import { createTestDatabase, postgresAvailable, type TestDatabase } from "../support/postgres.js";

const quiet = createLogger({ level: "silent", secrets: [] });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("two replicas and a slow Slack", () => {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    if (await postgresAvailable()) database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("post the card once when Slack fails slowly for longer than the lease", async (context) => {
    if (!database) return context.skip();
    // A short lease; the listeners' web client keeps its production retries (TEST_OVERRIDES turn
    // them off): only the outbox must do without them.
    const overrides = { dispatcher: { leaseMs: 1_000, pollMs: 50, maxBackoffMs: 300 }, slackClient: {} };
    const a: Stage = await startStage({ databaseUrl: database.url, overrides });
    const b: Stage = await startStage({
      databaseUrl: database.url,
      overrides,
      slack: a.slack,
      rdsEmulator: a.rds,
    });
    try {
      // Each of the first two posts to the channel fails after 450 ms, having posted nothing.
      a.slack.failNext("chat.postMessage", { status: 503, delayMs: 450 }, 2, { channel: APPROVAL_CHANNEL });
      const after = a.slack.calls.length;
      await a.user.slashCommand({ userId: USERS.requester, channelId: REQUEST_CHANNEL, text: SEED.mysql });
      const card = await waitForCard(a, after);
      await sleep(2_000); // a late duplicate would land meanwhile
      const cards = a.slack.messages(APPROVAL_CHANNEL);
      expect(cards.map((message) => message.ts)).toEqual([card.ts]);
      const [request] = await a.bot.store.list({ limit: 1 });
      expect(request?.card).toEqual({ channel: APPROVAL_CHANNEL, ts: card.ts });
    } finally {
      await b.close();
      await a.close();
    }
  });
});

describe("a replica that stalls past its lease", () => {
  it("keeps the card stored first and removes the late one", async () => {
    const store = await openStore(join(mkdtempSync(join(tmpdir(), "rdsbot-fence-")), "bot.sqlite"));
    await store.migrate();
    const request = minimalRequest();
    await store.create(request, { type: "requested", actor: "U_R" }, [{ kind: "card" }]);
    let posted = 0;
    const retracted: MessageRef[] = [];
    // Stands for Slack and a process that stalls: the first card takes 300 ms, whatever the budget.
    const stalling: Notifier = {
      deliver: async (notification) => {
        if (notification.kind !== "card") return {};
        posted += 1;
        const ts = `1767225600.00000${posted}`;
        if (posted === 1) await sleep(300);
        return { card: { channel: "C_APPROVALS", ts } };
      },
      retractCard: async (card) => {
        retracted.push(card);
      },
    };
    const options = { leaseMs: 100, pollMs: 60_000 };
    const first = new NotificationDispatcher(store, stalling, quiet, options);
    const second = new NotificationDispatcher(store, stalling, quiet, options);
    try {
      const one = first.flush();
      await sleep(150); // the first one's lease has run out; the second takes the card over
      await Promise.all([one, second.flush()]);
      expect(posted).toBe(2);
      // The second replica stored its card first; the stalled one's card goes.
      expect((await store.get(request.id))?.card).toEqual({
        channel: "C_APPROVALS",
        ts: "1767225600.000002",
      });
      expect(retracted).toEqual([{ channel: "C_APPROVALS", ts: "1767225600.000001" }]);
    } finally {
      await store.close();
    }
  });
});
