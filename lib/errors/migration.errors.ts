import { PluginError } from './plugin.error.js';

/** A plugin with entities on a DataSource that does not synchronize must ship migrations that create its tables. */
export class PluginSchemaMissingError extends PluginError {
  readonly code = 'PLUGIN_SCHEMA_MISSING';

  constructor(readonly pluginName: string) {
    super(`Plugin "${pluginName}" has entities but no migrations, and the DataSource does not synchronize`);
  }
}

/** The database holds migrations of the plugin that this version does not know: it is older than the schema. */
export class PluginSchemaAheadError extends PluginError {
  readonly code = 'PLUGIN_SCHEMA_AHEAD';

  override get httpStatus(): number {
    return 409;
  }

  constructor(
    readonly pluginName: string,
    readonly version: string,
    readonly unknownMigrations: readonly string[],
  ) {
    super(
      `Plugin "${pluginName}" ${version} does not know the applied migrations ${unknownMigrations.join(', ')}: ` +
        `the schema is ahead of this version (revert them with the version that has them: PluginManager.revert("${pluginName}", { to }))`,
    );
  }
}

/** One migration's `up` or `down` threw; its transaction was rolled back. */
export class PluginMigrationError extends PluginError {
  readonly code = 'PLUGIN_MIGRATION_FAILED';

  override get httpStatus(): number {
    return 422;
  }

  constructor(
    readonly pluginName: string,
    readonly migrationName: string,
    readonly direction: 'up' | 'down',
    cause: unknown,
  ) {
    super(`Plugin "${pluginName}" migration ${migrationName} failed (${direction}): ${messageOf(cause)}`, { cause });
  }
}

/** `revert` was asked for something it cannot do; nothing was changed. */
export class PluginRevertError extends PluginError {
  readonly code = 'PLUGIN_REVERT_REFUSED';

  override get httpStatus(): number {
    return 409;
  }

  constructor(
    readonly pluginName: string,
    reason: string,
  ) {
    super(`Cannot revert plugin "${pluginName}": ${reason}`);
  }
}

/** An upgrade failed; its schema changes were rolled back and the previous version runs again. */
export class PluginUpgradeError extends PluginError {
  readonly code = 'PLUGIN_UPGRADE_FAILED';

  override get httpStatus(): number {
    return 422;
  }

  constructor(
    readonly pluginName: string,
    readonly targetVersion: string,
    readonly runningVersion: string,
    cause: unknown,
  ) {
    super(
      `Plugin "${pluginName}" could not be upgraded to ${targetVersion}: ${messageOf(cause)}; ${runningVersion} is running`,
      { cause },
    );
  }
}

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
