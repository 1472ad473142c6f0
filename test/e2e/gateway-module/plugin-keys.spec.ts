import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import request, { type Response, type Test } from 'supertest';
import { Expose, Plugin, PluginModule } from 'nestjs-plugins';
import { PluginGatewayModule } from 'nestjs-plugins/gateway';
import { bootApp } from '../support/boot-app.js';
import { RemoteServiceServer, sendJson } from '../services/support/remote-service-server.js';
import { POSTGRES_SKIPPED, createTestDatabase, databaseKinds, type TestDatabase } from '../../support/test-databases.js';

const PREFIX = '/api/plugin-gateway';
const OPERATOR_KEY = 'operator-key-0123456789';
const PLUGIN_KEYS = { alpha: 'alpha-key-0123456789', beta: 'beta-key-0123456789', reports: 'reports-key-0123456789' };
const EVERY_KEY = [OPERATOR_KEY, ...Object.values(PLUGIN_KEYS)];

/** The host's tenant resolution in this suite: one slug maps to an id, asynchronously as a database lookup would. */
const TENANT_IDS: Record<string, string> = { acme: 'tenant-42' };
const resolveTenantId = async (slug: string): Promise<string | undefined> => TENANT_IDS[slug];

@Plugin({ name: 'ledger', version: '1.2.0' })
class LedgerPlugin {
  @Expose()
  balance(account: string): { account: string; balance: number } {
    return { account, balance: 42 };
  }
}

type Key = keyof typeof PLUGIN_KEYS | 'operator' | 'unknown';
const keyOf = (key: Key): string => (key === 'operator' ? OPERATOR_KEY : key === 'unknown' ? 'not-a-key' : PLUGIN_KEYS[key]);

/** No answer may carry a key, whichever was sent. */
function expectNoKeyIn(response: Response): void {
  for (const key of EVERY_KEY) expect(response.text).not.toContain(key);
}

describe.each(databaseKinds)('gateway keys act as their holder, on %s', (kind) => {
  let database: TestDatabase;
  let app: INestApplication;
  let remote: RemoteServiceServer;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    remote = await RemoteServiceServer.start({ 'GET /products/9': (_request, response) => sendJson(response, 200, { id: '9', stock: 7 }) });
    app = await bootApp([
      TypeOrmModule.forRoot({ ...database.connection, synchronize: true }),
      PluginModule.forRoot({ plugins: [LedgerPlugin], resolveTenantId }),
      PluginGatewayModule.forRoot({ apiKey: OPERATOR_KEY, pluginKeys: PLUGIN_KEYS }),
    ]);
  });
  afterAll(async () => {
    await app.close();
    await remote.close();
    await database.drop();
  });

  /** A request with the given key, in tenant `acme-co` unless headers say otherwise. */
  const as = (key: Key, tenant: Record<string, string> = { 'X-Tenant-Slug': 'acme-co' }) => {
    const send = (test: Test): Test => test.set('X-API-Key', keyOf(key)).set(tenant);
    const server = () => request(app.getHttpServer());
    return {
      get: (path: string) => send(server().get(`${PREFIX}${path}`)),
      post: (path: string) => send(server().post(`${PREFIX}${path}`)),
      delete: (path: string) => send(server().delete(`${PREFIX}${path}`)),
    };
  };

  /** What the operator reads back: the entry, or undefined when absent. */
  async function stored(path: string, tenant?: Record<string, string>): Promise<{ value: unknown; ownerId: string } | undefined> {
    const response = await as('operator', tenant).get(`/shared-data/${path}`);
    if (response.status === 404) return undefined;
    expect(response.status).toBe(200);
    return { value: response.body.value, ownerId: response.body.ownerId };
  }

  describe('shared data', () => {
    beforeAll(async () => {
      await as('beta').post('/shared-data').send({ namespace: 'crm', key: 'owned-by-beta', value: 'beta wrote this' }).expect(201);
    });

    it("owns what a plugin key writes by the key's plugin, without naming it", async () => {
      expect(await stored('crm/owned-by-beta')).toEqual({ value: 'beta wrote this', ownerId: 'beta' });
    });

    it("refuses a plugin key's write or delete of another plugin's key, and the value stays", async () => {
      const overwrite = await as('alpha').post('/shared-data').send({ namespace: 'crm', key: 'owned-by-beta', value: 'alpha was here' }).expect(403);
      expect(overwrite.body).toMatchObject({ code: 'PLUGIN_SHARED_DATA_OWNERSHIP', message: 'Plugin "alpha" may not overwrite "crm/owned-by-beta" owned by "beta"' });
      const explicit = await as('alpha').post('/shared-data').send({ namespace: 'crm', key: 'owned-by-beta', value: 'alpha was here', ownerId: 'alpha' }).expect(403);
      expect(explicit.body.code).toBe('PLUGIN_SHARED_DATA_OWNERSHIP');
      const removal = await as('alpha').delete('/shared-data/crm/owned-by-beta').expect(403);
      expect(removal.body.code).toBe('PLUGIN_SHARED_DATA_OWNERSHIP');
      expect(await stored('crm/owned-by-beta')).toEqual({ value: 'beta wrote this', ownerId: 'beta' });
    });

    it('refuses a plugin key claiming another plugin through ownerId or X-Caller-Plugin-ID, and writes nothing', async () => {
      const claimed = await as('alpha').post('/shared-data').send({ namespace: 'crm', key: 'owned-by-beta', value: 'alpha as beta', ownerId: 'beta' }).expect(403);
      expect(claimed.body).toEqual({
        statusCode: 403,
        code: 'PLUGIN_KEY_CLAIM_MISMATCH',
        message: 'The key of plugin "alpha" may not act as "beta" (ownerId); use the operator key to act for another plugin',
      });
      await as('alpha').post('/shared-data').send({ namespace: 'crm', key: 'fresh', value: 'alpha as beta', ownerId: 'beta' }).expect(403);
      await as('alpha').post('/shared-data').set('X-Caller-Plugin-ID', 'beta').send({ namespace: 'crm', key: 'fresh', value: 'alpha as beta' }).expect(403);
      const removal = await as('alpha').delete('/shared-data/crm/owned-by-beta').set('X-Caller-Plugin-ID', 'beta').expect(403);
      expect(removal.body.code).toBe('PLUGIN_KEY_CLAIM_MISMATCH');

      expect(await stored('crm/fresh')).toBeUndefined();
      expect(await stored('crm/owned-by-beta')).toEqual({ value: 'beta wrote this', ownerId: 'beta' });
    });

    it('lets a plugin key change and delete its own keys, named or implied', async () => {
      await as('alpha').post('/shared-data').send({ namespace: 'crm', key: 'alpha-own', value: 1, ownerId: 'alpha' }).expect(201);
      await as('alpha').post('/shared-data').set('X-Caller-Plugin-ID', 'alpha').send({ namespace: 'crm', key: 'alpha-own', value: 2 }).expect(201);
      expect(await stored('crm/alpha-own')).toEqual({ value: 2, ownerId: 'alpha' });
      await as('alpha').delete('/shared-data/crm/alpha-own').expect(200, { success: true });
      expect(await stored('crm/alpha-own')).toBeUndefined();
    });

    it('lets a plugin key read and list any key, and filter the list by owner', async () => {
      await as('alpha').get('/shared-data/crm/owned-by-beta').expect(200);
      const listed = await as('alpha').get('/shared-data/crm?ownerId=beta').expect(200);
      expect(listed.body.keys).toContain('owned-by-beta');
    });

    it('lets the operator key act for any plugin, and asks it to name one', async () => {
      await as('operator').post('/shared-data').send({ namespace: 'crm', key: 'owned-by-beta', value: 'operator for beta', ownerId: 'beta' }).expect(201);
      expect(await stored('crm/owned-by-beta')).toEqual({ value: 'operator for beta', ownerId: 'beta' });
      const unnamed = await as('operator').post('/shared-data').send({ namespace: 'crm', key: 'unowned', value: 1 }).expect(400);
      expect(unnamed.body.message).toBe('ownerId is required with the operator key');
      expect(await stored('crm/unowned')).toBeUndefined();

      await as('operator').delete('/shared-data/crm/owned-by-beta').set('X-Caller-Plugin-ID', 'beta').expect(200, { success: true });
      expect(await stored('crm/owned-by-beta')).toBeUndefined();
    });
  });

  describe('gateway calls', () => {
    beforeAll(async () => {
      await as('operator')
        .post('/services/register')
        .send({ pluginId: 'inventory', serviceName: 'inventory.products', version: '1.4.0', baseUrl: remote.url, endpoints: [{ method: 'GET', path: '/products/:id' }] })
        .expect(201);
      await as('operator')
        .post('/dependencies')
        .send({ dependencies: [{ pluginId: 'reports', dependsOnPluginId: 'inventory', version: '^1.0.0' }] })
        .expect(201);
    });

    const productCall = { targetPluginId: 'inventory', targetServiceName: 'inventory.products', method: 'GET', path: '/products/9' };

    it('refuses a plugin key calling as another plugin, and the remote service receives nothing', async () => {
      const before = remote.requests.length;
      const inBody = await as('alpha').post('/call').send({ ...productCall, callerPluginId: 'reports' }).expect(403);
      expect(inBody.body.message).toBe('The key of plugin "alpha" may not act as "reports" (callerPluginId); use the operator key to act for another plugin');
      const inHeader = await as('alpha').post('/call').set('X-Caller-Plugin-ID', 'reports').send(productCall).expect(403);
      expect(inHeader.body.code).toBe('PLUGIN_KEY_CLAIM_MISMATCH');
      await as('reports').post('/call').set('X-Caller-Plugin-ID', 'alpha').send({ ...productCall, callerPluginId: 'reports' }).expect(403);
      expect(remote.requests.length).toBe(before);
    });

    it("calls as the key's plugin when the request names no caller", async () => {
      const response = await as('reports').post('/call').send(productCall).expect(200);
      expect(response.body).toEqual({ status: 200, data: { id: '9', stock: 7 } });
      expect(remote.requests.at(-1)!.headers['x-caller-plugin-id']).toBe('reports');
      // alpha declared no dependency: acting as itself, it is refused by the dependency check.
      const undeclared = await as('alpha').post('/call').send(productCall).expect(403);
      expect(undeclared.body.code).toBe('PLUGIN_UNDECLARED_DEPENDENCY');
    });

    it('lets the operator key call as any plugin', async () => {
      const before = remote.requests.length;
      await as('operator').post('/call').send({ ...productCall, callerPluginId: 'reports' }).expect(200);
      expect(remote.requests.length).toBe(before + 1);
      expect(remote.requests.at(-1)!.headers['x-caller-plugin-id']).toBe('reports');
    });
  });

  describe('services and dependencies', () => {
    const service = (pluginId: string) => ({
      pluginId,
      serviceName: `${pluginId}.svc`,
      version: '1.0.0',
      baseUrl: remote.url,
      endpoints: [{ method: 'GET', path: '/x' }],
    });
    const servicesOf = async (pluginId: string): Promise<{ id: string }[]> => (await as('operator').get(`/services?pluginId=${pluginId}`).expect(200)).body.services;

    it("lets a plugin key register, heartbeat and deregister only its own plugin's services", async () => {
      const foreign = await as('alpha').post('/services/register').send(service('beta')).expect(403);
      expect(foreign.body.code).toBe('PLUGIN_KEY_CLAIM_MISMATCH');
      expect(await servicesOf('beta')).toEqual([]);

      const { serviceId } = (await as('alpha').post('/services/register').send(service('alpha')).expect(201)).body;
      await as('beta').post(`/services/${serviceId}/heartbeat`).expect(403);
      await as('alpha').post(`/services/${serviceId}/heartbeat`).expect(200);
      await as('beta').delete('/services/alpha/alpha.svc').expect(403);
      expect((await servicesOf('alpha')).map((instance) => instance.id)).toEqual([serviceId]);
      await as('alpha').delete('/services/alpha/alpha.svc').expect(200, { success: true });
      expect(await servicesOf('alpha')).toEqual([]);
    });

    it("refuses a plugin key taking a service name another plugin's service holds; discovery still finds only the owner", async () => {
      await as('beta').post('/services/register').send(service('beta')).expect(201);
      const impostor = { ...service('alpha'), serviceName: 'beta.svc', baseUrl: 'http://127.0.0.1:9' };
      const refused = await as('alpha').post('/services/register').send(impostor).expect(403);
      expect(refused.body).toEqual({
        statusCode: 403,
        code: 'PLUGIN_SERVICE_NAME_TAKEN',
        message: 'The key of plugin "alpha" may not register service "beta.svc": plugin "beta" holds it; use the operator key to register it anyway',
      });
      // In another tenant too: a name belongs to a plugin, not to a tenant's registration.
      await as('alpha', { 'X-Tenant-Slug': 'other-co' }).post('/services/register').send(impostor).expect(403);
      const found = await as('reports').get('/services/discover/beta.svc').expect(200);
      expect(found.body.service).toMatchObject({ pluginId: 'beta', baseUrl: remote.url });
      const listed = (await as('operator').get('/services?serviceName=beta.svc').expect(200)).body.services;
      expect(listed.map((instance: { pluginId: string; baseUrl: string }) => [instance.pluginId, instance.baseUrl])).toEqual([['beta', remote.url]]);
      // A local plugin holds its own name.
      await as('alpha').post('/services/register').send({ ...impostor, serviceName: 'ledger' }).expect(403);
      expect((await as('operator').get('/services?serviceName=ledger').expect(200)).body.services).toEqual([expect.objectContaining({ kind: 'local' })]);
      // The operator key may still do anything.
      await as('operator').post('/services/register').send(impostor).expect(201);
      await as('operator').delete('/services/alpha/beta.svc').expect(200);
      await as('beta').delete('/services/beta/beta.svc').expect(200);
    });

    it("refuses a plugin key declaring another plugin's dependencies", async () => {
      const response = await as('alpha')
        .post('/dependencies')
        .send({ dependencies: [{ pluginId: 'alpha', dependsOnPluginId: 'ledger', version: '^1.0.0' }, { pluginId: 'beta', dependsOnPluginId: 'ledger', version: '^1.0.0' }] })
        .expect(403);
      expect(response.body.message).toBe('The key of plugin "alpha" may not act as "beta" (pluginId); use the operator key to act for another plugin');
      await as('operator').get('/dependencies/beta').expect(200).expect((answer) => expect(answer.body.count).toBe(0));
      await as('operator').get('/dependencies/alpha').expect(200).expect((answer) => expect(answer.body.count).toBe(0));
    });
  });

  describe('admin routes', () => {
    const adminRoutes: [method: 'get' | 'post', path: string][] = [
      ['get', '/plugins'],
      ['get', '/plugins/graph'],
      ['post', '/plugins/load'],
      ['post', '/plugins/ledger/unload'],
      ['post', '/plugins/ledger/uninstall?purge=true'],
      ['post', '/plugins/ledger/reload'],
      ['post', '/plugins/ledger/upgrade'],
      ['post', '/plugins/ledger/revert'],
    ];

    it.each(adminRoutes)('%s %s answers 403 to a plugin key', async (method, path) => {
      const response = await as('alpha')[method](path).send({ file: 'x.plugin.js' }).expect(403);
      expect(response.body).toEqual({
        statusCode: 403,
        code: 'PLUGIN_OPERATOR_KEY_REQUIRED',
        message: 'Plugin "alpha" may not use this route: it needs the operator key (apiKey of PluginGatewayModule.forRoot)',
      });
    });

    it('leaves the plugin running after a plugin key asked to unload it', async () => {
      await as('beta').post('/plugins/ledger/unload').expect(403);
      await as('beta').post('/plugins/ledger/uninstall?purge=true').expect(403);
      const listed = await as('operator').get('/plugins').expect(200);
      expect(listed.body.plugins).toEqual([expect.objectContaining({ name: 'ledger', state: 'active' })]);
    });
  });

  describe('unknown keys', () => {
    it('answers 401 and writes nothing', async () => {
      const response = await as('unknown').post('/shared-data').send({ namespace: 'crm', key: 'by-nobody', value: 1, ownerId: 'alpha' }).expect(401);
      expect(response.body.message).toBe('Missing or invalid API key (header x-api-key)');
      // A key's prefix or a key with more after it is no key.
      await request(app.getHttpServer()).get(`${PREFIX}/plugins`).set('X-API-Key', OPERATOR_KEY.slice(0, -1)).expect(401);
      await request(app.getHttpServer()).get(`${PREFIX}/plugins`).set('X-API-Key', `${PLUGIN_KEYS.alpha}x`).expect(401);
      expect(await stored('crm/by-nobody')).toBeUndefined();
    });
  });

  describe('one tenant per request', () => {
    it('answers 400 when X-Tenant-ID and X-Tenant-Slug name different tenants, and writes nothing in either', async () => {
      const conflict = { 'X-Tenant-ID': 'globex', 'X-Tenant-Slug': 'initech' };
      const response = await as('alpha', conflict).post('/shared-data').send({ namespace: 'crm', key: 'split', value: 1 }).expect(400);
      expect(response.body).toEqual({
        statusCode: 400,
        code: 'PLUGIN_TENANT_CONFLICT',
        message: 'X-Tenant-ID and x-tenant-slug name different tenants: send one of them, or both for the same tenant',
      });
      expect(await stored('crm/split', { 'X-Tenant-ID': 'globex' })).toBeUndefined();
      expect(await stored('crm/split', { 'X-Tenant-Slug': 'initech' })).toBeUndefined();
    });

    it("follows the host's resolution: a slug and the id it resolves to are one tenant, the slug as an id is another", async () => {
      await as('alpha', { 'X-Tenant-ID': 'tenant-42', 'X-Tenant-Slug': 'acme' }).post('/shared-data').send({ namespace: 'crm', key: 'one', value: 'acme' }).expect(201);
      expect(await stored('crm/one', { 'X-Tenant-ID': 'tenant-42' })).toEqual({ value: 'acme', ownerId: 'alpha' });
      expect(await stored('crm/one', { 'X-Tenant-Slug': 'acme' })).toEqual({ value: 'acme', ownerId: 'alpha' });

      await as('alpha', { 'X-Tenant-ID': 'acme', 'X-Tenant-Slug': 'acme' }).post('/shared-data').send({ namespace: 'crm', key: 'one', value: 'other' }).expect(400);
      expect(await stored('crm/one', { 'X-Tenant-ID': 'acme' })).toBeUndefined();
    });

    it('accepts both headers naming the same unmapped tenant', async () => {
      await as('alpha', { 'X-Tenant-ID': 'hooli', 'X-Tenant-Slug': 'hooli' }).post('/shared-data').send({ namespace: 'crm', key: 'same', value: 1 }).expect(201);
      expect(await stored('crm/same', { 'X-Tenant-Slug': 'hooli' })).toEqual({ value: 1, ownerId: 'alpha' });
    });

    it('checks the tenant before calling a remote service', async () => {
      const before = remote.requests.length;
      await as('reports', { 'X-Tenant-ID': 'globex', 'X-Tenant-Slug': 'acme-co' })
        .post('/call')
        .send({ targetPluginId: 'inventory', targetServiceName: 'inventory.products', method: 'GET', path: '/products/9' })
        .expect(400);
      expect(remote.requests.length).toBe(before);
    });
  });

  it('never answers with a key', async () => {
    const answers = await Promise.all([
      as('alpha').get('/plugins'),
      as('alpha').post('/shared-data').send({ namespace: 'crm', key: 'k', value: 1, ownerId: 'beta' }),
      as('unknown').get('/services'),
      as('operator').get('/plugins'),
    ]);
    answers.forEach(expectNoKeyIn);
  });
});

if (!databaseKinds.includes('postgres')) {
  describe.skip(POSTGRES_SKIPPED, () => {
    it('runs the gateway key suite on PostgreSQL', () => undefined);
  });
}

describe('PluginGatewayModule key options', () => {
  const forRoot = (pluginKeys: Record<string, string>) => () => PluginGatewayModule.forRoot({ apiKey: OPERATOR_KEY, pluginKeys });

  it('refuses keys that are empty, shared or the operator key, naming the plugin and never the key', () => {
    const cases: [Record<string, string>, string][] = [
      [{ alpha: '' }, 'PluginGatewayModule.forRoot: the key of plugin "alpha" must be a non-empty string without surrounding whitespace'],
      [{ alpha: ' padded-key ' }, 'PluginGatewayModule.forRoot: the key of plugin "alpha" must be a non-empty string without surrounding whitespace'],
      [{ alpha: OPERATOR_KEY }, 'PluginGatewayModule.forRoot: the key of plugin "alpha" is the operator\'s apiKey; give each plugin its own key'],
      [{ alpha: 'shared-key-1', beta: 'shared-key-1' }, 'PluginGatewayModule.forRoot: plugins "alpha" and "beta" have the same key; give each plugin its own key'],
      [{ '': 'lonely-key' }, 'PluginGatewayModule.forRoot: pluginKeys has an empty plugin id'],
    ];
    for (const [pluginKeys, message] of cases) {
      const thrown = (() => {
        try {
          forRoot(pluginKeys)();
        } catch (error) {
          return error as Error;
        }
        throw new Error('expected forRoot to throw');
      })();
      expect(thrown.message).toBe(message);
      for (const key of [OPERATOR_KEY, ...Object.values(pluginKeys)].filter((key) => key.trim() !== '')) {
        expect(thrown.message).not.toContain(key.trim());
      }
    }
  });

  it('refuses plugin keys with allowAnonymous, where they would restrict nothing', () => {
    expect(() => PluginGatewayModule.forRoot({ allowAnonymous: true, pluginKeys: { alpha: 'alpha-key' } })).toThrow(
      'PluginGatewayModule.forRoot: pluginKeys need an apiKey; with allowAnonymous: true every request acts as the operator, so a plugin key would restrict nothing',
    );
  });
});
