import { sharedWeakMap } from '../metadata/shared-declarations.js';

/** What `@OnPluginEvent()` records for one method. */
export interface PluginEventListenerDeclaration {
  /** the method's property key on the prototype */
  readonly key: string | symbol;
  /** the event or wildcard pattern, in the application emitter's delimiter */
  readonly event: string;
}

/** Per prototype, its own listener methods: a plugin start reads these instead of scanning every method. */
const listenersByPrototype = sharedWeakMap<object, PluginEventListenerDeclaration[]>('event-listeners');

/**
 * Makes a method of the plugin class, or of any provider of the plugin's module, listen to
 * `event` on the application's EventEmitter2 while the plugin is active. Stacked decorators
 * each add their event. The listener goes through the plugin's event bus, so it is removed
 * when the plugin stops.
 */
export function OnPluginEvent(event: string): MethodDecorator {
  return (prototype, key, descriptor) => {
    const declarations = listenersByPrototype.get(prototype) ?? [];
    declarations.push({ key, event });
    listenersByPrototype.set(prototype, declarations);
    return descriptor;
  };
}

/** The listener methods declared on `prototype` itself (not inherited ones). */
export function getOwnPluginEventListeners(prototype: object): readonly PluginEventListenerDeclaration[] | undefined {
  return listenersByPrototype.get(prototype);
}
