/**
 * The named checks of lessons 5–8 (`wb.check.<name>`), on the check mechanism of checks.ts. Like the checks of
 * lessons 1–4 they test what an answer *means*, recomputed from the real model: which layers are frozen, what a
 * recall is, which BatchNorm statistics a run may change, what the head is made of, whether an exported model still
 * answers the same. Each failure says what was found and what to try; none asks for a particular spelling.
 */
import * as tf from '@tensorflow/tfjs';
import type { Evaluation, LabelScore } from '../ml/evaluate';
import { layerIndex, paramCounts, type TransferModel } from '../ml/surgery';
import type { RunRecord } from '../ml/runs';
import { fail, pass, runCheck, type CheckResult } from './checks';
import { percent } from './dom';
import { errorMessage } from '../ml/error-message';

const n = (x: number) => x.toLocaleString('en-US');

/** Describes a value a learner passed where something else was expected. */
function what(value: unknown): string {
  if (value instanceof Promise) return 'a promise (add `await`)';
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') return `the string "${value}"`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/** "a, b, c and 4 more". */
function listed(names: readonly string[], max = 3): string {
  return names.slice(0, max).join(', ') + (names.length > max ? ` and ${names.length - max} more` : '');
}

/** The LayersModel inside a transfer model (or the model itself). */
function layersOf(model: TransferModel | tf.LayersModel): tf.LayersModel | null {
  const m = (model as TransferModel)?.model ?? model;
  return m && Array.isArray((m as tf.LayersModel).layers) ? (m as tf.LayersModel) : null;
}

/** Lessons 5–6: layers 0…k (k = `freezeAt`) are frozen and every later layer is trainable. */
export function frozenUpTo(model: TransferModel | tf.LayersModel, freezeAt: string): CheckResult {
  const m = layersOf(model);
  if (!m) return fail(`Pass the transfer model (the one wb.buildTransferModel gave you); got ${what(model)}.`);
  let k: number;
  try {
    k = layerIndex(m, freezeAt);
  } catch (e) {
    return fail(
      `The freeze point is not a layer of this model: ${errorMessage(e)}`,
      'Use a layer name from the layer table, e.g. global_average_pooling2d_1.',
    );
  }
  const layers = m.layers;
  // The input layer has no weights and its flag means nothing; judge the layers that compute.
  if (layers.slice(1).every((l) => l.trainable)) {
    return fail(
      `Every layer is still trainable: training would change all ${n(m.countParams())} weights, the ones ImageNet taught included.`,
      `Set layer.trainable = false for layers 0…${k} (up to ${freezeAt}) and true after it.`,
    );
  }
  if (layers.every((l) => !l.trainable))
    return fail(
      'Every layer is frozen, the new head too: nothing would learn.',
      `Only layers 0…${k} (up to ${freezeAt}) should be frozen; the layers after it must stay trainable.`,
    );
  const wrongFrozen = layers.filter((l, i) => i > k && !l.trainable).map((l) => l.name);
  const wrongTrainable = layers.filter((l, i) => i > 0 && i <= k && l.trainable).map((l) => l.name);
  if (wrongTrainable.length) {
    return fail(
      `${wrongTrainable.length} layer${wrongTrainable.length === 1 ? '' : 's'} up to ${freezeAt} ${wrongTrainable.length === 1 ? 'is' : 'are'} still trainable: ${listed(wrongTrainable)}.`,
      `Freeze every layer whose index is ${k} or less (layer ${k} is ${freezeAt}, and it is frozen too).`,
    );
  }
  if (wrongFrozen.length) {
    return fail(
      `${wrongFrozen.length} layer${wrongFrozen.length === 1 ? '' : 's'} after ${freezeAt} ${wrongFrozen.length === 1 ? 'is' : 'are'} frozen: ${listed(wrongFrozen)}.`,
      `Layers after index ${k} must stay trainable: they are what learns.`,
    );
  }
  const counts = paramCounts(m);
  return pass(
    `Layers 0–${k} (${layers[0]!.name} … ${freezeAt}) are frozen: ${n(counts.frozen)} weights stay as ImageNet trained them. ` +
      `The ${layers.length - k - 1} layers after it hold ${n(counts.trainable)} trainable weights` +
      (counts.movingStats ? ` (and ${n(counts.movingStats)} BatchNorm statistics the batches will move)` : '') +
      '.',
  );
}

/** Lesson 5: the run reached `min` validation accuracy. */
export function validationAccuracy(run: RunRecord, min: number): CheckResult {
  if (!run || !Array.isArray(run.history)) return fail(`Pass what wb.train returned (the run); got ${what(run)}.`);
  const last = run.history.at(-1);
  if (!last)
    return fail(
      'The run stopped before its first epoch finished: there is no validation accuracy yet.',
      'Run the training cell again and let it finish.',
    );
  if (last.valAcc >= min)
    return pass(
      `Validation accuracy ${percent(last.valAcc)} after ${run.history.length} epochs: at least ${percent(min, 0)} of photos the model never trained on are right.`,
    );
  const hint = run.stopped
    ? 'The run was stopped early: let it finish.'
    : last.acc < 0.9
      ? 'Even the training photos are not learned yet: train longer, or with a larger learning rate.'
      : 'It learned the training photos but generalises less well: compare your settings with the solution (epochs, learning rate, L2).';
  return fail(
    `Validation accuracy is ${percent(last.valAcc)} after ${run.history.length} epochs; the goal is ${percent(min, 0)}.`,
    hint,
  );
}

/** Lesson 5: `value` is the recall of `label` in the evaluation. */
export function recallOf(ev: Evaluation, label: string, value: number): CheckResult {
  if (!ev || !Array.isArray(ev.confusion))
    return fail(`Pass the evaluation (what wb.evaluate returned); got ${what(ev)}.`);
  const i = ev.labels.indexOf(label);
  if (i < 0) return fail(`"${label}" is not one of the labels (${ev.labels.join(', ')}).`);
  const row = ev.confusion[i]!;
  const right = row[i]!;
  const total = row.reduce((a, b) => a + b, 0);
  const recall = right / total;
  if (typeof value !== 'number' || !Number.isFinite(value))
    return fail(`The recall should be a number between 0 and 1, got ${what(value)}.`);
  if (Math.abs(value - recall) < 1e-9)
    return pass(
      `Recall of ${label}: ${right} of the ${total} ${label} photos were called ${label}, ${percent(recall)}. The others are in row “${label}” off the diagonal.`,
    );
  const said = ev.confusion.reduce((s, r) => s + r[i]!, 0);
  const precision = right / said;
  if (Math.abs(value - precision) < 1e-9) {
    return fail(
      `${value.toFixed(3)} is the precision of ${label}: ${right} of the ${said} photos the model *called* ${label} are ${label}s (a column).`,
      `Recall reads the row instead: of the photos that *are* ${label}s, the share the model found.`,
    );
  }
  if (value > 1)
    return fail(
      `A recall is a share between 0 and 1; ${value} is more.`,
      'Divide the right answers by the number of photos of that label.',
    );
  return fail(
    `Recall of ${label} is not ${value}.`,
    `Take row “${label}” of ev.confusion (the photos that are ${label}s): its diagonal entry divided by the row’s sum.`,
  );
}

/** The last frozen layer names a lesson-6 run may use: the cut, block ends, or everything. */
function freezeNames(model: tf.LayersModel, cutAt: string): string[] {
  const cut = layerIndex(model, cutAt);
  return model.layers
    .slice(0, cut + 1)
    .map((l) => l.name)
    .filter((name) => name === cutAt || /^conv_pw_\d+_relu$/.test(name) || name === model.layers[0]!.name);
}

/** Lesson 6: at least three distinct freeze points at block boundaries, the whole base frozen among them. */
export function freezePoints(model: TransferModel | tf.LayersModel, points: readonly string[]): CheckResult {
  const m = layersOf(model);
  if (!m) return fail(`Pass the model first (the pre-trained one, or a transfer model); got ${what(model)}.`);
  const cutAt = (model as TransferModel).cutAt ?? 'global_average_pooling2d_1';
  if (!Array.isArray(points)) return fail(`freezePoints should be an array of layer names, got ${what(points)}.`);
  const valid = freezeNames(m, cutAt);
  const unknown = points.filter((p) => !valid.includes(p));
  if (unknown.length) {
    const exists = unknown.filter((p) => m.layers.some((l) => l.name === p));
    return fail(
      `${unknown.map((p) => `"${p}"`).join(', ')} ${exists.length ? 'is not at the end of a block' : 'is not a layer of the base'}.`,
      `Freeze at the end of a block (conv_pw_12_relu ends block 12), or at ${cutAt} for the whole base.`,
    );
  }
  const distinct = [...new Set(points)];
  if (distinct.length < 3)
    return fail(
      `${distinct.length} distinct freeze point${distinct.length === 1 ? '' : 's'} (${distinct.join(', ') || 'none'}): the comparison needs at least three.`,
      'Add the end of block 12 (only block 13 trains) and of block 11 (blocks 12–13 train).',
    );
  if (!distinct.includes(cutAt))
    return fail(
      'None of the freeze points keeps the whole base frozen, the baseline to compare with.',
      `Add ${cutAt}.`,
    );
  const earliest = Math.min(...distinct.map((p) => layerIndex(m, p)));
  return pass(
    `${distinct.length} freeze points, from the whole base frozen down to ${m.layers[earliest]!.name}: each one lets training change more of the network.`,
  );
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
      `Your snapshot has ${n(b.length)} numbers; the ${now.layers.length} frozen BatchNorm layers hold ${n(now.values.length)} moving statistics.`,
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
      `The “before” snapshot has ${n(a.length)} numbers, the “after” one ${n(b.length)}.`,
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
      `${n(changed)} of ${n(a.length)} statistics changed (by up to ${largest.toExponential(2)}): frozen layers were not frozen.`,
      'Was the snapshot taken with the same freeze point the run used? Layers the run trained do move their statistics.',
    );
  return pass(
    `All ${n(a.length)} moving means and variances of the ${now.layers.length} frozen BatchNorm layers (${now.layers[0]} … ${now.layers.at(-1)}) are bit-for-bit what they were: the run changed none of them.`,
  );
}

/** Lesson 7: the head has a hidden Dense(relu) layer and Dropout before the classifier. */
export function hiddenHead(model: TransferModel): CheckResult {
  const m = layersOf(model);
  if (!m || typeof (model as TransferModel).cutAt !== 'string')
    return fail(`Pass the transfer model (from wb.buildTransferModel); got ${what(model)}.`);
  const head = m.layers.slice(layerIndex(m, (model as TransferModel).cutAt) + 1);
  const dense = head.filter((l) => l.getClassName() === 'Dense');
  const outputs = m.outputs[0]!.shape.at(-1);
  if (dense.length < 2)
    return fail(
      `The head has ${dense.length} Dense layer${dense.length === 1 ? '' : 's'}: only the classifier, no hidden layer yet.`,
      'Give buildTransferModel a number of hidden units, e.g. { hidden: 128, dropout: 0.5 }.',
    );
  const hidden = dense[0]!;
  const config = hidden.getConfig() as { units: number; activation: string };
  if (config.activation !== 'relu')
    return fail(
      `The hidden layer's activation is ${config.activation}: without a non-linearity two Dense layers are one linear map.`,
      'Use activation: relu.',
    );
  const dropout = head.find((l) => l.getClassName() === 'Dropout');
  const rate = (dropout?.getConfig() as { rate?: number } | undefined)?.rate ?? 0;
  if (!dropout || !(rate > 0))
    return fail(
      `A hidden layer of ${config.units} units without Dropout: on 312 photos it will memorise them.`,
      'Add a dropout rate between 0.2 and 0.5.',
    );
  if (rate >= 1)
    return fail(`Dropout ${rate} drops every unit: nothing reaches the classifier.`, 'Use a rate between 0.2 and 0.5.');
  const features = hidden.getWeights()[0]?.shape[0] ?? 0;
  const linear = features * (outputs ?? 0) + (outputs ?? 0);
  return pass(
    `Head: ${head.map((l) => l.getClassName()).join(' → ')}: ${config.units} hidden units (relu), ${percent(rate, 0)} of them dropped at random in each training step, then ${outputs} outputs. ` +
      `${n(head.reduce((s, l) => s + l.countParams(), 0))} weights to learn, where a linear head on the same ${features} features has ${n(linear)}.`,
  );
}

/** Lesson 8: two models give the same probabilities for a photo (an exported model loaded back, say). */
export function sameAnswers(
  mine: readonly LabelScore[],
  theirs: readonly LabelScore[] | null | undefined,
): CheckResult {
  if (!Array.isArray(theirs) || theirs.length === 0)
    return fail(
      `The second list of scores is ${what(theirs)}.`,
      'Load the exported model back with wb.loadExported(name) and classify the same photo with it.',
    );
  if (!Array.isArray(mine) || mine.length !== theirs.length)
    return fail(`The two lists of scores have ${what(mine)} and ${theirs.length} entries.`);
  const byLabel = new Map(mine.map((s) => [s.label, s.probability]));
  const diff = Math.max(...theirs.map((s) => Math.abs((byLabel.get(s.label) ?? NaN) - s.probability)));
  if (!(diff < 1e-5))
    return fail(
      `The probabilities differ by up to ${Number.isFinite(diff) ? diff.toFixed(4) : 'a label'}: these are not the same model.`,
      'Classify the same photo with the model you exported and the one you loaded back.',
    );
  return pass(
    `Same answer from the model loaded back: ${theirs.map((s) => `${s.label} ${percent(s.probability)}`).join(', ')} (largest difference ${diff.toExponential(1)}).`,
  );
}

/** The `wb.check` named checks of lessons 5–8, each reported under the cell. */
export function trainingChecks() {
  return {
    /** Lessons 5–6: layers 0…freezeAt are frozen, every later one trainable. */
    frozenUpTo: (model: TransferModel | tf.LayersModel, freezeAt: string) =>
      runCheck(() => frozenUpTo(model, freezeAt)),
    /** Lesson 5: the run (from wb.train) reached `min` validation accuracy. */
    validationAccuracy: (run: RunRecord, min: number) => runCheck(() => validationAccuracy(run, min)),
    /** Lesson 5: `value` is the recall of `label` in the evaluation `ev` (from wb.evaluate). */
    recall: (ev: Evaluation, label: string, value: number) => runCheck(() => recallOf(ev, label, value)),
    /** Lesson 6: at least three freeze points at block ends, the whole base frozen among them. */
    freezePoints: (model: TransferModel | tf.LayersModel, points: readonly string[]) =>
      runCheck(() => freezePoints(model, points)),
    /** Lesson 6: no moving statistic of a frozen BatchNorm layer changed between `before` and `after`. */
    batchNormUnchanged: (model: TransferModel | tf.LayersModel, before: unknown, after: unknown) =>
      runCheck(() => batchNormUnchanged(model, before, after)),
    /** Lesson 7: the head has a hidden Dense(relu) layer and Dropout before the classifier. */
    hiddenHead: (model: TransferModel) => runCheck(() => hiddenHead(model)),
    /** Lesson 8: the same probabilities from two models (the exported one, loaded back). */
    sameAnswers: (mine: readonly LabelScore[], theirs: readonly LabelScore[] | null | undefined) =>
      runCheck(() => sameAnswers(mine, theirs)),
  };
}
