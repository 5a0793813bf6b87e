/**
 * The freeze-point sweep (src/ml/freeze-sweep.ts) on the real model and photos, in a small configuration: a few
 * photos per class, two freeze points, two seeds, one epoch. What it must get right: one run per point and seed,
 * each from a fresh copy of the head checkpoint; the pooled count and the mean over seeds agree with the runs;
 * the same seed repeats its result; bad input is refused before anything trains; the comparison's unit is a photo.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../src/ml/checkpoint';
import type { PhotoSet } from '../../src/ml/dataset';
import {
  compareSweepPoints,
  freezeSweep,
  smallestSeparable,
  summarisePoint,
  type SweepRun,
} from '../../src/ml/freeze-sweep';
import type { RunRecord } from '../../src/ml/runs';
import type { TransferModel } from '../../src/ml/surgery';
import { nodeLoadIO } from '../../src/platform/node';
import { figureKey, sweepFigures } from '../../src/workbook/freeze-sweep';
import { loadRealModel, photoSubset, realPhotoSet } from '../helpers/training';

const HEAD = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../public/checkpoints/head');

describe('freezeSweep on the real model and photos', () => {
  let base: tf.LayersModel;
  let photos: PhotoSet;
  let starts = 0;
  const start = async (): Promise<TransferModel> => {
    starts++;
    return (await loadCheckpoint(nodeLoadIO(HEAD), base)).model;
  };
  beforeAll(async () => {
    base = await loadRealModel();
    photos = photoSubset(realPhotoSet(), { train: 8, validation: 6 });
  });

  it('trains every point with every seed from a fresh start, and summarises each point from its runs', async () => {
    starts = 0;
    const tensors = tf.memory().numTensors;
    const points = await freezeSweep(start, photos, ['global_average_pooling2d_1', 'conv_pw_12_relu'], {
      seeds: [1, 2],
      epochs: 1,
    });
    expect(starts).toBe(4);
    expect(points.map((p) => p.freezeAt)).toEqual(['global_average_pooling2d_1', 'conv_pw_12_relu']);
    expect(points.map((p) => p.firstTrainable)).toEqual(['head_logits', 'conv_dw_13']);
    expect(points[0]!.trainableParams).toBe(771);
    expect(points[1]!.trainableParams).toBeGreaterThan(771);
    for (const p of points) {
      expect(p.runs.map((r) => r.seed)).toEqual([1, 2]);
      for (const r of p.runs) {
        expect(r.total).toBe(18);
        expect(r.right).toHaveLength(18);
        expect(r.correct).toBe(r.right.filter(Boolean).length);
        // The photo-by-photo score agrees with the trainer's own validation accuracy.
        expect(r.correct / r.total).toBeCloseTo(r.record.history.at(-1)!.valAcc, 6);
        expect(r.record.freezeAt).toBe(p.freezeAt);
        expect(r.record.seed).toBe(r.seed);
      }
      expect(p.pooled.correct).toBe(p.runs[0]!.correct + p.runs[1]!.correct);
      expect(p.pooled.total).toBe(36);
      expect(p.pooled.low).toBeLessThanOrEqual(p.pooled.estimate);
      expect(p.pooled.high).toBeGreaterThanOrEqual(p.pooled.estimate);
      expect(p.mean.estimate).toBeCloseTo(p.pooled.estimate, 10);
      expect(p.mean.runs).toBe(2);
      expect(p.secondsPerEpoch).toBeGreaterThan(0);
    }
    // Fine-tuning a block costs more per epoch than training the head on cached features.
    expect(points[1]!.secondsPerEpoch).toBeGreaterThan(points[0]!.secondsPerEpoch);
    expect(tf.memory().numTensors).toBe(tensors);

    // The same seed gives the same run.
    const again = await freezeSweep(start, photos, ['conv_pw_12_relu'], { seeds: [2, 1], epochs: 1 });
    expect(again[0]!.runs.find((r) => r.seed === 1)!.right).toEqual(points[1]!.runs[0]!.right);

    const figures = sweepFigures(points);
    expect(figures['conv_pw_12_relu.valCorrect']).toBe(points[1]!.pooled.correct);
    expect(figures['conv_pw_12_relu.valTotal']).toBe(36);
    expect(figures['conv_pw_12_relu.seed2.valCorrect']).toBe(points[1]!.runs[1]!.correct);
    expect(figures['smallest.photos']).toBe(6); // 2·(1/2)^6 < 0.05 ≤ 2·(1/2)^5, whatever the number of photos
    expect(figures['smallest.share']).toBe(6 / 18);
    expect(typeof figures['conv_pw_12_relu.vsFirst.better']).toBe('number');
  }, 300_000);

  it('refuses bad input before anything trains', async () => {
    starts = 0;
    const run = (points: Parameters<typeof freezeSweep>[2], seeds: number[] = [1, 2]) =>
      freezeSweep(start, photos, points, { seeds, epochs: 1 });
    await expect(run([])).rejects.toThrow('at least one freeze point');
    await expect(run(['conv_pw_12_relu'], [1])).rejects.toThrow('at least two seeds');
    await expect(run(['conv_pw_12_relu'], [])).rejects.toThrow('an empty list');
    await expect(run(['conv_pw_12_relu'], [3, 3])).rejects.toThrow('the seeds repeat');
    await expect(run(['conv_pw_99_relu'])).rejects.toThrow('no layer "conv_pw_99_relu"');
    await expect(run(['head_logits'])).rejects.toThrow(/is in the head/);
    await expect(run(['conv_pw_12_relu', 69 + 6])).rejects.toThrow(/same setting/);
    await expect(
      run([
        { freezeAt: 'conv_pw_12_relu', learningRate: 0.01 },
        { freezeAt: 'conv_pw_12_relu', learningRate: -1 },
      ]),
    ).rejects.toThrow('must be positive');
    // Seeds are checked before loading anything; the points, on the first model, which is then disposed.
    expect(starts).toBe(5);
  });
});

/** A run with given answers, for the pure parts. */
function fakeRun(label: string, seed: number, right: boolean[]): SweepRun {
  const record = { trainableParams: 1, secondsPerEpoch: 1, featureSeconds: 0 } as RunRecord;
  return { label, seed, record, right, correct: right.filter(Boolean).length, total: right.length };
}

describe('comparing sweep points, photo by photo', () => {
  const setting = (label: string) => ({ label, freezeAt: label, freezeIndex: 1, firstTrainable: 'x', learningRate: 1 });

  it('counts a photo for the point that got it right in more seeds, and tests that split', () => {
    const a = summarisePoint(setting('a'), [
      fakeRun('a', 1, [true, true, true, false]),
      fakeRun('a', 2, [true, true, false, false]),
    ]);
    const b = summarisePoint(setting('b'), [
      fakeRun('b', 1, [true, false, false, true]),
      fakeRun('b', 2, [true, false, true, false]),
    ]);
    const c = compareSweepPoints(a, b);
    // Photo 0: tie. Photo 1: a 2, b 0. Photo 2: a 1, b 1 (tie). Photo 3: a 0, b 1.
    expect(c).toMatchObject({ photosBetterA: 1, photosBetterB: 1, pValue: 1, insideNoise: true });
    expect(c.difference).toBeCloseTo(5 / 8 - 4 / 8, 10);
  });

  it('separates a gap of many photos, and refuses points with other seeds', () => {
    const all = (v: boolean) => Array.from({ length: 20 }, () => v);
    const good = summarisePoint(setting('good'), [fakeRun('good', 1, all(true)), fakeRun('good', 2, all(true))]);
    const bad = summarisePoint(setting('bad'), [fakeRun('bad', 1, all(false)), fakeRun('bad', 2, all(false))]);
    expect(compareSweepPoints(good, bad)).toMatchObject({ photosBetterA: 20, photosBetterB: 0, insideNoise: false });
    const other = summarisePoint(setting('other'), [fakeRun('o', 1, all(true)), fakeRun('o', 3, all(true))]);
    expect(() => compareSweepPoints(good, other)).toThrow('different seeds');
  });

  it('knows the smallest gap 78 photos can separate: 6 photos, 7.7 points', () => {
    expect(smallestSeparable(78)).toEqual({ photos: 6, share: 6 / 78 });
    expect(figureKey('conv_pw_11_relu, lr 0.01')).toBe('conv_pw_11_relu_lr_0_01');
  });
});
