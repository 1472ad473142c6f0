import type { PluginClass } from '../metadata/plugin-metadata.accessor.js';
import type { NormalizedDependency, PluginMetadata } from '../interfaces/plugin-metadata.interface.js';
import type { PluginRestartInfo, PluginState } from '../interfaces/plugin-state.interface.js';
import type { PluginHandle } from '../interfaces/plugin-types.interface.js';
import { ownFrame, type CallFrame } from '../context/plugin-call-context.js';
import type { NestModuleRef } from './find-plugin-modules.js';
import type { PluginEventListener } from './collect-plugin-event-listeners.js';
import type { ExposedMethod } from './exposed-method.js';
import { CallTracker } from './call-tracker.js';
import { PluginMeter } from '../observability/metrics/plugin-meter.js';
import { SwitchableHandle, type BindExposedMethod } from './plugin-handle.js';

/** Where a plugin came from, so it can be reloaded and torn down the right way. */
export interface PluginOrigin {
  /** `boot`: Nest instantiated it with the application; `runtime`: PluginManager loaded it */
  readonly kind: 'boot' | 'runtime';
  /** the file it was imported from, when it was */
  readonly file?: string;
  /** the class as declared (a runtime load instantiates a fresh subclass of it) */
  readonly declaredClass: PluginClass;
  /** Nest modules a runtime load added to the container, dependencies first */
  readonly modules: readonly NestModuleRef[];
}

/** How an isolated plugin's thread or process is doing (docs/isolation.md). */
export interface IsolationStatus {
  /** down between a crash and its restart: health reports the plugin DEGRADED */
  readonly unresponsive: boolean;
  /** set while it is down between a crash and its restart */
  readonly restarting?: PluginRestartInfo;
  /** the guest's memory in bytes, where the host can read it (a process guest on Linux) */
  memoryBytes?(): number | undefined;
}

/** What the host knows about one registered plugin. */
export class PluginRecord {
  error?: Error;
  /** calls whose promise has not settled, for draining on unload */
  readonly calls = new CallTracker();
  /** set for a plugin that runs in a worker thread or child process */
  isolation?: IsolationStatus;
  /** the frame its code runs in when no plugin called it (host calls, its hooks, controllers): one object, not one per call */
  readonly ownCodeFrame: CallFrame;
  /** its metrics: counting nothing until the store that registers it gives the application's meter */
  meter: PluginMeter;
  private currentState: PluginState = 'registered';
  private readonly handles: SwitchableHandle[] = [];

  constructor(
    /** the class Nest instantiated (the plugin module in the container) */
    readonly pluginClass: PluginClass,
    readonly metadata: Readonly<PluginMetadata>,
    readonly dependencies: readonly NormalizedDependency[],
    /** the plugin module's class instance, which carries `onPluginInit`/`onPluginDestroy` */
    readonly instance: object,
    readonly methods: ReadonlyMap<string, ExposedMethod>,
    readonly origin: PluginOrigin,
    /** `@OnPluginEvent` methods, subscribed when the plugin starts */
    readonly eventListeners: readonly PluginEventListener[] = [],
    /** the controller classes of the plugin's module: their handlers are the plugin's code */
    readonly controllers: readonly Function[] = [],
  ) {
    this.ownCodeFrame = ownFrame(metadata.name);
    this.meter = new PluginMeter(metadata.name, false, undefined);
  }

  get name(): string {
    return this.metadata.name;
  }

  get state(): PluginState {
    return this.currentState;
  }

  /** Entering or leaving `active` switches every handle of the plugin on or off. */
  set state(next: PluginState) {
    const wasActive = this.currentState === 'active';
    this.currentState = next;
    if (wasActive !== (next === 'active')) {
      for (const handle of this.handles) handle.switchTo(next === 'active');
    }
  }

  /** A handle whose methods call through `bind`; it follows the plugin's state like the main one. */
  createHandle(bind: BindExposedMethod): PluginHandle {
    const switchable = new SwitchableHandle(this, bind);
    this.handles.push(switchable);
    return switchable.handle;
  }
}
