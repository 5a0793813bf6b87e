/**
 * The freeze-point sweep (src/ml/freeze-sweep.ts) on the real model and photos, in a small configuration: a few
 * photos per class, two freeze points, two seeds, one epoch. What it must get right: one run per point and seed,
 * each from a fresh copy of the head checkpoint; the pooled count and the mean over seeds agree with the runs;
 * the same seed repeats its result; only the earliest point reads the photos (the later ones continue from its
 * cached activations) while the points come back in the learner's order; bad input is refused before anything
 * trains; the comparison's unit is a photo.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ActivationCache, activationCacheFor, DEFAULT_PREFIX, prefixFactory } from '../../src/ml/activation-cache';
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

  it('trains the earliest point first, so only it reads the photos; the later points continue from its activations', async () => {
    // A photo set of its own, so the shared cache starts empty and its counters are this sweep's alone.
    const own = photoSubset(realPhotoSet(), { train: 8, validation: 6 });
    const cache = activationCacheFor(base, own, DEFAULT_PREFIX);
    const photoCount = own.select('train').length + own.select('validation').length;
    const reported: string[] = [];
    const fractions: number[] = [];
    // The learner's order: the head first, as lesson 6 lists its freeze points.
    const learnerOrder = ['global_average_pooling2d_1', 'conv_pw_12_relu', 'conv_pw_11_relu'];
    const points = await freezeSweep(start, own, learnerOrder, {
      seeds: [1, 2],
      epochs: 1,
      onRun: (run, done, total) => reported.push(`${run.label} ${run.seed} ${done}/${total}`),
      onProgress: (fraction) => fractions.push(fraction),
    });
    // Photos went through the 11 blocks once, for conv_pw_11_relu; conv_pw_12_relu came from those activations
    // (block 12 only), and the head point's from conv_pw_12_relu's (block 13 and the pooling). Head first, every
    // point would have read the photos: 3 × photoCount from photos, none continued.
    expect(cache.stats).toMatchObject({ fromPhotos: photoCount, fromEarlierLayer: 2 * photoCount });
    expect(points.map((p) => p.freezeAt)).toEqual(learnerOrder);
    expect(reported).toEqual([
      'conv_pw_11_relu 1 1/6',
      'conv_pw_11_relu 2 2/6',
      'conv_pw_12_relu 1 3/6',
      'conv_pw_12_relu 2 4/6',
      'global_average_pooling2d_1 1 5/6',
      'global_average_pooling2d_1 2 6/6',
    ]);
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1]!)).toBe(true);
    expect(fractions.at(-1)).toBe(1);
    for (const p of points) {
      expect(p.runs.map((r) => [r.label, r.seed, r.record.freezeAt])).toEqual([
        [p.label, 1, p.freezeAt],
        [p.label, 2, p.freezeAt],
      ]);
      // The point's first seed paid for its activations (a continuation still computes), the second found them.
      expect(p.runs[0]!.record.featureSeconds).toBeGreaterThan(p.runs[1]!.record.featureSeconds);
    }
    // Continued activations are the same function as activations computed from the photos (the folded prefix),
    // to float tolerance: the head point trained on the right features.
    const fresh = new ActivationCache(base, own, { prefix: prefixFactory(DEFAULT_PREFIX), persistence: null });
    const entries = own.select('validation');
    const direct = await fresh.activations('global_average_pooling2d_1', entries);
    const continued = await cache.activations('global_average_pooling2d_1', entries);
    expect(fresh.stats.fromPhotos).toBe(entries.length);
    let worst = 0;
    direct.forEach((d, i) => d.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - continued[i]![j]!)))));
    expect(worst).toBeLessThan(1e-3);
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

  it('says exactly what is wrong: the seeds, a rate of 0, and the two labels of a repeated setting', async () => {
    const run = (points: Parameters<typeof freezeSweep>[2], seeds: number[] = [1, 2]) =>
      freezeSweep(start, photos, points, { seeds, epochs: 1 });
    const spread = 'a sweep needs at least two seeds per point, so each point has a spread; got';
    await expect(run(['conv_pw_12_relu'], [4])).rejects.toThrow(`${spread} only seed 4`);
    await expect(run(['conv_pw_12_relu'], [])).rejects.toThrow(`${spread} an empty list`);
    await expect(run(['conv_pw_12_relu'], [3, 1, 3])).rejects.toThrow('the seeds repeat (3, 1, 3): list each once');
    await expect(run([{ freezeAt: 'conv_pw_12_relu', learningRate: 0 }])).rejects.toThrow(
      'the learning rate of conv_pw_12_relu must be positive, not 0',
    );
    // A point's label is its layer's name, and ", lr <rate>" when it sets its own rate.
    await expect(run(['conv_pw_12_relu', 'conv_pw_12_relu'])).rejects.toThrow(
      '"conv_pw_12_relu" and "conv_pw_12_relu" are the same setting (layer 75, learning rate 0.0003): list each once',
    );
    await expect(
      run([
        { freezeAt: 'conv_pw_12_relu', learningRate: 0.01 },
        { freezeAt: 'conv_pw_12_relu', learningRate: 0.01 },
      ]),
    ).rejects.toThrow('"conv_pw_12_relu, lr 0.01" and "conv_pw_12_relu, lr 0.01" are the same setting');
  });

  it('trains with the lesson defaults: 2 epochs, cosine steps, BatchNorm in inference, each run named', async () => {
    const fractions: number[] = [];
    const [point] = await freezeSweep(start, photos, ['global_average_pooling2d_1'], {
      seeds: [1, 2],
      onProgress: (fraction) => fractions.push(fraction),
    });
    // One point, two seeds, two epochs each: progress after every epoch of every run (no onRun given: the count of
    // runs done must not depend on one).
    expect(fractions).toEqual([0.25, 0.5, 0.75, 1]);
    expect(point!.runs.map((r) => r.record.name)).toEqual([
      'global_average_pooling2d_1, seed 1',
      'global_average_pooling2d_1, seed 2',
    ]);
    for (const { record } of point!.runs) {
      expect(record.history).toHaveLength(2);
      expect([record.epochs, record.schedule, record.batchNorm, record.learningRate]).toEqual([
        2,
        'cosine',
        'inference',
        0.0003,
      ]);
    }
  }, 300_000);

  it('has seeds of its own when none are given (not an empty list): read before a point in the head is refused', async () => {
    // A point in the head is refused after the seeds are checked and one model is loaded, before anything trains:
    // the cheapest call that reads the default. An empty default would be refused first, for its seeds.
    await expect(freezeSweep(start, photos, ['head_logits'])).rejects.toThrow(
      'freeze point head_logits (layer 83) is in the head',
    );
  });

  it('ends a Stop pressed during the validation pass after the last epoch there, without reporting the run', async () => {
    const stop = new AbortController();
    const reported: number[] = [];
    const sweep = freezeSweep(start, photos, ['global_average_pooling2d_1'], {
      seeds: [1, 2],
      epochs: 1,
      signal: stop.signal,
      // Called after the last (only) epoch's validation: training is over, the photo-by-photo pass comes next.
      onProgress: () => stop.abort(),
      onRun: (run) => reported.push(run.seed),
    });
    await expect(sweep).rejects.toMatchObject({ name: 'AbortError' });
    // Had that pass run to its end, the first run would have been reported before the second one stopped.
    expect(reported).toEqual([]);
  }, 300_000);

  it('ends with an error, not a half-trained point, when its signal is aborted', async () => {
    const stop = new AbortController();
    stop.abort();
    await expect(
      freezeSweep(start, photos, ['global_average_pooling2d_1'], { seeds: [1, 2], epochs: 1, signal: stop.signal }),
    ).rejects.toThrow('the sweep was stopped');
  }, 300_000);
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

  it('summarises a point exactly: the first run’s trainable count, mean seconds per epoch, summed feature seconds', () => {
    const run = (seed: number, secondsPerEpoch: number, featureSeconds: number, trainableParams: number) => ({
      ...fakeRun('p', seed, [true, false]),
      record: { trainableParams, secondsPerEpoch, featureSeconds } as RunRecord,
    });
    const p = summarisePoint(setting('p'), [run(1, 2, 0.5, 771), run(2, 4, 0.25, 999), run(3, 6, 0, 999)]);
    expect([p.trainableParams, p.secondsPerEpoch, p.featureSeconds]).toEqual([771, 4, 0.75]);
  });

  it('refuses points scored on different photos, whichever of the two has the odd run', () => {
    const three = [true, false, true];
    const a = summarisePoint(setting('a'), [fakeRun('a', 1, three), fakeRun('a', 2, three)]);
    const shortA = summarisePoint(setting('a'), [fakeRun('a', 1, three), fakeRun('a', 2, [true, false])]);
    const shortB = summarisePoint(setting('b'), [fakeRun('b', 1, three), fakeRun('b', 2, [true])]);
    expect(() => compareSweepPoints(a, shortB)).toThrow('a and b were not scored on the same photos');
    expect(() => compareSweepPoints(shortA, a)).toThrow('a and a were not scored on the same photos');
    expect(compareSweepPoints(a, a)).toMatchObject({ photosBetterA: 0, photosBetterB: 0, difference: 0 });
  });

  it('refuses a point without runs with what is missing, not a TypeError, whether summarised or compared', () => {
    expect(() => summarisePoint(setting('p'), [])).toThrow(
      'a mean over seeds needs at least one run; the list of results is empty',
    );
    // Two points without runs (a recorded sweep's file may list such points): no photos, nothing to compare.
    const empty = (label: string) => ({
      ...summarisePoint(setting(label), [fakeRun(label, 1, [true]), fakeRun(label, 2, [true])]),
      runs: [],
    });
    expect(() => compareSweepPoints(empty('a'), empty('b'))).toThrow('a paired comparison needs at least one photo');
  });

  it('knows the smallest gap 78 photos can separate: 6 photos, 7.7 points', () => {
    expect(smallestSeparable(78)).toEqual({ photos: 6, share: 6 / 78 });
    expect(figureKey('conv_pw_11_relu, lr 0.01')).toBe('conv_pw_11_relu_lr_0_01');
  });
});
