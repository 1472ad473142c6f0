import { PluginError } from './plugin.error.js';

/** `forRoot({ cluster })` without a store it can use: the application's TypeORM DataSource. */
export class ClusterStoreUnavailableError extends PluginError {
  readonly code = 'PLUGIN_CLUSTER_STORE_UNAVAILABLE';

  constructor(reason: string) {
    super(`Cluster mode cannot start: ${reason}`);
  }
}
