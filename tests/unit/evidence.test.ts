/**
 * The evidence engines on the real model and photos: linear probes at block ends (ImageNet vs the same network
 * randomly initialised), accuracy against training-set size, BatchNorm drift under a naive fit, and the test-look
 * ledger. Pooled features are computed once per network and shared, so every probe after that costs milliseconds.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhotoSet } from '../../src/ml/dataset';
import { dataEfficiency, subsetPerClass } from '../../src/ml/data-efficiency';
import {
  BLOCK_ENDS,
  checkProbeLayers,
  randomBaseline,
  randomlyInitialised,
  type PooledFeatures,
} from '../../src/ml/pooled-features';
import { fitLinearProbe, probeDepths, probeFeatures, scoreProbe } from '../../src/ml/probe';
import { pairedComparison } from '../../src/ml/stats';
import { buildTransferModel } from '../../src/ml/surgery';
import { evaluateTest, SecondLookError, TestLookLedger } from '../../src/ml/test-look';
import { bnDrift } from '../../src/ml/bn-drift';
import { loadRealModel, photoSubset, realPhotoSet } from '../helpers/training';

const PROBED = ['conv1_relu', 'conv_pw_3_relu', 'conv_pw_13_relu'];

describe('linear probes and data efficiency, ImageNet vs random weights', () => {
  let imagenet: tf.LayersModel;
  let random: tf.LayersModel;
  let photos: PhotoSet;
  let fImagenet: PooledFeatures;
  let fRandom: PooledFeatures;
  beforeAll(async () => {
    imagenet = await loadRealModel();
    photos = realPhotoSet();
    random = await randomBaseline(imagenet, photos, 1);
    fImagenet = await probeFeatures(imagenet, photos, PROBED);
    fRandom = await probeFeatures(random, photos, PROBED);
  }, 120_000);
  afterAll(() => random?.dispose());

  it('builds the same architecture with fresh seeded weights', async () => {
    expect(random.layers.map((l) => l.name)).toEqual(imagenet.layers.map((l) => l.name));
    const kernel = (m: tf.LayersModel) => m.getLayer('conv_pw_13').getWeights()[0]!.dataSync();
    expect(kernel(random)).not.toEqual(kernel(imagenet));
    const again = await randomlyInitialised(imagenet, 1);
    const other = await randomlyInitialised(imagenet, 2);
    expect(kernel(again)).toEqual(kernel(random));
    expect(kernel(other)).not.toEqual(kernel(random));
    again.dispose();
    other.dispose();
    // Calibrated BatchNorm keeps the random network's deep features alive: photos differ at block 13.
    const rows = fRandom.features['conv_pw_13_relu']!;
    const spread = Math.max(
      ...Array.from(rows[0]!, (_, j) => Math.max(...rows.map((r) => r[j]!)) - Math.min(...rows.map((r) => r[j]!))),
    );
    expect(spread).toBeGreaterThan(0.01);
  });

  it('finds ImageNet features far better than random ones at block 13, and better than its own stem', async () => {
    const a = await probeDepths(imagenet, photos, { features: fImagenet });
    const b = await probeDepths(random, photos, { features: fRandom });
    expect(a.map((d) => d.block)).toEqual(['stem', 'block 3', 'block 13']);
    expect(a.map((d) => d.features)).toEqual([8, 32, 256]);
    const [stem, , last] = a;
    expect(last!.total).toBe(78);
    expect(last!.interval.low).toBeLessThan(last!.accuracy);
    expect(last!.interval.high).toBeGreaterThan(last!.accuracy);
    // Not a close call: the paired test on the same 78 photos says the gap is beyond noise.
    expect(pairedComparison(last!.right, b[2]!.right).insideNoise).toBe(false);
    expect(last!.accuracy).toBeGreaterThan(0.8);
    expect(last!.accuracy).toBeGreaterThan(stem!.accuracy + 0.15);
  });

  it('refuses a layer that does not exist or cannot be pooled', () => {
    expect(() => checkProbeLayers(imagenet, ['conv_pw_14_relu'])).toThrow(
      'no layer "conv_pw_14_relu" in mobilenet_0.25_224',
    );
    expect(() => checkProbeLayers(imagenet, ['reshape_2'])).toThrow(
      'layer "reshape_2" gives [, 1000], not an image-like [batch, h, w, c] map',
    );
    expect(() => checkProbeLayers(imagenet, [])).toThrow('no layers to probe');
    expect(BLOCK_ENDS).toHaveLength(14);
  });

  it('is a seeded, repeatable fit', () => {
    const rows = fImagenet.features['conv_pw_13_relu']!.slice(0, 60);
    const y = fImagenet.photos.slice(0, 60).map((p) => photos.classIndex(p.label));
    const one = fitLinearProbe(rows, y, 3, { epochs: 20, seed: 4 });
    const two = fitLinearProbe(rows, y, 3, { epochs: 20, seed: 4 });
    expect(one.predict(rows[0]!)).toEqual(two.predict(rows[0]!));
    expect(scoreProbe(one, rows, y).correct).toBeGreaterThan(50); // it learns its own training rows
    expect(() => fitLinearProbe(rows, y.slice(1), 3)).toThrow(
      'a probe needs one label per example: 60 examples, 59 labels',
    );
  });

  it('needs fewer photos with ImageNet features: at 5 per class they beat random features at every size', () => {
    const sizes = [5, 'all'] as const;
    const a = dataEfficiency(fImagenet, photos, { sizes, seeds: [1, 2, 3] });
    const b = dataEfficiency(fRandom, photos, { sizes, seeds: [1, 2, 3] });
    expect(a.map((p) => p.trainPhotos)).toEqual([15, 234]);
    expect(a[0]!.runs).toHaveLength(3);
    expect(a[0]!.mean.low).toBeLessThanOrEqual(a[0]!.mean.estimate);
    expect(a[0]!.mean.estimate).toBeGreaterThan(b[1]!.mean.estimate);
  });

  it('draws different seeded subsets of exactly the size asked, and refuses impossible sizes', () => {
    const train = photos.select('train');
    const s1 = subsetPerClass(train, photos.labels, 5, 1);
    expect(s1.size).toBe(15);
    expect(subsetPerClass(train, photos.labels, 5, 2)).not.toEqual(s1);
    expect(() => dataEfficiency(fImagenet, photos, { sizes: [80] })).toThrow(
      '80 photos per class is more than the 72 training photos of "cat"; the largest size is 72',
    );
    expect(() => dataEfficiency(fImagenet, photos, { sizes: [0] })).toThrow(
      'a training-set size must be a positive whole number of photos per class',
    );
    expect(() => dataEfficiency(fImagenet, photos, { seeds: [] })).toThrow(
      'data efficiency needs at least two seeds for an interval, got an empty list',
    );
  });
});

describe('the test photos: scored once, a second look said out loud', () => {
  it('scores the 78 test photos, records the look and refuses a silent second look', async () => {
    const base = await loadRealModel();
    const photos = realPhotoSet();
    const tm = buildTransferModel(base, { seed: 1 }); // an untrained head: the ledger, not the score, is tested here
    const ledger = new TestLookLedger();
    const first = await evaluateTest(tm, photos, ledger, { name: 'untrained head', now: 1 });
    expect(first.total).toBe(78);
    expect(first.look).toBe(1);
    expect(first.secondLook).toBe(false);
    expect(first.predictions.every((p) => photos.select('test').some((t) => t.file === p.file))).toBe(true);
    await expect(evaluateTest(tm, photos, ledger, { name: 'again' })).rejects.toThrow(SecondLookError);
    await expect(evaluateTest(tm, photos, ledger, { name: 'again' })).rejects.toThrow(
      /already scored \(once; first: "untrained head", \d+\/78\)\. A second look no longer measures new photos/,
    );
    const second = await evaluateTest(tm, photos, TestLookLedger.fromJSON(JSON.parse(JSON.stringify(ledger))), {
      name: 'again',
      acknowledgeSecondLook: true,
    });
    expect(second.look).toBe(2);
    expect(second.secondLook).toBe(true);
    expect(second.correct).toBe(first.correct);
    expect(() => TestLookLedger.fromJSON({})).toThrow('a test-look ledger is stored as an array of looks');
    tm.model.dispose();
    base.dispose();
  }, 60_000);
});

describe("BatchNorm drift: a naive fit moves the frozen base's statistics, the workbook's freeze does not", () => {
  it('moves moving means and variances (only those) in training mode, nothing in inference mode', async () => {
    const base = await loadRealModel();
    const small = photoSubset(realPhotoSet(), { train: 8, validation: 4 }); // 24 training photos: two steps
    const before = base.getWeights().map((w) => w.dataSync().slice());
    const report = await bnDrift(base, small, { epochs: 1, batchSize: 12 });
    expect(report.drift).toHaveLength(27); // conv1_bn and the 13 blocks' two BN layers
    expect(report.drift.every((d) => d.meanShift > 0 && d.logVarianceChange > 0)).toBe(true);
    expect(report.largestShift.meanShift).toBe(Math.max(...report.drift.map((d) => d.meanShift)));
    expect(report.trainedWeightsUnchanged).toBe(true);
    expect(report.inferenceModeChange).toBe(0);
    expect(report.naive.total).toBe(12);
    expect(report.inferenceMode.total).toBe(12);
    // The model handed in is never touched: bnDrift works on copies.
    expect(base.getWeights().map((w) => w.dataSync().slice())).toEqual(before);
    await expect(bnDrift(base, small, { featureLayer: 'conv_pw_14_relu' })).rejects.toThrow(/conv_pw_14_relu/);
    base.dispose();
  }, 120_000);
});
