import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium package, which .ci/run installs; CHROMIUM_PATH points elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM_PATH);
export const CHROMIUM_SKIPPED = `Browser suite skipped: no Chromium at ${CHROMIUM_PATH} (.ci/run installs Debian's chromium package)`;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox'] });
}

/** A fresh page (own sessionStorage and cookies) that records the errors its scripts throw. */
export async function openPage(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, errors };
}

/** Types the key into the console's key form and waits for the plugin table. */
export async function enterKey(page: Page, key: string): Promise<void> {
  await page.fill('#key-form input[name=key]', key);
  await page.click('#key-form button[type=submit]');
}
