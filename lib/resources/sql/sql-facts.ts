/**
 * What the guard reads of one SQL text, whichever reader read it (PostgreSQL's own parser, or
 * the SQLite reader): its statements, the tables it names and where, the functions it calls,
 * and what no policy allows. Positions are UTF-16 indices into the text that was read.
 */

/** One statement: its kind (`select`, `insert`... or the first word of one that is not data access) and its span. */
export interface StatementSpan {
  readonly kind: string;
  readonly start: number;
  readonly end: number;
}

/** A table the SQL names: checked against the policy, then its span replaced by the real name. */
export interface NamedTable {
  /** as the database reads it, unquoted */
  readonly name: string;
  /** as written; `db.schema` for a three-part name */
  readonly schema?: string;
  /** the span of the whole (qualified) name; start is -1 when it could not be located */
  readonly start: number;
  readonly end: number;
}

/** A column qualified by a table's own name (`users.id`): the span of `users`, renamed with that table. */
export interface QualifierSpan {
  readonly start: number;
  readonly end: number;
  readonly table: NamedTable;
}

/** A function call, by name. */
export interface SqlCall {
  readonly schema?: string;
  readonly name: string;
  /** the first argument when it is a plain string literal (`nextval('seq')`) */
  readonly firstStringArgument?: string;
}

/** In the order found: a call (judged by the caller's rules) or a refusal whatever the policy. */
export type SqlFinding = { readonly call: SqlCall } | { readonly refusal: string };

export interface SqlFacts {
  readonly statements: readonly StatementSpan[];
  readonly tables: readonly NamedTable[];
  readonly qualifiers: readonly QualifierSpan[];
  readonly findings: readonly SqlFinding[];
  /** SQLite shapes: the literal markers that must stay in the text (see sqlite-reader.ts) */
  readonly inline: ReadonlySet<number>;
}

/** Every call among the findings. */
export function callsOf(facts: SqlFacts): SqlCall[] {
  return facts.findings.flatMap((finding) => ('call' in finding ? [finding.call] : []));
}
