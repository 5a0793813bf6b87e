/**
 * predictTransfer (src/ml/evaluate.ts), the cheap way every lesson scores a transfer model: the cached activations
 * of its last still-pre-trained layer, then the rest of the layers in inference mode. It must give what a plain
 * forward pass through the whole model gives (Keras's `model.predict`), wherever that layer is: the cut (a head on
 * a frozen base), layer 1 (only the stem kept), or no layer at all (the whole network trained, so nothing can be
 * cached). The photos go in batches of 32, so 36 photos take two, each reported to onProgress; a Stop ends it.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhotoEntry, PhotoSet } from '../../src/ml/dataset';
import { predictTransfer } from '../../src/ml/evaluate';
import { buildTransferModel, lastPristineLayer, type TransferModel } from '../../src/ml/surgery';
import { loadRealModel, photoSubset, realPhotoSet } from '../helpers/training';

describe('predictTransfer', () => {
  let base: tf.LayersModel;
  let photos: PhotoSet;
  let entries: PhotoEntry[];
  let tm: TransferModel;
  /** The whole model run on the photos themselves, in inference mode: what predictTransfer must give. */
  let expected: number[][];
  beforeAll(async () => {
    base = await loadRealModel();
    photos = photoSubset(realPhotoSet(), { train: 0, validation: 12 }); // 36 photos: a batch of 32, then 4
    entries = photos.select('validation');
    tm = buildTransferModel(base, { seed: 3 });
    const input = await photos.batch(entries);
    const out = tm.model.predict(input) as tf.Tensor;
    expected = (await out.array()) as number[][];
    tf.dispose([input, out]);
  }, 300_000);
  afterAll(() => tm.model.dispose());

  /** The largest difference between two lists of probabilities of the same shape. */
  const gap = (a: number[][], b: number[][]) => {
    expect(a.length).toBe(b.length);
    return Math.max(...a.flatMap((row, i) => row.map((p, j) => Math.abs(p - b[i]![j]!))));
  };

  it('gives what the whole model gives, from the cut, in two batches reported as they finish', async () => {
    expect(lastPristineLayer(tm)).toBe(tm.model.layers.findIndex((l) => l.name === tm.cutAt));
    const progress: [number, number][] = [];
    const got = await predictTransfer(tm, photos, entries, { onProgress: (d, t) => progress.push([d, t]) });
    expect(entries.length).toBe(36);
    expect(got.every((row) => row.length === 3)).toBe(true);
    expect(gap(got, expected)).toBeLessThan(1e-4);
    expect(progress).toEqual([
      [32, 36],
      [36, 36],
    ]);
  });

  it('starts from layer 1 when only the stem is still pre-trained, and from the photos when nothing is', async () => {
    // modifiedFrom is where training starts to change the network; the weights here are all still the originals,
    // so every start must give the same answers, but each takes its own path through the layers.
    const saved = tm.modifiedFrom;
    try {
      for (const modifiedFrom of [2, 1, 0, 6]) {
        tm.modifiedFrom = modifiedFrom;
        expect(lastPristineLayer(tm)).toBe(modifiedFrom - 1);
        expect(gap(await predictTransfer(tm, photos, entries.slice(0, 3)), expected.slice(0, 3))).toBeLessThan(1e-4);
      }
    } finally {
      tm.modifiedFrom = saved;
    }
  }, 120_000);

  it('keeps the photos in their order, gives nothing for no photos, and takes 32 in one batch', async () => {
    const reversed = [...entries].reverse();
    expect(gap(await predictTransfer(tm, photos, reversed), [...expected].reverse())).toBeLessThan(1e-4);
    expect(await predictTransfer(tm, photos, [])).toEqual([]);
    // Exactly one batch: reported once, with no empty second batch after it.
    const progress: number[] = [];
    await predictTransfer(tm, photos, entries.slice(0, 32), { onProgress: (done) => progress.push(done) });
    expect(progress).toEqual([32]);
  });

  it('ends at a Stop: before it starts, and between batches', async () => {
    const stopped = new AbortController();
    stopped.abort();
    await expect(predictTransfer(tm, photos, entries, { signal: stopped.signal })).rejects.toThrow();
    const stop = new AbortController();
    const seen: number[] = [];
    const run = predictTransfer(tm, photos, entries, {
      signal: stop.signal,
      onProgress: (done) => {
        seen.push(done);
        stop.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toEqual([32]);
  });
});
