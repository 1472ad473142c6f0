import type { MetadataScanner } from '@nestjs/core';
import { getExposedMethodMetadata } from '../decorators/expose.decorator.js';
import { DuplicateExposedMethodError, InvalidPluginMetadataError } from '../errors/index.js';
import type { ExposedMethod } from './plugin-record.js';

/** `metadata` is the one name a handle keeps for itself. */
const RESERVED_METHOD_NAMES = new Set(['metadata']);

/**
 * Finds the `@Expose`d methods of a plugin's module: on the plugin class instance and
 * on every provider instance the module declares.
 */
export function collectExposedMethods(
  pluginName: string,
  instances: Iterable<object>,
  metadataScanner: MetadataScanner,
): Map<string, ExposedMethod> {
  const methods = new Map<string, ExposedMethod>();
  for (const instance of instances) {
    const prototype = Object.getPrototypeOf(instance);
    if (prototype === null) continue;
    for (const methodKey of metadataScanner.getAllMethodNames(prototype)) {
      const fn = prototype[methodKey];
      const exposed = getExposedMethodMetadata(fn);
      if (exposed === undefined) continue;
      const method: ExposedMethod = { name: exposed.name, owner: `${instance.constructor.name}.${methodKey}`, target: instance, fn };
      if (RESERVED_METHOD_NAMES.has(method.name)) {
        throw new InvalidPluginMetadataError(`plugin "${pluginName}"`, [
          `${method.owner} cannot be exposed as "${method.name}": the name is reserved for handle metadata`,
        ]);
      }
      const existing = methods.get(method.name);
      if (existing !== undefined) throw new DuplicateExposedMethodError(pluginName, method.name, existing.owner, method.owner);
      methods.set(method.name, method);
    }
  }
  return methods;
}
