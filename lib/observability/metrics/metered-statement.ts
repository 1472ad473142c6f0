import type { SqlCounters } from './plugin-meter.js';

/** Codes of statements refused before the database saw them: by the guard, the allow-list or the size limits. */
const REFUSAL_CODES = new Set(['PLUGIN_SQL_NOT_ALLOWED', 'PLUGIN_TABLE_ACCESS_DENIED', 'PLUGIN_SQL_TOO_LARGE']);

/** The hook of a plugin's raw SQL: counts `statement` by outcome and adds its time when it settles; returns it unchanged. */
export function meteredStatement<T>(counters: SqlCounters, startedAt: number, statement: Promise<T>): Promise<T> {
  statement.then(
    () => {
      counters.ok++;
      counters.seconds += (performance.now() - startedAt) / 1000;
    },
    (error: unknown) => {
      if (REFUSAL_CODES.has((error as { code?: string } | null)?.code ?? '')) counters.refused++;
      else counters.error++;
      counters.seconds += (performance.now() - startedAt) / 1000;
    },
  );
  return statement;
}
