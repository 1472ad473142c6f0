/** The host table recording which migration of which plugin ran: unprefixed, so no plugin can declare it. */
export const MIGRATIONS_TABLE = 'plugin_migrations';

/**
 * The ledger's SQL, the same on SQLite and PostgreSQL; only the placeholders differ, which
 * `param` writes. `ran_at` is epoch milliseconds in `bigint`, like the library's other tables.
 * The primary key makes a second record of one migration fail, whatever the lock did.
 */
export function migrationLedgerStatements(param: (index: number) => string) {
  const p = Array.from({ length: 5 }, (_, index) => param(index));
  const t = `"${MIGRATIONS_TABLE}"`;
  return {
    schema:
      `CREATE TABLE IF NOT EXISTS ${t} ("plugin" varchar(255) NOT NULL, "name" varchar(255) NOT NULL, ` +
      `"plugin_version" varchar(255) NOT NULL, "checksum" varchar(64) NOT NULL, "ran_at" bigint NOT NULL, PRIMARY KEY ("plugin", "name"))`,
    /** () → every row: the one query a boot needs to know nothing is pending */
    all: `SELECT "plugin", "name", "checksum" FROM ${t}`,
    /** (plugin) */
    ofPlugin: `SELECT "plugin", "name", "checksum" FROM ${t} WHERE "plugin" = ${p[0]}`,
    /** (plugin, name, pluginVersion, checksum, ranAt) */
    record: `INSERT INTO ${t} ("plugin", "name", "plugin_version", "checksum", "ran_at") VALUES (${p.join(', ')})`,
    /** (plugin, name) */
    forget: `DELETE FROM ${t} WHERE "plugin" = ${p[0]} AND "name" = ${p[1]}`,
  };
}
