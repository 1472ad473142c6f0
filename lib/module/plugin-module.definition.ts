import { ConfigurableModuleBuilder } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ClusterModule } from '../cluster/cluster.module.js';
import { PLUGIN_MODULE_OPTIONS } from '../constants.js';
import { createBootPluginsModule } from '../host/boot-plugins.module.js';
import { scopeWideningServices } from '../metadata/scope-widening-services.js';
import { PluginRegistry } from '../registry/plugin.registry.js';
import { PluginResources } from '../resources/plugin-resources.js';
import { PluginManager } from '../runtime/plugin.manager.js';
import { PluginDependencyRegistry } from '../services/dependencies/plugin-dependency.registry.js';
import { PluginGateway } from '../services/gateway/plugin.gateway.js';
import { ServiceRegistry } from '../services/registry/service.registry.js';
import { SharedDataService } from '../services/shared-data/shared-data.service.js';
import { createPluginDataSourceModule } from '../resources/tables/plugin-data-source.module.js';
import { PluginTasks } from '../tasks/plugin-tasks.js';
import type { PluginSources } from '../host/plugin-sources.js';
import type { PluginModuleOptions } from './plugin-module-options.js';

const NO_SOURCES: PluginSources = { plugins: [], pluginsDir: undefined, packages: [], packagesRoot: undefined };

/**
 * The library's services a plugin may not inject (beside Nest's own doors): PluginModule
 * provides them, so the boot check and the runtime checks read the same list.
 */
export const SCOPE_WIDENING = scopeWideningServices([
  PluginManager,
  PluginResources,
  SharedDataService,
  PluginTasks,
  PluginRegistry,
  PluginGateway,
  ServiceRegistry,
  PluginDependencyRegistry,
]);

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
      suppressEarlyRejection(createBootPluginsModule(sources, SCOPE_WIDENING)),
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
