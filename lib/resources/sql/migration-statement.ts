import { checkSchemaStatement, type MigrationNames } from './migration-schema-rules.js';
import { MigrationDenial } from './migration-token-cursor.js';
import { statementKind } from './migration-statement-kind.js';
import { checkBeforeParsing } from './parse-sql.js';
import { POSTGRES_ALLOWED_FUNCTIONS } from './postgres-function-allow-list.js';
import { foldIdentifier } from './sql-ast.js';
import { DEFAULT_SCHEMA, type SqlDialect } from './sql-dialect.js';
import { callsOf, type NamedTable, type SqlCall, type SqlFacts } from './sql-facts.js';
import { SqlRefusal } from './sql-refusal.js';
import { checkDataAccess } from './sql-statement-rules.js';
import { sqlStatementsTokens, sqlTokens, type SqlToken } from './sql-tokens.js';

/**
 * What a migration's statement is, once allowed: `schema` changes the plugin's tables,
 * indexes or sequences; `data` reads or writes their rows; `catalog` only reads the system
 * catalogues (TypeORM's schema builder looks a table up before it alters it), which the
 * engine answers about the plugin's own objects only where it can.
 */
export type MigrationStatementKind = 'schema' | 'data' | 'catalog';

/** Whose migration runs, and the names it may act on. */
export interface MigrationPolicy extends MigrationNames {
  readonly pluginName: string;
  /** what a denial lists as allowed: the real names a migration writes */
  readonly realTableNames: readonly string[];
}

const DATA_KEYWORDS: ReadonlySet<string> = new Set(['select', 'with', 'insert', 'update', 'delete', 'replace', 'values']);
const SCHEMA_KEYWORDS: ReadonlySet<string> = new Set(['create', 'alter', 'drop', 'comment']);

/** The SQLite introspection pragmas TypeORM's schema builder reads, each about one named table or index. */
const CATALOG_PRAGMAS: ReadonlySet<string> = new Set(['table_info', 'table_xinfo', 'index_list', 'index_info', 'index_xinfo', 'foreign_key_list']);

/** What TypeORM's PostgreSQL schema builder calls when it reads the catalogues, beside ordinary computation. */
const POSTGRES_CATALOG_FUNCTIONS: ReadonlySet<string> = new Set([
  'version', 'current_schema', 'current_database', 'obj_description', 'col_description', 'format_type', 'pg_get_constraintdef',
  'pg_get_expr', 'pg_get_indexdef', 'pg_get_serial_sequence', 'unnest', 'array_agg', 'string_agg', 'array_to_string',
]);

/**
 * The guard's migration mode: one statement that names the plugin's real tables (no
 * renaming), checked as raw SQL is (data statements by the parser and the statement rules)
 * and, for schema statements, by checkSchemaStatement. Throws MigrationDenial for what reaches
 * beyond the plugin's names, SqlRefusal for what cannot be read.
 */
export function classifyMigrationStatement(sql: string, dialect: SqlDialect, names: MigrationNames, read: (sql: string) => SqlFacts): MigrationStatementKind {
  checkBeforeParsing(sql, dialect);
  const statements = sqlStatementsTokens(sqlTokens(sql, dialect));
  if (statements.length === 0) throw new SqlRefusal('there is no statement to run');
  // The first statement's kind is judged before the count, so that a trigger body's `;` does not hide what it is.
  const kind = classifyFirst(statements[0]!, dialect, names);
  if (statements.length > 1) throw new SqlRefusal('a migration runs one statement per query() call');
  return kind === 'parse' ? dataOrCatalog(read(sql), dialect, names) : kind;
}

function classifyFirst(tokens: readonly SqlToken[], dialect: SqlDialect, names: MigrationNames): MigrationStatementKind | 'parse' {
  const keyword = tokens[0]!.kind === 'word' ? tokens[0]!.value : '';
  if (dialect === 'sqlite' && keyword === 'pragma') return catalogPragma(tokens);
  if (SCHEMA_KEYWORDS.has(keyword)) {
    checkSchemaStatement(tokens, names, dialect);
    // PostgreSQL's dollar quotes end where this reading of the text cannot see.
    if (dialect === 'postgresql' && tokens.some((token) => token.kind === 'symbol' && token.value === '$')) {
      throw new SqlRefusal('dollar-quoted strings are not allowed in a migration');
    }
    return 'schema';
  }
  if (DATA_KEYWORDS.has(keyword)) return 'parse';
  throw new MigrationDenial(statementKind(tokens));
}

function dataOrCatalog(facts: SqlFacts, dialect: SqlDialect, names: MigrationNames): MigrationStatementKind {
  const { tables } = facts;
  const calls = callsOf(facts);
  // Setting a sequence writes: never in a catalogue read, which runs read-only.
  const catalogRead =
    facts.statements.every((statement) => statement.kind === 'select') &&
    tables.every((table) => isCatalog(table, dialect)) &&
    !calls.some((call) => isOwnSequenceCall(call, names));
  if (catalogRead && (dialect === 'postgresql' || tables.length > 0)) {
    if (dialect === 'postgresql') checkCatalogFunctions(calls, names);
    else checkDataAccess(facts, dialect);
    return 'catalog';
  }
  checkDataAccess(facts, dialect, (call) => dialect === 'postgresql' && isOwnSequenceCall(call, names));
  for (const table of tables) {
    const schema = table.schema === undefined ? undefined : foldIdentifier(table.schema);
    const written = table.schema === undefined ? table.name : `${table.schema}.${table.name}`;
    if ((schema !== undefined && schema !== DEFAULT_SCHEMA[dialect]) || !names.isOwnTable(foldIdentifier(table.name))) throw new MigrationDenial(written);
  }
  return 'data';
}

/** PostgreSQL's catalogues and their SQL-standard views; SQLite's schema table (not the temporary database's). */
function isCatalog(table: NamedTable, dialect: SqlDialect): boolean {
  const schema = table.schema === undefined ? undefined : foldIdentifier(table.schema);
  const name = foldIdentifier(table.name);
  if (dialect === 'sqlite') return (schema === undefined || schema === 'main') && (name === 'sqlite_master' || name === 'sqlite_schema');
  if (schema === 'information_schema' || schema === 'pg_catalog') return true;
  return schema === undefined && name.startsWith('pg_');
}

/** The engine runs a catalogue read read-only and rolls it back; what it may call still excludes sessions, locks and files. */
function checkCatalogFunctions(calls: readonly SqlCall[], names: MigrationNames): void {
  for (const call of calls) {
    if (isOwnSequenceCall(call, names)) continue;
    const folded = foldIdentifier(call.name);
    const allowed =
      (call.schema === undefined || foldIdentifier(call.schema) === 'pg_catalog') && (POSTGRES_ALLOWED_FUNCTIONS.has(folded) || POSTGRES_CATALOG_FUNCTIONS.has(folded));
    if (!allowed) throw new SqlRefusal(`function ${call.name}() is not allowed`);
  }
}

const SEQUENCE_FUNCTIONS: ReadonlySet<string> = new Set(['nextval', 'currval', 'setval']);

/** `nextval('<own sequence>')`, `setval('<own sequence>', …)`: what a migration that copies rows sets its sequences with. */
function isOwnSequenceCall(call: SqlCall, names: MigrationNames): boolean {
  if (call.schema !== undefined || !SEQUENCE_FUNCTIONS.has(foldIdentifier(call.name))) return false;
  return call.firstStringArgument !== undefined && names.isOwnSequence(foldIdentifier(call.firstStringArgument));
}

/** `PRAGMA table_xinfo("t")` and its kin: the engine answers them from a copy of the plugin's own tables. */
function catalogPragma(tokens: readonly SqlToken[]): MigrationStatementKind {
  const [, pragma, open, argument, close, ...rest] = tokens;
  const readable =
    pragma?.kind === 'word' &&
    CATALOG_PRAGMAS.has(pragma.value) &&
    open?.kind === 'symbol' &&
    open.value === '(' &&
    argument !== undefined &&
    argument.kind !== 'symbol' &&
    close?.kind === 'symbol' &&
    close.value === ')' &&
    rest.length === 0;
  if (!readable) throw new MigrationDenial(pragma?.kind === 'word' ? `PRAGMA ${pragma.value}` : 'PRAGMA');
  return 'catalog';
}
