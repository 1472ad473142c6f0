import { Inject } from '@nestjs/common';
import { PLUGIN_CONTEXT } from '../constants.js';
import { sharedWeakSet } from '../metadata/shared-declarations.js';

/** Classes that inject a plugin context; `@Plugin()` provides one only to modules that need it. */
const contextConsumers = sharedWeakSet<Function>('context-consumers');

/** Injects the `PluginContext` of the plugin whose module declares the provider. */
export const InjectPluginContext = (): PropertyDecorator & ParameterDecorator => {
  const inject = Inject(PLUGIN_CONTEXT);
  return (target: object, key?: string | symbol, index?: number) => {
    // A constructor parameter decorates the class itself, a property its prototype.
    contextConsumers.add(typeof target === 'function' ? target : target.constructor);
    (inject as (target: object, key?: string | symbol, index?: number) => void)(target, key, index);
  };
};

/** Whether `consumer` (or a class it extends) injects a plugin context. */
export function injectsPluginContext(consumer: unknown): boolean {
  for (let type = consumer; typeof type === 'function' && type !== Function.prototype; type = Object.getPrototypeOf(type)) {
    if (contextConsumers.has(type as Function)) return true;
  }
  return false;
}
