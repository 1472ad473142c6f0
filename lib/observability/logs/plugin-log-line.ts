import { format } from 'node:util';
import { callerAtSite, observedScope } from '../call-scope.js';
import { currentTraceId } from '../tracing/trace-context.js';
import { pluginLogBook } from './plugin-log-book.js';
import type { PluginLogEntry, PluginLogLevel } from './plugin-log-entry.js';

type LogFields = Pick<PluginLogEntry, 'plugin' | 'tenant' | 'caller' | 'traceId'>;

/**
 * The structured fields of a line of plugin `plugin`: plugin, tenant, caller, trace id. Written
 * by its own code (`ctx.logger`), or at the site that called it (what the call threw; `traceId`
 * then is the call's span's).
 */
export function logFields(plugin: string, atSite?: { traceId?: string }): LogFields {
  const scope = observedScope();
  const tenant = scope.tenant;
  const caller = atSite === undefined ? scope.caller : callerAtSite(scope, plugin);
  const traceId = atSite?.traceId ?? currentTraceId();
  return { plugin, ...(tenant === undefined ? {} : { tenant }), ...(caller === undefined ? {} : { caller }), ...(traceId === undefined ? {} : { traceId }) };
}

/** Keeps a line in the plugin's rings and returns its fields. */
export function recordLogLine(plugin: string, level: PluginLogLevel, message: unknown, stack?: string, fields: LogFields = logFields(plugin)): LogFields {
  const text = typeof message === 'string' ? message : message instanceof Error ? message.message : format(message);
  pluginLogBook.record({ time: new Date().toISOString(), level, message: text, ...fields, ...(stack === undefined ? {} : { stack }) });
  return fields;
}

/** What a plugin's call, listener, route or task threw, in its error ring (`call addScore failed: …`), noted at the site that started it. */
export function recordPluginError(plugin: string, kind: string, member: string, error: unknown, traceId?: string): void {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  recordLogLine(plugin, 'error', `${kind} ${member} failed: ${typeof code === 'string' ? `${code} ` : ''}${message}`, error instanceof Error ? error.stack : undefined, logFields(plugin, { traceId }));
}
