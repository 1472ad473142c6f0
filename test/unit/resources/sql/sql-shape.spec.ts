import { createRequire } from 'node:module';
import { ResourcePolicy } from '../../../../lib/resources/resource-policy.js';
import { SqlGuard } from '../../../../lib/resources/sql/sql-guard.js';
import { shapeSql } from '../../../../lib/resources/sql/sql-shape.js';
import { PG_URL, POSTGRES_SKIPPED } from '../../../support/test-databases.js';
import { loadPostgresParser } from '../../../../lib/resources/sql/postgres/load-postgres-parser.js';

/** The part of better-sqlite3 this suite uses; the project has no type declarations for it. */
interface SqliteDatabase {
  exec(sql: string): void;
  prepare(sql: string): { readonly reader: boolean; all(...params: unknown[]): unknown[]; run(...params: unknown[]): unknown };
  close(): void;
}
const require = createRequire(import.meta.url);
const Database = require('better-sqlite3') as new (filename: string) => SqliteDatabase;

/** `t` maps to itself, so the original text runs on the same database as the rewritten one. */
const policy = new ResourcePolicy('my-plugin', { name: 'my-plugin', allowedTables: ['t'] }, { tableNameMap: { t: 't' } });
const SCHEMA = `CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, score INTEGER);
  INSERT INTO t (name, score) VALUES ('ann', 3), ('bob', 7), ('it''s', 2), ('cy', 7);`;

// PostgreSQL guards need the parser, which a host loads with SqlGuard.open.
beforeAll(() => loadPostgresParser());

describe('shapeSql', () => {
  it('replaces strings, numbers and blobs with markers, and keeps what each binds to', () => {
    const shape = shapeSql(`SELECT a FROM t WHERE b = 'it''s' AND c > 10 AND d < 1.5e3 AND e = x'0aFF' AND f = ?`, 'sqlite')!;
    expect(shape.text).toBe(
      'SELECT a FROM t WHERE b =  :SQL_GUARD_LITERAL_0  AND c >  :SQL_GUARD_LITERAL_1  AND d <  :SQL_GUARD_LITERAL_2  AND e =  :SQL_GUARD_LITERAL_3  AND f = ?',
    );
    expect(shape.literals.map(({ text, value }) => ({ text, value }))).toEqual([
      { text: "'it''s'", value: "it's" },
      { text: '10', value: 10n },
      { text: '1.5e3', value: 1500 },
      { text: "x'0aFF'", value: Buffer.from([0x0a, 0xff]) },
    ]);
    expect(shape.positionalCount).toBe(1);
  });

  it('gives the same shape for other values', () => {
    expect(shapeSql("SELECT a FROM t WHERE b = 'x' AND c = 1", 'sqlite')!.text).toBe(shapeSql("SELECT a FROM t WHERE b = 'yy' AND c = 22", 'sqlite')!.text);
  });

  it('leaves quoted identifiers, comments, numbered parameters and glued prefixes as written', () => {
    const sql = `SELECT "a 1", [b 2], \`c 3\` /* 4 '5' */ -- 6\n FROM t1 WHERE x = ?7 AND y = 0x1F AND z = E'8' AND w = 99999999999999999999 AND v = x'abc'`;
    expect(shapeSql(sql, 'sqlite')).toEqual({ text: sql, literals: [], firstMarker: 1, positionalCount: 0 });
  });

  it('numbers PostgreSQL markers past the highest $n of the caller', () => {
    const shape = shapeSql("SELECT a FROM t WHERE b = $3 AND c = 'x' AND d = $1", 'postgresql')!;
    expect(shape.text).toBe('SELECT a FROM t WHERE b = $3 AND c =  $4  AND d = $1');
    expect(shape.firstMarker).toBe(4);
  });

  it('has no shape for text that names the markers itself', () => {
    expect(shapeSql('SELECT :sql_guard_literal_0 FROM t', 'sqlite')).toBeUndefined();
    expect(shapeSql('SELECT "SQL_GUARD_LITERAL_0" FROM t', 'postgresql')).toBeUndefined();
  });
});

/**
 * Each statement runs as written on one database and as the guard prepares it on an identical
 * one: rows (with column names) and the table afterwards must be the same. `bound` is how many
 * literals must be bound as parameters rather than put back in the text.
 */
const SQLITE_CASES: { sql: string; bound: number }[] = [
  { sql: "SELECT 'a', 1, 2.5, -3, x'00' FROM t", bound: 0 },
  { sql: 'SELECT name FROM t ORDER BY 1 DESC', bound: 0 },
  { sql: 'SELECT score, COUNT(*) FROM t GROUP BY 1 ORDER BY 2 DESC, 1', bound: 0 },
  { sql: "SELECT * FROM (SELECT 'x', 1 + 1)", bound: 0 },
  { sql: "WITH c AS (SELECT 'x', 7) SELECT * FROM c", bound: 0 },
  { sql: "SELECT name FROM t UNION SELECT 'zz' ORDER BY 1", bound: 0 },
  { sql: "SELECT 'a' || 'b' FROM t UNION SELECT 'zz' ORDER BY 'a' || 'b'", bound: 0 },
  { sql: 'SELECT name, score / 2 AS half, score / 2.0 AS exact FROM t WHERE score > 2', bound: 3 },
  { sql: "SELECT id FROM t WHERE typeof(5) = 'integer' AND typeof(5.0) = 'real' AND typeof(x'ab') = 'blob' AND 10 / 4 = 2", bound: 9 },
  { sql: "SELECT name FROM t WHERE name LIKE 'b%' OR name = 'it''s' ORDER BY id LIMIT 1 OFFSET 1", bound: 4 },
  { sql: 'SELECT name FROM t WHERE likelihood(score > 2, 0.5) ORDER BY id', bound: 0 },
  { sql: 'SELECT name, ROW_NUMBER() OVER (PARTITION BY score > 2 ORDER BY name) AS n FROM t', bound: 0 },
  { sql: "INSERT INTO t (name, score) VALUES ('new', 9) RETURNING id, 'lit', score + 1 AS next", bound: 3 },
  { sql: "UPDATE t SET score = score + 1 WHERE name = 'it''s' RETURNING score", bound: 2 },
  { sql: 'DELETE FROM t WHERE score = 7', bound: 1 },
];

describe('literals on a real SQLite: bound where that keeps the meaning, put back elsewhere', () => {
  const guard = new SqlGuard('sqlite');
  let written: SqliteDatabase;
  let prepared: SqliteDatabase;

  beforeEach(() => {
    written = new Database(':memory:');
    prepared = new Database(':memory:');
    written.exec(SCHEMA);
    prepared.exec(SCHEMA);
  });

  afterEach(() => {
    written.close();
    prepared.close();
  });

  const run = (db: SqliteDatabase, sql: string, params: readonly unknown[] = []) => {
    const statement = db.prepare(sql);
    return statement.reader ? statement.all(...params) : statement.run(...params);
  };

  it.each(SQLITE_CASES)('$sql', ({ sql, bound }) => {
    const [statement] = guard.prepare(sql, policy);
    expect(statement!.params).toHaveLength(bound);
    expect(run(prepared, statement!.sql, statement!.params)).toEqual(run(written, sql));
    expect(run(prepared, 'SELECT * FROM t ORDER BY id')).toEqual(run(written, 'SELECT * FROM t ORDER BY id'));
  });

  it('runs one text for every value of a bound literal', () => {
    const [first] = guard.prepare("SELECT id FROM t WHERE name = 'ann' AND score > 1", policy);
    const [second] = guard.prepare("SELECT id FROM t WHERE name = 'bob' AND score > 5", policy);
    expect(second!.sql).toBe(first!.sql);
    expect(run(prepared, second!.sql, second!.params)).toEqual([{ id: 2 }]);
  });

  it("merges bound literals with the caller's ? in text order", () => {
    const [statement] = guard.prepare("SELECT id FROM t WHERE score > ? AND name <> 'cy' AND id < ?", policy, [2, 10]);
    expect(statement!.params).toEqual([2, 'cy', 10]);
    expect(run(prepared, statement!.sql, statement!.params)).toEqual(run(written, "SELECT id FROM t WHERE score > ? AND name <> 'cy' AND id < ?", [2, 10]));
  });
});

/** PostgreSQL puts every literal back; the rows must be those of the text as written. */
const POSTGRES_CASES = [
  "SELECT 'a', 1, 2.5, -3 FROM t ORDER BY 1",
  'SELECT score, COUNT(*) FROM t GROUP BY 1 ORDER BY 2 DESC, 1',
  "SELECT name FROM t WHERE name LIKE 'b%' OR name = 'it''s' ORDER BY id LIMIT 1 OFFSET 1",
  "SELECT name, score / 2 AS half, score::numeric(10,2) / 2.0 AS exact FROM t WHERE score > 2 ORDER BY id",
  "SELECT jsonb_build_object('n', name) ->> 'n' AS n, coalesce(score, 0) FROM t WHERE id = $1",
];

const describePostgres = PG_URL ? describe : describe.skip;
describePostgres('literals on PostgreSQL: put back where they were', () => {
  const guard = new SqlGuard('postgresql');
  const schema = `sql_shape_${process.pid}`;
  let client: { query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>; end(): Promise<void> };

  beforeAll(async () => {
    const { Client } = require('pg') as { Client: new (options: { connectionString?: string }) => typeof client & { connect(): Promise<void> } };
    const connected = new Client({ connectionString: PG_URL });
    await connected.connect();
    client = connected;
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(`SET search_path TO ${schema}`);
    await client.query(`CREATE TABLE t (id SERIAL PRIMARY KEY, name TEXT, score INTEGER)`);
    await client.query(`INSERT INTO t (name, score) VALUES ('ann', 3), ('bob', 7), ('it''s', 2), ('cy', 7)`);
  });

  afterAll(async () => {
    await client?.query(`DROP SCHEMA ${schema} CASCADE`);
    await client?.end();
  });

  it.each(POSTGRES_CASES)('%s', async (sql) => {
    const params = sql.includes('$1') ? [2] : [];
    const [statement] = guard.prepare(sql, policy, params);
    expect(statement!.params).toEqual(params);
    expect((await client.query(statement!.sql, [...statement!.params])).rows).toEqual((await client.query(sql, params)).rows);
  });
});

if (!PG_URL) {
  describe.skip(POSTGRES_SKIPPED, () => {
    it('puts literals back on PostgreSQL', () => undefined);
  });
}
