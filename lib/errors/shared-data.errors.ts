import { PluginError } from './plugin.error.js';

/** What `SharedDataOwnershipError` refused. */
export type SharedDataWrite = 'overwrite' | 'delete';

/** A plugin tried to change a live key another plugin created. */
export class SharedDataOwnershipError extends PluginError {
  readonly code = 'PLUGIN_SHARED_DATA_OWNERSHIP';

  override get httpStatus(): number {
    return 403;
  }

  constructor(
    readonly pluginName: string,
    readonly write: SharedDataWrite,
    readonly namespace: string,
    readonly key: string,
    readonly ownerId: string,
  ) {
    super(`Plugin "${pluginName}" may not ${write} "${namespace}/${key}" owned by "${ownerId}"`);
  }
}

/** A value that cannot be stored as JSON (undefined, a function, a BigInt, a cycle …). */
export class SharedDataValueError extends PluginError {
  readonly code = 'PLUGIN_SHARED_DATA_INVALID_VALUE';

  override get httpStatus(): number {
    return 400;
  }

  constructor(
    readonly namespace: string,
    readonly key: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Shared data "${namespace}/${key}" cannot be stored: ${reason}`, options);
  }
}

/** A namespace, key, owner or TTL the service does not accept. */
export class SharedDataArgumentError extends PluginError {
  readonly code = 'PLUGIN_SHARED_DATA_INVALID_ARGUMENT';

  override get httpStatus(): number {
    return 400;
  }

  constructor(
    readonly argument: string,
    readonly reason: string,
  ) {
    super(`Invalid shared data ${argument}: ${reason}`);
  }
}

const NO_DATA_SOURCE = 'the application has no TypeORM DataSource (import TypeOrmModule.forRoot(...) from @nestjs/typeorm)';

/** Shared data is used where it has no database to live in (by default: no DataSource at all). */
export class SharedDataUnavailableError extends PluginError {
  readonly code = 'PLUGIN_SHARED_DATA_UNAVAILABLE';

  override get httpStatus(): number {
    return 503;
  }

  constructor(readonly reason: string = NO_DATA_SOURCE) {
    super(`Shared data is unavailable: ${reason}`);
  }
}
