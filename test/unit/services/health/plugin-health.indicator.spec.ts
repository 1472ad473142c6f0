import { PluginCallContext } from '../../../../lib/context/plugin-call-context.js';
import { PluginHealthIndicator } from '../../../../lib/services/health/plugin-health.indicator.js';
import { ServiceRegistry } from '../../../../lib/services/registry/service.registry.js';
import { FakeClock, storeOf } from '../support/fake-records.js';

const STALE_MS = 1_000;
const endpoints: never[] = [];

describe('PluginHealthIndicator', () => {
  it('is up with every plugin running and every service alive, DEGRADED ones included', () => {
    const clock = new FakeClock();
    const records = storeOf({ name: 'user-utils' }, { name: 'leaderboard' }, { name: 'late', state: 'initializing' });
    const services = new ServiceRegistry(records, { staleAfterMs: STALE_MS, now: clock.now });
    services.register({ pluginId: 'plugin-crm', serviceName: 'crm.contacts', version: '1.0.0', baseUrl: 'http://crm', endpoints });
    clock.advance(STALE_MS + 1);

    expect(new PluginHealthIndicator(records, services).isHealthy()).toEqual({
      plugins: {
        status: 'up',
        plugins: { active: 2, initializing: 1 },
        services: { HEALTHY: 2, DEGRADED: 1, UNAVAILABLE: 0 },
        failedPlugins: [],
        unavailableServices: [],
      },
    });
  });

  it('is down with a failed plugin or an UNAVAILABLE service of any tenant, naming them', () => {
    const clock = new FakeClock();
    const records = storeOf({ name: 'user-utils' }, { name: 'broken', state: 'failed' });
    const services = new ServiceRegistry(records, { staleAfterMs: STALE_MS, now: clock.now });
    PluginCallContext.run({ tenantId: 'acme' }, () =>
      services.register({ pluginId: 'plugin-crm', serviceName: 'crm.contacts', version: '1.0.0', baseUrl: 'http://crm', endpoints }),
    );
    clock.advance(2 * STALE_MS + 1);

    expect(new PluginHealthIndicator(records, services).isHealthy('extensions')).toEqual({
      extensions: {
        status: 'down',
        plugins: { active: 1, failed: 1 },
        services: { HEALTHY: 1, DEGRADED: 0, UNAVAILABLE: 1 },
        failedPlugins: ['broken'],
        unavailableServices: ['crm.contacts (plugin-crm, tenant acme)'],
      },
    });
  });
});
