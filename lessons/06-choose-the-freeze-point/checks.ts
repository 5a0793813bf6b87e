/**
 * Lesson 6's checks: the block ends and freeze points to compare (check-freeze-points.ts), and the frozen BatchNorm layers' moving statistics (unchanged by a
 * run that respects the freeze; moved by a naive fit). Each judges the model's own numbers, never the code.
 */
import type * as tf from '@tensorflow/tfjs';
import { type AnyModel, type TransferModel } from '../../src/ml/surgery';
import { fail, pass, type CheckResult } from '../../src/workbook/checks';
import { count, what } from '../../src/workbook/checks-helpers';
import { defineLessonChecks } from '../../src/workbook/checks-registry';
import { batchNormDrift } from '../../src/workbook/evidence-drift';
import { freezePointsVerdict } from './check-freeze-points';

/** The LayersModel inside a transfer model (or the model itself). */
function layersOf(model: TransferModel | tf.LayersModel): tf.LayersModel | null {
  const m = (model as TransferModel)?.model ?? model;
  return m && Array.isArray((m as tf.LayersModel).layers) ? (m as tf.LayersModel) : null;
}

/** Every moving mean and variance of the frozen BatchNormalization layers, flattened in layer order. */
function frozenBatchNormStats(model: tf.LayersModel): { layers: string[]; values: number[] } {
  const bn = model.layers.filter((l) => l.getClassName() === 'BatchNormalization' && !l.trainable);
  const values: number[] = [];
  for (const layer of bn) for (const w of layer.getWeights().slice(2)) values.push(...w.dataSync()); // [gamma, beta, mean, variance]
  return { layers: bn.map((l) => l.name), values };
}

/** Any nesting of numbers (arrays, typed arrays) flattened. */
function flatten(value: unknown): number[] | null {
  if (typeof value === 'number') return [value];
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  if (!Array.isArray(value)) return null;
  const out: number[] = [];
  for (const v of value) {
    const f = flatten(v);
    if (!f) return null;
    out.push(...f);
  }
  return out;
}

/**
 * Lesson 6: `before` and `after` are the moving statistics of the model's frozen BatchNorm layers, taken before and
 * after a run; none changed, and `after` is what the model holds now.
 */
export function batchNormUnchanged(
  model: TransferModel | tf.LayersModel,
  before: unknown,
  after: unknown,
): CheckResult {
  const m = layersOf(model);
  if (!m) return fail(`Pass the transfer model first; got ${what(model)}.`);
  const a = flatten(before);
  const b = flatten(after);
  if (!a || !b)
    return fail(
      `The snapshots should be arrays of numbers; got ${what(before)} and ${what(after)}.`,
      'Return one array per layer, e.g. Array.from(weight.dataSync()).',
    );
  const now = frozenBatchNormStats(m);
  if (a.length === 0)
    return fail(
      'Your snapshot is empty: it collected no statistics.',
      'Keep the BatchNormalization layers that are frozen (layer.trainable is false) and read their weights 2 and 3 (moving mean, moving variance).',
    );
  if (b.length !== now.values.length) {
    const more = b.length > now.values.length;
    return fail(
      `Your snapshot has ${count(b.length)} numbers; the ${now.layers.length} frozen BatchNorm layers hold ${count(now.values.length)} moving statistics.`,
      more
        ? 'It includes more than the frozen layers’ moving mean and variance: skip trainable layers (the ones you unfroze) and gamma/beta (weights 0 and 1).'
        : 'Some are missing: take every frozen BatchNormalization layer, and both its moving mean (weight 2) and moving variance (weight 3).',
    );
  }
  if (b.some((v, i) => v !== now.values[i]))
    return fail(
      'The “after” snapshot is not what the model holds now.',
      'Take it after the training run, from the same model.',
    );
  if (a.length !== b.length)
    return fail(
      `The “before” snapshot has ${count(a.length)} numbers, the “after” one ${count(b.length)}.`,
      'Take both with the same function, with the same freeze point set.',
    );
  let changed = 0;
  let largest = 0;
  a.forEach((v, i) => {
    const d = Math.abs(v - b[i]!);
    if (d > 0) changed++;
    largest = Math.max(largest, d);
  });
  if (changed)
    return fail(
      `${count(changed)} of ${count(a.length)} statistics changed (by up to ${largest.toExponential(2)}): frozen layers were not frozen.`,
      'Was the snapshot taken with the same freeze point the run used? Layers the run trained do move their statistics.',
    );
  return pass(
    `All ${count(a.length)} moving means and variances of the ${now.layers.length} frozen BatchNorm layers (${now.layers[0]} … ${now.layers.at(-1)}) are bit-for-bit what they were: the run changed none of them.`,
  );
}

/** Lesson 6's named checks (`wb.check.<name>`). */
export default defineLessonChecks(({ session }) => ({
  /** Checks your blockEnd on every block, and at least three freeze points at block ends, the whole base among them. */
  freezePoints: (model: TransferModel | tf.LayersModel, points: readonly string[], blockEnd: (n: number) => string) =>
    freezePointsVerdict(model, points, blockEnd),
  /** Checks that no moving statistic of a frozen BatchNorm layer changed between `before` and `after`. */
  batchNormUnchanged: (model: TransferModel | tf.LayersModel, before: unknown, after: unknown) =>
    batchNormUnchanged(model, before, after),
  /** Checks your snapshots of every BN layer's moving statistics, before and after a naive fit, and that it moved them. */
  batchNormDrift: async (model: AnyModel, before: unknown, after: unknown) =>
    batchNormDrift(await session.loadModel(), model, before, after),
}));
