import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { Expose, Plugin, PluginModule, PluginRegistry } from 'nestjs-plugins';
import { PluginGatewayModule } from 'nestjs-plugins/gateway';
import { bootApp } from '../support/boot-app.js';
import { CHROMIUM_SKIPPED, enterKey, HAS_CHROMIUM, launchChromium, openPage } from './chromium.js';

const OPERATOR_KEY = 'rates-operator-key';

@Plugin({ name: 'quoter', version: '1.0.0' })
class QuoterPlugin {
  @Expose()
  quote(): number {
    return 42;
  }

  @Expose()
  async refuse(): Promise<never> {
    throw Object.assign(new Error('no quote'), { code: 'QUOTER_CLOSED' });
  }
}

if (!HAS_CHROMIUM) {
  describe.skip(CHROMIUM_SKIPPED, () => {
    it('shows per-plugin rates in Chromium', () => undefined);
  });
} else {
  describe('console rates in Chromium', () => {
    let app: INestApplication;
    let browser: Browser;
    let page: Page;
    let errors: string[];
    let traffic: NodeJS.Timeout | undefined;

    /** Calls quoter `perTick` times every 50 ms (a share of them failing), until stopped. */
    const drive = (perTick: number, failing: number) => {
      clearInterval(traffic);
      const registry = app.get(PluginRegistry);
      traffic = setInterval(() => {
        for (let i = 0; i < perTick; i++) registry.call('quoter', 'quote');
        for (let i = 0; i < failing; i++) (registry.call('quoter', 'refuse') as Promise<never>).catch(() => undefined);
      }, 50);
    };
    const cellOf = (attribute: string) =>
      page.locator(`#rates tr[data-rates-for="quoter"] td[${attribute}]`).getAttribute(attribute).then(Number);

    beforeAll(async () => {
      app = await bootApp([PluginModule.forRoot({ plugins: [QuoterPlugin] }), PluginGatewayModule.forRoot({ apiKey: OPERATOR_KEY, console: true })]);
      await app.listen(0, '127.0.0.1');
      browser = await launchChromium();
      ({ page, errors } = await openPage(browser));
    });
    afterAll(async () => {
      clearInterval(traffic);
      await browser?.close();
      await app?.close();
    });

    it('shows calls/s, error rate and p95 per plugin, and they change live with the traffic', async () => {
      drive(2, 0);
      const { port } = app.getHttpServer().address() as AddressInfo;
      await page.goto(`http://127.0.0.1:${port}/api/plugin-gateway/console`);
      await enterKey(page, OPERATOR_KEY);
      const row = page.locator('#rates tr[data-rates-for="quoter"]');
      await row.waitFor({ timeout: 10_000 });
      await page.waitForFunction(() => Number(document.querySelector('#rates tr[data-rates-for="quoter"] td[data-calls-per-second]')?.getAttribute('data-calls-per-second')) > 0, undefined, { timeout: 10_000 });
      const quietRate = await cellOf('data-calls-per-second');
      expect(quietRate).toBeGreaterThan(0);
      expect(await cellOf('data-error-rate')).toBe(0);
      expect(await row.locator('td[data-label="p95"]').textContent()).toMatch(/^\d+\.\d\d ms$/);

      // Ten times the traffic, half of it failing: both figures move on screen without a reload.
      drive(20, 20);
      await page.waitForFunction(
        (before) => {
          const cells = document.querySelector('#rates tr[data-rates-for="quoter"]');
          return Number(cells?.querySelector('[data-calls-per-second]')?.getAttribute('data-calls-per-second')) > before * 2 && Number(cells?.querySelector('[data-error-rate]')?.getAttribute('data-error-rate')) > 0;
        },
        quietRate,
        { timeout: 15_000 },
      );
      expect(errors).toEqual([]);
    }, 60_000);
  });
}
