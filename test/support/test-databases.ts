import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';

export type DatabaseKind = 'sqlite' | 'postgres';

/** The PostgreSQL server the PostgreSQL suites use; `.ci/run` starts one and sets it. */
export const PG_URL = process.env.PG_URL;

/** Every database the table suites run on: SQLite always, PostgreSQL when PG_URL is set. */
export const databaseKinds: DatabaseKind[] = PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];

/** The name of a stand-in test that shows up as skipped when PostgreSQL is not available. */
export const POSTGRES_SKIPPED = 'PostgreSQL suite skipped: PG_URL is not set (.ci/run starts PostgreSQL and sets it)';

/** A database of its own for one suite: a SQLite file, or a new PostgreSQL database dropped afterwards. */
export interface TestDatabase {
  readonly kind: DatabaseKind;
  /** what `TypeOrmModule.forRoot` takes, minus entities */
  readonly connection: { type: 'better-sqlite3'; database: string } | { type: 'postgres'; url: string };
  drop(): Promise<void>;
}

export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  const name = `np_${randomBytes(6).toString('hex')}`;
  if (kind === 'sqlite') {
    const directory = join(process.cwd(), 'test', '.tmp', 'sqlite');
    await mkdir(directory, { recursive: true });
    const file = join(directory, `${name}.sqlite`);
    return { kind, connection: { type: 'better-sqlite3', database: file }, drop: () => rm(file, { force: true }) };
  }
  if (!PG_URL) throw new Error(POSTGRES_SKIPPED);
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const drop = async () => {
    await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await dropPluginRoles(name);
  };
  return { kind, connection: { type: 'postgres', url: url.toString() }, drop };
}

/** Plugin roles are cluster-wide: those made for a dropped database (named in their comment) go with it. */
export async function dropPluginRoles(database: string): Promise<void> {
  const roles = await adminQuery<{ rolname: string }>(
    `SELECT r.rolname FROM pg_roles r JOIN pg_shdescription d ON d.objoid = r.oid AND d.classoid = 'pg_authid'::regclass
     WHERE d.description LIKE $1`,
    [`nestjs-plugins: plugin % in database "${database}"`],
  );
  for (const { rolname } of roles) await adminQuery(`DROP ROLE IF EXISTS "${rolname}"`);
}

async function adminQuery<R = unknown>(sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as R[];
  } finally {
    await client.end();
  }
}
