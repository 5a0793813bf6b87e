import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests drive Debian's Chromium (browser downloads cannot work here) against the built site, served
 * by `astro preview` on 127.0.0.1. Run `npm run build` first; `npm test` does.
 */
const PORT = Number(process.env.WORKBOOK_E2E_PORT ?? 4321);

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
    baseURL: `http://127.0.0.1:${PORT}`,
    headless: true,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync',
        '--no-first-run', '--enable-unsafe-webgpu'],
    },
  },
  webServer: {
    command: `npx astro preview --host 127.0.0.1 --port ${PORT}`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
