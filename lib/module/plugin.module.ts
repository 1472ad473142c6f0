import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { CLUSTER_MEMBER } from '../cluster/cluster.tokens.js';
import { ClusterModule } from '../cluster/cluster.module.js';
import { PLUGIN_CONTEXTS, PLUGIN_EVENT_EMITTER, PLUGIN_MODULE_OPTIONS } from '../constants.js';
import type { PluginModuleOptions } from './plugin-module-options.js';
import { SharedDataService } from '../services/shared-data/shared-data.service.js';
import { ApplicationBoot } from '../services/application-boot.js';
import { PluginDependencyRegistry } from '../services/dependencies/plugin-dependency.registry.js';
import { PluginGateway } from '../services/gateway/plugin.gateway.js';
import { PluginHealthIndicator } from '../services/health/plugin-health.indicator.js';
import { ServiceRegistry } from '../services/registry/service.registry.js';
import { PLUGIN_SERVICES_OPTIONS, type PluginServicesOptions } from '../services/services-options.js';
import { PLUGIN_SHARED_DATA_OPTIONS, type SharedDataOptions } from '../services/shared-data/shared-data.options.js';
import { PluginContexts } from '../context/plugin-contexts.js';
import { PluginControllerInterceptor } from '../context/plugin-controller.interceptor.js';
import { PluginTenantInterceptor } from '../context/plugin-tenant.interceptor.js';
import { PluginHost } from '../host/plugin-host.js';
import { PluginLifecycle } from '../host/plugin-lifecycle.js';
import { PluginRoutes } from '../http/plugin-routes.js';
import { PluginManager } from '../runtime/plugin.manager.js';
import { InstalledPluginsRestorer } from '../runtime/installed-plugins.restorer.js';
import { ConfigurablePluginModule, SCOPE_WIDENING } from './plugin-module.definition.js';
import { SCOPE_WIDENING_SERVICES } from '../metadata/scope-widening-services.js';
import { PluginRecordStore } from '../registry/plugin-record.store.js';
import { PluginRegistry } from '../registry/plugin.registry.js';
import { PluginResources } from '../resources/plugin-resources.js';
import { PluginTasks } from '../tasks/plugin-tasks.js';
import { PluginMetrics } from '../observability/metrics/plugin-metrics.js';
import { PluginCallContext } from '../context/plugin-call-context.js';

/**
 * Turns the application into a plugin host. Global: `PluginRegistry` is injectable
 * anywhere. `PluginModule.forRoot({ plugins, pluginsDir })` or `forRootAsync(...)`.
 */
@Module({
  providers: [
    {
      provide: PluginMetrics,
      useFactory: (options: PluginModuleOptions) => new PluginMetrics(options.metrics, PluginCallContext.tenantId),
      inject: [PLUGIN_MODULE_OPTIONS],
    },
    PluginRecordStore,
    PluginRegistry,
    PluginContexts,
    // Plugin modules ask by this token, so a class decorated by another copy of the library finds it too.
    { provide: PLUGIN_CONTEXTS, useExisting: PluginContexts },
    PluginRoutes,
    PluginLifecycle,
    PluginHost,
    { provide: SCOPE_WIDENING_SERVICES, useValue: SCOPE_WIDENING },
    PluginManager,
    // The cluster's reconciler drives the manager through this narrow interface.
    { provide: CLUSTER_MEMBER, useExisting: PluginManager },
    InstalledPluginsRestorer,
    PluginResources,
    SharedDataService,
    ApplicationBoot,
    PluginTasks,
    ServiceRegistry,
    PluginDependencyRegistry,
    PluginGateway,
    PluginHealthIndicator,
    {
      provide: PLUGIN_SERVICES_OPTIONS,
      useFactory: (options: PluginModuleOptions): PluginServicesOptions => options.services ?? {},
      inject: [PLUGIN_MODULE_OPTIONS],
    },
    {
      provide: PLUGIN_SHARED_DATA_OPTIONS,
      useFactory: (options: PluginModuleOptions): SharedDataOptions => options.sharedData ?? {},
      inject: [PLUGIN_MODULE_OPTIONS],
    },
    { provide: APP_INTERCEPTOR, useClass: PluginTenantInterceptor },
    { provide: APP_INTERCEPTOR, useClass: PluginControllerInterceptor },
    {
      provide: PLUGIN_EVENT_EMITTER,
      // Plugins share the application's emitter; without EventEmitterModule they still get a working bus.
      useFactory: (applicationEmitter?: EventEmitter2) => applicationEmitter ?? new EventEmitter2({ wildcard: true, delimiter: ':' }),
      inject: [{ token: EventEmitter2, optional: true }],
    },
  ],
  exports: [
    PluginRegistry,
    PluginManager,
    CLUSTER_MEMBER,
    PluginContexts,
    PLUGIN_CONTEXTS,
    PluginLifecycle,
    SharedDataService,
    ApplicationBoot,
    ServiceRegistry,
    PluginDependencyRegistry,
    PluginGateway,
    PluginHealthIndicator,
    PluginResources,
    PluginTasks,
    PluginMetrics,
    // For the gateway module's tenant header, and other parts of the library outside this module.
    PLUGIN_MODULE_OPTIONS,
    // The console's rates read the other instances' heartbeats and publish this one's (the CLUSTER token).
    ClusterModule,
  ],
})
export class PluginModule extends ConfigurablePluginModule {}
