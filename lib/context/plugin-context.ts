import type { EventEmitter2 } from '@nestjs/event-emitter';
import type { PluginRoutes } from '../http/plugin-routes.js';
import type { PluginContext } from '../interfaces/plugin-context.interface.js';
import type { PluginMetadata } from '../interfaces/plugin-metadata.interface.js';
import type { PluginRecordStore } from '../registry/plugin-record.store.js';
import type { PluginResources } from '../resources/plugin-resources.js';
import type { SharedDataService } from '../services/shared-data/shared-data.service.js';
import type { PluginTasks } from '../tasks/plugin-tasks.js';
import type { ScopedTasks } from '../tasks/scoped-tasks.js';
import { FacetContext } from './facet-context.js';
import { hostFacets, type HostFacets } from './host-facets.js';
import { PluginConfigs } from './plugin-configs.js';

/**
 * The one `PluginContext` of a plugin, created when its module is instantiated, from the host's
 * facet table. It and every member it hands out keep host objects in private fields (`#`):
 * walking the context's properties must reach no DataSource, emitter or library service (docs/security.md).
 */
export class DefaultPluginContext extends FacetContext<HostFacets> implements PluginContext {
  readonly #metadata: Readonly<PluginMetadata>;
  readonly #routes: PluginRoutes;
  readonly #pluginTasks: PluginTasks | undefined;

  constructor(
    metadata: Readonly<PluginMetadata>,
    records: PluginRecordStore,
    emitter: EventEmitter2,
    routes: PluginRoutes,
    resources: PluginResources,
    sharedDataService: SharedDataService,
    configs: PluginConfigs = new PluginConfigs(undefined),
    pluginTasks?: PluginTasks,
  ) {
    super(metadata, hostFacets(metadata, { records, emitter, routes, resources, sharedData: sharedDataService, configs, tasks: pluginTasks }));
    this.#metadata = metadata;
    this.#routes = routes;
    this.#pluginTasks = pluginTasks;
  }

  /** Scheduled tasks: throws `TasksUnavailableError` on a context built without a host. */
  get tasks(): ScopedTasks {
    return this.facet('tasks');
  }

  /** Registers the plugin's entities before it starts, if it has any and no repository injection did already. */
  async prepareResources(): Promise<void> {
    if ((this.#metadata.entities ?? []).length > 0) await this.database.ready();
  }

  /**
   * Ends the context: listeners, HTTP routes, topic subscriptions and entity metadata are
   * removed, and every member throws from now on.
   */
  async invalidate(): Promise<void> {
    await this.stopTasks();
    this.madeFacet('eventBus')?.removeAllListeners();
    // Always, not only when `http` was used: the plugin's controllers must stop answering too.
    this.#routes.close(this.#metadata.name);
    this.markInvalid();
    await this.madeFacet('topics')?.close();
    this.madeFacet('database')?.close();
  }

  /** Cancels the plugin's scheduled tasks: no run starts once this resolves (the lifecycle calls it before `onPluginDestroy`). */
  async stopTasks(): Promise<void> {
    const tasks = this.madeFacet('tasks');
    if (tasks !== undefined) await this.#pluginTasks!.release(tasks);
  }
}
