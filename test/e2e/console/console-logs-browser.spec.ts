import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { Expose, Plugin, PluginModule, PluginRegistry, type OnPluginInit, type PluginContext } from 'nestjs-plugins';
import { PluginGatewayModule } from 'nestjs-plugins/gateway';
import { bootApp } from '../support/boot-app.js';
import { CHROMIUM_SKIPPED, enterKey, HAS_CHROMIUM, launchChromium, openPage } from './chromium.js';

const OPERATOR_KEY = 'logs-operator-key';
const FLAKY_KEY = 'logs-flaky-key';
const GATEWAY = '/api/plugin-gateway';
/** A plugin's error must reach the open page this soon after it threw. */
const LIVE_UPDATE_MS = 1000;

@Plugin({ name: 'flaky', version: '1.0.0' })
class FlakyPlugin implements OnPluginInit {
  onPluginInit(ctx: PluginContext): void {
    ctx.logger.log('flaky is up');
  }

  @Expose()
  explode(): never {
    throw new Error(`flaky broke in ${process.cwd()}/flaky.ts`);
  }
}

/** SPEC §18: a plugin's recent errors and log lines, over the admin route and live in the console. */
describe('plugin logs over REST and in the console', () => {
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    app = await bootApp([
      PluginModule.forRoot({ plugins: [FlakyPlugin] }),
      PluginGatewayModule.forRoot({ apiKey: OPERATOR_KEY, pluginKeys: { flaky: FLAKY_KEY }, console: true }),
    ]);
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app?.close();
  });

  const callExplode = () => (app.get(PluginRegistry) as unknown as { call(name: string, method: string): unknown }).call('flaky', 'explode');
  const explode = (): void => {
    expect(callExplode).toThrow('flaky broke');
  };
  const logsWith = (key: string, name = 'flaky') => fetch(`${baseUrl}${GATEWAY}/plugins/${name}/logs`, { headers: { 'x-api-key': key } });

  it('answers the operator with the lines and errors, their fields, and no host path', async () => {
    explode();
    const response = await logsWith(OPERATOR_KEY);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.lines).toEqual(expect.arrayContaining([expect.objectContaining({ plugin: 'flaky', level: 'log', message: 'flaky is up' })]));
    expect(body.errors.at(-1)).toMatchObject({ plugin: 'flaky', level: 'error', message: expect.stringMatching(/^call explode failed: flaky broke in /) });
    expect(JSON.stringify(body)).not.toContain(process.cwd());
  });

  it('refuses a plugin key, and names an unknown plugin', async () => {
    expect((await logsWith(FLAKY_KEY)).status).toBe(403);
    const unknown = await logsWith(OPERATOR_KEY, 'nobody');
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).message).toBe('No plugin "nobody" is registered or has logged anything');
  });

  (HAS_CHROMIUM ? describe : describe.skip)(HAS_CHROMIUM ? 'in Chromium' : CHROMIUM_SKIPPED, () => {
    let browser: Browser;
    let page: Page;
    let errors: string[];

    beforeAll(async () => {
      browser = await launchChromium();
      ({ page, errors } = await openPage(browser));
    });

    afterAll(async () => {
      await browser?.close();
    });

    it('shows a plugin that throws in its recent errors within a second', async () => {
      await page.goto(`${baseUrl}${GATEWAY}/console`);
      await enterKey(page, OPERATOR_KEY);
      await page.locator('#connection', { hasText: 'live' }).waitFor();
      await page.locator('#plugins tr[data-plugin="flaky"] button[data-action=details]').click();
      const details = page.locator('#plugins tr[data-details-for="flaky"]');
      await details.locator('[data-log=lines] li', { hasText: 'flaky is up' }).waitFor();

      const thrownAt = Date.now();
      const before = await details.locator('[data-log=errors] li').count();
      expect(callExplode).toThrow();
      await page.waitForFunction((count) => document.querySelectorAll('tr[data-details-for="flaky"] [data-log=errors] li').length > count, before, {
        timeout: LIVE_UPDATE_MS,
      });
      expect(Date.now() - thrownAt).toBeLessThan(LIVE_UPDATE_MS);
      expect(await details.locator('[data-log=errors] li').first().innerText()).toContain('call explode failed: flaky broke in ');
      expect(await page.content()).not.toContain(process.cwd());
      expect(errors).toEqual([]);
    });
  });
});
