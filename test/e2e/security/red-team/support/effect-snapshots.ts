import { readdir } from 'node:fs/promises';
import type { DataSource } from 'typeorm';
import { CLUSTER_WIDE, type EffectSnapshot } from './escape-judge.js';

/** The canaries on SQLite: the victim's and the host's rows. */
export async function sqliteSnapshot(admin: DataSource, directories: readonly string[]): Promise<EffectSnapshot> {
  const canaries = await serialise(admin, [
    `SELECT id, secret FROM "victim_secrets" ORDER BY id`,
    `SELECT id, owner, secret FROM "host_accounts" ORDER BY id`,
  ]);
  const schema: { type: string; name: string; tbl_name: string }[] = await admin.query(`SELECT type, name, tbl_name FROM sqlite_master`);
  const databases: { name: string; file: string }[] = await admin.query(`PRAGMA database_list`);
  const objects = [
    // Its own table and its indexes are the attacker's business; a trigger there runs in others' statements.
    ...schema.filter((row) => !(row.type !== 'trigger' && row.tbl_name === 'attacker_notes')).map((row) => `${row.type}:${row.name}`),
    ...databases.map((row) => `database:${row.name}:${row.file}`),
  ];
  return { canaries, objects: objects.sort(), files: await listDirectories(directories) };
}

/** The canaries on PostgreSQL: rows, another schema's table, a comment and a function body. */
export async function postgresSnapshot(admin: DataSource, directories: readonly string[]): Promise<EffectSnapshot> {
  const canaries = await serialise(admin, [
    `SELECT id, secret FROM public.victim_secrets ORDER BY id`,
    `SELECT id, owner, secret FROM public.host_accounts ORDER BY id`,
    `SELECT secret FROM vault.secrets ORDER BY secret`,
    `SELECT obj_description('public.victim_secrets'::regclass, 'pg_class') AS comment`,
    `SELECT prosrc FROM pg_proc WHERE proname = 'host_secret'`,
  ]);
  const rows: { object: string }[] = await admin.query(`
    SELECT 'relation:' || n.nspname || '.' || c.relname || ':' || c.relkind::text AS object
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
       AND NOT (n.nspname = 'public' AND c.relname IN ('attacker_notes', 'attacker_notes_id_seq'))
       AND NOT (c.relkind = 'i' AND EXISTS (SELECT 1 FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
                                              WHERE i.indexrelid = c.oid AND t.relname = 'attacker_notes'))
    UNION ALL SELECT 'schema:' || nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg_temp%' AND nspname NOT LIKE 'pg_toast_temp%'
    UNION ALL SELECT '${CLUSTER_WIDE}' || rolname FROM pg_roles
    UNION ALL SELECT 'function:' || n.nspname || '.' || p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
    UNION ALL SELECT 'trigger:' || tgname FROM pg_trigger WHERE NOT tgisinternal
    UNION ALL SELECT 'event-trigger:' || evtname FROM pg_event_trigger
    UNION ALL SELECT 'rule:' || rulename FROM pg_rules
    UNION ALL SELECT 'policy:' || policyname FROM pg_policies
    UNION ALL SELECT 'extension:' || extname FROM pg_extension
    UNION ALL SELECT 'large-object:' || oid::text FROM pg_largeobject_metadata
    UNION ALL SELECT 'publication:' || pubname FROM pg_publication`);
  return { canaries, objects: rows.map((row) => row.object).sort(), files: await listDirectories(directories) };
}

/** The rows of each query, or why it failed (a canary table that is gone is an effect too). */
async function serialise(admin: DataSource, queries: readonly string[]): Promise<string> {
  const parts: string[] = [];
  for (const query of queries) {
    try {
      parts.push(JSON.stringify(await admin.query(query)));
    } catch (error) {
      parts.push(`unreadable: ${(error as Error).message}`);
    }
  }
  return parts.join('\n');
}

async function listDirectories(directories: readonly string[]): Promise<string[]> {
  const entries: string[] = [];
  for (const directory of directories) {
    const names = await readdir(directory).catch(() => [] as string[]);
    entries.push(...names.map((name) => `${directory}/${name}`));
  }
  return entries.sort();
}
