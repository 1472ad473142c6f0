import { PluginCallContext } from '../../../../lib/context/plugin-call-context.js';
import { InvalidServiceRegistrationError, ServiceNotFoundError } from '../../../../lib/errors/service.errors.js';
import { ServiceRegistry } from '../../../../lib/services/registry/service.registry.js';
import type { RemoteServiceRegistration } from '../../../../lib/services/registry/service.types.js';
import { FakeClock, storeOf } from '../support/fake-records.js';

const STALE_MS = 1_000;

function contacts(overrides: Partial<RemoteServiceRegistration> = {}): RemoteServiceRegistration {
  return {
    pluginId: 'plugin-crm',
    serviceName: 'crm.contacts',
    version: '1.0.0',
    baseUrl: 'http://localhost:3100',
    endpoints: [
      { method: 'GET', path: '/contacts' },
      { method: 'GET', path: '/contacts/:id' },
    ],
    ...overrides,
  };
}

const inTenant = <T>(tenantId: string, fn: () => T): T => PluginCallContext.run({ tenantId }, fn);

describe('ServiceRegistry', () => {
  let clock: FakeClock;
  let registry: ServiceRegistry;

  beforeEach(() => {
    clock = new FakeClock();
    const records = storeOf(
      { name: 'user-utils', version: '1.2.0', methods: ['getScore', 'addScore'] },
      { name: 'stopped', state: 'inactive', methods: ['x'] },
    );
    registry = new ServiceRegistry(records, { staleAfterMs: STALE_MS, now: clock.now });
  });

  describe('state from heartbeats', () => {
    it('goes HEALTHY → DEGRADED → UNAVAILABLE as heartbeats stop, and back to HEALTHY with one', () => {
      const { id } = inTenant('acme', () => registry.register(contacts()));
      const stateNow = () => inTenant('acme', () => registry.list({ serviceName: 'crm.contacts' })[0].state);

      clock.advance(STALE_MS);
      expect(stateNow()).toBe('HEALTHY'); // "more than staleAfterMs", not "as much as"
      clock.advance(1);
      expect(stateNow()).toBe('DEGRADED');
      expect(() => inTenant('acme', () => registry.discover('crm.contacts'))).toThrow(ServiceNotFoundError);
      clock.advance(STALE_MS);
      expect(stateNow()).toBe('UNAVAILABLE');
      expect(() => inTenant('acme', () => registry.discover('crm.contacts'))).toThrow('No healthy service "crm.contacts" for tenant "acme"');

      const beat = inTenant('acme', () => registry.heartbeat(id));
      expect(beat).toMatchObject({ id, state: 'HEALTHY', lastHeartbeatAt: new Date(clock.nowMs).toISOString() });
      expect(inTenant('acme', () => registry.discover('crm.contacts')).id).toBe(id);
    });

    it('counts from the registration until the first heartbeat', () => {
      const registered = registry.register(contacts());
      expect(registered.registeredAt).toBe(new Date(clock.nowMs).toISOString());
      expect(registered.lastHeartbeatAt).toBeUndefined();
      clock.advance(STALE_MS * 2 + 1);
      expect(registry.list()[registry.list().length - 1].state).toBe('UNAVAILABLE');
    });

    it('rejects a heartbeat for an unknown id', () => {
      expect(() => registry.heartbeat('nope')).toThrow('No service with id "nope" (no tenant)');
    });
  });

  describe('tenants', () => {
    it('shows a tenant its own registrations and those made outside any tenant, never another tenant’s', () => {
      inTenant('acme', () => registry.register(contacts({ baseUrl: 'http://acme' })));
      inTenant('globex', () => registry.register(contacts({ baseUrl: 'http://globex' })));
      registry.register(contacts({ serviceName: 'crm.deals', baseUrl: 'http://everyone' }));

      const remoteUrls = (tenantId?: string) =>
        (tenantId === undefined ? registry.list() : inTenant(tenantId, () => registry.list())).filter((s) => s.kind === 'remote').map((s) => s.baseUrl);
      expect(remoteUrls('acme')).toEqual(['http://acme', 'http://everyone']);
      expect(remoteUrls('globex')).toEqual(['http://globex', 'http://everyone']);
      expect(remoteUrls('initech')).toEqual(['http://everyone']);
      expect(remoteUrls()).toEqual(['http://everyone']);
      expect(inTenant('acme', () => registry.discover('crm.contacts')).tenantId).toBe('acme');
      expect(() => inTenant('initech', () => registry.discover('crm.contacts'))).toThrow('No healthy service "crm.contacts" for tenant "initech"');
      expect(registry.listAllTenants({ serviceName: 'crm.contacts' }).map((s) => s.tenantId)).toEqual(['acme', 'globex']);
    });

    it('deregisters and heartbeats within the current tenant only', () => {
      const acme = inTenant('acme', () => registry.register(contacts()));
      expect(inTenant('globex', () => registry.deregister('plugin-crm', 'crm.contacts'))).toBe(false);
      expect(registry.deregister('plugin-crm', 'crm.contacts')).toBe(false);
      expect(() => inTenant('globex', () => registry.heartbeat(acme.id))).toThrow(`No service with id "${acme.id}" for tenant "globex"`);
      expect(inTenant('acme', () => registry.deregister('plugin-crm', 'crm.contacts'))).toBe(true);
      expect(inTenant('acme', () => registry.list({ pluginId: 'plugin-crm' }))).toEqual([]);
      expect(inTenant('acme', () => registry.deregister('plugin-crm', 'crm.contacts'))).toBe(false);
    });

    it('replaces a re-registration of the same plugin and service for the same tenant, keeping its id', () => {
      const first = inTenant('acme', () => registry.register(contacts()));
      clock.advance(STALE_MS * 3);
      const second = inTenant('acme', () => registry.register(contacts({ version: '1.1.0', endpoints: [{ method: 'POST', path: '/contacts' }] })));
      expect(second).toMatchObject({ id: first.id, version: '1.1.0', state: 'HEALTHY', endpoints: [{ method: 'POST', path: '/contacts' }] });
      expect(inTenant('acme', () => registry.list({ pluginId: 'plugin-crm' }))).toHaveLength(1);
      const other = inTenant('globex', () => registry.register(contacts()));
      expect(other.id).not.toBe(first.id);
    });
  });

  describe('discover', () => {
    it('prefers the local plugin over a remote service of the same name', () => {
      registry.register(contacts({ pluginId: 'remote-utils', serviceName: 'user-utils' }));
      expect(registry.discover('user-utils')).toMatchObject({ kind: 'local', pluginId: 'user-utils', version: '1.2.0' });
      expect(registry.discover('user-utils', 'remote-utils')).toMatchObject({ kind: 'remote', pluginId: 'remote-utils' });
    });

    it('among remote services, takes the one heard from most recently', () => {
      const older = registry.register(contacts({ pluginId: 'crm-a' }));
      clock.advance(10);
      const newer = registry.register(contacts({ pluginId: 'crm-b' }));
      expect(registry.discover('crm.contacts').id).toBe(newer.id);
      clock.advance(10);
      registry.heartbeat(older.id);
      expect(registry.discover('crm.contacts').id).toBe(older.id);
    });

    it('filters by plugin and names it in the error', () => {
      registry.register(contacts());
      expect(registry.discover('crm.contacts', 'plugin-crm').pluginId).toBe('plugin-crm');
      expect(() => registry.discover('crm.contacts', 'plugin-other')).toThrow('No healthy service "crm.contacts" of plugin "plugin-other" (no tenant)');
    });
  });

  describe('local plugins', () => {
    it('lists every active plugin as a HEALTHY service whose endpoints are its exposed methods', () => {
      expect(registry.list({ pluginId: 'user-utils' })).toEqual([
        {
          id: 'local:user-utils',
          pluginId: 'user-utils',
          serviceName: 'user-utils',
          version: '1.2.0',
          kind: 'local',
          endpoints: [
            { method: 'POST', path: '/getScore' },
            { method: 'POST', path: '/addScore' },
          ],
          state: 'HEALTHY',
        },
      ]);
      expect(registry.list({ pluginId: 'stopped' })).toEqual([]);
      expect(() => registry.discover('stopped')).toThrow('No healthy service "stopped" (no tenant)');
    });

    it('reads the plugin’s state on every call, copying nothing', () => {
      const records = storeOf({ name: 'flaky', methods: ['ping'] });
      const local = new ServiceRegistry(records);
      expect(local.discover('flaky').kind).toBe('local');
      records.get('flaky')!.state = 'stopping';
      expect(local.list()).toEqual([]);
    });

    it('refuses a remote registration under a local plugin’s name', () => {
      expect(() => registry.register(contacts({ pluginId: 'stopped' }))).toThrow(
        new InvalidServiceRegistrationError(['pluginId "stopped" is the name of a local plugin']),
      );
    });
  });

  it('filters list by service name, plugin and state', () => {
    registry.register(contacts());
    clock.advance(STALE_MS + 1);
    registry.register(contacts({ serviceName: 'crm.deals' }));
    expect(registry.list({ state: 'DEGRADED' }).map((s) => s.serviceName)).toEqual(['crm.contacts']);
    expect(registry.list({ state: 'HEALTHY' }).map((s) => s.serviceName)).toEqual(['user-utils', 'crm.deals']);
    expect(registry.list({ pluginId: 'plugin-crm', serviceName: 'crm.deals' })).toHaveLength(1);
  });

  it('keeps its own copy of a registration', () => {
    const registration = contacts({ metadata: { team: 'crm' } });
    registry.register(registration);
    registration.endpoints.push({ method: 'DELETE', path: '/contacts/:id' });
    registration.metadata!.team = 'changed';
    const [listed] = registry.list({ pluginId: 'plugin-crm' });
    expect(listed.endpoints).toHaveLength(2);
    expect(listed.metadata).toEqual({ team: 'crm' });
    listed.endpoints.pop();
    expect(registry.list({ pluginId: 'plugin-crm' })[0].endpoints).toHaveLength(2);
  });

  it('uses Date.now and a 30 s staleness when given no options', () => {
    const defaults = new ServiceRegistry(storeOf());
    const registered = defaults.register(contacts());
    expect(Date.parse(registered.registeredAt!)).toBeGreaterThan(Date.now() - 5_000);
    expect(registered.state).toBe('HEALTHY');
  });
});
