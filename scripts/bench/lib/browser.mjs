/**
 * Headless Chromium for the benchmark: Debian's /usr/bin/chromium (or CHROME_PATH) through Playwright, with the
 * flags the e2e tests use (WebGPU needs --enable-unsafe-webgpu here, and then gets a software adapter).
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--enable-unsafe-webgpu',
];

/** Launches headless Chromium; throws a clear error when the binary is missing. */
export async function launchBrowser() {
  if (!existsSync(CHROME)) throw new Error(`no Chromium at ${CHROME}: apt-get install -y chromium, or set CHROME_PATH`);
  return chromium.launch({ executablePath: CHROME, headless: true, args: ARGS });
}

/** Opens the benchmark page in a fresh context (empty Cache API, empty HTTP cache) and waits for window.__bench. */
export async function openBenchPage(browser, url, search = '') {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${url}/__bench/${search}`);
  await page.waitForSelector('html[data-bench="ready"]', { timeout: 60_000 });
  return { page, context, errors, call: (fn, ...args) => page.evaluate(fn, ...args) };
}
