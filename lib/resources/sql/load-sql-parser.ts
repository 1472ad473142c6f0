import { createRequire } from 'node:module';
import type { Parser } from 'node-sql-parser';

/**
 * A new node-sql-parser Parser, loaded on first use: the package costs about 340 ms and 5 MB of
 * heap to load, which a host that never runs raw SQL should not pay at import. A synchronous
 * require, because SqlGuard.prepare is synchronous.
 */
export function loadSqlParser(): Parser {
  const sqlParser = createRequire(import.meta.url)('node-sql-parser') as typeof import('node-sql-parser');
  return new sqlParser.Parser();
}
