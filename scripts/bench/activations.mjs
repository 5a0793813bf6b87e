/**
 * Section "store": lesson 5's features cell on a learner's first visit (every photo through the frozen layers) and
 * on the second (the same browser profile, a new page: the features read back from IndexedDB,
 * src/platform/activation-store.ts), in headless Chromium on the built site.
 *
 * Each pair of visits runs in a fresh browser context (an empty IndexedDB): visit 1 runs the setup and features
 * cells with their solutions, then the page is reloaded (nothing in memory) and visit 2 runs them again. Two
 * figures per visit: the engine's own seconds for the features step (`features.seconds` on window.__wbFigures,
 * what the cell's note says: computing, or reading the store plus verifying each row) and the cell's wall clock from
 * the Run click to "done" (what the learner waits for, the model already loaded by the setup cell). Service workers
 * are blocked, as in the e2e tests: the offline copy's background download would load the CPU under the timing.
 */
import { runCell, useSolution } from './lib/cells.mjs';
import { duration, median, ratio } from './lib/stats.mjs';

const LESSON_5 = '/lessons/freeze-and-train/';

/** One visit: setup, then features; the features step's figures. */
async function visit(page) {
  await page.waitForSelector('html[data-cells="ready"]', { timeout: 60_000 });
  for (const id of ['setup', 'features']) await useSolution(page, id);
  await runCell(page, 'setup');
  const cellSeconds = await runCell(page, 'features');
  const note = page.locator('[data-cell][data-cell-id="features"] [data-wb="features"]');
  const fromStore = Number(await note.getAttribute('data-from-store'));
  const text = (await note.textContent()) ?? '';
  const seconds = await page.evaluate(() => window.__wbFigures?.['features.seconds']);
  const photos = await page.evaluate(() => window.__wbFigures?.['features.photos']);
  return { seconds, cellSeconds, fromStore, photos, text };
}

/** Runs the section; returns { rows, data }. */
export async function runStore({ quick, browser, url, log }) {
  const pairs = [];
  for (let i = 0; i < (quick ? 1 : 3); i++) {
    const context = await browser.newContext({ serviceWorkers: 'block' });
    try {
      const page = await context.newPage();
      await page.goto(`${url}${LESSON_5}`);
      const first = await visit(page);
      await page.reload();
      const second = await visit(page);
      log(`pair ${i + 1}: first ${first.seconds} s (${first.text.slice(0, 60)}…), second ${second.seconds} s`);
      if (first.fromStore !== 0 || second.fromStore !== second.photos)
        throw new Error(
          `expected 0 then ${second.photos} photos from the store, saw ${first.fromStore} and ${second.fromStore}`,
        );
      pairs.push({ first, second });
    } finally {
      await context.close();
    }
  }
  const firstSeconds = median(pairs.map((p) => p.first.seconds));
  const secondSeconds = median(pairs.map((p) => p.second.seconds));
  const firstCell = median(pairs.map((p) => p.first.cellSeconds));
  const secondCell = median(pairs.map((p) => p.second.cellSeconds));
  const data = { pairs, firstSeconds, secondSeconds, firstCell, secondCell, speedup: firstSeconds / secondSeconds };
  const n = pairs[0].first.photos;
  const runs = `median of ${pairs.length}`;
  return {
    rows: [
      {
        id: 'first',
        label: `lesson 5 features, first visit: ${n} photos computed (${runs})`,
        value: firstSeconds,
        unit: 's',
        text: `${duration(firstSeconds)} (cell ${duration(firstCell)})`,
      },
      {
        id: 'second',
        label: `lesson 5 features, second visit: ${n} photos from IndexedDB (${runs})`,
        value: secondSeconds,
        unit: 's',
        text: `${duration(secondSeconds)} (cell ${duration(secondCell)})`,
      },
      { id: 'speedup', label: 'first / second visit', value: data.speedup, text: ratio(data.speedup) },
    ],
    data,
  };
}
