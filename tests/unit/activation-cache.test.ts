/**
 * The activation cache (src/ml/activation-cache.ts) on a small model and made-up pictures: the shared registry
 * (`activationCacheFor`) hands out one cache per pre-trained model, photo set AND prefix kind, and a cache that
 * continues from an earlier cached layer (a BN layer here, not a ReLU) gives what the photos give.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ActivationCache, activationCacheFor } from '../../src/ml/activation-cache';
import { type PhotoEntry, PhotoSet } from '../../src/ml/dataset';
import type { RgbImage } from '../../src/ml/image';
import { convBnChain, setBnStats } from '../helpers/tiny-chains';

/** A 224×224×3 input → strided conv → BN → ReLU6 → depthwise → BN → ReLU6 chain with BN statistics set by hand. */
function smallModel(seed: number): tf.LayersModel {
  const { input, output } = convBnChain({ inputShape: [224, 224, 3], filters: 2, convStrides: 8, seed });
  const model = tf.model({ inputs: input, outputs: output });
  setBnStats(model, ['conv_bn', 'dw_bn']);
  return model;
}

/** A photo set of `n` made-up 224×224 pictures (a gradient per photo), labelled cat/dog alternately. */
function madeUpPhotos(n: number): PhotoSet {
  const photos: PhotoEntry[] = Array.from({ length: n }, (_, i) => ({
    file: `p${i}.png`,
    name: `p${i}`,
    label: i % 2 ? 'dog' : 'cat',
    split: 'train',
  }));
  const decode = (file: string): RgbImage => {
    const k = Number(file.slice(1, -4));
    const data = new Uint8Array(224 * 224 * 3).map((_, j) => (j * (k + 3) + 17 * k) % 256);
    return { width: 224, height: 224, data };
  };
  return new PhotoSet(
    { labels: ['cat', 'dog'], split: { seed: 1, validationFraction: 0, testFraction: 0 }, photos },
    decode,
  );
}

describe('activationCacheFor, the shared registry', () => {
  const a = smallModel(1),
    b = smallModel(5);
  const photos = madeUpPhotos(2),
    otherPhotos = madeUpPhotos(2);

  it('gives the same cache for the same model, photos and prefix kind', () => {
    expect(activationCacheFor(a, photos)).toBe(activationCacheFor(a, photos, 'layers'));
    expect(activationCacheFor(a, photos, 'folded')).toBe(activationCacheFor(a, photos, 'folded'));
  });

  it('keeps a separate cache per model, per photo set and per prefix kind', () => {
    const caches = [
      activationCacheFor(a, photos, 'layers'),
      activationCacheFor(a, photos, 'folded'),
      activationCacheFor(b, photos, 'layers'),
      activationCacheFor(b, photos, 'folded'),
      activationCacheFor(a, otherPhotos, 'layers'),
      activationCacheFor(b, otherPhotos, 'folded'),
    ];
    expect(new Set(caches).size).toBe(caches.length);
    expect(
      caches.map((c) => [c.source === a ? 'a' : c.source === b ? 'b' : '?', c.photos === photos ? 'photos' : 'other']),
    ).toEqual([
      ['a', 'photos'],
      ['a', 'photos'],
      ['b', 'photos'],
      ['b', 'photos'],
      ['a', 'other'],
      ['b', 'other'],
    ]);
  });

  it("computes each model's own activations, folded or not", async () => {
    const entries = photos.select();
    const x = await photos.batch(entries);
    for (const model of [a, b]) {
      const expected = tf
        .model({ inputs: model.inputs, outputs: model.getLayer('dw_relu').output as tf.SymbolicTensor })
        .predict(x) as tf.Tensor;
      const want = expected.dataSync();
      for (const kind of ['layers', 'folded'] as const) {
        const got = await activationCacheFor(model, photos, kind).activations('dw_relu', entries);
        const flat = got.flatMap((v) => [...v]);
        expect(flat.length).toBe(want.length);
        expect(Math.max(...flat.map((v, i) => Math.abs(v - want[i]!))), kind).toBeLessThan(1e-4);
      }
    }
  });
});

describe('ActivationCache continuing from an earlier layer', () => {
  it('from cached BN activations gives what the photos give, and counts it as from an earlier layer', async () => {
    const model = smallModel(3);
    const photos = madeUpPhotos(3);
    const entries = photos.select();
    const cache = new ActivationCache(model, photos, { batchSize: 2 });
    await cache.activations('conv_bn', entries);
    expect(cache.stats).toMatchObject({ fromPhotos: 3, fromEarlierLayer: 0, hits: 0 });
    const continued = await cache.activations('dw_bn', entries);
    expect(cache.stats).toMatchObject({ fromPhotos: 3, fromEarlierLayer: 3, hits: 0 });

    const direct = new ActivationCache(model, photos);
    const fromPhotos = await direct.activations('dw_bn', entries);
    expect(direct.stats).toMatchObject({ fromPhotos: 3, fromEarlierLayer: 0 });
    continued.forEach((v, i) =>
      expect(Math.max(...v.map((x, j) => Math.abs(x - fromPhotos[i]![j]!)))).toBeLessThan(1e-5),
    );

    await cache.activations('dw_bn', entries);
    expect(cache.stats.hits).toBe(3);
    expect(cache.bytes).toBe(3 * (28 * 28 * 2 + 14 * 14 * 2) * 4);
  });
});

describe('ActivationCache bookkeeping', () => {
  it('reports progress per batch, counts seconds and hits, and stacks plain and mirrored activations in order', async () => {
    const model = smallModel(11);
    const photos = madeUpPhotos(3);
    const entries = photos.select();
    const cache = new ActivationCache(model, photos, { batchSize: 2 });
    const progress: [number, number][] = [];
    await cache.activations('conv_relu', entries, false, (done, total) => progress.push([done, total]));
    expect(progress).toEqual([
      [2, 3],
      [3, 3],
    ]);
    expect(cache.stats.seconds).toBeGreaterThan(0);
    await cache.activations('conv_relu', entries.slice(0, 1), true);
    expect(cache.has('conv_relu', 'p0.png', true)).toBe(true);
    expect(cache.has('conv_relu', 'p1.png', true)).toBe(false);
    expect(cache.has('conv_relu', 'p1.png')).toBe(true);

    const x = await photos.batch(entries, [true, false, false]);
    const want = (
      tf
        .model({ inputs: model.inputs, outputs: model.getLayer('conv_relu').output as tf.SymbolicTensor })
        .predict(x.slice(0, 2)) as tf.Tensor
    ).dataSync();
    const stacked = cache.stack('conv_relu', entries.slice(0, 2), [true, false]);
    expect(stacked.shape).toEqual([2, 28, 28, 2]);
    const got = stacked.dataSync();
    expect(Math.max(...Array.from(got, (v, i) => Math.abs(v - want[i]!)))).toBeLessThan(1e-5);
    expect(() => cache.stack('conv_relu', entries.slice(1, 2), [true])).toThrow(
      'no cached conv_relu activations for p1.png (mirrored): call activations() first',
    );
    expect(() => cache.stack('dw_relu', entries.slice(0, 1))).toThrow(
      'no cached dw_relu activations for p0.png: call activations() first',
    );
  });

  it('forgets one layer, or everything', async () => {
    const model = smallModel(12);
    const photos = madeUpPhotos(2);
    const entries = photos.select();
    const cache = new ActivationCache(model, photos);
    await cache.activations('conv_bn', entries);
    await cache.activations('dw_bn', entries);
    const perPhoto = { conv_bn: 28 * 28 * 2 * 4, dw_bn: 14 * 14 * 2 * 4 };
    expect(cache.bytes).toBe(2 * (perPhoto.conv_bn + perPhoto.dw_bn));
    cache.clear('conv_bn');
    expect(cache.bytes).toBe(2 * perPhoto.dw_bn);
    expect(cache.has('conv_bn', 'p0.png')).toBe(false);
    expect(cache.has('dw_bn', 'p0.png')).toBe(true);
    cache.clear();
    expect(cache.bytes).toBe(0);
  });

  it('stops between batches on an aborted signal, keeping what it computed', async () => {
    const model = smallModel(13);
    const photos = madeUpPhotos(4);
    const cache = new ActivationCache(model, photos, { batchSize: 2 });
    const stop = new AbortController();
    const run = cache.activations(
      'conv_bn',
      photos.select(),
      false,
      (done) => done === 2 && stop.abort(new Error('stopped by the test')),
      stop.signal,
    );
    await expect(run).rejects.toThrow('stopped by the test');
    expect(cache.stats.fromPhotos).toBe(2);
    expect(['p0.png', 'p1.png', 'p2.png', 'p3.png'].map((f) => cache.has('conv_bn', f))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('continues from the latest cached earlier layer, not an earlier one', async () => {
    const model = smallModel(14);
    const photos = madeUpPhotos(2);
    const entries = photos.select();
    const cache = new ActivationCache(model, photos);
    await cache.activations('conv_bn', entries);
    await cache.activations('dw', entries); // from conv_bn: 2 from an earlier layer
    // With conv_bn forgotten, dw_bn must come from dw (the latest cached earlier layer), not from the photos.
    cache.clear('conv_bn');
    await cache.activations('dw_bn', entries);
    expect(cache.stats).toMatchObject({ fromPhotos: 2, fromEarlierLayer: 4 });
  });
});
