/**
 * What the sub-path, phone-screen and accessibility specs share: opening a lesson the way a learner does, putting
 * the solutions in, running every cell, and the two page-wide checks (no sideways scroll, no serious axe finding).
 * Not a spec itself (Playwright only collects *.spec.ts).
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';

/** The lesson pages in course order, as the home page links them (absolute paths, base included). */
export async function lessonPaths(page: Page): Promise<string[]> {
  await page.goto('');
  const links = page.getByRole('list', { name: 'Lessons' }).getByRole('link');
  await expect(links.first()).toBeVisible();
  const paths = await links.evaluateAll((els) => els.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
  expect(paths.length).toBeGreaterThanOrEqual(8);
  return paths;
}

/** A cell by id, and the box its outputs go in. */
export const cell = (page: Page, id: string): Locator => page.locator(`[data-cell][data-cell-id="${id}"]`);
export const output = (page: Page, id: string): Locator => cell(page, id).locator('[data-cell-output]');

/**
 * Opens a page with cleared storage (no edits saved by an earlier test) and waits for its cells to be ready.
 * `path`: relative ("lessons/x/", resolved under the project's base URL, root or sub-path) or from lessonPaths.
 */
export async function openLesson(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await expect(page.locator('html[data-cells="ready"]')).toBeAttached();
}

/** Puts every cell's solution in, through the page's own "Show solution" → "Use solution". */
export async function useSolutions(page: Page): Promise<void> {
  const ids = await page
    .locator('[data-cell]:has([data-action="solution"])')
    .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.cellId!));
  for (const id of ids) {
    await cell(page, id).locator('[data-action="solution"]').click();
    await page.getByRole('button', { name: `Use solution in cell ${id}` }).click();
  }
}

/** Presses Run all and waits until no cell is queued or running; returns the ids of cells that ended in error. */
export async function runAll(page: Page, timeout: number): Promise<string[]> {
  const busy = page.locator('[data-cell][data-status="running"], [data-cell][data-status="queued"]');
  await page.locator('[data-notebook-action="run-all"]').click();
  await expect(busy.first()).toBeAttached();
  await expect(busy).toHaveCount(0, { timeout });
  return page
    .locator('[data-cell][data-status="error"]')
    .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.cellId ?? ''));
}

/**
 * Clicks every closed group toggle of the layer table. `closed` matches only closed ones, so each click removes
 * the first from the list (clicking `.all()`'s nth locators would skip half and then wait for ones gone).
 */
export async function openAllGroups(closed: Locator): Promise<void> {
  for (let left = await closed.count(); left > 0; left--) await closed.first().click();
  await expect(closed).toHaveCount(0);
}

/** How far the page scrolls sideways, in CSS pixels (0 when everything fits the viewport's width). */
export async function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });
}

/**
 * The elements that stick out past the viewport's right edge and are not inside a box that scrolls or clips them
 * (those make the page scroll sideways), for a failure message.
 */
export async function widestElements(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const limit = document.documentElement.clientWidth;
    const contained = (el: Element) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        if (getComputedStyle(p).overflowX !== 'visible') return true;
      }
      return false;
    };
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}` +
      (typeof el.className === 'string' && el.className.trim() ? `.${el.className.trim().split(/\s+/).join('.')}` : '');
    return [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > limit + 0.5 && !contained(el))
      .slice(0, 8)
      .map((el) => `${name(el)} (right edge at ${Math.round(el.getBoundingClientRect().right)} px)`);
  });
}

/**
 * KNOWN, NOT YET FIXED (issue 12, reported to the lead): Observable Plot labels each mark's <g> with aria-label
 * ("line", "bar", "rule") but gives it no role, which axe reports as aria-prohibited-attr. The fix belongs where
 * charts are drawn (src/workbook, the lessons' Plot calls), outside this spec's reach. Only that exact finding is
 * let through: the same rule on any other element, or any other rule on a Plot chart, still fails.
 */
function isPlotMarkLabel(v: { id: string; nodes: { target: unknown[] }[] }): boolean {
  // axe names the <g> by its aria-label, by its path inside the Plot SVG (`.plot-… > g[…]`, `svg[…] > g[…]`) or by
  // another attribute unique on the page (lesson 3's depth chart: g[transform="translate(-2.5,0)"]): in every form
  // the selector's last element is a <g>, and no <g> of the site but Plot's carries an aria-label.
  const plotMark = (t: string) => /(^|[\s>])g(\[[^\]]*\]|:[\w-]+(\([^)]*\))?)*$/.test(t);
  return v.id === 'aria-prohibited-attr' && v.nodes.every((n) => plotMark(String(n.target.at(-1))));
}

/**
 * The page's serious and critical accessibility violations (axe-core's WCAG 2.x A/AA rules and best practices),
 * one line each: rule, impact, what to fix, where (up to five elements) and axe's summary for the first.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .filter((v) => !isPlotMarkLabel(v))
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .slice(0, 5)
          .map((n) => n.target.join(' '))
          .join(' | ')}` + ` — ${v.nodes[0]?.failureSummary?.replace(/\s+/g, ' ') ?? ''}`,
    );
}
