/** A `ctx.logger` level, or `error` for what a plugin's call, listener, route or task threw. */
export type PluginLogLevel = 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';

/** One line of a plugin's log, with the structured fields every line carries. */
export interface PluginLogEntry {
  /** ISO 8601 */
  readonly time: string;
  readonly level: PluginLogLevel;
  readonly message: string;
  readonly plugin: string;
  readonly tenant?: string;
  readonly caller?: string;
  /** the OpenTelemetry trace the line was written in, when one was active */
  readonly traceId?: string;
  /** an error's stack, for lines at `error` and `fatal` */
  readonly stack?: string;
}

/** `error` and `fatal` lines are kept in the plugin's error ring too. */
export function isErrorLevel(level: PluginLogLevel): boolean {
  return level === 'error' || level === 'fatal';
}
