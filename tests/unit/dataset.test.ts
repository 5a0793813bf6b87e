/**
 * The photo set and the seeded randomness: the index is validated with errors that point at the bad entry, splits
 * and class indices are right, batches are model input, mirroring is a true left-right flip, and shuffles repeat
 * exactly for the same seed.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLASS_LABELS, parsePhotoIndex, type PhotoSet } from '../../src/ml/dataset';
import { coinFlips, deriveSeed, shuffledIndices } from '../../src/ml/seeded';
import { readAsset, useWasmBackend } from '../../src/platform/node';
import { realPhotoSet } from '../helpers/training';

const indexText = () => readAsset('photos/index.json').toString('utf8');

describe('the photo set', () => {
  let photos: PhotoSet;
  beforeAll(async () => {
    await useWasmBackend();
    photos = realPhotoSet();
  });

  it('has 234 training, 78 validation and 78 test photos, labelled cat, dog, other', () => {
    expect(photos.labels).toEqual(CLASS_LABELS);
    expect(CLASS_LABELS).toEqual(['cat', 'dog', 'other']);
    expect(photos.select('train')).toHaveLength(234);
    expect(photos.select('validation')).toHaveLength(78);
    expect(photos.select('test')).toHaveLength(78);
    expect(photos.select()).toHaveLength(390);
    const files = (split: 'train' | 'validation' | 'test') => new Set(photos.select(split).map((p) => p.file));
    expect([...files('test')].filter((f) => files('train').has(f) || files('validation').has(f))).toEqual([]);
    expect(
      photos.classIndices(photos.select('validation').filter((p) => p.label === 'other')).every((c) => c === 2),
    ).toBe(true);
    expect(() => photos.classIndex('horse')).toThrow('unknown label "horse": the model\'s classes are cat, dog, other');
  });

  it('rejects broken indexes with errors that name the entry', () => {
    const good = JSON.parse(indexText()) as { photos: Record<string, unknown>[] };
    const broken = (change: (i: typeof good) => void) => {
      const copy = structuredClone(good);
      change(copy);
      return () => parsePhotoIndex(copy);
    };
    expect(() => parsePhotoIndex('{not json')).toThrow('photos/index.json is not valid JSON');
    expect(broken((i) => (i.photos[3]!.label = 'horse'))).toThrow(
      /photos\[3\] \(cat\/.*\.jpg\) has label "horse", not one of cat, dog, other/,
    );
    expect(broken((i) => (i.photos[5]!.split = 'holdout'))).toThrow(
      /photos\[5\] .* has split "holdout", expected one of "train", "validation", "test"/,
    );
    expect(broken((i) => i.photos.push({ ...i.photos[0]! }))).toThrow(/is listed twice/);
    expect(
      broken((i) => (i.photos = i.photos.filter((p) => !(p.label === 'dog' && p.split === 'validation')))),
    ).toThrow('no validation photo of "dog"');
    expect(broken((i) => (i.photos = i.photos.filter((p) => !(p.label === 'cat' && p.split === 'test'))))).toThrow(
      'no test photo of "cat"',
    );
    expect(broken((i) => delete (i as { split?: unknown }).split)).toThrow(
      /"split" must be \{seed: number, validationFraction: number, testFraction: number\}/,
    );
    expect(parsePhotoIndex(indexText()).photos).toHaveLength(390);
  });

  it('makes [n, 224, 224, 3] batches in [-1, 1]; mirroring flips left and right exactly', async () => {
    const entries = photos.select('train').slice(0, 3);
    const plain = await photos.batch(entries);
    const mirrored = await photos.batch(entries, [true, false, true]);
    expect(plain.shape).toEqual([3, 224, 224, 3]);
    const [lo, hi] = [plain.min().dataSync()[0]!, plain.max().dataSync()[0]!];
    expect(lo).toBeGreaterThanOrEqual(-1);
    expect(hi).toBeLessThanOrEqual(1);
    const flippedBack = tf.tidy(() => tf.reverse(mirrored.slice([0], [1]), 2));
    expect(
      tf.tidy(
        () =>
          flippedBack
            .sub(plain.slice([0], [1]))
            .abs()
            .max()
            .dataSync()[0],
      ),
    ).toBe(0);
    expect(
      tf.tidy(
        () =>
          mirrored
            .slice([1], [1])
            .sub(plain.slice([1], [1]))
            .abs()
            .max()
            .dataSync()[0],
      ),
    ).toBe(0);
    tf.dispose([plain, mirrored, flippedBack]);
  });

  it('names the photo when decoding fails', async () => {
    const { PhotoSet: Set } = await import('../../src/ml/dataset');
    const failing = new Set(photos.index, () => {
      throw new Error('truncated JPEG');
    });
    await expect(failing.batch(['cat/Abyssinian_101.jpg'])).rejects.toThrow(
      'photo cat/Abyssinian_101.jpg could not be loaded: truncated JPEG',
    );
  });
});

describe('seeded randomness', () => {
  it('repeats a shuffle for the same seed and changes it for another', () => {
    const a = shuffledIndices(50, 7);
    expect(shuffledIndices(50, 7)).toEqual(a);
    expect(shuffledIndices(50, 8)).not.toEqual(a);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('mirrors about half the photos and derives distinct seeds per epoch', () => {
    const flips = coinFlips(1000, 3);
    const share = flips.filter(Boolean).length / 1000;
    expect(share).toBeGreaterThan(0.45);
    expect(share).toBeLessThan(0.55);
    const seeds = new Set(Array.from({ length: 100 }, (_, e) => deriveSeed(1, e)));
    expect(seeds.size).toBe(100);
    expect(deriveSeed(7, 3)).not.toBe(deriveSeed(10, 0));
  });
});
