import { createRequire } from 'node:module';
import { findProgramRefusal, type ProgramObjects } from '../../../../../lib/resources/engines/sqlite/program-access.js';
import { isBoundedProgram } from '../../../../../lib/resources/engines/sqlite/program-cost.js';
import type { SqliteConnection } from '../../../../../lib/resources/engines/sqlite/sqlite-connection.js';
import type { ProgramStep } from '../../../../../lib/resources/engines/sqlite/sqlite-program.js';

const Database = createRequire(import.meta.url)('better-sqlite3') as new (file: string) => SqliteConnection;

/** Programs as SQLite compiles them, over a schema of "own" tables and one "secrets" table. */
const db = new Database(':memory:');
db.exec(`
  CREATE TABLE own (id INTEGER PRIMARY KEY, label TEXT, owner_id INTEGER);
  CREATE INDEX own_owner ON own (owner_id);
  CREATE TABLE other (id INTEGER PRIMARY KEY, own_id INTEGER, note TEXT);
  CREATE INDEX other_own ON other (own_id);
  CREATE TABLE secrets (token TEXT);
`);
const roots = new Map(
  (db.prepare('SELECT rootpage, tbl_name FROM sqlite_schema WHERE rootpage > 0').all() as { rootpage: number; tbl_name: string }[]).map((row) => [
    row.rootpage,
    row.tbl_name,
  ]),
);
const objects: ProgramObjects = { tableAt: (root) => roots.get(root), allows: (table) => table === 'own' || table === 'other' };

function program(sql: string, ...params: unknown[]): ProgramStep[] {
  return db.prepare(`EXPLAIN ${sql}`).all(...params) as ProgramStep[];
}

describe('findProgramRefusal', () => {
  it.each([
    'SELECT id, upper(label) FROM own WHERE id = ?',
    'SELECT o.label, x.note FROM own o JOIN other x ON x.own_id = o.id',
    'UPDATE own SET label = lower(label) WHERE owner_id = 3',
    'DELETE FROM own',
    'SELECT count(*), group_concat(label), json_group_array(id) FROM own',
    "SELECT label ->> '$.a', row_number() OVER (ORDER BY id) FROM own",
  ])('lets a program on the own tables with ordinary functions through: %s', (sql) => {
    expect(findProgramRefusal(program(sql, ...(sql.includes('?') ? [1] : [])), objects)).toBeUndefined();
  });

  it.each([
    [`SELECT id FROM own WHERE 'x' IN secrets`, 'secrets'],
    [`SELECT id FROM own WHERE 'x' IN 'secrets'`, 'secrets'],
    [`SELECT id FROM own WHERE ('a', 'b') IN (SELECT token, token FROM secrets)`, 'secrets'],
    [`UPDATE own SET label = 'hit' WHERE 'x' IN "SECRETS"`, 'secrets'],
    [`SELECT id FROM own WHERE ('table', 'own', 'own', 2, '') IN sqlite_master`, 'sqlite_schema'],
  ])('names the table a program opens outside the allow-list: %s', (sql, name) => {
    expect(findProgramRefusal(program(sql), objects)).toEqual({ kind: 'table', name });
  });

  it.each([
    [`SELECT sqlite_version() FROM own`, 'sqlite_version'],
    [`SELECT last_insert_rowid()`, 'last_insert_rowid'],
    [`SELECT changes()`, 'changes'],
  ])('refuses functions outside the allow-list: %s', (sql, name) => {
    expect(findProgramRefusal(program(sql), objects)).toEqual({ kind: 'function', name });
  });

  it('refuses virtual tables and table-valued functions, and operations outside the data-access list', () => {
    expect(findProgramRefusal(program(`SELECT id FROM own WHERE 'own' IN (SELECT name FROM pragma_table_list)`), objects)).toEqual({ kind: 'operation', opcode: 'VOpen' });
    expect(findProgramRefusal(program(`SELECT value FROM json_each('[1]')`), objects)).toEqual({ kind: 'operation', opcode: 'VOpen' });
    expect(findProgramRefusal(program(`VACUUM INTO 'copy.db'`), objects)).toMatchObject({ kind: 'operation' });
    expect(findProgramRefusal(program(`PRAGMA journal_mode = DELETE`), objects)).toMatchObject({ kind: 'operation' });
  });

  it('refuses b-trees outside main, the schema page, and root pages chosen at run time (hand-written rows)', () => {
    const step = (opcode: string, p2: number, p3 = 0, p5 = 0): ProgramStep => ({ addr: 0, opcode, p1: 0, p2, p3, p4: null, p5 });
    const ownRoot = [...roots].find(([, table]) => table === 'own')![0];
    expect(findProgramRefusal([step('OpenRead', ownRoot)], objects)).toBeUndefined();
    expect(findProgramRefusal([step('OpenRead', ownRoot, 1)], objects)).toEqual({ kind: 'table', name: 'sqlite_schema' });
    expect(findProgramRefusal([step('OpenWrite', ownRoot, 0, 0x10)], objects)).toEqual({ kind: 'table', name: 'sqlite_schema' });
    expect(findProgramRefusal([step('OpenRead', 1)], objects)).toEqual({ kind: 'table', name: 'sqlite_schema' });
    expect(findProgramRefusal([step('OpenRead', 999)], objects)).toEqual({ kind: 'table', name: 'sqlite_schema' });
    expect(findProgramRefusal([{ ...step('Transaction', 0), p1: 2 }], objects)).toEqual({ kind: 'table', name: 'sqlite_schema' });
  });
});

describe('isBoundedProgram', () => {
  it.each([
    'SELECT id, label FROM own WHERE id = ?',
    'SELECT label FROM own WHERE owner_id = ?',
    'SELECT x.note, o.label FROM other x JOIN own o ON o.id = x.own_id',
    'SELECT owner_id, count(*) FROM own GROUP BY owner_id ORDER BY 2 DESC LIMIT 10',
    'SELECT id FROM own WHERE id IN (1, 2, 3)',
    "UPDATE own SET label = 'x' WHERE id IN (SELECT own_id FROM other WHERE note = 'n')",
    "INSERT INTO own (label) VALUES ('a'), ('b')",
    "SELECT id || ':' || label || ' (' || owner_id || ')' FROM own WHERE id IN (1, 2, 3)",
    "SELECT concat(label, ' ', label) FROM own",
    'WITH a AS (SELECT label || label AS v FROM own) SELECT length(v) FROM a',
  ])('holds one pass over the rows with look-ups, sorts and once-only sub-queries: %s', (sql) => {
    expect(isBoundedProgram(program(sql, ...(sql.includes('?') ? [1] : [])))).toBe(true);
  });

  it.each([
    'SELECT a.id FROM own a, own b',
    'SELECT a.id FROM own a, own b, own c',
    'SELECT o.label, x.note FROM own o JOIN other x ON x.own_id = o.owner_id',
    'SELECT a.id FROM own a JOIN own b ON a.label = b.label',
    'SELECT (SELECT count(*) FROM other WHERE other.note = own.label) FROM own',
    'WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT n FROM c',
    'WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c LIMIT 100000000) SELECT n FROM c',
    'SELECT id FROM own ORDER BY randomblob(250000000)',
    "SELECT printf('%.*c', 1000000000, 'x') FROM own",
    "SELECT replace(replace(label, 'a', label), 'b', label) FROM own",
    'SELECT hex(hex(hex(label))) FROM own',
    "SELECT id FROM own WHERE label LIKE '%a%a%a%b'",
    "UPDATE own SET label = 'x' WHERE id IN (SELECT a.id FROM own a, own b)",
    // Concatenation that feeds concatenation grows with the chain: 2^k by k chained CTEs.
    'WITH a AS (SELECT label || label AS v FROM own), b AS (SELECT v || v AS v FROM a), c AS (SELECT v || v AS v FROM b), ' +
      'd AS (SELECT v || v AS v FROM c) SELECT length(v) FROM d',
    'WITH a AS MATERIALIZED (SELECT label || label AS v FROM own), b AS MATERIALIZED (SELECT v || v AS v FROM a) SELECT length(v) FROM b',
    'SELECT length(x) FROM (SELECT v || v AS x FROM (SELECT label || label AS v FROM own LIMIT 1) LIMIT 1)',
    `SELECT length(${Array(12).fill('label').join(' || ')}) FROM own`,
    `SELECT length(${Array(9).fill('concat(label, label)').join(' || ')}) FROM own`,
  ])('does not hold rows x rows, queues, or values of a size the caller picks: %s', (sql) => {
    expect(isBoundedProgram(program(sql))).toBe(false);
  });
});
