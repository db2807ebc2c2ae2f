/**
 * Bounds for a graceful stop (SIGTERM). main.ts gives the whole stop 25 s; a Kubernetes pod gets
 * `terminationGracePeriodSeconds` (manifests/kubernetes: 40 s, of which a 5 s preStop pause).
 */
import type { Logger } from "../logger.js";

/** How long the stop waits for Slack requests already acknowledged to be handled. */
export const SHUTDOWN_DRAIN_MS = 15_000;
/**
 * How long the stop spends delivering the notifications that are due before closing the store,
 * every call included: with the outbox's 5 s call timeout, calls start in the first 3 s.
 */
export const SHUTDOWN_FLUSH_MS = 8_000;

/** Resolves true when `work` settles within `ms`, false otherwise (`work` goes on regardless). */
export async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One last delivery round for what is due now (say, the job id of a backup that started while the
 * bot was stopping), so people see it before the process goes. Whatever is not delivered within
 * `ms`, or fails, stays in the outbox for the next start: nothing is lost either way. The flush
 * itself ends by then (no call may outlast it), so the store is never closed under a delivery.
 */
export async function deliverDue(
  dispatcher: { flush(deadline?: number): Promise<void> },
  ms: number,
  logger: Pick<Logger, "warn">,
): Promise<void> {
  await dispatcher.flush(Date.now() + ms).catch((error: unknown) => {
    logger.warn({ err: error }, "last notification round failed; the outbox keeps the rest");
  });
}
