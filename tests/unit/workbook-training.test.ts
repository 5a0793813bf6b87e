/**
 * The training side of the `wb` facade in Node, on the real MobileNet and real photos: the fast evaluation path
 * (cached, BatchNorm-folded activations + the trained layers) gives what the whole network gives; and the named
 * checks of lessons 5–8 pass right answers and refuse wrong ones with the message a learner needs.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PhotoSet } from '../../src/ml/dataset';
import { evaluate, predictTransfer, summarize } from '../../src/ml/evaluate';
import { buildTransferModel, freezeUpTo, type TransferModel } from '../../src/ml/surgery';
import { train } from '../../src/ml/train';
import { activationCacheFor, DEFAULT_PREFIX } from '../../src/ml/activation-cache';
import { frozenUpTo, recallOf, validationAccuracy } from '../../lessons/05-freeze-and-train/checks';
import { batchNormUnchanged } from '../../lessons/06-choose-the-freeze-point/checks';
import { sameAnswers } from '../../lessons/08-your-turn/checks';
import { describeFreezePoint, withFinalFigures } from '../../src/workbook/training';
import { evaluationFrom } from '../helpers/evaluation';
import { loadRealModel, photoSubset, realPhotoSet } from '../helpers/training';

let base: tf.LayersModel;
let photos: PhotoSet;

beforeAll(async () => {
  base = await loadRealModel();
  photos = photoSubset(realPhotoSet(), { train: 8, validation: 6 });
}, 120_000);

/** Moving mean and variance of the frozen BatchNorm layers (the lesson 6 solution). */
function frozenStats(m: tf.LayersModel): number[][] {
  return m.layers
    .filter((l) => l.getClassName() === 'BatchNormalization' && !l.trainable)
    .flatMap((l) =>
      l
        .getWeights()
        .slice(2)
        .map((w) => Array.from(w.dataSync())),
    );
}

describe('evaluation on cached, folded activations', () => {
  it('gives the whole network’s probabilities, for a trained head and for fine-tuned blocks', async () => {
    const tm = buildTransferModel(base, { seed: 3 });
    const cache = activationCacheFor(base, photos, DEFAULT_PREFIX);
    await train(tm, photos, { epochs: 3, learningRate: 0.01, cache });
    await train(tm, photos, {
      epochs: 1,
      freezeAt: 'conv_pw_12_relu',
      learningRate: 0.0003,
      cache,
      batchNorm: 'inference',
    });
    expect(tm.modifiedFrom).toBe(tm.model.layers.findIndex((l) => l.name === 'conv_pw_12_relu') + 1);
    const entries = photos.select('validation');
    const fast = await predictTransfer(tm, photos, entries);
    const full = await evaluate(tm, photos);
    const diff = Math.max(
      ...fast.flatMap((row, i) => row.map((p, j) => Math.abs(p - full.predictions[i]!.scores[j]!))),
    );
    expect(diff).toBeLessThan(1e-4);
    expect(summarize(tm.labels, entries, fast).confusion).toEqual(full.confusion);
    tm.model.dispose();
  }, 120_000);
});

describe('lesson checks', () => {
  let tm: TransferModel;
  beforeAll(() => {
    tm = buildTransferModel(base, { seed: 1 });
  });

  it('frozenUpTo: all trainable, all frozen, one off, and right', () => {
    expect(frozenUpTo(tm, tm.cutAt)).toMatchObject({
      pass: false,
      message: expect.stringContaining('Every layer is still trainable'),
    });
    tm.model.layers.forEach((l) => (l.trainable = false));
    expect(frozenUpTo(tm, tm.cutAt)).toMatchObject({
      pass: false,
      message: expect.stringContaining('the new head too'),
    });
    freezeUpTo(tm, tm.cutAt);
    tm.model.getLayer('conv_pw_13').trainable = true;
    expect(frozenUpTo(tm, tm.cutAt)).toMatchObject({ pass: false, message: expect.stringContaining('conv_pw_13') });
    freezeUpTo(tm, tm.cutAt);
    const ok = frozenUpTo(tm, tm.cutAt);
    expect(ok.pass).toBe(true);
    expect(ok.message).toContain('771 trainable weights');
    expect(frozenUpTo(tm, 'no_such_layer').pass).toBe(false);
  });

  it('batchNormUnchanged: empty, too many, changed, unchanged', () => {
    freezeUpTo(tm, 'conv_pw_12_relu');
    const before = frozenStats(tm.model);
    expect(batchNormUnchanged(tm, [], []).message).toContain('empty');
    const all = tm.model.layers
      .filter((l) => l.getClassName() === 'BatchNormalization')
      .flatMap((l) =>
        l
          .getWeights()
          .slice(2)
          .map((w) => Array.from(w.dataSync())),
      );
    expect(batchNormUnchanged(tm, all, all).hints[0]).toContain('skip trainable layers');
    const altered = before.map((row, i) => (i === 0 ? row.map((v) => v + 1) : row));
    expect(batchNormUnchanged(tm, altered, frozenStats(tm.model))).toMatchObject({
      pass: false,
      message: expect.stringContaining('changed'),
    });
    const ok = batchNormUnchanged(tm, before, frozenStats(tm.model));
    expect(ok.pass).toBe(true);
    expect(ok.message).toContain('25 frozen BatchNorm layers');
  });

  it('recall: right, the precision instead, and a wrong number', () => {
    const ev = evaluationFrom([
      [21, 1, 2],
      [1, 24, 0],
      [2, 1, 26],
    ]);
    expect(recallOf(ev, 'other', 26 / 29).pass).toBe(true);
    expect(recallOf(ev, 'other', 26 / 28).message).toContain('is the precision of other');
    expect(recallOf(ev, 'other', 0).hints[0]).toContain('Recall: of the photos that ARE this label');
    expect(recallOf(ev, 'bird', 0.5).pass).toBe(false);
  });

  it('validationAccuracy and sameAnswers', () => {
    const history = [{ epoch: 0, loss: 0.5, acc: 0.95, valLoss: 0.4, valAcc: 0.91, seconds: 0.1 }];
    const run = withFinalFigures({ history, epochs: 1 } as never);
    expect(validationAccuracy(run, 0.9).pass).toBe(true);
    expect(validationAccuracy(run, 0.95).message).toContain('the goal is 95 %');
    expect(validationAccuracy({ history: [] } as never, 0.9).message).toContain('before its first epoch');
    const scores = [
      { label: 'cat', probability: 0.9 },
      { label: 'dog', probability: 0.1 },
    ];
    expect(sameAnswers(scores, null).hints[1]).toContain('wb.loadExported'); // rung 2 of 3: the API, after the idea
    expect(sameAnswers(scores, [...scores].reverse()).pass).toBe(true);
    expect(
      sameAnswers(scores, [
        { label: 'cat', probability: 0.8 },
        { label: 'dog', probability: 0.2 },
      ]).pass,
    ).toBe(false);
  });

  it('describes freeze points in blocks', () => {
    expect(describeFreezePoint(tm, tm.cutAt)).toBe('head only');
    expect(describeFreezePoint(tm, 'conv_pw_12_relu')).toBe('block 13 + head');
    expect(describeFreezePoint(tm, 'conv_pw_11_relu')).toBe('blocks 12–13 + head');
    expect(describeFreezePoint(tm, 0)).toBe('everything');
  });
});
