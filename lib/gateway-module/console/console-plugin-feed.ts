import { Injectable, type MessageEvent, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { EventEmitter2 } from '@nestjs/event-emitter';
import { defer, map, type Observable, startWith, Subject } from 'rxjs';
import { PLUGIN_ERROR_EVENT, PLUGIN_EVENT_EMITTER, PLUGIN_LOADED_EVENT, PLUGIN_RESTARTING_EVENT, PLUGIN_UNLOADED_EVENT } from '../../constants.js';
import { PluginCrashedError } from '../../errors/index.js';
import type { PluginGraph } from '../../graph/plugin-graph.js';
import type { PluginMetadata } from '../../interfaces/plugin-metadata.interface.js';
import type { PluginErrorEvent, PluginRestartingEvent } from '../../interfaces/plugin-error-event.interface.js';
import { PluginLifecycle } from '../../host/plugin-lifecycle.js';
import { pluginLogBook } from '../../observability/logs/plugin-log-book.js';
import { PluginRegistry } from '../../registry/plugin.registry.js';
import { HostPaths } from '../host-paths.js';
import { ConsolePluginDetailsReader } from './console-plugin-details.reader.js';
import { consolePluginRows, type ConsolePluginRow } from './console-views.js';

/** How long after an unload a load of the same plugin counts as its reload (a reload imports and starts it in between). */
const RELOAD_WINDOW_MS = 10_000;
/** Log lines reach the page at most this often: a chatty plugin must not flood the stream. */
const LOGS_EVERY_MS = 250;

/** What the console's stream sends: what happened, and every plugin as it is now. */
export interface ConsolePluginEvent {
  /**
   * `reloaded`: loaded again right after it unloaded (a reload, or a dependent restarted); `crashed`: an isolated plugin's guest
   * died for good; `restarting`: it died and is restarted (`message`: the crash and `restart n of max`); `logs`: plugins logged or failed
   */
  type: 'snapshot' | 'loaded' | 'reloaded' | 'unloaded' | 'error' | 'crashed' | 'restarting' | 'logs';
  plugin?: string;
  message?: string;
  plugins: ConsolePluginRow[];
}

/**
 * The plugins as the console shows them, and a stream of them fed by the lifecycle events
 * (`plugin:loaded`, `plugin:unloaded`, `plugin:error`, `plugin:restarting`). Every subscriber first gets a snapshot,
 * so a page that reconnects is never stale.
 */
@Injectable()
export class ConsolePluginFeed implements OnModuleInit, OnModuleDestroy {
  private readonly changes = new Subject<ConsolePluginEvent>();
  private emitter?: EventEmitter2;
  private lifecycle?: PluginLifecycle;
  private readonly listeners = [
    [PLUGIN_LOADED_EVENT, (metadata: PluginMetadata) => this.publish(this.justUnloaded.delete(metadata.name) ? 'reloaded' : 'loaded', metadata.name)],
    [PLUGIN_UNLOADED_EVENT, (metadata: PluginMetadata) => this.unloaded(metadata.name)],
    [PLUGIN_ERROR_EVENT, ({ error, metadata }: PluginErrorEvent) => this.publishError(error, metadata?.name)],
    [PLUGIN_RESTARTING_EVENT, ({ restart, metadata }: PluginRestartingEvent) => this.publishRestart(metadata.name, restart.reason, restart.attempt, restart.maxRestarts)],
  ] as const;
  /**
   * Plugins unloaded in the last RELOAD_WINDOW_MS: the lifecycle tells a reload as an unload then
   * a load, so a load of one of them reads as its reload.
   */
  private readonly justUnloaded = new Set<string>();
  private stopLogs?: () => void;
  private logsTimer?: NodeJS.Timeout;

  constructor(
    private readonly details: ConsolePluginDetailsReader,
    private readonly registry: PluginRegistry,
    private readonly moduleRef: ModuleRef,
    private readonly paths: HostPaths,
  ) {}

  onModuleInit(): void {
    // PluginModule keeps its emitter (the application's, or its own) to itself: look it up across modules.
    this.emitter = this.moduleRef.get<EventEmitter2>(PLUGIN_EVENT_EMITTER, { strict: false });
    this.lifecycle = this.moduleRef.get(PluginLifecycle, { strict: false });
    for (const [event, listener] of this.listeners) this.emitter.on(event, listener);
    this.stopLogs = pluginLogBook.subscribe(() => {
      this.logsTimer ??= setTimeout(() => {
        this.logsTimer = undefined;
        this.publish('logs', undefined);
      }, LOGS_EVERY_MS);
    });
  }

  /** Ends every open stream, so the HTTP server can close. */
  onModuleDestroy(): void {
    for (const [event, listener] of this.listeners) this.emitter?.off(event, listener);
    this.stopLogs?.();
    clearTimeout(this.logsTimer);
    this.changes.complete();
  }

  rows(): ConsolePluginRow[] {
    const migrations = this.lifecycle?.migrations;
    return consolePluginRows(
      this.registry.list(),
      JSON.parse(this.registry.graph('json')) as PluginGraph,
      (text) => this.paths.hide(text),
      (plugin) => migrations?.statusOf(plugin.metadata),
      (plugin) => this.details.detailsOf(plugin),
    );
  }

  /** Server-sent events: a snapshot, then one event per lifecycle change. */
  stream(): Observable<MessageEvent> {
    return defer(() => this.changes.pipe(startWith<ConsolePluginEvent>({ type: 'snapshot', plugins: this.rows() }))).pipe(map((data) => ({ data })));
  }

  private unloaded(name: string): void {
    this.justUnloaded.add(name);
    setTimeout(() => this.justUnloaded.delete(name), RELOAD_WINDOW_MS).unref();
    this.publish('unloaded', name);
  }

  private publishError(error: Error, plugin: string | undefined): void {
    const crashed = error instanceof PluginCrashedError;
    this.publish(crashed ? 'crashed' : 'error', plugin, this.paths.hide(crashed ? error.reason : error.message));
  }

  private publishRestart(plugin: string, reason: string, attempt: number, maxRestarts: number): void {
    this.publish('restarting', plugin, `crashed: ${this.paths.hide(reason)} (restart ${attempt} of ${maxRestarts})`);
  }

  private publish(type: ConsolePluginEvent['type'], plugin: string | undefined, message?: string): void {
    // The lifecycle emits before it forgets an unloaded plugin: read the registry once the step is over.
    setImmediate(() =>
      this.changes.next({ type, ...(plugin === undefined ? {} : { plugin }), ...(message === undefined ? {} : { message }), plugins: this.rows() }),
    );
  }
}
