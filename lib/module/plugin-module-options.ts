import type { PluginClusterModeOptions } from '../cluster/create-cluster.js';
import type { PluginTenantOptions } from '../context/tenant-options.js';
import type { TenantIdResolver } from '../context/tenant-from-headers.js';
import type { PluginHostOptions } from '../host/plugin-host-options.js';
import type { ClusterOptions } from '../interfaces/cluster-options.interface.js';
import type { PluginConfigOptions } from '../metadata/plugin-config-options.js';
import type { StorageDriver } from '../resources/buckets/storage-driver.interface.js';
import type { ResourceOverrides } from '../resources/resource-overrides.interface.js';
import type { PluginResourceOptions } from '../resources/resource-options.js';
import type { TopicTransport } from '../resources/topics/topic-transport.interface.js';
import type { PluginServicesOptions } from '../services/services-options.js';
import type { SharedDataOptions } from '../services/shared-data/shared-data.options.js';
import type { PluginTasksOptions } from '../tasks/plugin-tasks-options.js';

/**
 * Options of PluginModule that may come from a factory (`forRootAsync`). Each part of the
 * library reads the options through the slice it declares (`extends`), so the compiler holds
 * these declarations to what the parts read, and no part imports this shell.
 */
export interface PluginModuleOptions
  extends PluginHostOptions, PluginTasksOptions, PluginClusterModeOptions, PluginTenantOptions, PluginConfigOptions, PluginResourceOptions {
  /**
   * What a plugin that cannot start does to boot. `'fail'` (default): boot fails with the
   * error and plugins already started are stopped again. `'isolate'`: the plugin and every
   * plugin that requires it are marked `failed`, `plugin:error` is emitted, the rest start.
   */
  onError?: 'fail' | 'isolate';
  /** How long an unload waits for pending calls of the plugin before it stops it anyway (default 5000). */
  drainTimeoutMs?: number;
  /**
   * The request header naming the tenant (`X-Tenant-Slug` by default; `X-Tenant-ID` is read
   * too). Requests run in that tenant's `PluginCallContext`. `false` turns this off.
   */
  tenantHeader?: string | false;
  /**
   * The id of the tenant a slug names, when slugs and ids differ (undefined: the slug is the
   * id, as without this option). A request sending `X-Tenant-ID` and a slug that resolve to
   * different tenants is a 400 (`TenantConflictError`). May answer with a promise; throw an
   * `HttpException` to refuse an unknown slug.
   */
  resolveTenantId?: TenantIdResolver;
  /**
   * Permissions the host grants, per plugin name; a plugin holds those it also requests in
   * `@Plugin({ permissions })`. `'all'`: every requested permission (trusted setups). Default: none.
   */
  grants?: Record<string, string[]> | 'all';
  /** `ServiceRegistry` and `PluginGateway`: heartbeat staleness (default 30 000 ms) and call timeout (default 5000 ms). */
  services?: Pick<PluginServicesOptions, 'staleAfterMs' | 'gatewayTimeoutMs'>;
  /** `SharedDataService`: how often expired entries are purged (default 60 000 ms). */
  sharedData?: Pick<SharedDataOptions, 'purgeIntervalMs'>;
  /** Per plugin name: allow-lists that replace the declared ones, and real names used verbatim. */
  overrides?: Record<string, ResourceOverrides>;
  /** Carries `ctx.topics` messages; in-process by default (`NatsTopicTransport` for a real broker). */
  topicTransport?: TopicTransport;
  /** Stores `ctx.buckets` objects; a local directory `data/buckets` by default (`S3StorageDriver` for S3). */
  storageDriver?: StorageDriver;
  /**
   * How long one raw SQL statement of a plugin may run (default 5000). Past it the statement
   * is cancelled, or refused up front when it cannot be bounded, with `SqlTimeoutError`.
   */
  sqlTimeoutMs?: number;
  /** The largest raw SQL text a plugin may send, in UTF-8 bytes (default 65 536); above it `SqlTooLargeError`. */
  maxSqlBytes?: number;
  /**
   * The largest parameters of one raw SQL statement, in bytes summed over them (default
   * 1 048 576): strings in UTF-8, binary values as they are, other objects as their JSON,
   * numbers and the like 8 each. Above it `SqlTooLargeError`.
   */
  maxSqlParamBytes?: number;
  /**
   * How many raw SQL statements of one plugin run at once; the others wait their turn in order,
   * and their `sqlTimeoutMs` starts when they run. Default on PostgreSQL: a quarter of the pool
   * (`extra.max` or `poolSize`, else 10), at least 1; on SQLite, no cap.
   */
  sqlConcurrency?: number;
  /**
   * Per plugin name: its configuration, validated against its `configSchema` when it is
   * registered (boot or runtime load) and read as `ctx.config`. Configuration for a plugin
   * without a `configSchema` is an error; for a name no plugin has at boot, a warning.
   */
  config?: Record<string, object>;
  /**
   * The application's version (semver), checked against each plugin's `hostRange` during
   * resolution. Without it no range is checked (a warning names each plugin that declares one).
   */
  hostVersion?: string;
  /** Several instances of one application share desired state, registries and leases (docs/cluster.md). Off by default. */
  cluster?: ClusterOptions;
}
