#!/usr/bin/env node
/**
 * `npm run record [-- 05 06 …]`: runs each lesson's own solutions in Chromium, as a learner would, and writes the
 * figures the page produced to lessons/NN-slug/record.json. The prose renders its numbers from that file
 * (src/components/Fig.astro), and the lesson e2e specs fail when a live run drifts from it
 * (scripts/record-figures.mjs says by how much it may).
 *
 * Why Chromium and not Node: the record must be what a learner's browser computes, with the page's own code path
 * (the folded frozen prefix, the wasm kernels, the browser's JPEG decoding of the photos). The page is the built
 * site (`npm run build` first), served by `astro preview`, on the wasm backend (`?backend=wasm`): the backend every
 * machine has, and the one the e2e specs run on here.
 *
 * Per lesson: open the page with cleared storage, put every cell's solution in through the page's own
 * "Show solution" → "Use solution", press Run all, wait, and read `window.__wbFigures` (src/workbook/figures.ts).
 * A cell that ends in error stops the script without writing that lesson's record.
 *
 * Usage: npm run build && npm run record            all lessons
 *        npm run record -- 05 freeze-and-train      the lessons whose folder starts with 05 or whose slug matches
 *        npm run record -- 06 --reference           reference mode: the lesson's runs too long for a page, run once
 *                                                   live and written to public/reference/ (record-reference.mjs)
 * Environment: CHROME_PATH (default /usr/bin/chromium), WORKBOOK_RECORD_PORT (default 4399).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const PORT = Number(process.env.WORKBOOK_RECORD_PORT ?? 4399);
const BASE = `http://127.0.0.1:${PORT}`;
/** The longest lesson (6: the freeze-point sweep, the rate contrast, every layer trained) took 392 s on two cores. */
const LESSON_TIMEOUT_MS = 15 * 60_000;

/** Lesson folders to record: all, or those named on the command line by number prefix or slug. */
function lessonsToRecord(args) {
  const all = readdirSync(join(ROOT, 'lessons'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^\d+-/.test(d.name) && existsSync(join(ROOT, 'lessons', d.name, 'index.mdx')))
    .map((d) => d.name)
    .sort();
  if (args.length === 0) return all;
  const chosen = all.filter((f) => args.some((a) => f.startsWith(`${a}-`) || f === a || f.replace(/^\d+-/, '') === a));
  const unknown = args.filter(
    (a) => !all.some((f) => f.startsWith(`${a}-`) || f === a || f.replace(/^\d+-/, '') === a),
  );
  if (unknown.length) throw new Error(`no lesson folder matches ${unknown.join(', ')} (lessons: ${all.join(', ')})`);
  return chosen;
}

/** The commit the site was built from, marked when the working tree has uncommitted changes. */
function gitCommit() {
  const git = (...args) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  const head = git('rev-parse', 'HEAD');
  const dirty = git('status', '--porcelain', '--untracked-files=no', '--', 'src', 'lessons', 'public').length > 0;
  return dirty ? `${head} + uncommitted changes` : head;
}

/** Starts `astro preview` on dist/ and resolves once it answers. */
async function startServer() {
  if (!existsSync(join(ROOT, 'dist', 'index.html'))) throw new Error('dist/ has no site: run `npm run build` first');
  const server = spawn(
    join(ROOT, 'node_modules', '.bin', 'astro'),
    ['preview', '--host', '127.0.0.1', '--port', String(PORT)],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  for (let i = 0; i < 120; i++) {
    if (server.exitCode !== null)
      throw new Error(`astro preview exited with ${server.exitCode} (is port ${PORT} free?)`);
    try {
      if ((await fetch(`${BASE}/`)).ok) return server;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  server.kill();
  throw new Error(`astro preview did not answer on ${BASE} within a minute`);
}

/** Keeps 6 significant digits: the record stays readable, and no drift tolerance is finer than that. */
const tidy = (v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(6)) : v);

/** Runs one lesson with its solutions and returns its record. */
async function recordLesson(browser, folder) {
  const slug = folder.replace(/^\d+-/, '');
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const started = Date.now();
  try {
    await page.goto(`${BASE}/lessons/${slug}/?backend=wasm`);
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await page.locator('html[data-cells="ready"]').waitFor({ state: 'attached', timeout: 60_000 });
    // Every cell's solution, through the page's own buttons (as tests/e2e/drive-lesson.ts useSolutions does).
    const ids = await page
      .locator('[data-cell]:has([data-action="solution"])')
      .evaluateAll((els) => els.map((e) => e.dataset.cellId));
    for (const id of ids) {
      await page.locator(`[data-cell][data-cell-id="${id}"] [data-action="solution"]`).click();
      await page.getByRole('button', { name: `Use solution in cell ${id}` }).click();
    }
    const busy = page.locator('[data-cell][data-status="running"], [data-cell][data-status="queued"]');
    await page.locator('[data-notebook-action="run-all"]').click();
    await busy.first().waitFor({ state: 'attached', timeout: 30_000 });
    await page.waitForFunction(
      () => !document.querySelector('[data-cell][data-status="running"], [data-cell][data-status="queued"]'),
      null,
      { timeout: LESSON_TIMEOUT_MS, polling: 1000 },
    );
    const failed = await page
      .locator('[data-cell][data-status="error"]')
      .evaluateAll((els) => els.map((e) => e.dataset.cellId));
    if (failed.length) throw new Error(`${folder}: cells ended in error with the solutions in: ${failed.join(', ')}`);
    const figures = await page.evaluate(() => globalThis.__wbFigures ?? {});
    const status =
      (await page
        .locator('#backend-status [data-backend-name]')
        .textContent()
        .catch(() => '')) ?? '';
    const backend = status.split('·')[0]?.trim() || 'unknown';
    const threads = Number(status.match(/(\d+) threads?/)?.[1] ?? 1);
    const sorted = Object.fromEntries(
      Object.keys(figures)
        .sort()
        .map((k) => [k, tidy(figures[k])]),
    );
    return {
      lesson: folder,
      recorded: new Date().toISOString(),
      commit: gitCommit(),
      browser: `Chromium ${browser.version()}`,
      backend,
      threads,
      command: 'npm run build && npm run record',
      seconds: Math.round((Date.now() - started) / 1000),
      pageErrors: errors,
      figures: sorted,
    };
  } finally {
    await page.close();
  }
}

async function main() {
  const args = process.argv.slice(2);
  // --reference: the runs too long for a page, recorded once into public/reference/ (scripts/record-reference.mjs).
  const reference = args.includes('--reference');
  const folders = lessonsToRecord(args.filter((a) => a !== '--reference'));
  const server = await startServer();
  const browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    for (const folder of folders) {
      if (reference) {
        const { recordReferences } = await import('./record-reference.mjs');
        await recordReferences(browser, BASE, folder, { commit: gitCommit(), root: ROOT });
        continue;
      }
      const record = await recordLesson(browser, folder);
      if (Object.keys(record.figures).length === 0) {
        // A lesson whose cells train, evaluate and classify nothing has no figure to quote: no record.
        console.log(`${folder}: no figures (no run, evaluation or classification); no record written`);
        continue;
      }
      const file = join(ROOT, 'lessons', folder, 'record.json');
      writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
      console.log(
        `${folder}: ${Object.keys(record.figures).length} figures in ${record.seconds} s on ${record.backend} (${record.threads} threads) → lessons/${folder}/record.json`,
      );
    }
  } finally {
    await browser.close();
    server.kill();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
