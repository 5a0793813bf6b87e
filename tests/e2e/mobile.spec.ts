/**
 * The course on a phone (375 × 812 CSS pixels, an iPhone's viewport) and wide outputs on a laptop: no page scrolls
 * sideways, before or after running cells that draw wide output (lesson 2's layer table); a table wider than its cell
 * scrolls inside it, on a phone and at 1280 px.
 */
import { expect, test, type Page } from '@playwright/test';
import {
  cell,
  lessonPaths,
  openAllGroups,
  openLesson,
  runAll,
  sidewaysOverflow,
  useSolutions,
  widestElements,
} from './drive-lesson';

/** Fails naming the elements that stick out, when the page scrolls sideways. */
async function expectNoSidewaysScroll(page: Page, where: string): Promise<void> {
  const overflow = await sidewaysOverflow(page);
  expect(
    overflow,
    `${where} scrolls sideways by ${overflow} px: ${(await widestElements(page)).join('; ')}`,
  ).toBeLessThanOrEqual(0);
}

/** The layer table of lesson 2: opened, every group expanded, and the cell value that must scroll it. */
async function runLayerTable(page: Page) {
  await openLesson(page, 'lessons/inspect-the-layers/');
  await useSolutions(page);
  expect(await runAll(page, 240_000)).toEqual([]);
  const table = cell(page, 'layer-table').locator('table.wb-layers');
  await expect(table).toBeVisible();
  await openAllGroups(table.locator('.wb-toggle[aria-expanded="false"]'));
  return { table, box: table.locator('xpath=ancestor::*[contains(@class, "cell-value")][1]') };
}

test.describe('on a phone', () => {
  test.use({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });

  test('no page scrolls sideways: home, about and every lesson as loaded', async ({ page }) => {
    const pages = ['', 'about-the-data/', ...(await lessonPaths(page))];
    for (const path of pages) {
      await page.goto(path);
      await expect(page.locator('main h1')).toBeVisible();
      await expectNoSidewaysScroll(page, path || 'home');
    }
  });

  test('lesson 2 still fits after its cells draw the layer table, which scrolls inside its cell', async ({ page }) => {
    test.setTimeout(300_000);
    const { table, box } = await runLayerTable(page);
    await expectNoSidewaysScroll(page, 'lesson 2 after Run all');
    const widths = await box.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(widths.scroll).toBeGreaterThan(widths.client); // wider than the phone: it scrolls, in its cell
    // The last column can be scrolled to and read.
    const training = table.getByRole('columnheader', { name: 'Training' });
    await training.scrollIntoViewIfNeeded();
    await expect(training).toBeInViewport();
    await expectNoSidewaysScroll(page, 'lesson 2 scrolled to the Training column');

    // The same page on a laptop (the report: the Training column cut off at 1280 px): the table stays
    // inside its cell, and its last column is reachable.
    await page.setViewportSize({ width: 1280, height: 800 });
    await expectNoSidewaysScroll(page, 'lesson 2 at 1280 px');
    const cellRight = await cell(page, 'layer-table').evaluate((el) => el.getBoundingClientRect().right);
    expect(await box.evaluate((el) => el.getBoundingClientRect().right)).toBeLessThanOrEqual(cellRight);
    await training.scrollIntoViewIfNeeded();
    await expect(training).toBeInViewport();
    expect(await training.evaluate((el) => el.getBoundingClientRect().right)).toBeLessThanOrEqual(cellRight + 0.5);
  });
});
