import 'reflect-metadata';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Browser } from 'playwright-core';
import { compiledLibrary, loadCompiledLibrary } from '../isolation/support/isolation-harness.js';
import { canaryLines, treeOf } from '../install/support/install-host.js';
import { pluginPackage } from '../install/support/plugin-packages.js';
import { startVerdaccio, type Verdaccio } from '../install/support/verdaccio.js';
import { bootApp } from '../support/boot-app.js';
import { CHROMIUM_SKIPPED, enterKey, HAS_CHROMIUM, launchChromium, openPage } from './chromium.js';

const OPERATOR_KEY = 'install-operator-key';

if (!HAS_CHROMIUM) {
  describe.skip(CHROMIUM_SKIPPED, () => {
    it("installs from a registry through the console's Install form in Chromium", () => undefined);
  });
} else {
  describe("the console's Install form in Chromium, against Verdaccio", () => {
    let registry: Verdaccio;
    let folder: string;
    let installDir: string;
    let canary: string;
    let app: INestApplication;
    let baseUrl: string;
    let browser: Browser;

    beforeAll(async () => {
      const lib = await loadCompiledLibrary();
      const { PluginGatewayModule } = (await import(compiledLibrary('subpaths/gateway.js'))) as typeof import('../../../lib/subpaths/gateway.js');
      await mkdir(join(process.cwd(), 'test', '.tmp'), { recursive: true });
      folder = await mkdtemp(join(process.cwd(), 'test', '.tmp', 'console-install-'));
      installDir = join(folder, 'installed');
      canary = join(folder, 'canary.log');
      registry = await startVerdaccio();
      for (const packed of [
        pluginPackage({ version: '1.0.0', canary }),
        pluginPackage({ version: '1.1.0', canary }),
        // its module fails to import: the reason names a file, which the console must show without the host's path
        pluginPackage({ name: '@acme/broken', version: '1.0.0', canary, moduleText: "import 'no-such-package-anywhere';\nexport default class Broken {}\n" }),
      ]) {
        const { manifest, tarball } = await packed;
        await registry.publish(manifest, tarball);
      }
      app = await bootApp([
        TypeOrmModule.forRoot({ type: 'better-sqlite3', database: ':memory:', synchronize: true }),
        lib.PluginModule.forRoot({ registry: { url: registry.url, allowUnsigned: true }, installDir } as never),
        PluginGatewayModule.forRoot({ apiKey: OPERATOR_KEY, console: true }),
      ]);
      await app.listen(0, '127.0.0.1');
      baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
      browser = await launchChromium();
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      await app?.close();
      await registry?.stop();
      if (folder !== undefined) await rm(folder, { recursive: true, force: true });
    });

    it('installs name@range: the row is active in a process of its own, its details show its origin; Uninstall removes it and its files', async () => {
      const { page, errors } = await openPage(browser);
      page.on('dialog', (dialog) => void dialog.accept());
      await page.goto(`${baseUrl}/api/plugin-gateway/console`);
      await enterKey(page, OPERATOR_KEY);
      await page.locator('#install-form').waitFor();

      await page.fill('#install-form input[name=spec]', '@acme/x@^1');
      await page.click('#install-form button[type=submit]');
      const row = page.locator('#plugins tr[data-plugin="acme-x"][data-state="active"]');
      await row.waitFor({ timeout: 60_000 });
      await page.locator('#action-result', { hasText: 'install @acme/x@^1: done' }).waitFor();
      await row.locator('[data-action=details]').click();
      const details = page.locator('tr[data-details-for="acme-x"]');
      await details.locator('.origin').waitFor();
      const origin = await details.locator('.origin').innerText();
      expect(origin).toContain(registry.url);
      expect(origin).toContain('@acme/x@1.1.0');
      expect(origin).toMatch(/sha512-/);
      expect(origin).toContain('unsigned (allowUnsigned)');
      expect(await details.innerText()).toContain('process');
      // the host never ran its module (the sandboxed process cannot write the canary); no install script ran
      expect(canaryLines(canary)).not.toContain(`module ${process.pid}`);
      expect(canaryLines(canary).filter((line) => !line.startsWith('module '))).toEqual([]);
      expect(await treeOf(installDir)).toContain('@acme/x/1.1.0/index.js');

      await row.locator('[data-action=uninstall]').click();
      await page.locator('#action-result', { hasText: 'uninstall acme-x: done' }).waitFor();
      await page.locator('#plugins tr[data-plugin="acme-x"]').waitFor({ state: 'detached' });
      expect((await treeOf(installDir)).filter((path) => path.startsWith('@acme'))).toEqual([]);
      expect(errors).toEqual([]);
    }, 120_000);

    it('shows a refused install with its reason and no host path, and adds no row', async () => {
      const { page, errors } = await openPage(browser);
      await page.goto(`${baseUrl}/api/plugin-gateway/console`);
      await enterKey(page, OPERATOR_KEY);
      await page.locator('#install-form').waitFor();
      const before = await treeOf(installDir);

      await page.fill('#install-form input[name=spec]', '@acme/broken@1');
      await page.click('#install-form button[type=submit]');
      const refusal = page.locator('#action-result.refusal');
      await refusal.waitFor({ timeout: 60_000 });
      const shown = await refusal.innerText();
      expect(shown).toContain('install @acme/broken@1 refused: Cannot install "@acme/broken@1.0.0": it does not default-export a @Plugin class');
      expect(shown).toContain('(NOT_A_PLUGIN)');
      expect(shown).toContain('no-such-package-anywhere');
      for (const hostPath of [process.cwd(), folder, installDir]) expect(shown).not.toContain(hostPath);
      expect(await page.locator('#activity').innerText()).toContain('install @acme/broken@1 refused');
      expect(await page.locator('#plugins tr[data-plugin="acme-broken"]').count()).toBe(0);
      expect(await treeOf(installDir)).toEqual(before);
      expect(errors).toEqual([]);
    }, 120_000);
  });
}
