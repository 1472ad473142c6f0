import { InvalidPluginConfigError } from '../errors/index.js';
import type { PluginMetadata } from '../interfaces/plugin-metadata.interface.js';
import { configCheckOf, type ConfigOutcome } from '../metadata/described-config.js';
import { deepFreeze, resolvePluginConfig } from '../metadata/resolve-plugin-config.js';
import { loadValidationLibraries } from '../metadata/validation-libraries.js';

/**
 * The host's `forRoot({ config })` of one application, by plugin name. Each plugin's
 * configuration is resolved against its schema once: at registration, which fails on bad
 * values, and by its context, which reads the same frozen object.
 */
export class PluginConfigs {
  private readonly values: ReadonlyMap<string, unknown>;
  /** By metadata object: a reload declares a fresh class, whose schema may have changed. */
  private readonly resolved = new WeakMap<Readonly<PluginMetadata>, Readonly<object>>();
  /** What a guest made of the configuration of a plugin whose schema stayed in it (a described `'process'` plugin). */
  private readonly checkedInGuest = new WeakMap<Readonly<PluginMetadata>, ConfigOutcome>();

  constructor(config: unknown) {
    if (config !== undefined && (typeof config !== 'object' || config === null || Array.isArray(config))) {
      throw new TypeError('PluginModule option config must be an object of configurations by plugin name');
    }
    this.values = new Map(Object.entries(config ?? {}));
  }

  /** Loads what checking the plugin's configuration needs; `configFor` may be called once it resolved. */
  async prepare(metadata: Readonly<PluginMetadata>): Promise<void> {
    const check = configCheckOf(metadata);
    if (check !== undefined) this.checkedInGuest.set(metadata, await check(this.values.get(metadata.name)));
    else if (metadata.configSchema !== undefined) await loadValidationLibraries();
  }

  /** The plugin's frozen configuration; throws `InvalidPluginConfigError` when the host's values do not fit its schema. */
  configFor(metadata: Readonly<PluginMetadata>): Readonly<object> {
    let config = this.resolved.get(metadata);
    if (config === undefined) {
      const checked = this.checkedInGuest.get(metadata);
      if (checked !== undefined && 'problems' in checked) throw new InvalidPluginConfigError(metadata.name, checked.problems);
      config = checked === undefined ? resolvePluginConfig(metadata, this.values.get(metadata.name)) : deepFreeze(checked.config);
      this.resolved.set(metadata, config);
    }
    return config;
  }

  /** Configured names that none of `registered` has: likely misspelt, or meant for a plugin loaded later. */
  unclaimedNames(registered: ReadonlySet<string>): string[] {
    return [...this.values.keys()].filter((name) => !registered.has(name));
  }
}
