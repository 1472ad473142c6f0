import { PluginRevertError, PluginSchemaAheadError } from '../errors/migration.errors.js';
import { compareMigrationNames } from './migration-order.js';

/** A migration as the plans see it. */
export interface NamedMigration {
  readonly name: string;
  readonly checksum: string;
}

/** A ledger row as the plans see it. */
export interface AppliedMigration {
  readonly name: string;
  readonly checksum: string;
}

export interface MigrationPlan<M extends NamedMigration> {
  /** not applied yet, in the order `declared` has them */
  readonly pending: readonly M[];
  /** applied, but whose code is not the code that ran */
  readonly changed: readonly string[];
}

/**
 * What a version of a plugin must run before it starts. Throws `PluginSchemaAheadError`
 * when the ledger holds migrations this version does not know: it would run on a schema it
 * was not written for.
 */
export function planMigrations<M extends NamedMigration>(
  plugin: { readonly name: string; readonly version: string },
  declared: readonly M[],
  applied: readonly AppliedMigration[],
): MigrationPlan<M> {
  const known = new Map(declared.map((migration) => [migration.name, migration]));
  const unknown = applied.filter((row) => !known.has(row.name)).map((row) => row.name);
  if (unknown.length > 0) throw new PluginSchemaAheadError(plugin.name, plugin.version, unknown.sort(compareMigrationNames));
  const appliedNames = new Map(applied.map((row) => [row.name, row]));
  return {
    pending: declared.filter((migration) => !appliedNames.has(migration.name)),
    changed: declared.filter((migration) => appliedNames.has(migration.name) && appliedNames.get(migration.name)!.checksum !== migration.checksum).map((m) => m.name),
  };
}

/**
 * The migrations `revert(name, { to })` undoes, newest first: every applied one after `to`
 * (which stays). Each must be one the running version declares, since its `down` runs.
 */
export function planRevert<M extends NamedMigration>(pluginName: string, declared: readonly M[], applied: readonly AppliedMigration[], to: string): M[] {
  if (!applied.some((row) => row.name === to)) {
    throw new PluginRevertError(pluginName, `migration "${to}" is not applied (applied: ${applied.map((row) => row.name).join(', ') || 'none'})`);
  }
  const after = applied.filter((row) => compareMigrationNames(row.name, to) > 0).map((row) => row.name);
  const known = new Map(declared.map((migration) => [migration.name, migration]));
  const unknown = after.filter((name) => !known.has(name));
  if (unknown.length > 0) throw new PluginRevertError(pluginName, `the running version does not have the migrations ${unknown.join(', ')}, whose down would run`);
  return after.sort(compareMigrationNames).reverse().map((name) => known.get(name)!);
}
