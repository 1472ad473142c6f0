import type { ModuleMetadata, Type } from '@nestjs/common';
import { NEST_MODULE_IMPORTS } from '../constants.js';
import type { PluginMetadata, PluginOptions } from '../interfaces/plugin-metadata.interface.js';
import { markDecoratedByThisCopy, sharedWeakMap } from './shared-declarations.js';

/**
 * The one place that reads and writes what `@Plugin()` records on a class. WeakMaps, not
 * reflect-metadata: boot reads this several times per plugin, and a WeakMap read is cheap.
 */

export type PluginClass = Type<unknown>;

interface PluginDeclaration {
  /** everything given to `@Plugin()`, so a fresh subclass can be declared the same way */
  readonly options: Readonly<PluginOptions>;
  readonly metadata: Readonly<PluginMetadata>;
  /** the `imports` the plugin declared itself, kept so dependency wiring can be recomputed */
  readonly declaredImports: NonNullable<ModuleMetadata['imports']>;
}

const declarations = sharedWeakMap<Function, PluginDeclaration>('plugin-declarations');

export function definePluginMetadata(
  pluginClass: Function,
  options: PluginOptions,
  metadata: PluginMetadata,
  declaredImports: NonNullable<ModuleMetadata['imports']>,
): void {
  declarations.set(pluginClass, { options, metadata: Object.freeze(metadata), declaredImports });
  markDecoratedByThisCopy(pluginClass);
}

export function getPluginOptions(pluginClass: Function): Readonly<PluginOptions> | undefined {
  return declarations.get(pluginClass)?.options;
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
