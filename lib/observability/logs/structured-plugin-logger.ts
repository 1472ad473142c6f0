import { Logger } from '@nestjs/common';
import { recordLogLine } from './plugin-log-line.js';
import type { PluginLogLevel } from './plugin-log-entry.js';

/**
 * The host's `ctx.logger`: Nest's `Logger` with the plugin's name as context, whose every line
 * is kept in the plugin's rings and carries `{ plugin, tenant, caller, traceId }` as a trailing
 * plain object, which Nest's `ConsoleLogger` prints as structured params (in JSON mode, a
 * `params` field).
 */
export class StructuredPluginLogger extends Logger {
  readonly #plugin: string;

  constructor(plugin: string) {
    super(plugin);
    this.#plugin = plugin;
  }

  override log(message: unknown, ...rest: unknown[]): void {
    super.log(message, ...rest, this.#fields('log', message, rest));
  }

  override error(message: unknown, ...rest: unknown[]): void {
    super.error(message, ...rest, this.#fields('error', message, rest));
  }

  override warn(message: unknown, ...rest: unknown[]): void {
    super.warn(message, ...rest, this.#fields('warn', message, rest));
  }

  override debug(message: unknown, ...rest: unknown[]): void {
    super.debug(message, ...rest, this.#fields('debug', message, rest));
  }

  override verbose(message: unknown, ...rest: unknown[]): void {
    super.verbose(message, ...rest, this.#fields('verbose', message, rest));
  }

  override fatal(message: unknown, ...rest: unknown[]): void {
    super.fatal(message, ...rest, this.#fields('fatal', message, rest));
  }

  #fields(level: PluginLogLevel, message: unknown, rest: unknown[]): object {
    const stack = level === 'error' || level === 'fatal' ? stackOf(message, rest) : undefined;
    return recordLogLine(this.#plugin, level, message, stack);
  }
}

/** Nest's `error(message, stack)`: the stack is the string after the message; an Error message brings its own. */
function stackOf(message: unknown, rest: unknown[]): string | undefined {
  if (typeof rest[0] === 'string' && rest[0].includes('\n')) return rest[0];
  return message instanceof Error ? message.stack : undefined;
}
