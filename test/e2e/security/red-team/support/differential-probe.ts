import { attempt, type Attempt } from './attempt.js';
import type { RedTeamTarget } from './red-team-target.js';

/**
 * A yes/no oracle leaks no secret text, so it is judged by what the attacker can tell apart:
 * the same statement sent once about something that exists (a victim's secret, a canary
 * table) and once about something that does not. If the two come back differently (result,
 * outcome, or error text once the two words are masked), the attacker learned the answer.
 */
export interface ProbePair {
  readonly probe: string;
  readonly control: string;
  readonly tokens: readonly [string, string];
}

/** `{SECRET}`, `{TABLE}` or `{FILE}` in a case stands for what exists; the control names what does not. */
export function probePair(statement: string, target: RedTeamTarget): ProbePair | undefined {
  const existing: Record<string, [string, string]> = {
    '{SECRET}': [target.judgeContext.secrets[0]!, 'cnryvictim0000000000000000'],
    '{TABLE}': ['victim_secrets', 'victim_nothere'],
    '{FILE}': [target.canaryFile, `${target.canaryFile}.nothere`],
  };
  for (const [placeholder, tokens] of Object.entries(existing)) {
    if (!statement.includes(placeholder)) continue;
    return { probe: statement.split(placeholder).join(tokens[0]), control: statement.split(placeholder).join(tokens[1]), tokens };
  }
  return undefined;
}

/** Why the pair tells the attacker something; empty when probe and control look alike. */
export async function judgePair(pair: ProbePair, target: RedTeamTarget): Promise<{ probe: Attempt; reasons: string[] }> {
  const probe = await attempt(pair.probe, (sql) => target.attack(sql));
  const control = await attempt(pair.control, (sql) => target.attack(sql));
  const mask = (seen: readonly string[], token: string) => seen.map((text) => text.split(token).join('<X>')).join('\n');
  const reasons: string[] = [];
  if (probe.outcome !== control.outcome) reasons.push(`oracle: ${probe.outcome} for what exists, ${control.outcome} for what does not`);
  else if (mask(probe.seen, pair.tokens[0]) !== mask(control.seen, pair.tokens[1])) reasons.push('oracle: what exists and what does not come back differently');
  return { probe, reasons };
}
