/**
 * Lesson 5's checks, table by table (exercise rule 5): the right answer passes; the starter and each near miss fails
 * with the message a learner should read and a ladder of three hints (the idea, the API, almost the line). The freeze
 * flags are judged on the lesson's own alpaca_model over the real MobileNet: the solution, the starter (no flag set),
 * everything frozen, the boundary one layer early and one late, three layers early, one layer of the base left
 * trainable, the head's Dense layer frozen, the flags the wrong way round. The other checks (frozenUpTo,
 * validationAccuracy, recall, recallFunction, trainingLoop) on each of their failure paths.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FREEZE_LADDERS, frozenBase } from '../../lessons/05-freeze-and-train/check-freeze';
import { recallFunction, trainingLoop } from '../../lessons/05-freeze-and-train/check-learner';
import { frozenUpTo, recallOf, validationAccuracy } from '../../lessons/05-freeze-and-train/checks';
import { adoptTransferModel, baseCopy } from '../../src/ml/adopt';
import type { Evaluation } from '../../src/ml/evaluate';
import type { RunRecord } from '../../src/ml/runs';
import type { TransferModel } from '../../src/ml/surgery';
import type { CheckResult } from '../../src/workbook/checks';
import type { Session } from '../../src/workbook/session';
import { evaluationFrom } from '../helpers/evaluation';
import { loadRealModel, realPhotoSet } from '../helpers/training';

/** A failed verdict whose message matches and which carries a full ladder (the given one, when given). */
function expectFailure(result: CheckResult, message: RegExp, ladder?: readonly string[]): void {
  expect(result.pass, result.message).toBe(false);
  expect(result.message).toMatch(message);
  expect(result.hints).toHaveLength(3);
  for (const rung of result.hints) expect(rung.length).toBeGreaterThan(20);
  if (ladder) expect(result.hints).toEqual([...ladder]);
}

/** The setup cell's alpaca_model, with every layer trainable (the base is not frozen there). */
function alpaca(source: tf.LayersModel): TransferModel {
  const inputs = tf.input({ shape: [224, 224, 3] });
  let x = baseCopy(source).apply(inputs) as tf.SymbolicTensor;
  x = tf.layers.dropout({ rate: 0.2, name: 'head_dropout' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: 3, name: 'head_logits' }).apply(x) as tf.SymbolicTensor;
  const outputs = tf.layers.activation({ activation: 'softmax', name: 'head_softmax' }).apply(x) as tf.SymbolicTensor;
  return adoptTransferModel(tf.model({ inputs, outputs, name: 'alpaca_model' }), source);
}

describe('lesson 5: wb.check.frozenBase, by meaning', () => {
  let tm: TransferModel;
  let cut: number;
  beforeAll(async () => {
    tm = alpaca(await loadRealModel());
    cut = tm.model.layers.findIndex((l) => l.name === tm.cutAt);
  }, 600_000);

  /** Sets every layer's flag from its index, as the learner's forEach does. */
  const flags = (trainable: (i: number) => boolean) => tm.model.layers.forEach((l, i) => (l.trainable = trainable(i)));

  it('the boundary is the pooling layer, layer 82 of 86', () => {
    expect([cut, tm.cutAt, tm.model.layers.length]).toEqual([82, 'global_average_pooling2d_1', 86]);
  });

  const table: [string, (i: number, cut: number) => boolean, RegExp, readonly string[]][] = [
    [
      'the starter (no flag set)',
      () => true,
      /^Every layer is still trainable: training would change all 219,315 weights/,
      FREEZE_LADDERS.nothingFrozen,
    ],
    ['everything frozen', () => false, /^Every layer is frozen, your new head too/, FREEZE_LADDERS.allFrozen],
    [
      'one layer early (i >= cut)',
      (i, c) => i >= c,
      /^Off by one: you froze up to conv_pw_13_relu \(layer 81\), one layer before the boundary global_average_pooling2d_1 \(layer 82\)/,
      FREEZE_LADDERS.oneEarly,
    ],
    [
      'one layer late (i > cut + 1)',
      (i, c) => i > c + 1,
      /^Off by one: you froze up to head_dropout \(layer 83\), one layer past the boundary/,
      FREEZE_LADDERS.oneLate,
    ],
    [
      'three layers early',
      (i, c) => i > c - 3,
      /^You froze up to conv_pw_13 \(layer 79\), 3 layers before the boundary .*: 3 layers of MobileNet would train \(conv_pw_13_bn, conv_pw_13_relu, global_average_pooling2d_1\), 1,024 pre-trained weights/,
      FREEZE_LADDERS.tooEarly,
    ],
    [
      'one extra trainable layer inside the base',
      (i, c) => i > c || i === 40,
      /^1 layer of the base is still trainable: \S+ \(\d[\d,]* pre-trained weights would move\)\.$/,
      FREEZE_LADDERS.baseHoles,
    ],
    [
      'one missing trainable layer: the head’s Dense layer frozen',
      (i, c) => i > c && i !== c + 2,
      /^1 layer of your head is frozen: head_logits\. The head starts after global_average_pooling2d_1 \(layer 82\)/,
      FREEZE_LADDERS.headFrozen,
    ],
    [
      'frozen two layers past the boundary: two layers of the head',
      (i, c) => i > c + 2,
      /^2 layers of your head are frozen: head_dropout, head_logits\. The head starts after global_average_pooling2d_1 \(layer 82\)\.$/,
      FREEZE_LADDERS.headFrozen,
    ],
    [
      'two trainable layers inside the base',
      (i, c) => i > c || i === 40 || i === 41,
      /^2 layers of the base are still trainable: \S+, \S+ \(\d[\d,]* pre-trained weights would move\)\.$/,
      FREEZE_LADDERS.baseHoles,
    ],
    [
      'a hole in the base and the head’s Dense layer frozen',
      (i, c) => (i > c && i !== c + 2) || i === 40,
      /^1 layer of the base is still trainable: \S+ \(\d[\d,]* pre-trained weights would move\), and 1 layer of your head frozen: head_logits\.$/,
      FREEZE_LADDERS.baseHoles,
    ],
    [
      'only the head’s Dense layer frozen, the whole base trainable (not the wrong way round: one head layer)',
      (i, c) => i !== c + 2,
      /^82 layers of the base are still trainable: conv1, conv1_bn, conv1_relu and 79 more \(\d[\d,]* pre-trained weights would move\), and 1 layer of your head frozen: head_logits\.$/,
      FREEZE_LADDERS.baseHoles,
    ],
    [
      'the whole head frozen and the top of the base trainable (not the wrong way round: part of the base)',
      (i, c) => i > c - 3 && i <= c,
      /^3 layers of the base are still trainable: conv_pw_13_bn, conv_pw_13_relu, global_average_pooling2d_1 \(1,024 pre-trained weights would move\), and 3 layers of your head frozen: head_dropout, head_logits, head_softmax\.$/,
      FREEZE_LADDERS.baseHoles,
    ],
    [
      'frozen up to one layer early, with a hole in the base (not a clean off-by-one)',
      (i, c) => i >= c || i === 40,
      /^2 layers of the base are still trainable: \S+, global_average_pooling2d_1 \(\d[\d,]* pre-trained weights would move\)\.$/,
      FREEZE_LADDERS.baseHoles,
    ],
    [
      'the whole head frozen, the base trainable (the flags the wrong way round)',
      (i, c) => i <= c,
      /^The flags are the wrong way round: the 82 layers of the base are trainable and the 3 layers of your head frozen/,
      FREEZE_LADDERS.inverted,
    ],
  ];
  it.each(table)('%s fails with its own message and ladder', (_, trainable, message, ladder) => {
    flags((i) => trainable(i, cut));
    expectFailure(frozenBase(tm), message, ladder);
  });

  it('not a model: its own message and ladder', () => {
    expectFailure(frozenBase('model' as never), /^Pass the model from the first cell; got/, FREEZE_LADDERS.notAModel);
    expectFailure(
      frozenBase(null as never),
      /^Pass the model from the first cell; got null\.$/,
      FREEZE_LADDERS.notAModel,
    );
  });

  it('the network itself (model.model) is judged against MobileNet’s pooling layer, as the transfer model is', () => {
    flags((i) => i > cut);
    expect(frozenBase(tm.model)).toEqual(frozenBase(tm));
    flags((i) => i >= cut);
    expect(frozenBase(tm.model).message).toMatch(/^Off by one: you froze up to conv_pw_13_relu \(layer 81\)/);
  });

  it('the solution passes, and wb.train reads the same freeze point; the input layer’s flag is not judged', () => {
    flags((i) => i > cut);
    const verdict = frozenBase(tm);
    expect(verdict.pass, verdict.message).toBe(true);
    expect(verdict.message).toBe(
      'wb.train will read these flags as: freeze layers 0–82 (up to global_average_pooling2d_1), 218,544 weights kept as ImageNet trained them, and train the 3 layers after it: 771 weights.',
    );
    tm.model.layers[0]!.trainable = true;
    expect(frozenBase(tm).pass).toBe(true);
  });

  it('every ladder has three distinct rungs, and no rung holds the line itself', () => {
    for (const ladder of Object.values(FREEZE_LADDERS)) {
      expect(new Set(ladder).size).toBe(3);
      for (const rung of ladder) expect(rung).not.toMatch(/i\s*>=?\s*\w+\s*[;)]|trainable\s*=\s*i\s*>/);
    }
  });
});

describe('lesson 5: the other checks, every failure with three rungs', () => {
  let tm: TransferModel;
  beforeAll(async () => {
    tm = alpaca(await loadRealModel());
  }, 600_000);

  it('frozenUpTo: not a model, not a layer, all trainable, all frozen, one off either way; right passes', () => {
    const at = (k: number) => tm.model.layers.forEach((l, i) => (l.trainable = i > k));
    expectFailure(frozenUpTo('model' as never, 'conv_pw_12_relu'), /^Pass the transfer model/);
    expectFailure(frozenUpTo(tm, 'conv_pw_99'), /^The freeze point is not a layer of this model/);
    at(-1);
    expectFailure(frozenUpTo(tm, 'conv_pw_12_relu'), /^Every layer is still trainable/);
    at(1000);
    expectFailure(frozenUpTo(tm, 'conv_pw_12_relu'), /^Every layer is frozen, the new head too/);
    const k = tm.model.layers.findIndex((l) => l.name === 'conv_pw_12_relu');
    at(k - 1);
    expectFailure(
      frozenUpTo(tm, 'conv_pw_12_relu'),
      /^1 layer up to conv_pw_12_relu is still trainable: conv_pw_12_relu/,
    );
    at(k + 1);
    expectFailure(frozenUpTo(tm, 'conv_pw_12_relu'), /^1 layer after conv_pw_12_relu is frozen: conv_dw_13/);
    at(k);
    expect(frozenUpTo(tm, 'conv_pw_12_relu').pass).toBe(true);
  });

  const epoch = (acc: number, valAcc: number) => ({ epoch: 0, loss: 0.5, acc, valLoss: 0.5, valAcc });
  const run = (history: ReturnType<typeof epoch>[], stopped = false) => ({ history, stopped }) as unknown as RunRecord;
  it.each([
    ['not a run', undefined as unknown as RunRecord, /^Pass what wb.train returned/],
    ['no epoch finished', run([]), /^The run stopped before its first epoch finished/],
    ['stopped early', run([epoch(0.7, 0.6)], true), /^Validation accuracy is 60\.0 % after 1 epochs; the goal is 80 %/],
    ['under-trained', run([epoch(0.7, 0.6)]), /^Validation accuracy is 60\.0 %/],
    ['over-fitted', run([epoch(0.99, 0.7)]), /^Validation accuracy is 70\.0 %/],
  ])('validationAccuracy: %s fails', (_, r, message) => expectFailure(validationAccuracy(r, 0.8), message));
  it('validationAccuracy: the goal reached passes; each cause has its own ladder', () => {
    expect(validationAccuracy(run([epoch(0.95, 0.85)]), 0.8).pass).toBe(true);
    const ladders = [run([epoch(0.7, 0.6)], true), run([epoch(0.7, 0.6)]), run([epoch(0.99, 0.7)])].map(
      (r) => validationAccuracy(r, 0.8).hints[0],
    );
    expect(new Set(ladders).size).toBe(3);
  });

  const ev = evaluationFrom([
    [21, 1, 2],
    [3, 21, 1],
    [2, 1, 26],
  ]);
  it.each([
    ['not an evaluation', null as unknown as Evaluation, 'cat', 0.875, /^Pass the evaluation/],
    ['not a label', ev, 'cats', 0.875, /^"cats" is not one of the labels \(cat, dog, other\)/],
    ['not a number', ev, 'cat', '0.875' as unknown as number, /^The recall should be a number between 0 and 1/],
    ['the precision', ev, 'cat', 21 / 26, /^0\.808 is the precision of cat: 21 of the 26 photos/],
    ['more than 1', ev, 'cat', 21, /^A recall is a share between 0 and 1; 21 is more/],
    ['another number', ev, 'cat', 0.5, /^Recall of cat is not 0\.5/],
  ])('recall: %s fails', (_, e, label, value, message) => expectFailure(recallOf(e, label, value), message));
  it('recall: the row’s share passes', () => expect(recallOf(ev, 'cat', 21 / 24).pass).toBe(true));

  it('recallFunction: not a function, the starter, a precision fail with three rungs; a recall passes', () => {
    expectFailure(recallFunction('recall' as never, ev), /^Pass your function; got/);
    expectFailure(
      recallFunction(() => 0, ev),
      /your function gives 0; the recall is/,
    );
    expectFailure(
      recallFunction((m, i) => m[i]![i]! / m.reduce((s, r) => s + r[i]!, 0), ev),
      /^Your function gives the precision/,
    );
    expect(recallFunction((m, i) => m[i]![i]! / m[i]!.reduce((a, b) => a + b, 0), ev).pass).toBe(true);
  });

  it('recallFunction: names the first matrix and class it gets wrong, on this evaluation or on a matrix it never saw', () => {
    const rowShare = (m: number[][], i: number) => m[i]![i]! / m[i]!.reduce((a, b) => a + b, 0);
    expectFailure(
      recallFunction(() => 0, ev),
      /^For the matrix \[\[21,1,2\],\[3,21,1\],\[2,1,26\]\] and class 0 your function gives 0; the recall is 0\.875\.$/,
    );
    // Right on the evaluation it was shown, wrong elsewhere: an answer fitted to one matrix.
    const fitted = (m: number[][], i: number) => (m[0]![0] === 21 ? rowShare(m, i) : 0.5);
    expectFailure(
      recallFunction(fitted, ev),
      /^For the matrix \[\[5,2,1\],\[3,9,0\],\[4,1,7\]\] and class 0 your function gives 0\.5; the recall is 0\.625\.$/,
    );
    expectFailure(
      recallFunction((m, i) => String(rowShare(m, i)) as never, ev),
      /and class 0 your function gives the string "0\.875"; the recall is 0\.875\.$/,
    );
    // The precision on some classes only is not "the precision": it is wrong, and the first wrong one is named.
    const mixed = (m: number[][], i: number) => (i === 0 ? m[0]![0]! / m.reduce((s, r) => s + r[0]!, 0) : 0);
    expectFailure(recallFunction(mixed, ev), /^For the matrix .* and class 0 your function gives 0\.8076/);
    // A function that changes the matrix it is given cannot spoil the next call: each call gets a fresh copy.
    const greedy = (m: number[][], i: number) => {
      const r = rowShare(m, i);
      m[i]![i] = 0;
      return r;
    };
    expect(recallFunction(greedy, ev).pass).toBe(true);
    expect(recallFunction(greedy, ev).message).toBe(
      'Your function gives the recall of every class, on this evaluation and on 2 matrices it never saw.',
    );
    // Right on all but the last matrix it never saw.
    const fittedTwice = (m: number[][], i: number) => (m[0]![0] === 10 ? 0.5 : rowShare(m, i));
    expectFailure(
      recallFunction(fittedTwice, ev),
      /^For the matrix \[\[10,0,3\],\[1,4,6\],\[0,2,2\]\] and class 0 your function gives 0\.5; the recall is 0\.769\.$/,
    );
    // Without an evaluation, the matrices it never saw still judge it.
    expect(recallFunction(rowShare, null as never).pass).toBe(true);
    expectFailure(
      recallFunction(() => 0, undefined as never),
      /^For the matrix \[\[5,2,1\],/,
    );
  });

  it('trainingLoop: not a function, and a model with no head to start from, fail before any training', async () => {
    const session = { photos: realPhotoSet() } as unknown as Session;
    expectFailure(await trainingLoop(session, 'trainHead' as never, tm), /^Pass your loop function \(trainHead\)/);
    const inputs = tf.input({ shape: [4] });
    const headless = tf.model({ inputs, outputs: tf.layers.dense({ units: 2 }).apply(inputs) as tf.SymbolicTensor });
    expectFailure(
      await trainingLoop(session, async () => [], headless),
      /^The model has no Dense layer from the 256 pooled features to 3 labels/,
    );
    for (const notAModel of [null, 'model', {}])
      expectFailure(
        await trainingLoop(session, async () => [], notAModel as never),
        /^The model has no Dense layer from the 256 pooled features to 3 labels/,
      );
  });
});
