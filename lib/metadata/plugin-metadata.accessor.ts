import type { ModuleMetadata, Type } from '@nestjs/common';
import { NEST_MODULE_IMPORTS, PLUGIN_DECLARED_IMPORTS, PLUGIN_METADATA } from '../constants.js';
import type { PluginMetadata } from '../interfaces/plugin-metadata.interface.js';

/** The one place that reads and writes the plugin metadata `@Plugin()` stores on a class. */

export type PluginClass = Type<unknown>;

export function definePluginMetadata(
  pluginClass: Function,
  metadata: PluginMetadata,
  declaredImports: NonNullable<ModuleMetadata['imports']>,
): void {
  Reflect.defineMetadata(PLUGIN_METADATA, Object.freeze(metadata), pluginClass);
  Reflect.defineMetadata(PLUGIN_DECLARED_IMPORTS, declaredImports, pluginClass);
}

export function getPluginMetadata(candidate: unknown): Readonly<PluginMetadata> | undefined {
  return typeof candidate === 'function' ? Reflect.getOwnMetadata(PLUGIN_METADATA, candidate) : undefined;
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
  const declared: unknown[] = Reflect.getOwnMetadata(PLUGIN_DECLARED_IMPORTS, pluginClass) ?? [];
  Reflect.defineMetadata(NEST_MODULE_IMPORTS, [...declared, ...dependencyClasses], pluginClass);
}
