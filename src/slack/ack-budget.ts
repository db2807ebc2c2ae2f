/**
 * How long a listener whose answer rides in its ack (a form submission, an options request) may
 * think. Slack waits 3 seconds, measured at Slack: the network and TLS to the bot and back count
 * too (../shared/docs/slack-facts.md). The bot keeps half of them for itself, whatever RDS and
 * Slack do: at `ANSWER_BY_MS` a listener answers with what it knows, which leaves room to write
 * the answer before `ACK_BUDGET_MS`.
 */
export const ACK_BUDGET_MS = 1_500;
export const ANSWER_BY_MS = 1_200;

export type Answered<T> =
  | { kind: "done"; value: T }
  | { kind: "failed"; error: unknown }
  | { kind: "late"; work: Promise<T> };

/**
 * Waits for `work` at most `ms`. Late work goes on; its promise is handed back (its failure, if
 * nobody waits for it, is caught here rather than left unhandled).
 */
export async function within<T>(work: Promise<T>, ms = ANSWER_BY_MS): Promise<Answered<T>> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), ms);
  });
  const settled = work.then(
    (value) => ({ kind: "done" as const, value }),
    (error: unknown) => ({ kind: "failed" as const, error }),
  );
  try {
    const first = await Promise.race([settled, late]);
    return first === "late" ? { kind: "late", work } : first;
  } finally {
    clearTimeout(timer);
  }
}
