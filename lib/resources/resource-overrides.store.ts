import type { ResourceOverrides } from './resource-overrides.interface.js';

/** The host's resource overrides by plugin name; `version` changes whenever one does. */
export class ResourceOverridesStore {
  private readonly byPlugin = new Map<string, Readonly<ResourceOverrides>>();
  private changes = 0;

  constructor(initial: Readonly<Record<string, ResourceOverrides>> = {}) {
    for (const [pluginName, overrides] of Object.entries(initial)) this.byPlugin.set(pluginName, Object.freeze({ ...overrides }));
  }

  get version(): number {
    return this.changes;
  }

  get(pluginName: string): Readonly<ResourceOverrides> | undefined {
    return this.byPlugin.get(pluginName);
  }

  /** Replaces the plugin's overrides (`undefined` removes them). */
  set(pluginName: string, overrides: ResourceOverrides | undefined): void {
    if (overrides === undefined) this.byPlugin.delete(pluginName);
    else this.byPlugin.set(pluginName, Object.freeze({ ...overrides }));
    this.changes++;
  }
}
