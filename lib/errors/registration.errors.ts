import { PluginError } from './plugin.error.js';

export class InvalidPluginMetadataError extends PluginError {
  readonly code = 'PLUGIN_INVALID_METADATA';

  /**
   * @param subject `plugin "name"` or, when the name itself is invalid, `plugin class "ClassName"`
   * @param problems one line per failing field, e.g. `version must be a valid semver (got "1.x")`
   */
  constructor(
    readonly subject: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid metadata for ${subject}: ${problems.join('; ')}`);
  }
}

/**
 * Configuration from `forRoot({ config })` that the plugin's `configSchema` rejects. Problems
 * name the field and the rule, never the value given: configuration often holds secrets.
 */
export class InvalidPluginConfigError extends PluginError {
  readonly code = 'PLUGIN_INVALID_CONFIG';

  /** @param problems one line per failing field, e.g. `currency must be one of the following values: EUR, USD` */
  constructor(
    readonly pluginName: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid configuration for plugin "${pluginName}": ${problems.join('; ')}`);
  }
}

export class DuplicatePluginError extends PluginError {
  readonly code = 'PLUGIN_DUPLICATE';

  override get httpStatus(): number {
    return 409;
  }

  constructor(
    readonly pluginName: string,
    readonly firstClass: string,
    readonly secondClass: string,
  ) {
    super(`Plugin "${pluginName}" is registered twice: by class ${firstClass} and by class ${secondClass}`);
  }
}

export class DuplicateExposedMethodError extends PluginError {
  readonly code = 'PLUGIN_DUPLICATE_EXPOSED_METHOD';

  constructor(
    readonly pluginName: string,
    readonly methodName: string,
    readonly firstOwner: string,
    readonly secondOwner: string,
  ) {
    super(
      `Plugin "${pluginName}" exposes "${methodName}" twice: ${firstOwner} and ${secondOwner} (give one of them another name with @Expose('otherName'))`,
    );
  }
}

export class PluginLoadError extends PluginError {
  readonly code = 'PLUGIN_LOAD_FAILED';

  override get httpStatus(): number {
    return 422;
  }

  constructor(
    readonly source: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot load plugin from ${source}: ${reason}`, options);
  }
}

export class PluginInitError extends PluginError {
  readonly code = 'PLUGIN_INIT_FAILED';

  override get httpStatus(): number {
    return 422;
  }

  constructor(
    readonly pluginName: string,
    cause: unknown,
  ) {
    super(`Plugin "${pluginName}" failed in onPluginInit: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** Doors to the database itself, whose way in is the plugin's own entities. */
const DATABASE_DOOR = /DataSource|EntityManager|QueryRunner|TypeOrmModule|Repository/;

/**
 * A plugin that reaches the database or the host around its scope: a module importing
 * `TypeOrmModule.forFeature(...)` or `DiscoveryModule`, or a provider injecting `DataSource`,
 * `EntityManager`, a repository token the library did not issue, or a service that reaches past
 * any plugin's scope (`ModuleRef`, `EventEmitter2`, `PluginRegistry`, …). The advice names the
 * scoped way in: entities for the database, the plugin's context for the rest.
 */
export class UnscopedDatabaseAccessError extends PluginError {
  readonly code = 'PLUGIN_UNSCOPED_DATABASE_ACCESS';

  constructor(
    readonly pluginName: string,
    /** what it injects or imports, e.g. `DataSource`, `TypeOrmModule.forFeature` or `EventEmitter2` */
    readonly door: string,
  ) {
    const scopedWay = DATABASE_DOOR.test(door)
      ? 'declare entities in @Plugin({ entities }) and use @InjectPluginRepository'
      : 'use its plugin context (ctx.eventBus, ctx.call, ctx.http, …)';
    super(`Plugin "${pluginName}" injects ${door} directly; ${scopedWay}, or list "${pluginName}" in trustedPlugins`);
  }
}
