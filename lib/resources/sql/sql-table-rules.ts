import { SqlNotAllowedError } from '../../errors/index.js';
import type { ResourcePolicy } from '../resource-policy.js';
import { foldIdentifier } from './sql-ast.js';
import { DEFAULT_SCHEMA, type SqlDialect } from './sql-dialect.js';
import type { NamedTable } from './sql-facts.js';

/** sqlite_master/_schema/_temp_master, sqlite_sequence, pg_class, pg_authid..., and SQLite's pragma_* eponymous tables. */
const CATALOG_TABLE_PATTERN = /^(sqlite_|pg_|pragma_)/;

/** pg_catalog, pg_toast, pg_temp_N, and the SQL-standard views of the catalogs. */
function isCatalogSchema(schema: string): boolean {
  return schema === 'information_schema' || schema.startsWith('pg_');
}

/**
 * The real name of a table the SQL names, or the denial: a system catalog or a table outside
 * the allow-list (TableAccessDeniedError), or a schema other than the default one, which would
 * reach temporary, attached or foreign tables (SqlNotAllowedError).
 */
export function realTableName(table: Pick<NamedTable, 'name' | 'schema'>, policy: ResourcePolicy, dialect: SqlDialect): string {
  const schema = table.schema === undefined ? undefined : foldIdentifier(table.schema);
  if ((schema !== undefined && isCatalogSchema(schema)) || CATALOG_TABLE_PATTERN.test(foldIdentifier(table.name))) {
    throw policy.denied('table', table.schema === undefined ? table.name : `${table.schema}.${table.name}`);
  }
  if (schema !== undefined && schema !== DEFAULT_SCHEMA[dialect]) {
    throw new SqlNotAllowedError(policy.pluginName, `schema "${table.schema}" is not allowed; name tables without a schema`);
  }
  const realName = policy.lookup('table', table.name);
  if (realName === undefined) throw policy.denied('table', table.name);
  return realName;
}
