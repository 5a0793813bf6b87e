import { defineConfig } from 'vitest/config';

/** Unit tests: Node, tfjs on the wasm backend, the real model and photos from public/workbook-assets. */
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    // Loading the real model and decoding photos takes seconds on two cores; a test that hangs still fails.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // tfjs keeps one global engine per process: test files run in separate forks, one at a time per core.
    pool: 'forks',
    fileParallelism: true,
  },
});
