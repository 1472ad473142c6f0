import 'reflect-metadata';
import { tmpdir } from 'node:os';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM_SKIPPED, enterKey, HAS_CHROMIUM, launchChromium, openPage } from './chromium.js';
import { GATEWAY, OPERATOR_KEY, startConsoleHost, type ConsoleHost } from './console-fixture.js';

/** Live updates must reach the screen this soon after the server's event. */
const LIVE_UPDATE_MS = 1000;

if (!HAS_CHROMIUM) {
  describe.skip(CHROMIUM_SKIPPED, () => {
    it('drives the admin console in Chromium', () => undefined);
  });
} else {
  describe('admin console in Chromium', () => {
    let host: ConsoleHost;
    let browser: Browser;
    let page: Page;
    let errors: string[];

    /** When the server emits `event` (ms since epoch). */
    const serverEvent = (event: string): Promise<number> =>
      new Promise((resolve) => host.app.get(EventEmitter2).once(event, () => resolve(Date.now())));

    const row = (name: string) => page.locator(`#plugins tr[data-plugin="${name}"]`);

    beforeAll(async () => {
      host = await startConsoleHost();
      browser = await launchChromium();
      ({ page, errors } = await openPage(browser));
    });
    afterAll(async () => {
      await browser?.close();
      await host?.close();
    });
    afterEach(() => {
      expect(errors).toEqual([]);
    });

    it('shows only the key form without a key, and refuses a wrong one', async () => {
      await page.goto(`${host.baseUrl}${GATEWAY}/console`);
      await page.locator('#key-form').waitFor({ state: 'visible' });
      expect(await page.locator('#console').isHidden()).toBe(true);
      expect(await page.locator('#plugins tbody tr').count()).toBe(0);

      await enterKey(page, 'not-the-key');
      await page.getByText('The key was refused').waitFor();
      expect(await page.locator('#console').isHidden()).toBe(true);
    });

    it('shows the plugins, their dependencies, the graph and the services with the key', async () => {
      await enterKey(page, OPERATOR_KEY);
      await row('auditor').waitFor();
      expect(await row('ledger').getAttribute('data-state')).toBe('active');
      expect(await row('ledger').locator('td').nth(1).textContent()).toBe('1.2.0');
      expect(await row('auditor').locator('td').nth(3).textContent()).toBe('ledger ^1.0.0');
      await page.locator('#connection', { hasText: 'live' }).waitFor();

      await page.waitForFunction(() => (document.getElementById('graph') as HTMLImageElement).naturalWidth > 0);
      await page.locator('#services [data-tenant=""] tr[data-service="ledger"]').waitFor();
    });

    it('gets the stream’s key cookie from the server, HttpOnly and out of the page script’s reach', async () => {
      expect(await page.evaluate(() => document.cookie)).not.toContain('plugin-console-key');
      const cookies = await page.context().cookies(host.baseUrl + GATEWAY + '/console/events');
      expect(cookies).toEqual([
        expect.objectContaining({ name: 'plugin-console-key', path: `${GATEWAY}/console/events`, httpOnly: true, sameSite: 'Strict', secure: false }),
      ]);
      expect(decodeURIComponent(cookies[0]!.value)).toBe(OPERATOR_KEY);
    });

    it('keeps the key for the tab: a reload opens the console again', async () => {
      await page.reload();
      await row('ledger').waitFor();
    });

    it('loads a plugin from the page; the new state is on screen within 1 s of the server event', async () => {
      const loaded = serverEvent('plugin:loaded');
      await page.fill('#load-form input[name=file]', 'stamps.plugin.js');
      await page.click('#load-form button[type=submit]');
      const emittedAt = await loaded;
      await page.locator('#plugins tr[data-plugin="stamps"][data-state="active"]').waitFor({ timeout: LIVE_UPDATE_MS });
      expect(Date.now() - emittedAt).toBeLessThan(LIVE_UPDATE_MS);
      await page.locator('#activity li', { hasText: 'stamps loaded' }).waitFor();
    });

    it('unloads a plugin from the page; it leaves the screen within 1 s of the server event', async () => {
      const unloaded = serverEvent('plugin:unloaded');
      await row('stamps').locator('button[data-action=unload]').click();
      const emittedAt = await unloaded;
      await row('stamps').waitFor({ state: 'detached', timeout: LIVE_UPDATE_MS });
      expect(Date.now() - emittedAt).toBeLessThan(LIVE_UPDATE_MS);
    });

    it('shows the refusal when an unload is refused, and the plugin stays', async () => {
      await row('ledger').locator('button[data-action=unload]').click();
      await page.locator('#action-result.refusal', { hasText: 'unload ledger refused: Cannot unload "ledger": required by auditor (PLUGIN_HAS_DEPENDENTS)' }).waitFor();
      expect(await row('ledger').getAttribute('data-state')).toBe('active');
    });

    it('shows a refused load with the server\'s message', async () => {
      await page.fill('#load-form input[name=file]', '../outside.plugin.js');
      await page.click('#load-form button[type=submit]');
      await page.locator('#action-result.refusal', { hasText: 'file must be inside runtimePluginsDir (got "../outside.plugin.js")' }).waitFor();
    });

    it('shows a failed load without any server path, in the refusal and in the activity log', async () => {
      await page.fill('#load-form input[name=file]', 'broken.plugin.js');
      await page.click('#load-form button[type=submit]');
      const refusal = page.locator('#action-result.refusal', { hasText: 'Cannot load plugin from "broken.plugin.js"' });
      await refusal.waitFor();
      const logged = page.locator('#activity li', { hasText: 'no-such-package-anywhere' });
      await logged.first().waitFor();
      for (const text of [await refusal.textContent(), ...(await logged.allTextContents())]) {
        for (const directory of [process.cwd(), tmpdir(), '/work', 'file://']) expect(text).not.toContain(directory);
      }
    });

    it('forgets the key on request and shows no data', async () => {
      const dropped = page.waitForResponse((response) => response.url().endsWith('/console/stream-cookie') && response.request().method() === 'DELETE');
      await page.click('#forget-key');
      await page.locator('#key-form').waitFor({ state: 'visible' });
      expect(await page.locator('#plugins tbody tr').count()).toBe(0);
      expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
      expect((await dropped).status()).toBe(204);
      expect(await page.context().cookies(host.baseUrl + GATEWAY + '/console/events')).toEqual([]);
    });
  });
}
