import type { PluginClass } from '../metadata/plugin-metadata.accessor.js';
import type { NormalizedDependency, PluginMetadata } from '../interfaces/plugin-metadata.interface.js';
import type { PluginState } from '../interfaces/plugin-state.interface.js';
import type { PluginHandle } from '../interfaces/plugin-types.interface.js';
import type { DefaultPluginContext } from '../context/plugin-context.js';
import { bindToTarget, SwitchableHandle, type BindExposedMethod } from './plugin-handle.js';

/** An `@Expose`d method, ready to be applied to the instance that owns it. */
export interface ExposedMethod {
  readonly name: string;
  /** `ClassName.methodKey`, for messages */
  readonly owner: string;
  readonly target: object;
  readonly fn: (...args: unknown[]) => unknown;
}

/** What the host knows about one registered plugin. */
export class PluginRecord {
  error?: Error;
  readonly handle: PluginHandle;
  private currentState: PluginState = 'registered';
  private readonly handles: SwitchableHandle[] = [];

  constructor(
    readonly pluginClass: PluginClass,
    readonly metadata: Readonly<PluginMetadata>,
    readonly dependencies: readonly NormalizedDependency[],
    /** the plugin module's class instance, which carries `onPluginInit`/`onPluginDestroy` */
    readonly instance: object,
    readonly methods: ReadonlyMap<string, ExposedMethod>,
    readonly context: DefaultPluginContext,
  ) {
    this.handle = this.createHandle(bindToTarget);
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
