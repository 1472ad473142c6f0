import 'reflect-metadata';
import { ServiceUnavailableException, type INestApplication } from '@nestjs/common';
import { HealthCheckService, TerminusModule, type HealthIndicatorFunction } from '@nestjs/terminus';
import { Plugin, PluginCallContext } from 'nestjs-plugins';
import { PluginHealthIndicator } from '../../../lib/services/health/plugin-health.indicator.js';
import { ServiceRegistry } from '../../../lib/services/registry/service.registry.js';
import { bootApp } from '../support/boot-app.js';
import { pluginModuleWithServices } from './support/services-app.js';

@Plugin({ name: 'steady', version: '1.0.0' })
class SteadyPlugin {}

@Plugin({ name: 'broken', version: '1.0.0' })
class BrokenPlugin {
  onPluginInit(): void {
    throw new Error('no database');
  }
}

const STALE_MS = 1_000;

/** What terminus' HealthCheckService makes of the indicator: a result, or the ServiceUnavailableException it throws. */
async function checkWith(app: INestApplication): Promise<unknown> {
  const indicator = app.get(PluginHealthIndicator);
  // Compiles only if the indicator's result is what terminus accepts.
  const indicators: HealthIndicatorFunction[] = [() => indicator.isHealthy()];
  try {
    return await app.get(HealthCheckService).check(indicators);
  } catch (error) {
    expect(error).toBeInstanceOf(ServiceUnavailableException);
    return (error as ServiceUnavailableException).getResponse();
  }
}

describe('PluginHealthIndicator with @nestjs/terminus', () => {
  it('is ok while plugins run and remote services beat, an error once a service is UNAVAILABLE', async () => {
    let nowMs = Date.now();
    const app = await bootApp([TerminusModule.forRoot({ logger: false }), pluginModuleWithServices({ plugins: [SteadyPlugin] }, { staleAfterMs: STALE_MS, now: () => nowMs })]);
    try {
      await expect(checkWith(app)).resolves.toMatchObject({ status: 'ok', info: { plugins: { status: 'up', plugins: { active: 1 } } } });

      const services = app.get(ServiceRegistry);
      const { id } = PluginCallContext.run({ tenantId: 'acme' }, () =>
        services.register({ pluginId: 'plugin-crm', serviceName: 'crm.contacts', version: '1.0.0', baseUrl: 'http://127.0.0.1:1', endpoints: [] }),
      );
      nowMs += STALE_MS + 1;
      await expect(checkWith(app)).resolves.toMatchObject({ status: 'ok', info: { plugins: { services: { DEGRADED: 1 } } } });
      nowMs += STALE_MS;
      await expect(checkWith(app)).resolves.toMatchObject({
        status: 'error',
        error: { plugins: { status: 'down', unavailableServices: ['crm.contacts (plugin-crm, tenant acme)'] } },
      });

      PluginCallContext.run({ tenantId: 'acme' }, () => services.heartbeat(id));
      await expect(checkWith(app)).resolves.toMatchObject({ status: 'ok' });
    } finally {
      await app.close();
    }
  });

  it('is an error while a plugin is failed', async () => {
    const app = await bootApp([TerminusModule.forRoot({ logger: false }), pluginModuleWithServices({ plugins: [SteadyPlugin, BrokenPlugin], onError: 'isolate' })]);
    try {
      await expect(checkWith(app)).resolves.toMatchObject({
        status: 'error',
        error: { plugins: { status: 'down', plugins: { active: 1, failed: 1 }, failedPlugins: ['broken'] } },
      });
    } finally {
      await app.close();
    }
  });
});
