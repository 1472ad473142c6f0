/**
 * Where bucket objects are kept. `ScopedBuckets` calls a driver only with real bucket
 * names the plugin may use and with keys and prefixes that passed `objectKeyProblem`,
 * so a driver stores what it is given; it still should not trust names to be path-safe.
 */
export interface StorageDriver {
  put(bucket: string, key: string, body: Buffer, contentType: string): Promise<void>;
  /** The object's bytes, or undefined when the key holds no object. */
  get(bucket: string, key: string): Promise<Buffer | undefined>;
  /** Deleting a key that holds no object is not an error. */
  delete(bucket: string, key: string): Promise<void>;
  /** Every key that starts with `prefix` (`''` for all), in any order. */
  list(bucket: string, prefix: string): Promise<string[]>;
}
