import { jest } from '@jest/globals';
import { createRequire } from 'node:module';
import { PluginError, SqlNotAllowedError, TableAccessDeniedError } from '../../../../lib/errors/index.js';
import { ResourcePolicy } from '../../../../lib/resources/resource-policy.js';
import { analyzeSql } from '../../../../lib/resources/sql/analyze-sql.js';
import { loadPostgresParser } from '../../../../lib/resources/sql/postgres/load-postgres-parser.js';
import { SqlGuard, sqlDialectOf, type SqlDialect } from '../../../../lib/resources/sql/sql-guard.js';
import { corpusSchema, hostileStatements, legitimateStatements } from './sql-corpus.js';
import type { PreparedStatement } from '../../../../lib/resources/sql/prepared-statement.js';

/** The part of better-sqlite3 this suite uses; the project has no type declarations for it. */
interface SqliteDatabase {
  exec(sql: string): void;
  prepare(sql: string): { readonly reader: boolean; all(...params: unknown[]): unknown[]; run(...params: unknown[]): unknown };
  close(): void;
}
const Database = createRequire(import.meta.url)('better-sqlite3') as new (filename: string) => SqliteDatabase;

const ALLOWED = ['users', 'orders', 'audit'];
const REAL_TABLES = ['my-plugin_users', 'my-plugin_orders', 'shared_audit', 'other-plugin_users', 'secrets'];
const DIALECTS: SqlDialect[] = ['sqlite', 'postgresql'];

function policyFor(allowedTables: string[] = ALLOWED, tableNameMap: Record<string, string> = { audit: 'shared_audit' }): ResourcePolicy {
  return new ResourcePolicy('my-plugin', { name: 'my-plugin', allowedTables }, { tableNameMap });
}

/** The corpus tables a rewritten statement names: real names are always quoted. */
function tablesNamedIn(statements: readonly string[]): string[] {
  const quoted = new Set([...statements.join('\n').matchAll(/"([^"]+)"/g)].map((match) => match[1]!));
  return REAL_TABLES.filter((table) => quoted.has(table));
}

/** Corpus entries for one dialect, with the SQL on one line for test titles. */
function forDialect<T extends { sql: string; dialects: SqlDialect[] }>(entries: T[], dialect: SqlDialect): (T & { title: string })[] {
  return entries.filter((entry) => entry.dialects.includes(dialect)).map((entry) => ({ ...entry, title: entry.sql.replaceAll('\n', ' ') }));
}

function sqlOf(statements: readonly PreparedStatement[]): string[] {
  return statements.map((statement) => statement.sql);
}

function caught(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a denial');
}

describe('SqlGuard', () => {
  beforeAll(() => loadPostgresParser());

  describe.each(DIALECTS)('hostile statements (%s)', (dialect) => {
    const guard = new SqlGuard(dialect);
    const policy = policyFor();

    it.each(forDialect(hostileStatements, dialect))('denies $why: $title', ({ sql, error }) => {
      const denial = caught(() => guard.prepare(sql, policy));
      expect(denial).toBeInstanceOf(error === 'table' ? TableAccessDeniedError : SqlNotAllowedError);
      expect(denial).toHaveProperty('pluginName', 'my-plugin');
    });
  });

  describe('legitimate statements (sqlite), run on a real in-memory SQLite', () => {
    const guard = new SqlGuard('sqlite');
    const policy = policyFor();
    let db: SqliteDatabase;

    beforeAll(() => {
      db = new Database(':memory:');
      for (const statement of corpusSchema.sqlite) db.exec(statement);
      db.exec(`INSERT INTO "my-plugin_users" (id, name, "userId", score) VALUES (1, 'ann', 'u1', 3), (2, 'bob', 'u2', 7)`);
      db.exec(`INSERT INTO "my-plugin_orders" (id, user_id, total) VALUES (1, 1, 120), (2, 2, 15)`);
      db.exec(`INSERT INTO shared_audit (id, action) VALUES (1, 'login')`);
    });

    afterAll(() => db.close());

    it.each(forDialect(legitimateStatements, 'sqlite'))('runs $title', ({ sql, params, expectedTables }) => {
      const statements = guard.prepare(sql, policy, params);
      expect(tablesNamedIn(sqlOf(statements)).sort()).toEqual([...expectedTables].sort());
      for (const statement of statements) {
        const prepared = db.prepare(statement.sql);
        if (prepared.reader) prepared.all(...statement.params);
        else prepared.run(...statement.params);
      }
    });
  });

  describe('legitimate statements (postgresql), rewritten', () => {
    const guard = new SqlGuard('postgresql');

    it.each(forDialect(legitimateStatements, 'postgresql'))('prepares $title', ({ sql, expectedTables }) => {
      expect(tablesNamedIn(sqlOf(guard.prepare(sql, policyFor()))).sort()).toEqual([...expectedTables].sort());
    });
  });

  describe('rewriting', () => {
    it('quotes real names, rewrites qualified columns, leaves the rest as written, and binds literals among the placeholders (SQLite)', () => {
      const sql = `SELECT users.id, "users"."userId", o.total FROM users JOIN orders AS o ON o.user_id = users.id WHERE users.name = 'it''s -- ?' AND o.total > 10 LIMIT ? OFFSET ?`;
      expect(new SqlGuard('sqlite').prepare(sql, policyFor(), [5, 0])).toEqual([
        {
          sql: `SELECT "my-plugin_users".id, "my-plugin_users"."userId", o.total FROM "my-plugin_users" JOIN "my-plugin_orders" AS o ON o.user_id = "my-plugin_users".id WHERE "my-plugin_users".name = ? AND o.total > ? LIMIT ? OFFSET ?`,
          params: ["it's -- ?", 10n, 5, 0],
        },
      ]);
    });

    it('puts PostgreSQL literals back where they were, after the caller\'s $n', () => {
      const sql = `SELECT name FROM users WHERE name = 'it''s $1' AND score > 10 AND id = $2 LIMIT $1`;
      expect(new SqlGuard('postgresql').prepare(sql, policyFor(), [5, 1])).toEqual([
        { sql: `SELECT name FROM "my-plugin_users" WHERE name = 'it''s $1' AND score > 10 AND id = $2 LIMIT $1`, params: [5, 1] },
      ]);
    });

    it('refuses caller parameters that do not match the placeholders once literals are bound among them', () => {
      const denial = caught(() => new SqlGuard('sqlite').prepare("SELECT id FROM users WHERE name = 'a' AND id = ?", policyFor(), []));
      expect(denial.message).toBe('Plugin "my-plugin" may not run this SQL: it has 1 ? placeholders but 0 parameters were given');
    });

    it('uses a mapped name verbatim and drops the default schema', () => {
      expect(sqlOf(new SqlGuard('sqlite').prepare('SELECT action FROM main.audit', policyFor()))).toEqual(['SELECT action FROM "shared_audit"']);
      expect(sqlOf(new SqlGuard('postgresql').prepare('SELECT action FROM public.audit WHERE id = $1', policyFor()))).toEqual([
        'SELECT action FROM "shared_audit" WHERE id = $1',
      ]);
    });

    it('returns one string per statement', () => {
      expect(sqlOf(new SqlGuard('sqlite').prepare('DELETE FROM orders; DELETE FROM users;', policyFor()))).toEqual([
        'DELETE FROM "my-plugin_orders"',
        'DELETE FROM "my-plugin_users"',
      ]);
    });

    it('leaves a CTE named like an allowed table pointing at the CTE', () => {
      expect(sqlOf(new SqlGuard('sqlite').prepare('WITH users AS (SELECT user_id AS id FROM orders) SELECT id FROM users', policyFor()))).toEqual([
        'WITH users AS (SELECT user_id AS id FROM "my-plugin_orders") SELECT id FROM users',
      ]);
    });

    it('keeps PostgreSQL case semantics: the text stays as written, with the real name in place of the table', () => {
      const sql = 'SELECT "userId", userId, score AS Total FROM Users U WHERE U."userId" = $1 ORDER BY Total';
      expect(sqlOf(new SqlGuard('postgresql').prepare(sql, policyFor()))).toEqual([
        'SELECT "userId", userId, score AS Total FROM "my-plugin_users" U WHERE U."userId" = $1 ORDER BY Total',
      ]);
    });

    it('renames a PostgreSQL qualifier spelled like the table, and leaves a quoted one that PostgreSQL reads as another name', () => {
      const sql = 'SELECT USERS.id, "Users".id FROM users WHERE "users".score > 1';
      expect(sqlOf(new SqlGuard('postgresql').prepare(sql, policyFor()))).toEqual([
        'SELECT "my-plugin_users".id, "Users".id FROM "my-plugin_users" WHERE "my-plugin_users".score > 1',
      ]);
    });

    it('locates names after text that is not ASCII (PostgreSQL gives byte locations)', () => {
      const sql = "SELECT 'é—😀' AS label, u.name FROM users u JOIN orders ON orders.user_id = u.id";
      expect(sqlOf(new SqlGuard('postgresql').prepare(sql, policyFor()))).toEqual([
        `SELECT 'é—😀' AS label, u.name FROM "my-plugin_users" u JOIN "my-plugin_orders" ON "my-plugin_orders".user_id = u.id`,
      ]);
    });

    it('leaves a quoted name that is not a table quoted, whatever it holds', () => {
      expect(sqlOf(new SqlGuard('sqlite').prepare('SELECT name COLLATE "nocase FROM secrets --" FROM users', policyFor()))).toEqual([
        'SELECT name COLLATE "nocase FROM secrets --" FROM "my-plugin_users"',
      ]);
    });

    it('leaves SQLite INSERT columns as written', () => {
      expect(sqlOf(new SqlGuard('sqlite').prepare('INSERT INTO users ("order", "userId") VALUES (?, ?)', policyFor()))).toEqual([
        'INSERT INTO "my-plugin_users" ("order", "userId") VALUES (?, ?)',
      ]);
    });
  });

  describe('denials', () => {
    const sqlite = new SqlGuard('sqlite');

    it('names the table and the allow-list, word for word', () => {
      const denial = caught(() => sqlite.prepare('SELECT * FROM users u JOIN secrets s ON s.id = u.id', policyFor()));
      expect(denial).toBeInstanceOf(TableAccessDeniedError);
      expect(denial).toBeInstanceOf(PluginError);
      expect(denial.message).toBe('Plugin "my-plugin" may not access table "secrets" (allowed: users, orders, audit)');
      expect(denial).toMatchObject({ code: 'PLUGIN_TABLE_ACCESS_DENIED', table: 'secrets', allowed: ALLOWED });
    });

    it('names catalogs as written, with their schema', () => {
      expect(caught(() => new SqlGuard('postgresql').prepare('SELECT * FROM pg_catalog.pg_authid', policyFor()))).toHaveProperty(
        'table',
        'pg_catalog.pg_authid',
      );
    });

    it.each([
      ['PRAGMA table_info(users)', 'PRAGMA statements are not allowed'],
      ['SELECT 1; VACUUM', 'VACUUM statements are not allowed'],
      ["ATTACH DATABASE 'x.db' AS x", 'ATTACH statements are not allowed'],
      ['DROP TABLE users', 'DROP statements are not allowed'],
      ['SELECT * FROM users WHERE', 'cannot parse it: unexpected end of input'],
      ['SELECT * FROM users WHERE id = ?1', 'cannot parse it: unexpected "1" on line 1'],
      ['SELECT * FROM temp.users', 'schema "temp" is not allowed; name tables without a schema'],
      ["SELECT * FROM pragma_table_info('users')", 'table-valued functions are not allowed in FROM (pragma_table_info)'],
      ["SELECT load_extension('evil')", 'function load_extension() is not allowed'],
      ['SELECT * FROM users natural JOIN orders', 'NATURAL JOIN is not supported; use JOIN ... ON or USING'],
      ["SELECT 'a\\b' FROM users", 'backslashes are not allowed in SQL text; pass such values as parameters'],
      [' ; ', 'there is no statement to run'],
    ])('refuses %s', (sql, reason) => {
      const denial = caught(() => sqlite.prepare(sql, policyFor()));
      expect(denial).toBeInstanceOf(SqlNotAllowedError);
      expect(denial.message).toBe(`Plugin "my-plugin" may not run this SQL: ${reason}`);
    });
  });

  describe('cache', () => {
    const analyze = jest.fn(analyzeSql);
    const counted = (dialect: SqlDialect, options: { cacheSize?: number } = {}) => new SqlGuard(dialect, { ...options, analyze });

    beforeEach(() => analyze.mockClear());

    it('reads a statement once, then reuses it', () => {
      const guard = counted('sqlite');
      const policy = policyFor();
      const first = guard.prepare('SELECT id FROM users WHERE id = ?', policy);
      expect(analyze).toHaveBeenCalledTimes(1);
      expect(guard.prepare('SELECT id FROM users WHERE id = ?', policy)).toEqual(first);
      expect(analyze).toHaveBeenCalledTimes(1);
    });

    it('reuses the analysis for another policy and rewrites for it', () => {
      const guard = counted('sqlite');
      guard.prepare('SELECT id FROM users', policyFor());
      analyze.mockClear();
      expect(sqlOf(guard.prepare('SELECT id FROM users', policyFor(ALLOWED, { users: 'legacy_users' })))).toEqual(['SELECT id FROM "legacy_users"']);
      expect(analyze).not.toHaveBeenCalled();
      expect(sqlOf(guard.prepare('SELECT id FROM users', policyFor()))).toEqual(['SELECT id FROM "my-plugin_users"']);
    });

    it('denies a narrower policy a statement cached for a wider one', () => {
      const guard = counted('sqlite');
      const sql = 'SELECT u.name, o.total FROM users u JOIN orders o ON o.user_id = u.id';
      guard.prepare(sql, policyFor());
      const denial = caught(() => guard.prepare(sql, policyFor(['users'])));
      expect(denial).toBeInstanceOf(TableAccessDeniedError);
      expect(denial.message).toBe('Plugin "my-plugin" may not access table "orders" (allowed: users)');
    });

    it('caches a refusal once and names whichever plugin asks', () => {
      const guard = counted('sqlite');
      caught(() => guard.prepare('PRAGMA writable_schema = 1', policyFor()));
      const other = new ResourcePolicy('other-plugin', { name: 'other-plugin', allowedTables: ['users'] });
      expect(caught(() => guard.prepare('PRAGMA writable_schema = 1', other)).message).toBe(
        'Plugin "other-plugin" may not run this SQL: PRAGMA statements are not allowed',
      );
      expect(analyze).toHaveBeenCalledTimes(1);
    });

    it('holds at most cacheSize statements, evicting the oldest', () => {
      const guard = counted('sqlite', { cacheSize: 2 });
      const policy = policyFor();
      for (const sql of ['SELECT id FROM users', 'SELECT name FROM users', 'SELECT score FROM users']) guard.prepare(sql, policy);
      analyze.mockClear();
      guard.prepare('SELECT score FROM users', policy);
      expect(analyze).not.toHaveBeenCalled();
      guard.prepare('SELECT id FROM users', policy);
      expect(analyze).toHaveBeenCalledTimes(1);
    });

    it.each(DIALECTS)('analyses a statement once per shape, whatever its literals (%s)', (dialect) => {
      const guard = counted(dialect);
      const policy = policyFor();
      guard.prepare(`SELECT u.name FROM users u JOIN orders o ON o.user_id = u.id WHERE o.total > 1 AND u.name <> 'a'`, policy);
      analyze.mockClear();
      for (let value = 2; value < 50; value++) {
        guard.prepare(`SELECT u.name FROM users u JOIN orders o ON o.user_id = u.id WHERE o.total > ${value} AND u.name <> 'a${value}'`, policy);
      }
      expect(analyze).not.toHaveBeenCalled();
    });

    it('falls back to the text as written when its shape does not parse, and caches that per text', () => {
      const guard = counted('postgresql');
      const policy = policyFor();
      const sql = "SELECT id FROM users WHERE name = 'a'\n'b' AND score = 5";
      expect(sqlOf(guard.prepare(sql, policy))).toEqual([`SELECT id FROM "my-plugin_users" WHERE name = 'a'\n'b' AND score = 5`]);
      analyze.mockClear();
      guard.prepare(sql, policy);
      expect(analyze).not.toHaveBeenCalled();
    });

    it('rejects a cache size that is not a positive integer', () => {
      expect(() => new SqlGuard('sqlite', { cacheSize: 0 })).toThrow(RangeError);
    });
  });

  describe('sqlDialectOf', () => {
    it.each([
      ['better-sqlite3', 'sqlite'],
      ['sqljs', 'sqlite'],
      ['capacitor', 'sqlite'],
      ['postgres', 'postgresql'],
    ])('maps %s to %s', (type, dialect) => {
      expect(sqlDialectOf(type)).toBe(dialect);
    });

    it('throws for a database it does not know, naming it', () => {
      expect(() => sqlDialectOf('mysql')).toThrow('"mysql"');
    });
  });
});
