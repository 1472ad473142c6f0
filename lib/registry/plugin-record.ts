import type { PluginClass } from '../metadata/plugin-metadata.accessor.js';
import type { NormalizedDependency, PluginMetadata } from '../interfaces/plugin-metadata.interface.js';
import type { PluginState } from '../interfaces/plugin-state.interface.js';
import type { PluginHandle } from '../interfaces/plugin-types.interface.js';
import type { DefaultPluginContext } from '../context/plugin-context.js';
import { applyDirectly, createPluginHandle } from './plugin-handle.js';

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
  state: PluginState = 'registered';
  error?: Error;
  readonly dependencies: readonly NormalizedDependency[];
  readonly handle: PluginHandle;

  constructor(
    readonly pluginClass: PluginClass,
    readonly metadata: Readonly<PluginMetadata>,
    dependencies: readonly NormalizedDependency[],
    /** the plugin module's class instance, which carries `onPluginInit`/`onPluginDestroy` */
    readonly instance: object,
    readonly methods: ReadonlyMap<string, ExposedMethod>,
    readonly context: DefaultPluginContext,
  ) {
    this.dependencies = dependencies;
    this.handle = createPluginHandle(this, applyDirectly);
  }

  get name(): string {
    return this.metadata.name;
  }
}
