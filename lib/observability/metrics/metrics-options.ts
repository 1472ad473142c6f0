/** `PluginModule.forRoot({ metrics })`: what the per-plugin metrics carry (docs/metrics.md). */
export interface PluginMetricsOptions {
  /**
   * Adds a `tenant` label to the call counters. Off by default: tenants are unbounded, and
   * every tenant multiplies the series of every method of every plugin. When on, each method
   * keeps at most `MAX_LABEL_VALUES` tenant series; later tenants are counted under `other`.
   */
  readonly tenantLabel?: boolean;
}

/** The slice of `PluginModuleOptions` the metrics read. */
export interface PluginMetricsModuleOptions {
  metrics?: PluginMetricsOptions;
}
