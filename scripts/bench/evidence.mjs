/**
 * Section "evidence": what the evidence cells of issue 9 cost a learner on wasm, in headless Chromium on the built
 * site: lesson 3's patches, probe, depths and photos-per-class, lesson 6's sweep (per freeze point: seconds per
 * epoch and the one-off activations), rates, checkpoint, everything (the recorded reference run, and what training
 * it live costs per that recording), bn-naive and bn-cost, and lesson 7's hidden-layer head, augmentation study and
 * its one look at the test photos.
 *
 * Each lesson is opened in a fresh browser context (empty Cache API and IndexedDB: a first visit, so every
 * activation is computed, none read from the activation store), on `?backend=wasm&threads=1`, service workers
 * blocked; every cell gets its solution and runs through its own Run button in page order, one at a time, so each
 * cell's seconds are its own (the model is loaded by the lesson's first cell). The figures per cell:
 * - seconds: the cell's wall clock from the Run click to "done";
 * - memory: the renderer processes' resident memory (VmRSS from /proc, the pids from the DevTools protocol's
 *   SystemInfo.getProcessInfo), sampled every 250 ms: its peak while the cell ran and the rise over what the page
 *   already held when the cell started. It includes the wasm heap, where tfjs-wasm keeps its tensors (tf itself is a
 *   cell global, out of the bench's reach), and a wasm heap never shrinks: a rise of 0 means the cell fitted in
 *   memory the page already had;
 * - the JS heap's peak (DevTools protocol Runtime.getHeapUsage), where the cached activations live as Float32Arrays.
 */
import { readFileSync } from 'node:fs';
import { cellIds, runCell, useSolution } from './lib/cells.mjs';
import { duration, kib } from './lib/stats.mjs';

/** The lessons measured and the cells reported (every cell runs; these get a row). */
const LESSONS = [
  {
    n: 3,
    path: '/lessons/early-and-late-layers/',
    cells: {
      patches: 'one pass of the 390 photos through blocks 1–3, the top patches of 3 channels',
      probe: "the learner's softmax-regression probe on block 13's pooled features",
      depths: 'pooled features at 14 block ends, ImageNet and random weights, 28 probes',
      'photos-per-class': '5 sizes × 5 seeds × 2 networks of probes on cached features',
    },
  },
  {
    n: 6,
    path: '/lessons/choose-the-freeze-point/',
    cells: {
      sweep: '4 freeze points × 3 seeds × 2 epochs from the head checkpoint',
      rates: 'blocks 12–13 at two learning rates × 3 seeds × 2 epochs',
      checkpoint: 'two checkpoints loaded and compared on the validation photos',
      everything: 'the recorded reference run of every layer trained, loaded and drawn',
      'bn-naive': 'a Keras-style fit of the frozen base in training mode, 2 epochs, batch 4',
      'bn-cost': 'the same head trained the workbook way, drift chart, paired comparison',
    },
  },
  {
    n: 7,
    path: '/lessons/add-layers/',
    cells: {
      'train-hidden': 'the hidden-layer head (Dense + Dropout) trained on cached pooled features',
      'augment-study': '1 augmented copy per training photo × 3 seeds through the frozen base, 6 head fits',
      'augment-test': 'the chosen head scored once on the test photos',
    },
  },
];

/** Resident memory of the browser's renderer processes, in bytes (Linux /proc). */
async function rendererRss(cdp) {
  const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
  let bytes = 0;
  for (const p of processInfo.filter((p) => p.type === 'renderer')) {
    try {
      const kb = readFileSync(`/proc/${p.id}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m)?.[1];
      bytes += Number(kb ?? 0) * 1024;
    } catch {
      // the process ended between the list and the read
    }
  }
  return bytes;
}

/** Runs one lesson's cells in order; returns per cell { seconds, rssPeak, rssRise, heapPeak }, and the figures. */
async function measureLesson(browser, url, lesson, log) {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const system = await browser.newBrowserCDPSession();
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await page.goto(`${url}${lesson.path}?backend=wasm&threads=1`);
    await page.waitForSelector('html[data-cells="ready"]', { timeout: 60_000 });
    const ids = await cellIds(page);
    for (const id of ids) await useSolution(page, id);
    const cells = {};
    for (const id of ids) {
      const before = await rendererRss(system);
      let rssPeak = before;
      let heapPeak = 0;
      const sample = async () => {
        rssPeak = Math.max(rssPeak, await rendererRss(system));
        heapPeak = Math.max(heapPeak, (await cdp.send('Runtime.getHeapUsage')).usedSize);
      };
      const seconds = await runCell(page, id, { timeout: 900_000, onTick: sample });
      await sample();
      cells[id] = { seconds, rssPeak, rssRise: Math.max(0, rssPeak - before), heapPeak };
      log(`lesson ${lesson.n} · ${id}: ${duration(seconds)}, renderer ${kib(rssPeak)} (+${kib(rssPeak - before)})`);
    }
    const figures = await page.evaluate(() => window.__wbFigures ?? {});
    return { cells, figures };
  } finally {
    await system.detach().catch(() => {});
    await context.close();
  }
}

/** "5.3 s; renderer 412 MB peak (+38 MB); JS heap 61 MB peak" */
const cellText = (c) =>
  `${duration(c.seconds)}; renderer ${kib(c.rssPeak)} peak (+${kib(c.rssRise)}); JS heap ${kib(c.heapPeak)} peak`;

/** The sweep's per-point rows, from the figures the sweep cell left (src/workbook/freeze-sweep.ts). */
function sweepRows(figures, cell) {
  const points = Object.keys(figures)
    .filter((k) => k.startsWith(`${cell}.`) && k.endsWith('.secondsPerEpoch'))
    .map((k) => k.slice(cell.length + 1, -'.secondsPerEpoch'.length));
  return points.map((p) => ({
    id: `6-${cell}-${p}`,
    label: `6 · ${cell}, freeze at ${p} (${figures[`${cell}.${p}.trainableParams`]} trainable): per epoch | activations once`,
    value: figures[`${cell}.${p}.secondsPerEpoch`],
    unit: 's',
    text: `${duration(figures[`${cell}.${p}.secondsPerEpoch`])} | ${duration(figures[`${cell}.${p}.featureSeconds`])}`,
  }));
}

/** Runs the section; returns { rows, data }. */
export async function runEvidence({ browser, url, log }) {
  const rows = [];
  const data = {};
  for (const lesson of LESSONS) {
    const { cells, figures } = await measureLesson(browser, url, lesson, log);
    data[`lesson${lesson.n}`] = { cells };
    for (const [id, what] of Object.entries(lesson.cells)) {
      const c = cells[id];
      if (!c) throw new Error(`lesson ${lesson.n} has no cell ${id}`);
      rows.push({
        id: `${lesson.n}-${id}`,
        label: `${lesson.n} · ${id}: ${what}`,
        value: c.seconds,
        unit: 's',
        text: cellText(c),
      });
      if (id === 'sweep') rows.push(...sweepRows(figures, 'sweep'));
    }
    if (lesson.n === 6) {
      // Training every layer live (TRAIN_LIVE = true) is not re-run here: its cost is the recorded run's own.
      const perEpoch = figures['everything.input_1.secondsPerEpoch'];
      const recordedSeconds = figures['everything.reference.seconds'];
      rows.push({
        id: '6-everything-live',
        label: `6 · everything with TRAIN_LIVE = true: every layer, ${figures['everything.reference.seeds']} seeds × ${figures['everything.reference.epochs']} epochs (from the recorded reference run, ${figures['everything.reference.recorded']}; not re-run)`,
        value: perEpoch,
        unit: 's',
        text: `${duration(perEpoch)} per epoch (head only: ${duration(figures['everything.global_average_pooling2d_1.secondsPerEpoch'])}); ${duration(recordedSeconds)} in all`,
      });
    }
    const total = Object.values(cells).reduce((s, c) => s + c.seconds, 0);
    rows.push({
      id: `${lesson.n}-total`,
      label: `${lesson.n} · every cell of the lesson, one after another (${Object.keys(cells).length} cells)`,
      value: total,
      unit: 's',
      text: `${duration(total)}; renderer ${kib(Math.max(...Object.values(cells).map((c) => c.rssPeak)))} peak`,
    });
  }
  return { rows, data };
}
