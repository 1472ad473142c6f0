import { DurationHistogram } from './duration-histogram.js';
import { boundedEntry, errorCodeOf, HOST_CALLER, MAX_LABEL_VALUES, OTHER_LABEL_VALUE } from './label-values.js';

/** `CallerSlot.timedAt` of a slot whose every call is timed: no tick equals it. */
export const EVERY_CALL_TIMED = -1;
/** `CallerSlot.timedAt` before its first call, which is timed. */
const NEVER_TIMED = -2;

/** Calls of one method from one caller (and tenant, when the host labels tenants). */
export class CallerSlot {
  ok = 0;
  error = 0;
  /**
   * The `timingTick` of its last timed call: a call is timed when the tick has moved on since
   * (`timing-tick.ts`). EVERY_CALL_TIMED once the method returned a promise: each such call is
   * long next to a clock read.
   */
  timedAt: number;

  constructor(
    readonly method: MethodMeter,
    readonly caller: string,
    readonly tenant?: string,
  ) {
    this.timedAt = method.everyCallTimed ? EVERY_CALL_TIMED : NEVER_TIMED;
  }
}

/** Reads the tenant of the code running now; given only when the host asked for the tenant label. */
export type TenantReader = () => string | undefined;

/** The counters of one exposed method of one plugin. */
export class MethodMeter {
  readonly callers = new Map<string, CallerSlot>();
  readonly errorsByCode = new Map<string, number>();
  readonly durations = new DurationHistogram();
  /** the method returned a promise: every call of each caller is timed */
  everyCallTimed = false;
  #lastCaller: string | undefined = HOST_CALLER;
  #lastSlot: CallerSlot | undefined;

  constructor(
    readonly name: string,
    private readonly tenantOf: TenantReader | undefined,
  ) {}

  /** Hot path: the caller of consecutive calls is usually the same string, so one comparison finds its slot. */
  slotFor(caller: string | undefined): CallerSlot {
    if (this.tenantOf !== undefined) return this.tenantSlot(caller ?? HOST_CALLER, this.tenantOf() ?? '');
    if (caller === this.#lastCaller && this.#lastSlot !== undefined) return this.#lastSlot;
    const label = caller ?? HOST_CALLER;
    this.#lastCaller = caller;
    return (this.#lastSlot = boundedEntry(this.callers, label, () => new CallerSlot(this, label)));
  }

  /** From now on every call is timed: the method returned a promise. */
  timeEveryCall(): void {
    this.everyCallTimed = true;
    for (const slot of this.callers.values()) slot.timedAt = EVERY_CALL_TIMED;
  }

  /** Records the duration of a timed call (`startedAt` 0: untimed). */
  observeSince(startedAt: number): void {
    if (startedAt !== 0) this.durations.observe((performance.now() - startedAt) / 1000);
  }

  succeeded(slot: CallerSlot, startedAt: number): void {
    slot.ok++;
    this.observeSince(startedAt);
  }

  failed(slot: CallerSlot, error: unknown, startedAt: number): void {
    slot.error++;
    const code = errorCodeOf(error);
    const known = this.errorsByCode.get(code);
    if (known !== undefined) this.errorsByCode.set(code, known + 1);
    else {
      const label = this.errorsByCode.size >= MAX_LABEL_VALUES ? OTHER_LABEL_VALUE : code;
      this.errorsByCode.set(label, (this.errorsByCode.get(label) ?? 0) + 1);
    }
    this.observeSince(startedAt);
  }

  private tenantSlot(caller: string, tenant: string): CallerSlot {
    const key = `${caller}\n${tenant}`;
    const slot = this.callers.get(key);
    if (slot !== undefined) return slot;
    const bounded = this.callers.size >= MAX_LABEL_VALUES ? `${caller}\n${OTHER_LABEL_VALUE}` : key;
    let created = this.callers.get(bounded);
    if (created === undefined) this.callers.set(bounded, (created = new CallerSlot(this, caller, bounded === key ? tenant : OTHER_LABEL_VALUE)));
    return created;
  }
}
