/**
 * Lesson 8's own classes and "fewer photos", in Node on the real model and photos: class names, uploads sorted
 * into images and skipped files (and the cap), the size a huge photo is decoded at, the "at least 5 per class"
 * refusal, the seeded stratified split of own photos, a head trained on two own classes by the same engine, and the
 * seeded subset of the course's training photos that leaves validation untouched.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { PhotoSet } from '../../src/ml/dataset';
import {
  classCounts,
  decodeSize,
  MAX_FILES_PER_UPLOAD,
  notTrainableBecause,
  ownClassName,
  ownPhotoIndex,
  ownPhotoSet,
  planUpload,
  type OwnPhoto,
} from '../../src/ml/own-photos';
import { parentSet, trainingSubset } from '../../src/ml/photo-subset';
import { buildTransferModel } from '../../src/ml/surgery';
import { train } from '../../src/ml/train';
import { evaluate } from '../../src/ml/evaluate';
import { readPhoto } from '../../src/platform/node';
import { loadRealModel, realPhotoSet } from '../helpers/training';
import type * as tf from '@tensorflow/tfjs';

/** n own photos of a class, ids "label-0" … */
const own = (label: string, n: number): OwnPhoto[] =>
  Array.from({ length: n }, (_, i) => ({ id: `${label}-${i}`, label, name: `${label} ${i}.jpg` }));

describe('own classes: the pure rules', () => {
  it('takes class names as typed, trimmed, and refuses empty ones and "/"', () => {
    expect(ownClassName('  apples ')).toBe('apples');
    expect(() => ownClassName('   ')).toThrow('a class needs a name');
    expect(() => ownClassName('a/b')).toThrow('cannot contain "/"');
    expect(() => ownClassName('x'.repeat(41))).toThrow('at most 40 characters');
  });

  it('sorts an upload into images and skipped files, and refuses more than the cap as a whole', () => {
    const plan = planUpload([
      { name: 'apple.jpg', type: 'image/jpeg', size: 1000 },
      { name: 'notes.txt', type: 'text/plain', size: 10 },
      { name: 'orange.webp', type: '', size: 1000 },
      { name: 'empty.png', type: 'image/png', size: 0 },
    ]);
    expect(plan.accepted.map((f) => f.name)).toEqual(['apple.jpg', 'orange.webp']);
    expect(plan.skipped).toEqual([
      { name: 'notes.txt', why: 'not an image (text/plain)' },
      { name: 'empty.png', why: 'empty file' },
    ]);
    const many = Array.from({ length: 300 }, (_, i) => ({ name: `${i}.jpg`, type: 'image/jpeg', size: 1 }));
    expect(() => planUpload(many)).toThrow(`300 files is more than one upload takes (${MAX_FILES_PER_UPLOAD})`);
    expect(planUpload(many.slice(0, MAX_FILES_PER_UPLOAD)).accepted).toHaveLength(MAX_FILES_PER_UPLOAD);
  });

  it('decodes a 40-megapixel photo at its longest side 448, aspect kept; small photos as they are', () => {
    expect(decodeSize(8000, 5000)).toEqual({ width: 448, height: 280 });
    expect(decodeSize(5000, 8000)).toEqual({ width: 280, height: 448 });
    expect(decodeSize(300, 200)).toEqual({ width: 300, height: 200 });
    expect(() => decodeSize(0, 10)).toThrow('nothing to decode');
  });

  it('refuses to train with fewer than 5 photos in a class, or fewer than two classes, naming the class', () => {
    expect(notTrainableBecause([])).toContain('no classes of your own yet');
    expect(notTrainableBecause(own('apples', 9))).toContain('only one class ("apples")');
    expect(notTrainableBecause([...own('apples', 9), ...own('oranges', 1)])).toBe(
      'at least 5 photos per class are needed to train and validate; "oranges" has 1',
    );
    expect(notTrainableBecause([...own('apples', 5), ...own('oranges', 5)])).toBeNull();
    expect(() => ownPhotoIndex([...own('apples', 9), ...own('oranges', 4)])).toThrow('"oranges" has 4');
    expect([...classCounts([...own('b', 2), ...own('a', 3)])]).toEqual([
      ['b', 2],
      ['a', 3],
    ]);
  });

  it('splits own photos per class, seeded: 20 % (at least one) for validation, the same split every time', () => {
    const photos = [...own('apples', 5), ...own('oranges', 12)];
    const index = ownPhotoIndex(photos);
    expect(index.labels).toEqual(['apples', 'oranges']);
    const count = (label: string, split: string) =>
      index.photos.filter((p) => p.label === label && p.split === split).length;
    expect([count('apples', 'train'), count('apples', 'validation')]).toEqual([4, 1]);
    expect([count('oranges', 'train'), count('oranges', 'validation')]).toEqual([10, 2]);
    expect(index.photos.every((p) => p.file.startsWith(`${p.label}/`))).toBe(true);
    expect(ownPhotoIndex([...own('apples', 5).reverse(), ...own('oranges', 12).reverse()])).toEqual(index); // listing order within a class does not matter
    const other = ownPhotoIndex(photos, { seed: 7 });
    expect(other.photos.filter((p) => p.split === 'validation')).not.toEqual(
      index.photos.filter((p) => p.split === 'validation'),
    );
  });
});

describe('own classes and fewer photos on the real model', () => {
  let base: tf.LayersModel;
  let full: PhotoSet;
  beforeAll(async () => {
    base = await loadRealModel();
    full = realPhotoSet();
  }, 60_000);

  it('trains a two-class head on own photos (birds vs vehicles) with the same engine, and evaluates it', async () => {
    const others = full.select().filter((p) => p.label === 'other');
    const birds = others.filter((p) =>
      /flamingo|pelican|toucan|macaw|peacock|ostrich|jay|owl|penguin|eagle/.test(p.file),
    );
    const vehicles = others.filter((p) =>
      /ambulance|cab|jeep|school_bus|sports_car|fire_engine|convertible|bullet_train|airliner|speedboat/.test(p.file),
    );
    expect(birds.length).toBeGreaterThanOrEqual(6);
    expect(vehicles.length).toBeGreaterThanOrEqual(6);
    const photos: OwnPhoto[] = [
      ...birds.slice(0, 6).map((p) => ({ id: p.file.replace(/\//g, '~'), label: 'birds', name: p.name })),
      ...vehicles.slice(0, 6).map((p) => ({ id: p.file.replace(/\//g, '~'), label: 'vehicles', name: p.name })),
    ];
    const set = ownPhotoSet(photos, (id) => readPhoto(id.replace(/~/g, '/')));
    expect(set.labels).toEqual(['birds', 'vehicles']);
    expect(set.select('train')).toHaveLength(10);
    expect(set.select('validation')).toHaveLength(2);
    const tm = buildTransferModel(base, { labels: set.labels });
    expect(tm.model.outputs[0]!.shape).toEqual([null, 2]);
    const record = await train(tm, set, { epochs: 15, learningRate: 0.01 });
    expect(record.trainPhotos).toBe(10);
    expect(record.validationPhotos).toBe(2);
    const last = record.history.at(-1)!;
    expect(last.loss).toBeLessThan(record.history[0]!.loss);
    expect(last.acc).toBe(1); // ten photos of two very different kinds: the pooled features separate them
    const ev = await evaluate(tm, set, { split: 'train' });
    expect(ev.confusion).toEqual([
      [5, 0],
      [0, 5],
    ]);
    tm.model.dispose();
  }, 120_000);

  it('draws a seeded subset of the training photos only: validation and test untouched', () => {
    const ten = trainingSubset(full, { perClass: 10 });
    expect(ten.select('train')).toHaveLength(30);
    for (const label of full.labels) expect(ten.select('train').filter((p) => p.label === label)).toHaveLength(10);
    expect(ten.select('validation')).toEqual(full.select('validation'));
    expect(ten.select('test')).toEqual(full.select('test'));
    const inFull = new Set(full.select('train').map((p) => p.file));
    expect(ten.select('train').every((p) => inFull.has(p.file))).toBe(true);
    expect(trainingSubset(full, { perClass: 10 }).select('train')).toEqual(ten.select('train'));
    expect(trainingSubset(full, { perClass: 10, seed: 2 }).select('train')).not.toEqual(ten.select('train'));
    expect(parentSet(trainingSubset(ten, { perClass: 5 }))).toBe(full);
    expect(() => trainingSubset(full, { perClass: 100 })).toThrow(
      '100 photos per class is more than the 72 training photos of "cat"',
    );
    expect(() => trainingSubset(full, { perClass: 0 })).toThrow('positive whole number');
  });

  it('trains on a subset of 5 photos a class and is scored on all 78 validation photos', async () => {
    const five = trainingSubset(full, { perClass: 5, seed: 3 });
    const tm = buildTransferModel(base);
    const record = await train(tm, five, { epochs: 3 });
    expect(record.trainPhotos).toBe(15);
    expect(record.validationPhotos).toBe(78);
    expect(record.history).toHaveLength(3);
    tm.model.dispose();
  }, 120_000);
});
