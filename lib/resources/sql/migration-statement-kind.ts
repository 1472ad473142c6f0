import type { SqlToken } from './sql-tokens.js';

const VERBS: ReadonlySet<string> = new Set(['create', 'alter', 'drop', 'comment']);
/** Words between a verb and the kind of object, named with it (`OR REPLACE` is left out). */
const MODIFIERS: ReadonlySet<string> = new Set(['temp', 'temporary', 'unlogged', 'unique', 'materialized', 'global', 'local', 'recursive', 'trusted', 'procedural', 'constraint', 'default', 'event', 'on']);
const FILLERS: ReadonlySet<string> = new Set(['or', 'replace']);

/** `CREATE TEMP TABLE`, `CREATE FUNCTION`, `ALTER ROLE`, `GRANT SELECT`: a statement's kind, for a denial. */
export function statementKind(tokens: readonly SqlToken[]): string {
  const words: string[] = [];
  for (const token of tokens) {
    if (token.kind !== 'word') break;
    if (words.length > 0 && FILLERS.has(token.value)) continue;
    words.push(token.value.toUpperCase());
    const verb = VERBS.has(words[0]!.toLowerCase());
    if (!verb ? words.length === 2 : words.length > 1 && !MODIFIERS.has(token.value)) break;
  }
  return words.join(' ') || 'this statement';
}
