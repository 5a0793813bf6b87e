/**
 * The wb reference page (src/pages/reference.astro, generated from the facade's doc comments by
 * scripts/wb-reference.mjs) in Chromium: reached from the site's nav, every group in the learner's order, each
 * member with what it returns and an example, no internal listed; and the editor's hover over a wb member shows the
 * same text as the page (both come from the same doc comment: the one source, two readers).
 */
import { expect, test } from '@playwright/test';

const GROUPS = ['load', 'photos', 'look', 'build', 'train', 'evaluate', 'compare', 'save', 'check'];

test('the wb reference lists every group and member, from the nav', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'wb reference' }).click();
  await expect(page).toHaveURL(/\/reference\/$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('wb reference');
  const groups = await page
    .locator('section[data-group]')
    .evaluateAll((s) => s.map((e) => e.getAttribute('data-group')));
  expect(groups.slice(0, GROUPS.length)).toEqual(GROUPS);

  const classify = page.locator('dd[data-member="wb.classify"]');
  await expect(classify).toContainText('The one way to classify');
  await expect(classify.locator('pre code').first()).toContainText('await wb.classify(');
  // Every member has a summary and an example (or, for a lesson's named check, the lesson line that calls it).
  const members = page.locator('dd[data-member]');
  expect(await members.count()).toBeGreaterThan(60);
  const empty = await members.evaluateAll((dds) =>
    dds
      .filter((dd) => !dd.querySelector(':scope > p')?.textContent?.trim() || !dd.querySelector(':scope > pre'))
      .map((dd) => dd.getAttribute('data-member')),
  );
  expect(empty).toEqual([]);
  for (const gone of ['wb.runs.add', 'wb.checkpoints.url', 'wb.photos.set', 'wb.classifyPhoto'])
    await expect(page.locator(`dt[data-member="${gone}"]`)).toHaveCount(0);
});

test('the editor shows the reference page’s text when hovering a wb member', async ({ page }) => {
  await page.goto('/reference/');
  const summary = (await page.locator('dd[data-member="wb.photos.oneHot"] > p').first().textContent())!.trim();
  expect(summary.length).toBeGreaterThan(20);

  await page.goto('/dev/cells/');
  const use = page.locator('[data-cell-id="use"]');
  await use.locator('[data-cell-code] pre').first().click();
  await expect(use.locator('.monaco-editor')).toBeVisible({ timeout: 60_000 });
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\nwb.photos.oneHot');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  const hover = page.locator('.monaco-hover').filter({ hasText: 'oneHot' }).first();
  await expect(hover).toBeVisible({ timeout: 60_000 });
  // The hover's doc is the page's summary (Monaco renders the comment as markdown: compare the words).
  const words = (text: string) => text.replace(/[`*_]/g, '').replace(/\s+/g, ' ').trim();
  await expect.poll(async () => words((await hover.textContent()) ?? '')).toContain(words(summary));
  await expect(hover).toContainText('wb.photos.oneHot(wb.photos.all(');
});
