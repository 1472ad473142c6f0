import { getOwnExposedMethods } from '../decorators/expose.decorator.js';
import { DuplicateExposedMethodError, InvalidPluginMetadataError } from '../errors/index.js';
import type { ExposedMethod } from './plugin-record.js';

/** `metadata` is the one name a handle keeps for itself. */
const RESERVED_METHOD_NAMES = new Set(['metadata']);

/**
 * Finds the `@Expose`d methods of a plugin's module: on the plugin class instance and
 * on every provider instance the module declares, inherited ones included (a subclass's
 * override is the one called). Stacked `@Expose('a') @Expose('b')` publish both names.
 */
export function collectExposedMethods(pluginName: string, instances: Iterable<object>): Map<string, ExposedMethod> {
  const methods = new Map<string, ExposedMethod>();
  for (const instance of instances) {
    // Keys a subclass declared: the parent's declarations of them are overridden.
    const derivedKeys = new Set<string | symbol>();
    for (let prototype = Object.getPrototypeOf(instance); prototype !== null && prototype !== Object.prototype; prototype = Object.getPrototypeOf(prototype)) {
      const declarations = (getOwnExposedMethods(prototype) ?? []).filter(({ key }) => !derivedKeys.has(key));
      for (const { key } of declarations) derivedKeys.add(key);
      for (const { key, name } of declarations) {
        addMethod(pluginName, methods, {
          name,
          owner: `${instance.constructor.name}.${String(key)}`,
          target: instance,
          fn: (instance as Record<string | symbol, ExposedMethod['fn']>)[key],
        });
      }
    }
  }
  return methods;
}

function addMethod(pluginName: string, methods: Map<string, ExposedMethod>, method: ExposedMethod): void {
  if (RESERVED_METHOD_NAMES.has(method.name)) {
    throw new InvalidPluginMetadataError(`plugin "${pluginName}"`, [
      `${method.owner} cannot be exposed as "${method.name}": the name is reserved for handle metadata`,
    ]);
  }
  const existing = methods.get(method.name);
  if (existing !== undefined) throw new DuplicateExposedMethodError(pluginName, method.name, existing.owner, method.owner);
  methods.set(method.name, method);
}
