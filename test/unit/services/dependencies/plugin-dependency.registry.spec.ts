import { PluginCallContext } from '../../../../lib/context/plugin-call-context.js';
import { InvalidDependencyRegistrationError } from '../../../../lib/errors/service.errors.js';
import { PluginDependencyRegistry } from '../../../../lib/services/dependencies/plugin-dependency.registry.js';
import { ServiceRegistry } from '../../../../lib/services/registry/service.registry.js';
import type { RemoteServiceRegistration } from '../../../../lib/services/registry/service.types.js';
import { FakeClock, storeOf } from '../support/fake-records.js';

const STALE_MS = 1_000;
const inTenant = <T>(tenantId: string, fn: () => T): T => PluginCallContext.run({ tenantId }, fn);

function service(pluginId: string, version: string): RemoteServiceRegistration {
  return { pluginId, serviceName: `${pluginId}.api`, version, baseUrl: 'http://localhost:3100', endpoints: [] };
}

describe('PluginDependencyRegistry', () => {
  let clock: FakeClock;
  let services: ServiceRegistry;
  let dependencies: PluginDependencyRegistry;

  beforeEach(() => {
    clock = new FakeClock();
    const records = storeOf(
      { name: 'user-utils', version: '1.2.0' },
      { name: 'leaderboard', dependencies: [{ name: 'user-utils', version: '^1.0.0', reason: 'scores' }, { name: 'plugin-crm', optional: true }] },
      { name: 'broken', state: 'failed', version: '2.0.0' },
    );
    services = new ServiceRegistry(records, { staleAfterMs: STALE_MS, now: clock.now });
    dependencies = new PluginDependencyRegistry(records, services);
  });

  it('registers remote dependencies, required by default', () => {
    const stored = dependencies.register([
      { pluginId: 'plugin-analytics', dependsOnPluginId: 'plugin-crm', version: '^1.0.0' },
      { pluginId: 'plugin-analytics', dependsOnPluginId: 'user-utils', version: '*', required: false, reason: 'scores' },
    ]);
    expect(stored).toEqual([
      { pluginId: 'plugin-analytics', dependsOnPluginId: 'plugin-crm', version: '^1.0.0', required: true, source: 'registered' },
      { pluginId: 'plugin-analytics', dependsOnPluginId: 'user-utils', version: '*', required: false, reason: 'scores', source: 'registered' },
    ]);
    expect(dependencies.dependenciesOf('plugin-analytics')).toEqual(stored);
  });

  it('counts local plugins’ declared dependencies', () => {
    expect(dependencies.dependenciesOf('leaderboard')).toEqual([
      { pluginId: 'leaderboard', dependsOnPluginId: 'user-utils', version: '^1.0.0', required: true, reason: 'scores', source: 'local' },
      { pluginId: 'leaderboard', dependsOnPluginId: 'plugin-crm', version: '*', required: false, source: 'local' },
    ]);
    expect(dependencies.declares('leaderboard', 'plugin-crm')).toBe(true);
    expect(dependencies.declares('leaderboard', 'broken')).toBe(false);
  });

  it('refuses invalid registrations as a whole, every problem listed', () => {
    expect(() =>
      dependencies.register([
        { pluginId: 'a', dependsOnPluginId: 'b', version: '^1.0.0' },
        { pluginId: '', dependsOnPluginId: 'b', version: 'one', required: 'yes' as never },
        { pluginId: 'c', dependsOnPluginId: 'c', version: '*' },
      ]),
    ).toThrow(
      new InvalidDependencyRegistrationError([
        'dependencies[1].pluginId must be a non-empty string (got "")',
        'dependencies[1].version must be a semver range (got "one")',
        'dependencies[1].required must be a boolean (got "yes")',
        'dependencies[2]: plugin "c" cannot depend on itself',
      ]),
    );
    expect(dependencies.dependenciesOf('a')).toEqual([]);
    expect(() => dependencies.register({} as never)).toThrow('Invalid dependency registration: dependencies must be an array (got {})');
  });

  it('refuses registrations for a local plugin: its metadata says what it depends on', () => {
    expect(() => dependencies.register([{ pluginId: 'leaderboard', dependsOnPluginId: 'x', version: '*' }])).toThrow(
      'Invalid dependency registration: "leaderboard" is a local plugin: its dependencies come from its @Plugin metadata',
    );
  });

  describe('resolve', () => {
    it('finds active local plugins and HEALTHY remote services whose version satisfies the range', () => {
      services.register(service('plugin-crm', '1.5.0'));
      dependencies.register([
        { pluginId: 'plugin-analytics', dependsOnPluginId: 'plugin-crm', version: '^1.0.0' },
        { pluginId: 'plugin-analytics', dependsOnPluginId: 'user-utils', version: '~1.2.0' },
      ]);
      expect(dependencies.resolve('plugin-analytics')).toEqual({
        pluginId: 'plugin-analytics',
        resolved: true,
        dependencies: [
          { dependsOnPluginId: 'plugin-crm', version: '^1.0.0', required: true, available: true, foundVersion: '1.5.0' },
          { dependsOnPluginId: 'user-utils', version: '~1.2.0', required: true, available: true, foundVersion: '1.2.0' },
        ],
        valid: true,
        errors: [],
        warnings: [],
        installOrder: ['plugin-crm', 'user-utils', 'plugin-analytics'],
      });
    });

    it('reports a version mismatch, an absent plugin and a failed one; optional ones do not fail it', () => {
      services.register(service('plugin-crm', '1.5.0'));
      dependencies.register([
        { pluginId: 'plugin-analytics', dependsOnPluginId: 'plugin-crm', version: '^2.0.0' },
        { pluginId: 'plugin-analytics', dependsOnPluginId: 'inventory', version: '*', required: false },
        { pluginId: 'plugin-analytics', dependsOnPluginId: 'broken', version: '2.x' },
      ]);
      const resolution = dependencies.resolve('plugin-analytics');
      expect(resolution.resolved).toBe(false);
      expect(resolution).toMatchObject({
        valid: false,
        errors: [
          'Plugin "plugin-analytics" requires "plugin-crm" (^2.0.0), but the available version is 1.5.0',
          'Plugin "plugin-analytics" requires "broken" (2.x), which is not available (no active plugin or healthy service)',
        ],
        warnings: ['Plugin "plugin-analytics" optionally depends on "inventory" (any version), which is not available (no active plugin or healthy service)'],
        installOrder: ['plugin-crm', 'broken', 'plugin-analytics'],
      });
      expect(resolution.dependencies).toEqual([
        {
          dependsOnPluginId: 'plugin-crm',
          version: '^2.0.0',
          required: true,
          available: false,
          foundVersion: '1.5.0',
          problem: 'Version mismatch: plugin-crm@1.5.0 does not satisfy ^2.0.0 (required by plugin-analytics)',
        },
        { dependsOnPluginId: 'inventory', version: '*', required: false, available: false, problem: '"inventory" is not available (no active plugin or healthy service)' },
        { dependsOnPluginId: 'broken', version: '2.x', required: true, available: false, problem: '"broken" is not available (no active plugin or healthy service)' },
      ]);
      // a local plugin's dependency may be met by a remote service
      expect(dependencies.resolve('leaderboard')).toMatchObject({ resolved: true, dependencies: [{ available: true }, { available: true, foundVersion: '1.5.0' }] });
    });

    it('does not count a remote service that stopped sending heartbeats', () => {
      services.register(service('plugin-crm', '1.5.0'));
      dependencies.register([{ pluginId: 'plugin-analytics', dependsOnPluginId: 'plugin-crm', version: '^1.0.0' }]);
      clock.advance(STALE_MS + 1);
      expect(dependencies.resolve('plugin-analytics')).toMatchObject({ resolved: false, valid: false });
    });

    it('answers the seed’s fields over the whole dependency closure: errors, warnings, install order', () => {
      services.register(service('plugin-crm', '1.5.0'));
      dependencies.register([
        { pluginId: 'plugin-reports', dependsOnPluginId: 'plugin-analytics', version: '^1.0.0' },
        { pluginId: 'plugin-reports', dependsOnPluginId: 'leaderboard', version: '*', reason: 'ranks' },
        { pluginId: 'plugin-analytics', dependsOnPluginId: 'plugin-crm', version: '^1.0.0' },
        { pluginId: 'plugin-analytics', dependsOnPluginId: 'plugin-mail', version: '*', required: false },
      ]);
      const resolution = dependencies.resolve('plugin-reports');
      // its direct dependencies: plugin-analytics is not running, so it is not resolved
      expect(resolution.resolved).toBe(false);
      expect(resolution).toMatchObject({
        valid: false,
        errors: ['Plugin "plugin-reports" requires "plugin-analytics" (^1.0.0), which is not available (no active plugin or healthy service)'],
        warnings: [
          'Plugin "plugin-analytics" optionally depends on "plugin-mail" (any version), which is not available (no active plugin or healthy service)',
        ],
        // dependencies first, in declaration order; the absent optional plugin-mail is left out
        installOrder: ['plugin-crm', 'plugin-analytics', 'user-utils', 'leaderboard', 'plugin-reports'],
      });
    });

    it('reports a cycle among registered plugins as an error, leaving the cycle out of the order', () => {
      services.register(service('plugin-a', '1.0.0'));
      services.register(service('plugin-b', '1.0.0'));
      dependencies.register([
        { pluginId: 'plugin-a', dependsOnPluginId: 'plugin-b', version: '*' },
        { pluginId: 'plugin-b', dependsOnPluginId: 'plugin-a', version: '*' },
        { pluginId: 'plugin-b', dependsOnPluginId: 'user-utils', version: '*' },
      ]);
      expect(dependencies.resolve('plugin-a')).toMatchObject({
        resolved: true,
        valid: false,
        errors: ['Circular dependency detected: plugin-a -> plugin-b -> plugin-a'],
        warnings: [],
        installOrder: ['user-utils'],
      });
    });

    it('resolves an unknown plugin trivially', () => {
      expect(dependencies.resolve('nobody')).toEqual({ pluginId: 'nobody', resolved: true, dependencies: [], valid: true, errors: [], warnings: [], installOrder: ['nobody'] });
    });
  });

  it('lists dependents and blocks uninstalling what a local or registered plugin requires', () => {
    dependencies.register([
      { pluginId: 'plugin-analytics', dependsOnPluginId: 'user-utils', version: '*' },
      { pluginId: 'plugin-reports', dependsOnPluginId: 'user-utils', version: '*', required: false },
      { pluginId: 'plugin-reports', dependsOnPluginId: 'plugin-crm', version: '*', required: false },
    ]);
    expect(dependencies.dependentsOf('user-utils').map((d) => `${d.pluginId}:${d.source}`)).toEqual([
      'leaderboard:local',
      'plugin-analytics:registered',
      'plugin-reports:registered',
    ]);
    expect(dependencies.canUninstall('user-utils')).toEqual({
      pluginId: 'user-utils',
      canUninstall: false,
      blockedBy: [
        { pluginId: 'leaderboard', reason: 'scores' },
        { pluginId: 'plugin-analytics', reason: 'requires "user-utils" (any version)' },
      ],
    });
    // optional dependents do not block
    expect(dependencies.canUninstall('plugin-crm')).toEqual({ pluginId: 'plugin-crm', canUninstall: true, blockedBy: [] });
  });

  it('gives each blocker once, with the reason declared with its dependency or the range it requires', () => {
    dependencies.register([
      { pluginId: 'plugin-analytics', dependsOnPluginId: 'plugin-crm', version: '^1.0.0', reason: '  ' },
      { pluginId: 'plugin-mail', dependsOnPluginId: 'plugin-crm', version: '*', reason: 'Send to contacts' },
    ]);
    expect(dependencies.canUninstall('plugin-crm').blockedBy).toEqual([
      { pluginId: 'plugin-analytics', reason: 'requires "plugin-crm" (^1.0.0)' },
      { pluginId: 'plugin-mail', reason: 'Send to contacts' },
    ]);
  });

  it('keeps tenants apart; a global registration is seen by all until a tenant registers its own', () => {
    dependencies.register([{ pluginId: 'plugin-analytics', dependsOnPluginId: 'plugin-crm', version: '^1.0.0' }]);
    inTenant('acme', () => dependencies.register([{ pluginId: 'plugin-analytics', dependsOnPluginId: 'plugin-crm', version: '^2.0.0' }]));
    inTenant('acme', () => dependencies.register([{ pluginId: 'plugin-marketing', dependsOnPluginId: 'plugin-crm', version: '*' }]));

    expect(inTenant('acme', () => dependencies.dependenciesOf('plugin-analytics'))).toEqual([
      { pluginId: 'plugin-analytics', dependsOnPluginId: 'plugin-crm', version: '^2.0.0', required: true, source: 'registered', tenantId: 'acme' },
    ]);
    expect(inTenant('globex', () => dependencies.dependenciesOf('plugin-analytics')).map((d) => d.version)).toEqual(['^1.0.0']);
    const blockers = (tenantId: string) => inTenant(tenantId, () => dependencies.canUninstall('plugin-crm')).blockedBy.map((blocker) => blocker.pluginId);
    expect(blockers('acme')).toEqual(['plugin-analytics', 'plugin-marketing']);
    expect(blockers('globex')).toEqual(['plugin-analytics']);
    expect(inTenant('globex', () => dependencies.declares('plugin-marketing', 'plugin-crm'))).toBe(false);
    expect(inTenant('acme', () => dependencies.declares('plugin-marketing', 'plugin-crm'))).toBe(true);
  });
});
