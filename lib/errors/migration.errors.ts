import { PluginError } from './plugin.error.js';

/**
 * `uninstall(name, { purge: true })` unloaded the plugin but could not remove all of its data.
 * Each purge step is idempotent, so calling `uninstall` again with `purge` finishes the job.
 */
export class PluginPurgeError extends PluginError {
  readonly code = 'PLUGIN_PURGE_FAILED';

  constructor(
    readonly pluginName: string,
    /** what was being removed: `database objects`, `bucket "files"`, `durable topic "orders"` */
    readonly step: string,
    options: { cause: unknown },
  ) {
    super(
      `Plugin "${pluginName}" was unloaded, but its data could not be purged (${step}: ${messageOf(options.cause)}); ` +
        `call uninstall("${pluginName}", { purge: true }) again to finish`,
      options,
    );
  }
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
