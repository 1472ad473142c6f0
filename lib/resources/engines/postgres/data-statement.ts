/** The only statement kinds a plugin's raw SQL may be: data access, which the plugin's role then bounds. */
const DATA_STATEMENT = /^(?:select|insert|update|delete|with|values|table)\b/i;
/** What PostgreSQL's lexer counts as blank; nothing more, so that we never skip what it reads as a token. */
const POSTGRES_BLANK = /[ \t\n\r\f\v]/;

/**
 * Whether PostgreSQL would read `sql` as a data statement. Statements that end the transaction
 * or change the role (`COMMIT`, `RESET ROLE`, `SET ROLE`, `SET SESSION AUTHORIZATION`) would
 * undo the role the engine set, so they must never reach the server, whatever the parser
 * concluded. Leading blanks, `--` comments, nested `/* *\/` comments (as PostgreSQL lexes them)
 * and opening parentheses are skipped; the engine sends each statement alone (extended protocol),
 * so nothing can follow a second statement.
 */
export function isDataStatement(sql: string): boolean {
  const start = firstTokenOffset(sql);
  return start !== undefined && DATA_STATEMENT.test(sql.slice(start));
}

function firstTokenOffset(sql: string): number | undefined {
  let index = 0;
  while (index < sql.length) {
    const char = sql[index]!;
    if (POSTGRES_BLANK.test(char) || char === '(') {
      index += 1;
    } else if (sql.startsWith('--', index)) {
      const end = sql.indexOf('\n', index);
      if (end === -1) return undefined;
      index = end + 1;
    } else if (sql.startsWith('/*', index)) {
      const end = blockCommentEnd(sql, index);
      if (end === undefined) return undefined;
      index = end;
    } else {
      return index;
    }
  }
  return undefined;
}

/** PostgreSQL block comments nest: `/* a /* b *\/ c *\/` is one comment. */
function blockCommentEnd(sql: string, start: number): number | undefined {
  let depth = 0;
  let index = start;
  while (index < sql.length) {
    if (sql.startsWith('/*', index)) {
      depth += 1;
      index += 2;
    } else if (sql.startsWith('*/', index)) {
      depth -= 1;
      index += 2;
      if (depth === 0) return index;
    } else {
      index += 1;
    }
  }
  return undefined;
}
