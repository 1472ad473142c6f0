import type { StorageDriver } from './buckets/storage-driver.interface.js';
import type { ResourceOverrides } from './resource-overrides.interface.js';
import type { TopicTransport } from './topics/topic-transport.interface.js';

/** What `PluginResources` reads of `PluginModuleOptions`. */
export interface PluginResourceOptions {
  /** Per plugin name: allow-lists that replace the declared ones, and real names used verbatim. */
  overrides?: Record<string, ResourceOverrides>;
  /** Carries `ctx.topics` messages; in-process by default (`NatsTopicTransport` for a real broker). */
  topicTransport?: TopicTransport;
  /** Stores `ctx.buckets` objects; a local directory `data/buckets` by default (`S3StorageDriver` for S3). */
  storageDriver?: StorageDriver;
  /**
   * How long one raw SQL statement of a plugin may run (default 5000). Past it the statement
   * is cancelled, or refused up front when it cannot be bounded, with `SqlTimeoutError`.
   */
  sqlTimeoutMs?: number;
  /** The largest raw SQL text a plugin may send, in UTF-8 bytes (default 65 536); above it `SqlTooLargeError`. */
  maxSqlBytes?: number;
  /**
   * The largest parameters of one raw SQL statement, in bytes summed over them (default
   * 1 048 576): strings in UTF-8, binary values as they are, other objects as their JSON,
   * numbers and the like 8 each. Above it `SqlTooLargeError`.
   */
  maxSqlParamBytes?: number;
  /**
   * How many raw SQL statements of one plugin run at once; the others wait their turn in order,
   * and their `sqlTimeoutMs` starts when they run. Default on PostgreSQL: a quarter of the pool
   * (`extra.max` or `poolSize`, else 10), at least 1; on SQLite, no cap.
   */
  sqlConcurrency?: number;
}
