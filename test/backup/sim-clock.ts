/**
 * A simulated clock for the use-case tests: `now()` reads virtual time, `sleep()` waits in it, and
 * `runUntil()` moves it on from one timer to the next whenever everything else has settled. A
 * minute of RDS listing lag passes in milliseconds, and the order of events is exact.
 */
export class SimClock {
  private time: number;
  private sequence = 0;
  private timers: { at: number; seq: number; fire: () => void }[] = [];

  /** Starts at the real time, so code that still reads `Date.now()` sees roughly the same world. */
  constructor(start = Math.floor(Date.now() / 1000) * 1000) {
    this.time = start;
  }

  readonly now = (): Date => new Date(this.time);

  /** Milliseconds of virtual time since `since`. */
  since(since: Date): number {
    return this.time - since.getTime();
  }

  /** Resolves after `ms` of virtual time, or at once when `signal` aborts. */
  readonly sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = { at: this.time + Math.max(0, ms), seq: this.sequence++, fire: () => resolve() };
      this.timers.push(timer);
      signal?.addEventListener(
        "abort",
        () => {
          this.timers = this.timers.filter((other) => other !== timer);
          resolve();
        },
        { once: true },
      );
    });

  /** Lets every pending promise chain run (the store and the fakes answer without real I/O). */
  async settle(): Promise<void> {
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  }

  /**
   * Runs the world until `done()` holds: settle, and when nothing moves, jump to the next timer.
   * Throws when virtual time passes `limitMs` or nothing is left to wait for.
   */
  async runUntil(done: () => boolean | Promise<boolean>, limitMs = 6 * 3_600_000): Promise<void> {
    const end = this.time + limitMs;
    for (;;) {
      await this.settle();
      if (await done()) return;
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift();
      if (!next) throw new Error("the simulation ran out of things to do before the condition held");
      if (next.at > end) throw new Error(`the condition did not hold within ${limitMs} ms of virtual time`);
      this.time = Math.max(this.time, next.at);
      next.fire();
    }
  }

  /** Moves virtual time on by `ms`, firing every timer due on the way. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    await this.runUntil(() => {
      const due = this.timers.some((timer) => timer.at <= target);
      if (!due) this.time = Math.max(this.time, target);
      return !due;
    }, ms + 1);
  }
}
