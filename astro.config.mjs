// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';

/**
 * A fully static site: every lesson is prerendered HTML; TensorFlow.js, Monaco and the cells' code load in the page
 * only when they are needed.
 */
export default defineConfig({
  site: 'http://127.0.0.1:4321',
  integrations: [mdx()],
  server: { host: '127.0.0.1', port: 4321 },
  markdown: { shikiConfig: { themes: { light: 'github-light', dark: 'github-dark' } } },
  vite: {
    resolve: {
      // tfjs-core names node-fetch for Node; in the browser it is never used, and Vite's dev server chokes on it.
      alias: { 'node-fetch': new URL('./src/platform/empty-module.js', import.meta.url).pathname },
    },
    worker: { format: 'es' },
    build: { chunkSizeWarningLimit: 8000 },
  },
});
