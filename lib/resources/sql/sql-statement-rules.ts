import { foldIdentifier } from './sql-ast.js';
import type { SqlCall, SqlFacts } from './sql-facts.js';
import { POSTGRES_ALLOWED_FUNCTIONS } from './postgres-function-allow-list.js';
import type { SqlDialect } from './sql-dialect.js';
import { SqlRefusal } from './sql-refusal.js';

/** Plain data access; REPLACE is SQLite's INSERT OR REPLACE. */
const ALLOWED_STATEMENT_KINDS: ReadonlySet<string> = new Set(['select', 'insert', 'replace', 'update', 'delete']);

/** Statements that change the schema, the session, the connection or files; named when refused before parsing. */
export const NEVER_ALLOWED_STATEMENT_KEYWORDS: ReadonlySet<string> = new Set([
  'abort', 'alter', 'analyze', 'attach', 'begin', 'call', 'checkpoint', 'close', 'cluster', 'comment', 'commit', 'copy',
  'create', 'deallocate', 'declare', 'detach', 'discard', 'do', 'drop', 'end', 'execute', 'explain', 'fetch', 'grant',
  'import', 'listen', 'load', 'lock', 'merge', 'move', 'notify', 'pragma', 'prepare', 'reassign', 'refresh', 'reindex',
  'release', 'reset', 'revoke', 'rollback', 'savepoint', 'security', 'set', 'show', 'start', 'table', 'truncate',
  'unlisten', 'vacuum', 'values',
]);

/**
 * SQLite functions that read or write files, load code, leak pointers or run SQL of their own:
 * a deny-list here, since the SQLite engine checks the functions of the compiled program
 * against its own allow-list. PostgreSQL calls are checked against an allow-list instead.
 */
const SQLITE_DANGEROUS_FUNCTIONS: ReadonlySet<string> = new Set([
  'load_extension', 'readfile', 'writefile', 'edit', 'eval', 'fts3_tokenizer', 'fts5', 'fsdir', 'lsmode', 'zipfile',
  'zipfile_cds', 'sqlar_compress', 'sqlar_uncompress',
]);

/** sqlite_*, pragma_* (SQLite's own introspection). */
const SQLITE_DANGEROUS_FUNCTION_PATTERN = /^(sqlite_|pragma_)/;

/**
 * Throws SqlRefusal unless the statements are plain data access: allowed kinds, nothing the
 * reader refused (FROM items other than tables and sub-queries, catalog casts, SELECT INTO,
 * named parameters...), and safe functions (or calls `allowsCall` accepts), first found first.
 */
export function checkDataAccess(facts: SqlFacts, dialect: SqlDialect, allowsCall: (call: SqlCall) => boolean = () => false): void {
  for (const { kind } of facts.statements) {
    if (!ALLOWED_STATEMENT_KINDS.has(kind)) throw new SqlRefusal(`${kind.toUpperCase()} statements are not allowed`);
  }
  for (const finding of facts.findings) {
    if ('refusal' in finding) throw new SqlRefusal(finding.refusal);
    const refusal = allowsCall(finding.call) ? undefined : callRefusal(finding.call, dialect);
    if (refusal !== undefined) throw new SqlRefusal(refusal);
  }
}

/** Why a plugin's SQL may not make this call, if it may not. */
export function callRefusal({ schema, name }: SqlCall, dialect: SqlDialect): string | undefined {
  if (schema !== undefined) return `schema-qualified function calls are not allowed (${schema}.${name})`;
  return isAllowedFunction(foldIdentifier(name), dialect) ? undefined : `function ${name}() is not allowed`;
}

/** Whether a plugin's SQL may call the function of this (case-folded) name: PostgreSQL's allow-list, SQLite's deny-list. */
export function isAllowedFunction(folded: string, dialect: SqlDialect): boolean {
  if (dialect === 'postgresql') return POSTGRES_ALLOWED_FUNCTIONS.has(folded);
  return !SQLITE_DANGEROUS_FUNCTIONS.has(folded) && !SQLITE_DANGEROUS_FUNCTION_PATTERN.test(folded);
}
