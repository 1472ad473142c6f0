import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import { PluginModule } from 'nestjs-plugins';
import { PluginGatewayModule } from 'nestjs-plugins/gateway';
import { PluginFiles } from '../runtime/plugin-files.js';
import { bootApp } from '../support/boot-app.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-databases.js';
import { tallySource } from './tally-files.js';

const API_KEY = 'test-key';
const PREFIX = '/api/plugin-gateway';

describe('upgrade and revert over the admin routes', () => {
  let database: TestDatabase;
  let files: PluginFiles;
  let app: INestApplication;
  const admin = (path: string, key = API_KEY) => request(app.getHttpServer()).post(`${PREFIX}${path}`).set('X-API-Key', key);

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    files = await PluginFiles.create();
    await files.writeRaw('tally-1.plugin.js', tallySource('1.0.0', ['a']));
    await files.writeRaw('tally-2.plugin.js', tallySource('2.0.0', ['a', 'b']));
    app = await bootApp([
      TypeOrmModule.forRoot({ ...database.connection }),
      PluginModule.forRoot({ plugins: [] }),
      PluginGatewayModule.forRoot({ apiKey: API_KEY, runtimePluginsDir: files.directory, console: true }),
    ]);
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
    await files.remove();
  });

  it('needs the operator key', async () => {
    await admin('/plugins/tally/upgrade', 'guess').send({ file: 'tally-2.plugin.js' }).expect(401);
    await admin('/plugins/tally/revert', 'guess').send({ to: 'x' }).expect(401);
  });

  it('upgrades, refuses going back with 409, reverts, then the old version loads', async () => {
    await admin('/plugins/load').send({ file: 'tally-1.plugin.js' }).expect(201);
    await admin('/plugins/tally/upgrade').send({ file: 'tally-2.plugin.js' }).expect(200, { name: 'tally', version: '2.0.0', state: 'active' });
    const ahead = await admin('/plugins/tally/upgrade').send({ file: 'tally-1.plugin.js' }).expect(409);
    expect(ahead.body.code).toBe('PLUGIN_SCHEMA_AHEAD');
    const badTarget = await admin('/plugins/tally/revert').send({ to: 'Nope' }).expect(409);
    expect(badTarget.body.code).toBe('PLUGIN_REVERT_REFUSED');
    await admin('/plugins/tally/revert').send({}).expect(400);
    await admin('/plugins/tally/revert').send({ to: 'Add_a_1700000000000' }).expect(200, { reverted: ['Add_b_1700000000001'] });
    await admin('/plugins/load').send({ file: 'tally-1.plugin.js' }).expect(201);
  });

  it("shows each plugin's schema version in the console: its last applied migration", async () => {
    const schemaOfTally = async () => {
      const { body } = await request(app.getHttpServer()).get(`${PREFIX}/console/plugins`).set('X-API-Key', API_KEY).expect(200);
      return (body.plugins as { name: string; schema?: unknown }[]).find((plugin) => plugin.name === 'tally')?.schema;
    };
    expect(await schemaOfTally()).toEqual({ version: 'Add_a_1700000000000', pending: [] });
    await admin('/plugins/tally/upgrade').send({ file: 'tally-2.plugin.js' }).expect(200);
    expect(await schemaOfTally()).toEqual({ version: 'Add_b_1700000000001', pending: [] });
  });
});
