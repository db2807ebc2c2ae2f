/**
 * The stop's last delivery round (src/ops/shutdown.ts `deliverDue`): it ends by its deadline and
 * never leaves a delivery running behind it, because the store closes next. A card posted while
 * the store is closing would not be recorded, and the next start would post it again.
 */
import { afterEach, describe, expect, it } from "vitest";
import { NotificationDispatcher } from "../../src/backup/dispatcher.js";
import type { Notification, Notifier, RequestStore } from "../../src/backup/ports.js";
import type { BackupRequest, MessageRef } from "../../src/domain/request.js";
import { createLogger } from "../../src/logger.js";
import { deliverDue } from "../../src/ops/shutdown.js";
import { openStore } from "../../src/store/open-store.js";
import { minimalRequest } from "../store/harness.js";

const quiet = createLogger({ level: "silent", secrets: [] });
let store: RequestStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

/** A Slack that takes `ms` to post each message, and keeps within the delivery's budget as ours does. */
class SlowSlack implements Notifier {
  posted = 0;
  constructor(private readonly ms: number) {}
  async deliver(
    _notification: Notification,
    _request: BackupRequest,
    budget: { withinMs: number } = { withinMs: 10_000 },
  ): Promise<{ card?: MessageRef }> {
    if (budget.withinMs < this.ms) throw new Error("no time left for the call in this delivery");
    await new Promise((resolve) => setTimeout(resolve, this.ms));
    this.posted += 1;
    return { card: { channel: "C0APPROVALS", ts: `1700000000.00000${this.posted}` } };
  }
  async retractCard(): Promise<void> {}
}

describe("the stop's last delivery round", () => {
  it("waits for a delivery under way, so the card it posts is recorded before the store closes", async () => {
    store = await openStore(":memory:");
    await store.migrate();
    const request = minimalRequest();
    await store.create(request, { type: "requested", actor: "U0REQUESTER" }, [{ kind: "card" }]);
    const slack = new SlowSlack(300);
    const dispatcher = new NotificationDispatcher(store, slack, quiet);

    await deliverDue(dispatcher, 1_000, quiet);

    expect(slack.posted).toBe(1);
    expect((await store.get(request.id))?.card).toEqual({ channel: "C0APPROVALS", ts: "1700000000.000001" });
    expect(await store.outboxEmpty()).toBe(true);
  });

  it("starts nothing that could end after its deadline: the rest waits in the outbox", async () => {
    store = await openStore(":memory:");
    await store.migrate();
    const request = minimalRequest();
    await store.create(request, { type: "requested", actor: "U0REQUESTER" }, [{ kind: "card" }]);
    const slack = new SlowSlack(500);
    const dispatcher = new NotificationDispatcher(store, slack, quiet);

    await deliverDue(dispatcher, 200, quiet);
    // Nothing goes on behind the stop's back: a post finishing now would find the store closed.
    await new Promise((resolve) => setTimeout(resolve, 700));

    expect(slack.posted).toBe(0);
    expect(await store.outboxEmpty()).toBe(false);
  });
});
