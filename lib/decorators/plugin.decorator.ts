import { Module } from '@nestjs/common';
import type { FactoryProvider, ModuleMetadata } from '@nestjs/common';
import { PLUGIN_CONTEXT, PLUGIN_CONTEXTS } from '../constants.js';
import type { PluginContexts } from '../context/plugin-contexts.js';
import type { PluginMetadata, PluginOptions } from '../interfaces/plugin-metadata.interface.js';
import { definePluginMetadata } from '../metadata/plugin-metadata.accessor.js';
import { declareValidationNeeded } from '../metadata/validation-libraries.js';
import { rememberDefiningModule } from '../metadata/plugin-module-file.js';
import { injectsPluginContext } from './inject-plugin-context.decorator.js';
import { pluginRepositoryToken } from './inject-plugin-repository.decorator.js';

/**
 * Declares a plugin: a Nest module (`imports`, `providers`, `controllers`, `exports`
 * work as in `@Module()`) plus plugin metadata. Metadata is validated when the plugin
 * is registered, not here, so a bad plugin fails the boot that uses it with a clear error.
 */
export function Plugin(options: PluginOptions): ClassDecorator {
  return (target) => {
    const { imports = [], providers = [], controllers = [], exports = [], ...metadata } = options;
    definePluginMetadata(target, options, metadata as PluginMetadata, imports);
    // Only isolated plugins need their file (the guest imports it); reading the stack costs the others nothing.
    if (metadata.isolation !== undefined && metadata.isolation !== 'inline') rememberDefiningModule(target);
    if (metadata.configSchema !== undefined) declareValidationNeeded();
    // Only modules whose classes ask for the context get its provider: each provider costs
    // Nest a resolution at boot, which adds up over hundreds of plugins.
    const needsContext = [target, ...controllers, ...providers.map(providedClass)].some(injectsPluginContext);
    const repositories = (metadata.entities ?? []).map((entity) => pluginRepositoryProvider(target, metadata.name, entity));
    Module({
      imports,
      controllers,
      exports,
      providers: [...providers, ...(needsContext ? [pluginContextProvider(target, metadata.name)] : []), ...repositories],
    })(target);
  };
}

/** The class Nest instantiates for a provider, if any. */
function providedClass(provider: NonNullable<ModuleMetadata['providers']>[number]): unknown {
  return typeof provider === 'function' ? provider : 'useClass' in provider ? provider.useClass : undefined;
}

/** Each plugin module provides its own context, so `@InjectPluginContext()` resolves per plugin. */
function pluginContextProvider(pluginClass: Function, pluginName: string): FactoryProvider {
  return {
    provide: PLUGIN_CONTEXT,
    useFactory: (contexts: PluginContexts | undefined) => requireContexts(contexts, pluginClass, pluginName).contextFor(pluginClass),
    inject: [{ token: PLUGIN_CONTEXTS, optional: true }],
  };
}

/** A repository per entity, registered (under its real table name) before it is handed out. */
function pluginRepositoryProvider(pluginClass: Function, pluginName: string, entity: Function): FactoryProvider {
  return {
    provide: pluginRepositoryToken(entity),
    useFactory: async (contexts: PluginContexts | undefined) => {
      const database = requireContexts(contexts, pluginClass, pluginName).contextFor(pluginClass).database;
      await database.ready();
      return database.getRepository(entity);
    },
    inject: [{ token: PLUGIN_CONTEXTS, optional: true }],
  };
}

function requireContexts(contexts: PluginContexts | undefined, pluginClass: Function, pluginName: string): PluginContexts {
  if (contexts === undefined) {
    throw new Error(
      `Plugin "${pluginName}" (class ${pluginClass.name}) is used without PluginModule: import PluginModule.forRoot() in the application module`,
    );
  }
  return contexts;
}
