export interface SharedDataSetOptions {
  /** Seconds until the entry expires (fractions allowed); absent: it never expires. */
  ttl?: number;
}

export interface SharedDataListOptions {
  /** Only the keys this plugin owns. */
  ownerId?: string;
}

/**
 * `ctx.sharedData`: data any plugin of the same tenant may read, written with the plugin
 * as owner. Only the owner may overwrite or delete a key (`SharedDataOwnershipError`).
 */
export interface SharedDataClient {
  set(namespace: string, key: string, value: unknown, options?: SharedDataSetOptions): Promise<void>;
  /** The value, or undefined when the key is absent or expired. */
  get<T = unknown>(namespace: string, key: string): Promise<T | undefined>;
  /** false when the key was absent (or expired). */
  delete(namespace: string, key: string): Promise<boolean>;
  /** The live keys of the namespace, sorted by code unit (the same on every database). */
  list(namespace: string, options?: SharedDataListOptions): Promise<string[]>;
}
