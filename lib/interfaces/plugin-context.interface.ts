import type { LoggerService } from '@nestjs/common';
import type { PluginHttp } from '../http/plugin-http.interface.js';
import type { PluginEventBus } from './plugin-event-bus.interface.js';
import type { PluginMetadata } from './plugin-metadata.interface.js';
import type { SharedDataClient } from '../services/shared-data/shared-data.interfaces.js';
import type { ScopedBuckets, ScopedDatabase, ScopedTopics } from './scoped-resources.interface.js';
import type { ScopedTasks } from '../tasks/task.interfaces.js';
import type { CallableMethodName, CallArguments, CallResult, DeclaredPluginName, PluginHandle, PluginTypes } from './plugin-types.interface.js';

/**
 * What a plugin gets from the host: passed to `onPluginInit` and injectable with `@InjectPluginContext()`.
 * `TConfig` is the plugin's `configSchema` class: `PluginContext<BillingConfig>` types `ctx.config`.
 */
export interface PluginContext<TConfig extends object = Record<string, unknown>> {
  readonly plugin: Readonly<PluginMetadata>;
  /**
   * The plugin's configuration from `forRoot({ config })`, an instance of its `configSchema`
   * (defaults applied, validated at registration), frozen; `{}` for a plugin without a schema.
   */
  readonly config: Readonly<TConfig>;
  readonly logger: LoggerService;
  readonly eventBus: PluginEventBus;
  /** Like `PluginRegistry.call`, limited to declared dependencies; the callee sees this plugin as caller. */
  call<N extends string, M extends CallableMethodName<N>>(pluginId: N, method: M, ...args: CallArguments<N, M>): CallResult<N, M>;
  /** `undefined` only for a declared optional dependency that is not active. */
  getDependency<N extends DeclaredPluginName>(name: N): PluginHandle<PluginTypes[N]> | undefined;
  getDependency<T = unknown>(name: string): PluginHandle<T> | undefined;
  /** Handles of every declared dependency that is active, by name. */
  getDependencies(): Map<string, PluginHandle>;
  /** The plugin's own Express routes under `/plugins/<name>/`, removed when it stops. */
  readonly http: PluginHttp;
  /** The plugin's own tables (its `entities`, and raw SQL on `allowedTables`). */
  readonly database: ScopedDatabase;
  /** The plugin's `allowedTopics`. */
  readonly topics: ScopedTopics;
  /** The plugin's `allowedBuckets`. */
  readonly buckets: ScopedBuckets;
  /** Shared key-value data of the current tenant; this plugin owns the keys it creates. */
  readonly sharedData: SharedDataClient;
  /** Scheduled tasks: `local` on every instance, `global` on one at a time (a lease in the store); cancelled on unload. */
  readonly tasks: ScopedTasks;
  /** false once the plugin is unloaded; every other member then throws `ContextInvalidatedError`. */
  readonly valid: boolean;
}
