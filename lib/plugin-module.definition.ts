import { ConfigurableModuleBuilder } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ClusterModule } from './cluster/cluster.module.js';
import { PLUGIN_MODULE_OPTIONS } from './constants.js';
import { createBootPluginsModule } from './host/boot-plugins.module.js';
import { createPluginDataSourceModule } from './resources/tables/plugin-data-source.module.js';
import type { PluginModuleOptions, PluginSources } from './interfaces/plugin-module-options.interface.js';

const NO_SOURCES: PluginSources = { plugins: [], pluginsDir: undefined, packages: [], packagesRoot: undefined };

export const { ConfigurableModuleClass: ConfigurablePluginModule } = new ConfigurableModuleBuilder<PluginModuleOptions>({ moduleName: 'Plugin', optionsInjectionToken: PLUGIN_MODULE_OPTIONS })
  .setClassMethodName('forRoot')
  .setExtras<PluginSources>(NO_SOURCES, (definition, sources) => ({
    ...definition,
    global: true,
    imports: [
      ...(definition.imports ?? []),
      DiscoveryModule,
      createPluginDataSourceModule(),
      ClusterModule,
      suppressEarlyRejection(createBootPluginsModule(sources)),
    ],
  }))
  .build();

/**
 * Nest awaits the promise only when it reaches it while scanning; until then a rejection
 * would count as unhandled and end the process. Nest still sees the rejection.
 */
function suppressEarlyRejection<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
