/**
 * The lessons' first promise: with the pre-trained base frozen, a new 3-way head learns cat / dog / other from the 234
 * training photos, far above chance (a third) and the largest class (29 of 78), and repeats the recorded `head`
 * solution checkpoint (public/checkpoints/head, trained by `npm run checkpoints` with these settings). The base runs once per photo (cached activations);
 * the epochs after that train 771 weights and take milliseconds.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PhotoSet } from '../../src/ml/dataset';
import { evaluate, predictImage } from '../../src/ml/evaluate';
import { type RunRecord, RunsTable } from '../../src/ml/runs';
import { buildTransferModel, paramCounts, type TransferModel } from '../../src/ml/surgery';
import { train } from '../../src/ml/train';
import { readPhoto } from '../../src/platform/node';
import { loadRealModel, realPhotoSet } from '../helpers/training';

describe('a new head on the frozen MobileNet', () => {
  let base: tf.LayersModel;
  let photos: PhotoSet;
  let tm: TransferModel;
  let record: RunRecord;
  let batches = 0;
  const epochs: number[] = [];
  beforeAll(async () => {
    base = await loadRealModel();
    photos = realPhotoSet();
    tm = buildTransferModel(base, { l2: 0.01, seed: 1 });
    const start = tf.memory().numTensors;
    record = await train(tm, photos, {
      name: 'head',
      epochs: 100,
      learningRate: 0.01,
      schedule: 'cosine',
      seed: 1,
      onBatch: () => batches++,
      onEpoch: (m) => epochs.push(m.valAcc),
    });
    expect(tf.memory().numTensors).toBe(start);
    console.log(
      `[head] features of 390 photos: ${record.featureSeconds.toFixed(1)} s; ${record.secondsPerEpoch.toFixed(3)} s per epoch (${record.backend}); final valAcc ${record.history.at(-1)!.valAcc.toFixed(3)}`,
    );
  }, 300_000);

  it('trains only the 3-way head: 256·3 + 3 weights', () => {
    expect(record.trainableParams).toBe(771);
    expect(paramCounts(tm.model)).toMatchObject({ trainable: 771, frozen: 218_544, movingStats: 0 });
    expect(record.freezeAt).toBe('global_average_pooling2d_1');
  });

  it('reaches at least 80 % validation accuracy and repeats the recorded head checkpoint', () => {
    const last = record.history.at(-1)!;
    // 80 % is the Wilson lower bound of the checkpoint's 68/78: a trainer that learns nothing sits near 37 %.
    expect(last.valAcc).toBeGreaterThanOrEqual(0.8);
    // Same seed, settings and backend as the checkpoint: the same photos right, give or take one (float rounding of
    // the frozen prefix may move a photo that sits on a decision boundary).
    const recorded = JSON.parse(readFileSync('public/checkpoints/head/run.json', 'utf8')).record.history.at(-1).valAcc;
    expect(Math.abs(last.valAcc - recorded) * 78).toBeLessThanOrEqual(1.01);
    expect(last.acc).toBeGreaterThan(last.valAcc - 0.02); // it learned the training photos at least as well
    expect(record.history[0]!.loss).toBeGreaterThan(last.loss);
  });

  it('streamed every batch and epoch', () => {
    expect(batches).toBe(100 * Math.ceil(photos.select('train').length / 16));
    expect(epochs).toEqual(record.history.map((h) => h.valAcc));
  });

  it('evaluates through the whole network to the accuracy training reported', async () => {
    const result = await evaluate(tm, photos);
    expect(result.accuracy).toBeCloseTo(record.history.at(-1)!.valAcc, 6);
    expect(result.confusion.map((row) => row.reduce((a, b) => a + b, 0))).toEqual([24, 25, 29]);
    expect(result.misclassified).toHaveLength(Math.round(78 * (1 - result.accuracy)));
    expect(result.misclassified.every((m) => m.predicted !== m.label)).toBe(true);
    for (const c of result.perClass) {
      expect(c.recall).toBeGreaterThan(0.75);
      expect(c.precision).toBeGreaterThan(0.75);
    }
    expect(result.predictions.every((p) => Math.abs(p.scores.reduce((a, b) => a + b, 0) - 1) < 1e-5)).toBe(true);
  });

  it('gives probabilities per label for a single uploaded photo', async () => {
    const scores = await predictImage(tm, await readPhoto('dog/pug_112.jpg'), photos.labels);
    expect(scores.map((s) => s.label).sort()).toEqual(['cat', 'dog', 'other']);
    expect(scores[0]!.label).toBe('dog');
    expect(scores.reduce((a, s) => a + s.probability, 0)).toBeCloseTo(1, 5);
  });

  it('summarises runs for a comparison table', () => {
    const table = new RunsTable();
    table.add(record);
    const [row] = table.rows();
    expect(row).toMatchObject({
      name: 'head',
      freezeAt: 'global_average_pooling2d_1',
      trainableParams: 771,
      epochs: 100,
      backend: 'wasm',
      stopped: false,
    });
    // Best and final read off the history: the highest validation accuracy and the first epoch that reached it.
    const valAccs = record.history.map((h) => h.valAcc);
    const bestValAcc = Math.max(...valAccs);
    expect(row).toMatchObject({
      finalValAcc: valAccs.at(-1),
      bestValAcc,
      bestEpoch: valAccs.indexOf(bestValAcc),
      finalLoss: record.history.at(-1)!.loss,
    });
    // best() picks the highest final validation accuracy among several runs, wherever it sits in the table.
    const worse = (name: string, by: number): RunRecord => ({
      ...record,
      name,
      history: record.history.map((h) => ({ ...h, valAcc: h.valAcc - by })),
    });
    table.add(worse('worse', 0.05));
    const first = new RunsTable();
    first.add(worse('much worse', 0.2));
    first.add(record);
    first.add(worse('worse', 0.01));
    expect(table.best()).toBe(record);
    expect(first.best()).toBe(record);
  });
});
