/**
 * Lessons 1–3 in Chromium (lesson 4 has its own spec, lesson-04.spec.ts), as a learner meets them: "Run all" with
 * the starters stops at the first exercise, whose check fails with its friendly message and the first hint of its
 * ladder; running the unchanged starter again shows the second hint; "Use solution" there and "Run all" again goes on to the next exercise; with
 * every solution in, every cell runs and the key outputs are right (the Egyptian Mau is an ImageNet cat, 88 layers
 * and 475,544 parameters, a drawn filter grid). One page per lesson, so the
 * model loads once per lesson (the wasm backend is chosen automatically). After the solutions ran, the figures the
 * page produced must match the lesson's record (lessons/NN-slug/record.json, which the prose quotes through <Fig>;
 * tests/e2e/record-drift.ts), and the page, outputs and all, must pass an axe audit.
 */
import { expect, test, type Page } from '@playwright/test';
import { openAllGroups, seriousViolations } from './drive-lesson';
import { expectNoDrift } from './record-drift';

/** A lesson's cells can take a while on two shared cores: the model, 390 photos through the network in lesson 3. */
const CELL_TIMEOUT = 120_000;
test.describe.configure({ timeout: 360_000 });

const cell = (page: Page, id: string) => page.locator(`[data-cell-id="${id}"]`);
const output = (page: Page, id: string) => cell(page, id).locator('[data-cell-output]');

async function open(page: Page, slug: string): Promise<void> {
  await page.goto(`/lessons/${slug}/`);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-cells', 'ready');
}

async function runAll(page: Page): Promise<void> {
  await page.locator('[data-notebook-action="run-all"]').click();
}

/** The ids of the page's cells, in order. */
async function cellIds(page: Page): Promise<string[]> {
  return page.locator('[data-cell]').evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.cellId ?? ''));
}

/**
 * Runs all with the starters, exercise by exercise: each exercise's check fails with `messages[id]`, then its
 * solution goes in and the next "Run all" passes it. Ends with every solution in and every cell done.
 */
async function solveInTurn(page: Page, messages: Record<string, RegExp>): Promise<void> {
  const ids = await cellIds(page);
  const exercises = Object.keys(messages);
  expect(ids.filter((id) => exercises.includes(id))).toEqual(exercises); // in page order, all on the page
  for (const id of exercises) {
    await runAll(page);
    const c = cell(page, id);
    await expect(c).toHaveAttribute('data-status', 'error', { timeout: CELL_TIMEOUT });
    const verdict = c.locator('.wb-check-fail');
    await expect(verdict).toContainText('✗ Not yet');
    await expect(verdict.locator('.wb-check-message')).toHaveText(messages[id]!);
    // The hint ladder: the first failed try shows the first rung only…
    const hints = verdict.locator('.wb-check-hint');
    await expect(hints).toHaveCount(1);
    await expect(hints.first()).toContainText('Hint:');
    await expect(verdict).toHaveAttribute('role', 'alert');
    const firstHint = await hints.first().textContent();
    await expect(c.locator('.cell-error')).toContainText('Check failed');
    // …and running the unchanged starter again climbs one rung: the first hint again, then a new one, newest last.
    await page.getByRole('button', { name: `Run cell ${id}`, exact: true }).click();
    const again = c.locator('.wb-check-fail .wb-check-hint');
    await expect(again).toHaveCount(2, { timeout: CELL_TIMEOUT });
    await expect(again.first()).toHaveText(firstHint ?? '');
    await expect(again.nth(1)).not.toHaveText(firstHint ?? '');
    await expect(c).toHaveAttribute('data-status', 'error');
    // The cells after a failed check did not run on the wrong answer.
    const next = ids[ids.indexOf(id) + 1];
    if (next) await expect(cell(page, next)).not.toHaveAttribute('data-status', 'done');
    await page.getByRole('button', { name: `Show solution of cell ${id}`, exact: true }).click();
    await page.getByRole('button', { name: `Use solution in cell ${id}`, exact: true }).click();
  }
  await runAll(page);
  for (const id of ids)
    await expect(cell(page, id), `cell ${id}`).toHaveAttribute('data-status', 'done', { timeout: CELL_TIMEOUT });
  for (const id of exercises) await expect(cell(page, id).locator('.wb-check-pass')).toContainText('✓ Check passed');
}

test('lesson 1: the Egyptian Mau is an ImageNet cat; translating ImageNet answers scores the validation photos', async ({
  page,
}) => {
  await open(page, 'what-the-network-knows');
  await solveInTurn(page, {
    'top-class':
      /^Class 0 \(“tench, Tinca tinca”\) has probability .+, but class 285 \(“Egyptian cat”\) has \d+\.\d\s?%\.$/,
    'our-label':
      /^123 of the 1000 classes get the wrong label; for example class 151 \(“Chihuahua”\) becomes "other", but should be "dog"\.$/,
  });
  await expect(output(page, 'load-model')).toContainText(
    'MobileNet v1 0.25: 88 layers, 475,544 parameters (already loaded on this page).',
  );
  await expect(output(page, 'top-class')).toContainText('class 285: Egyptian cat');
  // The learner's code found the runs by their names in the real class list.
  await expect(output(page, 'our-label')).toContainText('dogs: 151–268, cats: 281–285');
  const mau = output(page, 'classify').locator('tr[data-file="cat/Egyptian_Mau_10.jpg"] .wb-top li').first();
  const mauClass = Number(await mau.getAttribute('data-class-index'));
  expect(mauClass).toBeGreaterThanOrEqual(281); // ImageNet's domestic cats: 281 tabby … 285 Egyptian cat
  expect(mauClass).toBeLessThanOrEqual(285);
  await expect(mau).toContainText('Egyptian cat');
  await expect(output(page, 'classify').locator('tr[data-file="dog/beagle_10.jpg"] .wb-top li').first()).toContainText(
    'beagle',
  );
  const score = await output(page, 'baseline').locator('.cell-log').first().textContent();
  const [, right, total] = /^(\d+) of (\d+) right/.exec(score ?? '') ?? [];
  expect(Number(total)).toBe(78);
  expect(Number(right)).toBeGreaterThan(60);
  await expect(output(page, 'baseline').locator('.wb-photo')).toHaveCount(78 - Number(right));
  // The baseline with its interval, from the learner's own translation (the check recounts it).
  await expect(output(page, 'baseline').locator('.wb-check-pass')).toContainText(
    new RegExp(`${right} of 78 validation photos right: \\d+\\.\\d %, 95 % interval \\d+\\.\\d % to \\d+\\.\\d %`),
  );
  await expectNoDrift(page, '01-what-the-network-knows');
  expect(await seriousViolations(page)).toEqual([]);
});

test('lesson 2: 88 layers, 475,544 parameters, 257,000 in the classifier, a softmax over 1000', async ({ page }) => {
  await open(page, 'inspect-the-layers');
  await solveInTurn(page, {
    count: /^You counted 0 layers; the model has 88\.$/,
    'classifier-params': /^You read 0 features and 0 classes: not the sizes of conv_preds\.$/,
    softmax: /^softmax\(logits \[1, 2, 3\]\) gives \[1\.000, 2\.000, 3\.000\], which sums to 6\.0000, not 1\.$/,
  });
  const table = output(page, 'layer-table').locator('table.wb-layers');
  await expect(table.locator('caption')).toContainText('88 layers, 475,544 parameters');
  await expect(table.locator('tbody.wb-block')).toHaveCount(15);
  await expect(table.locator('tfoot')).toContainText('1000');
  await expect(table.locator('tr[data-layer="act_softmax"]')).toBeVisible(); // the classifier group starts open
  await expect(table.locator('tr[data-layer="conv_pw_7"]')).toBeHidden(); // block 7 starts closed…
  await table.locator('tbody[data-block="block 7"] .wb-toggle').click();
  await expect(table.locator('tr[data-layer="conv_pw_7"]')).toBeVisible(); // …and opens on a click
  await expect(output(page, 'count')).toContainText('88 layers, 475,544 parameters');
  await expect(output(page, 'shapes').locator('svg[viewBox]')).toBeVisible();
  await expect(output(page, 'where-params').locator('svg[viewBox]')).toBeVisible();
  await expect(output(page, 'classifier-params').locator('.wb-check-pass')).toContainText(
    '257,000 parameters: 54% of the whole model',
  );
  await expect(output(page, 'logits')).toContainText('Egyptian cat: logit');
  await expect(output(page, 'softmax').locator('.wb-check-pass')).toContainText('matches act_softmax');
  await expect(output(page, 'softmax')).toContainText('your probabilities sum to 1.0000');
  await expectNoDrift(page, '02-inspect-the-layers');
  // Every group of the layer table open, so that its rows' toggles are audited too.
  await openAllGroups(table.locator('.wb-toggle[aria-expanded="false"]'));
  expect(await seriousViolations(page)).toEqual([]);
});

test('lesson 3: the filter grid is drawn, early and late maps side by side, a cat channel and its photos', async ({
  page,
}) => {
  test.setTimeout(600_000); // four Run alls, and the probes' pooled features at 14 depths for two networks
  await open(page, 'early-and-late-layers');
  await solveInTurn(page, {
    'early-late': /^No early layer picked yet: early is the empty string\.$/,
    'cat-channel':
      /^Channel 0 averages \d+\.\d\d on cat photos and \d+\.\d\d on the others: the \d+(st|nd|rd|th) largest gap of the 256 channels\. Some channel prefers cats much more\.$/,
    probe: /^Your probe gives every photo the same probabilities: it has not learned anything from the features yet\.$/,
  });
  // The folded filter grid: one row of tiles, drawn, not one flat colour; and the tiles crossed out in red are
  // exactly the dead channels of the weights, as the figure's data, its per-tile lines and the cell's print say.
  const filters = output(page, 'filters').locator('figure[data-picture="folded-filters"]');
  const lines = filters.locator('li[data-channel]');
  const tileCount = await lines.count();
  const grid = await filters
    .locator('canvas[data-picture="filters"]')
    .evaluate((canvas: HTMLCanvasElement, n: number) => {
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      const colours = new Set<number>();
      for (let i = 0; i < data.length; i += 4) colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
      // A dead tile's cross runs through its centre and its top-left corner, in the engine's red (DEAD_MARK 200, 30, 30).
      const tile = (canvas.width - (n - 1) * 2) / n;
      const red = (x: number, y: number) => {
        const o = (Math.round(y) * canvas.width + Math.round(x)) * 4;
        return data[o] === 200 && data[o + 1] === 30 && data[o + 2] === 30;
      };
      const crossed = [];
      for (let t = 0; t < n; t++)
        if (red(t * (tile + 2) + tile / 2, tile / 2) && red(t * (tile + 2) + 1, 1)) crossed.push(t);
      return { width: canvas.width, height: canvas.height, colours: colours.size, crossed };
    }, tileCount);
  expect(tileCount).toBeGreaterThan(1);
  expect(grid.width).toBeGreaterThan(100);
  expect(grid.colours).toBeGreaterThan(12);
  const deadInData = ((await filters.getAttribute('data-dead')) ?? '').split(' ').filter(Boolean).map(Number);
  const deadLines = await filters
    .locator('li[data-dead]')
    .evaluateAll((lis) => lis.map((li) => Number((li as HTMLElement).dataset.channel)));
  const printed = /dead \(the same output on every photo\): ([\d, ]+)/.exec(
    (await output(page, 'filters').textContent()) ?? '',
  )?.[1];
  expect(deadInData.length).toBeGreaterThan(0); // the weights have dead filters: the grid must show some
  expect(grid.crossed).toEqual(deadInData);
  expect(deadLines).toEqual(deadInData);
  expect(
    printed
      ?.split(',')
      .map((c) => Number(c.trim()))
      .filter((c) => !Number.isNaN(c)),
  ).toEqual(deadInData);
  for (const channel of deadInData)
    await expect(lines.nth(channel)).toContainText(/dead: outputs [\d.]+.* on every photo/);
  // Top patches of three conv_pw_3_relu channels: 9 windows each, drawn as one row of 9 square tiles.
  const patchFigures = output(page, 'patches').locator('figure[data-layer="conv_pw_3_relu"]');
  await expect(patchFigures).toHaveCount(3);
  for (const fig of await patchFigures.all()) {
    await expect(fig).toHaveAttribute('data-tiles', '9');
    await expect(fig.locator('figcaption')).toContainText(/the 9 \d+×\d+-pixel windows of our \d+ photos/);
    const size = await fig
      .locator('canvas[data-picture="top-patches"]')
      .evaluate((c: HTMLCanvasElement) => ({ width: c.width, height: c.height }));
    expect((size.width + 2) / (size.height + 2)).toBe(9); // square tiles, 2 px apart, in one row
  }
  // Kept (outside test-results/, which the next run wipes), so the prose's description of these channels can be
  // checked against the page; and what the one pass over the photos cost here, from the figure's data.
  await output(page, 'patches').screenshot({ path: '.cache/e2e/lesson-3-patches.png' });
  console.log(
    `lesson 3 patches: the pass over the photos took ${await patchFigures.first().evaluate((f) => (f as HTMLElement & { patches: { indexSeconds: number } }).patches.indexSeconds.toFixed(1))} s`,
  );
  const panels = output(page, 'early-late');
  await expect(panels.locator('canvas[data-layer="conv1_relu"]')).toHaveAttribute(
    'aria-label',
    /8 feature maps of conv1_relu .* 112×112/,
  );
  await expect(panels.locator('canvas[data-layer="conv_pw_13_relu"]')).toHaveAttribute(
    'aria-label',
    /256 feature maps of conv_pw_13_relu .* 7×7/,
  );
  await expect(output(page, 'channel-means')).toContainText('390 photos × 256 channels');
  const catChannel = Number(
    /the most cat-like channel: (\d+)/.exec((await output(page, 'cat-channel').textContent()) ?? '')?.[1],
  );
  const top = output(page, 'top-photos').locator(`figure[data-channel="${catChannel}"]`);
  await expect(top.locator('.wb-photo')).toHaveCount(8);
  expect(await top.locator('.wb-photo[data-label="cat"]').count()).toBeGreaterThanOrEqual(5);

  // How transferable is each depth: the learner's probe passes on block 13; both curves, 14 depths each, with
  // intervals; ImageNet's last block reads our task better than the random twin's. Then accuracy against photos.
  await expect(output(page, 'probe').locator('.wb-check-pass')).toContainText(
    /right on \d+ of 78 validation photos on block 13/,
  );
  const depths = output(page, 'depths');
  await expect(depths.locator('[data-chart="depth"]')).toBeVisible();
  const rows = await depths
    .locator('table tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
  expect(rows).toHaveLength(14);
  const accuracyIn = (text: string) => Number(/^(\d+\.\d) %/.exec(text)?.[1]);
  expect(accuracyIn(rows[13]![1]!)).toBeGreaterThan(accuracyIn(rows[13]![2]!));
  for (const [, imagenet, random] of rows)
    for (const text of [imagenet!, random!]) expect(text).toMatch(/^\d+\.\d % \[\d+\.\d %, \d+\.\d %\] \(\d+\/78\)$/);
  const perClass = output(page, 'photos-per-class');
  await expect(perClass.locator('[data-chart="photos-per-class"]')).toBeVisible();
  await expect(perClass.locator('table tbody tr')).toHaveCount(5);
  // What the evidence cells cost here (wasm in Chromium): their status lines say how long they ran.
  for (const id of ['filters', 'patches', 'probe', 'depths', 'photos-per-class'])
    console.log(`lesson 3 ${id}: ${await cell(page, id).locator('[data-cell-status-text]').textContent()}`);
  await expectNoDrift(page, '03-early-and-late-layers');
  expect(await seriousViolations(page)).toEqual([]);
});
