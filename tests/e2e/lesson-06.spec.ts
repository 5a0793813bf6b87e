/**
 * Lesson 6 in Chromium, on the real model and photos. With the solutions: the freeze-point sweep draws its chart and
 * table (every point with its seeds, intervals and seconds per epoch) and says which differences the validation
 * photos can separate; the learning-rate contrast does the same, and the everything cell shows its recorded
 * reference run (public/reference/everything.json) the same way, labelled as recorded, with its epochs; the BatchNorm cells still
 * show the drift and the unchanged frozen statistics; the page's figures match lessons/06-…/record.json. With the
 * starter: the freeze-points check fails with its first hint, then a second one on a second try, never the answer.
 * Then an accessibility audit of the page as the run left it.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { cell, openLesson, output, runAll, seriousViolations, useSolutions } from './drive-lesson';
import { expectNoDrift } from './record-drift';

const PATH = '/lessons/choose-the-freeze-point/';

/** Runs one cell and waits for it to finish; returns its status. */
async function runCell(page: Page, id: string, timeout = 120_000): Promise<string> {
  await page.getByRole('button', { name: `Run cell ${id}`, exact: true }).click();
  await expect(cell(page, id)).not.toHaveAttribute('data-status', /queued|running|idle/, { timeout });
  return (await cell(page, id).getAttribute('data-status')) ?? '';
}

/** The sweep view under a cell: its table rows, after checking the chart is drawn. */
async function sweepRows(page: Page, id: string, points: number): Promise<Locator> {
  const view = output(page, id).locator('[data-wb="freeze-sweep"]');
  await expect(view).toHaveAttribute('data-points', String(points));
  await expect(view.locator('[data-chart="freeze-sweep"] svg')).toHaveCount(2);
  const rows = view.locator('[data-wb="freeze-sweep-table"] tbody tr');
  await expect(rows).toHaveCount(points);
  return rows;
}

test.describe('lesson 6: choose the freeze point', () => {
  test('solutions: the sweep with intervals and costs, the rate contrast, everything, BatchNorm; starter: hints, no answer', async ({
    page,
  }) => {
    test.setTimeout(720_000);
    await openLesson(page, PATH);
    await useSolutions(page);
    const errors = await runAll(page, 600_000);
    expect(errors).toEqual([]);
    await expectNoDrift(page, '06-choose-the-freeze-point');

    await expect(output(page, 'freeze-points').locator('[data-check="pass"]')).toContainText(
      'blockEnd names the last layer of all 13 blocks',
    );
    const points = ['global_average_pooling2d_1', 'conv_pw_12_relu', 'conv_pw_11_relu', 'conv_pw_10_relu'];
    const rows = await sweepRows(page, 'sweep', points.length);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.freezeAt))).toEqual(points);
    for (const row of await rows.all()) {
      expect(Number(await row.getAttribute('data-val-acc'))).toBeGreaterThan(0.6);
      // Each seed's count, the mean over seeds with its interval, Wilson on the pooled count, the cost.
      await expect(row).toContainText(/\d+, \d+, \d+ of 78/);
      await expect(row).toContainText(/\d+\.\d % \[\d+\.\d %, \d+\.\d %\] · \d+\/234/);
      await expect(row).toContainText(/\d s/);
    }
    await expect(rows.nth(0)).toContainText('head only');
    await expect(rows.nth(0)).toContainText('771');
    await expect(rows.nth(2)).toContainText('blocks 12–13 + head');
    const comparisons = output(page, 'sweep').locator('[data-wb="freeze-sweep-comparisons"]');
    await expect(comparisons).toContainText('no gap under 6 photos (7.7 %) can ever be told from chance');
    await expect(comparisons.locator('li')).toHaveCount(points.length - 1);

    // The head's step size wrecks what blocks 12-13 knew; ten times smaller keeps it, and the photos can tell.
    const rates = await sweepRows(page, 'rates', 2);
    const [fast, slow] = await rates.evaluateAll((trs) => trs.map((tr) => Number((tr as HTMLElement).dataset.valAcc)));
    expect(slow!).toBeGreaterThan(fast! + 0.2);
    await expect(output(page, 'rates').locator('li[data-inside-noise="false"]')).toHaveCount(1);

    // The course's fine-tuned checkpoint next to the head it started from, paired on the same photos.
    await expect(output(page, 'checkpoint').locator('[data-wb="paired-comparison"]')).toHaveAttribute(
      'data-inside-noise',
      /true|false/,
    );

    // Every layer trained: a recorded reference run (too long for a page), labelled as one, with its epochs.
    const everything = await sweepRows(page, 'everything', 2);
    await expect(everything.nth(1)).toContainText('every layer');
    await expect(output(page, 'everything').locator('[data-wb="recorded-reference"]')).toContainText(
      /^Recorded reference run: Chromium [\d.]+, wasm \(1 thread\), \d{4}-\d\d-\d\d; 4 epochs × 2 seeds per point/,
    );
    await expect(output(page, 'everything').locator('[data-wb="recorded-sweep-epochs"] tbody tr')).toHaveCount(4);

    // BatchNorm: the naive fit moved the frozen base's statistics; the workbook's freeze moved none.
    await expect(output(page, 'bn-naive').locator('[data-check="pass"]')).toContainText(
      /moving statistics of the \d+ frozen BatchNorm layers moved/,
    );
    await expect(output(page, 'bn-cost').locator('[data-check="pass"]')).toContainText(
      'are bit-for-bit what they were',
    );
    await expect(output(page, 'bn-cost').locator('[data-chart="batchnorm-drift"]')).toBeVisible();

    // The starter: blockEnd is a TODO, so the check fails with the idea, then the API on a second try; never the names.
    await page.getByRole('button', { name: 'Reset cell freeze-points' }).click();
    expect(await runCell(page, 'freeze-points')).toBe('error');
    const failed = output(page, 'freeze-points').locator('[data-check="fail"]');
    await expect(failed).toContainText('blockEnd(1) threw');
    await expect(failed.locator('.wb-check-hint')).toHaveCount(1);
    expect(await runCell(page, 'freeze-points')).toBe('error');
    await expect(output(page, 'freeze-points').locator('[data-check="fail"] .wb-check-hint')).toHaveCount(2);
    await expect(output(page, 'freeze-points')).not.toContainText(/conv_pw_1[12]_relu/);

    // After the whole run, charts and tables drawn: no serious or critical accessibility violation (axe-core).
    expect(await seriousViolations(page)).toEqual([]);
  });
});
