/**
 * What the host changes about a plugin's resources. Lists replace the declared ones
 * (names as the plugin's code uses them); a mapped name is used verbatim, not prefixed.
 */
export interface ResourceOverrides {
  allowedTables?: string[];
  allowedTopics?: string[];
  allowedBuckets?: string[];
  tableNameMap?: Record<string, string>;
  topicNameMap?: Record<string, string>;
  bucketNameMap?: Record<string, string>;
}
