import type { StorageDriver } from './buckets/storage-driver.interface.js';
import type { ResourceOverrides } from './resource-overrides.interface.js';
import type { TopicTransport } from './topics/topic-transport.interface.js';

/** What `PluginResources` reads of `PluginModuleOptions` (documented there). */
export interface PluginResourceOptions {
  overrides?: Record<string, ResourceOverrides>;
  topicTransport?: TopicTransport;
  storageDriver?: StorageDriver;
  sqlTimeoutMs?: number;
  maxSqlBytes?: number;
  maxSqlParamBytes?: number;
  sqlConcurrency?: number;
}
