/** Scripted faults: the next call(s) of a method fail the way the test asked (`failNext`). */
import type { FaultFilter, SlackFault } from "./types.js";
import { type Args, matches } from "./wire.js";

interface Scripted {
  fault: SlackFault;
  where: FaultFilter | undefined;
}

/** A fault that only slows the answer down. */
export function isDelayOnly(fault: SlackFault): boolean {
  return !("drop" in fault) && !("status" in fault) && !("error" in fault);
}

/** A fault that replaces the answer after the method ran (Slack did it; the caller cannot know). */
export function isAfterProcessing(fault: SlackFault): boolean {
  return "afterProcessing" in fault && fault.afterProcessing === true;
}

export class FaultScript {
  private readonly queues = new Map<string, Scripted[]>();

  /** Queues `fault` for the next `times` calls of `method` (`"*"`: any method) that match `where`. */
  add(method: string, fault: SlackFault, times: number, where?: FaultFilter): void {
    const queue = this.queues.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push({ fault, where });
    this.queues.set(method, queue);
  }

  clear(): void {
    this.queues.clear();
  }

  /**
   * The fault for this call of `method`, if one is queued for it (the method's own first, then
   * `"*"`): the first queued whose `where` the call's arguments match.
   */
  take(method: string, args: Args): SlackFault | undefined {
    for (const key of [method, "*"]) {
      const queue = this.queues.get(key);
      const index = queue?.findIndex((scripted) => fits(scripted.where, args)) ?? -1;
      const [scripted] = index >= 0 && queue ? queue.splice(index, 1) : [];
      if (queue && queue.length === 0) this.queues.delete(key);
      if (scripted) return scripted.fault;
    }
    return undefined;
  }
}

function fits(where: FaultFilter | undefined, args: Args): boolean {
  if (where === undefined) return true;
  return typeof where === "function" ? where(args) : matches(args, where);
}
