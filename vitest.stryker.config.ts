import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The unit tests StrykerJS runs (stryker.config.mjs): only those listed for the files being mutated, so that one
 * mutant costs seconds. Runs in Stryker's sandbox, a copy of the project without public/workbook-assets: the real
 * assets are linked in, so tests that read them find them.
 */
const root = path.dirname(fileURLToPath(import.meta.url));
const assets = path.join(root, 'public/workbook-assets');
const realAssets = process.env.WB_ASSET_DIR;
if (realAssets && path.resolve(realAssets) !== assets && !existsSync(assets)) {
  mkdirSync(path.dirname(assets), { recursive: true });
  try {
    symlinkSync(realAssets, assets, 'dir');
  } catch (error) {
    // With --concurrency 2 both test runners load this file at once: the other one may have made the link first.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

const tests = (process.env.WB_MUTATION_TESTS ?? '').split(',').filter(Boolean);

export default defineConfig({
  test: {
    include: tests.length ? tests : ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
