import type { ModulesContainer } from '@nestjs/core';
import { getPluginMetadata, type PluginClass } from '../metadata/plugin-metadata.accessor.js';

/** Nest's module reference (its class is not exported from `@nestjs/core`'s root). */
export type NestModuleRef = ModulesContainer extends Map<string, infer M> ? M : never;

/**
 * Every `@Plugin` module in the application, in registration order: the classes
 * PluginModule was given first (in the order given), then the ones the application
 * imports itself, in Nest's scan order.
 */
export function findPluginModules(modules: Iterable<NestModuleRef>, bootPluginClasses: readonly PluginClass[]): NestModuleRef[] {
  const pluginModules = new Map<Function, NestModuleRef>();
  for (const moduleRef of modules) {
    if (getPluginMetadata(moduleRef.metatype) !== undefined) pluginModules.set(moduleRef.metatype, moduleRef);
  }
  const ordered: NestModuleRef[] = [];
  for (const pluginClass of bootPluginClasses) {
    const moduleRef = pluginModules.get(pluginClass);
    if (moduleRef !== undefined) {
      ordered.push(moduleRef);
      pluginModules.delete(pluginClass);
    }
  }
  return [...ordered, ...pluginModules.values()];
}

/** The instances `@Expose` may sit on: the plugin class itself and every static provider of its module. */
export function* exposableInstances(moduleRef: NestModuleRef): Generator<object> {
  for (const wrapper of moduleRef.providers.values()) {
    const instance: unknown = wrapper.instance;
    if (wrapper.isAlias || typeof instance !== 'object' || instance === null || !wrapper.isDependencyTreeStatic()) continue;
    yield instance;
  }
}
