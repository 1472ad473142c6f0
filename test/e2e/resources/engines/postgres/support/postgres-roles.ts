import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { PG_URL } from '../../../../../support/test-databases.js';

export { dropPluginRoles } from '../../../../../support/test-databases.js';

/** Runs statements on one database of the test server, as the superuser unless `user` says otherwise. */
export async function queryDatabase<R = Record<string, unknown>>(database: string, sql: string, params: unknown[] = [], user?: string): Promise<R[]> {
  const url = new URL(PG_URL!);
  url.pathname = `/${database}`;
  if (user !== undefined) url.username = user;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as R[];
  } finally {
    await client.end();
  }
}

/** The database a connection URL names. */
export function databaseNameOf(url: string): string {
  return new URL(url).pathname.slice(1);
}

/** The operator script of docs/postgres-roles.md, for one plugin and host role: the test runs what the operator would. */
export async function operatorScript(plugin: string, hostRole: string): Promise<string> {
  const guide = await readFile(join(process.cwd(), 'docs', 'postgres-roles.md'), 'utf8');
  const script = /```sql\n(-- operator script[\s\S]*?)```/.exec(guide)?.[1];
  if (script === undefined) throw new Error('docs/postgres-roles.md has no operator script');
  return script.replace("plugin    text := 'my-plugin'", `plugin    text := '${plugin}'`).replace("host_role text := 'app'", `host_role text := '${hostRole}'`);
}
