import type { ScopedBuckets } from './facets/buckets.facet.js';
import type { PluginCalls } from './facets/call.facet.js';
import type { ScopedDatabase } from './facets/database.facet.js';
import type { PluginEventBus } from './facets/event-bus.facet.js';
import type { PluginHttp } from './facets/http.facet.js';
import type { PluginLogger } from './facets/logger.facet.js';
import type { SharedDataClient } from './facets/shared-data.facet.js';
import type { ScopedTasks } from './facets/tasks.facet.js';
import type { ScopedTopics } from './facets/topics.facet.js';
import type { PluginMetadata } from './plugin-metadata.interface.js';

/**
 * What a plugin gets from the host: passed to `onPluginInit` and injectable with `@InjectPluginContext()`.
 * `TConfig` is the plugin's `configSchema` class: `PluginContext<BillingConfig>` types `ctx.config`.
 */
export interface PluginContext<TConfig extends object = Record<string, unknown>> extends PluginCalls {
  readonly plugin: Readonly<PluginMetadata>;
  /**
   * The plugin's configuration from `forRoot({ config })`, an instance of its `configSchema`
   * (defaults applied, validated at registration), frozen; `{}` for a plugin without a schema.
   */
  readonly config: Readonly<TConfig>;
  readonly logger: PluginLogger;
  readonly eventBus: PluginEventBus;
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
