import type { DynamicModule, Provider } from '@nestjs/common';
import { PluginModule } from 'nestjs-plugins';
import type { PluginSources } from '../../../../lib/host/plugin-sources.js';
import type { PluginModuleOptions } from '../../../../lib/module/plugin-module-options.js';
import { PluginDependencyRegistry } from '../../../../lib/services/dependencies/plugin-dependency.registry.js';
import { PluginGateway } from '../../../../lib/services/gateway/plugin.gateway.js';
import { PluginHealthIndicator } from '../../../../lib/services/health/plugin-health.indicator.js';
import { ServiceRegistry } from '../../../../lib/services/registry/service.registry.js';
import { PLUGIN_SERVICES_OPTIONS, type PluginServicesOptions } from '../../../../lib/services/services-options.js';

const SERVICES = [ServiceRegistry, PluginDependencyRegistry, PluginGateway, PluginHealthIndicator];

/**
 * `PluginModule.forRoot(options)` with the services layer provided inside the global module,
 * beside the (unexported) PluginRecordStore, and with the test's `PluginServicesOptions`
 * (the clock included, which `forRoot` options do not carry). Listed after PluginModule's
 * own providers, these replace any it already has for the same tokens.
 */
export function pluginModuleWithServices(options: PluginModuleOptions & PluginSources, services: PluginServicesOptions = {}): DynamicModule {
  const pluginModule = PluginModule.forRoot(options);
  const providers: Provider[] = [...SERVICES, { provide: PLUGIN_SERVICES_OPTIONS, useValue: services }];
  return {
    ...pluginModule,
    providers: [...(pluginModule.providers ?? []), ...providers],
    exports: [...(pluginModule.exports ?? []), ...SERVICES],
  };
}
