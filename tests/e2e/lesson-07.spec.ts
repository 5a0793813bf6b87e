/**
 * Lesson 7 in Chromium, on the real model and photos. With the solutions (Run all): the head the learner composes by
 * hand (frozen base → Dense(128, relu) → Dropout → Dense(3) → softmax) passes its check, trains through wb.train
 * (adopted as one chain) and compares with its checkpoint, the big head overfits; the augmentations pass their check, the
 * grid shows the photo and 8 seeded versions, the with/without study shows per-seed validation accuracies with
 * intervals and a McNemar verdict, and the test photos are scored once. The page's figures match the record. Then
 * with the starters: the augmentation check fails with its first hint (and a second one on a second try), never the
 * answer; the hidden-layer check fails with its first rung, naming no width or rate. An axe audit of the page after
 * the run finds no serious violation.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { cell, openLesson, output, runAll, seriousViolations, useSolutions } from './drive-lesson';
import { expectNoDrift } from './record-drift';

const LESSON = 'lessons/add-layers/';

/** Runs one cell and waits for it to finish; returns its status. */
async function runCell(page: Page, id: string, timeout = 120_000): Promise<string> {
  await page.getByRole('button', { name: `Run cell ${id}`, exact: true }).click();
  await expect(cell(page, id)).not.toHaveAttribute('data-status', /queued|running|idle/, { timeout });
  return (await cell(page, id).getAttribute('data-status')) ?? '';
}

/** Puts a cell back to its starter and runs it; its check must fail. Returns the ✗ panel. */
async function runStarter(page: Page, id: string): Promise<Locator> {
  await page.getByRole('button', { name: `Reset cell ${id}`, exact: true }).click();
  expect(await runCell(page, id)).toBe('error');
  return output(page, id).locator('[data-check="fail"]');
}

test.describe('lesson 7: add layers', () => {
  test('solutions: hidden head, overfitting, augmentation grid, study with intervals, one test look; starters: hints, no answer', async ({
    page,
  }) => {
    test.setTimeout(480_000);
    await openLesson(page, LESSON);
    await useSolutions(page);
    const errors = await runAll(page, 400_000);
    expect(errors).toEqual([]);
    await expectNoDrift(page, '07-add-layers');

    await expect(output(page, 'hidden').locator('[data-check="pass"]')).toContainText(
      'Head: Dense(128, relu) → Dropout(0.5) → Dense(3) → softmax: 128 hidden units, 33,283 weights to learn',
    );
    const curves = output(page, 'train-hidden').locator('[data-wb="curves"]');
    await expect(curves).toHaveAttribute('data-state', 'done');
    expect(Number(await curves.getAttribute('data-val-acc'))).toBeGreaterThan(0.8);
    await expect(output(page, 'compare').locator('[data-wb="compare"]')).toContainText('checkpoint “head-hidden”');
    await expect(output(page, 'table').locator('[data-wb="runs-table"] tbody tr')).toHaveCount(3);
    await expect(output(page, 'table').locator('[data-wb="runs-table"]')).toContainText('hidden layer (yours)');

    // Augmentation: the check passed, the grid is the photo and 8 versions, drawn.
    await expect(output(page, 'augment').locator('[data-check="pass"]')).toContainText('mirrors exactly');
    const grid = output(page, 'augment-grid').locator('[data-wb="augment-grid"]');
    await expect(grid.locator('canvas')).toHaveCount(9);
    // The study: one row per seed and the mean, each accuracy with its interval and count of 78.
    const study = output(page, 'augment-study').locator('[data-wb="augment-study"]');
    await expect(study.locator('tbody tr')).toHaveCount(4);
    const firstSeed = await study.locator('tbody tr').first().innerText();
    expect(firstSeed).toMatch(/\d+\.\d % \[\d+\.\d %, \d+\.\d %\] · \d+\/78/);
    await expect(study).toContainText(/noise|more than/);
    await expect(study).toContainText('Chosen by validation accuracy alone');
    // The test photos, once.
    const look = output(page, 'augment-test').locator('[data-wb="test-score"]');
    await expect(look).toHaveAttribute('data-look', '1');
    await expect(look).toHaveAttribute('data-second-look', 'false');
    await expect(look).toHaveAttribute('data-total', '78');

    // The augmentation starter: the first rung only, then a second on a second try; never the solution's lines.
    const aug = await runStarter(page, 'augment');
    await expect(aug).toContainText('flip gave back the image unchanged');
    await expect(aug.locator('.wb-check-hint')).toHaveCount(1);
    await expect(aug).not.toContainText('flipLeftRight(image.expandDims');
    expect(await runCell(page, 'augment')).toBe('error');
    await expect(output(page, 'augment').locator('[data-check="fail"] .wb-check-hint')).toHaveCount(2);
    // The hidden-layer starter: no hidden layer yet, the first rung only, and no width or rate named.
    const hidden = await runStarter(page, 'hidden');
    await expect(hidden).toContainText('no hidden layer yet');
    await expect(hidden.locator('.wb-check-hint')).toHaveCount(1);
    await expect(hidden).not.toContainText('128');
    await expect(hidden).not.toContainText('0.5');
    expect(await runCell(page, 'hidden')).toBe('error');
    await expect(output(page, 'hidden').locator('[data-check="fail"] .wb-check-hint')).toHaveCount(2);

    expect(await seriousViolations(page)).toEqual([]);
  });
});
