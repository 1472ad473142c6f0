import type { SqlDialect } from '../../../../lib/resources/sql/sql-guard.js';

/**
 * Raw SQL a plugin might send through `ctx.database.executeQuery`, as data so that every suite
 * (the SQL guard's unit tests on SQLite, the PostgreSQL end-to-end suite) checks the same
 * statements. They assume the plugin `my-plugin` with allowed tables `users`, `orders` and
 * `audit`, `audit` mapped to `shared_audit`:
 *
 *   new ResourcePolicy('my-plugin', { name: 'my-plugin', allowedTables: ['users', 'orders', 'audit'] },
 *     { tableNameMap: { audit: 'shared_audit' } })
 */

export interface HostileStatement {
  sql: string;
  dialects: SqlDialect[];
  /** What the statement tries. */
  why: string;
  /** TableAccessDeniedError ('table') or SqlNotAllowedError ('sql'). */
  error: 'table' | 'sql';
}

export interface LegitimateStatement {
  sql: string;
  dialects: SqlDialect[];
  params?: unknown[];
  /** Real names the rewritten SQL must reference, and no other table. */
  expectedTables: string[];
}

const both: SqlDialect[] = ['sqlite', 'postgresql'];
const sqliteOnly: SqlDialect[] = ['sqlite'];
const postgresOnly: SqlDialect[] = ['postgresql'];

const USERS = 'my-plugin_users';
const ORDERS = 'my-plugin_orders';
const AUDIT = 'shared_audit';

/** The tables behind the policy, plus another plugin's table and a host table no plugin may read. */
export const corpusSchema: Record<SqlDialect, string[]> = {
  sqlite: [
    `CREATE TABLE "${USERS}" (id INTEGER PRIMARY KEY, name TEXT, "userId" TEXT, score INTEGER NOT NULL DEFAULT 0)`,
    `CREATE TABLE "${ORDERS}" (id INTEGER PRIMARY KEY, user_id INTEGER, total INTEGER NOT NULL DEFAULT 0)`,
    `CREATE TABLE ${AUDIT} (id INTEGER PRIMARY KEY, action TEXT)`,
    `CREATE TABLE "other-plugin_users" (id INTEGER PRIMARY KEY, name TEXT)`,
    `CREATE TABLE secrets (id INTEGER PRIMARY KEY, value TEXT)`,
  ],
  postgresql: [
    `CREATE TABLE "${USERS}" (id SERIAL PRIMARY KEY, name TEXT, "userId" TEXT, score INTEGER NOT NULL DEFAULT 0)`,
    `CREATE TABLE "${ORDERS}" (id SERIAL PRIMARY KEY, user_id INTEGER, total INTEGER NOT NULL DEFAULT 0)`,
    `CREATE TABLE ${AUDIT} (id SERIAL PRIMARY KEY, action TEXT)`,
    `CREATE TABLE "other-plugin_users" (id SERIAL PRIMARY KEY, name TEXT)`,
    `CREATE TABLE secrets (id SERIAL PRIMARY KEY, value TEXT)`,
  ],
};

export const hostileStatements: HostileStatement[] = [
  // Tables outside the allow-list, wherever they hide
  { sql: 'SELECT * FROM secrets', dialects: both, why: 'a table that is not allowed', error: 'table' },
  { sql: 'SELECT u.id, s.value FROM users u JOIN secrets s ON s.id = u.id', dialects: both, why: 'joined', error: 'table' },
  { sql: 'SELECT * FROM users LEFT JOIN secrets USING (id)', dialects: both, why: 'joined with USING', error: 'table' },
  { sql: 'SELECT * FROM users, secrets', dialects: both, why: 'comma join', error: 'table' },
  { sql: 'SELECT id FROM users WHERE id IN (SELECT id FROM secrets)', dialects: both, why: 'sub-query in WHERE', error: 'table' },
  {
    sql: 'SELECT id FROM users WHERE EXISTS (SELECT 1 FROM (SELECT * FROM (SELECT * FROM secrets) a) b WHERE b.id = users.id)',
    dialects: both,
    why: 'three levels down',
    error: 'table',
  },
  { sql: 'SELECT (SELECT value FROM secrets LIMIT 1) AS leaked FROM users', dialects: both, why: 'sub-query in the SELECT list', error: 'table' },
  {
    sql: 'SELECT name FROM users GROUP BY name HAVING COUNT(*) > (SELECT COUNT(*) FROM secrets)',
    dialects: both,
    why: 'sub-query in HAVING',
    error: 'table',
  },
  { sql: 'SELECT id FROM users ORDER BY (SELECT COUNT(*) FROM secrets)', dialects: both, why: 'sub-query in ORDER BY', error: 'table' },
  { sql: "SELECT COALESCE((SELECT value FROM secrets), 'none') FROM users", dialects: both, why: 'sub-query as a function argument', error: 'table' },
  { sql: 'SELECT CASE WHEN EXISTS (SELECT 1 FROM secrets) THEN 1 ELSE 0 END FROM users', dialects: both, why: 'sub-query in CASE', error: 'table' },
  { sql: 'SELECT id FROM users UNION SELECT id FROM secrets', dialects: both, why: 'UNION', error: 'table' },
  { sql: 'SELECT id FROM users UNION ALL SELECT id FROM orders UNION SELECT id FROM secrets', dialects: both, why: 'third arm of a UNION', error: 'table' },
  { sql: 'SELECT id FROM users INTERSECT SELECT id FROM secrets', dialects: postgresOnly, why: 'INTERSECT', error: 'table' },
  { sql: 'SELECT id FROM users EXCEPT SELECT id FROM secrets', dialects: postgresOnly, why: 'EXCEPT', error: 'table' },
  { sql: 'SELECT * FROM users u, LATERAL (SELECT * FROM secrets s WHERE s.id = u.id) x', dialects: postgresOnly, why: 'LATERAL sub-query', error: 'table' },

  // CTEs: a CTE name is not a table, and never a way around one
  { sql: 'WITH s AS (SELECT * FROM secrets) SELECT * FROM s', dialects: both, why: 'CTE body', error: 'table' },
  { sql: 'WITH users AS (SELECT * FROM secrets) SELECT * FROM users', dialects: both, why: 'CTE named like an allowed table', error: 'table' },
  {
    sql: 'WITH secrets AS (SELECT * FROM secrets) SELECT * FROM secrets',
    dialects: both,
    why: "a CTE's own name in its body is the real table in PostgreSQL",
    error: 'table',
  },
  {
    sql: 'WITH a AS (SELECT * FROM secrets), secrets AS (SELECT 1 AS id) SELECT * FROM a',
    dialects: both,
    why: 'forward reference to a later CTE is the real table in PostgreSQL',
    error: 'table',
  },
  { sql: 'WITH a AS (SELECT 1 AS id), b AS (SELECT * FROM a JOIN secrets USING (id)) SELECT * FROM b', dialects: both, why: 'second CTE', error: 'table' },
  {
    sql: 'SELECT * FROM (WITH s AS (SELECT 1 AS id) SELECT * FROM s) x, s',
    dialects: postgresOnly,
    why: 'a CTE is not in scope outside its sub-query',
    error: 'table',
  },
  {
    sql: '(WITH secrets AS (SELECT 1 AS id) SELECT id FROM secrets) UNION SELECT id FROM secrets',
    dialects: postgresOnly,
    why: 'the CTE of a parenthesised arm does not reach the other arms: the later secrets is the real table',
    error: 'table',
  },
  {
    sql: '(WITH secrets AS (SELECT 1 AS id) SELECT id FROM secrets) UNION ALL SELECT 9 LIMIT (SELECT COUNT(*) FROM secrets)',
    dialects: postgresOnly,
    why: 'nor the LIMIT of the whole UNION',
    error: 'table',
  },
  {
    sql: 'WITH RECURSIVE r(id) AS (SELECT id FROM secrets UNION ALL SELECT id + 1 FROM r WHERE id < 3) SELECT * FROM r',
    dialects: both,
    why: 'recursive CTE seeded from a table',
    error: 'table',
  },

  // Writes
  { sql: "INSERT INTO secrets (value) VALUES ('x')", dialects: both, why: 'INSERT target', error: 'table' },
  { sql: 'INSERT INTO users (name) SELECT value FROM secrets', dialects: both, why: 'INSERT … SELECT source', error: 'table' },
  { sql: 'INSERT INTO users (name) VALUES ((SELECT value FROM secrets))', dialects: both, why: 'sub-query in VALUES', error: 'table' },
  { sql: 'INSERT INTO users (name) VALUES ($1) RETURNING (SELECT value FROM secrets)', dialects: postgresOnly, why: 'sub-query in RETURNING', error: 'table' },
  { sql: "UPDATE secrets SET value = 'x'", dialects: both, why: 'UPDATE target', error: 'table' },
  { sql: 'UPDATE users SET name = (SELECT value FROM secrets LIMIT 1)', dialects: both, why: 'sub-query in SET', error: 'table' },
  { sql: 'UPDATE users SET name = s.value FROM secrets s WHERE s.id = users.id', dialects: postgresOnly, why: 'UPDATE … FROM', error: 'table' },
  { sql: 'DELETE FROM secrets', dialects: both, why: 'DELETE target', error: 'table' },
  { sql: 'DELETE FROM users WHERE id IN (SELECT id FROM secrets)', dialects: both, why: 'sub-query in DELETE', error: 'table' },
  { sql: 'WITH secrets AS (SELECT 1 AS id) DELETE FROM secrets', dialects: both, why: 'WITH before DELETE: the target is the real table whatever the CTE is called', error: 'table' },

  // Several statements
  { sql: 'SELECT * FROM users; SELECT * FROM secrets', dialects: both, why: 'second statement', error: 'table' },
  { sql: 'SELECT * FROM users; DROP TABLE users', dialects: both, why: 'DDL after a SELECT', error: 'sql' },
  { sql: 'SELECT * FROM users; PRAGMA writable_schema = 1', dialects: sqliteOnly, why: 'PRAGMA after a SELECT', error: 'sql' },

  // Comments, quoting and case
  { sql: 'SELECT * FROM /* users */ secrets', dialects: both, why: 'the allowed name is only a comment', error: 'table' },
  { sql: 'SELECT * FROM users -- , orders\n, secrets', dialects: both, why: 'a line comment before the real table', error: 'table' },
  { sql: 'SELECT * FROM users /* ; */ JOIN secrets ON 1 = 1', dialects: both, why: 'a semicolon in a comment', error: 'table' },
  { sql: 'SELECT * FROM "secrets"', dialects: both, why: 'quoted', error: 'table' },
  { sql: 'select * from SeCrEtS', dialects: both, why: 'mixed case', error: 'table' },
  { sql: 'SELECT "SECRETS".* FROM "SECRETS"', dialects: both, why: 'quoted upper case', error: 'table' },
  { sql: 'SELECT * FROM "other-plugin_users"', dialects: both, why: "another plugin's real table", error: 'table' },
  { sql: 'SELECT * FROM "my-plugin_users"', dialects: both, why: "the plugin's own real name, which is not in its allow-list", error: 'table' },
  { sql: 'SELECT * FROM shared_audit', dialects: both, why: 'the real name of a mapped table', error: 'table' },
  { sql: 'SELECT * FROM users JOIN "my-plugin_orders" o ON o.user_id = users.id', dialects: both, why: 'a real name next to a code name', error: 'table' },

  // Schemas
  { sql: 'SELECT * FROM main.secrets', dialects: sqliteOnly, why: 'default schema, table not allowed', error: 'table' },
  { sql: 'SELECT * FROM public.secrets', dialects: postgresOnly, why: 'default schema, table not allowed', error: 'table' },
  { sql: 'SELECT * FROM temp.users', dialects: sqliteOnly, why: 'a temporary table shadowing an allowed name', error: 'sql' },
  { sql: 'SELECT * FROM evil.users', dialects: both, why: 'an ATTACHed database or another schema', error: 'sql' },
  { sql: 'SELECT * FROM otherdb.public.users', dialects: postgresOnly, why: 'three-part name', error: 'sql' },

  // System catalogs
  { sql: 'SELECT * FROM sqlite_master', dialects: sqliteOnly, why: 'schema catalog', error: 'table' },
  { sql: 'SELECT sql FROM sqlite_schema', dialects: sqliteOnly, why: 'schema catalog, new name', error: 'table' },
  { sql: 'SELECT * FROM sqlite_temp_master', dialects: sqliteOnly, why: 'temporary schema catalog', error: 'table' },
  { sql: 'SELECT * FROM main.sqlite_master', dialects: sqliteOnly, why: 'qualified catalog', error: 'table' },
  { sql: 'SELECT * FROM sqlite_sequence', dialects: sqliteOnly, why: 'AUTOINCREMENT counters of every table', error: 'table' },
  { sql: 'SELECT name FROM users WHERE name IN (SELECT name FROM sqlite_master)', dialects: sqliteOnly, why: 'catalog in a sub-query', error: 'table' },
  { sql: 'SELECT * FROM pragma_table_list', dialects: sqliteOnly, why: 'eponymous PRAGMA table', error: 'table' },
  { sql: 'SELECT * FROM pg_catalog.pg_tables', dialects: postgresOnly, why: 'catalog schema', error: 'table' },
  { sql: 'SELECT relname FROM pg_class', dialects: postgresOnly, why: 'catalog on the search path', error: 'table' },
  { sql: 'SELECT usename, passwd FROM pg_shadow', dialects: postgresOnly, why: 'password hashes', error: 'table' },
  { sql: 'SELECT table_name FROM information_schema.tables', dialects: postgresOnly, why: 'information schema', error: 'table' },
  { sql: 'SELECT * FROM users WHERE EXISTS (SELECT 1 FROM pg_roles)', dialects: postgresOnly, why: 'catalog in a sub-query', error: 'table' },

  // Statements other than SELECT / INSERT / UPDATE / DELETE
  { sql: 'PRAGMA table_info(users)', dialects: sqliteOnly, why: 'PRAGMA', error: 'sql' },
  { sql: "ATTACH DATABASE '/tmp/evil.db' AS evil", dialects: sqliteOnly, why: 'ATTACH', error: 'sql' },
  { sql: 'DETACH DATABASE main', dialects: sqliteOnly, why: 'DETACH', error: 'sql' },
  { sql: 'VACUUM', dialects: sqliteOnly, why: 'VACUUM', error: 'sql' },
  { sql: 'DROP TABLE users', dialects: both, why: 'DROP', error: 'sql' },
  { sql: 'CREATE TABLE users2 (id INTEGER)', dialects: both, why: 'CREATE', error: 'sql' },
  { sql: 'CREATE TEMP VIEW users AS SELECT * FROM secrets', dialects: sqliteOnly, why: 'a temporary view shadowing an allowed name', error: 'sql' },
  { sql: 'ALTER TABLE users ADD COLUMN admin INTEGER', dialects: both, why: 'ALTER', error: 'sql' },
  { sql: 'BEGIN', dialects: both, why: 'transaction control', error: 'sql' },
  { sql: "COPY users TO '/tmp/users.csv'", dialects: postgresOnly, why: 'COPY writes files', error: 'sql' },
  { sql: 'SET search_path TO evil, public', dialects: postgresOnly, why: 'SET changes what names mean', error: 'sql' },
  { sql: 'SELECT * INTO stolen FROM users', dialects: postgresOnly, why: 'SELECT INTO creates a table', error: 'sql' },

  // Table-valued functions
  { sql: "SELECT * FROM pragma_table_info('users')", dialects: sqliteOnly, why: 'PRAGMA as a table function', error: 'sql' },
  { sql: "SELECT * FROM json_each('[1, 2]')", dialects: sqliteOnly, why: 'table-valued function', error: 'sql' },
  { sql: 'SELECT * FROM generate_series(1, 3)', dialects: postgresOnly, why: 'set-returning function in FROM', error: 'sql' },

  // Dangerous functions
  { sql: "SELECT load_extension('/tmp/evil.so')", dialects: sqliteOnly, why: 'loads native code', error: 'sql' },
  { sql: "SELECT readfile('/etc/passwd')", dialects: sqliteOnly, why: 'reads files', error: 'sql' },
  { sql: "SELECT writefile('/tmp/x', name) FROM users", dialects: sqliteOnly, why: 'writes files', error: 'sql' },
  { sql: "SELECT fts3_tokenizer('simple')", dialects: sqliteOnly, why: 'leaks a pointer', error: 'sql' },
  { sql: "SELECT id FROM users WHERE name = \"LOAD_EXTENSION\"('x')", dialects: sqliteOnly, why: 'quoted and upper case', error: 'sql' },
  { sql: "SELECT pg_read_file('/etc/passwd')", dialects: postgresOnly, why: 'reads files', error: 'sql' },
  { sql: 'SELECT id FROM users WHERE id = 1 AND pg_sleep(10) IS NOT NULL', dialects: postgresOnly, why: 'stalls the connection', error: 'sql' },
  { sql: 'SELECT pg_catalog.pg_sleep(1)', dialects: postgresOnly, why: 'schema-qualified', error: 'sql' },
  { sql: "SELECT lo_import('/etc/passwd')", dialects: postgresOnly, why: 'large objects read files', error: 'sql' },
  { sql: "SELECT dblink('host=evil', 'SELECT 1')", dialects: postgresOnly, why: 'another database', error: 'sql' },
  { sql: "SELECT current_setting('data_directory')", dialects: postgresOnly, why: 'server settings', error: 'sql' },
  { sql: "SELECT set_config('search_path', 'evil', false)", dialects: postgresOnly, why: 'changes the session', error: 'sql' },
  { sql: "SELECT query_to_xml('SELECT * FROM secrets', true, true, '')", dialects: postgresOnly, why: 'runs SQL text of its own', error: 'sql' },
  { sql: "SELECT 'secrets'::regclass", dialects: postgresOnly, why: 'catalog lookup by cast', error: 'sql' },
  { sql: "SELECT regclass('secrets')", dialects: postgresOnly, why: 'catalog lookup by a function-style cast', error: 'sql' },
  { sql: "SELECT obj_description('secrets'::text::oid)", dialects: postgresOnly, why: 'catalog comments (and a cast to oid)', error: 'sql' },
  { sql: "SELECT obj_description(1)", dialects: postgresOnly, why: 'catalog comments by OID', error: 'sql' },
  { sql: "SELECT brin_summarize_new_values('secrets_pkey')", dialects: postgresOnly, why: "changes another table's index", error: 'sql' },
  { sql: "SELECT to_regclass('secrets')", dialects: postgresOnly, why: 'catalog lookup by name', error: 'sql' },
  { sql: 'SELECT txid_current()', dialects: postgresOnly, why: 'transaction ids', error: 'sql' },
  { sql: 'SELECT generate_series(1, 100000000)', dialects: postgresOnly, why: 'runaway set-returning function in the SELECT list', error: 'sql' },
  { sql: 'SELECT id FROM users WHERE has_table_privilege($1, $2)', dialects: postgresOnly, why: 'privilege probe', error: 'sql' },
  { sql: 'SELECT pg_sleep(10)', dialects: postgresOnly, why: 'stalls the connection', error: 'sql' },
  { sql: "SELECT lo_export(1, '/tmp/x')", dialects: postgresOnly, why: 'large objects write files', error: 'sql' },
  { sql: "SELECT dblink_exec('host=evil', 'DROP TABLE users')", dialects: postgresOnly, why: 'another database', error: 'sql' },
  { sql: 'SELECT id::oid FROM users', dialects: postgresOnly, why: 'a cast to a catalog type', error: 'sql' },
  { sql: 'SELECT my_own_function(id) FROM users', dialects: postgresOnly, why: 'a function outside the allow-list, existing or not', error: 'sql' },
  { sql: "SELECT id FROM users WHERE 'x' IN 'secrets'", dialects: sqliteOnly, why: 'IN with a quoted table name reads that table', error: 'sql' },
  { sql: 'SELECT id FROM users WHERE (1, 2) IN "secrets"', dialects: sqliteOnly, why: 'row value IN a table', error: 'sql' },
  { sql: "UPDATE users SET score = 1 WHERE 'a' NOT IN 'pragma_table_list'", dialects: sqliteOnly, why: 'IN a table driving an UPDATE', error: 'sql' },

  // What the parser and the database would read differently
  { sql: "SELECT '\\', (SELECT value FROM secrets), '\\' FROM users", dialects: both, why: 'backslash before a quote', error: 'sql' },
  { sql: "SELECT $$ ' $$ FROM users", dialects: postgresOnly, why: 'dollar quoting', error: 'sql' },
  { sql: 'SELECT name FROM users WHERE id = :id OR id = @id', dialects: both, why: 'named parameters, which SQLite lexes in its own way', error: 'sql' },
  { sql: 'SELECT * FROM users WHERE', dialects: both, why: 'unparseable', error: 'sql' },
  { sql: "'; DROP TABLE users; --", dialects: both, why: 'injection residue', error: 'sql' },
];

export const legitimateStatements: LegitimateStatement[] = [
  // SQLite: `?` placeholders
  { sql: 'SELECT id, name FROM users WHERE id = ?', dialects: sqliteOnly, params: [1], expectedTables: [USERS] },
  {
    sql: 'SELECT u.name, o.total FROM users u JOIN orders o ON o.user_id = u.id WHERE o.total > ? ORDER BY o.total DESC LIMIT ? OFFSET ?',
    dialects: sqliteOnly,
    params: [10, 5, 0],
    expectedTables: [USERS, ORDERS],
  },
  {
    sql: `SELECT users.id, users."userId", "users"."score" FROM users WHERE users.name = 'it''s -- not a comment /* nor this */ ?' AND users.score >= ?`,
    dialects: sqliteOnly,
    params: [0],
    expectedTables: [USERS],
  },
  { sql: 'select ID, Name from USERS where NAME like ?', dialects: sqliteOnly, params: ['a%'], expectedTables: [USERS] },
  {
    sql: 'SELECT user_id, COUNT(*) AS n, SUM(total) AS revenue FROM orders GROUP BY user_id HAVING SUM(total) > ? ORDER BY revenue DESC',
    dialects: sqliteOnly,
    params: [0],
    expectedTables: [ORDERS],
  },
  {
    sql: 'WITH big AS (SELECT user_id FROM orders WHERE total > ?) SELECT name FROM users WHERE id IN (SELECT user_id FROM big)',
    dialects: sqliteOnly,
    params: [100],
    expectedTables: [USERS, ORDERS],
  },
  { sql: 'WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < ?) SELECT x FROM n', dialects: sqliteOnly, params: [5], expectedTables: [] },
  { sql: 'SELECT CASE WHEN score > ? THEN ? ELSE ? END AS level FROM users', dialects: sqliteOnly, params: [5, 'high', 'low'], expectedTables: [USERS] },
  { sql: 'SELECT u.id, a.action FROM users AS u LEFT JOIN audit AS a ON a.id = u.id WHERE u."userId" = ?', dialects: sqliteOnly, params: ['u1'], expectedTables: [USERS, AUDIT] },
  { sql: 'SELECT id FROM main.users WHERE id IN (?, ?, ?)', dialects: sqliteOnly, params: [1, 2, 3], expectedTables: [USERS] },
  { sql: 'INSERT INTO users (name, "userId", score) VALUES (?, ?, ?)', dialects: sqliteOnly, params: ['ann', 'u1', 3], expectedTables: [USERS] },
  { sql: 'INSERT INTO audit (action) VALUES (?) RETURNING id, action', dialects: sqliteOnly, params: ['login'], expectedTables: [AUDIT] },
  { sql: 'INSERT INTO orders (user_id, total) SELECT id, ? FROM users WHERE score > ?', dialects: sqliteOnly, params: [0, 1], expectedTables: [ORDERS, USERS] },
  { sql: 'INSERT OR REPLACE INTO users (id, name) VALUES (?, ?)', dialects: sqliteOnly, params: [1, 'bob'], expectedTables: [USERS] },
  { sql: 'UPDATE users SET score = score + ? WHERE id = ?', dialects: sqliteOnly, params: [1, 1], expectedTables: [USERS] },
  {
    sql: 'UPDATE orders SET total = (SELECT MAX(score) FROM users) WHERE id = ? RETURNING id, total',
    dialects: sqliteOnly,
    params: [1],
    expectedTables: [ORDERS, USERS],
  },
  { sql: 'DELETE FROM orders WHERE user_id IN (SELECT id FROM users WHERE score < ?)', dialects: sqliteOnly, params: [0], expectedTables: [ORDERS, USERS] },

  // Literals, bound per shape (SQLite) or put back (PostgreSQL)
  {
    sql: "SELECT u.name, o.total, 'tag' AS tag, 1.5 AS ratio FROM users u JOIN orders o ON o.user_id = u.id WHERE o.total > 10 AND u.name <> 'it''s' AND x'00' IS NOT NULL ORDER BY 2 DESC, 1 LIMIT 5",
    dialects: sqliteOnly,
    expectedTables: [USERS, ORDERS],
  },
  { sql: "SELECT 'a', 1, 2.5, -3 FROM users GROUP BY 1 ORDER BY 1", dialects: both, expectedTables: [USERS] },
  { sql: "INSERT INTO audit (action) VALUES ('literal'), ('it''s')", dialects: both, expectedTables: [AUDIT] },
  { sql: "UPDATE users SET score = score + 1, name = 'x' WHERE id = 2 AND name LIKE 'b%'", dialects: both, expectedTables: [USERS] },
  { sql: "SELECT id FROM users WHERE score BETWEEN 1 AND 10 AND name IN ('ann', 'bob')", dialects: both, expectedTables: [USERS] },
  { sql: "SELECT id FROM users WHERE name = 'a' AND CAST(score AS varchar(10)) = '5'", dialects: both, expectedTables: [USERS] },
  { sql: "SELECT lower(name), coalesce(score, 0), now() IS NOT NULL AS ok, gen_random_uuid() IS NOT NULL AS has_id FROM users", dialects: postgresOnly, expectedTables: [USERS] },
  { sql: "SELECT jsonb_build_object('n', name) ->> 'n', score::numeric(10,2), date_trunc('day', now()) FROM users", dialects: postgresOnly, expectedTables: [USERS] },

  // Both dialects: no parameters
  { sql: '-- a comment first\nSELECT /* and inline */ COUNT(*) AS n FROM users', dialects: both, expectedTables: [USERS] },
  { sql: 'SELECT name FROM users UNION SELECT action FROM audit ORDER BY 1', dialects: both, expectedTables: [USERS, AUDIT] },
  { sql: 'SELECT id FROM users WHERE id IN (SELECT user_id FROM orders WHERE total > (SELECT AVG(total) FROM orders))', dialects: both, expectedTables: [USERS, ORDERS] },
  { sql: 'SELECT u.id, (SELECT COUNT(*) FROM orders o WHERE o.user_id = u.id) AS order_count FROM users u', dialects: both, expectedTables: [USERS, ORDERS] },
  { sql: 'SELECT u.id FROM users u WHERE EXISTS (SELECT 1 FROM orders WHERE orders.user_id = u.id)', dialects: both, expectedTables: [USERS, ORDERS] },
  { sql: 'SELECT COUNT(DISTINCT name), MIN(score), MAX(score), COALESCE(SUM(score), 0) FROM users', dialects: both, expectedTables: [USERS] },
  // node-sql-parser's SQLite grammar wants PARTITION BY in a window
  { sql: 'SELECT id, ROW_NUMBER() OVER (PARTITION BY name ORDER BY score DESC) AS position FROM users', dialects: both, expectedTables: [USERS] },
  { sql: 'WITH users AS (SELECT user_id AS id FROM orders) SELECT id FROM users', dialects: both, expectedTables: [ORDERS] },
  { sql: 'WITH big AS (SELECT user_id AS id FROM orders) SELECT id FROM big UNION SELECT id + 1 FROM big', dialects: both, expectedTables: [ORDERS] },
  { sql: 'SELECT id FROM users; SELECT id FROM orders', dialects: both, expectedTables: [USERS, ORDERS] },

  // PostgreSQL: `$n` placeholders, case folding, its own syntax
  { sql: 'SELECT id, name FROM users WHERE id = $1', dialects: postgresOnly, params: [1], expectedTables: [USERS] },
  {
    sql: 'SELECT u.name, o.total FROM users u JOIN orders o ON o.user_id = u.id WHERE o.total > $1 ORDER BY o.total DESC NULLS LAST LIMIT $2 OFFSET $3',
    dialects: postgresOnly,
    params: [10, 5, 0],
    expectedTables: [USERS, ORDERS],
  },
  {
    sql: 'SELECT U."userId" AS "userId", U.Score AS Score FROM Users U WHERE U."userId" = $1 ORDER BY Score',
    dialects: postgresOnly,
    params: ['u1'],
    expectedTables: [USERS],
  },
  { sql: 'SELECT Total FROM (SELECT SUM(total) AS Total FROM orders) AS Sums ORDER BY Total', dialects: postgresOnly, expectedTables: [ORDERS] },
  { sql: 'WITH Big AS (SELECT user_id FROM orders) SELECT * FROM big', dialects: postgresOnly, expectedTables: [ORDERS] },
  { sql: 'SELECT public.users.id FROM public.users WHERE id = ANY($1)', dialects: postgresOnly, params: [[1, 2]], expectedTables: [USERS] },
  { sql: 'SELECT name FROM users INTERSECT SELECT action FROM audit EXCEPT SELECT $1', dialects: postgresOnly, params: ['x'], expectedTables: [USERS, AUDIT] },
  { sql: 'SELECT COUNT(*) FILTER (WHERE score > $1) AS high, score::text FROM users GROUP BY score', dialects: postgresOnly, params: [1], expectedTables: [USERS] },
  {
    sql: 'INSERT INTO users (id, name, "userId") VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET name = excluded.name RETURNING id, "userId"',
    dialects: postgresOnly,
    params: [1, 'ann', 'u1'],
    expectedTables: [USERS],
  },
  {
    sql: 'UPDATE users SET score = o.total FROM orders o WHERE o.user_id = users.id AND users.id = $1 RETURNING users.id',
    dialects: postgresOnly,
    params: [1],
    expectedTables: [USERS, ORDERS],
  },
  { sql: 'DELETE FROM audit WHERE id IN (SELECT id FROM audit ORDER BY id LIMIT $1) RETURNING id', dialects: postgresOnly, params: [10], expectedTables: [AUDIT] },
];
