import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { Column, DataSource, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { InjectPluginContext, Plugin, PluginModule, PluginRoleUnavailableError, type PluginContext } from 'nestjs-plugins';
import { PostgresSqlEngine } from '../../../../../lib/resources/engines/postgres/postgres-sql-engine.js';
import { pluginRoleName } from '../../../../../lib/resources/engines/postgres/plugin-role-name.js';
import { ResourcePolicy } from '../../../../../lib/resources/resource-policy.js';
import { bootApp } from '../../../support/boot-app.js';
import { PG_URL, POSTGRES_SKIPPED, createTestDatabase, type TestDatabase } from '../../../../support/test-databases.js';
import { databaseNameOf, dropPluginRoles, operatorScript, queryDatabase } from './support/postgres-roles.js';

@Entity('notes')
class ScribeNote {
  @PrimaryGeneratedColumn() id!: number;
  @Column('varchar') body!: string;
}

@Plugin({ name: 'scribe', version: '1.0.0', entities: [ScribeNote], allowedTables: ['notes'] })
class ScribePlugin {
  constructor(@InjectPluginContext() readonly ctx: PluginContext) {}
}

@Entity('notes')
class ClerkNote {
  @PrimaryGeneratedColumn() id!: number;
}

@Plugin({ name: 'clerk', version: '1.0.0', entities: [ClerkNote], allowedTables: ['notes'] })
class ClerkPlugin {
  constructor(@InjectPluginContext() readonly ctx: PluginContext) {}
}

if (!PG_URL) {
  describe.skip(POSTGRES_SKIPPED, () => {
    it('creates plugin roles by the operator script when the application may not', () => undefined);
  });
} else {
  /** The least-privilege setup of docs/postgres-roles.md: the application logs in as an ordinary role that owns its tables. */
  describe('plugin roles with an unprivileged application role', () => {
    const hostRole = `np_host_${randomBytes(4).toString('hex')}`;
    let database: TestDatabase;
    let databaseName: string;
    let app: INestApplication;

    beforeAll(async () => {
      await queryDatabase('postgres', `CREATE ROLE "${hostRole}" LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB`);
      database = await createTestDatabase('postgres');
      const url = new URL((database.connection as { url: string }).url);
      databaseName = databaseNameOf(url.toString());
      await queryDatabase('postgres', `ALTER DATABASE "${databaseName}" OWNER TO "${hostRole}"`);
      url.username = hostRole;
      app = await bootApp([
        TypeOrmModule.forRoot({ type: 'postgres', url: url.toString(), synchronize: true }),
        PluginModule.forRoot({ plugins: [ScribePlugin, ClerkPlugin] }),
      ]);
    });
    afterAll(async () => {
      await app?.close();
      await database?.drop();
      await dropPluginRoles(databaseName);
      await queryDatabase('postgres', `DROP ROLE IF EXISTS "${hostRole}"`);
    });

    it('fails closed, naming the plugin and the role, until the operator creates the role with the documented script', async () => {
      const scribe = app.get(ScribePlugin);
      const role = pluginRoleName(databaseName, 'scribe');
      const refusal = scribe.ctx.database.executeQuery(`SELECT count(*) FROM notes`);
      await expect(refusal).rejects.toThrow(PluginRoleUnavailableError);
      await expect(refusal).rejects.toThrow(
        `Plugin "scribe" cannot run raw SQL: its database role "${role}" does not exist, and the application may not create roles (it needs CREATEROLE); create it with the operator script (see docs/postgres-roles.md)`,
      );

      await queryDatabase(databaseName, await operatorScript('scribe', hostRole));
      await scribe.ctx.database.executeQuery(`INSERT INTO notes (body) VALUES ('by the operator''s role')`);
      expect(await scribe.ctx.database.executeQuery(`SELECT body FROM notes`)).toEqual([{ body: "by the operator's role" }]);
      const owner = await app.get(DataSource).query(`SELECT tableowner FROM pg_tables WHERE tablename = 'scribe_notes'`);
      expect(owner).toEqual([{ tableowner: hostRole }]);
    });

    it('lets an application role with CREATEROLE create and assume the role itself', async () => {
      await queryDatabase('postgres', `ALTER ROLE "${hostRole}" CREATEROLE`);
      try {
        expect(await app.get(ClerkPlugin).ctx.database.executeQuery(`SELECT count(*)::int AS n FROM notes`)).toEqual([{ n: 0 }]);
      } finally {
        await queryDatabase('postgres', `ALTER ROLE "${hostRole}" NOCREATEROLE`);
      }
    });

    it('refuses a role an operator widened', async () => {
      const role = pluginRoleName(databaseName, 'scribe');
      await queryDatabase('postgres', `ALTER ROLE "${role}" INHERIT`);
      try {
        const engine = new PostgresSqlEngine(app.get(DataSource));
        const policy = new ResourcePolicy('scribe', { name: 'scribe', allowedTables: ['notes'] });
        const run = engine.run([{ sql: `SELECT 1`, params: [] }], { pluginName: 'scribe', policy, timeoutMs: 1000 });
        await expect(run).rejects.toThrow(
          `Plugin "scribe" cannot run raw SQL: its database role "${role}" is wider than its tables (INHERIT) (see docs/postgres-roles.md)`,
        );
      } finally {
        await queryDatabase('postgres', `ALTER ROLE "${role}" NOINHERIT`);
      }
    });
  });
}
