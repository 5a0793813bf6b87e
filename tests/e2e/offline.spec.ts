/**
 * The offline copy and cross-origin isolation (src/platform/offline-*.ts, scripts/service-worker.mjs), in Chromium
 * on the built site: one online visit, then lesson 5 runs in full with the network off (model, photos, training, its
 * checkpoint); a host that sends no COOP/COEP headers still gets threaded wasm through the worker; a newer build
 * waits until the learner switches; a browser that gives too little storage, or fills up half-way through the
 * download, gets a sentence, not a blank page, and the half copy is deleted.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';

// playwright.config.ts blocks service workers for every other spec; these are about the worker.
test.use({ serviceWorkers: 'allow' });

const LESSON_5 = 'lessons/freeze-and-train/';
const DIST = path.resolve('dist');

const cell = (page: Page, id: string): Locator => page.locator(`[data-cell][data-cell-id="${id}"]`);
const output = (page: Page, id: string): Locator => cell(page, id).locator('[data-cell-output]');
const offline = (page: Page): Locator => page.locator('#offline-status');

/** Waits until the worker reports every file of this build saved. */
async function waitOfflineReady(page: Page): Promise<string> {
  await expect(offline(page)).toHaveAttribute('data-state', 'ready', { timeout: 180_000 });
  const text = (await offline(page).locator('[data-offline-text]').textContent()) ?? '';
  expect(text).toMatch(/^Available offline · \d+\.\d MB$/);
  return text;
}

/** Puts every cell's solution in and presses Run all; returns the ids of cells that ended in error. */
async function runLessonWithSolutions(page: Page): Promise<string[]> {
  await expect(page.locator('html[data-cells="ready"]')).toBeAttached();
  const ids = await page
    .locator('[data-cell]:has([data-action="solution"])')
    .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.cellId!));
  for (const id of ids) {
    await cell(page, id).locator('[data-action="solution"]').click();
    await page.getByRole('button', { name: `Use solution in cell ${id}` }).click();
  }
  const busy = page.locator('[data-cell][data-status="running"], [data-cell][data-status="queued"]');
  await page.locator('[data-notebook-action="run-all"]').click();
  await expect(busy.first()).toBeAttached();
  await expect(busy).toHaveCount(0, { timeout: 300_000 });
  return page
    .locator('[data-cell][data-status="error"]')
    .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.cellId ?? ''));
}

/**
 * A plain static host for dist/ (what many project-site hosts are): no COOP/COEP headers. `rewrite` may change a
 * file's bytes as served (a "newer build" of sw.js).
 */
async function plainHost(
  rewrite: (file: string, body: Buffer) => Buffer = (_f, b) => b,
): Promise<{ url: string; close: () => Promise<void> }> {
  const types: Record<string, string> = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.mjs': 'text/javascript',
    '.css': 'text/css',
    '.json': 'application/json',
    '.wasm': 'application/wasm',
    '.jpg': 'image/jpeg',
    '.svg': 'image/svg+xml',
  };
  const server = http.createServer((req, res) => {
    let file = path.join(DIST, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!file.startsWith(DIST) || !existsSync(file)) return void res.writeHead(404).end('not found');
    res.writeHead(200, {
      'Content-Type': types[path.extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'no-cache',
    });
    if (path.basename(file) !== 'sw.js') return void createReadStream(file).pipe(res);
    const chunks: Buffer[] = [];
    createReadStream(file)
      .on('data', (c) => chunks.push(c as Buffer))
      .on('end', () => res.end(rewrite(file, Buffer.concat(chunks))));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

test('after one online visit, the home page and lesson 5 run offline: model, photos, training, checkpoint', async ({
  page,
  context,
}) => {
  test.setTimeout(480_000);
  await page.goto('');
  const saved = await waitOfflineReady(page);
  console.log(`  offline copy: ${saved}`);
  await page.goto(LESSON_5);
  await page.evaluate(() => localStorage.clear());
  await expect(page.locator('html[data-cells="ready"]')).toBeAttached();
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

  await context.setOffline(true);
  // Offline for real: the server cannot be reached from the page.
  expect(
    await page.evaluate(() =>
      fetch('no-such-file', { cache: 'no-store' }).then(
        () => 'online',
        () => 'offline',
      ),
    ),
  ).toBe('offline');
  await page.reload();
  await waitOfflineReady(page);
  const errors = await runLessonWithSolutions(page);
  expect(errors).toEqual([]);
  const curves = output(page, 'train').locator('[data-wb="curves"]');
  await expect(curves).toHaveAttribute('data-state', 'done');
  // It learned, offline (chance is 1/3; lessons-5-8.spec.ts holds the lesson to its own ≥ 90 % promise).
  const valAcc = Number(await curves.getAttribute('data-val-acc'));
  console.log(`  lesson 5 offline: validation accuracy ${(valAcc * 100).toFixed(1)} %`);
  expect(valAcc).toBeGreaterThanOrEqual(0.8);
  const compare = output(page, 'compare').locator('[data-wb="compare"]');
  await expect(compare).toContainText('checkpoint “head”');
  await expect(output(page, 'restore').locator('[data-wb="restored"]')).toContainText('Restored the “head” solution');
  // Still isolated offline (the cached responses carry COOP/COEP), so wasm ran on every core.
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await expect(page.locator('#backend-status [data-backend-reason]')).toContainText(
    /· \d+ threads? \(cross-origin isolated/,
  );

  // The home page too; a page that was never saved says so instead of the browser's error screen.
  await page.goto('');
  await expect(page.getByRole('list', { name: 'Lessons' })).toBeVisible();
  await page.goto('not-a-page/');
  await expect(page.locator('body')).toContainText('You are offline, and this page was not part of the offline copy');
  await context.setOffline(false);
});

test('a host without COOP/COEP headers: the worker isolates the page, wasm runs threaded', async ({ page }) => {
  test.skip(!existsSync(path.join(DIST, 'sw.js')), 'dist/ has no sw.js: run npm run build');
  const host = await plainHost();
  try {
    await page.goto(host.url);
    // First load: the host sent no headers, so the page is not isolated; the worker reloads it once it controls it.
    await waitOfflineReady(page);
    await expect.poll(() => page.evaluate(() => crossOriginIsolated), { timeout: 60_000 }).toBe(true);
    await page.goto(`${host.url}dev/engine/?backend=wasm&photos=cat/Egyptian_Mau_10.jpg`);
    await expect(page.locator('#engine')).toHaveAttribute('data-state', /^(done|error)$/, { timeout: 150_000 });
    // One thread per physical core (half the logical ones, at least one: browser-backend.ts says why).
    const threads = await page.evaluate(() => Math.max(1, Math.floor(navigator.hardwareConcurrency / 2)));
    await expect(page.locator('#backend-status [data-backend-name]')).toHaveText(
      `wasm · ${threads} thread${threads === 1 ? '' : 's'}`,
    );
    await expect(page.locator('#backend-status [data-backend-reason]')).toContainText('cross-origin isolated');
  } finally {
    await host.close();
  }
});

test('without isolation (workers blocked, no headers) wasm runs on one thread and says why', async ({ browser }) => {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  const host = await plainHost();
  try {
    await page.goto(`${host.url}dev/engine/?backend=wasm&photos=cat/Egyptian_Mau_10.jpg`);
    await expect(page.locator('#engine')).toHaveAttribute('data-state', 'done', { timeout: 150_000 });
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    await expect(page.locator('#backend-status [data-backend-name]')).toHaveText('wasm · 1 thread');
    await expect(page.locator('#backend-status [data-backend-reason]')).toContainText('not cross-origin isolated');
  } finally {
    await host.close();
    await context.close();
  }
});

test('a newer build waits until the learner switches; then the page reloads onto it', async ({ page }) => {
  let build = 1;
  const host = await plainHost((_file, body) => Buffer.concat([body, Buffer.from(`\n// build ${build}\n`)]));
  try {
    await page.goto(host.url);
    await waitOfflineReady(page);
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null)).not.toBeNull();
    build = 2; // the host now serves a different sw.js: the browser installs it beside the running one
    await page.reload();
    await expect(offline(page)).toHaveAttribute('data-state', 'update', { timeout: 120_000 });
    // Still on the old worker until the learner says so.
    const before = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting !== null);
    expect(before).toBe(true);
    // Meanwhile the old build's worker serves working pages: the home page, and a lesson whose cells start.
    await expect(page.getByRole('list', { name: 'Lessons' })).toBeVisible();
    await page.goto(`${host.url}${LESSON_5}`);
    await expect(page.locator('html[data-cells="ready"]')).toBeAttached();
    await expect(offline(page)).toHaveAttribute('data-state', 'update', { timeout: 60_000 });
    await page.getByRole('button', { name: 'Use the new version' }).click();
    await page.waitForEvent('load');
    await waitOfflineReady(page);
    expect(
      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null),
    ).toBeNull();
  } finally {
    await host.close();
  }
});

test('too little storage for the copy: a sentence in the header, the page still works', async ({ page, context }) => {
  const host = await plainHost();
  try {
    const cdp = await context.newCDPSession(page);
    // Chromium's own storage quota for this origin, set far below the copy's size.
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: host.url.replace(/\/$/, ''), quotaSize: 2_000_000 });
    await page.goto(host.url);
    await expect(offline(page)).toHaveAttribute('data-state', 'failed', { timeout: 120_000 });
    await expect(offline(page)).toContainText(/Could not save for offline use: .*storage.*The site still works online/);
    await expect(page.getByRole('list', { name: 'Lessons' })).toBeVisible();
  } finally {
    await host.close();
  }
});

test('a half-filled copy (the disk fills up during the download): a sentence, the space given back, saved on a later visit', async ({
  page,
}) => {
  // The precache is written by the worker, where a page's init script does not reach: the host serves a sw.js whose
  // Cache.put succeeds 40 times and then rejects the way a full disk does, so the install stops half-way through.
  let full = true;
  const host = await plainHost((_file, body) =>
    full
      ? Buffer.concat([
          Buffer.from(
            'let puts = 0; const put = Cache.prototype.put;\n' +
              'Cache.prototype.put = function (...args) {\n' +
              "  if (++puts > 40) return Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));\n" +
              '  return put.apply(this, args);\n};\n',
          ),
          body,
        ])
      : body,
  );
  try {
    await page.goto(host.url);
    await expect(offline(page)).toHaveAttribute('data-state', 'failed', { timeout: 120_000 });
    await expect(offline(page)).toContainText(
      /Could not save for offline use: .*less storage than the \d+\.\d MB.*still works online/,
    );
    // The page itself works: the lessons are listed and a lesson's cells start.
    await expect(page.getByRole('list', { name: 'Lessons' })).toBeVisible();
    // The 40 files it had saved are deleted again: a half copy cannot serve a lesson offline and only takes space.
    expect(
      await page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('workbox-precache')).length),
    ).toBe(0);
    expect(
      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.active ?? null),
    ).toBeNull();
    await page.goto(`${host.url}${LESSON_5}`);
    await expect(page.locator('html[data-cells="ready"]')).toBeAttached();
    await expect(offline(page)).toHaveAttribute('data-state', 'failed', { timeout: 120_000 });

    // Space again (the host serves the plain worker): the next visit saves the whole copy.
    full = false;
    await page.goto(host.url);
    await waitOfflineReady(page);
  } finally {
    await host.close();
  }
});

test('Clear offline copy removes the worker and its caches, and Save for offline brings them back', async ({
  page,
}) => {
  await page.goto('');
  await waitOfflineReady(page);
  await page.getByRole('button', { name: 'Clear offline copy' }).click();
  await expect(offline(page)).toHaveAttribute('data-state', 'off');
  expect(
    await page.evaluate(async () => ({
      workers: (await navigator.serviceWorker.getRegistrations()).length,
      caches: (await caches.keys()).filter((k) => k.startsWith('workbox-precache')).length,
    })),
  ).toEqual({ workers: 0, caches: 0 });
  await page.reload();
  await expect(offline(page)).toHaveAttribute('data-state', 'off'); // the choice is remembered
  await page.getByRole('button', { name: 'Save for offline' }).click();
  await waitOfflineReady(page);
});
