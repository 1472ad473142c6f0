import type * as OpenTelemetry from '@opentelemetry/api';

/**
 * `@opentelemetry/api`, an optional peer, imported once when the library loads: undefined
 * when it is not installed, and then no span code runs at all. With the API but no SDK, the
 * tracer is the API's no-op one (about 0.1 µs a span); an SDK registered later is picked up,
 * as the API's global tracer is a proxy.
 */
export const openTelemetry: typeof OpenTelemetry | undefined = await import('@opentelemetry/api').then(
  (api) => api,
  () => undefined,
);

let tracerOf: { provider: OpenTelemetry.TracerProvider; tracer: OpenTelemetry.Tracer } | undefined;

/**
 * The library's tracer; undefined without the API. Asked again whenever the global provider
 * changed: the API's proxy tracer keeps the first provider it delegated to, and a provider
 * registered after `trace.disable()` (tests, a restarted SDK) would never be reached.
 */
export function pluginTracer(): OpenTelemetry.Tracer | undefined {
  if (openTelemetry === undefined) return undefined;
  const provider = openTelemetry.trace.getTracerProvider();
  if (tracerOf?.provider !== provider) tracerOf = { provider, tracer: provider.getTracer('nestjs-plugins') };
  return tracerOf.tracer;
}
