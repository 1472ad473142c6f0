/**
 * The exposed-method calls sent to one guest and not yet answered, and which of them the guest
 * has taken up: a call still queued when the guest hangs never ran, and says so.
 */
export class PendingCalls {
  private next = 0;
  private readonly calls = new Map<number, { started: boolean }>();

  add(): number {
    const call = ++this.next;
    this.calls.set(call, { started: false });
    return call;
  }

  /** The guest reports it began running `call`. */
  started(call: number): void {
    const entry = this.calls.get(call);
    if (entry !== undefined) entry.started = true;
  }

  isStarted(call: number): boolean {
    return this.calls.get(call)?.started ?? false;
  }

  settle(call: number): void {
    this.calls.delete(call);
  }
}
