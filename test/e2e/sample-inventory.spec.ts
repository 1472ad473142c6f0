import 'reflect-metadata';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { PluginGatewayModule } from 'nestjs-plugins/gateway';
import { startInventoryServer, type InventoryServer } from '../../sample/inventory/inventory-server.js';

/**
 * The sample with its remote plugin: the real inventory server (in this process, over real
 * HTTP) registers with the sample's gateway for acme and globex, and the local `reports`
 * plugin reads it through `PluginGateway`, per tenant.
 */

const API_KEY = 'sample-inventory-key';
const HEARTBEAT_MS = 50;
const databasePath = join(tmpdir(), `nestjs-plugins-sample-inventory-${process.pid}-${Date.now()}.sqlite`);
let app: INestApplication;
let inventory: InventoryServer;
const inventoryLog: string[] = [];

const report = (tenant?: string) => {
  const get = request(app.getHttpServer()).get('/plugins/reports/stock');
  return tenant === undefined ? get : get.set('X-Tenant-Slug', tenant);
};
const gateway = (method: 'get' | 'post', path: string, tenant: string) =>
  request(app.getHttpServer())[method](`/api/plugin-gateway${path}`).set('X-API-Key', API_KEY).set('X-Tenant-Slug', tenant);

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; inventory log:\n${inventoryLog.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeAll(async () => {
  // The app module reads these when it is evaluated, so import it only after setting them.
  process.env.DATABASE_PATH = databasePath;
  process.env.GATEWAY_API_KEY = API_KEY;
  const { AppModule } = await import('../../sample/app.module.js');
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  app = moduleRef.createNestApplication({ logger: false });
  PluginGatewayModule.setupOpenApi(app); // as sample/main.ts does
  await app.listen(0, '127.0.0.1');
  inventory = await startInventoryServer({
    port: 0,
    hostUrl: await app.getUrl(),
    apiKey: API_KEY,
    tenants: ['acme', 'globex'],
    heartbeatMs: HEARTBEAT_MS,
    log: (line) => inventoryLog.push(line),
  });
});

afterAll(async () => {
  await inventory?.stop();
  await app?.close();
  delete process.env.GATEWAY_API_KEY;
  await rm(databasePath, { force: true });
});

describe('sample: the reports plugin reading the remote inventory service', () => {
  it('reports the stock of the tenant the request names', async () => {
    await report('acme').expect(200, {
      tenant: 'acme',
      products: 4,
      totalStock: 55,
      lowStock: [
        { id: 'rocket-skates', name: 'Rocket skates', stock: 3 },
        { id: 'giant-magnet', name: 'Giant magnet', stock: 0 },
      ],
    });
    await report('globex').expect(200, {
      tenant: 'globex',
      products: 4,
      totalStock: 34,
      lowStock: [{ id: 'giant-magnet', name: 'Giant magnet', stock: 1 }],
    });
  });

  it('forwards the tenant and the calling plugin to the inventory server', async () => {
    inventoryLog.length = 0;
    await report('globex').expect(200);
    expect(inventoryLog).toContain('GET /products for tenant globex, asked by reports');
    // The server echoes what it received; through the gateway's REST call route too.
    const call = await gateway('post', '/call', 'acme')
      .send({ callerPluginId: 'reports', targetPluginId: 'inventory', targetServiceName: 'inventory.products', method: 'GET', path: '/products/anvil' })
      .expect(200);
    expect(call.body).toEqual({ status: 200, data: { tenant: 'acme', caller: 'reports', product: { id: 'anvil', name: 'Anvil', stock: 12 } } });
  });

  it('passes on the inventory server’s 404 for an unknown product', async () => {
    const call = await gateway('post', '/call', 'acme')
      .send({ callerPluginId: 'reports', targetPluginId: 'inventory', targetServiceName: 'inventory.products', method: 'GET', path: '/products/dynamite' })
      .expect(502);
    expect(call.body).toMatchObject({ code: 'PLUGIN_REMOTE_SERVICE_ERROR', upstreamStatus: 404, upstreamBody: { message: 'No product "dynamite"' } });
    const direct = await fetch(`${inventory.url}/products/dynamite`, { headers: { 'X-Tenant-Slug': 'acme' } });
    expect(direct.status).toBe(404);
    expect(await direct.json()).toEqual({ message: 'No product "dynamite"' });
  });

  it('answers 503 for a tenant the inventory did not register for, and without a tenant', async () => {
    await report('initech').expect(503, {
      statusCode: 503,
      code: 'PLUGIN_SERVICE_NOT_FOUND',
      message: 'No healthy service "inventory.products" of plugin "inventory" for tenant "initech"',
    });
    await report().expect(503, {
      statusCode: 503,
      code: 'PLUGIN_SERVICE_NOT_FOUND',
      message: 'No healthy service "inventory.products" of plugin "inventory" (no tenant)',
    });
  });

  it('answers 502 while a registered inventory cannot be reached', async () => {
    // Registered for another tenant at an address where nothing listens, as if its process had died.
    await gateway('post', '/services/register', 'umbrella')
      .send({ pluginId: 'inventory', serviceName: 'inventory.products', version: '1.0.0', baseUrl: 'http://127.0.0.1:1', endpoints: [{ method: 'GET', path: '/products' }] })
      .expect(201);
    const response = await report('umbrella').expect(502);
    expect(response.body).toMatchObject({ statusCode: 502, code: 'PLUGIN_REMOTE_SERVICE_ERROR' });
    await request(app.getHttpServer()).delete('/api/plugin-gateway/services/inventory/inventory.products').set('X-API-Key', API_KEY).set('X-Tenant-Slug', 'umbrella').expect(200, { success: true });
  });

  it('lists inventory among the tenant’s services, kept HEALTHY by heartbeats', async () => {
    await until(() => inventoryLog.includes('heartbeat for tenant acme: HEALTHY'), 'a heartbeat');
    const { body } = await gateway('get', '/services?pluginId=inventory', 'acme').expect(200);
    expect(body).toEqual({
      count: 1,
      services: [
        expect.objectContaining({
          pluginId: 'inventory',
          serviceName: 'inventory.products',
          version: '1.0.0',
          kind: 'remote',
          baseUrl: inventory.url,
          state: 'HEALTHY',
          tenantId: 'acme',
          lastHeartbeatAt: expect.any(String),
          endpoints: [
            { method: 'GET', path: '/products', description: 'every product with its stock' },
            { method: 'GET', path: '/products/:id', description: 'one product with its stock' },
          ],
        }),
      ],
    });
    // Local plugins are services too; the key is required.
    const all = await gateway('get', '/services', 'acme').expect(200);
    expect(all.body.services.map((service: { serviceName: string }) => service.serviceName)).toEqual(
      expect.arrayContaining(['reports', 'crm', 'inventory.products']),
    );
    await request(app.getHttpServer()).get('/api/plugin-gateway/services').set('X-Tenant-Slug', 'acme').expect(401);
  });

  it('is healthy, and counts the remote services', async () => {
    const { body } = await request(app.getHttpServer()).get('/health').expect(200);
    expect(body).toMatchObject({
      status: 'ok',
      info: { plugins: { status: 'up', plugins: { active: 8 }, failedPlugins: [], unavailableServices: [] } },
    });
    expect(body.info.plugins.services.HEALTHY).toBeGreaterThanOrEqual(8); // 6 local plugins, inventory for 2 tenants
  });

  it('serves the OpenAPI document of the gateway', async () => {
    const { body } = await request(app.getHttpServer()).get('/api/plugin-gateway/docs/json').expect(200);
    expect(body).toMatchObject({ openapi: expect.any(String), info: { title: 'Plugin gateway' } });
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/api/plugin-gateway/services/register', '/api/plugin-gateway/plugins/graph']));
    await request(app.getHttpServer()).get('/api/plugin-gateway/docs').expect(200).expect('Content-Type', /html/);
  });

  it('draws reports’ optional dependency on inventory in the graph', async () => {
    const { text } = await request(app.getHttpServer()).get('/api/plugin-gateway/plugins/graph').set('X-API-Key', API_KEY).expect(200);
    expect(text).toContain('p_reports -.->|"*"| p_inventory');
    expect(text).toContain('p_inventory["inventory<br/>missing"]');
  });

  it('registers again when a heartbeat finds the host no longer knows it, as after a host restart', async () => {
    await request(app.getHttpServer()).delete('/api/plugin-gateway/services/inventory/inventory.products').set('X-API-Key', API_KEY).set('X-Tenant-Slug', 'globex').expect(200, { success: true });
    inventoryLog.length = 0;
    await until(() => inventoryLog.some((line) => line.startsWith('registered inventory.products for tenant globex')), 'a new registration');
    await report('globex').expect(200);
  });

  // Last: the inventory server is gone afterwards.
  it('answers 503 again once the inventory server stopped and deregistered', async () => {
    await inventory.stop();
    expect(inventoryLog).toEqual(
      expect.arrayContaining(['deregistered inventory.products for tenant acme', 'deregistered inventory.products for tenant globex', 'stopped']),
    );
    await report('acme').expect(503).expect((response) => expect(response.body.code).toBe('PLUGIN_SERVICE_NOT_FOUND'));
    await gateway('get', '/services?pluginId=inventory', 'acme').expect(200, { services: [], count: 0 });
  });
});
