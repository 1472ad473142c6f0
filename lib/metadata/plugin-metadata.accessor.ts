import type { ModuleMetadata, Type } from '@nestjs/common';
import { NEST_MODULE_IMPORTS } from '../constants.js';
import type { PluginMetadata } from '../interfaces/plugin-metadata.interface.js';

/**
 * The one place that reads and writes what `@Plugin()` records on a class. WeakMaps, not
 * reflect-metadata: boot reads this several times per plugin, and a WeakMap read is cheap.
 */

export type PluginClass = Type<unknown>;

interface PluginDeclaration {
  readonly metadata: Readonly<PluginMetadata>;
  /** the `imports` the plugin declared itself, kept so dependency wiring can be recomputed */
  readonly declaredImports: NonNullable<ModuleMetadata['imports']>;
}

const declarations = new WeakMap<Function, PluginDeclaration>();

export function definePluginMetadata(
  pluginClass: Function,
  metadata: PluginMetadata,
  declaredImports: NonNullable<ModuleMetadata['imports']>,
): void {
  declarations.set(pluginClass, { metadata: Object.freeze(metadata), declaredImports });
}

export function getPluginMetadata(candidate: unknown): Readonly<PluginMetadata> | undefined {
  return typeof candidate === 'function' ? declarations.get(candidate)?.metadata : undefined;
}

export function isPluginClass(candidate: unknown): candidate is PluginClass {
  return getPluginMetadata(candidate) !== undefined;
}

/**
 * Makes the plugin's Nest module import the modules of its dependencies, so it can
 * inject what they export and Nest runs their hooks first. Recomputed from the declared
 * imports each time, so registering the same class in several applications does not
 * accumulate imports.
 */
export function linkDependencyModules(pluginClass: PluginClass, dependencyClasses: readonly PluginClass[]): void {
  const declared = declarations.get(pluginClass)?.declaredImports ?? [];
  Reflect.defineMetadata(NEST_MODULE_IMPORTS, [...declared, ...dependencyClasses], pluginClass);
}
