/**
 * The states of a backup request and the only moves between them. The store applies a move as one
 * conditional update (`... WHERE state = from`), so a move that lost a race simply does not happen.
 *
 *   pending ─▶ approved ─▶ submitted ─▶ succeeded | failed
 *      │   │     ▲  ├─────▶ failed            (CreateBackup refused)
 *      │   │     │  └─────▶ needs_attention   (whether a backup started cannot be settled)
 *      │   │     │                 ├─▶ submitted   (a person's "Check again" found the job)
 *      │   │     ├─────────────────┤             (a person's "Start the backup again")
 *      │   │     │                 └─▶ cancelled   (a person's "Close as not started")
 *      │   └─▶ scheduled ──────────▶ cancelled    (approved for later; cancelled before it starts)
 *      │         │   └─────────────▶ failed       (its window closed before the instance was ready)
 *      │         └─▶ approved                      (its start time came: it runs like any approval)
 *      └─▶ rejected | cancelled | expired
 *
 * `scheduled` is an approval that waits for its start time (src/domain/schedule.ts). Moving it on
 * to `approved` is the same conditional update as every other move, so exactly one process (or
 * replica) starts it, and a cancel that came first leaves nothing to start.
 */
export const TRANSITIONS = {
  pending: ["approved", "scheduled", "rejected", "cancelled", "expired"],
  scheduled: ["approved", "cancelled", "failed"],
  approved: ["submitted", "failed", "needs_attention"],
  submitted: ["succeeded", "failed"],
  needs_attention: ["submitted", "failed", "approved", "cancelled"],
  succeeded: [],
  failed: [],
  rejected: [],
  cancelled: [],
  expired: [],
} as const satisfies Record<string, readonly string[]>;

export type RequestState = keyof typeof TRANSITIONS;
export const REQUEST_STATES = Object.keys(TRANSITIONS) as RequestState[];

/** The states reachable from `From` in one move. */
export type NextState<From extends RequestState> = (typeof TRANSITIONS)[From][number];

/** A legal move, checked by the compiler where the states are literals. */
export interface Move<From extends RequestState = RequestState> {
  from: From;
  to: NextState<From>;
}

export function canMove(from: RequestState, to: RequestState): boolean {
  return (TRANSITIONS[from] as readonly RequestState[]).includes(to);
}

/** Builds a move, refusing an illegal one where the states come from data. */
export function move<From extends RequestState>(from: From, to: NextState<From>): Move<From> {
  if (!canMove(from, to)) throw new Error(`illegal request transition ${from} → ${String(to)}`);
  return { from, to };
}

export function isFinal(state: RequestState): boolean {
  return TRANSITIONS[state].length === 0;
}

/** States in which nobody can decide any more. */
export function isDecided(state: RequestState): boolean {
  return state !== "pending";
}
