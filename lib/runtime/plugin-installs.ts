import type { PluginSourceRules } from '../host/plugin-source.js';
import type { PluginInstallOptions } from '../install/install-options.js';
import { PluginInstaller } from '../install/plugin-installer.js';
import { parsePinnedSource, type InstalledOrigin } from '../install/installed-origin.js';
import type { PluginInfo } from '../interfaces/plugin-state.interface.js';
import { PluginInstallError } from '../errors/install.errors.js';
import { getPluginMetadata } from '../metadata/plugin-metadata.accessor.js';
import type { PluginRecord } from '../registry/plugin-record.js';
import type { PluginRecordStore } from '../registry/plugin-record.store.js';
import type { PluginLoader } from './plugin-loader.js';
import type { PluginReplacement } from './plugin-replacement.js';

/** What `PluginManager.install` answers: the plugin, and where it came from. */
export type { InstalledOrigin, PluginInstallOptions };
export type InstalledPluginInfo = PluginInfo & { readonly origin: InstalledOrigin };

/**
 * The manager's side of registry installs: a prepared package is loaded, or replaces the running
 * version of its plugin (an upgrade, migrations and rollback included); on failure its files go.
 */
export class PluginInstalls {
  private readonly installer: PluginInstaller;

  constructor(
    options: PluginInstallOptions & { hostVersion?: string },
    applicationRoot: string,
    rules: () => PluginSourceRules,
    private readonly records: PluginRecordStore,
    private readonly loader: PluginLoader,
    private readonly replacement: PluginReplacement,
  ) {
    this.installer = new PluginInstaller(options, applicationRoot, rules, options.hostVersion);
  }

  /** Whether a desired-state source names an installed tarball (`registry:<name>@<version>#<integrity>`). */
  static isPinned(source: string): boolean {
    return parsePinnedSource(source) !== undefined;
  }

  /** Installs and starts `spec` (see `PluginManager.install`); the record that runs it. */
  async install(spec: string): Promise<PluginRecord> {
    let running: PluginRecord | undefined;
    const prepared = await this.installer.prepare(spec, (origin) => (running = this.runningRecord(origin)) !== undefined);
    if (prepared === undefined) return running!;
    const existing = this.records.get(getPluginMetadata(prepared.declaredClass)!.name);
    let record: PluginRecord;
    try {
      record = existing === undefined ? await this.loader.load({ declaredClass: prepared.declaredClass }) : await this.replacement.replace(existing, { declaredClass: prepared.declaredClass });
    } catch (error) {
      await prepared.discard();
      throw error;
    }
    // The version it replaced is not kept: a failed upgrade above left it running, and its files.
    const replaced = existing === undefined ? undefined : this.installer.originOf(existing.origin.declaredClass);
    if (replaced !== undefined && replaced.version !== prepared.origin.version) {
      await this.installer.remove(existing!.origin.declaredClass, { keepRecord: replaced.package === prepared.origin.package });
    }
    await this.installer.recorded(prepared.declaredClass);
    return record;
  }

  /** Where an installed plugin came from; undefined for any other. */
  originOf(record: PluginRecord): InstalledOrigin | undefined {
    return this.installer.originOf(record.origin.declaredClass);
  }

  /** Where each installed plugin running here came from, by plugin name. */
  origins(): Record<string, InstalledOrigin> {
    const origins: Record<string, InstalledOrigin> = {};
    for (const record of this.records.values()) {
      const origin = this.originOf(record);
      if (origin !== undefined) origins[record.name] = origin;
    }
    return origins;
  }

  /** Removes an unloaded plugin's files, if it was installed. */
  remove(record: PluginRecord): Promise<void> {
    return this.installer.remove(record.origin.declaredClass);
  }

  /** The record running this exact tarball; another tarball under the same version (a registry that republished it) is refused. */
  private runningRecord(origin: InstalledOrigin): PluginRecord | undefined {
    for (const record of this.records.values()) {
      const running = this.originOf(record);
      if (running === undefined || running.package !== origin.package || running.version !== origin.version) continue;
      if (running.integrity === origin.integrity) return record;
      throw new PluginInstallError(
        `${origin.package}@${origin.version}`,
        'INTEGRITY_MISMATCH',
        `the registry now gives another tarball for this version than the one running (${running.integrity})`,
      );
    }
    return undefined;
  }
}
