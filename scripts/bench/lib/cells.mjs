/**
 * Driving a lesson page's cells from the benchmark, through the page's own buttons, as a learner (and the e2e
 * specs, tests/e2e/drive-lesson.ts) would: put a cell's solution in, press its Run button, wait for its end.
 */

/** Puts the solution into cell `id`, through the page's own buttons; a cell without an exercise holds its code. */
export async function useSolution(page, id) {
  const solution = page.locator(`[data-cell][data-cell-id="${id}"] [data-action="solution"]`);
  if ((await solution.count()) === 0) return;
  await solution.click();
  await page.getByRole('button', { name: `Use solution in cell ${id}` }).click();
}

/** The ids of the page's cells, in page order. */
export async function cellIds(page) {
  return page.locator('[data-cell]').evaluateAll((els) => els.map((e) => e.dataset.cellId));
}

/**
 * Runs cell `id`; returns the seconds from the click to its end. Throws, with the cell's output, unless it ended
 * "done". `onTick` is called about every `tickMs` while the cell runs (the memory sampler).
 */
export async function runCell(page, id, { timeout = 300_000, onTick, tickMs = 250 } = {}) {
  const started = Date.now();
  await page.getByRole('button', { name: `Run cell ${id}`, exact: true }).click();
  const done = page.waitForFunction(
    (cellId) => {
      const s = document.querySelector(`[data-cell][data-cell-id="${cellId}"]`)?.getAttribute('data-status');
      return s && !['idle', 'queued', 'running'].includes(s);
    },
    id,
    { timeout, polling: 100 },
  );
  let finished = false;
  const ticking = (async () => {
    while (onTick && !finished) {
      await onTick();
      await new Promise((r) => setTimeout(r, tickMs));
    }
  })();
  try {
    await done;
  } finally {
    finished = true;
    await ticking;
  }
  const seconds = (Date.now() - started) / 1000;
  const status = await page.locator(`[data-cell][data-cell-id="${id}"]`).getAttribute('data-status');
  if (status !== 'done') {
    const text = await page.locator(`[data-cell][data-cell-id="${id}"] [data-cell-output]`).textContent();
    throw new Error(`cell ${id} ended in ${status}: ${(text ?? '').replace(/\s+/g, ' ').slice(0, 300)}`);
  }
  return seconds;
}
