/**
 * Numbers the exposed-method calls sent to one guest, and knows which of them the guest has
 * taken up: a call still queued when the guest hangs never ran, and says so. The guest takes
 * calls up in the order they were sent, so the last number it reported started says it for
 * every call before it. A thread guest writes that number into shared memory (`callsStarted`,
 * no message per call); a process guest reports it with `callStarted`.
 */
export class PendingCalls {
  private next = 0;
  private lastStarted = 0;
  /** every plugin that called this guest: what its log lines may name as their caller (at most one entry per plugin) */
  private readonly callers = new Set<string>();

  /** `callsStarted`: the thread guest's shared slot (Int32, the call number wrapped to 32 bits) */
  constructor(private readonly callsStarted?: Int32Array) {}

  add(callerPluginId?: string): number {
    if (callerPluginId !== undefined) this.callers.add(callerPluginId);
    return ++this.next;
  }

  /** Whether `plugin` ever called this guest: a line written for its call, even after the answer, names it. */
  calledBy(plugin: string): boolean {
    return this.callers.has(plugin);
  }

  /** A process guest reports it began running `call`. */
  started(call: number): void {
    if (call > this.lastStarted) this.lastStarted = call;
  }

  isStarted(call: number): boolean {
    if (this.callsStarted === undefined) return call <= this.lastStarted;
    // Compared modulo 2^32, so numbers past 2^31 calls still compare right (fewer than 2^31 in flight).
    return ((Atomics.load(this.callsStarted, 0) - call) | 0) >= 0;
  }
}
