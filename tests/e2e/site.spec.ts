/** The site's frame in a real browser: the home page lists the lessons and each lesson page renders. */
import { expect, test } from '@playwright/test';

test('the home page lists the lessons in order and links to them', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Transfer Learning Workbook');
  const lessons = page.getByRole('list', { name: 'Lessons' }).getByRole('link');
  await expect(lessons.first()).toHaveText(/^1\. What the network already knows$/);
  await lessons.first().click();
  await expect(page).toHaveURL(/\/lessons\/what-the-network-knows\/$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('1. What the network already knows');
});

test('a lesson page has a prose column, the backend slot and lesson navigation', async ({ page }) => {
  await page.goto('/lessons/what-the-network-knows/');
  await expect(page.locator('article')).toContainText('none of the above');
  await expect(page.locator('#backend-status')).toContainText('TensorFlow.js');
  const width = await page.locator('main').evaluate((el) => el.getBoundingClientRect().width);
  expect(width).toBeLessThan(1000); // a readable measure, not the full window
});

test('the about page credits the data and shows the split', async ({ page }) => {
  await page.goto('/about-the-data/');
  await expect(page.getByText('Oxford-IIIT Pet Dataset')).toBeVisible();
  const table = page.getByRole('table', { name: 'Photos per class and split' });
  await expect(table.getByRole('row', { name: /^all/ })).toHaveText(/234\s*78\s*78/);
});

test('the theme follows the OS', async ({ browser }) => {
  const colours: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    const page = await browser.newPage({ colorScheme });
    await page.goto('/');
    colours.push(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor));
    await page.close();
  }
  expect(colours[0]).not.toBe(colours[1]);
});
