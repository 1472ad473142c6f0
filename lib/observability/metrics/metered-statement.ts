import { performance } from 'node:perf_hooks';
import type { SqlCounters } from './plugin-meter.js';

/** Codes of statements refused before the database saw them: by the guard, the allow-list or the size limits. */
const REFUSAL_CODES = new Set(['PLUGIN_SQL_NOT_ALLOWED', 'PLUGIN_TABLE_ACCESS_DENIED', 'PLUGIN_SQL_TOO_LARGE']);

/**
 * The metrics of a plugin's raw SQL: counts each statement by outcome and adds its time when it
 * settles. Told by the statement hook (observeStatement), in the reaction it makes anyway.
 */
export class MeteredStatements {
  constructor(private readonly counters: SqlCounters) {}

  succeeded(startedAt: number): void {
    this.counters.ok++;
    this.counters.seconds += (performance.now() - startedAt) / 1000;
  }

  failed(startedAt: number, error: unknown): void {
    if (REFUSAL_CODES.has((error as { code?: string } | null)?.code ?? '')) this.counters.refused++;
    else this.counters.error++;
    this.counters.seconds += (performance.now() - startedAt) / 1000;
  }
}
