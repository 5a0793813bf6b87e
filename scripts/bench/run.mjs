#!/usr/bin/env node
/**
 * `npm run bench [-- --quick] [-- --only=native,page,model,training,store,evidence] [-- --no-build]`: the workbook's
 * benchmark.
 *
 * Sections: page (bytes and readiness of a lesson page), store (lesson 5's features, first vs second visit), evidence
 * (lessons 3, 6 and 7's evidence cells: seconds and memory per cell), model (load cold/warm, forward per backend, headless
 * Chromium), training (epochs cached vs through the network, freeze points, time to 90 %, memory; Node and
 * browser), native (the same MobileNet in tfjs-wasm vs PyTorch on one thread). It prints a table, writes
 * bench/results.json and regenerates the figures in BENCHMARKS.md. Goals are printed, never asserted.
 * A section whose engine piece has not landed says "pending: why" instead of failing the run.
 *
 * --quick   fewer repetitions, for a smoke run (figures rougher, marked as such)
 * --only=…  run only these sections (the others keep their figures in results.json, and their committed text in
 *           BENCHMARKS.md: lib/merge-md.mjs)
 * --no-build  reuse the benchmark's previous site build (.cache/bench-site) instead of running astro build
 * BENCH_PORT (default 4391) is where the site is served; CHROME_PATH the Chromium; BENCH_PYTHON the Python with torch.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from './lib/browser.mjs';
import { describeMachine, loadAverage } from './lib/machine.mjs';
import { printGoals, printSection, updateBenchmarksMd, writeResults } from './lib/report.mjs';
import { buildSite, serveSite } from './lib/site.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SECTIONS = {
  page: {
    title: 'Page: bytes and readiness of a lesson',
    browser: true,
    load: () => import('./page.mjs').then((m) => m.runPage),
  },
  model: {
    title: 'Model: loading and forward throughput in headless Chromium',
    browser: true,
    load: () => import('./model.mjs').then((m) => m.runModel),
  },
  training: {
    title: 'Training: cached activations vs the whole network, freeze points, time to 90 %',
    browser: true,
    load: () => import('./training.mjs').then((m) => m.runTraining),
  },
  store: {
    title: "Activations store: lesson 5's features cell, first visit (computed) vs second (IndexedDB)",
    browser: true,
    load: () => import('./activations.mjs').then((m) => m.runStore),
  },
  evidence: {
    title: 'Evidence cells: lessons 3, 6 and 7 on wasm, seconds and memory per cell',
    browser: true,
    load: () => import('./evidence.mjs').then((m) => m.runEvidence),
  },
  native: {
    title: 'Native baseline: tfjs-wasm vs PyTorch on the same network, 1 thread',
    browser: false,
    load: () => import('./native.mjs').then((m) => m.runNative),
  },
};
const ORDER = Object.keys(SECTIONS);

function parseArgs(argv) {
  const args = { quick: false, build: true, only: ORDER };
  for (const a of argv) {
    if (a === '--quick') args.quick = true;
    else if (a === '--no-build') args.build = false;
    else if (a.startsWith('--only=')) {
      args.only = a.slice(7).split(',').filter(Boolean);
      const unknown = args.only.filter((s) => !SECTIONS[s]);
      if (unknown.length)
        throw new Error(`--only: unknown section ${unknown.join(', ')}; sections are ${ORDER.join(', ')}`);
    } else if (a === '--help' || a === '-h') {
      console.log(`usage: npm run bench -- [--quick] [--only=${ORDER.join(',')}] [--no-build]`);
      process.exit(0);
    } else throw new Error(`unknown argument ${a} (try --help)`);
  }
  return args;
}

const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const command = ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ');
  const machine = await describeMachine(ROOT);
  log(
    `${machine.cores} × ${machine.cpu}; load average ${machine.loadAverage}; sections: ${args.only.join(', ')}${args.quick ? ' (quick)' : ''}`,
  );
  const run = { command, date: new Date().toISOString(), quick: args.quick, machine, sections: {} };

  let server = null;
  let browser = null;
  try {
    // A site or browser that cannot start fails the browser sections only; the native baseline still runs.
    let setupError = null;
    if (args.only.some((s) => SECTIONS[s].browser)) {
      try {
        await buildSite({ root: ROOT, reuse: !args.build, log });
        server = await serveSite({ root: ROOT, port: Number(process.env.BENCH_PORT ?? 4391), log });
        browser = await launchBrowser();
        run.machine.chromium = `Chromium ${browser.version()}`;
      } catch (error) {
        setupError = `the site or the browser could not start: ${error instanceof Error ? error.message : error}`;
        log(setupError);
      }
    }
    for (const name of ORDER.filter((s) => args.only.includes(s))) {
      const section = SECTIONS[name];
      const started = Date.now();
      const record = {
        title: section.title,
        command,
        date: new Date().toISOString(),
        quick: args.quick,
        // Each section names its machine: a run with --only keeps the other sections' tables, measured elsewhere.
        cpu: `${machine.cores} × ${machine.cpu}`,
        loadAverage: loadAverage(),
      };
      log(`${name} …`);
      try {
        if (section.browser && setupError) throw new Error(setupError);
        const fn = await section.load();
        Object.assign(
          record,
          await fn({ quick: args.quick, root: ROOT, log: (m) => log(`${name}: ${m}`), browser, url: server?.url }),
        );
      } catch (error) {
        record.error = error instanceof Error ? error.message : String(error);
        record.rows = [];
        log(`${name} failed: ${error instanceof Error ? error.stack : error}`);
      }
      record.seconds = (Date.now() - started) / 1000;
      run.sections[name] = record;
      printSection(`${name} (${record.seconds.toFixed(0)} s)`, record);
    }
  } finally {
    await browser?.close();
    await server?.stop();
  }

  const merged = writeResults(path.join(ROOT, 'bench/results.json'), run);
  printGoals(merged.goals);
  const titles = Object.fromEntries(ORDER.map((name) => [name, SECTIONS[name].title]));
  const md = path.join(ROOT, 'BENCHMARKS.md');
  updateBenchmarksMd(md, merged, ORDER, { ran: args.only, titles });
  // The generated tables are written plainly; Prettier aligns them, so the committed file passes `npm run check`.
  const prettier = await import('prettier');
  const options = { ...(await prettier.resolveConfig(md)), filepath: md };
  writeFileSync(md, await prettier.format(readFileSync(md, 'utf8'), options));
  log('wrote bench/results.json and BENCHMARKS.md');
  if (Object.values(run.sections).some((s) => s.error)) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
