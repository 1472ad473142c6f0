/** One live entry, as `SharedDataService.getEntry` returns it. */
export interface SharedDataEntry {
  namespace: string;
  key: string;
  value: unknown;
  /** the plugin that created the key */
  ownerId: string;
  /** ISO 8601; absent when the entry never expires */
  expiresAt?: string;
  /** ISO 8601, the last `set` */
  updatedAt: string;
}
