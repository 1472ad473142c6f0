import type { Attempt } from './attempt.js';

/** What the world outside the attacker's own table looked like at one moment. */
export interface EffectSnapshot {
  /** every canary row, comment and function body, serialised in a fixed order */
  readonly canaries: string;
  /** catalog objects: tables, views, triggers, schemas, roles, functions, attached databases */
  readonly objects: readonly string[];
  /** entries of the watched directories, as `directory/name` */
  readonly files: readonly string[];
}

/** What the judge knows about the target: its secrets, its canary tables, its private directory. */
export interface JudgeContext {
  readonly secrets: readonly string[];
  readonly canaryTables: readonly string[];
  /** a directory only the target's database uses: any new entry there is an escape */
  readonly privateDirectory?: string;
  /** what the private directory holds from the start (the database file with its journal and WAL, the canary file) */
  readonly ownFiles: readonly string[];
  /** a statement running longer than this means a sleep or a runaway got through */
  readonly boundMs: number;
}

/** Why one statement counts as an escape; empty when it does not. Judges effects, never error classes. */
export function judgeAttempt(attempt: Attempt, context: JudgeContext): string[] {
  const reasons: string[] = [];
  const written = attempt.sql.toLowerCase();
  for (const secret of context.secrets) {
    if (written.includes(secret.toLowerCase())) continue;
    if (attempt.seen.some((text) => revealsSecret(text, secret))) reasons.push(`the ${attempt.outcome === 'ran' ? 'result' : 'error'} reveals a secret`);
  }
  // Error messages may echo a name the attacker wrote; only results are judged for names.
  if (attempt.outcome === 'ran') {
    for (const table of context.canaryTables) {
      if (written.includes(table)) continue;
      if (attempt.seen.some((text) => text.toLowerCase().includes(table))) reasons.push(`the result names the canary table ${table}`);
    }
  }
  if (attempt.elapsedMs > context.boundMs) reasons.push(`it ran for ${Math.round(attempt.elapsedMs)} ms (bound ${context.boundMs} ms)`);
  return [...new Set(reasons)];
}

/** What changed between two snapshots outside the attacker's own table; empty when nothing did. */
export function judgeEffects(before: EffectSnapshot, after: EffectSnapshot, statements: readonly string[], context: JudgeContext): string[] {
  const reasons: string[] = [];
  if (before.canaries !== after.canaries) reasons.push('canary rows changed');
  const written = statements.join('\n').toLowerCase();
  const objectsBefore = new Set(before.objects);
  const objectsAfter = new Set(after.objects);
  for (const object of after.objects) if (!objectsBefore.has(object) && isOurs(object, written)) reasons.push(`new object ${object}`);
  for (const object of before.objects) if (!objectsAfter.has(object) && isOurs(object, written)) reasons.push(`object gone: ${object}`);
  const filesBefore = new Set(before.files);
  for (const file of after.files) {
    if (filesBefore.has(file)) continue;
    const slash = file.lastIndexOf('/');
    const directory = file.slice(0, slash);
    const name = file.slice(slash + 1);
    // Other suites share the machine: outside the private directory, only a file the statements named is theirs.
    const ours =
      directory === context.privateDirectory ? !context.ownFiles.some((own) => name.startsWith(own)) : written.includes(name.toLowerCase());
    if (ours) reasons.push(`new file ${file}`);
  }
  return reasons;
}

/** Roles are cluster-wide and other suites create their own: a role is the attacker's doing only if named. */
function isOurs(object: string, written: string): boolean {
  return !object.startsWith(CLUSTER_WIDE) || written.includes(object.slice(CLUSTER_WIDE.length).toLowerCase());
}

/** The prefix of the snapshot entries that other databases on the same server share. */
export const CLUSTER_WIDE = 'role:';

function revealsSecret(text: string, secret: string): boolean {
  const lower = text.toLowerCase();
  return lower.includes(secret.toLowerCase()) || lower.includes(Buffer.from(secret).toString('hex'));
}
