/**
 * The site the browser sections measure: built with `astro build` into the benchmark's own folder (so a teammate's
 * `npm run build` or e2e run cannot change the files under a measurement), plus the benchmark's page (a small Vite
 * bundle of the engine, scripts/bench/browser/) copied in at /__bench/, served by `astro preview` on its own port.
 */
import { cpSync, existsSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { runCommand, spawnGroup, stopGroup } from './proc.mjs';

/** Where the benchmark builds the site (git-ignored, under .cache/). */
export const SITE_DIR = '.cache/bench-site';
const PAGE_DIR = '.cache/bench-page';

/** Builds the site unless `reuse` and a build exists; then builds and copies the benchmark page. */
export async function buildSite({ root, reuse, log }) {
  const site = path.join(root, SITE_DIR);
  const npx = path.join(root, 'node_modules/.bin/astro');
  if (reuse && existsSync(path.join(site, 'index.html'))) {
    log(
      `reusing the site built ${new Date(statSync(path.join(site, 'index.html')).mtimeMs).toISOString()} (--no-build)`,
    );
  } else {
    // The same steps as `npm run build` (prebuild resolves the assets), but into our own folder.
    await runCommand(process.execPath, ['scripts/assets.mjs'], { cwd: root });
    await runCommand(process.execPath, ['scripts/copy-wasm.mjs'], { cwd: root });
    log('astro build (a few minutes on two busy cores) …');
    const start = Date.now();
    await runCommand(npx, ['build', '--outDir', SITE_DIR], { cwd: root });
    log(`astro build took ${((Date.now() - start) / 1000).toFixed(0)} s`);
  }
  await buildBenchPage({ root, log });
  rmSync(path.join(site, '__bench'), { recursive: true, force: true });
  cpSync(path.join(root, PAGE_DIR, '__bench'), path.join(site, '__bench'), { recursive: true });
  return site;
}

/** Engine files the page's training measures import; while one is missing, training says "pending". */
export const ENGINE_TRAINING_FILES = [
  'src/ml/train.ts',
  'src/ml/surgery.ts',
  'src/ml/activation-cache.ts',
  'src/ml/dataset.ts',
  'src/ml/kernels/wasm-conv-grads.ts',
];

/** Bundles scripts/bench/browser/__bench/index.html (and the engine it imports) with Vite. */
async function buildBenchPage({ root, log }) {
  const { build } = await import(path.join(root, 'node_modules/vite/dist/node/index.js'));
  const start = Date.now();
  const missing = ENGINE_TRAINING_FILES.filter((f) => !existsSync(path.join(root, f)));
  const alias = [{ find: 'node-fetch', replacement: path.join(root, 'src/platform/empty-module.js') }];
  if (missing.length) {
    log(`training in the page is pending: ${missing.join(', ')} missing`);
    alias.push({ find: './training', replacement: path.join(root, 'scripts/bench/browser/training-pending.ts') });
  }
  await build({
    configFile: false,
    root: path.join(root, 'scripts/bench/browser'),
    base: '/',
    publicDir: false,
    logLevel: 'warn',
    // As in astro.config.mjs: tfjs-core names node-fetch for Node; the browser never uses it.
    resolve: { alias },
    worker: { format: 'es' },
    build: {
      outDir: path.join(root, PAGE_DIR),
      emptyOutDir: true,
      assetsDir: '__bench/assets',
      chunkSizeWarningLimit: 10_000,
      rollupOptions: { input: path.join(root, 'scripts/bench/browser/__bench/index.html') },
    },
  });
  log(`bench page bundled in ${((Date.now() - start) / 1000).toFixed(0)} s`);
}

/** Starts `astro preview` on `port` and waits until it answers; returns { url, stop }. */
export async function serveSite({ root, port, log }) {
  const astro = path.join(root, 'node_modules/.bin/astro');
  const child = spawnGroup(astro, ['preview', '--outDir', SITE_DIR, '--host', '127.0.0.1', '--port', String(port)], {
    cwd: root,
  });
  let output = '';
  child.stdout.on('data', (c) => {
    output += c;
  });
  child.stderr.on('data', (c) => {
    output += c;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`astro preview exited: ${output.slice(-1500)}`);
    const ok = await fetch(`${url}/`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      await stopGroup(child);
      throw new Error(`astro preview did not answer on ${url} within 60 s: ${output.slice(-1500)}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  log(`serving ${SITE_DIR} at ${url}`);
  return { url, stop: () => stopGroup(child) };
}
