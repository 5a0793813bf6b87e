/**
 * Augmentation by hand (lesson 7), on the real model and photos: the reference flip, rotation and crop do what the
 * measurements say they do, a wrong function (unchanged, upside down, unseeded, wrong shape, too large a turn) is
 * measured as wrong, the augmented pipeline is seeded, and the with/without-augmentation study gives paired,
 * per-seed results whose folded head scores exactly as its probe.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  augmentationRandom,
  augmentImage,
  referenceAugmentations,
  referenceCrop,
  referenceFlip,
  referenceRotate,
  toPixels,
  type Image,
} from '../../src/ml/augment';
import { measureCrop, measureFlip, measureRotation } from '../../src/ml/augment-judge';
import { headAsTransferModel, studyAugmentation } from '../../src/ml/augment-training';
import type { PhotoSet } from '../../src/ml/dataset';
import { imageToInput } from '../../src/ml/image';
import { probeFeatures } from '../../src/ml/probe';
import { loadRealModel, photoSubset, realPhotoSet } from '../helpers/training';

describe('the augmentations, measured by meaning', () => {
  it('a flip is the mirror: pixel [r, c] is the original [r, 223 − c]', () => {
    const m = measureFlip(referenceFlip);
    expect(m.problem).toBeNull();
    expect(m.fromMirror).toBeLessThan(1e-3);
    expect(m.fromInput).toBeGreaterThan(100);
    const unchanged = measureFlip((x) => x);
    expect(unchanged.fromInput).toBe(0);
    expect(unchanged.fromMirror).toBeGreaterThan(100);
    const upsideDown = measureFlip((x) => tf.reverse(x, 0));
    expect(upsideDown.fromUpsideDown).toBe(0);
    expect(measureFlip((x) => x.expandDims(0) as unknown as Image).problem).toContain('[1, 224, 224, 3]');
  });

  it('a rotation keeps the centre and the distance, and turns by a bounded, varying angle', () => {
    const m = measureRotation((x, r) => referenceRotate(x, r, 15));
    expect(m.problem).toBeNull();
    for (const d of m.draws) {
      expect(d.found).toBe(true);
      expect(d.centreShift).toBeLessThan(1);
      expect(Math.abs(d.radiusRatio - 1)).toBeLessThan(0.03);
      expect(Math.abs(d.degrees)).toBeLessThanOrEqual(15.5);
    }
    expect(new Set(m.draws.map((d) => d.degrees.toFixed(1))).size).toBeGreaterThan(3);
    // A known angle is read back: 10° one way.
    const ten = measureRotation(
      (x) =>
        tf.tidy(
          () =>
            tf.image.rotateWithOffset(x.expandDims(0) as tf.Tensor4D, (10 * Math.PI) / 180, 0).squeeze([0]) as Image,
        ),
      1,
    );
    expect(Math.abs(Math.abs(ten.draws[0]!.degrees) - 10)).toBeLessThan(0.5);
    // The unchanged image: every angle 0.
    expect(measureRotation((x) => x).draws.every((d) => Math.abs(d.degrees) < 0.01)).toBe(true);
  });

  it('a crop is a square zoom of a window inside the image, a different one per draw', () => {
    const m = measureCrop((x, r) => referenceCrop(x, r, 0.7));
    expect(m.problem).toBeNull();
    for (const d of m.draws) {
      expect(d.skew).toBeLessThan(0.5);
      expect(d.top).toBeGreaterThanOrEqual(-0.01);
      expect(d.bottom).toBeLessThanOrEqual(223.01);
      const [h, w] = [d.bottom - d.top, d.right - d.left];
      expect(h / 223).toBeGreaterThanOrEqual(0.69);
      expect(h / 223).toBeLessThan(1);
      expect(Math.abs(h - w)).toBeLessThan(1);
    }
    expect(new Set(m.draws.map((d) => d.top.toFixed(1))).size).toBeGreaterThan(3);
    const same = measureCrop((x) => x);
    expect(same.draws.every((d) => d.bottom - d.top === 223)).toBe(true);
    expect(measureCrop((x) => x.slice([0, 0, 0], [112, 112, 3])).problem).toContain('[112, 112, 3]');
  });
});

describe('augmented photos and the with/without study, on the real model and photos', () => {
  let base: tf.LayersModel;
  let photos: PhotoSet;
  beforeAll(async () => {
    base = await loadRealModel();
    photos = photoSubset(realPhotoSet(), { train: 8, validation: 8 });
  });

  it('augments a real photo reproducibly: the same seed, the same pixels; another seed, others', async () => {
    const entry = photos.select('train')[0]!;
    const pixels = toPixels(imageToInput(await photos.image(entry.file)));
    const a = augmentImage(referenceAugmentations, pixels, augmentationRandom(1, 0, 0));
    const b = augmentImage(referenceAugmentations, pixels, augmentationRandom(1, 0, 0));
    const c = augmentImage(referenceAugmentations, pixels, augmentationRandom(1, 0, 1));
    expect(a.shape).toEqual([224, 224, 3]);
    expect(tf.max(tf.abs(a.sub(b))).dataSync()[0]).toBe(0);
    expect(tf.mean(tf.abs(a.sub(c))).dataSync()[0]).toBeGreaterThan(5);
    expect(tf.mean(tf.abs(a.sub(pixels))).dataSync()[0]).toBeGreaterThan(5);
    tf.dispose([pixels, a, b, c]);
  });

  it('fits heads with and without augmented copies per seed, paired on the same validation photos', async () => {
    const pooled = await probeFeatures(base, photos, ['conv_pw_13_relu']);
    const plain = new Map(pooled.photos.map((p, i) => [p.file, pooled.features['conv_pw_13_relu']![i]!]));
    const study = await studyAugmentation(base, photos, plain, referenceAugmentations, {
      copies: 1,
      seeds: [1, 2],
      epochs: 30,
    });
    expect(study.trainPhotos).toBe(24);
    expect(study.validationPhotos).toBe(24);
    expect(study.seeds.map((s) => s.seed)).toEqual([1, 2]);
    for (const s of study.seeds) {
      expect(s.plain.total).toBe(24);
      expect(s.augmented.total).toBe(24);
      expect(s.paired.onlyA + s.paired.onlyB).toBeLessThanOrEqual(24);
      expect(s.plain.accuracy).toBeGreaterThan(0.5);
    }
    // The folded head gives the probe's probabilities, through the whole model.
    const tm = headAsTransferModel(base, study.heads.augmented);
    const val = photos.select('validation').slice(0, 4);
    const x = await photos.batch(val);
    const p = (tm.model.predict(x) as tf.Tensor2D).arraySync();
    val.forEach((e, i) => {
      const want = study.heads.augmented.predict(plain.get(e.file)!);
      want.forEach((v, c) => expect(p[i]![c]).toBeCloseTo(v, 3));
    });
    x.dispose();
    tm.model.dispose();
  });
});
