import type { PluginClusterModeOptions } from '../cluster/create-cluster.js';
import type { PluginTenantOptions } from '../context/tenant-options.js';
import type { PluginHostOptions } from '../host/plugin-host-options.js';
import type { PluginInstallOptions } from '../install/install-options.js';
import type { PluginConfigOptions } from '../metadata/plugin-config-options.js';
import type { PluginResourceOptions } from '../resources/resource-options.js';
import type { PluginServicesOptions } from '../services/services-options.js';
import type { SharedDataOptions } from '../services/shared-data/shared-data.options.js';
import type { PluginTasksOptions } from '../tasks/plugin-tasks-options.js';
import type { PluginMetricsModuleOptions } from '../observability/metrics/metrics-options.js';

/**
 * Options of PluginModule that may come from a factory (`forRootAsync`). Each part of the
 * library declares the options it reads in its own folder, documented there, and reads them
 * through that slice, so no part imports this shell. The shell adds the services' own.
 */
export interface PluginModuleOptions
  extends PluginHostOptions, PluginTasksOptions, PluginClusterModeOptions, PluginTenantOptions, PluginConfigOptions, PluginResourceOptions, PluginMetricsModuleOptions, PluginInstallOptions {
  /** `ServiceRegistry` and `PluginGateway`: heartbeat staleness (default 30 000 ms) and call timeout (default 5000 ms). */
  services?: Pick<PluginServicesOptions, 'staleAfterMs' | 'gatewayTimeoutMs'>;
  /** `SharedDataService`: how often expired entries are purged (default 60 000 ms). */
  sharedData?: Pick<SharedDataOptions, 'purgeIntervalMs'>;
}
