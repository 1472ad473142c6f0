import type { ClusterOptions } from '../interfaces/cluster-options.interface.js';

/** What `PluginTasks` reads of `PluginModuleOptions` (documented in the slices of cluster mode and the host). */
export interface PluginTasksOptions {
  cluster?: ClusterOptions;
  drainTimeoutMs?: number;
}
