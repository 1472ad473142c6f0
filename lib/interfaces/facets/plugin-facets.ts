import type { ScopedBuckets } from './buckets.facet.js';
import type { PluginCalls } from './call.facet.js';
import type { PluginConfig } from './config.facet.js';
import type { ScopedDatabase } from './database.facet.js';
import type { PluginEventBus } from './event-bus.facet.js';
import type { PluginHttp } from './http.facet.js';
import type { PluginLogger } from './logger.facet.js';
import type { SharedDataClient } from './shared-data.facet.js';
import type { ScopedTasks } from './tasks.facet.js';
import type { ScopedTopics } from './topics.facet.js';

/**
 * The facets of a plugin's context, by name. The host (`DefaultPluginContext`), the guest of an
 * isolated plugin (`GuestPluginContext`) and the testing kit (`createMockPluginContext`) each
 * build a context from a table of these; the host↔guest protocol is derived from them too.
 */
export interface PluginFacets {
  readonly config: PluginConfig;
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
  readonly call: PluginCalls;
}

/** `ctx.tasks` is not available in isolation: a guest's context has every other facet. */
export type GuestFacetName = Exclude<keyof PluginFacets, 'tasks'>;

/** How a context makes its facets: one factory per facet, called on first use with the context's validity check. */
export type FacetTable<F> = { readonly [K in keyof F]: (assertValid: () => void) => F[K] };

/** A facet's methods, each typed by its argument tuple, so one generic dispatch can call any of them by name. */
export type FacetMethods<T extends { [K in keyof T]: (...args: any[]) => unknown }> = { readonly [K in keyof T]: (...args: Parameters<T[K]>) => ReturnType<T[K]> };
