import type { StoredService } from '../../../lib/services/registry/service-publisher.js';
import { ServiceRegistry } from '../../../lib/services/registry/service.registry.js';
import { FakeClock, storeOf } from '../services/support/fake-records.js';

const STALE_MS = 1_000;

function stored(overrides: Partial<StoredService> = {}): StoredService {
  return {
    id: 'svc-1',
    tenantId: undefined,
    registration: { pluginId: 'crm', serviceName: 'crm.contacts', version: '1.0.0', baseUrl: 'http://127.0.0.1:3100', endpoints: [{ method: 'GET', path: '/contacts' }] },
    registeredAtMs: 0,
    heartbeatAtMs: undefined,
    ...overrides,
  };
}

describe('ServiceRegistry.restoreRemote (cluster sync)', () => {
  it('takes state from the stored heartbeat age, the same rule as for local heartbeats', () => {
    const clock = new FakeClock(10_000);
    const registry = new ServiceRegistry(storeOf(), { staleAfterMs: STALE_MS, now: clock.now });
    registry.restoreRemote([stored({ registeredAtMs: 5_000, heartbeatAtMs: 9_500 })]);
    expect(registry.discover('crm.contacts')).toMatchObject({ id: 'svc-1', state: 'HEALTHY' });
    clock.advance(2 * STALE_MS);
    expect(registry.listAllTenants()).toMatchObject([{ id: 'svc-1', state: 'UNAVAILABLE' }]);
  });

  it('keeps a heartbeat heard here that the store does not have yet, and drops what the store no longer has', () => {
    const clock = new FakeClock(10_000);
    const registry = new ServiceRegistry(storeOf(), { staleAfterMs: STALE_MS, now: clock.now });
    registry.restoreRemote([stored({ registeredAtMs: 5_000, heartbeatAtMs: 6_000 })]);
    registry.heartbeat('svc-1');
    registry.restoreRemote([stored({ registeredAtMs: 5_000, heartbeatAtMs: 6_000 })]);
    expect(registry.listAllTenants()).toMatchObject([{ id: 'svc-1', state: 'HEALTHY', lastHeartbeatAt: new Date(10_000).toISOString() }]);

    registry.restoreRemote([]);
    expect(registry.listAllTenants()).toEqual([]);
  });
});
