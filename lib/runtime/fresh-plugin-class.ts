import { Plugin } from '../decorators/plugin.decorator.js';
import { getPluginOptions, type PluginClass } from '../metadata/plugin-metadata.accessor.js';

/**
 * A new subclass of a plugin class, declared with the same `@Plugin()` options. Nest keys
 * modules by class, so each runtime load gets its own module and fresh provider instances,
 * even for a class that was loaded (or booted) before; the subclass also gets its own context.
 */
export function freshPluginClass(declaredClass: PluginClass): PluginClass {
  const fresh = { [declaredClass.name]: class extends (declaredClass as new (...args: any[]) => object) {} }[declaredClass.name];
  Plugin(getPluginOptions(declaredClass)!)(fresh);
  return fresh as PluginClass;
}
