import { PluginLoadError, PluginRevertError, PluginUpgradeError } from '../errors/index.js';
import { getPluginMetadata } from '../metadata/plugin-metadata.accessor.js';
import type { PluginMigrations } from '../migrations/plugin-migrations.js';
import type { PluginRecord } from '../registry/plugin-record.js';
import type { PluginResources } from '../resources/plugin-resources.js';
import type { PluginLoader } from './plugin-loader.js';
import type { PluginSource } from './runtime-plugin-sources.js';

/** What replacing needs of the manager, which owns the record store and the dependents. */
export interface ReplacementSteps {
  /** drains, stops and forgets a record */
  stop(record: PluginRecord): Promise<void>;
  dependentsOf(record: PluginRecord): PluginRecord[];
  restart(records: readonly PluginRecord[]): Promise<void>;
}

/**
 * Puts another copy of a running plugin in its place (reload, upgrade), and takes its schema
 * back (revert). The migrations the new copy runs happen in its start; when it fails they are
 * undone with its own `down`s and the previous copy starts again on the schema it left.
 */
export class PluginReplacement {
  constructor(
    private readonly migrations: PluginMigrations | undefined,
    private readonly resources: PluginResources,
    private readonly loader: PluginLoader,
    private readonly steps: ReplacementSteps,
  ) {}

  async replace(record: PluginRecord, next: PluginSource): Promise<PluginRecord> {
    // Refused before anything stops: the running version keeps serving.
    const target = getPluginMetadata(next.declaredClass);
    if (target === undefined) throw new PluginLoadError(`class ${next.declaredClass.name}`, 'it is not decorated with @Plugin()');
    if (target.name !== record.name) throw new PluginLoadError(`class ${next.declaredClass.name}`, `it is plugin "${target.name}", not "${record.name}"`);
    const migrating = this.migrations !== undefined && this.migrations.concerns(target) ? this.migrations : undefined;
    if (migrating !== undefined) await migrating.assertNotAhead(target);
    migrating?.forgetRan(record.name);
    const { declaredClass, file } = record.origin;
    const dependents = this.steps.dependentsOf(record);
    for (const dependent of dependents) await this.steps.stop(dependent);
    await this.steps.stop(record);
    let replaced: PluginRecord;
    try {
      replaced = await this.loader.load(next);
    } catch (error) {
      // Only what this instance ran: another instance upgrading at the same time may serve on the rest.
      await migrating?.undo({ metadata: target, scope: this.resources.scopeFor(target) }, migrating.ranSinceForget(record.name));
      await this.loader.load({ declaredClass, file });
      await this.steps.restart(dependents);
      if (target.version !== record.metadata.version) {
        throw new PluginUpgradeError(record.name, target.version, record.metadata.version, error instanceof PluginLoadError && error.cause !== undefined ? error.cause : error);
      }
      throw error;
    }
    await this.steps.restart(dependents);
    return replaced;
  }

  /** Checks `to` first (nothing changes when it is wrong), then drains and unloads the plugin and runs the `down`s. */
  async revert(record: PluginRecord, to: string): Promise<string[]> {
    if (this.migrations === undefined) throw new PluginRevertError(record.name, 'the application has no TypeORM DataSource');
    const subject = { metadata: record.metadata, scope: this.resources.scopeFor(record.metadata) };
    await this.migrations.planRevertOf(subject, to);
    await this.steps.stop(record);
    return this.migrations.revert(subject, to);
  }
}
