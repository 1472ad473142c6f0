import { buildPluginGraph } from '../../../../lib/graph/plugin-graph.js';
import type { PluginInfo } from '../../../../lib/interfaces/plugin-state.interface.js';
import type { ServiceInstance } from '../../../../lib/services/registry/service.types.js';
import { consolePluginRows, servicesByTenant } from '../../../../lib/gateway-module/console/console-views.js';

const info = (name: string, version: string, dependencies: PluginInfo['metadata']['dependencies'] = [], extra: Partial<PluginInfo> = {}): PluginInfo => ({
  name,
  version,
  state: 'active',
  metadata: { name, version, dependencies },
  ...extra,
});

describe('consolePluginRows', () => {
  it('lists each plugin with its dependencies (range, optional, satisfied), its dependents and its error message', () => {
    const plugins = [
      info('user-utils', '1.2.0'),
      info('leaderboard', '1.0.0', [{ name: 'user-utils', version: '^2.0.0' }, { name: 'mailer', optional: true }], {
        state: 'failed',
        error: new Error('Plugin "leaderboard" failed to start'),
      }),
    ];
    const graph = buildPluginGraph(
      plugins.map((plugin) => ({
        name: plugin.name,
        version: plugin.version,
        state: plugin.state,
        dependencies: (plugin.metadata.dependencies ?? []).map((dependency) =>
          typeof dependency === 'string' ? { name: dependency, version: '*', optional: false } : { name: dependency.name, version: dependency.version ?? '*', optional: dependency.optional ?? false },
        ),
      })),
    );
    expect(consolePluginRows(plugins, graph, (text) => text)).toEqual([
      { name: 'user-utils', version: '1.2.0', state: 'active', dependencies: [], dependents: ['leaderboard'] },
      {
        name: 'leaderboard',
        version: '1.0.0',
        state: 'failed',
        error: 'Plugin "leaderboard" failed to start',
        dependencies: [
          { name: 'user-utils', range: '^2.0.0', optional: false, satisfied: false },
          { name: 'mailer', range: '*', optional: true, satisfied: false },
        ],
        dependents: [],
      },
    ]);
  });
});

describe('servicesByTenant', () => {
  const service = (serviceName: string, tenantId?: string): ServiceInstance => ({
    id: serviceName,
    pluginId: serviceName,
    serviceName,
    version: '1.0.0',
    kind: tenantId === undefined ? 'local' : 'remote',
    endpoints: [],
    state: 'HEALTHY',
    ...(tenantId === undefined ? {} : { tenantId }),
  });

  it('puts what every tenant sees first, then each tenant by name, keeping registration order', () => {
    const groups = servicesByTenant([service('crm'), service('stock', 'hooli'), service('billing', 'acme'), service('mail', 'acme')]);
    expect(groups.map(({ tenantId, services }) => [tenantId, services.map((s) => s.serviceName)])).toEqual([
      [null, ['crm']],
      ['acme', ['billing', 'mail']],
      ['hooli', ['stock']],
    ]);
  });

  it('keeps the shared group when there are no services', () => {
    expect(servicesByTenant([])).toEqual([{ tenantId: null, services: [] }]);
  });
});

describe('servicesByTenant with the registry', () => {
  it('lists a failed plugin that has no service left as UNAVAILABLE among the shared ones, and leaves others alone', () => {
    const plugins = [info('ledger', '1.0.0'), info('meter', '0.1.0', [], { state: 'failed', error: new Error('down') })];
    const [shared] = servicesByTenant([], plugins);
    expect(shared!.services).toEqual([
      { id: 'local:meter', pluginId: 'meter', serviceName: 'meter', version: '0.1.0', kind: 'local', endpoints: [], state: 'UNAVAILABLE' },
    ]);
  });
});
