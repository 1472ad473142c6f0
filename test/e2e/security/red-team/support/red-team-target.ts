import type { INestApplication } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { PluginModule } from 'nestjs-plugins';
import { bootApp } from '../../../support/boot-app.js';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from '../../../../support/test-databases.js';
import { postgresSnapshot, sqliteSnapshot } from './effect-snapshots.js';
import type { EffectSnapshot, JudgeContext } from './escape-judge.js';
import { AttackerPlugin, CANARY_TABLES, HostAccount, VictimPlugin } from './red-team-plugins.js';

/**
 * The plugin's own statement bound. A red-team statement that takes longer than
 * STATEMENT_BOUND_MS was neither refused nor cancelled in time: a sleep got through.
 */
export const SQL_TIMEOUT_MS = 500;
export const STATEMENT_BOUND_MS = SQL_TIMEOUT_MS + 1000;

/** One booted application per engine, seeded with canaries, attacked through the attacker plugin. */
export class RedTeamTarget {
  private constructor(
    readonly kind: DatabaseKind,
    private readonly app: INestApplication,
    private readonly database: TestDatabase | undefined,
    private readonly directory: string,
    readonly admin: DataSource,
    readonly judgeContext: JudgeContext,
    private readonly watched: readonly string[],
    /** a host file holding a canary secret, readable by the database server */
    readonly canaryFile: string,
  ) {}

  static async boot(kind: DatabaseKind): Promise<RedTeamTarget> {
    // A directory of its own: any file VACUUM INTO or ATTACH creates beside the database shows.
    // test/.tmp does not exist in a fresh clone until some suite makes it.
    await mkdir(join(process.cwd(), 'test', '.tmp'), { recursive: true });
    const directory = await mkdtemp(join(process.cwd(), 'test', '.tmp', 'red-team-'));
    const database = kind === 'postgres' ? await createTestDatabase('postgres') : undefined;
    const databaseFile = 'red-team.sqlite';
    const connection = database?.connection ?? { type: 'better-sqlite3' as const, database: join(directory, databaseFile) };
    const app = await bootApp([
      TypeOrmModule.forRoot({ ...connection, entities: [HostAccount], synchronize: true }),
      PluginModule.forRoot({ plugins: [VictimPlugin, AttackerPlugin], sqlTimeoutMs: SQL_TIMEOUT_MS }),
    ]);
    const admin = app.get(DataSource);
    const secrets = await seedCanaries(admin, kind);
    const fileSecret = `cnryfile${randomBytes(8).toString('hex')}`;
    const canaryFile = join(directory, 'host-file.txt');
    await writeFile(canaryFile, `${fileSecret}\n`);
    await chmod(directory, 0o755);
    secrets.push(fileSecret);
    const judgeContext: JudgeContext = {
      secrets,
      canaryTables: [...CANARY_TABLES],
      privateDirectory: directory,
      ownFiles: [databaseFile, 'host-file.txt'],
      boundMs: STATEMENT_BOUND_MS,
    };
    const watched = [directory, process.cwd(), tmpdir()];
    const target = new RedTeamTarget(kind, app, database, directory, admin, judgeContext, watched, canaryFile);
    await target.resetNotes();
    // The first statement may set up what the engine needs (a role, a verifier): not the attacker's doing.
    await target.attack(`SELECT id, name FROM notes`);
    return target;
  }

  /** The attacker plugin's raw SQL door. */
  attack(sql: string): Promise<unknown> {
    return this.app.get(AttackerPlugin).ctx.database.executeQuery(sql);
  }

  /**
   * The same target behind the host's own connection, no guard, no role: the judge's
   * self-check, which must see the escapes the guarded door is expected to prevent.
   */
  unguarded(): RedTeamTarget {
    return Object.assign(Object.create(this) as RedTeamTarget, { attack: (sql: string) => this.admin.query(sql) });
  }

  snapshot(): Promise<EffectSnapshot> {
    return this.kind === 'sqlite' ? sqliteSnapshot(this.admin, this.watched) : postgresSnapshot(this.admin, this.watched);
  }

  /** The attacker may change its own notes: back to two known rows before the next batch. */
  async resetNotes(): Promise<void> {
    const exists = this.kind === 'sqlite'
      ? (await this.admin.query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'attacker_notes'`)).length > 0
      : (await this.admin.query(`SELECT to_regclass('public.attacker_notes') AS name`))[0].name !== null;
    if (!exists) throw new Error('attacker_notes is gone: the attacker dropped its own table, the rest of the run would prove nothing');
    await this.admin.query(`DELETE FROM attacker_notes`);
    await this.admin.query(`INSERT INTO attacker_notes (id, name) VALUES (1, 'first note'), (2, 'second note')`);
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.database?.drop();
    await rm(this.directory, { recursive: true, force: true });
  }
}

/** Canary secrets in the victim's table and the host's, and on PostgreSQL in a schema, a comment and a function. */
async function seedCanaries(admin: DataSource, kind: DatabaseKind): Promise<string[]> {
  const canary = (what: string) => `cnry${what}${randomBytes(8).toString('hex')}`;
  const victim = canary('victim');
  const host = canary('host');
  await admin.query(`INSERT INTO victim_secrets (secret) VALUES ('${victim}'), ('${victim}-2')`);
  await admin.query(`INSERT INTO host_accounts (owner, secret) VALUES ('root', '${host}'), ('ops', '${host}-2')`);
  if (kind === 'sqlite') return [victim, host];
  const vault = canary('vault');
  const comment = canary('comment');
  const fn = canary('function');
  await admin.query(`CREATE SCHEMA vault`);
  await admin.query(`CREATE TABLE vault.secrets (secret text NOT NULL)`);
  await admin.query(`INSERT INTO vault.secrets (secret) VALUES ('${vault}')`);
  await admin.query(`COMMENT ON TABLE public.victim_secrets IS '${comment}'`);
  await admin.query(`CREATE FUNCTION public.host_secret() RETURNS text LANGUAGE sql AS $$ SELECT '${fn}'::text $$`);
  return [victim, host, vault, comment, fn];
}
