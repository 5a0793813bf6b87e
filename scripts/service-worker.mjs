/**
 * The offline copy and cross-origin isolation (README "Offline and threads").
 *
 * `serviceWorkerIntegration()` is an Astro integration: after `astro build` it lists every file the site needs
 * offline with Workbox (`workbox-build`'s getManifest: one revision per URL, an MD5 of the file), adds each file's
 * SHA-256 as subresource integrity, and bundles src/platform/offline-worker.ts with that list into `<outDir>/sw.js`
 * (esbuild). The list and its total size are baked into sw.js, so every build has exactly one precache list and a
 * changed file means a changed sw.js, which the browser installs as an update.
 *
 * `ISOLATION_HEADERS` are the COOP/COEP pair astro.config.mjs sends in `astro dev` and `astro preview`; the worker
 * adds the same pair itself (src/platform/offline-headers.ts) on hosts that send none.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { getManifest } from 'workbox-build';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORKER_SOURCE = path.join(ROOT, 'src/platform/offline-worker.ts');
/** The worker's file name in the built site; the page registers `siteUrl(SERVICE_WORKER_FILE)`. */
export const SERVICE_WORKER_FILE = 'sw.js';

/** The same pair as src/platform/offline-headers.ts (this file runs in plain Node, which cannot import .ts). */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * What goes offline: pages, scripts, styles, the wasm binaries, the model, the photos and their index, the
 * checkpoints. Left out: the dev/ test pages and the benchmark page (they are not lessons), source maps.
 */
const GLOB = {
  globPatterns: [
    '**/*.{html,js,mjs,css,wasm,json,bin,jpg,jpeg,png,svg,ico,webp,woff2,ttf,txt}',
    'workbook-assets/model/*',
  ],
  globIgnores: ['dev/**', '__bench/**', '**/*.map', SERVICE_WORKER_FILE],
  // Monaco's TypeScript worker is ~7 MB; Workbox's default cap (2 MB) would silently leave it out.
  maximumFileSizeToCacheInBytes: 32 * 1024 * 1024,
  // Astro's _astro/ names already carry a content hash: no revision needed, and Workbox then never re-downloads them.
  dontCacheBustURLsMatching: /^_astro\//,
};

/** SHA-256 of a file as subresource integrity ("sha256-<base64>"): the browser refuses a precache download that differs. */
async function integrityOf(file) {
  return `sha256-${createHash('sha256')
    .update(await readFile(file))
    .digest('base64')}`;
}

/**
 * Lists the precache entries of a built site in `outDir`, each with url (relative to the worker), revision and
 * integrity, and their total bytes. Throws when the list is empty (a build that put nothing there).
 */
export async function precacheList(outDir) {
  const { manifestEntries, size, warnings } = await getManifest({ globDirectory: outDir, ...GLOB });
  for (const w of warnings) console.warn(`service-worker: ${w}`);
  if (manifestEntries.length === 0)
    throw new Error(`service-worker: no files to precache in ${outDir}: did the build fail?`);
  const entries = await Promise.all(
    manifestEntries.map(async (e) => ({ ...e, integrity: await integrityOf(path.join(outDir, e.url)) })),
  );
  entries.sort((a, b) => a.url.localeCompare(b.url));
  return { entries, bytes: size };
}

/** Writes `<outDir>/sw.js`: the bundled worker with this build's precache list. Returns what it wrote. */
export async function writeServiceWorker(outDir) {
  const { entries, bytes } = await precacheList(outDir);
  // One id per distinct precache list: the same build twice gives the same sw.js, so no pointless update.
  const buildId = createHash('sha256').update(JSON.stringify(entries)).digest('hex').slice(0, 12);
  const outfile = path.join(outDir, SERVICE_WORKER_FILE);
  await build({
    entryPoints: [WORKER_SOURCE],
    outfile,
    bundle: true,
    format: 'iife',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    define: {
      __PRECACHE_MANIFEST__: JSON.stringify(entries),
      __PRECACHE_BYTES__: String(bytes),
      __BUILD_ID__: JSON.stringify(buildId),
      // Workbox logs every request in development builds; the shipped worker is its production build.
      'process.env.NODE_ENV': '"production"',
    },
  });
  return { file: outfile, files: entries.length, bytes, buildId, workerBytes: (await stat(outfile)).size };
}

/** The Astro integration: writes sw.js after every `astro build`; `astro dev` has no worker (see offline-client.ts). */
export function serviceWorkerIntegration() {
  return {
    name: 'workbook:service-worker',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const r = await writeServiceWorker(fileURLToPath(dir));
        logger.info(
          `${SERVICE_WORKER_FILE}: ${r.files} files, ${(r.bytes / 1e6).toFixed(1)} MB precached (build ${r.buildId})`,
        );
      },
    },
  };
}
