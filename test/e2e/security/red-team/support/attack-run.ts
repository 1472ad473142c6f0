import { attempt, type Outcome } from './attempt.js';
import { judgeAttempt, judgeEffects } from './escape-judge.js';
import type { RedTeamTarget } from './red-team-target.js';

/** A statement, or a batch of them, with an effect outside the attacker's own table. */
export interface Escape {
  readonly statements: readonly string[];
  readonly reasons: readonly string[];
}

export interface AttackSummary {
  readonly statements: number;
  readonly outcomes: Readonly<Record<Outcome, number>>;
  readonly escapes: readonly Escape[];
  readonly slowestMs: number;
  readonly elapsedMs: number;
}

/**
 * Sends every statement through the attacker's executeQuery. Each one is judged on what came
 * back and how long it took; the catalog, the canary rows and the files are compared after
 * every batch (the attacker's notes are reset between batches). A batch with an effect is
 * reported whole, with the statements that were not refused as the suspects.
 */
export async function runAttack(target: RedTeamTarget, statements: readonly string[], batchSize: number): Promise<AttackSummary> {
  const started = performance.now();
  const outcomes: Record<Outcome, number> = { refused: 0, ran: 0, failed: 0 };
  const escapes: Escape[] = [];
  let slowestMs = 0;
  for (let offset = 0; offset < statements.length; offset += batchSize) {
    const batch = statements.slice(offset, offset + batchSize);
    const before = await target.snapshot();
    const suspects: string[] = [];
    for (const sql of batch) {
      const result = await attempt(sql, (text) => target.attack(text));
      outcomes[result.outcome]++;
      slowestMs = Math.max(slowestMs, result.elapsedMs);
      if (result.outcome !== 'refused') suspects.push(sql);
      const reasons = judgeAttempt(result, target.judgeContext);
      if (reasons.length > 0) escapes.push({ statements: [sql], reasons });
    }
    const reasons = judgeEffects(before, await target.snapshot(), batch, target.judgeContext);
    if (reasons.length > 0) escapes.push({ statements: suspects.length > 0 ? suspects : batch, reasons });
    await target.resetNotes();
  }
  return { statements: statements.length, outcomes, escapes, slowestMs, elapsedMs: performance.now() - started };
}

/** One line per escape, short enough to read in a test failure. */
export function describeEscapes(escapes: readonly Escape[]): string {
  return escapes
    .map((escape) => `${escape.reasons.join('; ')}\n    ${escape.statements.slice(0, 5).join('\n    ')}${escape.statements.length > 5 ? `\n    … ${escape.statements.length - 5} more` : ''}`)
    .join('\n');
}
