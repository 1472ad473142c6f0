/**
 * Runs `task` now, or once more after the run under way when asked meanwhile: a burst of
 * wake-ups costs at most two runs, and no request made during a run is lost.
 */
export class CoalescedTask {
  private running?: Promise<void>;
  private again = false;

  constructor(private readonly task: () => Promise<void>) {}

  run(): Promise<void> {
    if (this.running !== undefined) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.task();
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** Resolves once no run is under way (for shutdown). */
  async idle(): Promise<void> {
    while (this.running !== undefined) await this.running.catch(() => undefined);
  }
}
