import type { PluginMetadata } from '../interfaces/plugin-metadata.interface.js';
import type { ResourceOverridesStore } from './resource-overrides.store.js';
import { ResourcePolicy, type ResourceKind } from './resource-policy.js';

/**
 * A plugin's view of its resources. It asks the overrides store on every use, so a
 * `setResourceOverrides` takes effect on the plugin's next query, send or upload; the
 * policy is rebuilt only when some override changed.
 */
export class ResourceScope {
  private cached?: ResourcePolicy;
  private cachedVersion = -1;
  // The last name resolved: a plugin sending to one topic in a loop pays three comparisons, not a Map look-up.
  private lastKind?: ResourceKind;
  private lastName?: string;
  private lastRealName = '';
  private lastPolicy?: ResourcePolicy;
  private lastTopic?: ResolvedTopic;
  private lastTopicPolicy?: ResourcePolicy;

  constructor(
    private readonly metadata: Readonly<PluginMetadata>,
    private readonly overrides: ResourceOverridesStore,
  ) {}

  get pluginName(): string {
    return this.metadata.name;
  }

  get policy(): ResourcePolicy {
    if (this.cachedVersion !== this.overrides.version) {
      this.cached = new ResourcePolicy(this.metadata.name, this.metadata, this.overrides.get(this.metadata.name));
      this.cachedVersion = this.overrides.version;
    }
    return this.cached!;
  }

  /** The real name of an allowed resource; throws the kind's access-denied error otherwise. */
  realName(kind: ResourceKind, name: string): string {
    const policy = this.policy;
    if (name === this.lastName && kind === this.lastKind && policy === this.lastPolicy) return this.lastRealName;
    const realName = policy.realName(kind, name);
    this.lastKind = kind;
    this.lastName = name;
    this.lastRealName = realName;
    this.lastPolicy = policy;
    return realName;
  }

  /** An allowed topic's real name and whether it is durable: one look-up for `send`, cached like `realName`. */
  topic(name: string): ResolvedTopic {
    const policy = this.policy;
    if (this.lastTopic !== undefined && name === this.lastTopic.name && policy === this.lastTopicPolicy) return this.lastTopic;
    this.lastTopic = { name, realName: policy.realName('topic', name), durable: policy.isDurableTopic(name) };
    this.lastTopicPolicy = policy;
    return this.lastTopic;
  }
}

/** A topic as the plugin named it, resolved through its policy. */
export interface ResolvedTopic {
  readonly name: string;
  readonly realName: string;
  readonly durable: boolean;
}
