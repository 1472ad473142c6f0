/** What the host reads of `PluginModuleOptions` (documented there). */
export interface PluginHostOptions {
  onError?: 'fail' | 'isolate';
  drainTimeoutMs?: number;
  grants?: Record<string, string[]> | 'all';
  hostVersion?: string;
}
