import { ResourcePolicy } from '../lib/resources/resource-policy.js';
import { SqlGuard, type SqlDialect } from '../lib/resources/sql/sql-guard.js';
import { consume, median, ratioFigure, type Figure } from './harness.js';

/** The SQL guard's analysis on its own (no database): the first analysis of a statement, and its cost per KiB of text. */

const COLD_ANALYSES = 300;
const WARM_UP_ANALYSES = 1_000;
const SIZED_ANALYSES = 15;
const SIZES_KIB = [1, 2, 4, 8, 16, 32, 64];

const THREE_JOINS: Record<SqlDialect, string> = {
  sqlite: `SELECT u.name, o.total, a.action, r.label
  FROM users u
  JOIN orders o ON o.user_id = u.id
  LEFT JOIN audit a ON a.id = o.id
  JOIN rows r ON r.id = u.id
  WHERE u.id = ? AND o.total > ?
  ORDER BY o.total DESC LIMIT 10`,
  postgresql: `SELECT u.name, o.total, a.action, r.label
  FROM users u
  JOIN orders o ON o.user_id = u.id
  LEFT JOIN audit a ON a.id = o.id
  JOIN rows r ON r.id = u.id
  WHERE u.id = $1 AND o.total > $2
  ORDER BY o.total DESC LIMIT 10`,
};

const policy = new ResourcePolicy('bench-store', { name: 'bench-store', allowedTables: ['users', 'orders', 'audit', 'rows'] });

/** A join whose WHERE grows by one parenthesised test per ~60 characters, to `kib` KiB. */
function statementOf(kib: number, dialect: SqlDialect): string {
  let sql = 'SELECT u.name, o.total FROM users u JOIN orders o ON o.user_id = u.id WHERE ';
  const parameter = dialect === 'sqlite' ? '?' : '$1';
  for (let index = 0; sql.length < kib * 1024 - 80; index++) sql += `(u.name = 'name ${index}' AND o.total > ${index}) OR `;
  return `${sql}o.id = ${parameter}`;
}

/** Microseconds for the first prepare of `sql`, median over `samples` fresh guards. */
async function coldMicros(dialect: SqlDialect, sql: string, params: readonly unknown[], samples: number): Promise<number> {
  const micros: number[] = [];
  for (let sample = 0; sample < samples; sample++) {
    const guard = await SqlGuard.open(dialect);
    const start = process.hrtime.bigint();
    consume(guard.prepare(sql, policy, params).length);
    micros.push(Number(process.hrtime.bigint() - start) / 1e3);
  }
  return median(micros);
}

export async function sqlAnalysisFigures(): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const dialect of ['postgresql', 'sqlite'] as const) {
    // Warm, as in a host that has been running: the parser loaded, and its code (JavaScript, and
    // the WebAssembly V8 first runs from its baseline tier, about half as fast) compiled by the
    // optimizing tiers, from 1,000 analyses of another statement. The guards stay fresh: cold caches.
    await coldMicros(dialect, THREE_JOINS[dialect].replace('u.name', 'u.nickname'), [1, 2], WARM_UP_ANALYSES);
    figures.push({
      name: `first analysis of a 3-join SELECT on ${dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'} (read, check, rewrite; cold cache)`,
      detail: `median of ${COLD_ANALYSES} fresh guards, after ${WARM_UP_ANALYSES.toLocaleString('en')} analyses of another statement warmed the code`,
      value: await coldMicros(dialect, THREE_JOINS[dialect], [1, 2], COLD_ANALYSES),
      unit: 'µs',
      target: { comparison: '≤', limit: dialect === 'sqlite' ? 300 : 100 },
    });
  }
  for (const dialect of ['postgresql', 'sqlite'] as const) {
    const perKib: number[] = [];
    for (const kib of SIZES_KIB) {
      const sql = statementOf(kib, dialect);
      await coldMicros(dialect, sql, [1], 2);
      const micros = await coldMicros(dialect, sql, [1], SIZED_ANALYSES);
      perKib.push(micros / (sql.length / 1024));
      figures.push({
        name: `analysis of a ${kib} KiB statement on ${dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, per KiB`,
        detail: `${sql.length.toLocaleString('en')} characters, median of ${SIZED_ANALYSES} fresh guards: ${Math.round(micros).toLocaleString('en')} µs in all`,
        value: perKib.at(-1)!,
        unit: 'µs',
      });
    }
    figures.push(
      ratioFigure(
        `analysis per KiB at 64 KiB vs at 1 KiB on ${dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'} (flat: linear in the text)`,
        perKib.at(-1)!,
        perKib[0]!,
        'µs per KiB',
        1.5,
      ),
    );
  }
  return figures;
}
