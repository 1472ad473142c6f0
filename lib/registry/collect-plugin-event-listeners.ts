import { getOwnPluginEventListeners } from '../decorators/on-plugin-event.decorator.js';
import { declaredMethodsOf } from './declared-methods.js';

/** An `@OnPluginEvent` method, ready to be subscribed on the instance that owns it. */
export interface PluginEventListener {
  readonly event: string;
  /** `ClassName.methodKey`, for messages */
  readonly owner: string;
  readonly target: object;
  readonly fn: (...values: unknown[]) => unknown;
}

/**
 * Finds the `@OnPluginEvent` methods of a plugin's module instances, inherited ones
 * included. A subclass that redeclares a method replaces the parent's events for it;
 * either way the most derived override is the one called. Stacked decorators give one
 * listener per event.
 */
export function collectPluginEventListeners(instances: Iterable<object>): PluginEventListener[] {
  const listeners: PluginEventListener[] = [];
  for (const instance of instances) {
    for (const { declaration, owner, target, fn } of declaredMethodsOf(instance, getOwnPluginEventListeners)) {
      listeners.push({ event: declaration.event, owner, target, fn });
    }
  }
  return listeners;
}
