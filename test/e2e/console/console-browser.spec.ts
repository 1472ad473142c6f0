import 'reflect-metadata';
import { homedir, tmpdir } from 'node:os';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM_SKIPPED, enterKey, HAS_CHROMIUM, launchChromium, openPage } from './chromium.js';
import { GATEWAY, LEDGER_TOKEN, OPERATOR_KEY, startConsoleHost, TALLY_PACKAGE, type ConsoleHost } from './console-fixture.js';

/** Directories of the server that must never appear in the page. */
const SERVER_DIRECTORIES = [process.cwd(), tmpdir(), homedir(), '/work', 'file://'];

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
    /** Unload through the confirmation dialog. */
    const unload = async (name: string, { cascade = false } = {}) => {
      await row(name).locator('button[data-action=unload]').click();
      await page.locator('#unload-dialog[open]').waitFor();
      if (cascade) await page.check('#unload-cascade');
      await page.click('#unload-confirm');
    };

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

    it('offers the files of runtimePluginsDir by name and the installed plugin packages in the Load picker', async () => {
      const options = page.locator('#load-form select[name=source] option');
      await page.locator('#load-form select[name=source] option[value="stamps.plugin.js"]').waitFor({ state: 'attached' });
      expect(await options.evaluateAll((all) => all.map((option) => (option as HTMLOptionElement).value))).toEqual(['', 'broken.plugin.js', 'stamps.plugin.js', TALLY_PACKAGE]);
    });

    it('loads a plugin picked from the page; the new state is on screen within 1 s of the server event', async () => {
      const loaded = serverEvent('plugin:loaded');
      await page.selectOption('#load-form select[name=source]', 'stamps.plugin.js');
      await page.click('#load-form button[type=submit]');
      const emittedAt = await loaded;
      await page.locator('#plugins tr[data-plugin="stamps"][data-state="active"]').waitFor({ timeout: LIVE_UPDATE_MS });
      expect(Date.now() - emittedAt).toBeLessThan(LIVE_UPDATE_MS);
      await page.locator('#activity li', { hasText: 'stamps loaded' }).waitFor();
    });

    it('asks before unloading, and a cancel leaves the plugin loaded', async () => {
      await row('stamps').locator('button[data-action=unload]').click();
      await page.locator('#unload-dialog[open]', { hasText: 'Unload stamps?' }).waitFor();
      await page.click('#unload-cancel');
      await page.locator('#unload-dialog').waitFor({ state: 'hidden' });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await row('stamps').getAttribute('data-state')).toBe('active');
    });

    it('unloads a plugin once confirmed; it leaves the screen within 1 s of the server event', async () => {
      const unloaded = serverEvent('plugin:unloaded');
      await unload('stamps');
      const emittedAt = await unloaded;
      await row('stamps').waitFor({ state: 'detached', timeout: LIVE_UPDATE_MS });
      expect(Date.now() - emittedAt).toBeLessThan(LIVE_UPDATE_MS);
    });

    it('shows the refusal when an unload is refused, and the plugin stays', async () => {
      await unload('ledger');
      await page.locator('#action-result.refusal', { hasText: 'unload ledger refused: Cannot unload "ledger": required by auditor (PLUGIN_HAS_DEPENDENTS)' }).waitFor();
      expect(await row('ledger').getAttribute('data-state')).toBe('active');
    });

    it('shows a refused load with the server\'s message', async () => {
      await page.fill('#load-form input[name=typed]', '../outside.plugin.js');
      await page.click('#load-form button[type=submit]');
      await page.locator('#action-result.refusal', { hasText: 'file must be inside runtimePluginsDir (got "../outside.plugin.js")' }).waitFor();
    });

    it('shows a failed load without any server path, in the refusal, the activity log or anywhere in the page', async () => {
      await page.fill('#load-form input[name=typed]', '');
      await page.selectOption('#load-form select[name=source]', 'broken.plugin.js');
      await page.click('#load-form button[type=submit]');
      const refusal = page.locator('#action-result.refusal', { hasText: 'Cannot load plugin from "broken.plugin.js"' });
      await refusal.waitFor();
      const logged = page.locator('#activity li', { hasText: 'no-such-package-anywhere' });
      await logged.first().waitFor();
      for (const text of [await refusal.textContent(), ...(await logged.allTextContents())]) {
        for (const directory of SERVER_DIRECTORIES) expect(text).not.toContain(directory);
      }
      for (const name of ['ledger', 'auditor', 'meter']) await row(name).locator('button[data-action=details]').click();
      const everything = [await page.content(), await page.evaluate(() => document.body.innerText)];
      for (const text of everything) for (const directory of SERVER_DIRECTORIES) expect(text).not.toContain(directory);
    });

    it("shows a plugin's isolation, description, masked config, routes and methods in its details row", async () => {
      const details = page.locator('#plugins tr[data-details-for="ledger"]');
      await details.waitFor({ state: 'visible' });
      const text = await details.innerText();
      for (const shown of ['inline', 'Balances', 'eu-west', '••••••', 'GET /plugins/ledger/balance/:account', 'balance', 'auditor']) expect(text).toContain(shown);
      expect(await page.content()).not.toContain(LEDGER_TOKEN);
    });

    it('shows a failed plugin as UNAVAILABLE in Services', async () => {
      await page.locator('#services [data-tenant=""] tr[data-service="meter"] .health-UNAVAILABLE').waitFor();
    });

    it('tells a reload as "reloaded" in Activity', async () => {
      await row('ledger').locator('button[data-action=reload]').click();
      await page.locator('#activity li', { hasText: 'ledger reloaded' }).waitFor();
      expect(await page.locator('#activity li', { hasText: 'ledger unloaded' }).count()).toBe(0);
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
  describe.each([
    { width: 390, height: 844 },
    { width: 1440, height: 900 },
  ])('admin console at $width×$height', (viewport) => {
    let host: ConsoleHost;
    let browser: Browser;
    let page: Page;
    let notFound: string[];

    beforeAll(async () => {
      host = await startConsoleHost();
      browser = await launchChromium();
      page = await (await browser.newContext({ viewport })).newPage();
      notFound = [];
      page.on('response', (response) => {
        if (response.status() === 404) notFound.push(response.url());
      });
      await page.goto(`${host.baseUrl}${GATEWAY}/console`);
      await enterKey(page, OPERATOR_KEY);
      await page.locator('#plugins tr[data-plugin="meter"]').waitFor();
      await page.locator('#services tr[data-service="ledger"]').waitFor();
    });
    afterAll(async () => {
      await browser?.close();
      await host?.close();
    });

    it('never scrolls sideways, and the header spans the screen', async () => {
      const { scrollWidth, innerWidth, headerWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
        headerWidth: document.querySelector('header')!.getBoundingClientRect().width,
      }));
      expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
      expect(headerWidth).toBe(innerWidth);
    });

    it('shows every column of a plugin and its actions on screen', async () => {
      const row = page.locator('#plugins tr[data-plugin="meter"]');
      for (const label of ['Plugin', 'Version', 'State', 'Error', 'Actions']) {
        const cell = row.locator(`td[data-label="${label}"]`);
        expect(await cell.isVisible()).toBe(true);
        const box = (await cell.boundingBox())!;
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
      }
      if (viewport.width < 760) expect(await row.locator('td[data-label="Error"]').evaluate((cell) => getComputedStyle(cell, '::before').content)).toBe('"Error"');
      for (const action of ['details', 'reload', 'unload']) {
        const button = row.locator(`button[data-action=${action}]`);
        const box = (await button.boundingBox())!;
        expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
      }
      await row.locator('button[data-action=details]').click();
      await page.locator('#plugins tr[data-details-for="meter"]').waitFor({ state: 'visible' });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
    });

    it('has a favicon, and no request of the visit answered 404', async () => {
      const href = await page.locator('link[rel=icon]').getAttribute('href');
      const icon = await page.request.get(new URL(href!, host.baseUrl).href);
      expect(icon.status()).toBe(200);
      expect(icon.headers()['content-type']).toContain('image/svg+xml');
      expect(notFound).toEqual([]);
    });
  });
}
