/**
 * The with/without-augmentation study (augment-training.ts), pinned exactly on the real model and a few real photos:
 * copy k of training photo i is the pooled features of augmentImage under augmentationRandom(seed, i, k), across
 * batches of 16; each seed's two heads are exactly the probes fitted on the plain rows and on the plain plus the
 * augmented rows (labelled as their photo), scored on the same validation rows; the means, the progress counts, the
 * first seed's heads and the refusals are what the study says they are. augment.test.ts shows the study on more
 * photos; this file says what each number must be.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { augmentationRandom, augmentImage, referenceAugmentations, toInput, toPixels } from '../../src/ml/augment';
import { augmentedFeatures, headAsTransferModel, studyAugmentation } from '../../src/ml/augment-training';
import type { PhotoSet } from '../../src/ml/dataset';
import { imageToInput } from '../../src/ml/image';
import { MOBILENET_LAYERS } from '../../src/ml/layers';
import { fitLinearProbe, probeFeatures, scoreProbe, type LinearProbe } from '../../src/ml/probe';
import { meanInterval, pairedComparison } from '../../src/ml/stats';
import { loadRealModel, photoSubset, realPhotoSet } from '../helpers/training';

describe('augmented features and the study, exactly', () => {
  let base: tf.LayersModel;
  let full: PhotoSet;
  let pooled: tf.LayersModel;
  beforeAll(async () => {
    base = await loadRealModel();
    full = realPhotoSet();
    pooled = tf.model({ inputs: base.inputs, outputs: base.getLayer(MOBILENET_LAYERS.pooledFeatures).output });
  }, 600_000);

  /** The pooled features of copy k of `file`, photo `i` of the list, computed alone. */
  async function copyFeatures(photos: PhotoSet, file: string, seed: number, i: number, k: number) {
    const pixels = toPixels(imageToInput(await photos.image(file)));
    const input = tf.tidy(() =>
      toInput(augmentImage(referenceAugmentations, pixels, augmentationRandom(seed, i, k))).expandDims(0),
    );
    const y = pooled.predict(input) as tf.Tensor;
    const row = Array.from(await y.data());
    tf.dispose([pixels, input, y]);
    return row;
  }

  it('gives each photo its copies, drawn from (seed, photo, copy), batch after batch of 16', async () => {
    const photos = photoSubset(full, { train: 6, validation: 1 });
    const train = photos.select('train');
    expect(train).toHaveLength(18);
    const progress: number[] = [];
    const before = tf.memory().numTensors;
    const out = await augmentedFeatures(base, photos, train, referenceAugmentations, 2, 5, (n) => progress.push(n));
    expect(tf.memory().numTensors).toBe(before);
    expect(progress).toEqual([32, 4]);
    expect(out.map((rows) => rows.map((r) => r.length))).toEqual(train.map(() => [256, 256]));
    for (const [i, k] of [
      [0, 0],
      [0, 1],
      [15, 1],
      [16, 0],
      [17, 1],
    ] as const) {
      const want = await copyFeatures(photos, train[i]!.file, 5, i, k);
      const got = Array.from(out[i]![k]!);
      expect(Math.max(...got.map((v, j) => Math.abs(v - want[j]!)))).toBeLessThan(1e-4);
    }
    // Two copies of a photo differ; so do the same photo's copies under another seed.
    expect(out[0]![0]).not.toEqual(out[0]![1]);
    const other = await augmentedFeatures(base, photos, train.slice(0, 1), referenceAugmentations, 1, 6);
    expect(other[0]![0]).not.toEqual(out[0]![0]);
  }, 600_000);

  it('ends after a full last batch: 16 photos are one batch, not one and an empty one', async () => {
    const photos = photoSubset(full, { train: 6, validation: 1 });
    const sixteen = photos.select('train').slice(0, 16);
    const progress: number[] = [];
    const out = await augmentedFeatures(base, photos, sixteen, referenceAugmentations, 1, 5, (n) => progress.push(n));
    expect(progress).toEqual([16]);
    expect(out.map((rows) => rows.length)).toEqual(sixteen.map(() => 1));
  }, 600_000);

  it('stops between batches when its signal aborts', async () => {
    const photos = photoSubset(full, { train: 6, validation: 1 });
    const stop = new AbortController();
    stop.abort();
    await expect(
      augmentedFeatures(base, photos, photos.select('train'), referenceAugmentations, 1, 1, () => {}, stop.signal),
    ).rejects.toThrow(/abort/i);
  });

  it('fits each seed’s two heads exactly as probes on the plain and the plain + augmented rows', async () => {
    const photos = photoSubset(full, { train: 4, validation: 2 });
    const [train, validation] = [photos.select('train'), photos.select('validation')];
    // The last block's output, pooled: the same features as the pooling layer's.
    const features = await probeFeatures(base, photos, ['conv_pw_13_relu']);
    const plain = new Map(features.photos.map((p, i) => [p.file, features.features['conv_pw_13_relu']![i]!]));
    const calls: [number, number][] = [];
    const started = performance.now();
    const study = await studyAugmentation(base, photos, plain, referenceAugmentations, {
      copies: 1,
      seeds: [3, 4],
      epochs: 5,
      onProgress: (done, total) => calls.push([done, total]),
    });
    const wall = (performance.now() - started) / 1000;
    expect(calls).toEqual([
      [12, 24],
      [24, 24],
    ]);
    expect([study.copies, study.trainPhotos, study.validationPhotos]).toEqual([1, 12, 6]);
    expect(study.seconds).toBeGreaterThan(0);
    expect(study.seconds).toBeLessThanOrEqual(wall);

    const [trainX, valX] = [train.map((e) => plain.get(e.file)!), validation.map((e) => plain.get(e.file)!)];
    const [trainY, valY] = [photos.classIndices(train), photos.classIndices(validation)];
    const heads: LinearProbe[] = [];
    for (const [s, seed] of [3, 4].entries()) {
      const extra = await augmentedFeatures(base, photos, train, referenceAugmentations, 1, seed);
      const plainHead = fitLinearProbe(trainX, trainY, 3, { epochs: 5, seed });
      const augHead = fitLinearProbe([...trainX, ...extra.flat()], [...trainY, ...trainY], 3, { epochs: 5, seed });
      heads.push(plainHead, augHead);
      const [p, a] = [scoreProbe(plainHead, valX, valY), scoreProbe(augHead, valX, valY)];
      expect(study.seeds[s]).toEqual({ seed, plain: p, augmented: a, paired: pairedComparison(p.right, a.right) });
    }
    expect(study.plain).toEqual(meanInterval(study.seeds.map((s) => s.plain.accuracy)));
    expect(study.augmented).toEqual(meanInterval(study.seeds.map((s) => s.augmented.accuracy)));
    // The heads kept are the first seed's.
    expect(study.heads.plain.predict(valX[0]!)).toEqual(heads[0]!.predict(valX[0]!));
    expect(study.heads.augmented.predict(valX[0]!)).toEqual(heads[1]!.predict(valX[0]!));
    expect(study.heads.augmented.predict(valX[0]!)).not.toEqual(heads[3]!.predict(valX[0]!));
  }, 600_000);

  it('refuses copies that are not a positive integer, a single seed, and a photo without features', async () => {
    const photos = photoSubset(full, { train: 1, validation: 1 });
    const none = new Map<string, Float32Array>();
    const study = (options: Parameters<typeof studyAugmentation>[4]) =>
      studyAugmentation(base, photos, none, referenceAugmentations, options);
    await expect(study({ copies: 0 })).rejects.toThrow('copies must be a positive integer, got 0');
    await expect(study({ copies: 1.5 })).rejects.toThrow('copies must be a positive integer, got 1.5');
    await expect(study({ seeds: [1] })).rejects.toThrow('an augmentation study needs at least two seeds, got 1');
    const first = photos.select('train')[0]!.file;
    await expect(study({ copies: 1 })).rejects.toThrow(
      `no pooled features for ${first}: compute the features of every photo first`,
    );
  });

  it('folds a probe into a Dense head: kernel w / scale, bias b − Σ mean · w / scale', () => {
    const d = 256;
    const probe: LinearProbe = {
      mean: Float32Array.from({ length: d }, (_, j) => j / d),
      scale: Float32Array.from({ length: d }, (_, j) => 1 + (j % 4)),
      weights: Array.from({ length: d }, (_, j) => Float64Array.from([j / 100, -j / 200, (j % 3) / 10])),
      bias: Float64Array.from([0.5, -0.5, 0.25]),
      predict: () => [],
    };
    const before = tf.memory().numTensors;
    const tm = headAsTransferModel(base, probe);
    const [kernel, bias] = tm.model.getLayer('head_logits').getWeights();
    const k = kernel!.arraySync() as number[][];
    const b = Array.from(bias!.dataSync());
    const wantBias = [0.5, -0.5, 0.25];
    for (let j = 0; j < d; j++)
      for (let c = 0; c < 3; c++) {
        const w = probe.weights[j]![c]! / probe.scale[j]!;
        expect(k[j]![c]).toBeCloseTo(w, 6);
        wantBias[c]! -= probe.mean[j]! * w;
      }
    b.forEach((v, c) => expect(v).toBeCloseTo(wantBias[c]!, 4));
    // The kernel and bias tensors handed to setWeights are copied into the layer's variables and freed: disposing
    // the model leaves no tensor behind.
    tm.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('counts its progress in augmented copies: photos × copies × seeds', async () => {
    const photos = photoSubset(full, { train: 1, validation: 1 });
    const features = await probeFeatures(base, photos, ['conv_pw_13_relu']);
    const plain = new Map(features.photos.map((p, i) => [p.file, features.features['conv_pw_13_relu']![i]!]));
    const calls: [number, number][] = [];
    await studyAugmentation(base, photos, plain, referenceAugmentations, {
      copies: 2,
      seeds: [1, 2],
      epochs: 1,
      onProgress: (done, total) => calls.push([done, total]),
    });
    // 3 training photos (one a class), 2 copies each, 2 seeds: 6 copies per seed, 12 in all.
    expect(calls).toEqual([
      [6, 12],
      [12, 12],
    ]);
  }, 600_000);
});
