import { PluginError } from '../../errors/index.js';

/** `ctx.buckets.download` of a key that holds no object. */
export class ObjectNotFoundError extends PluginError {
  readonly code = 'PLUGIN_OBJECT_NOT_FOUND';

  constructor(
    readonly pluginName: string,
    /** the bucket as the plugin names it, not its real name */
    readonly bucket: string,
    readonly key: string,
  ) {
    super(`Object "${key}" not found in bucket "${bucket}" of plugin "${pluginName}"`);
  }
}
