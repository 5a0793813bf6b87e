/**
 * Section "page": what a learner's browser downloads and waits for on a lesson page with cells.
 *
 * Signals read from the cell runtime (src/runtime/boot.ts, cell-controller.ts, code-view.ts):
 * - `<html data-cells="ready">`: every cell has its controls wired and the notebook attached, i.e. Run works;
 * - a cell's `data-status` leaves "idle" when a run starts and becomes "done" (or "error") when it ends;
 * - `[data-cell-code][data-form="editor"]`: Monaco has replaced the plain textarea the first edit opened.
 * An init script timestamps them with performance.now() (milliseconds since navigation started). Bytes are the
 * gzip of every response body (lib/network.mjs), cut at each moment.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { recordNetwork } from './lib/network.mjs';
import { SITE_DIR } from './lib/site.mjs';
import { duration, kib, median } from './lib/stats.mjs';

/** Installed before any page script: records when the runtime's readiness attributes first appear. */
function markReadiness() {
  const marks = (window.__benchMarks = {});
  const check = () => {
    if (!marks.cellsReady && document.documentElement.dataset.cells === 'ready') marks.cellsReady = performance.now();
    if (!marks.firstCellWired && document.querySelector('[data-cell][data-ready]'))
      marks.firstCellWired = performance.now();
    if (!marks.editorReady && document.querySelector('[data-cell-code][data-form="editor"]'))
      marks.editorReady = performance.now();
    if (!marks.textarea && document.querySelector('[data-cell-code][data-form="textarea"]'))
      marks.textarea = performance.now();
  };
  new MutationObserver(check).observe(document, { attributes: true, childList: true, subtree: true });
}

/** The first lesson page (in lesson order) whose built HTML has a cell, else the runtime's dev page. */
function pageWithCells(root) {
  const site = path.join(root, SITE_DIR);
  const lessons = path.join(site, 'lessons');
  const slugs = existsSync(lessons) ? readdirSync(lessons).sort() : [];
  const withCells = slugs.filter(
    (s) =>
      existsSync(path.join(lessons, s, 'index.html')) &&
      readFileSync(path.join(lessons, s, 'index.html'), 'utf8').includes('data-cell-id'),
  );
  // Lesson folders sort by their order prefix, but slugs drop it: pick by the order the index page lists them in.
  const index = existsSync(path.join(site, 'index.html')) ? readFileSync(path.join(site, 'index.html'), 'utf8') : '';
  withCells.sort((a, b) => (index.indexOf(`/lessons/${a}/`) >>> 0) - (index.indexOf(`/lessons/${b}/`) >>> 0));
  if (withCells.length) return { path: `/lessons/${withCells[0]}/`, note: `lesson ${withCells[0]}` };
  const dev = path.join(site, 'dev/cells/index.html');
  if (existsSync(dev) && readFileSync(dev, 'utf8').includes('data-cell-id'))
    return { path: '/dev/cells/', note: 'the cells dev page (no lesson has a cell yet)' };
  return null;
}

/** One visit in a fresh context: navigation → cells ready → first Run → first edit → Monaco ready. */
async function visit(browser, url, target) {
  // No service worker: its offline copy (~28 MB, downloaded in the background) is not what the page needs to work.
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const net = recordNetwork(context);
  const page = await context.newPage();
  // What went wrong, if something does: page errors, console errors, HTTP errors (named in the notes).
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e).slice(0, 200)));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text().slice(0, 200));
  });
  context.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${new URL(r.url()).pathname}`);
  });
  await page.addInitScript(markReadiness);
  const marks = () => page.evaluate(() => ({ ...window.__benchMarks, now: performance.now() }));
  try {
    await page.goto(`${url}${target}`, { waitUntil: 'load' });
    await page.waitForSelector('html[data-cells="ready"]', { timeout: 60_000 });
    await page.waitForLoadState('networkidle');
    const ready = await marks();
    const beforeRun = await net.snapshot();

    // The first cell's Run: from the click to the end of the run (the kernel, and whatever the cell imports, load now).
    const cell = page.locator('[data-cell]').first();
    const runStart = Date.now();
    await cell.locator('[data-action="run"]').click();
    await page.waitForFunction(
      () => {
        const s = document.querySelector('[data-cell]')?.getAttribute('data-status');
        return s && !['idle', 'queued', 'running'].includes(s);
      },
      null,
      { timeout: 180_000 },
    );
    const runSeconds = (Date.now() - runStart) / 1000;
    const runStatus = await cell.getAttribute('data-status');
    await page.waitForLoadState('networkidle');
    const afterRun = await net.snapshot();

    // The first edit: click into the code (a textarea takes over at once), type, wait for Monaco to replace it.
    const editStart = await page.evaluate(() => performance.now());
    await cell.locator('[data-cell-code]').click();
    await page.waitForSelector('[data-cell-code][data-form="textarea"], [data-cell-code][data-form="editor"]', {
      timeout: 10_000,
    });
    await page.keyboard.type(' ');
    const beforeEditor = Date.now();
    let editorSeconds = null;
    let editorNote = null;
    try {
      await page.waitForSelector('[data-cell-code][data-form="editor"]', { timeout: 120_000 });
      editorSeconds = ((await marks()).editorReady - editStart) / 1000;
    } catch {
      editorNote = `Monaco did not replace the textarea within ${((Date.now() - beforeEditor) / 1000).toFixed(0)} s (is src/runtime/editor/mount.ts in the build?)${problems.length ? `; page problems: ${problems.join('; ')}` : ''}`;
    }
    await page.waitForLoadState('networkidle');
    const afterEdit = await net.snapshot();
    return {
      ready,
      beforeRun,
      runSeconds,
      runStatus,
      afterRun,
      editorSeconds,
      editorNote,
      afterEdit,
      entries: net.entries,
      problems,
    };
  } finally {
    await context.close();
  }
}

const weight = (s) =>
  `JS ${kib(s.jsGzip)}, CSS ${kib(s.cssGzip)}, wasm ${kib(s.wasmGzip)} gzip (${s.jsFiles + s.cssFiles + s.wasmFiles} files)`;

/** Runs the section; returns { rows, data }. */
export async function runPage({ quick, root, browser, url, log }) {
  const target = pageWithCells(root);
  if (!target) {
    return {
      rows: [
        {
          id: 'page',
          label: 'lesson page with cells',
          pending: 'no built page has a cell yet (Cell.astro / lessons with <Cell>)',
        },
      ],
      data: {},
    };
  }
  log(`measuring ${target.path} (${target.note})`);
  const visits = [];
  for (let i = 0; i < (quick ? 1 : 3); i++) visits.push(await visit(browser, url, target.path));
  const first = visits[0];
  const ready = median(visits.map((v) => v.ready.cellsReady / 1000));
  const editor = visits.every((v) => v.editorSeconds !== null) ? median(visits.map((v) => v.editorSeconds)) : null;
  const data = {
    page: target.path,
    firstCellRunnableSeconds: ready,
    beforeEdit: first.beforeRun,
    afterFirstRun: first.afterRun,
    afterFirstEdit: first.afterEdit,
    firstRunSeconds: median(visits.map((v) => v.runSeconds)),
    firstRunStatus: first.runStatus,
    editorSeconds: editor,
    problems: [...new Set(visits.flatMap((v) => v.problems))],
    files: first.entries
      .filter((e) => e.kind !== 'other')
      .map(({ url: u, kind, bytes, gzip }) => ({ url: new URL(u).pathname, kind, bytes, gzip })),
  };
  const rows = [
    {
      id: 'bytes.ready',
      label: `loaded before the first cell can run (${target.path})`,
      value: first.beforeRun.jsGzip,
      unit: 'B',
      text: weight(first.beforeRun),
    },
    {
      id: 'ready',
      label: 'navigation → first cell runnable (html[data-cells=ready])',
      value: ready,
      unit: 's',
      text: duration(ready),
    },
    {
      id: 'run',
      label: `first Run click → run ended (${first.runStatus})`,
      value: data.firstRunSeconds,
      unit: 's',
      text: duration(data.firstRunSeconds),
    },
    {
      id: 'bytes.run',
      label: 'loaded once the first cell has run',
      value: first.afterRun.jsGzip,
      unit: 'B',
      text: weight(first.afterRun),
    },
    editor === null
      ? {
          id: 'editor',
          label: 'first edit → Monaco ready',
          note: `pending: ${visits.find((v) => v.editorNote)?.editorNote}`,
        }
      : {
          id: 'editor',
          label: 'first edit → Monaco ready (data-form=editor)',
          value: editor,
          unit: 's',
          text: duration(editor),
        },
    {
      id: 'bytes.edit',
      label: 'loaded once the editor is up',
      value: first.afterEdit.jsGzip,
      unit: 'B',
      text: weight(first.afterEdit),
    },
    {
      id: 'largest',
      label: 'largest files (gzip)',
      text: data.files
        .sort((a, b) => b.gzip - a.gzip)
        .slice(0, 4)
        .map((f) => `${f.url.split('/').pop()} ${kib(f.gzip)}`)
        .join(', '),
    },
  ];
  return { rows, data };
}
