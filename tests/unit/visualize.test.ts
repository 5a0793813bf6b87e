/**
 * The pictures, computed on the real model and real photos: conv1's filters, a late layer's feature maps for a cat,
 * and the photos that excite a channel most.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imagesToBatch } from '../../src/ml/image';
import {
  activationModel,
  channelMeans,
  featureMapGrid,
  filterGrid,
  firstConvKernel,
  tileAt,
  topExcitingPhotos,
  viridis,
} from '../../src/ml/visualize';
import { ASSET_DIR, nodeModelIO, readPhoto, useWasmBackend } from '../../src/platform/node';

interface PhotoEntry {
  file: string;
  label: string;
  split: string;
}

/** Distinct RGB colours of a picture: a constant (broken) picture has one or two (with the gap colour). */
function distinctColours(data: Uint8ClampedArray): number {
  const seen = new Set<number>();
  for (let i = 0; i < data.length; i += 4) seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
  return seen.size;
}

describe('pictures of the real model', () => {
  let model: tf.LayersModel;
  beforeAll(async () => {
    await useWasmBackend();
    model = await tf.loadLayersModel(nodeModelIO());
  });
  afterAll(() => model.dispose());

  it('draws conv1’s 8 filters as scaled-up RGB tiles, mid-grey at zero weight', () => {
    const kernel = firstConvKernel(model);
    expect(kernel.shape).toEqual([3, 3, 3, 8]);
    const grid = filterGrid(kernel);
    expect(grid.layout).toMatchObject({ tiles: 8, columns: 8, rows: 1, tileWidth: 48, tileHeight: 48, gap: 2 });
    expect([grid.width, grid.height]).toEqual([8 * 48 + 7 * 2, 48]);
    expect(grid.data).toHaveLength(grid.width * grid.height * 4);
    expect(distinctColours(grid.data)).toBeGreaterThan(8 * 5);
    // Pixel (x=1, y=2) of filter 5, red channel, recomputed by hand: 127.5 + 127.5 · w / max|w| of that filter.
    const k = kernel.arraySync() as number[][][][];
    const peak = Math.max(...k.flat(2).map((rgb) => Math.abs(rgb[5]!)));
    const o = (2 * 16 * grid.width + 5 * 50 + 1 * 16) * 4;
    expect(grid.data[o]).toBe(Math.round(127.5 + (127.5 * k[2]![1]![0]![5]!) / peak));
    expect(() => filterGrid(tf.zeros([3, 3, 8, 16]))).toThrow(
      'the kernel must be [h, w, 3, filters], got [3, 3, 8, 16]',
    );
  });

  it('draws the 256 feature maps of conv_pw_13_relu for a cat photo', async () => {
    const probe = activationModel(model, 'conv_pw_13_relu');
    const mau = await readPhoto('cat/Egyptian_Mau_10.jpg');
    const maps = tf.tidy(() => probe.predict(imagesToBatch([mau])) as tf.Tensor4D);
    expect(maps.shape).toEqual([1, 7, 7, 256]);
    const grid = featureMapGrid(maps);
    expect(grid.layout).toMatchObject({ tiles: 256, columns: 16, rows: 16, tileWidth: 28, tileHeight: 28, gap: 1 });
    expect([grid.width, grid.height]).toEqual([16 * 28 + 15, 16 * 28 + 15]);
    expect(distinctColours(grid.data)).toBeGreaterThan(100);
    // Per-channel scaling: in the most active channel, its brightest spot is viridis(1), its dimmest viridis(0).
    const px = (maps.arraySync() as number[][][][])[0]!.flatMap((row, y) => row.map((v, x) => ({ v, x, y })));
    const channel = px.flatMap((p) => p.v.map((a, c) => ({ a, c }))).reduce((m, b) => (b.a > m.a ? b : m)).c;
    const values = px.map((p) => ({ a: p.v[channel]!, x: p.x, y: p.y }));
    const colourAt = (x: number, y: number) => {
      const o = ((Math.floor(channel / 16) * 29 + y * 4) * grid.width + (channel % 16) * 29 + x * 4) * 4;
      return [...grid.data.subarray(o, o + 3)];
    };
    const hi = values.reduce((m, b) => (b.a > m.a ? b : m));
    const lo = values.reduce((m, b) => (b.a < m.a ? b : m));
    expect(hi.a).toBeGreaterThan(lo.a);
    expect(colourAt(hi.x, hi.y)).toEqual(viridis(1).map(Math.round));
    expect(colourAt(lo.x, lo.y)).toEqual(viridis(0).map(Math.round));
    expect(tileAt(grid.layout, 29 * 3 + 5, 29 + 2)).toBe(16 + 3);
    expect(tileAt(grid.layout, 28, 0)).toBeNull(); // the gap
    expect(() => featureMapGrid(tf.zeros([2, 7, 7, 4]))).toThrow("one photo's activations");
    expect(() => activationModel(model, 'conv_pw_14')).toThrow('the model has no layer "conv_pw_14"');
    maps.dispose();
  });

  it('ranks the photos that excite a channel most', async () => {
    const index = JSON.parse(readFileSync(`${ASSET_DIR}/photos/index.json`, 'utf8')) as { photos: PhotoEntry[] };
    // 12 photos of each label: enough to rank, quick to run.
    const photos = ['cat', 'dog', 'other'].flatMap((label) =>
      index.photos.filter((p) => p.label === label).slice(0, 12),
    );
    const probe = activationModel(model, 'conv_pw_13_relu');
    const images = await Promise.all(photos.map((p) => readPhoto(p.file)));
    const means = tf.tidy(() => channelMeans(probe.predict(imagesToBatch(images)) as tf.Tensor4D));
    expect(means.shape).toEqual([36, 256]);
    const all = means.arraySync();
    for (const channel of [0, 17, 255]) {
      const top = topExcitingPhotos(means, photos, channel, 5);
      expect(top).toHaveLength(5);
      expect(new Set(top.map((t) => t.photo.file)).size).toBe(5);
      expect(top.map((t) => t.activation)).toEqual(top.map((t) => all[t.index]![channel]!));
      expect(top.every((t, i) => i === 0 || t.activation <= top[i - 1]!.activation)).toBe(true);
      expect(top[0]!.activation).toBe(Math.max(...all.map((row) => row[channel]!)));
      expect(top[0]!.photo).toBe(photos[top[0]!.index]);
    }
    expect(() => topExcitingPhotos(means, photos, 256, 3)).toThrow(
      'channel 256 is out of range: the layer has channels 0…255',
    );
    expect(() => topExcitingPhotos(means, photos.slice(1), 0, 3)).toThrow('36 rows of activations but 35 photos');
    means.dispose();
  });
});
