/**
 * A Map of at most `size` entries that drops the oldest when full. The oldest key is kept in a
 * ring: a Map's own first key is reached by skipping the holes its deleted entries leave, which
 * grow with every eviction until the table is rebuilt (hundreds of steps per new text). A hit
 * stays one Map get.
 */
export class BoundedCache<T> {
  private readonly entries = new Map<string, T>();
  private readonly order: string[] = [];
  private oldest = 0;

  constructor(private readonly size: number) {}

  get(key: string): T | undefined {
    return this.entries.get(key);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Keeps `value` under `key`; a key already there (two long texts analysed at once) keeps its place. */
  set(key: string, value: T): void {
    if (this.entries.has(key)) {
      this.entries.set(key, value);
      return;
    }
    if (this.order.length < this.size) this.order.push(key);
    else {
      this.entries.delete(this.order[this.oldest]!);
      this.order[this.oldest] = key;
      this.oldest = (this.oldest + 1) % this.size;
    }
    this.entries.set(key, value);
  }
}
