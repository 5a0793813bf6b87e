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
import { frozenBase, recallFunction, trainingLoop } from './check-learner';
import { percent } from '../../src/workbook/dom';

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
      `Every layer is still trainable: training would change all ${count(m.countParams())} weights, the ones ImageNet taught included.`,
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
    `Layers 0–${k} (${layers[0]!.name} … ${freezeAt}) are frozen: ${count(counts.frozen)} weights stay as ImageNet trained them. ` +
      `The ${layers.length - k - 1} layers after it hold ${count(counts.trainable)} trainable weights` +
      (counts.movingStats ? ` (and ${count(counts.movingStats)} BatchNorm statistics the batches will move)` : '') +
      '.',
  );
}

/** Lesson 5: the run reached `min` validation accuracy. */
export function validationAccuracy(run: RunRecord, min: number): CheckResult {
  if (!run || !Array.isArray(run.history)) return fail(`Pass what wb.train returned (the run); got ${what(run)}.`);
  const last = run.history.at(-1);
  if (!last)
    return fail('The run stopped before its first epoch finished: there is no validation accuracy yet.', [
      'Run the training cell again and let it finish.',
    ]);
  if (last.valAcc >= min)
    return pass(
      `Validation accuracy ${percent(last.valAcc)} after ${run.history.length} epochs: at least ${percent(min, 0)} of photos the model never trained on are right.`,
    );
  const hint = run.stopped
    ? ['The run was stopped early: let it finish.']
    : last.acc < 0.9
      ? [
          'Even the training photos are not learned yet: the head needs more steps, or larger ones.',
          'Train longer (more epochs), or with a larger learning rate.',
        ]
      : [
          'It learned the training photos but generalises less well: it is fitting what only the training photos have.',
          'Compare your settings with the solution: epochs, learning rate, L2.',
        ];
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

/** Lesson 5's named checks (`wb.check.<name>`). */
export default defineLessonChecks(({ session }) => ({
  /** Checks what wb.train will do with your trainable flags: freeze the pre-trained base, train the head. */
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
