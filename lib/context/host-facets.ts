import type { EventEmitter2 } from '@nestjs/event-emitter';
import { TasksUnavailableError } from '../errors/index.js';
import type { PluginRoutes } from '../http/plugin-routes.js';
import { ScopedPluginHttp } from '../http/scoped-plugin-http.js';
import type { FacetTable, PluginFacets } from '../interfaces/facets/plugin-facets.js';
import type { PluginMetadata } from '../interfaces/plugin-metadata.interface.js';
import { StructuredPluginLogger } from '../observability/logs/structured-plugin-logger.js';
import type { PluginRecordStore } from '../registry/plugin-record.store.js';
import type { ScopedBuckets } from '../resources/buckets/scoped-buckets.js';
import type { PluginResources } from '../resources/plugin-resources.js';
import type { ResourceScope } from '../resources/resource-scope.js';
import type { PluginDatabase } from '../resources/tables/plugin-database.js';
import type { ScopedTopics } from '../resources/topics/scoped-topics.js';
import { PluginSharedData } from '../services/shared-data/plugin-shared-data.js';
import type { SharedDataService } from '../services/shared-data/shared-data.service.js';
import type { PluginTasks } from '../tasks/plugin-tasks.js';
import type { ScopedTasks } from '../tasks/scoped-tasks.js';
import { DependencyCalls } from './dependency-calls.js';
import type { PluginConfigs } from './plugin-configs.js';
import { ScopedEventBus } from './scoped-event-bus.js';

/** The host's facets: each the public facet interface, implemented by the host's own class. */
export interface HostFacets extends PluginFacets {
  readonly logger: StructuredPluginLogger;
  readonly eventBus: ScopedEventBus;
  readonly http: ScopedPluginHttp;
  readonly database: PluginDatabase;
  readonly topics: ScopedTopics;
  readonly buckets: ScopedBuckets;
  readonly sharedData: PluginSharedData;
  readonly tasks: ScopedTasks;
  readonly call: DependencyCalls;
}

/** What the host's facets are made of. */
export interface HostServices {
  readonly records: PluginRecordStore;
  readonly emitter: EventEmitter2;
  readonly routes: PluginRoutes;
  readonly resources: PluginResources;
  readonly sharedData: SharedDataService;
  readonly configs: PluginConfigs;
  /** without a host (a context built in a test), `tasks` is unavailable */
  readonly tasks: PluginTasks | undefined;
}

/** How the host makes each facet of one plugin's context. */
export function hostFacets(metadata: Readonly<PluginMetadata>, host: HostServices): FacetTable<HostFacets> {
  const name = metadata.name;
  let resourceScope: ResourceScope | undefined;
  const scope = () => (resourceScope ??= host.resources.scopeFor(metadata));
  return {
    /** Resolved on first read, so a provider may read it in its constructor: before registration, a bad configuration throws here. */
    config: () => host.configs.configFor(metadata) as Readonly<Record<string, unknown>>,
    logger: () => new StructuredPluginLogger(name),
    eventBus: (assertValid) => new ScopedEventBus(name, host.emitter, assertValid),
    http: (assertValid) => new ScopedPluginHttp(name, host.routes, assertValid),
    database: (assertValid) => host.resources.databaseFor(scope(), metadata.entities ?? [], assertValid),
    topics: (assertValid) => host.resources.topicsFor(scope(), assertValid),
    buckets: (assertValid) => host.resources.bucketsFor(scope(), assertValid),
    sharedData: (assertValid) => new PluginSharedData(host.sharedData, name, assertValid),
    tasks: (assertValid) => {
      if (host.tasks === undefined) throw new TasksUnavailableError(name);
      return host.tasks.tasksFor(name, assertValid);
    },
    call: () => new DependencyCalls(metadata, host.records),
  };
}
