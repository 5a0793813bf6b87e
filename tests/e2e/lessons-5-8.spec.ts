/**
 * Lessons 5–8 in Chromium, on the real model and photos: each lesson "Run all" with the solutions in, asserting
 * what the lesson promises (lesson 5: validation accuracy ≥ 0.8 read from the page, and the record's figures; lesson 6: a runs-table row per
 * freeze point; lesson 7: the hidden-layer head trains and the comparison shows; lesson 8: an uploaded cat photo is
 * called "cat", and the export downloads), and with the starters, that the exercises' checks fail with their
 * friendly messages.
 */
import { expect, test, type Download, type Locator, type Page } from '@playwright/test';
import { expectNoDrift } from './record-drift';

const LESSON = {
  freeze: '/lessons/freeze-and-train/',
  freezePoint: '/lessons/choose-the-freeze-point/',
  layers: '/lessons/add-layers/',
  yourTurn: '/lessons/your-turn/',
} as const;

/** A cell by id. */
const cell = (page: Page, id: string): Locator => page.locator(`[data-cell][data-cell-id="${id}"]`);

/** Puts every cell's solution in, through the page's own "Show solution" → "Use solution". */
async function useSolutions(page: Page): Promise<void> {
  const ids = await page
    .locator('[data-cell]:has([data-action="solution"])')
    .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.cellId!));
  for (const id of ids) {
    await cell(page, id).locator('[data-action="solution"]').click();
    await page.getByRole('button', { name: `Use solution in cell ${id}` }).click();
  }
}

/** Opens a lesson with cleared storage, waits for its cells to be ready. */
async function open(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await expect(page.locator('html[data-cells="ready"]')).toBeAttached();
}

/** Presses Run all and waits until no cell is queued or running; returns the ids of cells that ended in error. */
async function runAll(page: Page, timeout: number): Promise<string[]> {
  await page.locator('[data-notebook-action="run-all"]').click();
  await expect(
    page.locator('[data-cell][data-status="running"], [data-cell][data-status="queued"]').first(),
  ).toBeAttached();
  await expect(page.locator('[data-cell][data-status="running"], [data-cell][data-status="queued"]')).toHaveCount(0, {
    timeout,
  });
  return page
    .locator('[data-cell][data-status="error"]')
    .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.cellId ?? ''));
}

/** Runs one cell and waits for it to finish. */
async function runCell(page: Page, id: string, timeout = 120_000): Promise<string> {
  await page.getByRole('button', { name: `Run cell ${id}`, exact: true }).click();
  await expect(cell(page, id)).not.toHaveAttribute('data-status', /queued|running|idle/, { timeout });
  return (await cell(page, id).getAttribute('data-status')) ?? '';
}

/** Puts a cell back to the lesson's code (the starter) and runs it; the cell's check must fail. */
async function runStarter(page: Page, id: string, timeout = 120_000): Promise<Locator> {
  await page.getByRole('button', { name: `Reset cell ${id}` }).click();
  expect(await runCell(page, id, timeout)).toBe('error');
  return output(page, id).locator('[data-check="fail"]');
}

/** Text of a cell's output. */
const output = (page: Page, id: string): Locator => cell(page, id).locator('[data-cell-output]');

/** Prints every cell's status, time and output text (the numbers the prose interprets). */
async function logOutputs(page: Page, lesson: string): Promise<void> {
  const cells = await page.locator('[data-cell]').evaluateAll((els) =>
    els.map((e) => {
      const el = e as HTMLElement;
      const out = el.querySelector('[data-cell-output]') as HTMLElement | null;
      return `${el.dataset.cellId} [${el.querySelector('[data-cell-status-text]')?.textContent}]\n${(out?.innerText ?? '').trim()}`;
    }),
  );
  console.log(`\n===== ${lesson} =====\n${cells.join('\n---\n')}`);
}

test.describe('lesson 5: freeze and train', () => {
  test('with the solutions: ≥ 80 % validation accuracy, the confusion matrix, the mistakes and the comparison', async ({
    page,
  }) => {
    test.setTimeout(300_000);
    await open(page, LESSON.freeze);
    await useSolutions(page);
    const errors = await runAll(page, 240_000);
    await logOutputs(page, 'lesson 5, solutions');
    expect(errors).toEqual([]);
    // The prose quotes lessons/05-freeze-and-train/record.json: this run must give the same figures (record-drift.ts).
    await expectNoDrift(page, '05-freeze-and-train');
    const curves = output(page, 'train').locator('[data-wb="curves"]');
    await expect(curves).toHaveAttribute('data-state', 'done');
    await expect(curves.locator('svg').first()).toBeVisible();
    const valAcc = Number(await curves.getAttribute('data-val-acc'));
    // 80 %: the Wilson lower bound of the head checkpoint's 68/78; the record above pins the exact figure.
    expect(valAcc).toBeGreaterThanOrEqual(0.8);
    await expect(output(page, 'train')).toContainText(
      `validation accuracy after 100 epochs: ${(valAcc * 100).toFixed(1)} %`,
    );
    await expect(output(page, 'freeze').locator('[data-check="pass"]')).toBeVisible();
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
    await expect(rerun.locator('.wb-curves-status')).toContainText('of 100 epochs (stopped)');

    // The starters: every layer left trainable; a recall of 0.
    const freeze = await runStarter(page, 'freeze');
    await expect(freeze).toContainText('Every layer is still trainable');
    await expect(freeze).toContainText(
      'Hint: Set layer.trainable = false for layers 0…82 (up to global_average_pooling2d_1)',
    );
    const recall = await runStarter(page, 'recall');
    await expect(recall).toContainText('Recall of other is not 0.');
    await expect(recall).toContainText('Hint: Take row “other” of ev.confusion');
  });
});

test.describe('lesson 6: choose the freeze point', () => {
  test('with the solutions: a runs-table row per freeze point, and no frozen BatchNorm statistic changed', async ({
    page,
  }) => {
    test.setTimeout(480_000);
    await open(page, LESSON.freezePoint);
    await useSolutions(page);
    const errors = await runAll(page, 420_000);
    await logOutputs(page, 'lesson 6, solutions');
    expect(errors).toEqual([]);
    const freezePoints = ['global_average_pooling2d_1', 'conv_pw_12_relu', 'conv_pw_11_relu'];
    await expect(output(page, 'freeze-points').locator('[data-check="pass"]')).toBeVisible();
    // The table shown by the runs cell is live: its three runs, then the BatchNorm run of the cell below it.
    const rows = output(page, 'runs').locator('[data-wb="runs-table"] tbody tr');
    await expect(rows).toHaveCount(4);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.freezeAt))).toEqual([
      ...freezePoints,
      'global_average_pooling2d_1',
    ]);
    for (const row of await rows.all()) expect(Number(await row.getAttribute('data-val-acc'))).toBeGreaterThan(0.5);
    await expect(rows.nth(0)).toContainText('771');
    // Each validation accuracy with its Wilson 95 % interval and the photos it rests on.
    for (const row of await rows.all()) await expect(row).toContainText(/\d+\.\d % \[\d+\.\d %, \d+\.\d %\] · \d+\/78/);
    await expect(output(page, 'cost')).toContainText('conv_pw_11_relu: 104,323 trainable weights');
    // BatchNorm: the naive fit moved the frozen base's statistics; the workbook's freeze moved none; the cost, paired.
    await expect(output(page, 'bn-naive').locator('[data-check="pass"]')).toContainText(
      /moving statistics of the \d+ frozen BatchNorm layers moved/,
    );
    const bnCost = output(page, 'bn-cost');
    await expect(bnCost.locator('[data-check="pass"]')).toContainText('are bit-for-bit what they were');
    await expect(bnCost.locator('[data-chart="batchnorm-drift"]')).toBeVisible();
    expect(
      Number(await bnCost.locator('[data-wb="batchnorm-cost"]').getAttribute('data-largest-log-variance')),
    ).toBeGreaterThan(0.01);
    await expect(bnCost.locator('[data-wb="paired-comparison"] p')).toContainText(/McNemar p = |Same accuracy/);
    for (const id of ['bn-naive', 'bn-cost'])
      console.log(`lesson 6 ${id}: ${await cell(page, id).locator('[data-cell-status-text]').textContent()}`);

    const points = await runStarter(page, 'freeze-points');
    await expect(points).toContainText(
      '1 distinct freeze point (global_average_pooling2d_1): the comparison needs at least three.',
    );
    const bn = await runStarter(page, 'bn-naive', 180_000);
    await expect(bn).toContainText('Your snapshot is empty');
  });
});

test.describe('lesson 7: add layers', () => {
  test('with the solutions: the hidden-layer head trains and compares with its checkpoint; the big head overfits', async ({
    page,
  }) => {
    test.setTimeout(300_000);
    await open(page, LESSON.layers);
    await useSolutions(page);
    const errors = await runAll(page, 240_000);
    await logOutputs(page, 'lesson 7, solutions');
    expect(errors).toEqual([]);
    await expectNoDrift(page, '07-add-layers');
    await expect(output(page, 'hidden').locator('[data-check="pass"]')).toContainText('128 hidden units');
    const curves = output(page, 'train-hidden').locator('[data-wb="curves"]');
    await expect(curves).toHaveAttribute('data-state', 'done');
    await expect(curves).toHaveAttribute('data-epochs', '20');
    expect(Number(await curves.getAttribute('data-val-acc'))).toBeGreaterThan(0.8);
    const compare = output(page, 'compare').locator('[data-wb="compare"]');
    await expect(compare).toContainText('checkpoint “head-hidden”');
    await expect(compare.locator('svg').first()).toBeVisible();
    await expect(output(page, 'table').locator('[data-wb="runs-table"] tbody tr')).toHaveCount(3);

    const hidden = await runStarter(page, 'hidden');
    await expect(hidden).toContainText('only the classifier, no hidden layer yet');
  });
});

test.describe('lesson 8: your turn', () => {
  test('with the solutions: an uploaded cat photo is a cat, the export downloads and loads back the same', async ({
    page,
  }) => {
    test.setTimeout(300_000);
    const downloads: Download[] = [];
    page.on('download', (d) => downloads.push(d));
    await open(page, LESSON.yourTurn);
    await useSolutions(page);
    const errors = await runAll(page, 240_000);
    await logOutputs(page, 'lesson 8, solutions');
    expect(errors).toEqual([]);
    await expectNoDrift(page, '08-your-turn');
    const upload = output(page, 'upload').locator('[data-wb="upload"]');
    await upload.locator('input[type="file"]').setInputFiles('public/workbook-assets/photos/cat/Bombay_160.jpg');
    await expect(upload).toHaveAttribute('data-state', 'done');
    await expect(upload.locator('.wb-upload-result')).toHaveAttribute('data-top', 'cat');
    await expect(upload.locator('[data-wb="probs"] span[data-top="true"]').first()).toHaveText('cat');
    expect(downloads.map((d) => d.suggestedFilename()).sort()).toEqual([
      'cat-dog-other.json',
      'cat-dog-other.weights.bin',
    ]);
    await expect(output(page, 'reload').locator('[data-check="pass"]')).toContainText(
      'Same answer from the model loaded back',
    );

    const reload = await runStarter(page, 'reload');
    await expect(reload).toContainText('The second list of scores is null.');
  });
});
