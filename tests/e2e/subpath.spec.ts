/**
 * The course hosted under a sub-path, as an instructor publishes it on a project site (https://host/course/):
 * built with WORKBOOK_BASE=/course/ (`npm run build:course`) and served from a host whose root holds only a
 * course/ folder (playwright.config.ts, project "subpath"). Every URL the pages use must stay under /course/: one
 * absolute "/…" anywhere (a link, a script, the model, a photo, a checkpoint, the wasm binary) is a 404 here.
 *
 * Lesson 5 runs end to end (the model, the photos, training, the "head" solution checkpoint), and the page is then
 * audited with axe-core: this is a11y.spec.ts's audit of the training outputs, done here to avoid a second run.
 */
import { expect, test, type Page } from '@playwright/test';
import { openLesson, output, runAll, seriousViolations, useSolutions } from './drive-lesson';

const BASE = '/course/';

/**
 * Records every request the page (and its workers) make: `paths` the same-origin ones, `outside` those that left
 * the sub-path, `failed` the responses ≥ 400 and requests that failed outright.
 */
function watchRequests(page: Page) {
  const paths: string[] = [];
  const outside: string[] = [];
  const failed: string[] = [];
  const origin = new URL(test.info().project.use.baseURL!).origin;
  page.context().on('request', (request) => {
    const url = new URL(request.url());
    // blob: URLs (photos and workers the page made itself) name the page's origin but are no request to the host.
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return;
    if (url.origin !== origin) return;
    paths.push(url.pathname);
    if (!url.pathname.startsWith(BASE)) outside.push(url.pathname);
  });
  page.context().on('response', (response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${new URL(response.url()).pathname}`);
  });
  page.context().on('requestfailed', (request) => {
    if (/^https?:/.test(request.url())) failed.push(`${request.failure()?.errorText} ${request.url()}`);
  });
  return { paths, outside, failed };
}

test.beforeAll(async ({ request }) => {
  const home = await request.get('').catch(() => null);
  if (!home?.ok()) {
    throw new Error(
      'No sub-path build is being served at /course/: run `npm run build:course` (npm test does) before ' +
        '`playwright test`, so that .cache/subpath-host/course/index.html exists when Playwright starts.',
    );
  }
});

test('the home page under /course/: its links, styles and favicon all stay under the sub-path', async ({
  page,
  request,
}) => {
  const seen = watchRequests(page);
  await page.goto('');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Transfer Learning Workbook');
  // Every link and resource the page names (a, link, script, img) is under /course/ and answers 200.
  const urls = await page.evaluate(() =>
    [...document.querySelectorAll('a[href], link[href], script[src], img[src]')]
      .map((el) => (el as HTMLAnchorElement).href || (el as HTMLScriptElement).src)
      .filter((url) => new URL(url).origin === location.origin),
  );
  expect(urls.length).toBeGreaterThan(10);
  for (const url of new Set(urls)) {
    expect(new URL(url).pathname, url).toMatch(/^\/course\//);
    expect((await request.get(url)).status(), url).toBe(200);
  }
  expect(urls.some((u) => u.endsWith('/course/favicon.svg'))).toBe(true);
  // The header and footer links lead to working pages.
  await page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'About the data' }).click();
  await expect(page).toHaveURL(/\/course\/about-the-data\/$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('About the data');
  await page.getByRole('link', { name: 'Transfer Learning Workbook' }).click();
  await expect(page).toHaveURL(/\/course\/$/);
  const lessons = page.getByRole('list', { name: 'Lessons' }).getByRole('link');
  await lessons.last().click();
  await expect(page).toHaveURL(/\/course\/lessons\/your-turn\/$/);
  await expect(page.locator('html[data-cells="ready"]')).toBeAttached();
  expect(seen.outside).toEqual([]);
  expect(seen.failed).toEqual([]);
});

test('"/course" without the trailing slash gives the same working page', async ({ page }) => {
  const seen = watchRequests(page);
  const origin = new URL(test.info().project.use.baseURL!).origin;
  await page.goto(`${origin}/course`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Transfer Learning Workbook');
  // Styled, not a bare page: the site's stylesheet loaded (the header has its surface colour, not transparent).
  const header = await page.locator('.site-header').evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(header).not.toBe('rgba(0, 0, 0, 0)');
  await page.getByRole('list', { name: 'Lessons' }).getByRole('link').first().click();
  await expect(page).toHaveURL(/\/course\/lessons\/what-the-network-knows\/$/);
  await expect(page.locator('html[data-cells="ready"]')).toBeAttached();
  expect(seen.outside).toEqual(['/course']); // the address typed, and nothing else outside /course/
  expect(seen.failed).toEqual([]);
});

test.describe('the offline copy under /course/', () => {
  // playwright.config.ts blocks service workers unless a test asks; this one is about the worker's scope.
  test.use({ serviceWorkers: 'allow' });

  test('"/course" without the slash: the page renames itself "/course/", saves the copy, and /course/ works offline', async ({
    page,
    context,
  }) => {
    test.setTimeout(300_000);
    const origin = new URL(test.info().project.use.baseURL!).origin;
    const offline = page.locator('#offline-status');
    await page.goto(`${origin}/course`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Transfer Learning Workbook');
    // "/course" is outside the worker's scope "/course/"; the address the learner bookmarks or reloads is inside it.
    await expect.poll(() => page.evaluate(() => location.pathname)).toBe('/course/');
    await expect(offline).toHaveAttribute('data-state', 'ready', { timeout: 180_000 });
    await expect(offline.locator('[data-offline-text]')).toHaveText(/^Available offline · \d+\.\d MB$/);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.scope)).toBe(
      `${origin}/course/`,
    );

    await context.setOffline(true);
    await page.reload();
    await expect(page.getByRole('list', { name: 'Lessons' })).toBeVisible();
    await page.getByRole('list', { name: 'Lessons' }).getByRole('link').first().click();
    await expect(page).toHaveURL(/\/course\/lessons\/what-the-network-knows\/$/);
    await expect(page.locator('html[data-cells="ready"]')).toBeAttached();
    // A lesson address without its slash is inside the scope: the worker serves the lesson from the copy.
    await page.goto(`${origin}/course/lessons/what-the-network-knows`);
    await expect(page.locator('html[data-cells="ready"]')).toBeAttached();
    await context.setOffline(false);
  });
});

test('lesson 5 runs end to end under /course/: model, photos, training and the "head" checkpoint', async ({ page }) => {
  test.setTimeout(360_000);
  const seen = watchRequests(page);
  await openLesson(page, 'lessons/freeze-and-train/');
  await useSolutions(page);
  expect(await runAll(page, 300_000)).toEqual([]);
  const curves = output(page, 'train').locator('[data-wb="curves"]');
  await expect(curves).toHaveAttribute('data-state', 'done');
  // Trained for real: well above chance (1/3). The lesson's figures are lessons-5-8.spec.ts's to check (its record); here
  // the point is that everything it needs loads from under /course/.
  expect(Number(await curves.getAttribute('data-val-acc'))).toBeGreaterThan(0.6);
  const compare = output(page, 'compare').locator('[data-wb="compare"]');
  await expect(compare).toContainText('checkpoint “head”');
  // The head checkpoint: 68/78 on the 60/20/20 split, Wilson lower bound 78 %.
  expect(Number(await compare.getAttribute('data-theirs'))).toBeGreaterThanOrEqual(0.8);
  await expect(output(page, 'restore').locator('[data-wb="restored"]')).toContainText('Restored the “head” solution');
  expect(seen.outside).toEqual([]);
  expect(seen.failed).toEqual([]);
  // What the run fetched, all of it from under /course/: the model, photos, the checkpoint, and the wasm binary
  // when the page chose wasm (it does on a machine without a GPU, like CI's).
  const backend = (await page.locator('[data-backend-name]').textContent()) ?? '';
  const parts = ['workbook-assets/model/model.json', 'workbook-assets/photos/', 'checkpoints/head/'];
  for (const part of backend.startsWith('wasm') ? [...parts, 'tfjs-wasm/'] : parts) {
    expect(
      seen.paths.some((p) => p.startsWith(`${BASE}${part}`)),
      `fetched ${BASE}${part}…`,
    ).toBe(true);
  }

  // The training outputs, audited (see a11y.spec.ts).
  expect(await seriousViolations(page)).toEqual([]);
});
