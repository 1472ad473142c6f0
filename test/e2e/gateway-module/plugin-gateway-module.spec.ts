import 'reflect-metadata';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import { Expose, Plugin, PluginModule } from 'nestjs-plugins';
import { PluginGatewayModule } from 'nestjs-plugins/gateway';
import { PluginFiles } from '../runtime/plugin-files.js';
import { bootApp } from '../support/boot-app.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-databases.js';

const API_KEY = 'test-key';
const PREFIX = '/api/plugin-gateway';

@Plugin({ name: 'ledger', version: '1.2.0' })
class LedgerPlugin {
  @Expose()
  balance(account: string): { account: string; balance: number } {
    return { account, balance: 42 };
  }
}

@Plugin({ name: 'auditor', version: '1.0.0', dependencies: ['ledger'] })
class AuditorPlugin {}

/** A remote plugin's service: answers per path, and records what it was sent. */
interface RemoteStub {
  readonly url: string;
  readonly received: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}

async function startRemote(): Promise<RemoteStub> {
  const received: RemoteStub['received'] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      if (req.url!.startsWith('/products/404')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'no such product' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: req.url!.split('/').pop(), stock: 7 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('PluginGatewayModule REST routes', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let remote: RemoteStub;
  let files: PluginFiles;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    remote = await startRemote();
    files = await PluginFiles.create();
    await files.write('stamps', { body: 'stamp(id) { return `stamped ${id}`; }' });
    app = await bootApp([
      TypeOrmModule.forRoot({ ...database.connection, synchronize: true }),
      PluginModule.forRoot({ plugins: [LedgerPlugin, AuditorPlugin] }),
      PluginGatewayModule.forRoot({ apiKey: API_KEY, runtimePluginsDir: files.directory }),
    ]);
  });
  afterAll(async () => {
    await app.close();
    await remote.close();
    await database.drop();
    await files.remove();
  });

  /** A request with the API key and a tenant. */
  const as = (tenant: string) => ({
    get: (path: string) => request(app.getHttpServer()).get(`${PREFIX}${path}`).set('X-API-Key', API_KEY).set('X-Tenant-Slug', tenant),
    post: (path: string) => request(app.getHttpServer()).post(`${PREFIX}${path}`).set('X-API-Key', API_KEY).set('X-Tenant-Slug', tenant),
    delete: (path: string) => request(app.getHttpServer()).delete(`${PREFIX}${path}`).set('X-API-Key', API_KEY).set('X-Tenant-Slug', tenant),
  });

  const inventory = (baseUrl: string) => ({
    pluginId: 'inventory',
    serviceName: 'inventory.products',
    version: '1.4.0',
    baseUrl,
    endpoints: [{ method: 'GET', path: '/products/:id' }],
  });

  describe('every route', () => {
    const routes: [method: 'get' | 'post' | 'delete', path: string][] = [
      ['post', '/services/register'],
      ['delete', '/services/inventory/inventory.products'],
      ['get', '/services/discover/inventory.products'],
      ['get', '/services'],
      ['post', '/services/00000000-0000-0000-0000-000000000000/heartbeat'],
      ['post', '/call'],
      ['post', '/shared-data'],
      ['get', '/shared-data/crm/last'],
      ['delete', '/shared-data/crm/last'],
      ['get', '/shared-data/crm'],
      ['post', '/dependencies'],
      ['post', '/dependencies/auditor/resolve'],
      ['get', '/dependencies/auditor'],
      ['get', '/dependencies/ledger/dependents'],
      ['post', '/dependencies/ledger/can-uninstall'],
      ['get', '/plugins'],
      ['post', '/plugins/load'],
      ['post', '/plugins/auditor/unload'],
      ['post', '/plugins/auditor/uninstall?purge=true'],
      ['post', '/plugins/auditor/reload'],
      ['get', '/plugins/graph'],
    ];

    it.each(routes)('%s %s answers 401 without the API key or with a wrong one', async (method, path) => {
      const server = app.getHttpServer();
      const missing = await request(server)[method](`${PREFIX}${path}`).set('X-Tenant-Slug', 'acme');
      expect(missing.status).toBe(401);
      expect(missing.body.message).toBe('Missing or invalid API key (header x-api-key)');
      const wrong = await request(server)[method](`${PREFIX}${path}`).set('X-Tenant-Slug', 'acme').set('X-API-Key', 'guess');
      expect(wrong.status).toBe(401);
    });

    it.each(routes.filter(([, path]) => !path.startsWith('/plugins')))('%s %s answers 400 without a tenant', async (method, path) => {
      const response = await request(app.getHttpServer())[method](`${PREFIX}${path}`).set('X-API-Key', API_KEY);
      expect(response.status).toBe(400);
      expect(response.body.message).toBe('Missing tenant: send the x-tenant-slug header (or X-Tenant-ID)');
    });
  });

  describe('services', () => {
    it('registers, lists, discovers, heartbeats and deregisters a remote service, per tenant', async () => {
      const registered = await as('acme').post('/services/register').send(inventory(remote.url)).expect(201);
      expect(registered.body).toMatchObject({ success: true, serviceId: expect.any(String) });
      const { serviceId } = registered.body;

      const listed = await as('acme').get('/services').expect(200);
      expect(listed.body.services.map((service: { serviceName: string }) => service.serviceName).sort()).toEqual(['auditor', 'inventory.products', 'ledger']);
      expect(listed.body.count).toBe(3);
      await as('acme').get('/services?pluginId=inventory').expect(200).expect((response) => expect(response.body.count).toBe(1));

      const discovered = await as('acme').get('/services/discover/inventory.products').expect(200);
      expect(discovered.body.service).toMatchObject({ id: serviceId, pluginId: 'inventory', state: 'HEALTHY', kind: 'remote' });
      // Another tenant sees only the local plugins.
      await as('globex').get('/services/discover/inventory.products').expect(404);
      await as('globex').post(`/services/${serviceId}/heartbeat`).expect(404);

      await as('acme').post(`/services/${serviceId}/heartbeat`).expect(200, { success: true, state: 'HEALTHY' });
      await as('acme').delete('/services/inventory/inventory.products').expect(200, { success: true });
      await as('acme').delete('/services/inventory/inventory.products').expect(200, { success: false });
      const gone = await as('acme').get('/services/discover/inventory.products').expect(404);
      expect(gone.body.code).toBe('PLUGIN_SERVICE_NOT_FOUND');
    });

    it('answers 400 listing every invalid field of a registration', async () => {
      const response = await as('acme')
        .post('/services/register')
        .send({ pluginId: '', serviceName: 'x', version: '1.x', baseUrl: 'ftp://nowhere', endpoints: [{ method: 'FETCH', path: '/a' }], extra: 1 })
        .expect(400);
      expect(response.body.message).toEqual(
        expect.arrayContaining([
          'property extra should not exist',
          'pluginId should not be empty',
          'version must be a Semantic Versioning Specification',
          'baseUrl must be a URL address',
          expect.stringContaining('endpoints.0.method must be one of the following values'),
        ]),
      );
    });
  });

  describe('call', () => {
    beforeAll(async () => {
      await as('acme').post('/services/register').send(inventory(remote.url)).expect(201);
      await as('acme')
        .post('/dependencies')
        .send({ dependencies: [{ pluginId: 'reports', dependsOnPluginId: 'inventory', version: '^1.0.0' }] })
        .expect(201);
    });

    it('forwards a declared endpoint to the remote service with the tenant and caller headers', async () => {
      const response = await as('acme')
        .post('/call')
        .set('X-Caller-Plugin-ID', 'reports')
        .send({ targetPluginId: 'inventory', targetServiceName: 'inventory.products', method: 'GET', path: '/products/9' })
        .expect(200);
      expect(response.body).toEqual({ status: 200, data: { id: '9', stock: 7 } });
      const sent = remote.received.at(-1)!;
      expect(sent).toMatchObject({ method: 'GET', url: '/products/9' });
      expect(sent.headers).toMatchObject({ 'x-tenant-id': 'acme', 'x-tenant-slug': 'acme', 'x-caller-plugin-id': 'reports' });
    });

    it('calls a local plugin exposed method', async () => {
      const response = await as('acme')
        .post('/call')
        .send({ callerPluginId: 'auditor', targetPluginId: 'ledger', targetServiceName: 'ledger', method: 'POST', path: '/balance', body: ['acc-1'] })
        .expect(200);
      expect(response.body).toEqual({ status: 200, data: { account: 'acc-1', balance: 42 } });
    });

    it('maps refusals and remote failures to statuses with codes', async () => {
      const undeclared = await as('acme')
        .post('/call')
        .send({ callerPluginId: 'ledger', targetPluginId: 'inventory', targetServiceName: 'inventory.products', method: 'GET', path: '/products/9' })
        .expect(403);
      expect(undeclared.body).toMatchObject({ code: 'PLUGIN_UNDECLARED_DEPENDENCY', message: 'Plugin "ledger" did not declare a dependency on "inventory"' });

      const endpoint = await as('acme')
        .post('/call')
        .send({ callerPluginId: 'reports', targetPluginId: 'inventory', targetServiceName: 'inventory.products', method: 'DELETE', path: '/products/9' })
        .expect(403);
      expect(endpoint.body.code).toBe('PLUGIN_UNDECLARED_ENDPOINT');

      const notFound = await as('acme')
        .post('/call')
        .send({ callerPluginId: 'reports', targetPluginId: 'inventory', targetServiceName: 'inventory.products', method: 'GET', path: '/products/404' })
        .expect(502);
      expect(notFound.body).toMatchObject({ code: 'PLUGIN_REMOTE_SERVICE_ERROR', upstreamStatus: 404, upstreamBody: { message: 'no such product' } });

      const noCaller = await as('acme').post('/call').send({ targetPluginId: 'inventory', targetServiceName: 'inventory.products', method: 'GET', path: '/p' }).expect(400);
      expect(noCaller.body.message).toBe('callerPluginId (or the X-Caller-Plugin-ID header) is required');
      const invalid = await as('acme').post('/call').send({ callerPluginId: 'reports', method: 'FETCH' }).expect(400);
      expect(invalid.body.message).toEqual(expect.arrayContaining(['targetPluginId should not be empty', 'path must be a string']));
    });
  });

  describe('shared data', () => {
    it('sets, reads, lists and deletes, with the owner enforced', async () => {
      await as('acme').post('/shared-data').send({ namespace: 'crm', key: 'last', value: { at: '10:00' }, ownerId: 'crm', ttl: 3600 }).expect(201, { success: true });
      const read = await as('acme').get('/shared-data/crm/last').expect(200);
      expect(read.body).toMatchObject({ namespace: 'crm', key: 'last', value: { at: '10:00' }, ownerId: 'crm', expiresAt: expect.any(String) });
      await as('acme').get('/shared-data/crm').expect(200, { namespace: 'crm', keys: ['last'], count: 1 });
      await as('globex').get('/shared-data/crm/last').expect(404);

      const overwrite = await as('acme').post('/shared-data').send({ namespace: 'crm', key: 'last', value: 1, ownerId: 'analytics' }).expect(403);
      expect(overwrite.body).toMatchObject({ code: 'PLUGIN_SHARED_DATA_OWNERSHIP', message: 'Plugin "analytics" may not overwrite "crm/last" owned by "crm"' });
      await as('acme').delete('/shared-data/crm/last').set('X-Caller-Plugin-ID', 'analytics').expect(403);
      await as('acme').delete('/shared-data/crm/last').expect(400);
      await as('acme').delete('/shared-data/crm/last').set('X-Caller-Plugin-ID', 'crm').expect(200, { success: true });
      await as('acme').get('/shared-data/crm/last').expect(404);
    });

    it('answers 400 listing the invalid fields', async () => {
      const response = await as('acme').post('/shared-data').send({ namespace: '', key: 7, ownerId: 7, ttl: -1 }).expect(400);
      expect(response.body.message).toEqual(
        expect.arrayContaining(['namespace should not be empty', 'key must be a string', 'value is required (any JSON value, null included)', 'ownerId must be a string', 'ttl must be a positive number']),
      );
    });

    it.each([null, false, 0, '', [], {}, 'text', [1, { nested: null }]])('round-trips the JSON value %j', async (value) => {
      const key = `value-${JSON.stringify(value)}`;
      await as('acme').post('/shared-data').send({ namespace: 'json', key, value, ownerId: 'crm' }).expect(201, { success: true });
      const read = await as('acme').get(`/shared-data/json/${encodeURIComponent(key)}`).expect(200);
      expect(read.body).toEqual({ namespace: 'json', key, value, ownerId: 'crm' });
    });

    it('keeps 500 concurrent requests across 10 tenants apart', async () => {
      const tenants = Array.from({ length: 10 }, (_, index) => `tenant-${index}`);
      const writes = Array.from({ length: 250 }, (_, index) => tenants[index % 10]!);
      await Promise.all(
        writes.map((tenant, index) =>
          as(tenant).post('/shared-data').send({ namespace: 'isolation', key: `k-${Math.floor(index / 10)}`, value: { tenant, index }, ownerId: 'writer' }).expect(201),
        ),
      );
      const reads = await Promise.all(writes.map((tenant, index) => as(tenant).get(`/shared-data/isolation/k-${Math.floor(index / 10)}`).expect(200)));
      reads.forEach((response, index) => expect(response.body.value).toEqual({ tenant: writes[index], index }));
      const keys = await as('tenant-3').get('/shared-data/isolation').expect(200);
      expect(keys.body.count).toBe(25);
    });
  });

  describe('dependencies', () => {
    it('registers remote dependencies and answers resolve, get, dependents and can-uninstall', async () => {
      await as('initech').post('/services/register').send(inventory(remote.url)).expect(201);
      await as('initech')
        .post('/dependencies')
        .send({ dependencies: [{ pluginId: 'reports', dependsOnPluginId: 'inventory', version: '^1.0.0' }, { pluginId: 'reports', dependsOnPluginId: 'ledger', version: '^2.0.0', required: false }] })
        .expect(201);

      const resolved = await as('initech').post('/dependencies/reports/resolve').expect(200);
      expect(resolved.body).toMatchObject({ pluginId: 'reports', resolved: true });
      expect(resolved.body.dependencies).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ dependsOnPluginId: 'inventory', available: true, foundVersion: '1.4.0' }),
          expect.objectContaining({ dependsOnPluginId: 'ledger', available: false, foundVersion: '1.2.0' }),
        ]),
      );
      await as('initech').get('/dependencies/reports').expect(200).expect((response) => expect(response.body.count).toBe(2));
      await as('initech').get('/dependencies/ledger/dependents').expect(200, { pluginId: 'ledger', dependents: ['auditor', 'reports'], count: 2 });
      await as('initech')
        .post('/dependencies/inventory/can-uninstall')
        .expect(200, { pluginId: 'inventory', canUninstall: false, blockedBy: [{ pluginId: 'reports', reason: 'requires "inventory" (^1.0.0)' }] });
      await as('initech').post('/dependencies/reports/can-uninstall').expect(200, { pluginId: 'reports', canUninstall: true, blockedBy: [] });
    });

    // What a client written to the Plexica seed reads (its checkDependencies and canUninstall).
    it('answers the seed client’s fields: valid, errors, warnings, installOrder; blockedBy[].pluginId and .reason', async () => {
      await as('hooli').post('/services/register').send(inventory(remote.url)).expect(201);
      await as('hooli')
        .post('/dependencies')
        .send({
          dependencies: [
            { pluginId: 'billing', dependsOnPluginId: 'inventory', version: '^1.0.0', reason: 'Reserve stock on invoice' },
            { pluginId: 'billing', dependsOnPluginId: 'auditor', version: '*' },
            { pluginId: 'billing', dependsOnPluginId: 'mailer', version: '*', required: false },
            { pluginId: 'invoices', dependsOnPluginId: 'billing', version: '^1.0.0' },
          ],
        })
        .expect(201);

      const billing = await as('hooli').post('/dependencies/billing/resolve').send({}).expect(200);
      expect(billing.body).toMatchObject({
        pluginId: 'billing',
        resolved: true,
        valid: true,
        errors: [],
        warnings: ['Plugin "billing" optionally depends on "mailer" (any version), which is not available (no active plugin or healthy service)'],
        installOrder: ['inventory', 'ledger', 'auditor', 'billing'],
      });
      expect(billing.body.dependencies).toHaveLength(3);

      const invoices = await as('hooli').post('/dependencies/invoices/resolve').send({}).expect(200);
      expect(invoices.body).toMatchObject({
        valid: false,
        errors: ['Plugin "invoices" requires "billing" (^1.0.0), which is not available (no active plugin or healthy service)'],
        installOrder: ['inventory', 'ledger', 'auditor', 'billing', 'invoices'],
      });

      const blocked = await as('hooli').post('/dependencies/inventory/can-uninstall').send({}).expect(200);
      expect(blocked.body).toEqual({ pluginId: 'inventory', canUninstall: false, blockedBy: [{ pluginId: 'billing', reason: 'Reserve stock on invoice' }] });
      const local = await as('hooli').post('/dependencies/ledger/can-uninstall').send({}).expect(200);
      expect(local.body.blockedBy).toEqual([{ pluginId: 'auditor', reason: 'requires "ledger" (any version)' }]);
    });

    it('answers 400 for an invalid range', async () => {
      const response = await as('acme').post('/dependencies').send({ dependencies: [{ pluginId: 'a', dependsOnPluginId: 'b', version: 'one' }] }).expect(400);
      expect(response.body.message).toEqual(['dependencies.0.version must be a semver range (got "one")']);
    });
  });

  describe('plugin admin', () => {
    const admin = {
      get: (path: string) => request(app.getHttpServer()).get(`${PREFIX}${path}`).set('X-API-Key', API_KEY),
      post: (path: string) => request(app.getHttpServer()).post(`${PREFIX}${path}`).set('X-API-Key', API_KEY),
    };

    it('lists, loads from runtimePluginsDir, reloads and unloads plugins', async () => {
      const listed = await admin.get('/plugins').expect(200);
      expect(listed.body.plugins.map((plugin: { name: string }) => plugin.name)).toEqual(['ledger', 'auditor']);

      await admin.post('/plugins/load').send({ file: 'stamps.plugin.js' }).expect(201).expect((response) => expect(response.body).toMatchObject({ name: 'stamps', state: 'active' }));
      await admin.post('/plugins/stamps/reload').expect(200).expect((response) => expect(response.body.state).toBe('active'));
      const refused = await admin.post('/plugins/ledger/unload').expect(409);
      expect(refused.body.code).toBe('PLUGIN_HAS_DEPENDENTS');
      await admin.post('/plugins/stamps/unload').expect(200, { unloaded: 'stamps' });
      await admin.post('/plugins/stamps/unload').expect(404);
    });

    it('uninstalls a plugin, with purge removing its data, and refuses while others require it', async () => {
      await admin.post('/plugins/load').send({ file: 'stamps.plugin.js' }).expect(201);
      const refused = await admin.post('/plugins/ledger/uninstall?purge=true').expect(409);
      expect(refused.body.code).toBe('PLUGIN_HAS_DEPENDENTS');
      const purged = await admin.post('/plugins/stamps/uninstall?purge=true').expect(200);
      expect(purged.body).toEqual({
        uninstalled: 'stamps',
        purged: { tables: [], sequences: [], types: [], sharedDataRows: 0, migrationRows: 0, bucketObjects: 0, streams: [], subscriptions: [], kept: [] },
      });
      await admin.post('/plugins/stamps/uninstall').expect(404);
      await admin.post('/plugins/load').send({ file: 'stamps.plugin.js' }).expect(201);
      await admin.post('/plugins/stamps/uninstall').expect(200, { uninstalled: 'stamps' });
    });

    it('refuses files outside runtimePluginsDir and bodies that are no plugin file', async () => {
      const escaping = await admin.post('/plugins/load').send({ file: '../../evil.plugin.js' }).expect(400);
      expect(escaping.body.message).toBe('file must be inside runtimePluginsDir (got "../../evil.plugin.js")');
      const invalid = await admin.post('/plugins/load').send({ file: 'notes.txt' }).expect(400);
      expect(invalid.body.message).toEqual(['file must be a compiled *.plugin.js or *.plugin.mjs file']);
    });

    it('serves the dependency graph', async () => {
      const mermaid = await admin.get('/plugins/graph').expect(200).expect('Content-Type', 'text/plain; charset=utf-8');
      expect(mermaid.text).toContain('p_auditor -->|"*"| p_ledger');
      await admin.get('/plugins/graph?format=dot').expect(200).expect('Content-Type', 'text/vnd.graphviz; charset=utf-8');
      const json = await admin.get('/plugins/graph?format=json').expect(200).expect('Content-Type', 'application/json; charset=utf-8');
      expect(JSON.parse(json.text).nodes.map((node: { name: string }) => node.name)).toEqual(['ledger', 'auditor']);
      await admin.get('/plugins/graph?format=svg').expect(400);
    });
  });
});

describe('PluginGatewayModule options', () => {
  it('refuses to start without an API key unless allowAnonymous is set', async () => {
    expect(() => PluginGatewayModule.forRoot({})).toThrow('PluginGatewayModule.forRoot needs an apiKey, or allowAnonymous: true to serve the routes without one');
    const app = await bootApp([PluginModule.forRoot({ plugins: [LedgerPlugin] }), PluginGatewayModule.forRoot({ allowAnonymous: true })]);
    await request(app.getHttpServer()).get(`${PREFIX}/plugins`).expect(200);
    await app.close();
  });

  it('serves an OpenAPI document of every route', async () => {
    // The document is set up before init, as in a main.ts: routes added after init come after Nest's 404 handler.
    const moduleRef = await Test.createTestingModule({
      imports: [PluginModule.forRoot({ plugins: [LedgerPlugin] }), PluginGatewayModule.forRoot({ apiKey: API_KEY })],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    PluginGatewayModule.setupOpenApi(app);
    await app.init();
    const document = await request(app.getHttpServer()).get(`${PREFIX}/docs/json`).expect(200);
    const paths = Object.keys(document.body.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        `${PREFIX}/services/register`,
        `${PREFIX}/services/{pluginId}/{serviceName}`,
        `${PREFIX}/call`,
        `${PREFIX}/shared-data/{namespace}/{key}`,
        `${PREFIX}/dependencies/{pluginId}/can-uninstall`,
        `${PREFIX}/plugins/graph`,
      ]),
    );
    expect(document.body.components.securitySchemes['api-key']).toEqual({ type: 'apiKey', in: 'header', name: 'X-API-Key' });
    await app.close();
  });
});
