/** The SQL dialects the guard reads. */
export type SqlDialect = 'sqlite' | 'postgresql';

/**
 * TypeORM 1.x DataSource types whose driver talks to SQLite (the AbstractSqliteDriver family
 * and react-native) or to PostgreSQL. Others (CockroachDB, Aurora's data API, MySQL...) have
 * catalogs, functions or parameter styles the guard has not been checked against.
 */
const DIALECT_BY_DATA_SOURCE_TYPE: ReadonlyMap<string, SqlDialect> = new Map([
  ['better-sqlite3', 'sqlite'],
  ['sqljs', 'sqlite'],
  ['capacitor', 'sqlite'],
  ['cordova', 'sqlite'],
  ['expo', 'sqlite'],
  ['nativescript', 'sqlite'],
  ['react-native', 'sqlite'],
  ['postgres', 'postgresql'],
]);

/** The schema unqualified table names resolve to: the only one a plugin may name. */
export const DEFAULT_SCHEMA: Readonly<Record<SqlDialect, string>> = { sqlite: 'main', postgresql: 'public' };

/** The dialect of a TypeORM DataSource `options.type`; throws for a database the guard does not know. */
export function sqlDialectOf(dataSourceType: string): SqlDialect {
  const dialect = DIALECT_BY_DATA_SOURCE_TYPE.get(dataSourceType);
  if (dialect === undefined) {
    const supported = [...DIALECT_BY_DATA_SOURCE_TYPE.keys()].join(', ');
    throw new Error(`Raw SQL is not supported on a "${dataSourceType}" data source (supported: ${supported})`);
  }
  return dialect;
}
