import type { Attributes, Span } from '@opentelemetry/api';
import { recordPluginError } from './logs/plugin-log-line.js';
import { tracingMayRecord } from './tracing/open-telemetry.js';
import { failSpan, runInSpan, spanTraceId, startPluginSpan, type PluginSpanKind } from './tracing/plugin-span.js';

/**
 * The one hook each call site of plugin work makes: the work runs in its span (when
 * `@opentelemetry/api` is installed), and what it throws or rejects with goes to the plugin's
 * error ring. Fixed arity (`fn(a, b, c)`), so `ctx.call`'s path allocates no closure.
 */
export function observeWork<A, B, C, R>(kind: PluginSpanKind, plugin: string, member: string, fn: (a: A, b: B, c: C) => R, a: A, b: B, c: C): R {
  return observe(kind, plugin, member, undefined, fn, a, b, c);
}

/** A closure's work, where the call site is not hot (events, routes). */
export function observeThunk<R>(kind: PluginSpanKind, plugin: string, member: string, fn: () => R): R {
  return observe(kind, plugin, member, undefined, callThunk, fn, undefined, undefined);
}

/** Statements longer than this are cut in the span's `db.query.text`. */
const MAX_STATEMENT_CHARS = 1_000;

/** Hears how each statement ended (its metrics), in the one reaction that also feeds the error ring and ends the span. */
export interface StatementOutcomes {
  /** a clock reading when the statement is to be timed, else 0 */
  clockIfDue(): number;
  succeeded(startedAt: number): void;
  failed(startedAt: number, error: unknown): void;
}

/**
 * One raw SQL statement of the plugin, `fn(sql, a)`: `plugin x sql SELECT` with its text (not
 * its parameters) as `db.query.text` when a span may record; what it rejects with goes to the
 * plugin's error ring (`sql SELECT failed: …`), and `outcomes` hears how it ended. The repeated
 * statement is a hot path: without an SDK nothing names the operation up front, a refusal thrown
 * before the engine is noted at once, and a statement that reached the engine costs one reaction.
 */
export function observeStatement<A, R>(plugin: string, sql: string, outcomes: StatementOutcomes, fn: (sql: string, a: A) => Promise<R>, a: A): Promise<R> {
  const startedAt = outcomes.clockIfDue();
  const span = tracingMayRecord() ? startStatementSpan(plugin, sql) : undefined;
  let result: Promise<R>;
  try {
    result = span === undefined ? fn(sql, a) : runInSpan(span, fn, sql, a, undefined);
  } catch (error) {
    statementFailed(plugin, sql, outcomes, startedAt, span, error);
    return Promise.reject(error);
  }
  result.then(
    () => {
      span?.end();
      outcomes.succeeded(startedAt);
    },
    (error: unknown) => statementFailed(plugin, sql, outcomes, startedAt, span, error),
  );
  return result;
}

function startStatementSpan(plugin: string, sql: string): Span | undefined {
  const operation = statementOperation(sql);
  const text = sql.length > MAX_STATEMENT_CHARS ? `${sql.slice(0, MAX_STATEMENT_CHARS)}…` : sql;
  return startPluginSpan('sql', plugin, operation, { 'db.operation.name': operation, 'db.query.text': text });
}

function statementFailed(plugin: string, sql: string, outcomes: StatementOutcomes, startedAt: number, span: Span | undefined, error: unknown): void {
  if (span !== undefined) failSpan(span, error);
  recordPluginError(plugin, 'sql', statementOperation(sql), error, spanTraceId(span));
  outcomes.failed(startedAt, error);
}

/** `SELECT` for `select 1`; `SQL` for a text that does not start with a word. */
function statementOperation(sql: string): string {
  return /^\s*([A-Za-z]+)/.exec(sql)?.[1]?.toUpperCase() ?? 'SQL';
}

/**
 * A call of a remote plugin's service through the gateway (`plugin x call orders GET`, a client
 * span): `fn` sends the request, with `injectTraceHeaders` adding `traceparent` to its headers.
 */
export function observeRemoteCall<R>(plugin: string, service: string, method: string, url: string, fn: () => R): R {
  return observe('call', plugin, `${service} ${method}`, { 'http.request.method': method, 'url.full': url }, callThunk, fn, undefined, undefined, CLIENT);
}

const CLIENT = 2;

function observe<A, B, C, R>(
  kind: PluginSpanKind,
  plugin: string,
  member: string,
  extra: Attributes | undefined,
  fn: (a: A, b: B, c: C) => R,
  a: A,
  b: B,
  c: C,
  spanKind?: number,
): R {
  const span = startPluginSpan(kind, plugin, member, extra, spanKind);
  let result: R;
  try {
    result = span === undefined ? fn(a, b, c) : runInSpan(span, fn, a, b, c);
  } catch (error) {
    if (span !== undefined) failSpan(span, error);
    recordPluginError(plugin, kind, member, error, spanTraceId(span));
    throw error;
  }
  if (!isThenable(result)) {
    span?.end();
    return result;
  }
  result.then(
    () => span?.end(),
    (error: unknown) => {
      if (span !== undefined) failSpan(span, error);
      recordPluginError(plugin, kind, member, error, spanTraceId(span));
    },
  );
  return result;
}

const callThunk = <R>(fn: () => R): R => fn();

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}
