import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { Expose, Plugin, PluginCallContext, UndeclaredDependencyError } from 'nestjs-plugins';
import type { PluginCallContextData } from '../../../lib/context/plugin-call-context.js';
import {
  GatewayTimeoutError,
  RemoteServiceError,
  ServiceNotFoundError,
  UndeclaredEndpointError,
} from '../../../lib/errors/service.errors.js';
import { PluginDependencyRegistry } from '../../../lib/services/dependencies/plugin-dependency.registry.js';
import { PluginGateway } from '../../../lib/services/gateway/plugin.gateway.js';
import type { GatewayRequest } from '../../../lib/services/gateway/gateway.types.js';
import { ServiceRegistry } from '../../../lib/services/registry/service.registry.js';
import type { RemoteServiceRegistration } from '../../../lib/services/registry/service.types.js';
import { bootApp } from '../support/boot-app.js';
import { closedPortUrl, RemoteServiceServer, sendJson } from './support/remote-service-server.js';
import { pluginModuleWithServices } from './support/services-app.js';

class ScoreRejected extends Error {}

@Plugin({ name: 'user-utils', version: '1.2.0' })
class UserUtilsPlugin {
  private readonly scores = new Map<string, number>();

  @Expose()
  addScore(userId: string, points: number): number {
    const score = (this.scores.get(userId) ?? 0) + points;
    this.scores.set(userId, score);
    return score;
  }

  @Expose()
  async whoCalls(): Promise<PluginCallContextData> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return PluginCallContext.current();
  }

  @Expose()
  async reject(): Promise<never> {
    throw new ScoreRejected('no');
  }
}

@Plugin({ name: 'leaderboard', version: '1.0.0', dependencies: ['user-utils', { name: 'plugin-crm', optional: true }] })
class LeaderboardPlugin {}

@Plugin({ name: 'loner', version: '1.0.0' })
class LonerPlugin {}

const STALE_MS = 10_000;
const TIMEOUT_MS = 300;
const ACME = { tenantId: 'acme-id', tenantSlug: 'acme' };
const asAcme = <T>(fn: () => T): T => PluginCallContext.run(ACME, fn);

describe('PluginGateway', () => {
  let app: INestApplication;
  let remote: RemoteServiceServer;
  let gateway: PluginGateway;
  let services: ServiceRegistry;
  let nowMs = Date.now();
  let crm: RemoteServiceRegistration;

  const analyticsCalls = (request: Omit<GatewayRequest, 'callerPluginId' | 'targetPluginId' | 'targetServiceName'>) =>
    gateway.call({ callerPluginId: 'plugin-analytics', targetPluginId: 'plugin-crm', targetServiceName: 'crm.contacts', ...request });

  beforeAll(async () => {
    remote = await RemoteServiceServer.start({
      'GET /api/contacts': (_, response) => sendJson(response, 200, [{ id: '1', name: 'Ada' }], { 'x-total': '1' }),
      'GET /api/contacts/1': (_, response) => sendJson(response, 200, { id: '1', name: 'Ada' }),
      'POST /api/contacts': (request, response) => sendJson(response, 201, { id: '2', ...JSON.parse(request.body) }),
      'DELETE /api/contacts/1': (_, response) => response.writeHead(204).end(),
      'GET /api/boom': (_, response) => response.writeHead(500, { 'content-type': 'text/plain' }).end('kaput'),
      'GET /api/slow': () => undefined, // never answers
      'GET /api/admin': (_, response) => sendJson(response, 200, { secret: true }),
    });
    app = await bootApp([
      pluginModuleWithServices(
        { plugins: [UserUtilsPlugin, LeaderboardPlugin, LonerPlugin] },
        { staleAfterMs: STALE_MS, gatewayTimeoutMs: TIMEOUT_MS, now: () => nowMs },
      ),
    ]);
    gateway = app.get(PluginGateway);
    services = app.get(ServiceRegistry);
    crm = {
      pluginId: 'plugin-crm',
      serviceName: 'crm.contacts',
      version: '1.4.0',
      baseUrl: `${remote.url}/api`,
      endpoints: [
        { method: 'GET', path: '/contacts' },
        { method: 'GET', path: '/contacts/:id' },
        { method: 'POST', path: '/contacts' },
        { method: 'DELETE', path: '/contacts/:id' },
        { method: 'GET', path: '/boom' },
        { method: 'GET', path: '/slow' },
      ],
    };
    app.get(PluginDependencyRegistry).register([{ pluginId: 'plugin-analytics', dependsOnPluginId: 'plugin-crm', version: '^1.0.0' }]);
  });

  beforeEach(() => {
    // Each test starts from a fresh registration (a re-registration replaces the previous one).
    asAcme(() => services.register(crm));
    remote.requests.length = 0;
  });

  afterAll(async () => {
    await app.close();
    await remote.close();
  });

  describe('to a remote service', () => {
    it('forwards the call with the tenant and the caller, and returns the JSON answer', async () => {
      const response = await asAcme(() => analyticsCalls({ method: 'GET', path: '/contacts', query: { limit: '10' } }));
      expect(response).toMatchObject({ status: 200, body: [{ id: '1', name: 'Ada' }] });
      expect(response.headers.get('X-Total')).toBe('1');
      expect(response.headers.get('content-type')).toBe('application/json');
      const [received] = remote.requests;
      expect(received).toMatchObject({ method: 'GET', url: '/api/contacts?limit=10', body: '' });
      expect(received.headers).toMatchObject({ 'x-tenant-id': 'acme-id', 'x-tenant-slug': 'acme', 'x-caller-plugin-id': 'plugin-analytics' });
    });

    it('forwards the caller’s extra headers, never in place of the gateway’s own', async () => {
      await asAcme(() =>
        analyticsCalls({ method: 'GET', path: '/contacts', headers: { 'X-Request-ID': 'r-1', 'X-Tenant-ID': 'globex', 'x-caller-plugin-id': 'admin' } }),
      );
      expect(remote.requests[0].headers).toMatchObject({ 'x-request-id': 'r-1', 'x-tenant-id': 'acme-id', 'x-caller-plugin-id': 'plugin-analytics' });
    });

    it('sends a body as JSON, and matches :param segments', async () => {
      const created = await asAcme(() => analyticsCalls({ method: 'POST', path: '/contacts', body: { name: 'Grace' } }));
      expect(created).toMatchObject({ status: 201, body: { id: '2', name: 'Grace' } });
      expect(remote.requests[0].headers['content-type']).toBe('application/json');
      expect(remote.requests[0].body).toBe('{"name":"Grace"}');

      await expect(asAcme(() => analyticsCalls({ method: 'get', path: '/contacts/1' }))).resolves.toMatchObject({ body: { id: '1' } });
      await expect(asAcme(() => analyticsCalls({ method: 'DELETE', path: '/contacts/1' }))).resolves.toMatchObject({ status: 204, body: undefined });
    });

    it('maps a 404 to RemoteServiceError with the status and the parsed body', async () => {
      const failure = asAcme(() => analyticsCalls({ method: 'GET', path: '/contacts/9' }));
      await expect(failure).rejects.toThrow(
        new RemoteServiceError({ pluginId: 'plugin-crm', serviceName: 'crm.contacts', method: 'GET', path: '/contacts/9' }, { status: 404, body: { message: 'no such route' } }),
      );
      await expect(failure).rejects.toMatchObject({ status: 404, body: { message: 'no such route' }, code: 'PLUGIN_REMOTE_SERVICE_ERROR' });
      expect(await failure.catch((error: Error) => error.message)).toBe(
        'Service "crm.contacts" of plugin "plugin-crm" answered 404 to GET /contacts/9: {"message":"no such route"}',
      );
    });

    it('maps a 500 with a text body', async () => {
      await expect(asAcme(() => analyticsCalls({ method: 'GET', path: '/boom' }))).rejects.toMatchObject({
        constructor: RemoteServiceError,
        status: 500,
        body: 'kaput',
        message: 'Service "crm.contacts" of plugin "plugin-crm" answered 500 to GET /boom: kaput',
      });
    });

    it('gives up after gatewayTimeoutMs with GatewayTimeoutError', async () => {
      const started = Date.now();
      const failure = asAcme(() => analyticsCalls({ method: 'GET', path: '/slow' }));
      await expect(failure).rejects.toThrow(GatewayTimeoutError);
      await expect(failure).rejects.toThrow(`Service "crm.contacts" of plugin "plugin-crm" did not answer GET /slow within ${TIMEOUT_MS} ms`);
      expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
      expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1_000);
    });

    it('reports a service it cannot reach as RemoteServiceError without status, cause attached', async () => {
      const deadUrl = await closedPortUrl();
      asAcme(() => services.register({ ...crm, baseUrl: deadUrl }));
      const error = (await asAcme(() => analyticsCalls({ method: 'GET', path: '/contacts' })).catch((failure: unknown) => failure)) as RemoteServiceError;
      expect(error).toBeInstanceOf(RemoteServiceError);
      expect(error.message).toMatch(/^Service "crm.contacts" of plugin "plugin-crm" could not be reached for GET \/contacts: fetch failed \(.*ECONNREFUSED/);
      expect(error.status).toBeUndefined();
      expect((error.cause as Error).message).toBe('fetch failed');
    });

    it('refuses an endpoint the service did not declare, without sending anything', async () => {
      for (const path of ['/admin', '/contacts/../admin', '/contacts/%2e%2e/admin', '/../other']) {
        await expect(asAcme(() => analyticsCalls({ method: 'GET', path }))).rejects.toThrow(
          `Service "crm.contacts" of plugin "plugin-crm" declares no endpoint GET ${path} (declared: GET /contacts, GET /contacts/:id, POST /contacts, DELETE /contacts/:id, GET /boom, GET /slow)`,
        );
      }
      await expect(asAcme(() => analyticsCalls({ method: 'PUT', path: '/contacts/1' }))).rejects.toThrow(UndeclaredEndpointError);
      expect(remote.requests).toEqual([]);
    });

    it('refuses a caller that declared no dependency on the target, before looking anything up', async () => {
      const call = gateway.call({ callerPluginId: 'loner', targetPluginId: 'plugin-crm', targetServiceName: 'crm.contacts', method: 'GET', path: '/contacts' });
      await expect(call).rejects.toThrow(new UndeclaredDependencyError('loner', 'plugin-crm'));
      await expect(call).rejects.toThrow('Plugin "loner" did not declare a dependency on "plugin-crm"');
      const unknown = gateway.call({ callerPluginId: 'plugin-unknown', targetPluginId: 'nowhere', targetServiceName: 'x', method: 'GET', path: '/' });
      await expect(unknown).rejects.toThrow(UndeclaredDependencyError);
      expect(remote.requests).toEqual([]);
    });

    it('lets a local plugin call a remote service it depends on', async () => {
      const response = await asAcme(() =>
        gateway.call({ callerPluginId: 'leaderboard', targetPluginId: 'plugin-crm', targetServiceName: 'crm.contacts', method: 'GET', path: '/contacts/1' }),
      );
      expect(response.body).toEqual({ id: '1', name: 'Ada' });
      expect(remote.requests[0].headers['x-caller-plugin-id']).toBe('leaderboard');
    });

    it('keeps tenants apart: another tenant does not find acme’s service', async () => {
      const failure = PluginCallContext.run({ tenantId: 'globex' }, () => analyticsCalls({ method: 'GET', path: '/contacts' }));
      await expect(failure).rejects.toThrow(new ServiceNotFoundError({ serviceName: 'crm.contacts', pluginId: 'plugin-crm' }, 'globex'));
      await expect(analyticsCalls({ method: 'GET', path: '/contacts' })).rejects.toThrow(
        'No healthy service "crm.contacts" of plugin "plugin-crm" (no tenant)',
      );
    });

    it('stops routing to a service whose heartbeats stop, and resumes with the next heartbeat', async () => {
      const { id } = asAcme(() => services.register(crm));
      const state = () => asAcme(() => services.list({ serviceName: 'crm.contacts' })[0].state);
      const contacts = () => asAcme(() => analyticsCalls({ method: 'GET', path: '/contacts' }));

      nowMs += STALE_MS + 1;
      expect(state()).toBe('DEGRADED');
      await expect(contacts()).rejects.toThrow('No healthy service "crm.contacts" of plugin "plugin-crm" for tenant "acme-id"');
      nowMs += STALE_MS;
      expect(state()).toBe('UNAVAILABLE');
      await expect(contacts()).rejects.toThrow(ServiceNotFoundError);
      expect(() => asAcme(() => services.discover('crm.contacts'))).toThrow(ServiceNotFoundError);

      expect(asAcme(() => services.heartbeat(id)).state).toBe('HEALTHY');
      await expect(contacts()).resolves.toMatchObject({ status: 200 });
      expect(remote.requests).toHaveLength(1);
    });
  });

  describe('to a local plugin', () => {
    const leaderboardCalls = (request: Omit<GatewayRequest, 'callerPluginId' | 'targetPluginId' | 'targetServiceName'>) =>
      gateway.call({ callerPluginId: 'leaderboard', targetPluginId: 'user-utils', targetServiceName: 'user-utils', ...request });

    it('calls the exposed method: POST /<method>, an array body as the arguments', async () => {
      const response = await leaderboardCalls({ method: 'POST', path: '/addScore', body: ['u1', 10] });
      expect(response).toMatchObject({ status: 200, body: 10 });
      expect([...response.headers]).toEqual([]);
      await expect(leaderboardCalls({ method: 'POST', path: 'addScore', body: ['u1', 5] })).resolves.toMatchObject({ body: 15 });
    });

    it('runs the method as a call from the caller, in the current tenant', async () => {
      const response = await asAcme(() => leaderboardCalls({ method: 'POST', path: '/whoCalls' }));
      expect(response.body).toEqual({ callerPluginId: 'leaderboard', ...ACME });
    });

    it('passes what the method throws through unchanged', async () => {
      await expect(leaderboardCalls({ method: 'POST', path: '/reject' })).rejects.toBeInstanceOf(ScoreRejected);
    });

    it('refuses anything but POST to an exposed method', async () => {
      await expect(leaderboardCalls({ method: 'GET', path: '/addScore' })).rejects.toThrow(
        'Service "user-utils" of plugin "user-utils" declares no endpoint GET /addScore (declared: POST /addScore, POST /whoCalls, POST /reject)',
      );
      await expect(leaderboardCalls({ method: 'POST', path: '/notExposed' })).rejects.toThrow(UndeclaredEndpointError);
    });

    it('still requires the dependency to be declared', async () => {
      const call = gateway.call({ callerPluginId: 'loner', targetPluginId: 'user-utils', targetServiceName: 'user-utils', method: 'POST', path: '/addScore', body: ['u1', 1] });
      await expect(call).rejects.toThrow('Plugin "loner" did not declare a dependency on "user-utils"');
    });
  });
});
