/**
 * What the host changes about a plugin's resources. Lists replace the declared ones
 * (names as the plugin's code uses them); a mapped name is used verbatim, not prefixed.
 */
import type { TopicDeclaration } from '../interfaces/plugin-metadata.interface.js';

export interface ResourceOverrides {
  allowedTables?: string[];
  /** names, or `{ name, durable: true }` for durable topics */
  allowedTopics?: TopicDeclaration[];
  allowedBuckets?: string[];
  tableNameMap?: Record<string, string>;
  topicNameMap?: Record<string, string>;
  bucketNameMap?: Record<string, string>;
}
