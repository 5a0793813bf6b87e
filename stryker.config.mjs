// @ts-check
/**
 * Mutation testing (`npm run mutate`, not part of `npm test`): StrykerJS changes one operator, condition or value
 * of the engine, the cell runtime or the graders at a time and checks that some unit test fails. A mutant that
 * survives is a bug the suite would let ship.
 *
 * Scoped to fit a 2-core machine: each file is tested only by the fast unit tests that pin its logic (TESTS below;
 * the tests that train the real MobileNet take minutes and would make one mutant cost minutes). Run all named files,
 * or one at a time:
 *
 *   npm run mutate                                   # every file in TESTS
 *   npm run mutate -- --mutate src/ml/evaluate.ts    # one file (any file listed in TESTS)
 *
 * The scores and every surviving mutant's story are in MUTATION.md.
 */
import path from 'node:path';

/** The files mutated, each with the unit tests that must catch its mutants. */
export const TESTS = {
  'src/ml/evaluate.ts': ['tests/unit/evaluate-metrics.test.ts', 'tests/unit/predict-transfer.test.ts'],
  'src/ml/train-support.ts': ['tests/unit/train-schedule.test.ts'],
  // The training loop itself, on the real MobileNet and a dozen photos (seconds per mutant): the batch order and
  // mirroring of each epoch, the schedule's rate per step, the freeze flags a run honours, the truly-frozen cached path;
  // train-exact pins refusals, the record and every metric against a hand-written SGD reference.
  'src/ml/train.ts': [
    'tests/unit/train-exact.test.ts',
    'tests/unit/train-loop.test.ts',
    'tests/unit/freeze-flags.test.ts',
    'tests/unit/frozen-training.test.ts',
    'tests/unit/head-accuracy.test.ts',
  ],
  'src/ml/seeded.ts': ['tests/unit/train-schedule.test.ts'],
  'src/ml/activation-cache.ts': [
    'tests/unit/activation-cache.test.ts',
    'tests/unit/activation-store.test.ts',
    'tests/unit/activation-cache-store-use.test.ts',
  ],
  'src/ml/activation-persist.ts': ['tests/unit/activation-persist.test.ts', 'tests/unit/activation-store.test.ts'],
  'src/ml/frozen.ts': ['tests/unit/frozen-chains.test.ts'],
  'src/ml/fold.ts': ['tests/unit/fold-bias.test.ts'],
  'src/ml/fold-weights.ts': ['tests/unit/fold-bias.test.ts', 'tests/unit/fold-refusals.test.ts'],
  'src/ml/kernels/conv-geometry.ts': ['tests/unit/conv-grads-strides.test.ts', 'tests/unit/conv-geometry.test.ts'],
  'src/ml/kernels/depthwise-backprop.ts': ['tests/unit/conv-grads-strides.test.ts'],
  'src/ml/stats.ts': ['tests/unit/stats.test.ts', 'tests/unit/stats-edges.test.ts'],
  'src/ml/hand-loop.ts': ['tests/unit/hand-loop.test.ts', 'tests/unit/hand-loop-verdicts.test.ts'],
  'src/ml/freeze-sweep.ts': ['tests/unit/freeze-sweep.test.ts'],
  'src/ml/augment.ts': ['tests/unit/augment.test.ts', 'tests/unit/augment-exact.test.ts'],
  'src/ml/augment-judge.ts': ['tests/unit/augment.test.ts', 'tests/unit/augment-exact.test.ts'],
  'src/ml/augment-training.ts': ['tests/unit/augment.test.ts', 'tests/unit/augment-training-exact.test.ts'],
  // Saving and loading, on the real MobileNet but no photos (seconds per mutant); checkpoint.test.ts, which re-scores
  // the committed checkpoints on 156 photos each, would make one mutant cost a minute.
  'src/ml/checkpoint.ts': ['tests/unit/checkpoint-exact.test.ts', 'tests/unit/checkpoint-freeze-flags.test.ts'],
  // The check mechanism: verdicts, the hint ladder, a lesson's own checks, the words of the messages.
  'src/workbook/checks.ts': ['tests/unit/checks-ladder.test.ts', 'tests/unit/checks-verdicts.test.ts'],
  'src/workbook/checks-ladder.ts': ['tests/unit/checks-ladder.test.ts', 'tests/unit/checks-verdicts.test.ts'],
  'src/workbook/checks-registry.ts': ['tests/unit/checks-ladder.test.ts', 'tests/unit/checks-registry.test.ts'],
  'src/workbook/checks-of-lesson.ts': ['tests/unit/checks-registry.test.ts'],
  'src/workbook/checks-helpers.ts': ['tests/unit/checks-helpers.test.ts'],
  // Lessons own their checks (lessons/NN-slug/checks.ts and the helper files next to it); each is caught by its
  // pass/fail tables. Lessons 1-4's tables run the real MobileNet (a mutant costs seconds, a file tens of minutes).
  'lessons/01-what-the-network-knows/checks.ts': [
    'tests/unit/graders-lessons-1-4.test.ts',
    'tests/unit/lesson-01-checks-table.test.ts',
  ],
  'lessons/02-inspect-the-layers/checks.ts': [
    'tests/unit/graders-lessons-1-4.test.ts',
    'tests/unit/lesson-02-checks-table.test.ts',
  ],
  'lessons/03-early-and-late-layers/checks.ts': [
    'tests/unit/graders-lessons-1-4.test.ts',
    'tests/unit/lesson-03-checks-table.test.ts',
  ],
  'lessons/04-a-new-head/checks.ts': [
    'tests/unit/graders-lessons-1-4.test.ts',
    'tests/unit/lesson-04-checks-table.test.ts',
  ],
  // The table (one row per branch, exact messages and ladders, the ladder climbed through wb.check) and the lesson-5 file.
  'lessons/04-a-new-head/check-model.ts': [
    'tests/unit/lesson-04-model-table.test.ts',
    'tests/unit/lessons-04-05-checks.test.ts',
  ],
  'lessons/05-freeze-and-train/checks.ts': [
    'tests/unit/graders-lessons-5-8.test.ts',
    'tests/unit/lesson-05-checks.test.ts',
  ],
  'lessons/05-freeze-and-train/check-freeze.ts': [
    'tests/unit/lesson-05-checks.test.ts',
    'tests/unit/lessons-04-05-checks.test.ts',
  ],
  'lessons/05-freeze-and-train/check-learner.ts': [
    'tests/unit/lessons-04-05-checks.test.ts',
    'tests/unit/lesson-05-checks.test.ts',
  ],
  'lessons/06-choose-the-freeze-point/checks.ts': ['tests/unit/graders-lessons-5-8.test.ts'],
  // Lesson 6's batchNormDrift check lives with its evidence view; mutate the check and its drift maths
  // (`--mutate src/workbook/evidence-drift.ts:1-165`): the view below it is page wiring, read by the e2e spec.
  'src/workbook/evidence-drift.ts': [
    'tests/unit/lesson-06-drift-table.test.ts',
    'tests/unit/graders-lessons-5-8.test.ts',
  ],
  'lessons/06-choose-the-freeze-point/check-freeze-points.ts': ['tests/unit/lesson-06-checks.test.ts'],
  // The table (one row per branch, exact messages and ladders) and lesson 7's registration, as the page calls it.
  'lessons/07-add-layers/checks.ts': ['tests/unit/lesson-07-hidden-head-table.test.ts'],
  'lessons/07-add-layers/check-hidden.ts': [
    'tests/unit/lesson-07-hidden-head-table.test.ts',
    'tests/unit/lesson-07-hidden-head.test.ts',
  ],
  'lessons/07-add-layers/augment-checks.ts': ['tests/unit/lesson-07-checks.test.ts'],
  // fewerPhotos is pinned on hand-made run records there; lesson-08-checks.test.ts trains real runs (seconds each).
  'lessons/08-your-turn/checks.ts': ['tests/unit/graders-lessons-5-8.test.ts'],
  'src/runtime/guards.ts': ['tests/unit/cells-guards.test.ts'],
  'src/runtime/tensor-guard.ts': ['tests/unit/cells-support.test.ts', 'tests/unit/tensor-guard.test.ts'],
  'src/runtime/positions.ts': [
    'tests/unit/cells-transpile.test.ts',
    'tests/unit/cells-errors.test.ts',
    'tests/unit/positions-exact.test.ts',
  ],
  'src/runtime/rewrite.ts': [
    'tests/unit/cells-transpile.test.ts',
    'tests/unit/cells-scope.test.ts',
    'tests/unit/cells-notebook.test.ts',
    'tests/unit/cells-rewrite.test.ts',
  ],
};

/** The files named by --mutate / -m on the command line (comma-separated, ranges like file.ts:1-20 allowed). */
function mutatedOnCommandLine() {
  const argv = process.argv;
  const values = argv.flatMap((arg, i) =>
    arg === '--mutate' || arg === '-m' ? [argv[i + 1] ?? ''] : arg.startsWith('--mutate=') ? [arg.slice(9)] : [],
  );
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.replace(/:[\d:-]+$/, '').trim())
    .filter(Boolean);
}

const mutate = mutatedOnCommandLine();
const unknown = mutate.filter((file) => !(file in TESTS));
if (unknown.length)
  throw new Error(`stryker.config.mjs: no tests are listed for ${unknown.join(', ')}; add the file to TESTS first`);
const files = mutate.length ? mutate : Object.keys(TESTS);
// The test runner's processes inherit these: vitest.stryker.config.ts runs only the listed tests, and links the
// sandbox's public/workbook-assets to the real assets (which are not copied into it).
process.env.WB_MUTATION_TESTS = [
  ...new Set(files.flatMap((file) => TESTS[/** @type {keyof typeof TESTS} */ (file)])),
].join(',');
process.env.WB_ASSET_DIR = path.resolve('public/workbook-assets');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.ts', related: false },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: Object.keys(TESTS),
  coverageAnalysis: 'perTest',
  concurrency: 1,
  // Builds, caches, browsers' outputs and the assets stay out of the sandbox copy (node_modules is linked).
  ignorePatterns: [
    'dist',
    '.cache',
    '.astro',
    'public/workbook-assets',
    'public/tfjs-wasm',
    'test-results',
    'playwright-report',
    'bench',
    '.notes',
    'reports',
  ],
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  thresholds: { high: 90, low: 80, break: null },
  timeoutMS: 20000,
  cleanTempDir: 'always',
};
