import { performance } from 'node:perf_hooks';
import type { SqlCounters } from './plugin-meter.js';
import { timingTick } from './timing-tick.js';

/** Codes of statements refused before the database saw them: by the guard, the allow-list or the size limits. */
const REFUSAL_CODES = new Set(['PLUGIN_SQL_NOT_ALLOWED', 'PLUGIN_TABLE_ACCESS_DENIED', 'PLUGIN_SQL_TOO_LARGE']);
/** `timedAt` before the first statement, which is timed. */
const NEVER_TIMED = -1;

/**
 * The metrics of a plugin's raw SQL: counts each statement by outcome and adds its time when it
 * settles. Told by the statement hook (observeStatement), in the reaction it makes anyway.
 *
 * Time is read for one statement in each timing tick (50 ms), which at lower rates is every
 * statement: two clock reads cost some 10 % of a repeated SQLite statement on a VM's clock. A
 * timed statement's time also stands for the untimed ones that settled since the last timed
 * one, so `plugin_sql_seconds_total` is exact at lower rates and an estimate above them.
 */
export class MeteredStatements {
  #timedAt = NEVER_TIMED;
  #untimedSince = 0;

  constructor(private readonly counters: SqlCounters) {}

  /** A clock reading for a statement about to start when its time is due, else 0. */
  clockIfDue(): number {
    if (this.#timedAt === timingTick) return 0;
    this.#timedAt = timingTick;
    return performance.now();
  }

  succeeded(startedAt: number): void {
    this.counters.ok++;
    this.addTime(startedAt);
  }

  failed(startedAt: number, error: unknown): void {
    if (REFUSAL_CODES.has((error as { code?: string } | null)?.code ?? '')) this.counters.refused++;
    else this.counters.error++;
    this.addTime(startedAt);
  }

  private addTime(startedAt: number): void {
    if (startedAt === 0) {
      this.#untimedSince++;
      return;
    }
    this.counters.seconds += ((performance.now() - startedAt) / 1000) * (this.#untimedSince + 1);
    this.#untimedSince = 0;
  }
}
