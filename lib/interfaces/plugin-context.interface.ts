import type { LoggerService } from '@nestjs/common';
import type { PluginHttp } from '../http/plugin-http.interface.js';
import type { PluginEventBus } from './plugin-event-bus.interface.js';
import type { PluginMetadata } from './plugin-metadata.interface.js';
import type { SharedDataClient } from '../services/shared-data/shared-data.interfaces.js';
import type { ScopedBuckets, ScopedDatabase, ScopedTopics } from './scoped-resources.interface.js';
import type {
  DeclaredPluginName,
  ExposedMethodName,
  MethodParameters,
  MethodResult,
  PluginHandle,
  PluginTypes,
  UndeclaredPluginName,
} from './plugin-types.interface.js';

/** What a plugin gets from the host: passed to `onPluginInit` and injectable with `@InjectPluginContext()`. */
export interface PluginContext {
  readonly plugin: Readonly<PluginMetadata>;
  readonly logger: LoggerService;
  readonly eventBus: PluginEventBus;
  /** Like `PluginRegistry.call`, limited to declared dependencies; the callee sees this plugin as caller. */
  call<N extends DeclaredPluginName, M extends ExposedMethodName<PluginTypes[N]>>(
    pluginId: N,
    method: M,
    ...args: MethodParameters<PluginTypes[N], M>
  ): MethodResult<PluginTypes[N], M>;
  call<N extends string>(pluginId: UndeclaredPluginName<N>, method: string, ...args: unknown[]): unknown;
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
  /** false once the plugin is unloaded; every other member then throws `ContextInvalidatedError`. */
  readonly valid: boolean;
}
