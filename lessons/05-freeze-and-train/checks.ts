/**
 * Lesson 5's checks: which layers are frozen, how far a run got on the validation photos, and what a recall is.
 * Each judges meaning, recomputed from the model and the evaluation: flags, accuracies, a row of the confusion matrix.
 */
import type * as tf from '@tensorflow/tfjs';
import { errorMessage } from '../../src/ml/error-message';
import type { Evaluation } from '../../src/ml/evaluate';
import type { RunRecord } from '../../src/ml/runs';
import { layerIndex, paramCounts, type TransferModel } from '../../src/ml/surgery';
import { fail, pass, type CheckResult } from '../../src/workbook/checks';
import { count, listed, what } from '../../src/workbook/checks-helpers';
import { defineLessonChecks } from '../../src/workbook/checks-registry';
import type { HandLoop } from '../../src/ml/hand-loop';
import type { AnyModel } from '../../src/ml/surgery';
import { frozenBase } from './check-freeze';
import { recallFunction, trainingLoop } from './check-learner';
import { percent } from '../../src/workbook/dom';

/** The LayersModel inside a transfer model (or the model itself). */
function layersOf(model: TransferModel | tf.LayersModel): tf.LayersModel | null {
  const m = (model as TransferModel)?.model ?? model;
  return m && Array.isArray((m as tf.LayersModel).layers) ? (m as tf.LayersModel) : null;
}

/** Lessons 5–6: layers 0…k (k = `freezeAt`) are frozen and every later layer is trainable. */
export function frozenUpTo(model: TransferModel | tf.LayersModel, freezeAt: string): CheckResult {
  const m = layersOf(model);
  if (!m)
    return fail(`Pass the transfer model (the one wb.buildTransferModel gave you); got ${what(model)}.`, [
      'The check reads the trainable flags of a transfer model.',
      'wb.buildTransferModel or wb.transferModel gives one; its layers are model.model.layers.',
      'Pass that model (awaited where it is a promise) and the name of the last frozen layer.',
    ]);
  let k: number;
  try {
    k = layerIndex(m, freezeAt);
  } catch (e) {
    return fail(`The freeze point is not a layer of this model: ${errorMessage(e)}`, [
      'The freeze point is the name of the last frozen layer of this model.',
      'wb.layers.show(model) draws the layer table; model.model.layers.map((l) => l.name) lists the names.',
      'Pass one of those names, spelled exactly as in the table, as a string.',
    ]);
  }
  const layers = m.layers;
  // The input layer has no weights and its flag means nothing; judge the layers that compute.
  if (layers.slice(1).every((l) => l.trainable)) {
    return fail(
      `Every layer is still trainable: training would change all ${count(m.countParams())} weights, the ones ImageNet taught included.`,
      [
        'Frozen means training leaves a layer alone: the layers up to the freeze point keep their ImageNet weights.',
        'layer.trainable = false freezes one layer; model.model.layers.forEach((layer, i) => …) reaches them all, with their index.',
        'Find the freeze point’s index by its name, then give false to every index up to it and true after it.',
      ],
    );
  }
  if (layers.every((l) => !l.trainable))
    return fail('Every layer is frozen, the new head too: nothing would learn.', [
      'The layers after the freeze point are the ones that learn: with all frozen, nothing would train.',
      'layer.trainable = true lets a layer learn; only the layers up to the freeze point get false.',
      'Give true to every index greater than the freeze point’s index.',
    ]);
  const wrongFrozen = layers.filter((l, i) => i > k && !l.trainable).map((l) => l.name);
  const wrongTrainable = layers.filter((l, i) => i > 0 && i <= k && l.trainable).map((l) => l.name);
  if (wrongTrainable.length) {
    return fail(
      `${wrongTrainable.length} layer${wrongTrainable.length === 1 ? '' : 's'} up to ${freezeAt} ${wrongTrainable.length === 1 ? 'is' : 'are'} still trainable: ${listed(wrongTrainable)}.`,
      [
        'Every layer up to the freeze point, the freeze point itself included, keeps its ImageNet weights.',
        'The freeze point’s index is where its name is in model.model.layers (findIndex); a layer is frozen when its index is at most that.',
        'Set trainable = false where the index is less than or equal to the freeze point’s index.',
      ],
    );
  }
  if (wrongFrozen.length) {
    return fail(
      `${wrongFrozen.length} layer${wrongFrozen.length === 1 ? '' : 's'} after ${freezeAt} ${wrongFrozen.length === 1 ? 'is' : 'are'} frozen: ${listed(wrongFrozen)}.`,
      [
        'The layers after the freeze point must learn: frozen, they keep whatever weights they had.',
        'layer.trainable = true for every layer whose index is after the freeze point’s.',
        'Set trainable = true where the index is greater than the freeze point’s index.',
      ],
    );
  }
  const counts = paramCounts(m);
  return pass(
    `Layers 0–${k} (${layers[0]!.name} … ${freezeAt}) are frozen: ${count(counts.frozen)} weights stay as ImageNet trained them. ` +
      `The ${layers.length - k - 1} layers after it hold ${count(counts.trainable)} trainable weights` +
      (counts.movingStats ? ` (and ${count(counts.movingStats)} BatchNorm statistics the batches will move)` : '') +
      '.',
  );
}

/** Lesson 5: the run reached `min` validation accuracy. */
export function validationAccuracy(run: RunRecord, min: number): CheckResult {
  if (!run || !Array.isArray(run.history))
    return fail(`Pass what wb.train returned (the run); got ${what(run)}.`, [
      'The check reads the run’s history: one entry per epoch, with its validation accuracy.',
      'wb.train resolves to the run: await it and keep it in a const.',
      'Pass the awaited result of wb.train and the goal to wb.check.validationAccuracy.',
    ]);
  const last = run.history.at(-1);
  if (!last)
    return fail('The run stopped before its first epoch finished: there is no validation accuracy yet.', [
      'A run keeps only the epochs it finished, and this one finished none.',
      'Stop ends wb.train between batches; an error in the cell ends it too.',
      'Run the training cell again and let it finish.',
    ]);
  if (last.valAcc >= min)
    return pass(
      `Validation accuracy ${percent(last.valAcc)} after ${run.history.length} epochs: at least ${percent(min, 0)} of photos the model never trained on are right.`,
    );
  const hint = run.stopped
    ? [
        'The run was stopped early: the head had not finished learning.',
        'Stop ends wb.train between batches, keeping what it learned so far.',
        'Run the training cell again without pressing Stop, and let it finish.',
      ]
    : last.acc < 0.9
      ? [
          'Even the training photos are not learned yet: the head needs more steps, or larger ones.',
          'wb.train(model, { epochs, learningRate }) sets how many steps and how large; the flags decide what can learn.',
          'Train longer (more epochs) or with a larger learning rate, and keep your head’s layers trainable.',
        ]
      : [
          'It learned the training photos but generalises less well: it is fitting what only the training photos have.',
          'The first cell’s L2 penalty and Dropout hold the head back; the epochs and learning rate are wb.train’s settings.',
          'Compare your settings with the solution’s (epochs, learning rate), and keep the first cell’s L2 penalty and Dropout.',
        ];
  return fail(
    `Validation accuracy is ${percent(last.valAcc)} after ${run.history.length} epochs; the goal is ${percent(min, 0)}.`,
    hint,
  );
}

/** Lesson 5: `value` is the recall of `label` in the evaluation. */
export function recallOf(ev: Evaluation, label: string, value: number): CheckResult {
  if (!ev || !Array.isArray(ev.confusion))
    return fail(`Pass the evaluation (what wb.evaluate returned); got ${what(ev)}.`, [
      'A recall is read from an evaluation’s confusion matrix.',
      'wb.evaluate(model) resolves to the evaluation: await it.',
      'Pass the awaited evaluation, a label and your number.',
    ]);
  const i = ev.labels.indexOf(label);
  if (i < 0)
    return fail(`"${label}" is not one of the labels (${ev.labels.join(', ')}).`, [
      'The label names a row of the confusion matrix.',
      'ev.labels lists the labels, in the order of the rows.',
      'Pass one of ev.labels as a string, spelled the same.',
    ]);
  const row = ev.confusion[i]!;
  const right = row[i]!;
  const total = row.reduce((a, b) => a + b, 0);
  const recall = right / total;
  if (typeof value !== 'number' || !Number.isFinite(value))
    return fail(`The recall should be a number between 0 and 1, got ${what(value)}.`, [
      'A recall is a share: a number between 0 and 1.',
      'Compute it from the numbers of ev.confusion, not from text.',
      'Divide the diagonal entry of the label’s row by the row’s sum.',
    ]);
  if (Math.abs(value - recall) < 1e-9)
    return pass(
      `Recall of ${label}: ${right} of the ${total} ${label} photos were called ${label}, ${percent(recall)}. The others are in row “${label}” off the diagonal.`,
    );
  const said = ev.confusion.reduce((s, r) => s + r[i]!, 0);
  const precision = right / said;
  if (Math.abs(value - precision) < 1e-9) {
    return fail(
      `${value.toFixed(3)} is the precision of ${label}: ${right} of the ${said} photos the model *called* ${label} are ${label}s (a column).`,
      [
        'Recall reads the row instead: of the photos that ARE this label, the share the model found.',
        'ev.confusion[i] is row i (i = ev.labels.indexOf(label)); the column would be ev.confusion.map((r) => r[i]).',
        'Divide the diagonal entry of row i by the sum of row i.',
      ],
    );
  }
  if (value > 1)
    return fail(`A recall is a share between 0 and 1; ${value} is more.`, [
      'A recall is a share between 0 and 1: the right answers over all the photos of that label.',
      'Row i of ev.confusion holds the photos of label i; its sum is how many there are.',
      'Divide the diagonal entry by the row’s sum, not the other way round.',
    ]);
  return fail(`Recall of ${label} is not ${value}.`, [
    'Recall: of the photos that ARE this label, the share the model called that label.',
    'ev.confusion[i] is the row of label i (i = ev.labels.indexOf(label)); reduce((a, b) => a + b, 0) sums it.',
    'The diagonal entry of that row divided by the row’s sum.',
  ]);
}

/** Lesson 5's named checks (`wb.check.<name>`). */
export default defineLessonChecks(({ session }) => ({
  /**
   * Checks your trainable flags: the base frozen up to and including the layer where MobileNet ends (its pooling
   * layer), every layer of your head after it trainable; and says what wb.train, which reads the same flags, will do.
   * @example await wb.check.frozenBase(model);
   */
  frozenBase: (model: AnyModel) => frozenBase(model),
  /** Checks your training loop: called on a fresh copy of your head, its curve must follow wb.train's from the same start. */
  trainingLoop: (loop: HandLoop, model: AnyModel) => trainingLoop(session, loop, model),
  /** Checks that `recall(confusion, i)` is the recall of class i, on this evaluation and on matrices it never saw. */
  recallFunction: (recall: (confusion: number[][], i: number) => number, ev: Evaluation) => recallFunction(recall, ev),
  /**
   * Checks that layers 0…freezeAt are frozen and every later one trainable.
   * @example await wb.check.frozenUpTo(model, 'conv_pw_12_relu');
   */
  frozenUpTo: (model: TransferModel | tf.LayersModel, freezeAt: string) => frozenUpTo(model, freezeAt),
  /** Checks that the run (from wb.train) reached `min` validation accuracy. */
  validationAccuracy: (run: RunRecord, min: number) => validationAccuracy(run, min),
  /**
   * Checks that `value` is the recall of `label` in the evaluation `ev` (from wb.evaluate).
   * @example await wb.check.recall(ev, 'cat', catRecall);
   */
  recall: (ev: Evaluation, label: string, value: number) => recallOf(ev, label, value),
}));
