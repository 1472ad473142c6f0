import type { PluginLogger } from '../interfaces/facets/logger.facet.js';

export type LogLevel = 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';

/** One call on a RecordingLogger: the level, the message, and any further arguments (context, stack). */
export interface LogEntry {
  readonly level: LogLevel;
  readonly message: unknown;
  readonly params: readonly unknown[];
}

/** A LoggerService that prints nothing and keeps every call, so a test can assert on what was logged. */
export class RecordingLogger implements PluginLogger {
  readonly entries: LogEntry[] = [];

  log(message: unknown, ...params: unknown[]): void {
    this.record('log', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.record('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.record('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.record('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.record('verbose', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.record('fatal', message, params);
  }

  /** The messages logged at one level, in order. */
  messages(level: LogLevel): unknown[] {
    return this.entries.filter((entry) => entry.level === level).map((entry) => entry.message);
  }

  private record(level: LogLevel, message: unknown, params: unknown[]): void {
    this.entries.push({ level, message, params });
  }
}
