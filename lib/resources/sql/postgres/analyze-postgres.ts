import { unparseable } from '../parse-sql.js';
import type { SqlFacts, StatementSpan } from '../sql-facts.js';
import { nestsTooDeep } from '../sql-nesting.js';
import { SqlRefusal } from '../sql-refusal.js';
import { splitSqlText } from '../sql-text.js';
import type { ShapeMarkers } from '../statement-template.js';
import type { PostgresParse } from './load-postgres-parser.js';
import { PostgresTreeReader } from './postgres-tree-reader.js';
import { nodeOf } from './postgres-tree.js';
import { TextPositions } from './text-positions.js';

const KIND_BY_NODE: ReadonlyMap<string, string> = new Map([
  ['SelectStmt', 'select'],
  ['InsertStmt', 'insert'],
  ['UpdateStmt', 'update'],
  ['DeleteStmt', 'delete'],
]);
/** First words of data access; `VALUES (...)` and `TABLE t` parse as SELECT but are named as written. */
const DATA_FIRST_WORDS: ReadonlySet<string> = new Set(['select', 'with', 'insert', 'update', 'delete', '(']);
/** `$tag$` or `$$` opening a dollar-quoted string, where no identifier goes on before it. */
const DOLLAR_QUOTE = /(?<![A-Za-z0-9_$\u0080-\uffff])\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;
const NOTHING_INLINE: ReadonlySet<number> = new Set();

/**
 * The facts of PostgreSQL SQL as PostgreSQL's own parser reads it. `markers`: `sql` is a shape,
 * whose literal markers must each be a parameter of the tree, once. Throws SqlRefusal.
 */
export function analyzePostgres(parse: PostgresParse, sql: string, markers?: ShapeMarkers): SqlFacts {
  refuseWhatReadsTwoWays(sql);
  let tree: ReturnType<PostgresParse>;
  try {
    tree = parse(sql);
  } catch (error) {
    throw parseRefusal(sql, error);
  }
  const raw = Array.isArray(tree.stmts) ? tree.stmts : [];
  const positions = new TextPositions(sql);
  const reader = new PostgresTreeReader(sql, positions);
  const statements: StatementSpan[] = raw.map(({ stmt, stmt_location: location = 0, stmt_len: length }) => {
    reader.read(stmt);
    const start = positions.index(location);
    const end = length ? positions.index(location + length) : sql.length;
    return { kind: statementKind(nodeOf(stmt)?.[0], sql, start), start, end };
  });
  if (statements.length === 0) throw new SqlRefusal('there is no statement to run');
  if (markers !== undefined) checkMarkers(reader.parameters, markers);
  return { statements, tables: reader.tables, qualifiers: reader.qualifiers(), findings: reader.findings, inline: NOTHING_INLINE };
}

/**
 * What this module's lexer (which finds the literals a shape replaces) and PostgreSQL would read
 * differently: nested block comments (PostgreSQL nests them) and dollar-quoted strings.
 */
function refuseWhatReadsTwoWays(sql: string): void {
  for (const part of splitSqlText(sql, 'postgresql')) {
    if (part.kind === 'comment' && part.text.startsWith('/*') && part.text.includes('/*', 2)) throw new SqlRefusal('nested comments are not allowed');
    if (part.kind === 'code' && DOLLAR_QUOTE.test(part.text)) throw new SqlRefusal('dollar-quoted strings are not allowed; pass such values as parameters');
  }
}

function statementKind(type: string | undefined, sql: string, start: number): string {
  const word = /[A-Za-z_]+|\S/.exec(sql.slice(start, start + 200).replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, ' '))?.[0]?.toLowerCase() ?? '';
  const kind = type === undefined ? undefined : KIND_BY_NODE.get(type);
  return kind !== undefined && DATA_FIRST_WORDS.has(word) ? kind : word || 'this';
}

/** Each literal marker of the shape must be a parameter of the tree exactly once: else the text was not read as the lexer read it. */
function checkMarkers(parameters: readonly number[], { firstMarker, literalCount }: ShapeMarkers): void {
  const seen = new Set<number>();
  for (const number of parameters) {
    if (number < firstMarker) continue;
    if (number >= firstMarker + literalCount || seen.has(number)) throw new SqlRefusal('the rewritten SQL did not pass verification');
    seen.add(number);
  }
  if (seen.size !== literalCount) throw new SqlRefusal('the rewritten SQL did not pass verification');
}

/** The parser's complaint as the guard words it: what it found, and on which line. */
function parseRefusal(sql: string, error: unknown): SqlRefusal {
  const message = error instanceof Error ? error.message : String(error);
  if (/stack depth limit exceeded/i.test(message)) return nestsTooDeep();
  let complaint = message.split('\n', 1)[0]!.slice(0, 120);
  if (message === 'syntax error at end of input') complaint = 'unexpected end of input';
  const near = /^syntax error at or near "(.*)"$/.exec(message);
  const cursor = (error as { sqlDetails?: { cursorPosition?: unknown } } | undefined)?.sqlDetails?.cursorPosition;
  if (near !== null && typeof cursor === 'number') {
    const line = Buffer.from(sql).subarray(0, cursor).toString().split('\n').length;
    complaint = `unexpected ${JSON.stringify(near[1])} on line ${line}`;
  }
  return unparseable(sql, 'postgresql', complaint);
}
