import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { InjectPluginContext, Plugin, PluginManager, PluginModule, type PluginContext } from 'nestjs-plugins';
import { pluginRoleName } from '../../../lib/resources/engines/postgres/plugin-role-name.js';
import { bootApp } from '../support/boot-app.js';
import { PG_URL, POSTGRES_SKIPPED, createTestDatabase, type TestDatabase } from '../../support/test-databases.js';
import { databaseNameOf, dropPluginRoles, operatorScript, queryDatabase } from '../resources/engines/postgres/support/postgres-roles.js';

@Entity('entries')
class JournalEntry {
  @PrimaryGeneratedColumn() id!: number;
  @Column('varchar') text!: string;
}

@Plugin({ name: 'journal', version: '1.0.0', entities: [JournalEntry], allowedTables: ['entries'] })
class JournalPlugin {
  constructor(@InjectPluginContext() readonly ctx: PluginContext) {}
}

if (!PG_URL) {
  describe.skip(POSTGRES_SKIPPED, () => {
    it('leaves the role of a purged plugin to the operator when the application may not drop roles', () => undefined);
  });
} else {
  /** The least-privilege setup of docs/postgres-roles.md: the operator made the plugin's role; the application may not drop it. */
  describe('uninstall with purge, the application without CREATEROLE', () => {
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
      app = await bootApp([TypeOrmModule.forRoot({ type: 'postgres', url: url.toString(), synchronize: true }), PluginModule.forRoot({ plugins: [JournalPlugin] })]);
    });
    afterAll(async () => {
      await app?.close();
      await database?.drop();
      await dropPluginRoles(databaseName);
      await queryDatabase('postgres', `DROP ROLE IF EXISTS "${hostRole}"`);
    });

    it('removes the tables, keeps the role and says what the operator runs to drop it', async () => {
      await queryDatabase(databaseName, await operatorScript('journal', hostRole));
      await app.get(JournalPlugin).ctx.database.executeQuery(`INSERT INTO entries (text) VALUES ('x')`);
      const role = pluginRoleName(databaseName, 'journal');

      const { purged } = await app.get(PluginManager).uninstall('journal', { purge: true });
      expect(purged).toMatchObject({ tables: ['journal_entries'], kept: [`role "${role}" (the application may not drop roles: an operator runs DROP OWNED BY "${role}"; DROP ROLE "${role}";)`] });
      expect(purged!.role).toBeUndefined();
      expect(await queryDatabase(databaseName, `SELECT tablename FROM pg_tables WHERE tablename LIKE 'journal%'`)).toEqual([]);
      expect(await queryDatabase(databaseName, 'SELECT rolname FROM pg_roles WHERE rolname = $1', [role])).toEqual([{ rolname: role }]);

      await queryDatabase(databaseName, `DROP OWNED BY "${role}"; DROP ROLE "${role}";`);
      expect(await queryDatabase(databaseName, 'SELECT rolname FROM pg_roles WHERE rolname = $1', [role])).toEqual([]);
    });
  });
}
