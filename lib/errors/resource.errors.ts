import { PluginError } from './plugin.error.js';

function allowedList(allowed: readonly string[]): string {
  return allowed.length === 0 ? 'none' : allowed.join(', ');
}

export class TableAccessDeniedError extends PluginError {
  readonly code = 'PLUGIN_TABLE_ACCESS_DENIED';

  constructor(
    readonly pluginName: string,
    readonly table: string,
    readonly allowed: readonly string[],
  ) {
    super(`Plugin "${pluginName}" may not access table "${table}" (allowed: ${allowedList(allowed)})`);
  }
}

export class TopicAccessDeniedError extends PluginError {
  readonly code = 'PLUGIN_TOPIC_ACCESS_DENIED';

  constructor(
    readonly pluginName: string,
    readonly topic: string,
    readonly allowed: readonly string[],
  ) {
    super(`Plugin "${pluginName}" may not access topic "${topic}" (allowed: ${allowedList(allowed)})`);
  }
}

export class BucketAccessDeniedError extends PluginError {
  readonly code = 'PLUGIN_BUCKET_ACCESS_DENIED';

  constructor(
    readonly pluginName: string,
    readonly bucket: string,
    readonly allowed: readonly string[],
  ) {
    super(`Plugin "${pluginName}" may not access bucket "${bucket}" (allowed: ${allowedList(allowed)})`);
  }
}

/** An object key that would leave its bucket or cannot be stored safely. */
export class InvalidObjectKeyError extends PluginError {
  readonly code = 'PLUGIN_INVALID_OBJECT_KEY';

  constructor(
    readonly pluginName: string,
    readonly key: string,
    readonly reason: string,
  ) {
    super(`Plugin "${pluginName}" may not use object key ${JSON.stringify(key)}: ${reason}`);
  }
}

/** Raw SQL refused before it reaches the database: unparseable, or a statement kind that is never allowed. */
export class SqlNotAllowedError extends PluginError {
  readonly code = 'PLUGIN_SQL_NOT_ALLOWED';

  constructor(
    readonly pluginName: string,
    readonly reason: string,
  ) {
    super(`Plugin "${pluginName}" may not run this SQL: ${reason}`);
  }
}

export class InvalidResourceOverridesError extends PluginError {
  readonly code = 'PLUGIN_INVALID_RESOURCE_OVERRIDES';

  constructor(
    readonly pluginName: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid resource overrides for plugin "${pluginName}": ${problems.join('; ')}`);
  }
}
