import { getOwnPluginEventListeners } from '../decorators/on-plugin-event.decorator.js';

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
    // Keys a subclass declared: the parent's declarations of them are overridden.
    const derivedKeys = new Set<string | symbol>();
    for (let prototype = Object.getPrototypeOf(instance); prototype !== null && prototype !== Object.prototype; prototype = Object.getPrototypeOf(prototype)) {
      const declarations = (getOwnPluginEventListeners(prototype) ?? []).filter(({ key }) => !derivedKeys.has(key));
      for (const { key } of declarations) derivedKeys.add(key);
      for (const { key, event } of declarations) {
        listeners.push({
          event,
          owner: `${instance.constructor.name}.${String(key)}`,
          target: instance,
          fn: (instance as Record<string | symbol, PluginEventListener['fn']>)[key],
        });
      }
    }
  }
  return listeners;
}
