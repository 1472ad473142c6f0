import type { Attributes, Span, SpanKind } from '@opentelemetry/api';
import { callerAtSite, observedScope } from '../call-scope.js';
import { openTelemetry, pluginTracer } from './open-telemetry.js';

/** What a span stands for: a plugin's exposed method called, an event or topic message delivered, a route, a task run, an SQL statement. */
export type PluginSpanKind = 'call' | 'event' | 'topic' | 'route' | 'task' | 'sql';

/** `plugin x call addScore` (SPEC §18). */
export function pluginSpanName(plugin: string, kind: PluginSpanKind, member: string): string {
  return `plugin ${plugin} ${kind} ${member}`;
}

const SPAN_KINDS: Record<PluginSpanKind, SpanKind> = { call: 0, event: 4, topic: 4, route: 1, task: 0, sql: 2 };

/**
 * Starts the span of plugin work; undefined without the API, and for the API's no-op span
 * when no SDK is registered (nothing to record or to pass on: the work runs as it is, without
 * a context of its own). Attributes are set only on a recording span.
 */
export function startPluginSpan(kind: PluginSpanKind, plugin: string, member: string, extra?: Attributes, spanKind = SPAN_KINDS[kind]): Span | undefined {
  const tracer = pluginTracer();
  if (tracer === undefined) return undefined;
  const span = tracer.startSpan(pluginSpanName(plugin, kind, member), { kind: spanKind });
  if (!span.isRecording()) return openTelemetry!.isSpanContextValid(span.spanContext()) ? span : undefined;
  const scope = observedScope();
  const caller = callerAtSite(scope, plugin);
  const attributes: Attributes = { 'plugin.name': plugin, 'plugin.kind': kind, 'plugin.member': member, ...extra };
  if (caller !== undefined) attributes['plugin.caller'] = caller;
  if (scope.tenant !== undefined) attributes['plugin.tenant'] = scope.tenant;
  span.setAttributes(attributes);
  return span;
}

/** Runs `fn(a, b, c)` with `span` active. Fixed arity: this is on `ctx.call`'s path. */
export function runInSpan<A, B, C, R>(span: Span, fn: (a: A, b: B, c: C) => R, a: A, b: B, c: C): R {
  const api = openTelemetry!;
  return api.context.with(api.trace.setSpan(api.context.active(), span), fn, undefined, a, b, c);
}

/** Ends `span` as failed with `error` recorded. */
export function failSpan(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: 2, message: error instanceof Error ? error.message : String(error) });
  span.end();
}

/** The span's trace id, if it has a real one (the API's no-op span has none). */
export function spanTraceId(span: Span | undefined): string | undefined {
  const spanContext = span?.spanContext();
  return spanContext !== undefined && openTelemetry!.isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}
