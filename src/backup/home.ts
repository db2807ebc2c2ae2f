/**
 * The Home tab's use cases: what a person sees there (read from the store, the policy deciding who
 * may decide and who may see), publishing it when they open the tab, and re-publishing it for
 * people who opened it recently when a request changes. Slack-free: it talks to `HomePublisher`.
 *
 * Re-publishing is derived from the store, so it is right after a restart and with several
 * replicas: a tab is stale when a request changed since its data was last read
 * (`HomeViewStore.claimStaleHomes`); the refresher leases stale tabs like the outbox leases
 * messages, publishes each once (skipping data it has shown already), and a burst of changes makes
 * one publish per `minIntervalMs`.
 */
import { createHash, randomUUID } from "node:crypto";
import { isFinal, REQUEST_STATES } from "../domain/lifecycle.js";
import type { BackupRequest, Locale } from "../domain/request.js";
import type { Logger } from "../logger.js";
import { Poller } from "./poller.js";
import type { HomeData, HomePublisher, HomeViewStore, RequestStore } from "./ports.js";
import type { BackupService } from "./service.js";

/** How many of their own requests, and of recent outcomes, the tab lists. */
export const HOME_LIST_LENGTH = 10;
/** How many pending requests are read to find the ones a person may decide. */
const PENDING_SCAN = 1000;
/** How many outcomes are read to find the last ones a person may see. */
const OUTCOME_SCAN = 200;
const OUTCOME_STATES = REQUEST_STATES.filter(isFinal);

export interface HomeOptions {
  /** How often the refresher looks for stale tabs (it is also kicked after every change). */
  pollMs: number;
  /** How long one refresh of a tab may take before another process may take it over. */
  leaseMs: number;
  /** People who opened the tab within this long get it re-published; others when they open it. */
  activeForMs: number;
  /** At most one re-publish per person within this long: a burst of changes makes one. */
  minIntervalMs: number;
  /** After a failed publish, the tab is tried again after this long. */
  retryMs: number;
}

export const HOME_DEFAULTS: HomeOptions = {
  pollMs: 2_000,
  leaseMs: 15_000,
  activeForMs: 24 * 3_600_000,
  minIntervalMs: 2_000,
  retryMs: 30_000,
};

export interface HomeDeps {
  store: RequestStore & HomeViewStore;
  service: BackupService;
  publisher: HomePublisher;
  logger: Logger;
  clock?: (() => Date) | undefined;
  options?: Partial<HomeOptions> | undefined;
}

export class HomeTabs {
  private readonly options: HomeOptions;
  private readonly clock: () => Date;
  private readonly owner = `home-${randomUUID()}`;
  private readonly poller: Poller;

  constructor(private readonly deps: HomeDeps) {
    this.options = { ...HOME_DEFAULTS, ...deps.options };
    this.clock = deps.clock ?? (() => new Date());
    this.poller = new Poller(() => this.refreshRound(), this.options.pollMs, deps.logger, "home refresh");
  }

  /** What `userId` sees in their Home tab now. */
  async dataFor(userId: string): Promise<HomeData> {
    const { store, service } = this.deps;
    const [pending, mine, outcomes] = await Promise.all([
      store.list({ states: ["pending"], limit: PENDING_SCAN }),
      store.list({ requesterId: userId, limit: HOME_LIST_LENGTH }),
      store.list({ states: OUTCOME_STATES, limit: OUTCOME_SCAN }),
    ]);
    // The same check as a click on Approve (BackupService.mayApprove): no button that would be refused.
    const waiting = await filterAsync(pending, (request) => service.mayApprove(request, userId));
    const visible = await filterAsync(outcomes, (request) => service.maySeeOutcome(request, userId));
    const recent = visible
      .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())
      .slice(0, HOME_LIST_LENGTH);
    return { userId, waiting, mine, recent };
  }

  /**
   * The person opened their Home tab: remember them (so changes re-publish it) and publish it now.
   * Slack may send the event again (a retry): publishing twice shows the same tab.
   */
  async opened(userId: string, locale: Locale): Promise<void> {
    const readAt = this.clock();
    await this.deps.store.recordHomeOpened(userId, locale, readAt);
    const data = await this.dataFor(userId);
    await this.deps.publisher.publish(userId, locale, data);
    await this.deps.store.recordHomePublished(userId, undefined, readAt, fingerprint(data));
  }

  /** Publishes the tab now with `notice` on top (a refused click from the tab has no other place). */
  async tell(userId: string, locale: Locale, notice: string): Promise<void> {
    const data = await this.dataFor(userId);
    await this.deps.publisher.publish(userId, locale, data, notice);
  }

  start(): void {
    this.poller.start();
  }

  /** Something changed: look for stale tabs now. */
  kick(): void {
    this.poller.kick();
  }

  async stop(): Promise<void> {
    await this.poller.stop();
  }

  /** One round: lease the stale tabs and publish each (unless its data did not change). */
  async refreshRound(): Promise<number> {
    const { store, publisher, logger } = this.deps;
    const now = this.clock();
    const claimed = await store.claimStaleHomes(
      this.owner,
      now,
      this.options.leaseMs,
      new Date(now.getTime() - this.options.activeForMs),
      this.options.minIntervalMs,
      20,
    );
    for (const viewer of claimed) {
      try {
        const data = await this.dataFor(viewer.userId);
        const hash = fingerprint(data);
        if (hash !== viewer.dataHash) await publisher.publish(viewer.userId, viewer.locale, data);
        await store.recordHomePublished(viewer.userId, this.owner, now, hash);
      } catch (error) {
        logger.warn({ err: error, user: viewer.userId }, "could not re-publish a Home tab; will try again");
        await store.releaseHome(viewer.userId, this.owner, new Date(now.getTime() + this.options.retryMs));
      }
    }
    return claimed.length;
  }
}

/** Identifies the data shown: the same fingerprint, the same tab. */
export function fingerprint(data: HomeData): string {
  const brief = (requests: readonly BackupRequest[]) =>
    requests.map((r) => [r.id, r.state, r.updatedAt.getTime(), r.card?.ts ?? null, r.approvals.length]);
  return createHash("sha256")
    .update(JSON.stringify([brief(data.waiting), brief(data.mine), brief(data.recent)]))
    .digest("hex");
}

async function filterAsync<T>(items: readonly T[], keep: (item: T) => Promise<boolean>): Promise<T[]> {
  const verdicts = await Promise.all(items.map(keep));
  return items.filter((_, index) => verdicts[index]);
}
