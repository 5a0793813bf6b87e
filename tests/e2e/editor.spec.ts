/**
 * The cell editor in Chromium, on /dev/editor/ (src/pages/dev/editor.astro: mount.ts without the cell runtime).
 *
 * - Nothing of Monaco, its workers or the type bundle is fetched before the learner starts editing.
 * - Once editing: typing works, the earlier cell's declarations and the page globals are known (no false errors),
 *   a real type error gets a squiggle and a diagnostic at the right line, `tf.` completes, Shift+Enter runs,
 *   Tab indents, and Escape then Tab leaves the editor.
 * Hovers show types, and the theme follows the system's colour scheme. Timings are printed, not asserted.
 */
import { expect, test, type Page } from '@playwright/test';

/** Every URL the page requested (documents, scripts, styles, workers), in order. */
function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.context().on('request', (r) => urls.push(r.url()));
  return urls;
}

/**
 * The built chunks the editor consists of (Vite names chunks after their entry module): the contract module, the
 * Monaco chunk, the type bundle (JSON) and the TypeScript worker.
 */
const EDITOR_PIECES = [
  /\/mount\.[\w-]+\.js$/,
  /\/cell-editor\.[\w-]+\.js$/,
  /\/cell-types\.[\w-]+\.json$/,
  /\/ts\.worker-[\w-]+\.js$/,
];

const editorText = (page: Page) => page.locator('#cell .monaco-editor .view-lines');

test('the editor loads on demand, types, checks, completes and runs', async ({ page }) => {
  const requests = recordRequests(page);
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));

  await page.goto('/dev/editor/');
  await page.waitForLoadState('networkidle');
  const beforeEditing = new Set(requests);
  expect(workers).toEqual([]);
  expect(await page.locator('.monaco-editor').count()).toBe(0);
  // No Monaco stylesheet either, linked or injected (Astro would link a lazy chunk's CSS from the page).
  expect(await page.locator('style[data-monaco]').count()).toBe(0);
  expect(
    await page.evaluate(() =>
      [...document.styleSheets].map((s) => s.href ?? '').filter((h) => /cell-editor|tsMode|monaco/.test(h)),
    ),
  ).toEqual([]);

  // Start editing: the static code becomes the editor, focused.
  await page.locator('#cell-code').click();
  await expect(page.locator('#editor-state')).toHaveText('ready');
  const readyMs = Number(await page.locator('#ready-ms').textContent());
  await expect(page.locator('#cell .monaco-editor')).toBeVisible();
  expect(await page.locator('style[data-monaco]').count()).toBeGreaterThan(10);
  expect(await page.evaluate(() => !!document.activeElement?.closest('.monaco-editor'))).toBe(true);

  // The editor's pieces were fetched now, and none of them with the page.
  const forEditing = requests.filter((u) => !beforeEditing.has(u));
  for (const piece of EDITOR_PIECES) {
    expect(
      forEditing.filter((u) => piece.test(u)),
      `${piece} fetched for editing`,
    ).not.toEqual([]);
    expect(
      [...beforeEditing].filter((u) => piece.test(u)),
      `${piece} fetched with the page`,
    ).toEqual([]);
  }

  // The first diagnostics: the initial code is correct given the earlier cell and the globals, so none.
  await expect(page.locator('#diagnostics-ms')).not.toHaveText('–', { timeout: 60_000 });
  const diagnosticsMs = Number(await page.locator('#diagnostics-ms').textContent());
  await expect(page.locator('#diagnostics li')).toHaveCount(0);
  expect(workers.filter((u) => /ts\.worker/.test(u))).toHaveLength(1);

  // Hover (from the keyboard: Ctrl+K Ctrl+I) shows the type an earlier cell gave `model`: line 2 ends "= model;".
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  await expect(page.locator('.monaco-hover').filter({ hasText: 'const model: tf.Sequential' }).first()).toBeVisible({
    timeout: 30_000,
  });
  await page.keyboard.press('Escape');

  // Typing works and reaches onChange; the editor grows with its code (no inner scrollbar for a short cell).
  const hostHeight = () => page.locator('#cell .dev-editor-host').evaluate((el) => el.getBoundingClientRect().height);
  const heightBefore = await hostHeight();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('const wrong: string = learningRate;');
  await expect(page.locator('#value')).toContainText('const wrong: string = learningRate;');
  await expect(editorText(page)).toContainText('const wrong: string = learningRate;');
  await page.keyboard.type('\n// one more line\n// and another');
  expect(await hostHeight()).toBeGreaterThan(heightBefore);
  for (let i = 0; i < 2; i++) await page.keyboard.press('Control+Shift+K'); // delete them again

  // A real type error: a squiggle in the editor, and the diagnostic at line 4 for the runtime.
  await expect(page.locator('#cell .squiggly-error').first()).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('#diagnostics li[data-severity="error"]')).toHaveCount(1);
  await expect(page.locator('#diagnostics li').first()).toContainText(
    "4:7 error TS2322: Type 'number' is not assignable to type 'string'",
  );

  // Completions for tf.
  await page.keyboard.press('Enter');
  await page.keyboard.type('tf.seq');
  const suggestions = page.locator('#cell .suggest-widget .monaco-list-row');
  await expect(suggestions.filter({ hasText: 'sequential' }).first()).toBeVisible({ timeout: 30_000 });
  await page.keyboard.press('Escape'); // closes the suggestions (and must not arm "leave the editor")
  await expect(page.locator('#cell .suggest-widget.visible')).toHaveCount(0);
  await page.keyboard.type('uential();');

  // Shift+Enter runs, without inserting a line.
  const linesBefore = (await page.locator('#value').textContent())!.split('\n').length;
  await page.keyboard.press('Shift+Enter');
  await expect(page.locator('#run-count')).toHaveText('1');
  expect((await page.locator('#value').textContent())!.split('\n').length).toBe(linesBefore);

  // Tab indents (focus stays); Escape then Tab leaves, to the next control on the page.
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => !!document.activeElement?.closest('.monaco-editor'))).toBe(true);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  await expect(page.locator('#after-cell')).toBeFocused();

  // The label tells screen-reader users how.
  // (Monaco 0.57 types into a `role="textbox"` element using the EditContext API where the browser has it.)
  await expect(page.locator('#cell .monaco-editor [role="textbox"]')).toHaveAttribute(
    'aria-label',
    /Shift\+Enter.*Escape, then Tab/,
  );

  // The theme follows the system's light/dark setting, live.
  await expect(page.locator('#cell .monaco-editor')).toHaveClass(/\bvs\b/);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('#cell .monaco-editor')).toHaveClass(/\bvs-dark\b/);

  console.log(
    `editor: ready ${readyMs} ms after the click, first type-check done ${diagnosticsMs} ms after the click; ` +
      `fetched for editing: ${forEditing.map((u) => u.replace(/^.*\//, '')).join(', ')}`,
  );
});

test('a cell of the notebook runtime upgrades to the editor, with the earlier cells’ names known', async ({ page }) => {
  // /dev/cells/ (the runtime's page): cell "declare" declares counter, bump, Point, second; cell "use" uses them.
  const requests = recordRequests(page);
  await page.goto('/dev/cells/');
  await page.waitForLoadState('networkidle');
  for (const piece of EDITOR_PIECES)
    expect(
      requests.filter((u) => piece.test(u)),
      `${piece} fetched with the page`,
    ).toEqual([]);
  expect(await page.locator('style[data-monaco]').count()).toBe(0);

  const declare = page.locator('[data-cell-id="declare"]');
  const use = page.locator('[data-cell-id="use"]');
  await declare.locator('button[data-action="run"]').click();
  await expect(declare).toHaveAttribute('data-status', 'done');

  await use.locator('[data-cell-code] pre').first().click();
  await expect(use.locator('.monaco-editor')).toBeVisible({ timeout: 60_000 });
  expect(requests.filter((u) => /\/ts\.worker-/.test(u) || /\/cell-editor\./.test(u)).length).toBeGreaterThan(0);

  // One wrong line: exactly one diagnostic, so the names from "declare" raised none.
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\nconst wrongType: string = 42;');
  await expect(use.locator('.squiggly-error').first()).toBeVisible({ timeout: 60_000 });
  const diagnostics = use.locator('[data-cell-diagnostics] li').filter({ hasText: /^Line \d+, column \d+:/ });
  await expect(diagnostics).toHaveCount(1);
  await expect(diagnostics.first()).toContainText("column 7: Type 'number' is not assignable to type 'string'");

  // tf. completes; the half-typed line is then deleted (Ctrl+Shift+K) so the run below does not start tfjs.
  await page.keyboard.type('\ntf.seq');
  await expect(use.locator('.suggest-widget .monaco-list-row').filter({ hasText: 'sequential' }).first()).toBeVisible({
    timeout: 30_000,
  });
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Shift+K');

  // Shift+Enter runs the cell with the learner's edits; the type error did not block it.
  await page.keyboard.press('Shift+Enter');
  await expect(use).toHaveAttribute('data-status', 'done');
});
