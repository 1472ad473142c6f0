import { CallerSlot, MethodMeter, type TenantReader } from './method-meter.js';

/** Raw SQL of one plugin: statements by outcome and the time they took. */
export class SqlCounters {
  ok = 0;
  error = 0;
  /** refused by the guard or the plugin's allow-list before reaching the database */
  refused = 0;
  seconds = 0;
}

/** What `lastSlot` holds before the first call: always a slot, so the call hook's load of it needs no shape check. */
const NO_SLOT_YET = new CallerSlot(new MethodMeter('', undefined), '');

/** Every metric of one plugin (docs/metrics.md). Kept across reloads: counters only grow. */
export class PluginMeter {
  readonly methods = new Map<string, MethodMeter>();
  readonly sql = new SqlCounters();
  topicMessagesSent = 0;
  topicMessagesReceived = 0;
  bucketBytesUploaded = 0;
  bucketBytesDownloaded = 0;
  restarts = 0;
  /** the guest's memory in bytes, for an isolated plugin whose guest runs */
  guestMemory?: () => number | undefined;
  #lastMethod: MethodMeter | undefined;
  /**
   * The last call's frame and method objects (left unset with the tenant label, as the tenant
   * picks the slot too) and their counters: `observedCall` compares the two objects, which a
   * frame (immutable, it fixes the caller) and an exposed method keep across calls, to reuse them.
   */
  lastFrame: object | undefined = undefined;
  lastCallee: object | undefined = undefined;
  lastSlot: CallerSlot = NO_SLOT_YET;

  constructor(
    readonly plugin: string,
    /** false only where metrics are switched off (the bench's comparison) */
    readonly enabled: boolean,
    private readonly tenantOf: TenantReader | undefined,
  ) {}

  /** Points `lastSlot` at the counters of `method` called in `frame`. */
  locate(frame: { readonly callerPluginId?: string }, method: { readonly name: string }): void {
    this.lastSlot = this.method(method.name).slotFor(frame.callerPluginId);
    if (this.tenantOf !== undefined) return;
    this.lastFrame = frame;
    this.lastCallee = method;
  }

  /** Consecutive calls of one method find it with one comparison. */
  method(name: string): MethodMeter {
    const last = this.#lastMethod;
    if (last !== undefined && last.name === name) return last;
    let meter = this.methods.get(name);
    if (meter === undefined) this.methods.set(name, (meter = new MethodMeter(name, this.tenantOf)));
    return (this.#lastMethod = meter);
  }
}
