import { getOwnExposedMethods, type ExposedMethodDeclaration } from '../decorators/expose.decorator.js';
import { DuplicateExposedMethodError, InvalidPluginMetadataError } from '../errors/index.js';
import { declaredMethodsOf } from './declared-methods.js';
import type { ExposedMethod } from './exposed-method.js';

/** `metadata` is the one name a handle keeps for itself. */
const RESERVED_METHOD_NAMES = new Set(['metadata']);

/**
 * Finds the `@Expose`d methods of a plugin's module: on the plugin class instance and
 * on every provider instance the module declares, inherited ones included (a subclass's
 * override is the one called). Stacked `@Expose('a') @Expose('b')` publish both names.
 */
export function collectExposedMethods(pluginName: string, instances: Iterable<object>, guard?: GuardMethod): Map<string, ExposedMethod> {
  const methods = new Map<string, ExposedMethod>();
  for (const instance of instances) {
    for (const { declaration, owner, target, fn } of declaredMethodsOf(instance, getOwnExposedMethods)) {
      const called = declaration.guard === undefined || guard === undefined ? fn : guard(fn, declaration);
      addMethod(pluginName, methods, { name: declaration.name, owner, target, fn: called });
    }
  }
  return methods;
}

/** Wraps a method that has guard options (`@Expose({ permissions, timeoutMs, validate })`). */
export type GuardMethod = (fn: ExposedMethod['fn'], declaration: ExposedMethodDeclaration) => ExposedMethod['fn'];

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
