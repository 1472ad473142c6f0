import { InvalidPluginConfigError, UnscopedDatabaseAccessError } from '../../errors/index.js';
import { assertScopedDatabaseAccess } from '../../metadata/scoped-database-access.js';
import type { PluginMetadata } from '../../interfaces/plugin-metadata.interface.js';
import { getPluginMetadata, isPluginClass } from '../../metadata/plugin-metadata.accessor.js';
import { resolvePluginConfig } from '../../metadata/resolve-plugin-config.js';
import { loadValidationLibraries } from '../../metadata/validation-libraries.js';
import type { ConfigOutcome } from '../../metadata/described-config.js';
import type { DescribeOutcome, WireMigration } from '../plugin-description.js';
import { isMigrationClassArray } from '../../metadata/plugin-metadata.rules.js';
import { pluginMigrations } from '../../migrations/plugin-migration.js';
import { describeEntities } from './describe-entities.js';

/** Metadata fields that are classes, and cross in a form of their own; every other field crosses as it is. */
const NOT_DATA = new Set(['entities', 'configSchema', 'migrations']);

/** Deeper than this, a value is not metadata anyone wrote by hand. */
const MAX_DEPTH = 32;

/**
 * A guest's answers when the host asks what a plugin file declares: the guest imports it, so
 * its code runs here, in the guest, never in the host.
 */
export class PluginDescriber {
  private metadata?: Readonly<PluginMetadata>;

  async describe(moduleUrl: string, trustedPlugins: readonly string[]): Promise<DescribeOutcome> {
    let exports: { default?: unknown };
    try {
      exports = await import(moduleUrl);
    } catch (cause) {
      return { kind: 'import-failed', message: cause instanceof Error ? cause.message : String(cause) };
    }
    const pluginClass = exports.default;
    if (!isPluginClass(pluginClass)) return { kind: 'not-a-plugin' };
    const metadata = getPluginMetadata(pluginClass)!;
    const problems: string[] = [];
    const data: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(metadata)) {
      if (NOT_DATA.has(field) || value === undefined) continue;
      if (isPlainData(value)) data[field] = value;
      else problems.push(`${field} must be plain data (strings, numbers, booleans, arrays and objects of them) in a 'process' plugin`);
    }
    const entities = await describeEntities(metadata.entities ?? [], problems);
    const migrations = describeMigrations(metadata, problems);
    if (problems.length > 0) {
      const subject = typeof metadata.name === 'string' ? `plugin "${metadata.name}"` : `plugin class "${pluginClass.name}"`;
      return { kind: 'invalid-metadata', subject, problems };
    }
    try {
      await assertScopedDatabaseAccess([pluginClass], new Set(trustedPlugins));
    } catch (error) {
      if (!(error instanceof UnscopedDatabaseAccessError)) throw error;
      return { kind: 'unscoped-database-access', pluginName: error.pluginName, door: error.door };
    }
    this.metadata = metadata;
    return { kind: 'described', description: { className: pluginClass.name, metadata: data, entities, migrations, hasConfigSchema: metadata.configSchema !== undefined } };
  }

  /** The configuration as the host's own check resolves it, as plain data. */
  async resolveConfig(values: unknown): Promise<ConfigOutcome> {
    if (this.metadata === undefined) throw new Error('resolveConfig comes after describe');
    if (this.metadata.configSchema !== undefined) await loadValidationLibraries();
    try {
      return { config: structuredClone({ ...resolvePluginConfig(this.metadata, values) }) };
    } catch (error) {
      if (!(error instanceof InvalidPluginConfigError)) throw error;
      return { problems: [...error.problems] };
    }
  }
}

/** Names and checksums: the host plans with them, and asks a guest to run a migration by its name. */
function describeMigrations(metadata: Readonly<PluginMetadata>, problems: string[]): WireMigration[] {
  if (metadata.migrations === undefined) return [];
  if (!isMigrationClassArray(metadata.migrations)) {
    problems.push('migrations must be TypeORM migration classes (with up and down methods), no two of one name');
    return [];
  }
  try {
    return pluginMigrations(metadata.migrations).map(({ name, checksum }) => ({ name, checksum }));
  } catch (error) {
    problems.push(`migrations could not be read: ${error instanceof Error ? error.message : String(error)}`);
    return [];
  }
}

function isPlainData(value: unknown, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false;
  if (value === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof value)) return true;
  if (Array.isArray(value)) return value.every((item) => isPlainData(item, depth + 1));
  if (typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return (prototype === Object.prototype || prototype === null) && Object.values(value).every((item) => isPlainData(item, depth + 1));
}
