import type { ClusterOptions } from '../interfaces/cluster-options.interface.js';

/** What `PluginTasks` reads of `PluginModuleOptions` (documented there). */
export interface PluginTasksOptions {
  cluster?: ClusterOptions;
  drainTimeoutMs?: number;
}
