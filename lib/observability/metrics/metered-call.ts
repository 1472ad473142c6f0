import type { PluginMeter } from './plugin-meter.js';

/**
 * The one hook of every call into a plugin's exposed method (registry, handles, `ctx.call`):
 * `run(frame, method, args)` with the call counted under its caller and outcome, and timed
 * when its method is due a clock read (below). Returns exactly what `run` returns and rethrows
 * what it throws; a promise result is counted when it settles.
 */
export function meteredCall<F extends { readonly callerPluginId?: string }, M extends { readonly name: string }>(
  meter: PluginMeter,
  frame: F,
  method: M,
  args: unknown[],
  run: (frame: F, method: M, args: unknown[]) => unknown,
): unknown {
  if (!meter.enabled) return run(frame, method, args);
  const caller = frame.callerPluginId;
  if (meter.lastMethodName !== method.name || meter.lastCaller !== caller) meter.locate(method.name, caller);
  const methodMeter = meter.lastMethod!;
  const slot = meter.lastSlot!;
  // Reading the clock costs more than a whole synchronous call: only promise-returning methods, and one synchronous call in 64, pay it.
  const startedAt = methodMeter.returnsPromises || --methodMeter.untilTimed === 0 ? methodMeter.startTiming() : 0;
  let result: unknown;
  try {
    result = run(frame, method, args);
  } catch (error) {
    methodMeter.failed(slot, error, startedAt);
    throw error;
  }
  if (typeof result === 'object' && result !== null && typeof (result as { then?: unknown }).then === 'function') {
    methodMeter.settleLater(result as PromiseLike<unknown>, slot, startedAt);
  } else {
    slot.ok++;
    if (startedAt !== 0) methodMeter.observeSince(startedAt);
  }
  return result;
}
