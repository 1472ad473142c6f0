import { attempt } from './attempt.js';
import type { Escape } from './attack-run.js';
import { judgePair, probePair } from './differential-probe.js';
import { judgeAttempt, judgeEffects } from './escape-judge.js';
import type { RedTeamTarget } from './red-team-target.js';

/**
 * Hand-written cases, one at a time: each is judged on what came back, on elapsed time, on
 * the catalog, canaries and files right after it, and (when it names something that exists)
 * against its control as an oracle.
 */
export async function runCases(target: RedTeamTarget, cases: readonly string[]): Promise<Escape[]> {
  const escapes: Escape[] = [];
  for (const statement of cases) {
    const before = await target.snapshot();
    const pair = probePair(statement, target);
    const sent = pair ? [pair.probe, pair.control] : [statement];
    const reasons: string[] = [];
    if (pair) {
      const { probe, reasons: oracle } = await judgePair(pair, target);
      reasons.push(...oracle, ...judgeAttempt(probe, target.judgeContext));
    } else {
      reasons.push(...judgeAttempt(await attempt(statement, (sql) => target.attack(sql)), target.judgeContext));
    }
    reasons.push(...judgeEffects(before, await target.snapshot(), sent, target.judgeContext));
    if (reasons.length > 0) escapes.push({ statements: [sent[0]!], reasons: [...new Set(reasons)] });
    await target.resetNotes();
  }
  return escapes;
}
