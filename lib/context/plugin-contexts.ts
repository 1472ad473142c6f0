import { Inject, Injectable } from '@nestjs/common';
import type { EventEmitter2 } from '@nestjs/event-emitter';
import { PLUGIN_EVENT_EMITTER, PLUGIN_MODULE_OPTIONS } from '../constants.js';
import type { PluginConfigOptions } from '../metadata/plugin-config-options.js';
import { PluginRoutes } from '../http/plugin-routes.js';
import { getPluginMetadata } from '../metadata/plugin-metadata.accessor.js';
import { PluginRecordStore } from '../registry/plugin-record.store.js';
import { PluginResources } from '../resources/plugin-resources.js';
import { SharedDataService } from '../services/shared-data/shared-data.service.js';
import { PluginTasks } from '../tasks/plugin-tasks.js';
import { DefaultPluginContext } from './plugin-context.js';
import { PluginConfigs } from './plugin-configs.js';

/** Creates each plugin's context once, when the first provider of its module asks for it. */
@Injectable()
export class PluginContexts {
  private readonly contexts = new Map<Function, DefaultPluginContext>();
  /** `forRoot({ config })`, resolved per plugin; registration validates through it too. */
  readonly configs: PluginConfigs;

  constructor(
    private readonly records: PluginRecordStore,
    @Inject(PLUGIN_EVENT_EMITTER) private readonly emitter: EventEmitter2,
    private readonly routes: PluginRoutes,
    private readonly resources: PluginResources,
    private readonly sharedData: SharedDataService,
    @Inject(PLUGIN_MODULE_OPTIONS) options: PluginConfigOptions,
    private readonly tasks: PluginTasks,
  ) {
    this.configs = new PluginConfigs(options.config);
  }

  contextFor(pluginClass: Function): DefaultPluginContext {
    let context = this.contexts.get(pluginClass);
    if (context === undefined) {
      const metadata = getPluginMetadata(pluginClass);
      if (metadata === undefined) throw new Error(`Class ${pluginClass.name} is not decorated with @Plugin()`);
      context = new DefaultPluginContext(metadata, this.records, this.emitter, this.routes, this.resources, this.sharedData, this.configs, this.tasks);
      this.contexts.set(pluginClass, context);
    }
    return context;
  }

  /** Cancels the scheduled tasks of a plugin that is stopping. */
  async stopTasks(pluginClass: Function): Promise<void> {
    await this.contexts.get(pluginClass)?.stopTasks();
  }

  /** Invalidates and forgets the context of a plugin that is going away. */
  async release(pluginClass: Function): Promise<void> {
    const context = this.contexts.get(pluginClass);
    this.contexts.delete(pluginClass);
    await context?.invalidate();
  }
}
