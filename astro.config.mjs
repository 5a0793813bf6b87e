// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { cellTypesPlugin } from './scripts/cell-types-bundle.mjs';
import { lessonCheckIntegration } from './scripts/lesson-check.mjs';
import { monacoLazyCss } from './scripts/monaco-lazy-css.mjs';
import { serviceWorkerIntegration, ISOLATION_HEADERS } from './scripts/service-worker.mjs';

/**
 * A fully static site: every lesson is prerendered HTML; TensorFlow.js, Monaco and the cells' code load in the page
 * only when they are needed.
 */
export default defineConfig({
  site: 'http://127.0.0.1:4321',
  // An instructor hosting the course under a sub-path builds with WORKBOOK_BASE=/course/ (src/platform/base-url.ts).
  base: process.env.WORKBOOK_BASE || '/',
  // The lesson check fails the build when a cell's files are missing or an exercise has no check (lessons/README.md).
  integrations: [lessonCheckIntegration(), mdx(), serviceWorkerIntegration()],
  // COOP/COEP make the page cross-origin isolated, which SharedArrayBuffer and so tfjs's threaded wasm need; Astro
  // sends these in `astro dev` and `astro preview`. Hosts that cannot send headers get them from the service worker
  // (scripts/service-worker.mjs), which also precaches the site for offline use after `astro build`.
  server: { host: '127.0.0.1', port: 4321, headers: ISOLATION_HEADERS },
  markdown: { shikiConfig: { themes: { light: 'github-light', dark: 'github-dark' } } },
  vite: {
    // The cell editor: `virtual:workbook/cell-types` (declarations of tf, Plot and the cell helpers, a JSON asset),
    // and Monaco's CSS injected with Monaco instead of linked from every page (scripts/monaco-lazy-css.mjs).
    plugins: [cellTypesPlugin(), monacoLazyCss()],
    resolve: {
      // tfjs-core names node-fetch for Node; in the browser it is never used, and Vite's dev server chokes on it.
      alias: { 'node-fetch': new URL('./src/platform/empty-module.js', import.meta.url).pathname },
    },
    worker: { format: 'es' },
    build: { chunkSizeWarningLimit: 8000 },
  },
});
