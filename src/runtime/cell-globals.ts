/**
 * Every name a lesson cell can use without importing it, with its real type.
 *
 * This is the single entry point for the types of cells: each export below becomes a global in every cell, for the
 * editor's completions, hovers and squiggles (scripts/cell-types-bundle.mjs) and for `npm run check:cells`
 * (scripts/check-cells.mjs). Both generate `declare global { export import <name> = … }` from this file's exports,
 * so adding a global is one line here, next to the runtime that provides its value.
 *
 * Nothing imports this module at run time: it only declares. `export * as` keeps `tf` and `Plot` usable both as
 * values (`tf.sequential()`) and as namespaces of types (`let model: tf.LayersModel`).
 */
export * as tf from '@tensorflow/tfjs';
export * as Plot from '@observablehq/plot';

/**
 * Shows values under the cell, in order: a tensor as its shape and values, a DOM node (a Plot chart, a canvas) as
 * itself, anything else inspected as readable text.
 */
export declare function display(...values: unknown[]): void;

/**
 * A progress bar under the cell, for long steps (training epochs, feature extraction). Two forms:
 * `progress(0.4, 'training')` with a fraction in [0, 1], or `progress(3, 10, 'epoch')` counting steps.
 */
export declare function progress(fraction: number, label?: string): void;
export declare function progress(done: number, total: number, label?: string): void;

/**
 * Aborted when the learner presses Stop or re-runs the cell: check it in long loops (`if (signal.aborted) break;`)
 * or pass it on, so background work ends instead of racing the new run.
 */
export declare const signal: AbortSignal;

// `console` is not declared here: the DOM's `Console` type already makes it a global, and TypeScript cannot
// replace a global with a narrower type. The cell runtime must therefore give cells every Console method.

/**
 * The workbook: the model, our photos, the layers and pictures, training, evaluation, comparisons, checkpoints and
 * checks, grouped by what a learner does (src/workbook/index.ts; every member is listed on the site's wb reference).
 */
export declare const wb: import('../workbook').Workbook;
