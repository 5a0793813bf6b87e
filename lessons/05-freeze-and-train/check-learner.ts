/**
 * Lesson 5's checks of what the learner writes (the freeze flags are check-freeze.ts): the training loop (run on a fresh head and compared with wb.train on
 * the same start, seed and batches: src/ml/hand-loop.ts), and a recall function (called on confusion matrices the
 * learner never saw, whose row and column totals differ, so a precision can never pass for a recall).
 */
import type * as tf from '@tensorflow/tfjs';
import { judgeLoop, LOOP_SETTINGS, LOOP_TOLERANCE, type HandLoop } from '../../src/ml/hand-loop';
import { isTransferModel, type AnyModel } from '../../src/ml/surgery';
import { cellOutput } from '../../src/workbook/cell-output';
import { fail, pass, type CheckResult } from '../../src/workbook/checks';
import { what } from '../../src/workbook/checks-helpers';
import { accuracyOf } from '../../src/workbook/intervals';
import type { Session } from '../../src/workbook/session';

/** The chain of layers a model argument trains (a transfer model's network, or the model itself). */
function chainOf(model: AnyModel): tf.LayersModel | null {
  const m = isTransferModel(model) ? model.model : model;
  return m && Array.isArray((m as tf.LayersModel).layers) ? (m as tf.LayersModel) : null;
}

/** The Dense layer on the pooled features (the head's logits) and its current weights: where a loop starts. */
function headStart(model: AnyModel, labels: number): tf.Tensor[] | null {
  const m = chainOf(model);
  if (!m) return null;
  const flat = (layers: tf.layers.Layer[]): tf.layers.Layer[] =>
    layers.flatMap((l) => ('layers' in l && Array.isArray(l.layers) ? flat(l.layers as tf.layers.Layer[]) : [l]));
  const dense = flat(m.layers)
    .reverse()
    .find((l) => l.getClassName() === 'Dense' && l.getWeights()[0]?.shape.join() === `256,${labels}`);
  return dense ? dense.getWeights().map((w) => w.clone()) : null;
}

/** Returns whether the learner's `loop` trains a head as wb.train does: the same curve from the same start. */
export async function trainingLoop(session: Session, loop: HandLoop, model: AnyModel): Promise<CheckResult> {
  if (typeof loop !== 'function')
    return fail(`Pass your loop function (trainHead); got ${what(loop)}.`, [
      'The check calls your function itself, on a fresh copy of the head, so it needs the function, not its result.',
      'trainHead is the async function (head, data, settings) the cell declares.',
      'Pass trainHead itself, without parentheses, then the model, to wb.check.trainingLoop.',
    ]);
  const labels = session.photos.labels.length;
  const start = headStart(model, labels);
  if (!start)
    return fail(`The model has no Dense layer from the 256 pooled features to ${labels} labels to start from.`, [
      'The loop trains the Dense layer on the 256 pooled features, from where the first cell left it.',
      'The first cell’s model (from wb.transferModel) holds that Dense layer among model.model.layers.',
      'Pass `model`, the one the first cell built, as the second argument.',
    ]);
  const pretrained = await session.loadModel(cellOutput(null));
  const s = LOOP_SETTINGS;
  let v;
  try {
    v = await judgeLoop(loop, start, pretrained, session.photos, s);
  } finally {
    start.forEach((t) => t.dispose());
  }
  const valTotal = session.photos.select('validation').length;
  const stepLadder = [
    'Training is a step per batch: the loss of the batch, its gradient with respect to the head’s weights, and a small move of the weights against it.',
    'optimizer.minimize(f, true) does all three for the loss that f returns, and returns that loss (Keras: tape.gradient, then optimizer.apply_gradients).',
    'In the batch loop: gather the batch’s rows of data.train.x and data.train.y with the batch’s indices, then minimize a function that returns the cross-entropy of the head’s output on them.',
  ];
  switch (v.kind) {
    case 'not-a-history':
      return fail(`trainHead returned ${v.got}, not a list with one { epoch, loss, valAcc } per epoch.`, [
        'The loop keeps a history: after each epoch, push what it measured.',
        'history is an array with one { epoch, loss, valAcc } object per epoch, pushed at the end of the epoch.',
        'End the function with return history, after the loop over the epochs.',
      ]);
    case 'wrong-epochs':
      return fail(`trainHead reported ${v.epochs} epochs; the check asked for settings.epochs = ${v.expected}.`, [
        'One entry per epoch, as many epochs as the settings ask for.',
        'settings.epochs says how many; the outer loop counts epoch from 0 up to it.',
        'Run the outer loop while epoch < settings.epochs, and push one entry at the end of each pass.',
      ]);
    case 'never-stepped':
      return fail(
        'After your loop, the head’s weights are exactly where they started: no optimiser step was taken.',
        stepLadder,
      );
    case 'no-loss':
      return fail(`Epoch ${v.epoch + 1} reports no loss (a number ≥ 0): the curve needs it.`, [
        'The epoch’s loss is the mean cross-entropy over its training photos.',
        'minimize(f, true) returns each batch’s mean loss as a scalar tensor; (await loss.data())[0] reads it.',
        'Add each batch’s loss × its number of photos to lossSum; the epoch’s loss is lossSum / data.train.count.',
      ]);
    case 'no-validation':
      return fail(`Epoch ${v.epoch + 1} has no validation accuracy (a share between 0 and 1).`, [
        'After each epoch, measure the head on the validation photos it never trains on: the share it gets right.',
        'head.apply(data.validation.x) gives the logits; argMax(-1) the class said, data.validation.y.argMax(-1) the class it is.',
        'Compare the two with tf.equal, take the mean, read it with dataSync()[0], inside tf.tidy.',
      ]);
    case 'softmax-twice':
      return fail(
        `Your loss never goes below ${v.lowest.toFixed(3)}, while wb.train’s reaches ${v.reference.toFixed(3)}. ` +
          'A floor near 0.55 is the mark of a softmax applied twice: probabilities fed in as if they were logits.',
        [
          'tf.losses.softmaxCrossEntropy applies the softmax itself: it wants the raw scores (logits).',
          'head.apply(x) already gives logits: the head the loop trains has no softmax layer.',
          'Pass the head’s output to softmaxCrossEntropy as it is, without tf.softmax around it.',
        ],
      );
    case 'apart':
      return fail(
        `At epoch ${v.epoch + 1} your loop gives loss ${v.mine.loss.toFixed(3)} and validation accuracy ${accuracyOf(v.mine.valAcc, valTotal)}; ` +
          `wb.train from the same start gives ${v.reference.loss.toFixed(3)} and ${accuracyOf(v.reference.valAcc, valTotal)}. ` +
          `The check allows ${LOOP_TOLERANCE.loss} in loss and ${LOOP_TOLERANCE.valPhotos} validation photos.`,
        [
          'Same start, same batches, same optimiser and rate give the same curve: something differs from wb.train.',
          `Batches: wb.batchOrder(data.train.count, settings.seed, epoch), cut in pieces of settings.batchSize; optimiser: one tf.train.adam(settings.learningRate) made before the epochs.`,
          'The epoch’s loss weighs each batch by its size (the last batch is smaller): lossSum += loss × batch size, then / data.train.count.',
        ],
      );
    case 'same': {
      const mine = v.mine.at(-1)!;
      const ref = v.reference.at(-1)!;
      return pass(
        `Your loop follows wb.train for all ${v.mine.length} epochs: losses within ${v.lossGap.toFixed(4)}, validation accuracy within ${v.valPhotosGap} photo${v.valPhotosGap === 1 ? '' : 's'} every epoch. ` +
          `Last epoch: loss ${mine.loss.toFixed(3)}, validation ${accuracyOf(mine.valAcc, valTotal)} (wb.train: ${ref.loss.toFixed(3)}, ${accuracyOf(ref.valAcc, valTotal)}).`,
      );
    }
  }
}

/** Confusion matrices whose row and column totals all differ, so that recall and precision never coincide. */
const UNSEEN: readonly (readonly (readonly number[])[])[] = [
  [
    [5, 2, 1],
    [3, 9, 0],
    [4, 1, 7],
  ],
  [
    [10, 0, 3],
    [1, 4, 6],
    [0, 2, 2],
  ],
];

/** Returns whether `recall(confusion, i)` is the recall of class i for every class of the evaluation's and unseen matrices. */
export function recallFunction(
  recall: (confusion: number[][], i: number) => number,
  ev: { confusion: number[][] },
): CheckResult {
  if (typeof recall !== 'function')
    return fail(`Pass your function; got ${what(recall)}.`, [
      'The check calls your function on matrices it chooses, so it needs the function itself.',
      'recall is the function (confusion, i) the cell declares.',
      'Pass recall, without parentheses, and ev to wb.check.recallFunction.',
    ]);
  const matrices = [...(Array.isArray(ev?.confusion) ? [ev.confusion] : []), ...UNSEEN];
  const ladder = [
    'Recall reads a row: of the photos that ARE class i, the share the model called i.',
    'confusion[i] is row i (what photos of class i were called); reduce((a, b) => a + b, 0) sums it.',
    'Divide the diagonal entry of row i by that row’s sum.',
  ];
  let asPrecision = true;
  let wrong: { m: readonly (readonly number[])[]; i: number; got: unknown; want: number } | null = null;
  for (const m of matrices) {
    for (let i = 0; i < m.length; i++) {
      const got = recall(
        m.map((r) => [...r]),
        i,
      );
      const row = m[i]!.reduce((a, b) => a + b, 0);
      const col = m.reduce((s, r) => s + r[i]!, 0);
      const want = m[i]![i]! / row;
      const close = (x: number) => typeof got === 'number' && Math.abs(got - x) < 1e-9;
      // A class whose row and column totals are equal cannot tell a precision from a recall: only others decide.
      if (!close(m[i]![i]! / col)) asPrecision = false;
      if (close(want)) continue;
      wrong ??= { m, i, got, want };
    }
  }
  if (!wrong)
    return pass(
      `Your function gives the recall of every class, on this evaluation and on ${UNSEEN.length} matrices it never saw.`,
    );
  if (asPrecision)
    return fail('Your function gives the precision: the diagonal over the column’s total (what the model SAID).', [
      'Recall reads the row instead: the photos that ARE class i, whatever the model said.',
      'confusion[i] is the row; the column would be confusion.map((r) => r[i]).',
      'Divide the diagonal entry by the sum of confusion[i].',
    ]);
  const shown = JSON.stringify(wrong.m);
  return fail(
    `For the matrix ${shown} and class ${wrong.i} your function gives ${what(wrong.got)}; the recall is ${wrong.want.toFixed(3)}.`,
    ladder,
  );
}
