import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { chromium } from 'playwright-core';

/**
 * Takes the README's picture of the admin console from a running sample (`npm start` first;
 * this starts nothing). Run after a build, from the repository's root: `node dist/sample/console-screenshot.js`.
 * CONSOLE_URL, GATEWAY_API_KEY and CHROMIUM_PATH change where it looks and what it sends.
 */
const consoleUrl = process.env.CONSOLE_URL ?? 'http://localhost:3000/api/plugin-gateway/console';
const apiKey = process.env.GATEWAY_API_KEY ?? 'dev-key';
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const output = join(process.cwd(), 'docs', 'console.png');

const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(consoleUrl);
  await page.fill('#key-form input[name=key]', apiKey);
  await page.click('#key-form button[type=submit]');
  await page.locator('#plugins tbody tr').first().waitFor();
  await page.locator('#connection', { hasText: 'live' }).waitFor();
  await page.waitForFunction(() => (document.getElementById('graph') as HTMLImageElement).naturalWidth > 0);
  await mkdir(dirname(output), { recursive: true });
  await page.screenshot({ path: output, fullPage: true });
  console.log(`Wrote ${output}`);
} finally {
  await browser.close();
}
