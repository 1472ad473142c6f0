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

/** The library's tracer; undefined without the API. */
export const pluginTracer: OpenTelemetry.Tracer | undefined = openTelemetry?.trace.getTracer('nestjs-plugins');
