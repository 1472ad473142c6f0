import { SqlNotAllowedError } from '../../errors/index.js';
import type { ResourcePolicy } from '../resource-policy.js';
import type { SqlDialect } from './sql-dialect.js';
import type { SqlFacts } from './sql-facts.js';
import { realTableName } from './sql-table-rules.js';

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * The statements of `text` with the policy's real table names, one string per statement;
 * throws the first denial. Every table is checked before anything is renamed. The text is
 * edited where the reader found each name, and nowhere else: what runs is what was read, with
 * quoted real names in place of the names the plugin wrote (`main.users` becomes
 * `"my-plugin_users"`; unqualified names resolve to the default schema).
 */
export function rewriteTableNames(text: string, facts: SqlFacts, policy: ResourcePolicy, dialect: SqlDialect): string[] {
  const realNames = new Map(facts.tables.map((table) => [table, realTableName(table, policy, dialect)]));
  const edits: Edit[] = [];
  for (const [table, realName] of realNames) edits.push({ start: table.start, end: table.end, text: quoteName(realName) });
  for (const qualifier of facts.qualifiers) edits.push({ start: qualifier.start, end: qualifier.end, text: quoteName(realNames.get(qualifier.table)!) });
  if (edits.some((edit) => edit.start < 0)) throw new SqlNotAllowedError(policy.pluginName, 'the rewritten SQL did not pass verification');
  edits.sort((left, right) => left.start - right.start);
  let next = 0;
  return facts.statements.map(({ start, end }) => {
    let statement = '';
    let copied = start;
    for (; next < edits.length && edits[next]!.start < end; next++) {
      const edit = edits[next]!;
      if (edit.start < copied) throw new SqlNotAllowedError(policy.pluginName, 'the rewritten SQL did not pass verification');
      statement += text.slice(copied, edit.start) + edit.text;
      copied = edit.end;
    }
    return (statement + text.slice(copied, end)).trim();
  });
}

function quoteName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
