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
 * Shows values under the cell, after its code ran: a tensor as its values and shape, an HTMLElement or SVG (a
 * Plot) as itself, anything else as readable text.
 */
export declare function display(...values: unknown[]): void;

/**
 * Reports progress of a long step (training epochs, feature extraction) under the cell.
 * @param done steps finished so far
 * @param total steps in all
 * @param label what is being counted ("epoch", "photo")
 */
export declare function progress(done: number, total: number, label?: string): void;

/**
 * Aborted when the learner presses Stop or re-runs the cell: pass it to long loops (`if (signal.aborted) break;`)
 * so they end cleanly instead of racing the new run.
 */
export declare const signal: AbortSignal;

/** The workbook: the model, our photos, classification, the layer table, pictures and checks (src/workbook). */
export declare const wb: import('../workbook').Workbook;
