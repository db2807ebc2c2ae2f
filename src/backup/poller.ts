/**
 * Runs a round of work now and then: every `pollMs`, or at once when kicked. Rounds never overlap;
 * a kick during a round asks for another right after it. Shared by the outbox dispatcher and the
 * job watcher, which differ only in what a round does.
 */
import type { Logger } from "../logger.js";

export class Poller {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  /** `round` returns how much it did; a round that did something is followed by another at once. */
  constructor(
    private readonly round: () => Promise<number>,
    private readonly pollMs: number,
    private readonly log: Logger,
    private readonly what: string,
  ) {}

  start(): void {
    this.stopped = false;
    this.kick();
  }

  /** Runs a round now (or right after the current one). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.round()
      .then((done) => {
        if (done > 0) this.again = true;
      })
      .catch((error: unknown) => this.log.error({ err: error }, `${this.what} round failed`))
      .finally(() => {
        this.running = undefined;
        if (this.stopped) return;
        if (this.again) {
          this.again = false;
          this.kick();
        } else {
          this.timer = setTimeout(() => this.kick(), this.pollMs);
          this.timer.unref();
        }
      });
  }

  /** Stops taking new rounds and waits for the current one. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
