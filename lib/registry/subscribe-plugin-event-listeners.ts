import type { LoggerService } from '@nestjs/common';
import type { PluginContext } from '../interfaces/plugin-context.interface.js';
import type { PluginEventListener } from './collect-plugin-event-listeners.js';

/**
 * Subscribes each `@OnPluginEvent` method through the plugin's own event bus, which keeps
 * the listener handles, so releasing the plugin's context removes them all.
 */
export function subscribePluginEventListeners(context: Pick<PluginContext, 'eventBus' | 'logger'>, listeners: readonly PluginEventListener[]): void {
  if (listeners.length === 0) return; // most plugins have none: leave their bus and logger uncreated
  const { eventBus, logger } = context;
  for (const listener of listeners) {
    eventBus.on(listener.event, (...values: unknown[]) => invokeListener(listener, values, logger));
  }
}

/**
 * Like @nestjs/event-emitter's default (`suppressErrors`): a failing handler is logged, never
 * thrown into the emitter, so one plugin's bug cannot break the `emit` of the host or of
 * another plugin. A rejected promise is logged too (EventEmitter2 would leave it unhandled);
 * `emitAsync` still gets the handler's value, or `undefined` after a failure.
 */
function invokeListener(listener: PluginEventListener, values: unknown[], logger: LoggerService): unknown {
  const report = (error: unknown): undefined => {
    const message = `Listener ${listener.owner} for "${listener.event}" failed: ${error instanceof Error ? error.message : String(error)}`;
    logger.error(message, error instanceof Error ? error.stack : undefined);
    return undefined;
  };
  try {
    const result = listener.fn.apply(listener.target, values);
    return isPromiseLike(result) ? Promise.resolve(result).then(undefined, report) : result;
  } catch (error) {
    return report(error);
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}
