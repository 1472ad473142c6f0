import 'reflect-metadata';
import { tmpdir } from 'node:os';
import type { INestApplication } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import { Plugin, PluginModule } from 'nestjs-plugins';
import { PluginGatewayModule } from 'nestjs-plugins/gateway';
import { PluginFiles } from '../runtime/plugin-files.js';
import { bootApp } from '../support/boot-app.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-databases.js';

const API_KEY = 'operator-key-0123456789';
const PREFIX = '/api/plugin-gateway';

@Plugin({ name: 'ledger', version: '1.0.0' })
class LedgerPlugin {}

/** `depth` levels of objects and arrays around a number: `{ "a": [ { "a": … } ] }`. */
function nestedJson(depth: number): string {
  let open = '';
  let close = '';
  for (let level = 0; level < depth; level++) {
    open += level % 2 === 0 ? '{"a":' : '[';
    close = (level % 2 === 0 ? '}' : ']') + close;
  }
  return `${open}1${close}`;
}

/** No absolute host directory in an answer: the working, temporary and plugin directories. */
function expectNoHostPath(text: string, files: PluginFiles): void {
  for (const directory of [process.cwd(), tmpdir(), files.directory, '/work']) expect(text).not.toContain(directory);
  expect(text).not.toContain('file://');
}

describe('the gateway’s REST limits', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let files: PluginFiles;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    files = await PluginFiles.create();
    app = await bootApp([
      TypeOrmModule.forRoot({ ...database.connection, synchronize: true }),
      PluginModule.forRoot({ plugins: [LedgerPlugin] }),
      PluginGatewayModule.forRoot({ apiKey: API_KEY, runtimePluginsDir: files.directory, console: true }),
    ]);
  });
  afterAll(async () => {
    await app?.close();
    await files?.remove();
    await database?.drop();
  });

  const post = (path: string, body: string, tenant = true) => {
    const test = request(app.getHttpServer()).post(`${PREFIX}${path}`).set('X-API-Key', API_KEY).set('Content-Type', 'application/json');
    return (tenant ? test.set('X-Tenant-Slug', 'acme') : test).send(body);
  };

  describe('JSON depth', () => {
    it.each([
      ['/shared-data', true],
      ['/call', true],
      ['/services/register', true],
      ['/plugins/load', false],
    ])('answers a body nested 5,000 deep to %s with a 400 naming the limit', async (path, tenant) => {
      const response = await post(path, nestedJson(5_000), tenant).expect(400);
      expect(response.body.message).toBe('The request body is nested deeper than 64 levels');
    });

    it('stores a value that brings the body to exactly 64 levels, and refuses 65', async () => {
      const value = (depth: number) => `{"namespace":"deep","key":"k${depth}","ownerId":"ledger","value":${nestedJson(depth - 1)}}`;
      await post('/shared-data', value(64)).expect(201);
      const stored = await request(app.getHttpServer()).get(`${PREFIX}/shared-data/deep/k64`).set('X-API-Key', API_KEY).set('X-Tenant-Slug', 'acme').expect(200);
      expect(JSON.stringify(stored.body.value)).toBe(nestedJson(63));
      await post('/shared-data', value(65)).expect(400);
    });
  });

  describe('no host path in an error', () => {
    it('names a broken file as the request did, in the answer and in the plugin list', async () => {
      await files.writeRaw('broken.plugin.js', `import 'no-such-package-anywhere';\nexport default class Broken {}\n`);
      await files.writeRaw('syntax.plugin.js', `export default class {`);
      await files.write('failing', { body: `onPluginInit() { throw new Error('init failed in ' + import.meta.url); }` });
      for (const file of ['broken.plugin.js', 'syntax.plugin.js', 'failing.plugin.js']) {
        const response = await post('/plugins/load', JSON.stringify({ file }), false);
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.body.message).toContain(`"${file}"`);
        expectNoHostPath(response.text, files);
      }
      const listed = await request(app.getHttpServer()).get(`${PREFIX}/plugins`).set('X-API-Key', API_KEY).expect(200);
      expectNoHostPath(listed.text, files);
      const consoleData = await request(app.getHttpServer()).get(`${PREFIX}/console/plugins`).set('X-API-Key', API_KEY);
      expectNoHostPath(consoleData.text, files);
    });
  });
});
