import 'reflect-metadata';
import { Plugin, PluginModule, PluginRegistry } from 'nestjs-plugins';
import { pluginLogBook } from '../../../lib/observability/logs/plugin-log-book.js';
import { bootApp } from '../support/boot-app.js';

/** SPEC §18 logs: a plugin that fails to start shows why in its error ring (the console's errors panel). */
describe('onPluginInit failures in the error ring', () => {
  it("keeps what onPluginInit threw, with its code, in the failing plugin's error ring", async () => {
    @Plugin({ name: 'init-breaker', version: '1.0.0' })
    class InitBreakerPlugin {
      async onPluginInit(): Promise<void> {
        throw Object.assign(new Error('cannot reach the billing API'), { code: 'BILLING_DOWN' });
      }
    }
    @Plugin({ name: 'init-fine', version: '1.0.0' })
    class InitFinePlugin {}

    const app = await bootApp([PluginModule.forRoot({ plugins: [InitBreakerPlugin, InitFinePlugin], onError: 'isolate' })]);
    try {
      expect(app.get(PluginRegistry).list().map(({ name, state }) => [name, state])).toEqual([
        ['init-breaker', 'failed'],
        ['init-fine', 'active'],
      ]);
      const { errors } = pluginLogBook.of('init-breaker');
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ level: 'error', plugin: 'init-breaker', message: 'lifecycle onPluginInit failed: BILLING_DOWN cannot reach the billing API' });
      expect(errors[0]!.stack).toContain('cannot reach the billing API');
      expect(pluginLogBook.of('init-fine').errors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
