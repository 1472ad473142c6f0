import { PluginError } from './plugin.error.js';

/** A table, topic or bucket outside the plugin's allow-list. */
export abstract class ResourceAccessDeniedError extends PluginError {
  constructor(
    readonly pluginName: string,
    kind: 'table' | 'topic' | 'bucket',
    /** the name as the plugin wrote it */
    readonly resource: string,
    readonly allowed: readonly string[],
  ) {
    super(`Plugin "${pluginName}" may not access ${kind} "${resource}" (allowed: ${allowed.length === 0 ? 'none' : allowed.join(', ')})`);
  }
}

export class TableAccessDeniedError extends ResourceAccessDeniedError {
  readonly code = 'PLUGIN_TABLE_ACCESS_DENIED';

  constructor(pluginName: string, table: string, allowed: readonly string[]) {
    super(pluginName, 'table', table, allowed);
  }

  get table(): string {
    return this.resource;
  }
}

export class TopicAccessDeniedError extends ResourceAccessDeniedError {
  readonly code = 'PLUGIN_TOPIC_ACCESS_DENIED';

  constructor(pluginName: string, topic: string, allowed: readonly string[]) {
    super(pluginName, 'topic', topic, allowed);
  }

  get topic(): string {
    return this.resource;
  }
}

export class BucketAccessDeniedError extends ResourceAccessDeniedError {
  readonly code = 'PLUGIN_BUCKET_ACCESS_DENIED';

  constructor(pluginName: string, bucket: string, allowed: readonly string[]) {
    super(pluginName, 'bucket', bucket, allowed);
  }

  get bucket(): string {
    return this.resource;
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

/** A plugin's raw SQL that ran, or would run, past `sqlTimeoutMs`: refused up front or cancelled. */
export class SqlTimeoutError extends PluginError {
  readonly code = 'PLUGIN_SQL_TIMEOUT';

  constructor(
    readonly pluginName: string,
    readonly timeoutMs: number,
  ) {
    super(`Plugin "${pluginName}" statement exceeded ${timeoutMs} ms`);
  }
}

/** A plugin's raw SQL text or parameters above `maxSqlBytes` / `maxSqlParamBytes`, refused before any analysis. */
export class SqlTooLargeError extends PluginError {
  readonly code = 'PLUGIN_SQL_TOO_LARGE';

  constructor(
    readonly pluginName: string,
    readonly part: 'statement' | 'parameters',
    readonly bytes: number,
    readonly limit: number,
  ) {
    const option = part === 'statement' ? 'maxSqlBytes' : 'maxSqlParamBytes';
    super(`Plugin "${pluginName}" sent ${part === 'statement' ? 'a statement' : 'parameters'} of ${bytes} bytes; the limit is ${limit} (${option})`);
  }
}
