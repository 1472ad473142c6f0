export { PluginModule } from './module/plugin.module.js';
export { PluginRegistry } from './registry/plugin.registry.js';
export { PluginManager } from './runtime/plugin.manager.js';
export type { RevertOptions, UninstallOptions, UninstallResult, UnloadOptions } from './runtime/plugin-manager-options.js';
export type { PurgeReport } from './migrations/plugin-purger.js';
export { Plugin } from './decorators/plugin.decorator.js';
export { Expose, type CallGuardOptions, type ExposeOptions } from './decorators/expose.decorator.js';
export { InjectPluginContext } from './decorators/inject-plugin-context.decorator.js';
export { OnPluginEvent } from './decorators/on-plugin-event.decorator.js';
export { PluginCallContext, type PluginCallContextData } from './context/plugin-call-context.js';
export type { TenantIdResolver } from './context/tenant-from-headers.js';
export { resolvePluginOrder } from './graph/resolve-plugin-order.js';
export type { PluginGraphFormat } from './graph/render-plugin-graph.js';
export type { PluginGraph, PluginGraphEdge, PluginGraphNode, PluginGraphNodeState } from './graph/plugin-graph.js';
export type { PluginNode } from './graph/dependency-edges.js';
export type { PluginResolutionOptions } from './graph/resolve-plugin-order.js';
export * from './errors/index.js';
export type { PluginContext } from './interfaces/plugin-context.interface.js';
export type { PluginHttp } from './interfaces/facets/http.facet.js';
export { PluginHttpUnavailableError } from './http/plugin-http-unavailable.error.js';
export type { PluginEventBus } from './interfaces/facets/event-bus.facet.js';
export type { OnPluginDestroy, OnPluginInit } from './interfaces/plugin-lifecycle.interface.js';
export type {
  NormalizedDependency,
  PluginDependency,
  PluginMetadata,
  PluginOptions,
} from './interfaces/plugin-metadata.interface.js';
export type { PluginErrorEvent, PluginRestartingEvent } from './interfaces/plugin-error-event.interface.js';
export type { PluginModuleOptions } from './module/plugin-module-options.js';
export type { PluginSources } from './host/plugin-sources.js';
export type { PluginInfo, PluginRestartInfo, PluginState } from './interfaces/plugin-state.interface.js';
export type { ExposedMethodName, ExposedMethods, PluginHandle, PluginTypes } from './interfaces/plugin-types.interface.js';
export type { CallableMethodName, CallArguments, CallResult } from './interfaces/plugin-types.interface.js';
export { InjectPluginRepository } from './decorators/inject-plugin-repository.decorator.js';
export type { ResourceOverrides } from './resources/resource-overrides.interface.js';
export type { ReceivedTopicMessage, ScopedTopics } from './interfaces/facets/topics.facet.js';
export type { ScopedBuckets } from './interfaces/facets/buckets.facet.js';
export type { ScopedDatabase } from './interfaces/facets/database.facet.js';
export { PluginDatabaseUnavailableError } from './resources/tables/plugin-database-unavailable.error.js';
export { PluginRoleUnavailableError } from './resources/engines/postgres/plugin-role-unavailable.error.js';
export type { TopicMessage, TopicTransport, TopicTransportOptions } from './resources/topics/topic-transport.interface.js';
export { InProcessTopicTransport } from './resources/topics/in-process.topic-transport.js';
export { InvalidTopicSubjectError } from './resources/topics/invalid-topic-subject.error.js';
export type { DurableTopicRemoval, DurableTopicTransport } from './resources/topics/topic-transport.interface.js';
export { DurableTopicUnavailableError } from './resources/topics/durable-topic-unavailable.error.js';
export type { TopicDeclaration } from './interfaces/plugin-metadata.interface.js';
export type { ScopedTasks, TaskFunction, TaskRun, TaskScheduleOptions, TaskScope } from './interfaces/facets/tasks.facet.js';
export type { StorageDriver } from './resources/buckets/storage-driver.interface.js';
export { LocalDirectoryStorageDriver } from './resources/buckets/local-directory.storage-driver.js';
export { ObjectNotFoundError } from './resources/buckets/object-not-found.error.js';
export { BucketStorageError } from './resources/buckets/bucket-storage.error.js';
export { SharedDataService } from './services/shared-data/shared-data.service.js';
export type { SharedDataClient, SharedDataListOptions, SharedDataSetOptions } from './interfaces/facets/shared-data.facet.js';
export type { SharedDataEntry } from './services/shared-data/shared-data.interfaces.js';
export type { SharedDataOptions } from './services/shared-data/shared-data.options.js';
export { ServiceRegistry } from './services/registry/service.registry.js';
export type {
  RemoteServiceRegistration,
  ServiceEndpoint,
  ServiceEndpointMethod,
  ServiceInstance,
  ServiceQuery,
  ServiceState,
} from './services/registry/service.types.js';
export { PluginDependencyRegistry } from './services/dependencies/plugin-dependency.registry.js';
export type {
  DependencyRegistration,
  DependencyResolution,
  DependencyStatus,
  ServiceDependency,
  UninstallCheck,
} from './services/dependencies/service-dependency.types.js';
export type { InstallPlan, UninstallBlocker } from './services/dependencies/service-dependency.types.js';
export { PluginGateway } from './services/gateway/plugin.gateway.js';
export type { GatewayRequest, GatewayResponse } from './services/gateway/gateway.types.js';
export { PluginHealthIndicator, type PluginHealthDetails, type PluginHealthResult } from './services/health/plugin-health.indicator.js';
export type { PluginServicesOptions } from './services/services-options.js';
export type { ClusterNatsConnection, ClusterOptions } from './interfaces/cluster-options.interface.js';
export type { ClusterNodeInfo, ClusterNodePlugin, ClusterNodeStatus } from './cluster/node-state.js';
export type { IsolationLimits, IsolationMode, RestartOptions, SandboxMode } from './interfaces/isolation-options.interface.js';
export { PluginMetrics } from './observability/metrics/plugin-metrics.js';
export type { PluginMetricsOptions } from './observability/metrics/metrics-options.js';
export type { PluginLogEntry, PluginLogLevel } from './observability/logs/plugin-log-entry.js';
export type { PluginInstallOptions, PluginRegistryOptions, RegistryKey } from './install/install-options.js';
export type { InstalledOrigin } from './install/installed-origin.js';
export type { InstalledPluginInfo } from './runtime/plugin-installs.js';
