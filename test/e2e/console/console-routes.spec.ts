import 'reflect-metadata';
import { homedir, tmpdir } from 'node:os';
import request from 'supertest';
import { PluginModule } from 'nestjs-plugins';
import { PluginGatewayModule } from 'nestjs-plugins/gateway';
import { bootApp } from '../support/boot-app.js';
import { GATEWAY, LEDGER_KEY, LEDGER_TOKEN, OPERATOR_KEY, OTHER_PACKAGE, startConsoleHost, TALLY_PACKAGE, type ConsoleHost } from './console-fixture.js';
import { SseReader } from './sse-reader.js';

interface StreamEvent {
  type: string;
  plugin?: string;
  plugins: { name: string; state: string }[];
}

const CONSOLE = `${GATEWAY}/console`;
const DATA_ROUTES = ['/plugins', '/graph.svg', '/services', '/sources', '/shared-data?tenant=acme&namespace=scores'];
const keyCookie = (key: string): string => `plugin-console-key=${encodeURIComponent(key)}`;

describe('admin console routes', () => {
  let host: ConsoleHost;
  const http = () => request(host.app.getHttpServer());
  const operator = (path: string) => http().get(`${CONSOLE}${path}`).set('X-API-Key', OPERATOR_KEY);

  beforeAll(async () => {
    host = await startConsoleHost();
  });
  afterAll(async () => {
    await host?.close();
  });

  it('serves the page and its assets without a key, with no data in them', async () => {
    const page = await http().get(CONSOLE).expect(200).expect('Content-Type', /text\/html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.text).toContain('data-key-header="X-API-Key"');
    expect(page.text).toContain(`data-gateway="${GATEWAY}"`);
    expect(page.text).toContain(`src="${CONSOLE}/assets/main.js"`);
    expect(page.text).not.toContain('ledger');
    await http().get(`${CONSOLE}/assets/main.js`).expect(200).expect('Content-Type', /text\/javascript/);
    await http().get(`${CONSOLE}/assets/console.css`).expect(200).expect('Content-Type', /text\/css/);
    await http().get(`${CONSOLE}/assets/secrets.js`).expect(404);
  });

  it('builds the page paths from the path requested, trailing slash or not', async () => {
    const page = await http().get(`${CONSOLE}/`).expect(200);
    expect(page.text).toContain(`src="${CONSOLE}/assets/main.js"`);
  });

  it.each(DATA_ROUTES)('refuses %s without the key, and with a plugin key', async (path) => {
    const missing = await http().get(`${CONSOLE}${path}`).expect(401);
    expect(missing.text).not.toContain(OPERATOR_KEY);
    const plugin = await http().get(`${CONSOLE}${path}`).set('X-API-Key', LEDGER_KEY).expect(403);
    expect(plugin.body.code).toBe('PLUGIN_OPERATOR_KEY_REQUIRED');
  });

  it('lists the plugins with versions, states, dependencies, dependents and details, secrets masked', async () => {
    const NO_LOGS = { errors: [], lines: [] };
    // The failed onPluginInit is in meter's error ring (and its lines), without a host path.
    const initFailure = expect.objectContaining({ level: 'error', plugin: 'meter', message: 'lifecycle onPluginInit failed: meter could not reach its device' });
    const METER_INIT_FAILURE = { errors: [initFailure], lines: [initFailure] };
    const response = await operator('/plugins').expect(200);
    expect(response.body.plugins).toEqual([
      {
        name: 'ledger',
        version: '1.2.0',
        state: 'active',
        description: 'Balances',
        dependencies: [],
        dependents: ['auditor'],
        details: { isolation: 'inline', config: { apiToken: '••••••', region: 'eu-west' }, routes: ['GET /plugins/ledger/balance/:account'], methods: ['balance'], logs: NO_LOGS },
      },
      {
        name: 'auditor',
        version: '1.0.0',
        state: 'active',
        dependencies: [{ name: 'ledger', range: '^1.0.0', optional: false, satisfied: true }],
        dependents: [],
        details: { isolation: 'inline', routes: [], methods: [], logs: NO_LOGS },
      },
      {
        name: 'meter',
        version: '0.1.0',
        state: 'failed',
        error: 'Plugin "meter" failed in onPluginInit: meter could not reach its device',
        dependencies: [],
        dependents: [],
        details: { isolation: 'inline', routes: [], methods: [], logs: METER_INIT_FAILURE },
      },
    ]);
    expect(response.text).not.toContain(LEDGER_TOKEN);
  });

  it('lists what can be loaded: plugin files by their name in runtimePluginsDir, and installed plugin packages only', async () => {
    const { body, text } = await operator('/sources').expect(200);
    expect(body).toEqual({ files: ['broken.plugin.js', 'stamps.plugin.js'], packages: [TALLY_PACKAGE] });
    for (const directory of [process.cwd(), tmpdir(), homedir()]) expect(text).not.toContain(directory);
  });

  it('loads an installed plugin package by name, and refuses a package that is no plugin without importing it', async () => {
    const loaded = await http().post(`${GATEWAY}/plugins/load`).set('X-API-Key', OPERATOR_KEY).send({ package: TALLY_PACKAGE }).expect(201);
    expect(loaded.body).toMatchObject({ name: 'tally', state: 'active' });
    await http().post(`${GATEWAY}/plugins/tally/unload`).set('X-API-Key', OPERATOR_KEY).expect(200);

    const refused = await http().post(`${GATEWAY}/plugins/load`).set('X-API-Key', OPERATOR_KEY).send({ package: OTHER_PACKAGE }).expect(400);
    expect(refused.body.message).toBe(`package "${OTHER_PACKAGE}" is not an installed plugin package (one that declares "nestjsPlugin" or a peer dependency on nestjs-plugins)`);
    expect((globalThis as { plainHelperRan?: boolean }).plainHelperRan).toBeUndefined();

    const both = await http().post(`${GATEWAY}/plugins/load`).set('X-API-Key', OPERATOR_KEY).send({ file: 'stamps.plugin.js', package: TALLY_PACKAGE }).expect(400);
    expect(both.body.message).toBe('give either file or package, not both');
    const neither = await http().post(`${GATEWAY}/plugins/load`).set('X-API-Key', OPERATOR_KEY).send({}).expect(400);
    expect(neither.body.message).toContain('file must be a string');
  });

  it('draws the dependency graph as SVG', async () => {
    const response = await operator('/graph.svg').buffer(true).parse((res, done) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => done(null, text));
    }).expect(200).expect('Content-Type', /image\/svg\+xml/);
    expect(response.body).toContain('<svg');
    expect(response.body).toContain('auditor');
    expect(response.body).toContain('ledger');
  });

  it('groups services by tenant, with their health', async () => {
    await http()
      .post(`${GATEWAY}/services/register`)
      .set('X-API-Key', OPERATOR_KEY)
      .set('X-Tenant-ID', 'acme')
      .send({ pluginId: 'inventory', serviceName: 'inventory', version: '1.0.0', baseUrl: 'http://127.0.0.1:9', endpoints: [{ method: 'GET', path: '/products' }] })
      .expect(201);
    const { body } = await operator('/services').expect(200);
    expect(body.tenants.map((group: { tenantId: string | null }) => group.tenantId)).toEqual([null, 'acme']);
    expect(body.tenants[0].services.map((service: { serviceName: string }) => service.serviceName)).toEqual(['meter', 'ledger', 'auditor']);
    // A failed plugin stays in the list, UNAVAILABLE.
    expect(body.tenants[0].services[0]).toMatchObject({ pluginId: 'meter', kind: 'local', state: 'UNAVAILABLE' });
    expect(body.tenants[1].services).toEqual([expect.objectContaining({ serviceName: 'inventory', kind: 'remote', state: 'HEALTHY', tenantId: 'acme' })]);
  });

  it("shows one tenant's shared data of a namespace, values and owners included", async () => {
    await http()
      .post(`${GATEWAY}/shared-data`)
      .set('X-API-Key', LEDGER_KEY)
      .set('X-Tenant-ID', 'acme')
      .send({ namespace: 'scores', key: 'alice', value: { points: 3 } })
      .expect(201);
    const acme = await operator('/shared-data?tenant=acme&namespace=scores').expect(200);
    expect(acme.body).toEqual({ tenantId: 'acme', namespace: 'scores', entries: [{ key: 'alice', value: { points: 3 }, ownerId: 'ledger' }] });
    const other = await operator('/shared-data?tenant=hooli&namespace=scores').expect(200);
    expect(other.body.entries).toEqual([]);
    const missing = await operator('/shared-data?namespace=scores').expect(400);
    expect(missing.body.message).toBe('tenant and namespace are both required');
  });

  describe('event stream', () => {
    const streamUrl = () => `${host.baseUrl}${CONSOLE}/events`;

    it('refuses a missing or wrong key cookie, and a plugin key', async () => {
      await expect(SseReader.open(streamUrl(), {})).rejects.toMatchObject({ status: 401 });
      await expect(SseReader.open(streamUrl(), { cookie: keyCookie('guess') })).rejects.toMatchObject({ status: 401 });
      // The key header is for the data routes: the stream reads the cookie only.
      await expect(SseReader.open(streamUrl(), { 'x-api-key': OPERATOR_KEY })).rejects.toMatchObject({ status: 401 });
      await expect(SseReader.open(streamUrl(), { cookie: keyCookie(LEDGER_KEY) })).rejects.toMatchObject({ status: 403 });
    });

    it('sets the key cookie from the server for the operator key only, HttpOnly, SameSite=Strict, on the stream’s path', async () => {
      const set = await http().post(`${CONSOLE}/stream-cookie`).set('X-API-Key', OPERATOR_KEY).expect(204);
      expect(set.headers['set-cookie']).toEqual([`${keyCookie(OPERATOR_KEY)}; Path=${CONSOLE}/events; HttpOnly; SameSite=Strict`]);
      const stream = await SseReader.open<StreamEvent>(streamUrl(), { cookie: set.headers['set-cookie'][0].split(';')[0] });
      await stream.next((event) => event.type === 'snapshot');
      stream.close();
      for (const [key, status] of [[LEDGER_KEY, 403], ['guess', 401]] as const) {
        const refused = await http().post(`${CONSOLE}/stream-cookie`).set('X-API-Key', key).expect(status);
        expect(refused.headers['set-cookie']).toBeUndefined();
      }
      const cleared = await http().delete(`${CONSOLE}/stream-cookie`).expect(204);
      expect(cleared.headers['set-cookie']).toEqual([`plugin-console-key=; Path=${CONSOLE}/events; Max-Age=0; HttpOnly; SameSite=Strict`]);
    });

    it('sends a snapshot, then the plugins as they are after each load and unload', async () => {
      const stream = await SseReader.open<StreamEvent>(streamUrl(), { cookie: `theme=dark; ${keyCookie(OPERATOR_KEY)}` });
      try {
        const snapshot = await stream.next((event) => event.type === 'snapshot');
        expect(snapshot.plugins.map((plugin) => plugin.name)).toEqual(['ledger', 'auditor', 'meter']);

        await http().post(`${GATEWAY}/plugins/load`).set('X-API-Key', OPERATOR_KEY).send({ file: 'stamps.plugin.js' }).expect(201);
        const loaded = await stream.next((event) => event.type === 'loaded');
        expect(loaded.plugin).toBe('stamps');
        expect(loaded.plugins).toContainEqual(expect.objectContaining({ name: 'stamps', state: 'active' }));

        await http().post(`${GATEWAY}/plugins/stamps/unload`).set('X-API-Key', OPERATOR_KEY).expect(200);
        const unloaded = await stream.next((event) => event.type === 'unloaded');
        expect(unloaded.plugin).toBe('stamps');
        expect(unloaded.plugins.map((plugin) => plugin.name)).toEqual(['ledger', 'auditor', 'meter']);
      } finally {
        stream.close();
      }
    });

    it('tells a reload as "reloaded" (its dependents too), not as a load', async () => {
      const stream = await SseReader.open<StreamEvent>(streamUrl(), { cookie: keyCookie(OPERATOR_KEY) });
      try {
        await stream.next((event) => event.type === 'snapshot');
        await http().post(`${GATEWAY}/plugins/ledger/reload`).set('X-API-Key', OPERATOR_KEY).expect(200);
        for (const name of ['ledger', 'auditor']) await stream.next((event) => event.type === 'reloaded' && event.plugin === name);
        await expect(stream.next((event) => event.type === 'loaded', 200)).rejects.toThrow('no matching event');
      } finally {
        stream.close();
      }
    });
  });
});

describe('admin console shutdown', () => {
  it('ends open event streams, so the application closes', async () => {
    const host = await startConsoleHost();
    const stream = await SseReader.open<StreamEvent>(`${host.baseUrl}${CONSOLE}/events`, { cookie: keyCookie(OPERATOR_KEY) });
    try {
      await stream.next((event) => event.type === 'snapshot');
      await host.close();
    } finally {
      stream.close();
    }
  }, 10_000);
});

describe('admin console off', () => {
  it('is not served unless forRoot({ console: true })', async () => {
    const app = await bootApp([PluginModule.forRoot({ plugins: [] }), PluginGatewayModule.forRoot({ apiKey: OPERATOR_KEY })]);
    try {
      await request(app.getHttpServer()).get(CONSOLE).expect(404);
      await request(app.getHttpServer()).get(`${CONSOLE}/plugins`).set('X-API-Key', OPERATOR_KEY).expect(404);
    } finally {
      await app.close();
    }
  });
});
