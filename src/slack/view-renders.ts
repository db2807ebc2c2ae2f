/**
 * Re-renders of an open modal, one at a time per view, the newest choice winning.
 *
 * Two quick changes in the form send two actions carrying the same view hash. Rendered side by
 * side, the older render may land first; the newer one then fails with `hash_conflict` (Slack's
 * views.update: "the provided hash doesn't match the current stored value") and the form stays one
 * choice behind (strategy `db` chosen, no database field). So each view's renders queue behind
 * each other; a render whose action is no longer the newest is skipped (the newest action's
 * payload carries every choice made so far), and an update whose payload hash went stale is tried
 * again with the hash our own previous update returned.
 *
 * This holds within one process. Actions of one view that reach different replicas are ordered
 * by nothing shared: there a stale hash still loses, as before, and the person picks again.
 */
import type { ModalView } from "@slack/types";

/** How long a view's last update is remembered after its queue empties. */
const REMEMBER_MS = 60_000;

/** What `views.update` answered: the new hash, or that the hash was stale. */
export type UpdateOutcome = { kind: "updated"; hash: string | undefined } | { kind: "hash_conflict" };

export interface RenderJob {
  viewId: string;
  /** The action's `action_ts` ("1700000000.123456"): which of two actions the person made last. */
  actionTs: string | undefined;
  /** The view's hash in the action's payload. */
  hash: string | undefined;
  render: () => Promise<ModalView>;
  update: (view: ModalView, hash: string | undefined) => Promise<UpdateOutcome>;
}

/** When the person acted (microseconds), then the arrival count for ties. */
type Order = readonly [number, number];

interface ViewQueue {
  /** The newest action seen for the view. */
  newest: Order;
  /** The hash our last update of the view returned. */
  lastHash: string | undefined;
  tail: Promise<void>;
  pending: number;
  idleSince: number;
}

export class ViewRenders {
  private readonly views = new Map<string, ViewQueue>();
  private arrivals = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Queues a re-render; resolves when it has landed, been skipped, or failed (never rejects). */
  run(job: RenderJob, onError: (error: unknown) => void): Promise<void> {
    this.forgetIdle();
    this.arrivals += 1;
    const order = orderOf(job.actionTs, this.arrivals);
    let queue = this.views.get(job.viewId);
    if (!queue) {
      queue = { newest: order, lastHash: undefined, tail: Promise.resolve(), pending: 0, idleSince: 0 };
      this.views.set(job.viewId, queue);
    }
    // An action older than one already seen was overtaken on the way: nothing to render for it.
    if (before(order, queue.newest)) return Promise.resolve();
    queue.newest = order;
    queue.pending += 1;
    const view = queue;
    const turn = view.tail.then(async () => {
      try {
        if (view.newest !== order) return;
        const rendered = await job.render();
        if (view.newest !== order) return; // a newer choice arrived while this one rendered
        const hashes = [...new Set([job.hash, view.lastHash].filter((h): h is string => Boolean(h)))];
        for (const hash of hashes.length > 0 ? hashes : [undefined]) {
          const outcome = await job.update(rendered, hash);
          if (outcome.kind === "updated") {
            view.lastHash = outcome.hash;
            return;
          }
        }
      } catch (error) {
        onError(error);
      } finally {
        view.pending -= 1;
        view.idleSince = this.now();
      }
    });
    view.tail = turn;
    return turn;
  }

  private forgetIdle(): void {
    const cutoff = this.now() - REMEMBER_MS;
    for (const [id, queue] of this.views) {
      if (queue.pending === 0 && queue.idleSince < cutoff) this.views.delete(id);
    }
  }
}

/** `action_ts` in microseconds, ties broken by arrival (no `action_ts`: made on arrival). */
function orderOf(actionTs: string | undefined, arrival: number): Order {
  const seconds = actionTs ? Number(actionTs) : Number.NaN;
  return [Number.isFinite(seconds) ? Math.round(seconds * 1_000_000) : Date.now() * 1_000, arrival];
}

function before(a: Order, b: Order): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}
