import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests drive Debian's Chromium (browser downloads cannot work here) against the built site, served
 * by `astro preview` on 127.0.0.1. Run `npm run build` first; `npm test` does.
 *
 * Two projects:
 * - "site": every spec but subpath.spec.ts, against dist/ served at the root.
 * - "subpath": subpath.spec.ts, against the same site built for a sub-path (`npm run build:course`, into
 *   .cache/subpath-host/course/) and served the way a static host serves a project site: the host's root holds a
 *   course/ folder, so "/course" and "/course/" both reach it and nothing outside /course/ exists.
 */
const PORT = Number(process.env.WORKBOOK_E2E_PORT ?? 4321);
const COURSE_PORT = PORT + 1;
/** What `npm run build:course` writes: a host root whose only content is the site built with base /course/. */
const COURSE_HOST = '.cache/subpath-host';
// Without a sub-path build, its server is not started (so a single spec of the "site" project still runs), and
// subpath.spec.ts fails saying to run `npm run build:course`.
const courseBuilt = existsSync(`${COURSE_HOST}/course/index.html`);

export default defineConfig({
  testDir: 'tests/e2e',
  // Two cores: one browser at a time keeps tfjs timings sane and tests independent.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 60_000 },
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    headless: true,
    trace: 'retain-on-failure',
    // No service worker unless a spec asks (offline.spec.ts): its offline copy downloads every chunk in the background,
    // which would hide what a page itself fetches (editor.spec.ts checks that the editor loads only on demand).
    serviceWorkers: 'block',
    launchOptions: {
      executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--enable-unsafe-webgpu',
      ],
    },
  },
  projects: [
    { name: 'site', testIgnore: /subpath\.spec\.ts$/, use: { baseURL: `http://127.0.0.1:${PORT}` } },
    // The trailing slash matters: page.goto('lessons/x/') then resolves under /course/.
    { name: 'subpath', testMatch: /subpath\.spec\.ts$/, use: { baseURL: `http://127.0.0.1:${COURSE_PORT}/course/` } },
  ],
  webServer: [
    {
      command: `npx astro preview --host 127.0.0.1 --port ${PORT}`,
      url: `http://127.0.0.1:${PORT}/`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    ...(courseBuilt
      ? [
          {
            // The host's root, served at "/" (WORKBOOK_BASE empty): the course lives in its course/ folder.
            command: `npx astro preview --outDir ${COURSE_HOST} --host 127.0.0.1 --port ${COURSE_PORT}`,
            env: { WORKBOOK_BASE: '' },
            url: `http://127.0.0.1:${COURSE_PORT}/course/`,
            reuseExistingServer: !process.env.CI,
            timeout: 60_000,
          },
        ]
      : []),
  ],
});
