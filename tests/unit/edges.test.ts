/**
 * Edges you can see: conv1 with its BatchNorm folded in (dead filters, flipped channels, one shared scale), and the
 * receptive-field patches that excite an early channel most — checked against the weights and against the model's
 * own activations, never against hard-coded channel numbers.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelPeaks, ChannelPatchIndex, sharedFraction, strongest } from '../../src/ml/channel-patches';
import { loadPhotoSet, type PhotoEntry } from '../../src/ml/dataset';
import {
  CLIPPED_MARK,
  DEAD_FILTER_THRESHOLD,
  DEAD_MARK,
  foldedFilterGrid,
  foldedFirstLayer,
  luminancePattern,
} from '../../src/ml/first-layer';
import { activationModel, OUTSIDE_PHOTO, patchGrid, WINDOW_FRAME } from '../../src/ml/visualize';
import { ASSET_DIR, nodeModelIO, readPhoto, useWasmBackend } from '../../src/platform/node';

describe('peaks and patches on hand-made maps', () => {
  it('measures how much two windows share', () => {
    expect(sharedFraction(19, 0, 0)).toBe(1);
    expect(sharedFraction(19, 4, 0)).toBe((15 * 19) / 361);
    expect(sharedFraction(19, -8, 12)).toBe((11 * 7) / 361);
    expect(sharedFraction(3, 3, 0)).toBe(0);
  });

  it('keeps the strongest positions whose windows do not overlap much', () => {
    // 5×4 map, windows 3×3 one pixel apart: a neighbour shares 6/9 (suppressed), two steps away 3/9 or less.
    const map = [0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 9, 8, 0, 7, 0, 0, 0, -1];
    const field = { size: 3, jump: 1 };
    // 9 at (2,2) first; 8 at (2,3) shares 6/9 > 0.25 → out; 7 at (3,0): dy 1, dx 2 → 2·1/9 ≤ 0.25 → in; 3 at (0,4): dy 2, dx 2 → 1/9 → in.
    expect(channelPeaks(map, 5, field, 9, 0.25)).toEqual([
      { y: 2, x: 2, activation: 9 },
      { y: 3, x: 0, activation: 7 },
      { y: 0, x: 4, activation: 3 },
    ]);
    expect(channelPeaks(map, 5, field, 2, 0.25)).toEqual([
      { y: 2, x: 2, activation: 9 },
      { y: 3, x: 0, activation: 7 },
    ]);
    // Allowing 2/3 overlap lets the 8 in; a negative or zero activation is never a peak.
    expect(channelPeaks(map, 5, field, 9, 0.7).map((p) => p.activation)).toEqual([9, 8, 7, 3]);
    expect(channelPeaks([0, -1, 0], 3, field, 9, 0.25)).toEqual([]);
    // More positions than the first look (32) can hold, all in one clump: the search looks further.
    const clump = Array.from({ length: 100 * 100 }, (_, i) => 1000 - Math.hypot(Math.floor(i / 100), i % 100));
    const far = channelPeaks(clump, 100, { size: 11, jump: 1 }, 2, 0);
    expect(far[0]).toEqual({ y: 0, x: 0, activation: 1000 });
    expect(far[1]).toEqual({ y: 0, x: 11, activation: 989 }); // the first position 11 pixels away (of ~95 closer ones)
  });

  it('finds the m largest positive values, ties to the lower index', () => {
    expect(strongest([3, 5, 5, -2, 0, 4, 1], 3)).toEqual([1, 2, 5]);
    expect(strongest([3, 5, 5, -2, 0, 4, 1], 10)).toEqual([1, 2, 5, 0, 6]);
  });

  it('names the brightness pattern of a 3×3 luminance kernel', () => {
    expect(
      luminancePattern([
        [-1, -1, -1],
        [0, 0, 0],
        [1, 1, 1],
      ]),
    ).toBe('horizontal edge, dark above');
    expect(
      luminancePattern([
        [1, 0, -1],
        [1, 0, -1],
        [1, 0, -1],
      ]),
    ).toBe('vertical edge, bright on the left');
    expect(
      luminancePattern([
        [1, -2, 1],
        [1, -2, 1],
        [1, -2, 1],
      ]),
    ).toBe('dark vertical line');
    expect(
      luminancePattern([
        [0, 0, 0],
        [1, 1, 1],
        [0, 0, 0],
      ]),
    ).toBe('bright horizontal line'); // a tie with 'bright': the shape names it
    expect(
      luminancePattern([
        [0.1, 0.1, 0.1],
        [0.1, 0.2, 0.1],
        [0.1, 0.1, 0.1],
      ]),
    ).toBe('bright');
    expect(
      luminancePattern([
        [0, 0, 0],
        [0, 1e-4, 0],
        [0, 0, 0],
      ]),
    ).toBe('none');
    expect(() =>
      luminancePattern([
        [1, 2],
        [3, 4],
      ]),
    ).toThrow('3×3');
  });

  it('draws patches with the photo outside in grey and the window framed', () => {
    // A 4×4 image whose pixel (y, x) is [10y, 10x, 7].
    const data = Array.from(
      { length: 4 * 4 * 3 },
      (_, i) => [10 * Math.floor(i / 12), 10 * (Math.floor(i / 3) % 4), 7][i % 3]!,
    );
    const image = { width: 4, height: 4, data };
    const grid = patchGrid(
      [
        { image, top: -1, left: 2, size: 3 },
        { image, top: 0, left: 0, size: 3 },
      ],
      { context: 1, scale: 1, gap: 0 },
    );
    expect([grid.width, grid.height]).toEqual([10, 5]);
    const at = (x: number, y: number) => [
      ...grid.data.subarray((y * grid.width + x) * 4, (y * grid.width + x) * 4 + 3),
    ];
    expect(at(0, 0)).toEqual([...WINDOW_FRAME]); // the frame, one pixel outside the window
    expect(at(1, 1)).toEqual([...OUTSIDE_PHOTO]); // window pixel (−1, 2): above the photo
    expect(at(2, 2)).toEqual([0, 30, 7]); // window pixel (0, 3)
    expect(at(3, 2)).toEqual([...OUTSIDE_PHOTO]); // (0, 4): right of the photo
    expect(at(5 + 3, 3)).toEqual([20, 20, 7]); // second tile, window pixel (2, 2)
    expect(() =>
      patchGrid([
        { image, top: 0, left: 0, size: 3 },
        { image, top: 0, left: 0, size: 2 },
      ]),
    ).toThrow('same size');
  });
});

describe('edges on the real model', () => {
  let model: tf.LayersModel;
  beforeAll(async () => {
    await useWasmBackend();
    model = await tf.loadLayersModel(nodeModelIO());
  });
  afterAll(() => model.dispose());

  it('folds conv1_bn into conv1: dead filters from the weights, flipped channels, the model’s own outputs', async () => {
    const layer = foldedFirstLayer(model);
    const raw = model.getLayer('conv1').getWeights()[0]!.arraySync() as number[][][][];
    const bn = Object.fromEntries(
      model
        .getLayer('conv1_bn')
        .getWeights()
        .map((w, i) => [['gamma', 'beta', 'mean', 'variance'][i]!, w.arraySync() as number[]]),
    );
    const eps = (model.getLayer('conv1_bn').getConfig() as { epsilon: number }).epsilon;
    const weights = (f: number) => raw.flat(2).map((rgb) => rgb[f]!);
    const rawPeaks = layer.filters.map((_, f) => Math.max(...weights(f).map(Math.abs)));
    const dead = rawPeaks.map((p) => p < DEAD_FILTER_THRESHOLD * Math.max(...rawPeaks));
    expect(layer.filters.map((f) => f.dead)).toEqual(dead);
    expect(dead.filter(Boolean)).toHaveLength(3); // what MobileNet v1 0.25's weights give
    for (const f of layer.filters) {
      const scale = bn.gamma![f.channel]! / Math.sqrt(bn.variance![f.channel]! + eps);
      expect(f.scale).toBeCloseTo(scale, 4);
      expect(f.flipped).toBe(bn.gamma![f.channel]! < 0);
      // Folded = raw · scale, so a negative γ turns every weight's sign around.
      f.kernel.flat(2).forEach((v, i) => {
        expect(v).toBeCloseTo(weights(f.channel)[i]! * scale, 5);
        if (f.flipped && Math.abs(weights(f.channel)[i]!) > 1e-6)
          expect(Math.sign(v)).toBe(-Math.sign(weights(f.channel)[i]!));
      });
    }
    expect(layer.filters.some((f) => f.flipped)).toBe(true);
    // What a channel fires on is read from the folded kernel: a flipped channel's raw kernel names the opposite.
    for (const f of layer.filters.filter((g) => g.flipped && g.fires !== 'none')) {
      const rawLuminance = f.luminance.map((row) => row.map((v) => v / f.scale));
      expect(luminancePattern(rawLuminance, 0)).not.toBe(f.fires);
    }
    // The folded filters compute conv1_relu: relu6(conv(x, folded) + bias) equals the model's output on a photo,
    // and a dead channel's output stays within its stated span.
    const photo = await readPhoto('cat/Egyptian_Mau_10.jpg');
    const x = tf.tidy(() =>
      tf.tensor4d(
        Float32Array.from(photo.data, (v) => v / 127.5 - 1),
        [1, 224, 224, 3],
      ),
    );
    const [mine, theirs] = tf.tidy(() => {
      const filter = tf.tensor4d(
        layer.filters
          .map((f) => f.kernel.flat(2))
          .reduce<number[]>((out, w, f) => {
            w.forEach((v, i) => (out[i * 8 + f] = v));
            return out;
          }, []),
        [3, 3, 3, 8],
      );
      const bias = tf.tensor1d(layer.filters.map((f) => f.bias));
      return [
        tf.relu6(tf.conv2d(x, filter, 2, 'same').add(bias)).arraySync(),
        (activationModel(model, 'conv1_relu').predict(x) as tf.Tensor).arraySync(),
      ];
    }) as unknown as [number[][][][], number[][][][]];
    const theirFlat = theirs.flat(3);
    const diff = Math.max(...mine.flat(3).map((v, i) => Math.abs(v - theirFlat[i]!)));
    expect(diff).toBeLessThan(1e-3);
    for (const f of layer.filters.filter((g) => g.dead)) {
      const values = theirs[0]!.flat().map((px) => px[f.channel]!);
      expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(f.outputSpan + 1e-5);
      expect(f.outputSpan).toBeLessThan(0.2);
    }
    x.dispose();
  });

  it('draws every filter on one shared scale: the same grey for 0 in every tile, dead tiles crossed', () => {
    const layer = foldedFirstLayer(model, { fullScale: 0.6 });
    const grid = foldedFilterGrid(layer); // 8 tiles of 48 × 48, 2 pixels apart
    expect(grid.layout).toMatchObject({ tiles: 8, columns: 8, tileWidth: 48, tileHeight: 48 });
    const px = (t: number, x: number, y: number) => [
      ...grid.data.subarray((y * grid.width + t * 50 + x) * 4, (y * grid.width + t * 50 + x) * 4 + 3),
    ];
    for (const f of layer.filters) {
      if (f.dead) {
        expect(px(f.channel, 24, 2)).toEqual([128, 128, 128]); // off the cross: weight 0
        expect(px(f.channel, 24, 24)).toEqual([...DEAD_MARK]);
        continue;
      }
      if (f.clipped) {
        expect(f.peak).toBeGreaterThan(0.6);
        expect(px(f.channel, 0, 0)).toEqual([...CLIPPED_MARK]);
        continue;
      }
      // Kernel cell (ky 1, kx 1) sits at tile pixels 16…31: its colour is 127.5 + 127.5·w/0.6 for every filter alike.
      const w = f.kernel[1]![1]!;
      expect(px(f.channel, 20, 20)).toEqual(w.map((v) => Math.round(127.5 + (127.5 * v) / 0.6)));
    }
    expect(layer.filters.filter((f) => f.clipped).map((f) => f.channel)).toEqual(
      layer.filters.filter((f) => !f.dead && f.peak > 0.6).map((f) => f.channel),
    );
    // The default full scale is the strongest live filter's largest weight: nothing clips.
    const plain = foldedFirstLayer(model);
    expect(plain.fullScale).toBe(Math.max(...plain.filters.filter((f) => !f.dead).map((f) => f.peak)));
    expect(plain.filters.some((f) => f.clipped)).toBe(false);
  });

  it('finds the patches of conv_pw_3_relu that excite a channel most, as the model computes them', async () => {
    const index = loadPhotoSet(readFileSync(`${ASSET_DIR}/photos/index.json`, 'utf8'), readPhoto);
    const photos: PhotoEntry[] = ['cat', 'dog', 'other'].flatMap((label) =>
      index
        .select()
        .filter((p) => p.label === label)
        .slice(0, 8),
    );
    const load = (ids: number[]) => index.batch(ids.map((i) => photos[i]!));
    const patches = await ChannelPatchIndex.build(model, 'conv_pw_3_relu', photos.length, load);
    expect(patches.shape).toEqual([56, 56, 32]);
    const x = await load(photos.map((_, i) => i));
    // The model's own numbers: the ReLU6 output, and its input (the BN output) that positions are ranked by.
    const [all, drive] = tf.tidy(() =>
      ['conv_pw_3_relu', 'conv_pw_3_bn'].map((name) =>
        (activationModel(model, name).predict(x) as tf.Tensor4D).arraySync(),
      ),
    );
    x.dispose();
    const inside = (y: number, xx: number) => y >= 2 && y <= 52 && xx >= 2 && xx <= 52; // windows −6 + 4·i … + 18 within 0 … 223
    // The channel driven hardest anywhere inside: its top patch is that position.
    let best = { v: -Infinity, c: 0 };
    drive!.forEach((rows) =>
      rows.forEach((row, y) =>
        row.forEach((v, xx) =>
          v.forEach((d, c) => {
            if (inside(y, xx) && d > best.v) best = { v: d, c };
          }),
        ),
      ),
    );
    const channel = best.c;
    const top = patches.top(channel, 9);
    expect(top).toHaveLength(9);
    expect(top[0]!.drive).toBeCloseTo(best.v, 3);
    for (const [i, p] of top.entries()) {
      expect(inside(p.y, p.x)).toBe(true);
      expect(p.drive).toBeCloseTo(drive![p.photo]![p.y]![p.x]![channel]!, 3); // the fused prefix = the model
      expect(p.activation).toBeCloseTo(all![p.photo]![p.y]![p.x]![channel]!, 3);
      expect(p.activation).toBe(Math.min(6, Math.max(0, p.drive)));
      if (i > 0) expect(p.drive).toBeLessThanOrEqual(top[i - 1]!.drive);
      for (const q of top.slice(0, i).filter((o) => o.photo === p.photo)) {
        expect(sharedFraction(19, (p.y - q.y) * 4, (p.x - q.x) * 4)).toBeLessThanOrEqual(0.25);
      }
    }
    // Greedy: every inside position driven harder than the 9th is either kept or overlaps a stronger kept one.
    drive!.forEach((rows, photo) =>
      rows.forEach((row, y) =>
        row.forEach((v, xx) => {
          if (!inside(y, xx) || v[channel]! <= top[8]!.drive + 1e-4) return;
          const kept = top.some((p) => p.photo === photo && p.y === y && p.x === xx);
          const covered = top.some(
            (p) =>
              p.photo === photo &&
              p.drive >= v[channel]! - 1e-4 &&
              sharedFraction(19, (p.y - y) * 4, (p.x - xx) * 4) > 0.25,
          );
          expect(kept || covered).toBe(true);
        }),
      ),
    );
    // At most one patch per photo: the 9 best photos' best windows, in the same order of drive.
    const varied = patches.top(channel, 9, 1);
    expect(new Set(varied.map((p) => p.photo)).size).toBe(varied.length);
    expect(varied[0]).toEqual(top[0]);
    expect(varied).toEqual(
      top
        .filter((p, i) => top.findIndex((q) => q.photo === p.photo) === i)
        .concat(varied.slice(new Set(top.map((p) => p.photo)).size)),
    );
    // The crop is the photo's pixels in the window; the window alone (rest of the photo grey) gives the same activation.
    const [crop] = await patches.patches([top[0]!], load);
    const { top: wy, left: wx, size } = crop!;
    expect(size).toBe(19);
    const photo = await readPhoto(photos[top[0]!.photo]!.file);
    const pixel = (yy: number, xx: number) => [...photo.data.subarray((yy * 224 + xx) * 3, (yy * 224 + xx) * 3 + 3)];
    const cy = Math.max(0, wy) + 1;
    const cx = Math.max(0, wx) + 1;
    expect(Array.from(crop!.image.data).slice((cy * 224 + cx) * 3, (cy * 224 + cx) * 3 + 3)).toEqual(pixel(cy, cx));
    const masked = tf.tidy(() => {
      const input = tf.tensor4d(
        Float32Array.from(photo.data, (v) => v / 127.5 - 1),
        [1, 224, 224, 3],
      );
      const mask = tf.buffer([1, 224, 224, 1]);
      for (let yy = Math.max(0, wy); yy < Math.min(224, wy + size); yy++)
        for (let xx = Math.max(0, wx); xx < Math.min(224, wx + size); xx++) mask.set(1, 0, yy, xx, 0);
      const out = activationModel(model, 'conv_pw_3_bn').predict(input.mul(mask.toTensor())) as tf.Tensor4D;
      return out.slice([0, top[0]!.y, top[0]!.x, channel], [1, 1, 1, 1]).dataSync()[0]!;
    });
    expect(masked).toBeCloseTo(top[0]!.drive, 3);
    expect(crop!.top).toBeGreaterThanOrEqual(0); // inside the photo, as asked
    expect(() => patches.top(32)).toThrow('channel 32 is out of range: conv_pw_3_relu has channels 0…31');
  });
});
