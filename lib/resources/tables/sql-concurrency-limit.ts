/**
 * At most `limit` of one plugin's raw SQL statements run at once; the others wait in arrival
 * order. Their `sqlTimeoutMs` starts when they run: the wait delays only the plugin itself.
 */
export class SqlConcurrencyLimit {
  private running = 0;
  /** A queue read from `head`: `shift()` would move every waiting entry on each release. */
  private waiting: ((() => void) | undefined)[] = [];
  private head = 0;

  constructor(private readonly limit: number) {}

  run<T>(statement: () => Promise<T>): Promise<T> {
    if (this.running < this.limit) return this.start(statement);
    return new Promise<void>((resolve) => this.waiting.push(resolve)).then(() => this.start(statement));
  }

  private start<T>(statement: () => Promise<T>): Promise<T> {
    this.running++;
    let done: Promise<T>;
    try {
      done = statement();
    } catch (error) {
      done = Promise.reject(error);
    }
    done.then(this.release, this.release);
    return done;
  }

  private readonly release = (): void => {
    const next = this.waiting[this.head];
    if (next === undefined) {
      this.running--;
      return;
    }
    this.waiting[this.head++] = undefined;
    if (this.head === this.waiting.length) [this.waiting, this.head] = [[], 0];
    next();
  };
}
