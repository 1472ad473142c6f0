/** The table's columns as the database names them, quoted. */
export interface SharedDataColumns {
  tenantId: string;
  namespace: string;
  key: string;
  value: string;
  ownerId: string;
  expiresAt: string;
  updatedAt: string;
}

/**
 * The SQL shared data runs, written once per DataSource. The parameters of each are listed
 * in order; each is used exactly once, in that order, so `?` (SQLite) and `$n`
 * (PostgreSQL) placeholders bind alike. "Live" means not expired at `now`.
 */
export interface SharedDataStatements {
  /** `value` of a live key — (tenant, namespace, key, now) */
  readonly value: string;
  /** `value`, `ownerId`, `expiresAt`, `updatedAt` of a live key — (tenant, namespace, key, now) */
  readonly entry: string;
  /**
   * Inserts the row, or replaces one the writer owns or that expired; returns a row only
   * when it wrote — (tenant, namespace, key, value, owner, expiresAt, updatedAt, now).
   * One statement: the database settles racing writers, and the loser writes nothing.
   */
  readonly upsert: string;
  /** Deletes the owner's row and returns its `expiresAt` — (tenant, namespace, key, owner) */
  readonly deleteOwned: string;
  /** `key` of every live key of a namespace — (tenant, namespace, now) */
  readonly keys: string;
  /** `key` of every live key of a namespace the owner has — (tenant, namespace, owner, now) */
  readonly ownedKeys: string;
  /** Deletes every expired row of every tenant — (now) */
  readonly purge: string;
}

/**
 * Both supported dialects take the same SQL (`ON CONFLICT … DO UPDATE … WHERE`, `RETURNING`,
 * double-quoted identifiers); only the placeholders differ, which `param` writes.
 */
export function sharedDataStatements(table: string, c: SharedDataColumns, param: (index: number) => string): SharedDataStatements {
  const p = Array.from({ length: 8 }, (_, index) => param(index));
  const live = (now: string) => `(${c.expiresAt} IS NULL OR ${c.expiresAt} > ${now})`;
  const byKey = `${c.tenantId} = ${p[0]} AND ${c.namespace} = ${p[1]} AND ${c.key} = ${p[2]}`;
  const inNamespace = `${c.tenantId} = ${p[0]} AND ${c.namespace} = ${p[1]}`;
  return {
    value: `SELECT ${c.value} AS "value" FROM ${table} WHERE ${byKey} AND ${live(p[3]!)}`,
    entry:
      `SELECT ${c.value} AS "value", ${c.ownerId} AS "ownerId", ${c.expiresAt} AS "expiresAt", ${c.updatedAt} AS "updatedAt" ` +
      `FROM ${table} WHERE ${byKey} AND ${live(p[3]!)}`,
    upsert:
      `INSERT INTO ${table} AS "stored" (${c.tenantId}, ${c.namespace}, ${c.key}, ${c.value}, ${c.ownerId}, ${c.expiresAt}, ${c.updatedAt}) ` +
      `VALUES (${p.slice(0, 7).join(', ')}) ` +
      `ON CONFLICT (${c.tenantId}, ${c.namespace}, ${c.key}) DO UPDATE SET ` +
      [c.value, c.ownerId, c.expiresAt, c.updatedAt].map((column) => `${column} = excluded.${column}`).join(', ') +
      ` WHERE "stored".${c.ownerId} = excluded.${c.ownerId} OR "stored".${c.expiresAt} <= ${p[7]} ` +
      `RETURNING ${c.ownerId} AS "ownerId"`,
    deleteOwned: `DELETE FROM ${table} WHERE ${byKey} AND ${c.ownerId} = ${p[3]} RETURNING ${c.expiresAt} AS "expiresAt"`,
    keys: `SELECT ${c.key} AS "key" FROM ${table} WHERE ${inNamespace} AND ${live(p[2]!)}`,
    ownedKeys: `SELECT ${c.key} AS "key" FROM ${table} WHERE ${inNamespace} AND ${c.ownerId} = ${p[2]} AND ${live(p[3]!)}`,
    purge: `DELETE FROM ${table} WHERE ${c.expiresAt} <= ${p[0]}`,
  };
}
