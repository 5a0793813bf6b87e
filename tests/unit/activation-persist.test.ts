/**
 * The activation store's policy (src/ml/activation-persist.ts) on hand-made values, exactly: which layers are worth
 * keeping (the byte limit, at and one float over it), which groups the cap evicts (the boundary "at the cap fits"),
 * the row checksum (FNV-1a over 32-bit words, with the published FNV-1a value of one zero word), the SHA-256 of parts
 * (against Node's own crypto, with the zero byte between parts) and the group key (each part changes it). The
 * real-model behaviour of the store is in activation-store.test.ts.
 */
import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CAP_BYTES,
  MAX_BYTES_PER_PHOTO,
  activationPersistence,
  groupKey,
  groupsToEvict,
  modelSha,
  photoSetSha,
  rowChecksum,
  sha256Hex,
  useActivationStore,
  worthPersisting,
  type GroupParts,
} from '../../src/ml/activation-persist';
import type { PhotoSet } from '../../src/ml/dataset';
import { MemoryActivationStore } from '../../src/platform/activation-store';

describe('worthPersisting and the caps', () => {
  it('keeps up to 128 KB a photo (32,768 floats), not one float more; the store holds 128 MB', () => {
    expect(MAX_BYTES_PER_PHOTO).toBe(131072);
    expect(DEFAULT_CAP_BYTES).toBe(134217728);
    expect(worthPersisting(256)).toBe(true);
    expect(worthPersisting(32768)).toBe(true);
    expect(worthPersisting(32769)).toBe(false);
    expect(worthPersisting(28 * 28 * 64)).toBe(false);
  });
});

describe('groupsToEvict', () => {
  const g = (group: string, bytes: number, lastUsed: number) => ({ group, layer: group, bytes, lastUsed });
  const groups = [g('a', 40, 3), g('b', 40, 1), g('c', 40, 2)];

  it.each([
    ['all fit under the cap', 10, 200, 'x', []],
    ['exactly at the cap fits', 80, 200, 'x', []],
    ['one byte over evicts the oldest', 81, 200, 'x', ['b']],
    ['evicting down to exactly the cap stops there', 40, 120, 'x', ['b']],
    ['oldest first, as many as needed', 50, 120, 'x', ['b', 'c']],
    ['never the group being written', 50, 120, 'b', ['c', 'a']],
    ['every other group, exactly at the cap', 120, 120, 'x', ['b', 'c', 'a']],
    ['null when even all of them make no room', 121, 120, 'x', null],
    ['null when only the kept group would make room', 81, 120, 'b', null],
  ])('%s', (_, incoming, cap, keep, evict) => {
    expect(groupsToEvict(groups, incoming as number, cap as number, keep as string)).toEqual(evict);
  });

  it('leaves the caller’s list in its order', () => {
    const list = [...groups];
    groupsToEvict(list, 50, 120, 'x');
    expect(list.map((x) => x.group)).toEqual(['a', 'b', 'c']);
  });
});

describe('rowChecksum', () => {
  it('is FNV-1a over the float bits, word by word', () => {
    expect(rowChecksum(new Float32Array([]))).toBe(0x811c9dc5); // the FNV offset basis
    expect(rowChecksum(new Float32Array([0]))).toBe(0x050c5d1f); // FNV-1a of one zero: the published value
    expect(rowChecksum(new Float32Array([1, 2, 3]))).toBe(0xea70f7b7);
  });

  it('changes with one bit, the order or the length, and reads a view’s own floats only', () => {
    const row = new Float32Array([1, 2, 3]);
    expect(rowChecksum(new Float32Array([1, 2, 3.0000002]))).not.toBe(rowChecksum(row));
    expect(rowChecksum(new Float32Array([3, 2, 1]))).not.toBe(rowChecksum(row));
    expect(rowChecksum(new Float32Array([1, 2]))).not.toBe(rowChecksum(row));
    expect(rowChecksum(new Float32Array([9, 1, 2, 3, 9]).subarray(1, 4))).toBe(rowChecksum(row));
  });
});

describe('sha256Hex', () => {
  const reference = (bytes: number[]) => createHash('sha256').update(Buffer.from(bytes)).digest('hex');

  it('hashes the parts with a zero byte after each, as Node’s SHA-256 does', async () => {
    expect(await sha256Hex([])).toBe(reference([]));
    expect(await sha256Hex(['abc'])).toBe(reference([0x61, 0x62, 0x63, 0]));
    expect(await sha256Hex(['é', new Uint8Array([1, 2])])).toBe(reference([0xc3, 0xa9, 0, 1, 2, 0]));
  });

  it('tells ("ab", "c") from ("a", "bc"), and reads a view’s own bytes only', async () => {
    expect(await sha256Hex(['ab', 'c'])).not.toBe(await sha256Hex(['a', 'bc']));
    const view = new Float32Array([7, 1, 2, 7]).subarray(1, 3);
    expect(await sha256Hex([view])).toBe(await sha256Hex([new Float32Array([1, 2])]));
    expect(await sha256Hex([view])).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('groupKey', () => {
  const parts: GroupParts = {
    modelSha: 'm1',
    layer: 'conv_pw_13_relu',
    prefix: 'folded',
    mirrored: false,
    backend: 'wasm',
    floatPrecision: 32,
    photoSetSha: 'p1',
    decoder: 'node jpeg-js',
  };

  it('reads layer, mirroring and backend at the front, then 32 hex digits of the SHA-256 of every part', async () => {
    const sha = await sha256Hex(['m1', 'conv_pw_13_relu', 'folded', 'plain', 'wasm', '32', 'p1', 'node jpeg-js']);
    expect(await groupKey(parts)).toBe(`conv_pw_13_relu|plain|wasm|${sha.slice(0, 32)}`);
    const mirroredSha = await sha256Hex([
      'm1',
      'conv_pw_13_relu',
      'folded',
      'mirrored',
      'wasm',
      '32',
      'p1',
      'node jpeg-js',
    ]);
    expect(await groupKey({ ...parts, mirrored: true })).toBe(
      `conv_pw_13_relu|mirrored|wasm|${mirroredSha.slice(0, 32)}`,
    );
  });

  it.each([
    ['modelSha', 'm2'],
    ['prefix', 'layers'],
    ['floatPrecision', 16],
    ['photoSetSha', 'p2'],
    ['decoder', 'Chromium'],
  ])('another %s is another key', async (part, value) => {
    expect(await groupKey({ ...parts, [part]: value })).not.toBe(await groupKey(parts));
  });
});

describe('the page’s store and the photo set’s hash', () => {
  it('is off until set, and off again after null', () => {
    expect(activationPersistence()).toBeNull();
    const setup = { store: new MemoryActivationStore(), assetStamp: 's', decoder: 'd' };
    useActivationStore(setup);
    expect(activationPersistence()).toBe(setup);
    useActivationStore(null);
    expect(activationPersistence()).toBeNull();
  });

  it('hashes a photo set’s index with the stamp, once per set and stamp', async () => {
    const index = { files: ['a.jpg'], labels: ['cat'] };
    const photos = { index } as unknown as PhotoSet;
    const sha = photoSetSha(photos, 'stamp-1');
    expect(photoSetSha(photos, 'stamp-1')).toBe(sha); // the same promise: hashed once
    expect(await sha).toBe(await sha256Hex([JSON.stringify(index), 'stamp-1']));
    expect(await photoSetSha(photos, 'stamp-2')).toBe(await sha256Hex([JSON.stringify(index), 'stamp-2']));
    const other = { index: { files: ['b.jpg'], labels: ['cat'] } } as unknown as PhotoSet;
    expect(await photoSetSha(other, 'stamp-1')).not.toBe(await sha);
  });
});

describe('modelSha', () => {
  /** A one-layer model with the given activation and fixed weights. */
  const tiny = (activation: 'relu' | 'linear') => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3], activation })] });
    model.setWeights([tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]), tf.tensor1d([0.5, -0.5])]);
    return model;
  };

  it('is computed once per model; another model of the same weights and another activation has another key', async () => {
    const relu = tiny('relu');
    expect(modelSha(relu)).toBe(modelSha(relu));
    const linear = tiny('linear');
    expect(await modelSha(linear)).not.toBe(await modelSha(relu));
  });

  it('tells models apart by a setting without weights: the same weight names and values, another key', async () => {
    // Layers named by hand, so both models' weights have the same names ("d/kernel", "d/bias") and values: only
    // the topology (a ReLU's cap, a Dropout rate, a padding) tells them apart.
    const model = (settings: { maxValue?: number; rate?: number; padding?: 'valid' | 'same' }) => {
      const m = tf.sequential({
        layers: [
          tf.layers.conv2d({ name: 'c', filters: 1, kernelSize: 2, inputShape: [3, 3, 1], padding: settings.padding }),
          tf.layers.reLU({ name: 'r', maxValue: settings.maxValue }),
          tf.layers.dropout({ name: 'o', rate: settings.rate ?? 0.5 }),
          tf.layers.flatten({ name: 'f' }),
        ],
      });
      m.setWeights([tf.tensor4d([1, 2, 3, 4], [2, 2, 1, 1]), tf.tensor1d([0.5])]);
      return m;
    };
    const models = [model({}), model({ maxValue: 6 }), model({ rate: 0.25 }), model({ padding: 'same' })];
    const names = models.map((m) => m.weights.map((w) => w.originalName).join());
    expect(new Set(names)).toEqual(new Set(['c/kernel,c/bias']));
    const values = models.map((m) => m.weights.map((w) => Array.from(w.read().dataSync()).join()).join('|'));
    expect(new Set(values)).toEqual(new Set(['1,2,3,4|0.5']));
    const shas = await Promise.all(models.map(modelSha));
    expect(new Set(shas).size).toBe(4);
  });
});
