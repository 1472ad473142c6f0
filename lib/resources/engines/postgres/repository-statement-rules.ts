import { SqlNotAllowedError, SqlTimeoutError } from '../../../errors/index.js';
import { LONG_SQL_CHARS } from '../../sql/long-sql.js';
import { analyzePostgres } from '../../sql/postgres/analyze-postgres.js';
import { loadPostgresParser, type PostgresParse } from '../../sql/postgres/load-postgres-parser.js';
import { ParseTimeout, PostgresParseWorker } from '../../sql/postgres/postgres-parse-worker.js';
import { checkDataAccess } from '../../sql/sql-statement-rules.js';
import { SqlRefusal } from '../../sql/sql-refusal.js';
import type { PluginSqlScope } from '../sql-engine.interface.js';

/** Texts that passed, kept until this many: TypeORM sends the same texts again with other values. */
const PASSED_TEXTS_KEPT = 1000;
const passed = new Set<string>();
/** Long texts (a large `In([...])`) are parsed here, off the event loop, as raw SQL's are. */
let parseWorker: PostgresParseWorker | undefined;

/**
 * Holds a repository statement to the raw-SQL rules other than table names (which the role
 * bounds): data access only, read by PostgreSQL's own parser, calling only allowed functions.
 * The role alone is not enough: a statement can switch the role away and back within itself
 * (`set_config('role', …)` around `query_to_xml(…)`), and the check after it would see the
 * plugin's role again. A text of LONG_SQL_CHARS or more is parsed in a worker thread under the
 * plugin's timeout. Rejects with SqlNotAllowedError (or SqlTimeoutError) naming the plugin;
 * undefined for a text that passed before.
 */
export function checkRepositoryStatement(scope: Pick<PluginSqlScope, 'pluginName' | 'timeoutMs'>, sql: string): Promise<void> | undefined {
  // A text that passed before costs no promise: repositories repeat their texts on every call.
  return passed.has(sql) ? undefined : checkNewStatement(scope, sql);
}

async function checkNewStatement(scope: Pick<PluginSqlScope, 'pluginName' | 'timeoutMs'>, sql: string): Promise<void> {
  const parse = sql.length < LONG_SQL_CHARS ? await loadPostgresParser() : await parsedAside(scope, sql);
  try {
    checkDataAccess(analyzePostgres(parse, sql), 'postgresql');
  } catch (error) {
    if (error instanceof SqlRefusal) throw new SqlNotAllowedError(scope.pluginName, error.message);
    throw error;
  }
  if (passed.size >= PASSED_TEXTS_KEPT) passed.clear();
  passed.add(sql);
}

/** The tree the worker read, as a parse of `sql`; the parser's complaint is thrown where analyzePostgres words it. */
async function parsedAside({ pluginName, timeoutMs }: Pick<PluginSqlScope, 'pluginName' | 'timeoutMs'>, sql: string): Promise<PostgresParse> {
  try {
    const tree = await (parseWorker ??= new PostgresParseWorker()).parse(sql, timeoutMs);
    return () => tree;
  } catch (error) {
    if (error instanceof ParseTimeout) throw new SqlTimeoutError(pluginName, timeoutMs);
    return () => {
      throw error;
    };
  }
}
