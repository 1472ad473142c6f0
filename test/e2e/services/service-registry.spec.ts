import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { Expose, Plugin, PluginCallContext, PluginManager } from 'nestjs-plugins';
import { PluginDependencyRegistry } from '../../../lib/services/dependencies/plugin-dependency.registry.js';
import { ServiceRegistry } from '../../../lib/services/registry/service.registry.js';
import { bootApp } from '../support/boot-app.js';
import { pluginModuleWithServices } from './support/services-app.js';

@Plugin({ name: 'user-utils', version: '1.2.0' })
class UserUtilsPlugin {
  @Expose()
  getScore(): number {
    return 1;
  }

  @Expose('award')
  addScore(): void {}
}

@Plugin({ name: 'leaderboard', version: '1.0.0', dependencies: [{ name: 'user-utils', version: '^1.0.0' }, { name: 'plugin-crm', version: '^2.0.0', optional: true }] })
class LeaderboardPlugin {}

describe('services of a running application', () => {
  let app: INestApplication;
  let services: ServiceRegistry;
  let dependencies: PluginDependencyRegistry;

  beforeAll(async () => {
    app = await bootApp([pluginModuleWithServices({ plugins: [UserUtilsPlugin, LeaderboardPlugin] })]);
    services = app.get(ServiceRegistry);
    dependencies = app.get(PluginDependencyRegistry);
  });
  afterAll(() => app.close());

  it('lists each active plugin as a service with its exposed methods', () => {
    expect(services.discover('user-utils')).toEqual({
      id: 'local:user-utils',
      pluginId: 'user-utils',
      serviceName: 'user-utils',
      version: '1.2.0',
      kind: 'local',
      endpoints: [
        { method: 'POST', path: '/getScore' },
        { method: 'POST', path: '/award' },
      ],
      state: 'HEALTHY',
    });
    expect(services.list().map((service) => service.serviceName)).toEqual(['user-utils', 'leaderboard']);
  });

  it('resolves local plugins’ dependencies against local plugins and remote services', () => {
    PluginCallContext.run({ tenantId: 'acme' }, () =>
      services.register({ pluginId: 'plugin-crm', serviceName: 'crm.contacts', version: '1.9.0', baseUrl: 'http://127.0.0.1:1', endpoints: [] }),
    );
    expect(PluginCallContext.run({ tenantId: 'acme' }, () => dependencies.resolve('leaderboard'))).toEqual({
      pluginId: 'leaderboard',
      resolved: true,
      dependencies: [
        { dependsOnPluginId: 'user-utils', version: '^1.0.0', required: true, available: true, foundVersion: '1.2.0' },
        {
          dependsOnPluginId: 'plugin-crm',
          version: '^2.0.0',
          required: false,
          available: false,
          foundVersion: '1.9.0',
          problem: 'Version mismatch: plugin-crm@1.9.0 does not satisfy ^2.0.0 (required by leaderboard)',
        },
      ],
      valid: true,
      errors: [],
      warnings: ['Plugin "leaderboard" optionally depends on "plugin-crm" (^2.0.0), but the available version is 1.9.0'],
      installOrder: ['user-utils', 'leaderboard'],
    });
    expect(dependencies.canUninstall('user-utils')).toEqual({
      pluginId: 'user-utils',
      canUninstall: false,
      blockedBy: [{ pluginId: 'leaderboard', reason: 'requires "user-utils" (^1.0.0)' }],
    });
  });

  it('follows the plugins as they stop: nothing is copied', async () => {
    await app.get(PluginManager).unload('leaderboard');
    expect(services.list().map((service) => service.serviceName)).toEqual(['user-utils']);
    expect(dependencies.canUninstall('user-utils').canUninstall).toBe(true);
  });
});
