/**
 * The one wb.evaluate, in Node through the facade, on the real model and real photos: given a photo set of classes
 * of one's own (lesson 8: birds and vehicles, 6 of the course's photos each, split by the engine's own rule), it
 * scores exactly that set's photos in its own classes; the course's photos are still the default; and bad input is
 * refused with a message that says what to pass: a model made for other classes, a string, a promise, the test
 * split. wb.own no longer has an evaluate of its own.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PhotoSet } from '../../src/ml/dataset';
import { ownPhotoSet, type OwnPhoto } from '../../src/ml/own-photos';
import { readPhoto } from '../../src/platform/node';
import { createWorkbook, type Workbook } from '../../src/workbook';
import { realPhotoSet } from '../helpers/training';
import { nodePlatform } from '../helpers/workbook-node';

/** The example classes of wb.own.addExample: course photos of birds and of vehicles, 6 each. */
const EXAMPLE: Record<string, RegExp> = {
  birds: /flamingo|pelican|toucan|macaw|peacock|ostrich|jay|owl|penguin|eagle/,
  vehicles: /ambulance|_cab|jeep|school_bus|sports_car|fire_engine|convertible|bullet_train|airliner|speedboat/,
};

describe('wb.evaluate(model, photoSet): your own photos through the one evaluate', () => {
  let wb: Workbook;
  let base: tf.LayersModel;
  let mine: PhotoSet;
  beforeAll(async () => {
    wb = await createWorkbook(await nodePlatform());
    base = await wb.loadModel();
    const files = new Map<string, string>();
    const photos: OwnPhoto[] = Object.entries(EXAMPLE).flatMap(([label, pattern]) =>
      realPhotoSet()
        .select()
        .filter((p) => p.label === 'other' && pattern.test(p.file))
        .slice(0, 6)
        .map((p, i) => {
          const id = `${label}-${i}`;
          files.set(id, p.file);
          return { id, label, name: p.file.split('/').at(-1)! };
        }),
    );
    mine = ownPhotoSet(photos, (id) => readPhoto(files.get(id)!));
  }, 120_000);

  it('scores the photo set’s validation photos (or its training photos) in its own classes', async () => {
    const model = wb.buildTransferModel(base, { labels: mine.labels });
    const ev = await wb.evaluate(model, mine);
    expect(ev.labels).toEqual(['birds', 'vehicles']);
    expect(ev.confusion.flat().reduce((a, b) => a + b, 0)).toBe(mine.select('validation').length);
    expect(mine.select('validation').length).toBe(2); // one of each class held out
    const train = await wb.evaluate(model, mine, { split: 'train' });
    expect(train.confusion.flat().reduce((a, b) => a + b, 0)).toBe(10);
  }, 120_000);

  it('the course’s photos stay the default', async () => {
    const ev = await wb.evaluate(wb.buildTransferModel(base));
    expect(ev.labels).toEqual(['cat', 'dog', 'other']);
    expect(ev.confusion.flat().reduce((a, b) => a + b, 0)).toBe(78);
  }, 300_000);

  it('refuses a model made for other classes, a string, a promise and the test split, saying what to pass', async () => {
    const model = wb.buildTransferModel(base, { labels: mine.labels });
    await expect(wb.evaluate(wb.buildTransferModel(base), mine)).rejects.toThrow(
      "this model's outputs are cat, dog, other but the photos' classes are birds, vehicles",
    );
    await expect(wb.evaluate(model, 'validation' as never)).rejects.toThrow(
      /second argument is a photo set \(your own: await wb.own.photos\(\)\) or options .*; got the string "validation"/,
    );
    await expect(wb.evaluate(model, Promise.resolve(mine) as never)).rejects.toThrow(/got a promise \(add `await`\)/);
    await expect(wb.evaluate(model, mine, { split: 'test' as never })).rejects.toThrow(
      /split must be 'validation' or 'train'/,
    );
  });

  it('wb.own has no evaluate of its own', () => {
    expect('evaluate' in wb.own).toBe(false);
  });
});
