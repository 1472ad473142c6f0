import 'reflect-metadata';
import { rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Browser } from 'playwright-core';
import { CHROMIUM_SKIPPED, enterKey, HAS_CHROMIUM, launchChromium, openPage } from './chromium.js';

const SAMPLE_PLUGINS = ['leaderboard', 'user-utils', 'cache-service', 'analytics', 'crm', 'reports', 'greeting', 'word-stats'];

if (!HAS_CHROMIUM) {
  describe.skip(CHROMIUM_SKIPPED, () => {
    it("shows the sample's plugins and graph in Chromium", () => undefined);
  });
} else {
  describe("the sample's admin console in Chromium", () => {
    const databasePath = join(tmpdir(), `nestjs-plugins-console-sample-${process.pid}.sqlite`);
    let app: INestApplication;
    let browser: Browser;

    beforeAll(async () => {
      // The app module reads DATABASE_PATH when it is evaluated, so import it only after setting it.
      process.env.DATABASE_PATH = databasePath;
      const { AppModule } = await import('../../../sample/app.module.js');
      const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
      app = moduleRef.createNestApplication({ logger: false });
      await app.listen(0, '127.0.0.1');
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
      await app?.close();
      await rm(databasePath, { force: true });
    });

    it("shows the sample's plugins, active, and their graph, with the sample's key", async () => {
      const { page, errors } = await openPage(browser);
      const { port } = app.getHttpServer().address() as AddressInfo;
      await page.goto(`http://127.0.0.1:${port}/api/plugin-gateway/console`);
      await enterKey(page, 'dev-key');
      await page.locator('#plugins tr[data-plugin="reports"]').waitFor();
      const rows = await page.locator('#plugins tbody tr[data-plugin]').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-plugin'), tr.getAttribute('data-state')]));
      expect(rows.map(([name]) => name).sort()).toEqual([...SAMPLE_PLUGINS].sort());
      expect(rows.every(([, state]) => state === 'active')).toBe(true);
      await page.waitForFunction(() => (document.getElementById('graph') as HTMLImageElement).naturalWidth > 0);
      expect(errors).toEqual([]);
    });
  });
}
