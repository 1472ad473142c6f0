import type { Span } from '@opentelemetry/api';
import { recordPluginError } from '../logs/plugin-log-line.js';
import { tracingMayRecord } from '../tracing/open-telemetry.js';
import { failSpan, runInSpan, spanTraceId, startPluginSpan } from '../tracing/plugin-span.js';
import { EVERY_CALL_TIMED, type CallerSlot } from './method-meter.js';
import { timingTick } from './timing-tick.js';
import type { PluginMeter } from './plugin-meter.js';

/** The callee's count of calls still pending (an unload lets them finish), told when a promise result starts and settles. */
export interface PendingCalls {
  started(): void;
  readonly settled: () => void;
}

/**
 * The one hook of every call into a plugin's exposed method (registry, handles, `ctx.call`):
 * `run(frame, method, args)` counted under its caller and outcome (timed when its method is due
 * a clock read, below), inside the span `plugin <name> call <method>` while an SDK is registered
 * (one property load tells, else no span code runs), what it throws or rejects with in the
 * plugin's error ring, and a promise result tracked as pending. A promise result gets one
 * reaction for all four. Returns exactly what `run` returns and rethrows what it throws.
 */
export function observedCall<F extends { readonly callerPluginId?: string }, M extends { readonly name: string }>(
  meter: PluginMeter,
  pending: PendingCalls,
  frame: F,
  method: M,
  args: unknown[],
  run: (frame: F, method: M, args: unknown[]) => unknown,
): unknown {
  let slot: CallerSlot | undefined;
  if (meter.enabled === true) {
    if (meter.lastFrame !== frame || meter.lastCallee !== method) meter.locate(frame, method);
    slot = meter.lastSlot;
    // Reading the clock costs as much as a whole synchronous call: promise-returning methods pay it on every call, synchronous ones once per tick and caller.
    if (slot.timedAt !== timingTick) {
      if (slot.timedAt !== EVERY_CALL_TIMED) slot.timedAt = timingTick;
      return observedInFull(meter, pending, frame, method, args, run, slot, performance.now());
    }
  }
  if (tracingMayRecord()) return observedInFull(meter, pending, frame, method, args, run, slot, 0);
  // The common case, untimed and without a span: nothing is kept across the call but the slot.
  let result: unknown;
  try {
    result = run(frame, method, args);
  } catch (error) {
    callFailed(meter.plugin, method.name, error, slot, 0, undefined);
    throw error;
  }
  if (isPromiseLike(result)) settleLater(result, meter.plugin, method.name, pending, slot, 0, undefined);
  else if (slot !== undefined) slot.ok++;
  return result;
}

/** `observedCall` with a span while an SDK is registered, and the duration when `startedAt` is a clock reading. */
function observedInFull<F, M extends { readonly name: string }>(
  meter: PluginMeter,
  pending: PendingCalls,
  frame: F,
  method: M,
  args: unknown[],
  run: (frame: F, method: M, args: unknown[]) => unknown,
  slot: CallerSlot | undefined,
  startedAt: number,
): unknown {
  const span = tracingMayRecord() ? startPluginSpan('call', meter.plugin, method.name) : undefined;
  let result: unknown;
  try {
    result = span === undefined ? run(frame, method, args) : runInSpan(span, run, frame, method, args);
  } catch (error) {
    callFailed(meter.plugin, method.name, error, slot, startedAt, span);
    throw error;
  }
  if (isPromiseLike(result)) settleLater(result, meter.plugin, method.name, pending, slot, startedAt, span);
  else {
    if (slot !== undefined) slot.method.succeeded(slot, startedAt);
    span?.end();
  }
  return result;
}

function isPromiseLike(result: unknown): result is PromiseLike<unknown> {
  return typeof result === 'object' && result !== null && typeof (result as { then?: unknown }).then === 'function';
}

function settleLater(
  result: PromiseLike<unknown>,
  plugin: string,
  member: string,
  pending: PendingCalls,
  slot: CallerSlot | undefined,
  startedAt: number,
  span: Span | undefined,
): void {
  pending.started();
  if (slot !== undefined && slot.timedAt !== EVERY_CALL_TIMED) slot.method.timeEveryCall();
  result.then(
    () => {
      if (slot !== undefined) slot.method.succeeded(slot, startedAt);
      span?.end();
      pending.settled();
    },
    (error: unknown) => {
      callFailed(plugin, member, error, slot, startedAt, span);
      pending.settled();
    },
  );
}

function callFailed(plugin: string, member: string, error: unknown, slot: CallerSlot | undefined, startedAt: number, span: Span | undefined): void {
  if (slot !== undefined) slot.method.failed(slot, error, startedAt);
  if (span !== undefined) failSpan(span, error);
  recordPluginError(plugin, 'call', member, error, spanTraceId(span));
}
