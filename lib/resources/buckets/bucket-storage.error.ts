import { PluginError } from '../../errors/index.js';

/**
 * The storage failed an operation of a plugin (a full disk, denied permissions, an
 * unreachable S3). The driver's own error is not attached: its message may name host paths
 * or endpoints, which are not the plugin's to see. `storageCode` keeps its code, if any.
 */
export class BucketStorageError extends PluginError {
  readonly code = 'PLUGIN_BUCKET_STORAGE_FAILED';

  constructor(
    readonly pluginName: string,
    readonly operation: 'upload' | 'download' | 'delete' | 'list',
    /** the bucket as the plugin names it, not its real name */
    readonly bucket: string,
    /** the key, or the prefix of a listing */
    readonly key: string,
    readonly storageCode: string | undefined,
  ) {
    super(
      `Plugin "${pluginName}" could not ${operation} ${operation === 'list' ? `prefix ${JSON.stringify(key)} of` : `object ${JSON.stringify(key)} in`} bucket "${bucket}": the storage failed${storageCode === undefined ? '' : ` (${storageCode})`}`,
    );
  }
}
