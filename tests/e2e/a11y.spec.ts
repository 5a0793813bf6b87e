/**
 * An automated accessibility audit (axe-core, through @axe-core/playwright) of every page a learner reads: 0 serious
 * or critical violations, in the light and the dark theme.
 *
 * What it covers, and why not more: every lesson page is audited as it loads (prose, cells, controls), and two
 * lessons after "Run all" with their solutions in, so that what cells draw is audited too: lesson 1 (photo
 * galleries, top-5 predictions) and lesson 2 (the layer table, with its toggles). Training outputs (curves,
 * confusion matrix, mistakes, checkpoint comparison) are audited after lesson 5's full run in subpath.spec.ts,
 * which runs it anyway. Running all eight lessons here would add about five minutes for views the others share.
 */
import { expect, test } from '@playwright/test';
import { lessonPaths, openAllGroups, openLesson, runAll, seriousViolations, useSolutions } from './drive-lesson';

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`${colorScheme} theme`, () => {
    test.use({ colorScheme });

    test('the home page, the about page and every lesson page as loaded', async ({ page }) => {
      const pages = ['', 'about-the-data/', ...(await lessonPaths(page))];
      const found: string[] = [];
      for (const path of pages) {
        await page.goto(path);
        await expect(page.locator('main h1')).toBeVisible();
        if (path.includes('/lessons/')) await expect(page.locator('html[data-cells="ready"]')).toBeAttached();
        found.push(...(await seriousViolations(page)).map((v) => `${path || '/'}: ${v}`));
      }
      expect(found).toEqual([]);
    });
  });
}

test.describe('after running a lesson', () => {
  test.describe.configure({ timeout: 300_000 });

  for (const slug of ['what-the-network-knows', 'inspect-the-layers']) {
    test(`lesson "${slug}" with its solutions run`, async ({ page }) => {
      await openLesson(page, `lessons/${slug}/`);
      await useSolutions(page);
      expect(await runAll(page, 240_000)).toEqual([]);
      // Open every group of the layer table (where there is one): its rows are buttons and cells too.
      await openAllGroups(page.locator('.wb-toggle[aria-expanded="false"]'));
      expect(await seriousViolations(page)).toEqual([]);
    });
  }
});
