/**
 * An automated accessibility audit (axe-core, through @axe-core/playwright) of every page a learner reads: 0 serious
 * or critical violations, in the light and the dark theme.
 *
 * What it covers: every lesson page as it loads (prose, cells, controls), here in both themes. What the cells draw
 * is audited where each lesson already runs its solutions, at the end of that lesson's own e2e test
 * (lessons-1-4.spec.ts, lesson-04 … lesson-08.spec.ts, and lesson 5 again under a sub-path in subpath.spec.ts), so
 * every lesson is audited after a run without running any lesson twice.
 */
import { expect, test } from '@playwright/test';
import { lessonPaths, seriousViolations } from './drive-lesson';

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
