import { BucketAccessDeniedError, TableAccessDeniedError, TopicAccessDeniedError } from '../errors/index.js';
import type { PluginMetadata, TopicDeclaration } from '../interfaces/plugin-metadata.interface.js';
import { describeValue } from '../metadata/problem-text.js';
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
  // Three fields rather than a record indexed by kind: `ctx.topics.send` looks a name up on
  // every call, and a keyed property access costs more than the whole Map look-up.
  private readonly tables: KindPolicy;
  private readonly topics: KindPolicy;
  private readonly buckets: KindPolicy;
  /** The real names of the allowed tables, sorted: what the PostgreSQL engine grants the plugin's role. */
  readonly realTableNames: readonly string[];
  /** Allowed topics declared `{ name, durable: true }`, by the name the plugin uses. */
  private readonly durableTopics: ReadonlySet<string>;
  /** Whether any allowed topic is durable: `send` asks this before looking the topic up. */
  readonly hasDurableTopics: boolean;

  constructor(
    readonly pluginName: string,
    declared: DeclaredResources,
    overrides: ResourceOverrides = {},
  ) {
    this.tables = kindPolicy(pluginName, overrides.allowedTables ?? declared.allowedTables, overrides.tableNameMap, foldCase);
    const topics = overrides.allowedTopics ?? declared.allowedTopics ?? [];
    this.topics = kindPolicy(pluginName, topics.map(topicName), overrides.topicNameMap, sameName);
    this.durableTopics = new Set(topics.filter((topic) => typeof topic === 'object' && topic.durable === true).map(topicName));
    this.hasDurableTopics = this.durableTopics.size > 0;
    this.buckets = kindPolicy(pluginName, overrides.allowedBuckets ?? declared.allowedBuckets, overrides.bucketNameMap, sameName);
    this.realTableNames = Object.freeze([...new Set(this.tables.realNames.values())].sort());
  }

  /** The real name of an allowed resource, or undefined when the plugin may not touch it. */
  lookup(kind: ResourceKind, name: string): string | undefined {
    return kind === 'table' ? this.tables.realNames.get(foldCase(name)) : this.of(kind).realNames.get(name);
  }

  /**
   * The real name of an allowed resource; throws the kind's access-denied error otherwise. A
   * name that is not a string (plugin code is not type-checked) is denied like any unlisted one.
   */
  realName(kind: ResourceKind, name: string): string {
    if (typeof name !== 'string') throw this.denied(kind, describeValue(name));
    const realName = this.lookup(kind, name);
    if (realName === undefined) throw this.denied(kind, name);
    return realName;
  }

  /** Each allowed table as the plugin names it, with its real name. */
  tableRealNames(): [name: string, realName: string][] {
    return this.tables.allowed.map((name) => [name, this.lookup('table', name)!]);
  }

  /** Whether an allowed topic is durable (declared `{ name, durable: true }`). */
  isDurableTopic(name: string): boolean {
    return this.durableTopics.has(name);
  }

  denied(kind: ResourceKind, name: string): Error {
    const allowed = this.of(kind).allowed;
    if (kind === 'table') return new TableAccessDeniedError(this.pluginName, name, allowed);
    if (kind === 'topic') return new TopicAccessDeniedError(this.pluginName, name, allowed);
    return new BucketAccessDeniedError(this.pluginName, name, allowed);
  }

  private of(kind: ResourceKind): KindPolicy {
    return kind === 'topic' ? this.topics : kind === 'table' ? this.tables : this.buckets;
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

function topicName(topic: TopicDeclaration): string {
  return typeof topic === 'string' ? topic : topic.name;
}

function foldCase(name: string): string {
  return name.toLowerCase();
}

function sameName(name: string): string {
  return name;
}
