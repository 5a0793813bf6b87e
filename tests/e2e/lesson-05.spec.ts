/**
 * Lesson 5 in Chromium, on the real model and photos, as a learner meets it: "Run all" with the starters stops at
 * each exercise in turn (the hand-written training loop, the freeze flags, the recall function), whose check fails
 * with its message and the first rung of its hint ladder, never the answer; with each solution in, the next "Run
 * all" goes on. With every solution in: the learner's loop follows wb.train's curve, wb.train trains the learner's
 * own alpaca_model from lesson 4's start as the flags say, the validation accuracy is sane (≥ 80 %), the page's
 * figures match lessons/05-freeze-and-train/record.json, and Stop ends a run between batches.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { cell, openLesson, output, runAll, seriousViolations } from './drive-lesson';
import { expectNoDrift } from './record-drift';

test.describe.configure({ timeout: 720_000 });

/** The cells after the features cell whose figures the record holds. */
const RECORDED_AFTER_FEATURES = [
  'setup',
  'loop',
  'freeze',
  'train',
  'evaluate',
  'recall',
  'mistakes',
  'compare',
  'restore',
];

/** The failed verdict of a cell. */
const verdict = (page: Page, id: string): Locator => output(page, id).locator('[data-check="fail"]');

/** Puts one cell's solution in, through the page's own "Show solution" → "Use solution". */
async function useSolution(page: Page, id: string): Promise<void> {
  await page.getByRole('button', { name: `Show solution of cell ${id}`, exact: true }).click();
  await page.getByRole('button', { name: `Use solution in cell ${id}`, exact: true }).click();
}

test('lesson 5: starters give hint ladders; the learner’s loop matches wb.train, which trains their own model as their flags say', async ({
  page,
}) => {
  await openLesson(page, '/lessons/freeze-and-train/');

  // The loop: the starter takes no optimiser step.
  expect(await runAll(page, 240_000)).toEqual(['loop']);
  // The features cell ran once, on a fresh page, as in the record: its figures (photos computed, not cached) now.
  await expectNoDrift(page, '05-freeze-and-train', ['features']);
  await expect(verdict(page, 'loop').locator('.wb-check-message')).toHaveText(
    'After your loop, the head’s weights are exactly where they started: no optimiser step was taken.',
  );
  await expect(verdict(page, 'loop').locator('.wb-check-hint')).toHaveCount(1);
  await expect(verdict(page, 'loop')).not.toContainText('softmaxCrossEntropy(ys');
  await useSolution(page, 'loop');

  // The freeze: the starter sets no flag, so every layer is still trainable; the first rung names the idea only.
  expect(await runAll(page, 240_000)).toEqual(['freeze']);
  await expect(verdict(page, 'freeze').locator('.wb-check-message')).toContainText(
    'Every layer is still trainable: training would change all 219,315 weights',
  );
  await expect(verdict(page, 'freeze').locator('.wb-check-hint')).toHaveCount(1);
  await expect(verdict(page, 'freeze').locator('.wb-check-hint')).toContainText('First find that boundary');
  await expect(verdict(page, 'freeze')).not.toContainText(/GlobalAveragePooling2D|findIndex|i > /);
  await useSolution(page, 'freeze');

  // The recall: the starter's 0 is wrong on every matrix.
  expect(await runAll(page, 300_000)).toEqual(['recall']);
  await expect(verdict(page, 'recall').locator('.wb-check-message')).toContainText('your function gives 0');
  await expect(verdict(page, 'recall').locator('.wb-check-hint')).toHaveCount(1);
  await useSolution(page, 'recall');

  // Every solution in.
  expect(await runAll(page, 300_000)).toEqual([]);
  await expect(output(page, 'loop').locator('[data-check="pass"]')).toContainText(
    'Your loop follows wb.train for all 20 epochs',
  );
  await expect(output(page, 'setup')).toContainText('head_dropout → head_logits → head_softmax');
  await expect(output(page, 'freeze').locator('[data-check="pass"]')).toContainText(
    'wb.train will read these flags as: freeze layers 0–82 (up to global_average_pooling2d_1)',
  );
  await expect(output(page, 'freeze').locator('[data-check="pass"]')).toContainText(
    'train the 3 layers after it: 771 weights',
  );
  // The prose quotes lessons/05-freeze-and-train/record.json: this run must give the same figures (record-drift.ts).
  // (Every cell but features; re-run, the features come from the page's cache, so those figures say 0 computed.)
  await expectNoDrift(page, '05-freeze-and-train', RECORDED_AFTER_FEATURES);
  const curves = output(page, 'train').locator('[data-wb="curves"]');
  await expect(curves).toHaveAttribute('data-state', 'done');
  const valAcc = Number(await curves.getAttribute('data-val-acc'));
  expect(valAcc).toBeGreaterThanOrEqual(0.8);
  await expect(output(page, 'train')).toContainText(
    `validation accuracy after 100 epochs: ${(valAcc * 100).toFixed(1)} %`,
  );
  // The confusion matrix: 3 × 3 counts of the 78 validation photos, its diagonal the right answers.
  const matrix = output(page, 'evaluate').locator('[data-wb="confusion"] td');
  await expect(matrix).toHaveCount(9);
  const counts = (await matrix.allInnerTexts()).map(Number);
  expect(counts.reduce((a, b) => a + b, 0)).toBe(78);
  const diagonal = counts[0]! + counts[4]! + counts[8]!;
  expect(diagonal / 78).toBeCloseTo(valAcc, 6);
  await expect(output(page, 'recall').locator('[data-check="pass"]')).toBeVisible();
  await expect(output(page, 'mistakes').locator('[data-wb="mistakes"] figure')).toHaveCount(78 - diagonal);
  const compare = output(page, 'compare').locator('[data-wb="compare"]');
  await expect(compare).toContainText('checkpoint “head”');
  expect(Number(await compare.getAttribute('data-theirs'))).toBeGreaterThanOrEqual(0.8);
  await expect(output(page, 'restore').locator('[data-wb="restored"]')).toContainText('Restored the “head” solution');

  // Stop: train again and press Stop after two epochs; the run ends between batches and says so.
  await page.getByRole('button', { name: 'Run cell train', exact: true }).click();
  const rerun = output(page, 'train').locator('[data-wb="curves"]');
  await expect(rerun).toHaveAttribute('data-epochs', /^([2-9]|\d\d)$/, { timeout: 60_000 });
  await page.getByRole('button', { name: 'Stop cell train' }).click();
  await expect(cell(page, 'train').locator('[data-cell-status-text]')).toHaveText('Stopped');
  await expect(rerun).toHaveAttribute('data-state', 'stopped');
  // The page after a whole run, every output drawn: no serious or critical accessibility violation (axe).
  expect(await seriousViolations(page)).toEqual([]);
});
