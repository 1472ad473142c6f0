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
    return this.policy.realName(kind, name);
  }
}
