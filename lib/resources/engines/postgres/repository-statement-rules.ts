import { SqlNotAllowedError } from '../../../errors/index.js';
import { analyzePostgres } from '../../sql/postgres/analyze-postgres.js';
import { loadPostgresParser } from '../../sql/postgres/load-postgres-parser.js';
import { checkDataAccess } from '../../sql/sql-statement-rules.js';
import { SqlRefusal } from '../../sql/sql-refusal.js';

/** Texts that passed, kept until this many: TypeORM sends the same texts again with other values. */
const PASSED_TEXTS_KEPT = 1000;
const passed = new Set<string>();

/**
 * Holds a repository statement to the raw-SQL rules other than table names (which the role
 * bounds): data access only, read by PostgreSQL's own parser, calling only allowed functions.
 * The role alone is not enough: a statement can switch the role away and back within itself
 * (`set_config('role', …)` around `query_to_xml(…)`), and the check after it would see the
 * plugin's role again. Throws SqlNotAllowedError naming the plugin.
 */
export async function checkRepositoryStatement(pluginName: string, sql: string): Promise<void> {
  if (passed.has(sql)) return;
  const parse = await loadPostgresParser();
  try {
    checkDataAccess(analyzePostgres(parse, sql), 'postgresql');
  } catch (error) {
    if (error instanceof SqlRefusal) throw new SqlNotAllowedError(pluginName, error.message);
    throw error;
  }
  if (passed.size >= PASSED_TEXTS_KEPT) passed.clear();
  passed.add(sql);
}
