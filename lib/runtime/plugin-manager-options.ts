import type { PurgeReport } from '../migrations/plugin-purger.js';

export interface UnloadOptions {
  /** unload active dependents first (in reverse dependency order) instead of refusing */
  cascade?: boolean;
}

export interface UninstallOptions {
  /** after unloading, remove the plugin's data for good (see `PurgeReport`); without it, `uninstall` is `unload` */
  purge?: boolean;
}

export interface UninstallResult {
  readonly name: string;
  /** what was removed, with `purge` */
  readonly purged?: PurgeReport;
}

export interface RevertOptions {
  /** the migration to go back to: it stays applied, every later one is reverted */
  to: string;
}
