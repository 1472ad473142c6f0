import type { PluginMetadata } from '../interfaces/plugin-metadata.interface.js';
import type { ResourceOverrides } from '../resources/resource-overrides.interface.js';
import { ResourcePolicy } from '../resources/resource-policy.js';

/** What `uninstall(name, { purge: true })` removes outside the database, fixed before the plugin unloads. */
export interface PurgePlan {
  readonly pluginName: string;
  /** real names of the plugin's own buckets: every object in them is deleted */
  readonly buckets: readonly string[];
  /** real names of the plugin's own durable topics: their streams are deleted */
  readonly durableTopics: readonly string[];
  /** real names of durable topics mapped to another's topic: only the plugin's subscriber group is deleted */
  readonly subscribedTopics: readonly string[];
  /** resources the plugin uses under a name the host mapped outside its prefix, which purge leaves, e.g. `bucket "avatars" (as "shared-avatars")` */
  readonly kept: readonly string[];
}

/**
 * Whether a real name is the plugin's own: `<plugin>_…`. Plugin names are kebab-case (no `_`),
 * so no plugin's prefix starts another's. A name the host mapped elsewhere (`tableNameMap`,
 * `bucketNameMap`, `topicNameMap`) may be the host's or another plugin's, and is never purged.
 */
export function isOwnName(pluginName: string, realName: string): boolean {
  return realName.startsWith(ownPrefix(pluginName));
}

/** `<plugin>_`: the prefix of every name the library derives for the plugin. */
export function ownPrefix(pluginName: string): string {
  return `${pluginName}_`;
}

/** The buckets and durable topics to clear, under the overrides in force, and the mapped ones to leave. */
export function purgePlanOf(metadata: Readonly<PluginMetadata>, overrides?: ResourceOverrides): PurgePlan {
  const policy = new ResourcePolicy(metadata.name, metadata, overrides);
  const pluginName = metadata.name;
  const kept: string[] = [];
  const own = (kind: 'table' | 'bucket' | 'topic', name: string): string | undefined => {
    const realName = policy.lookup(kind, name)!;
    if (isOwnName(pluginName, realName)) return realName;
    kept.push(`${kind} "${name}" (as "${realName}")`);
    return undefined;
  };
  for (const [name] of policy.tableRealNames()) own('table', name);
  const buckets = (overrides?.allowedBuckets ?? metadata.allowedBuckets ?? []).flatMap((name) => own('bucket', name) ?? []);
  const topics = (overrides?.allowedTopics ?? metadata.allowedTopics ?? []).filter((topic) => typeof topic === 'object' && topic.durable === true);
  const durableTopics: string[] = [];
  const subscribedTopics: string[] = [];
  for (const topic of topics) {
    const { name } = topic as { name: string };
    const realName = own('topic', name);
    if (realName === undefined) subscribedTopics.push(policy.lookup('topic', name)!);
    else durableTopics.push(realName);
  }
  return { pluginName, buckets: unique(buckets), durableTopics: unique(durableTopics), subscribedTopics: unique(subscribedTopics), kept };
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}
