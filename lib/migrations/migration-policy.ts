import { ResourcePolicy } from '../resources/resource-policy.js';
import type { MigrationPolicy } from '../resources/sql/migration-statement.js';
import { foldIdentifier } from '../resources/sql/sql-ast.js';

/**
 * What a plugin's migration may act on: its allowed tables under their real names, plus
 * `extraTables` (SQLite's `temporary_<table>` copies). Sequences and enum types take names
 * under the plugin's prefix or one of its tables' names, as `<table>_<column>_seq` does.
 */
export function migrationPolicy(policy: ResourcePolicy, extraTables: readonly string[] = []): MigrationPolicy {
  const tables = new Set([...policy.realTableNames, ...extraTables].map(foldIdentifier));
  const prefixes = [policy.pluginName, ...policy.realTableNames].map((name) => `${foldIdentifier(name)}_`);
  return {
    pluginName: policy.pluginName,
    realTableNames: policy.realTableNames,
    isOwnTable: (name) => tables.has(name),
    isOwnSequence: (name) => prefixes.some((prefix) => name.startsWith(prefix) && name.length > prefix.length),
  };
}

/**
 * A ResourcePolicy allowing exactly these real names, each mapped to itself: what the SQLite
 * engine's verifier takes, so that a migration's data statements (which name real tables) are
 * checked as the plugin's raw SQL is.
 */
export function realNamesPolicy(pluginName: string, realNames: readonly string[]): ResourcePolicy {
  return new ResourcePolicy(pluginName, { name: pluginName, allowedTables: [...realNames] }, { tableNameMap: Object.fromEntries(realNames.map((name) => [name, name])) });
}
