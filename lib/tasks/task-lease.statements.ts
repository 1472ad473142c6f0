import type { HostTableDialect } from '../resources/tables/host-table.js';

/** The table's columns as the database names them, quoted. */
export interface TaskLeaseColumns {
  taskKey: string;
  holder: string;
  expiresAt: string;
  nextRunAt: string;
}

/** Each database's clock in epoch ms. */
const DATABASE_NOW_MS: Record<HostTableDialect, string> = {
  // clock_timestamp, not now(): now() is the start of the transaction.
  postgres: 'CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS bigint)',
  // julianday('now') has millisecond precision; 2440587.5 is the Unix epoch as a Julian day.
  sqlite: "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)",
};

/**
 * The SQL of the lease store. Parameters are listed in order and each is used exactly once,
 * so `?` and `$n` placeholders bind alike. Every time is the database's clock, never an
 * instance's: a lease is decided by one clock, and each statement is one atomic step
 * (the conditional `UPDATE … WHERE expired` of Backstage's scheduler).
 */
export interface TaskLeaseStatements {
  /** Takes a free or expired lease, or extends one the holder has; a row (`dueInMs`) only when held — (key, holder, leaseMs) */
  readonly claim: string;
  /** How long until the current lease expires — (key) */
  readonly remaining: string;
  /** Extends a live lease of the holder and sets the next due time; a row when it did — (leaseMs, everyMs, key, holder) */
  readonly beginRun: string;
  /** Extends a live lease of the holder; a row when it did — (leaseMs, key, holder) */
  readonly renew: string;
  /** Expires the holder's lease now — (key, holder) */
  readonly release: string;
}

export function taskLeaseStatements(
  table: string,
  c: TaskLeaseColumns,
  dialect: HostTableDialect,
  param: (index: number) => string,
): TaskLeaseStatements {
  const now = DATABASE_NOW_MS[dialect];
  const p = Array.from({ length: 4 }, (_, index) => param(index));
  const ms = (placeholder: string) => `CAST(${placeholder} AS bigint)`;
  const live = `${c.expiresAt} > ${now}`;
  return {
    claim:
      `INSERT INTO ${table} AS "stored" (${c.taskKey}, ${c.holder}, ${c.expiresAt}, ${c.nextRunAt}) ` +
      `VALUES (${p[0]}, ${p[1]}, ${now} + ${ms(p[2]!)}, ${now}) ` +
      `ON CONFLICT (${c.taskKey}) DO UPDATE SET ${c.holder} = excluded.${c.holder}, ${c.expiresAt} = excluded.${c.expiresAt} ` +
      `WHERE "stored".${c.holder} = excluded.${c.holder} OR "stored".${c.expiresAt} <= ${now} ` +
      `RETURNING ${c.nextRunAt} - ${now} AS "dueInMs"`,
    remaining: `SELECT ${c.expiresAt} - ${now} AS "retryInMs" FROM ${table} WHERE ${c.taskKey} = ${p[0]}`,
    beginRun:
      `UPDATE ${table} SET ${c.expiresAt} = ${now} + ${ms(p[0]!)}, ${c.nextRunAt} = ${now} + ${ms(p[1]!)} ` +
      `WHERE ${c.taskKey} = ${p[2]} AND ${c.holder} = ${p[3]} AND ${live} RETURNING ${c.taskKey}`,
    renew:
      `UPDATE ${table} SET ${c.expiresAt} = ${now} + ${ms(p[0]!)} ` +
      `WHERE ${c.taskKey} = ${p[1]} AND ${c.holder} = ${p[2]} AND ${live} RETURNING ${c.taskKey}`,
    release: `UPDATE ${table} SET ${c.expiresAt} = 0 WHERE ${c.taskKey} = ${p[0]} AND ${c.holder} = ${p[1]}`,
  };
}
