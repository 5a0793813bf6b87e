/**
 * The recorder's reference mode, `npm run build && npm run record -- 06 --reference`: runs, once, the cells whose
 * live run is too long for a page, and writes what they computed to public/reference/<name>.json, which the page
 * shows with `wb.recordedSweep(name)` (src/workbook/recorded-sweep.ts), labelled as a recorded run.
 *
 * A reference cell holds both forms: `const TRAIN_LIVE = false;` shows the recording, and a learner who flips it to
 * true trains it on the page. The recorder does exactly that flip, through the page's own editor (the cell's code
 * is filled into its textarea with TRAIN_LIVE set to true), runs the cells the reference needs first, then the
 * cell, and reads the result back through one line it appends to the cell's code. So the recording runs the
 * learner's code path, with the settings the cell states, in Chromium on wasm as the lesson records are.
 *
 * Lesson 6's whole-network run: 2 seeds × 4 epochs through every layer, ~10–15 minutes on two cores.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** The reference runs of each lesson: the cell, the cells it needs run first, the names its code gives them. */
export const REFERENCES = {
  '06-choose-the-freeze-point': [
    {
      name: 'everything',
      cell: 'everything',
      before: ['setup', 'freeze-points'],
      /** The constant the learner flips, and the variables holding the result and its settings. */
      flip: 'const TRAIN_LIVE = false;',
      result: 'everything',
      settings: 'everythingSettings',
    },
  ],
};

/** The longest reference run may take; the whole network on wasm is ~75 s per epoch here. */
const RUN_TIMEOUT_MS = 45 * 60_000;

/** Runs cell `id` through its Run button and waits for it to end; throws unless it ended "done". */
async function runCell(page, id, timeout) {
  await page.getByRole('button', { name: `Run cell ${id}`, exact: true }).click();
  await page.waitForFunction(
    (cellId) => {
      const s = document.querySelector(`[data-cell][data-cell-id="${cellId}"]`)?.getAttribute('data-status');
      return s && !['idle', 'queued', 'running'].includes(s);
    },
    id,
    { timeout, polling: 1000 },
  );
  const status = await page.locator(`[data-cell][data-cell-id="${id}"]`).getAttribute('data-status');
  if (status !== 'done') {
    const text = await page.locator(`[data-cell][data-cell-id="${id}"] [data-cell-output]`).textContent();
    throw new Error(`cell ${id} ended in ${status}: ${(text ?? '').slice(0, 400)}`);
  }
}

/** The cell's code with its constant flipped to train live, and a last line handing the result to the recorder. */
export function liveCode(code, ref) {
  const live = ref.flip.replace('false', 'true');
  if (!code.includes(ref.flip)) throw new Error(`cell ${ref.cell} no longer says \`${ref.flip}\`: update REFERENCES`);
  return `${code.replace(ref.flip, live).trimEnd()}\nglobalThis.__wbReference = { settings: ${ref.settings}, points: ${ref.result} };\n`;
}

/** Records every reference run of lesson `folder`; returns the files written. */
export async function recordReferences(browser, base, folder, provenance) {
  const refs = REFERENCES[folder] ?? [];
  if (refs.length === 0) throw new Error(`${folder} has no reference runs (scripts/record-reference.mjs REFERENCES)`);
  const slug = folder.replace(/^\d+-/, '');
  const written = [];
  for (const ref of refs) {
    const page = await browser.newPage();
    try {
      await page.goto(`${base}/lessons/${slug}/?backend=wasm`);
      await page.evaluate(() => localStorage.clear());
      await page.reload();
      await page.locator('html[data-cells="ready"]').waitFor({ state: 'attached', timeout: 60_000 });
      for (const id of ref.before) {
        const solution = page.locator(`[data-cell][data-cell-id="${id}"] [data-action="solution"]`);
        if ((await solution.count()) > 0) {
          await solution.click();
          await page.getByRole('button', { name: `Use solution in cell ${id}` }).click();
        }
        await runCell(page, id, 5 * 60_000);
      }
      const cell = page.locator(`[data-cell][data-cell-id="${ref.cell}"]`);
      await cell.locator('[data-cell-code]').click();
      const textarea = cell.getByRole('textbox', { name: `Code of cell ${ref.cell}` });
      await textarea.fill(liveCode(await textarea.inputValue(), ref));
      const started = Date.now();
      await runCell(page, ref.cell, RUN_TIMEOUT_MS);
      const seconds = Math.round((Date.now() - started) / 1000);
      const result = await page.evaluate(() => JSON.parse(JSON.stringify(globalThis.__wbReference ?? null)));
      if (!result?.points?.length) throw new Error(`cell ${ref.cell} ran but handed back no ${ref.result}`);
      const status = (await page.locator('#backend-status [data-backend-name]').textContent()) ?? '';
      const record = {
        name: ref.name,
        lesson: folder,
        cell: ref.cell,
        recorded: new Date().toISOString(),
        browser: `Chromium ${browser.version()}`,
        backend: status.split('·')[0]?.trim() || 'unknown',
        threads: Number(status.match(/(\d+) threads?/)?.[1] ?? 1),
        commit: provenance.commit,
        command: `npm run build && npm run record -- ${folder.slice(0, 2)} --reference`,
        settings: result.settings,
        seconds,
        points: result.points,
      };
      const dir = join(provenance.root, 'public', 'reference');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${ref.name}.json`);
      writeFileSync(file, `${JSON.stringify(record)}\n`);
      written.push(file);
      console.log(`${folder} · ${ref.name}: ${seconds} s in ${record.browser}, ${record.backend} → ${file}`);
    } finally {
      await page.close();
    }
  }
  return written;
}
