/** Scripted faults: the next call(s) of a method fail the way the test asked (`failNext`). */
import type { SlackFault } from "./types.js";

/** A fault that only slows the answer down. */
export function isDelayOnly(fault: SlackFault): boolean {
  return !("drop" in fault) && !("status" in fault) && !("error" in fault);
}

/** A fault that replaces the answer after the method ran (Slack did it; the caller cannot know). */
export function isAfterProcessing(fault: SlackFault): boolean {
  return "afterProcessing" in fault && fault.afterProcessing === true;
}

export class FaultScript {
  private readonly queues = new Map<string, SlackFault[]>();

  /** Queues `fault` for the next `times` calls of `method` (`"*"`: any method). */
  add(method: string, fault: SlackFault, times: number): void {
    const queue = this.queues.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(fault);
    this.queues.set(method, queue);
  }

  clear(): void {
    this.queues.clear();
  }

  /** The fault for this call of `method`, if one is queued (the method's own first, then `"*"`). */
  take(method: string): SlackFault | undefined {
    for (const key of [method, "*"]) {
      const queue = this.queues.get(key);
      const fault = queue?.shift();
      if (queue && queue.length === 0) this.queues.delete(key);
      if (fault) return fault;
    }
    return undefined;
  }
}
