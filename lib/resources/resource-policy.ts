import { BucketAccessDeniedError, TableAccessDeniedError, TopicAccessDeniedError } from '../errors/index.js';
import type { PluginMetadata } from '../interfaces/plugin-metadata.interface.js';
import type { ResourceOverrides } from './resource-overrides.interface.js';

export type ResourceKind = 'table' | 'topic' | 'bucket';

type DeclaredResources = Pick<PluginMetadata, 'name' | 'allowedTables' | 'allowedTopics' | 'allowedBuckets'>;

/** Allowed names of one kind and the real name each maps to. */
interface KindPolicy {
  readonly allowed: readonly string[];
  readonly realNames: ReadonlyMap<string, string>;
}

/**
 * Which tables, topics and buckets a plugin may touch and what they are really called:
 * `<plugin>_<name>`, or the host's mapped name verbatim. Immutable; built from the
 * declared lists and the host's overrides. Table names compare case-insensitively, as
 * SQL does for unquoted names, so `USERS` and `users` are the same allowed table.
 */
export class ResourcePolicy {
  private readonly kinds: Record<ResourceKind, KindPolicy>;

  constructor(
    readonly pluginName: string,
    declared: DeclaredResources,
    overrides: ResourceOverrides = {},
  ) {
    this.kinds = {
      table: kindPolicy(pluginName, overrides.allowedTables ?? declared.allowedTables, overrides.tableNameMap, foldCase),
      topic: kindPolicy(pluginName, overrides.allowedTopics ?? declared.allowedTopics, overrides.topicNameMap, sameName),
      bucket: kindPolicy(pluginName, overrides.allowedBuckets ?? declared.allowedBuckets, overrides.bucketNameMap, sameName),
    };
  }

  allowed(kind: ResourceKind): readonly string[] {
    return this.kinds[kind].allowed;
  }

  /** The real name of an allowed resource, or undefined when the plugin may not touch it. */
  lookup(kind: ResourceKind, name: string): string | undefined {
    return this.kinds[kind].realNames.get(kind === 'table' ? foldCase(name) : name);
  }

  /** The real name of an allowed resource; throws the kind's access-denied error otherwise. */
  realName(kind: ResourceKind, name: string): string {
    const realName = this.lookup(kind, name);
    if (realName === undefined) throw this.denied(kind, name);
    return realName;
  }

  denied(kind: ResourceKind, name: string): Error {
    const allowed = this.kinds[kind].allowed;
    if (kind === 'table') return new TableAccessDeniedError(this.pluginName, name, allowed);
    if (kind === 'topic') return new TopicAccessDeniedError(this.pluginName, name, allowed);
    return new BucketAccessDeniedError(this.pluginName, name, allowed);
  }
}

function kindPolicy(
  pluginName: string,
  allowed: readonly string[] = [],
  nameMap: Readonly<Record<string, string>> = {},
  key: (name: string) => string,
): KindPolicy {
  const mapped = new Map(Object.entries(nameMap).map(([name, realName]) => [key(name), realName]));
  return {
    allowed: Object.freeze([...allowed]),
    realNames: new Map(allowed.map((name) => [key(name), mapped.get(key(name)) ?? `${pluginName}_${name}`])),
  };
}

function foldCase(name: string): string {
  return name.toLowerCase();
}

function sameName(name: string): string {
  return name;
}
