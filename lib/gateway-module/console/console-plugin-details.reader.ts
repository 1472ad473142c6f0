import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { PluginContexts } from '../../context/plugin-contexts.js';
import { PluginLifecycle } from '../../host/plugin-lifecycle.js';
import { PluginRoutes } from '../../http/plugin-routes.js';
import type { PluginInfo } from '../../interfaces/plugin-state.interface.js';
import { pluginLogBook } from '../../observability/logs/plugin-log-book.js';
import type { PluginLogEntry } from '../../observability/logs/plugin-log-entry.js';
import { PluginRecordStore } from '../../registry/plugin-record.store.js';
import { PluginManager } from '../../runtime/plugin.manager.js';
import { HostPaths } from '../host-paths.js';
import { maskSecrets, type ConsolePluginDetails } from './console-plugin-details.js';

/** How many of a plugin's last errors and lines its details row shows. */
const CONSOLE_ERRORS = 5;
const CONSOLE_LINES = 10;

/** Reads, per plugin, what the console's details row shows, from the host's own services. */
@Injectable()
export class ConsolePluginDetailsReader implements OnModuleInit {
  private lifecycle?: PluginLifecycle;
  private contexts?: PluginContexts;
  private routes?: PluginRoutes;
  private records?: PluginRecordStore;
  private manager?: PluginManager;

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly paths: HostPaths,
  ) {}

  onModuleInit(): void {
    // PluginModule keeps its services to itself: look them up across modules.
    const find = <T>(type: abstract new (...args: never[]) => T): T | undefined => {
      try {
        return this.moduleRef.get(type, { strict: false });
      } catch {
        return undefined;
      }
    };
    this.lifecycle = find(PluginLifecycle);
    this.contexts = find(PluginContexts);
    this.routes = find(PluginRoutes);
    this.records = find(PluginRecordStore);
    this.manager = find(PluginManager);
  }

  detailsOf(plugin: PluginInfo): ConsolePluginDetails {
    const config = this.configOf(plugin);
    const origin = this.manager?.origins()[plugin.name];
    return {
      isolation: this.lifecycle?.isolationOf(plugin.metadata) ?? plugin.metadata.isolation ?? 'inline',
      ...(plugin.restarting === undefined ? {} : { restarting: { ...plugin.restarting, reason: this.paths.hide(plugin.restarting.reason) } }),
      ...(config === undefined ? {} : { config }),
      routes: this.routes?.routesOf(plugin.name) ?? [],
      methods: [...(this.records?.get(plugin.name)?.methods.keys() ?? [])],
      logs: this.recentLogsOf(plugin.name),
      ...(origin === undefined ? {} : { origin }),
    };
  }

  /** Few, and paths hidden: every change of any plugin sends every row. */
  private recentLogsOf(name: string): ConsolePluginDetails['logs'] {
    const { errors, lines } = pluginLogBook.of(name);
    const shown = (entry: PluginLogEntry): PluginLogEntry => ({ ...entry, message: this.paths.hide(entry.message), stack: undefined });
    return { errors: errors.slice(-CONSOLE_ERRORS).map(shown), lines: lines.slice(-CONSOLE_LINES).map(shown) };
  }

  private configOf(plugin: PluginInfo): unknown {
    try {
      const config = this.contexts?.configs.configFor(plugin.metadata);
      return config === undefined || Object.keys(config).length === 0 ? undefined : maskSecrets(config, (text) => this.paths.hide(text));
    } catch {
      // A configuration that does not fit its schema is why the plugin failed: its error says so.
      return undefined;
    }
  }
}
