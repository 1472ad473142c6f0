import { openTelemetry } from './open-telemetry.js';

/**
 * The gateway's HTTP and NATS messages carry the trace as headers, written and read by the
 * propagator the application registered (`propagation.setGlobalPropagator`, W3C
 * `traceparent` with the SDK's usual set-up). Without the API, or outside any trace, nothing.
 */
export function injectTraceHeaders(headers: Record<string, string>): void {
  openTelemetry?.propagation.inject(openTelemetry.context.active(), headers);
}

/** Runs `fn` in the trace the headers carry (`get` reads one header by its lower-case name), or as it is when they carry none. */
export function runInHeaderTrace<R>(get: (name: string) => string | undefined, fn: () => R): R {
  const api = openTelemetry;
  if (api === undefined) return fn();
  const extracted = api.propagation.extract(api.context.active(), undefined, {
    get: (_, name) => get(name),
    keys: () => [],
  });
  return api.context.with(extracted, fn);
}
