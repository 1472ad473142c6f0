import { AsyncLocalStorage } from 'node:async_hooks';
import type { SpanContext } from '@opentelemetry/api';
import { openTelemetry } from './open-telemetry.js';

/**
 * The trace context as W3C `traceparent` text, for the isolation boundary: every request
 * between host and guest carries the sender's, and the receiver runs the request in it.
 * A guest has no SDK (and so no context manager), so there the text itself is what flows
 * with the code; the host turns it back into an OpenTelemetry context, in which the spans of
 * the guest's statements and calls are made. Spans are made on the host alone, by its SDK.
 */
const carried = new AsyncLocalStorage<string>();

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The active span's context as `traceparent`, else the one carried in; undefined outside any trace. */
export function currentTraceparent(): string | undefined {
  const spanContext = activeSpanContext();
  if (spanContext !== undefined) return `00-${spanContext.traceId}-${spanContext.spanId}-${spanContext.traceFlags.toString(16).padStart(2, '0')}`;
  return carried.getStore();
}

/** Runs `fn` in the trace `traceparent` names (as given by a guest or the host: malformed text is ignored). */
export function runInTraceparent<R>(traceparent: string | undefined, fn: () => R): R {
  const match = traceparent === undefined ? null : TRACEPARENT.exec(traceparent);
  if (match === null) return fn();
  const api = openTelemetry;
  if (api === undefined) return carried.run(traceparent!, fn);
  const parent: SpanContext = { traceId: match[1], spanId: match[2], traceFlags: Number.parseInt(match[3], 16), isRemote: true };
  if (!api.isSpanContextValid(parent)) return fn();
  return carried.run(traceparent!, () => api.context.with(api.trace.setSpanContext(api.context.active(), parent), fn));
}

/** The trace id of the code running now, for log lines. */
export function currentTraceId(): string | undefined {
  const spanContext = activeSpanContext();
  if (spanContext !== undefined) return spanContext.traceId;
  return carried.getStore()?.slice(3, 35);
}

function activeSpanContext(): SpanContext | undefined {
  const spanContext = openTelemetry?.trace.getActiveSpan()?.spanContext();
  return spanContext !== undefined && openTelemetry!.isSpanContextValid(spanContext) ? spanContext : undefined;
}
