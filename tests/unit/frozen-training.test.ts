/**
 * "Frozen" must mean frozen: after training, every weight up to the freeze point (kernels AND BatchNorm moving
 * statistics) is byte-identical, while the layers after it have changed. And the fast path (training the suffix on
 * cached activations) must train the same model as running the whole network every step.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ActivationCache } from '../../src/ml/activation-cache';
import type { PhotoSet } from '../../src/ml/dataset';
import { classify } from '../../src/ml/evaluate';
import type { BatchMetrics } from '../../src/ml/runs';
import { buildTransferModel, layerIndex, paramCounts } from '../../src/ml/surgery';
import { train } from '../../src/ml/train';
import { loadRealModel, photoSubset, realPhotoSet, sameBytes, weightBytes } from '../helpers/training';

describe('training with a frozen prefix', () => {
  let base: tf.LayersModel;
  let photos: PhotoSet;
  beforeAll(async () => {
    base = await loadRealModel();
    photos = photoSubset(realPhotoSet(), { train: 8, validation: 3 }); // 24 train, 9 validation photos
  });

  /** Trains and checks layers ≤ freezeAt are byte-identical and the BN right after it moved its statistics. */
  async function expectFrozen(freezeAt: string, mode: 'cached' | 'full', changedBn: string) {
    const tm = buildTransferModel(base, { hidden: 16, seed: 3 });
    const k = layerIndex(tm.model, freezeAt);
    const before = weightBytes(tm.model.layers);
    const baseBefore = weightBytes(base.layers);
    const record = await train(tm, photos, { freezeAt, epochs: 2, batchSize: 8, learningRate: 0.01, mode, seed: 5 });
    expect(record.history).toHaveLength(2);
    const after = weightBytes(tm.model.layers);
    for (const layer of tm.model.layers.slice(0, k + 1)) {
      for (const w of layer.weights)
        expect(sameBytes(before.get(w.originalName), after.get(w.originalName)), `${w.originalName} changed`).toBe(
          true,
        );
    }
    for (const layer of tm.model.layers.slice(k + 1)) {
      for (const w of layer.weights)
        expect(
          sameBytes(before.get(w.originalName), after.get(w.originalName)),
          `${w.originalName} did not change`,
        ).toBe(false);
    }
    // The unfrozen BN ran in training mode: its moving mean moved. The pre-trained network itself is untouched.
    expect(sameBytes(before.get(`${changedBn}/moving_mean`), after.get(`${changedBn}/moving_mean`))).toBe(false);
    for (const [name, bytes] of weightBytes(base.layers))
      expect(sameBytes(bytes, baseBefore.get(name)), `base ${name}`).toBe(true);
    expect(record.trainableParams).toBe(paramCounts(tm.model).trainable);
    tm.model.dispose();
  }

  it('keeps every weight up to conv_pw_13 byte-identical, BN statistics included (cached activations)', async () => {
    await expectFrozen('conv_pw_13', 'cached', 'conv_pw_13_bn');
  });

  it('keeps them identical when every step runs the whole network (the BN-in-training trap)', async () => {
    await expectFrozen('conv_pw_13', 'full', 'conv_pw_13_bn');
  });

  it('fine-tunes blocks 12–13 with blocks 1–11 frozen (wasm conv gradients)', async () => {
    await expectFrozen('conv_pw_11_relu', 'cached', 'conv_dw_12_bn');
  });

  it('trains the same model from cached activations as through the whole network', async () => {
    const run = async (mode: 'cached' | 'full') => {
      const tm = buildTransferModel(base, { hidden: 16, seed: 9 });
      const losses: number[] = [];
      const onBatch = (m: BatchMetrics) => losses.push(m.loss);
      const cache = new ActivationCache(base, photos);
      const record = await train(tm, photos, {
        freezeAt: 'conv_pw_13',
        epochs: 2,
        batchSize: 8,
        learningRate: 0.01,
        augment: true,
        seed: 4,
        mode,
        cache,
        onBatch,
      });
      const weights = tm.model.layers
        .slice(layerIndex(tm.model, 'conv_pw_13') + 1)
        .flatMap((l) => l.getWeights().map((w) => w.dataSync() as Float32Array));
      tm.model.dispose();
      return { losses, weights, record };
    };
    const cached = await run('cached');
    const full = await run('full');
    expect(cached.losses).toHaveLength(6);
    cached.losses.forEach((l, i) => expect(l).toBeCloseTo(full.losses[i]!, 4));
    cached.record.history.forEach((h, i) => expect(h.valLoss).toBeCloseTo(full.record.history[i]!.valLoss, 4));
    cached.weights.forEach((w, i) => {
      const maxDiff = w.reduce((m, v, j) => Math.max(m, Math.abs(v - full.weights[i]![j]!)), 0);
      expect(maxDiff).toBeLessThan(1e-4);
    });
  });

  it('repeats a run exactly for the same seed (same backend) and differs for another seed', async () => {
    const run = async (seed: number) => {
      const tm = buildTransferModel(base, { hidden: 16, seed });
      await train(tm, photos, { epochs: 2, batchSize: 8, augment: true, seed });
      const bytes = weightBytes(tm.model.layers.slice(layerIndex(tm.model, tm.cutAt) + 1));
      tm.model.dispose();
      return bytes;
    };
    const [a, b, c] = [await run(11), await run(11), await run(12)];
    for (const [name, bytes] of a) {
      expect(sameBytes(bytes, b.get(name)), name).toBe(true);
      expect(sameBytes(bytes, c.get(name)), name).toBe(false);
    }
  });

  it('leaves tf.memory().numTensors where it was, also when stopped mid-run', async () => {
    const tm = buildTransferModel(base, { hidden: 16 });
    const start = tf.memory().numTensors;
    await train(tm, photos, { freezeAt: 'conv_pw_12_relu', epochs: 1, batchSize: 8, mode: 'full' });
    expect(tf.memory().numTensors).toBe(start);
    await train(tm, photos, { epochs: 2, batchSize: 8, augment: true, optimizer: 'sgd', schedule: 'cosine' });
    expect(tf.memory().numTensors).toBe(start);
    const stop = new AbortController();
    const record = await train(tm, photos, {
      epochs: 5,
      batchSize: 8,
      signal: stop.signal,
      onBatch: (m) => m.batch === 1 && stop.abort(),
    });
    expect(record.stopped).toBe(true);
    expect(record.history).toHaveLength(0);
    expect(tf.memory().numTensors).toBe(start);
    // Stopped while the frozen activations are being computed (a fresh freeze point, nothing cached yet).
    const early = new AbortController();
    const beforeFeatures = await train(tm, photos, {
      freezeAt: 'conv_pw_10_relu',
      signal: early.signal,
      onFeatures: () => early.abort(),
    });
    expect(beforeFeatures).toMatchObject({ stopped: true, history: [] });
    expect(tf.memory().numTensors).toBe(start);
    tm.model.dispose();
  });

  it('records the head it trained', async () => {
    const model = buildTransferModel(base, { hidden: 8, dropout: 0.2, seed: 6 });
    const record = await train(model, photos, { epochs: 1, batchSize: 12, seed: 6 });
    expect(record.head).toEqual({ seed: 6, hidden: 8, dropout: 0.2 });
    expect(record.trainableParams).toBe(256 * 8 + 8 + 8 * 3 + 3);
    expect(model.model.getLayer('head_dropout').getConfig()).toMatchObject({ rate: 0.2 });
    model.model.dispose();
  });

  it('computes later activations from cached earlier ones, matching the photos route', async () => {
    const cache = new ActivationCache(base, photos);
    const entries = photos.select('validation');
    await cache.activations('conv_pw_11_relu', entries);
    const fromLayer = await cache.activations('conv_pw_13_relu', entries);
    expect(cache.stats.fromEarlierLayer).toBe(entries.length);
    const direct = await new ActivationCache(base, photos).activations('conv_pw_13_relu', entries);
    fromLayer.forEach((a, i) =>
      expect(a.reduce((m, v, j) => Math.max(m, Math.abs(v - direct[i]![j]!)), 0)).toBeLessThan(1e-4),
    );
  });

  it('rejects a batch of the wrong shape with a message that names both shapes', () => {
    const tm = buildTransferModel(base);
    const x = tf.zeros([2, 128, 128, 3]);
    expect(() => classify(tm.model, x)).toThrow('expects a batch of shape [n, 224, 224, 3], got [2, 128, 128, 3]');
    x.dispose();
    tm.model.dispose();
  });

  it('says which layer cannot be a freeze point', async () => {
    const tm = buildTransferModel(base, { hidden: 8 });
    await expect(train(tm, photos, { freezeAt: 'head_hidden' })).rejects.toThrow(/inside the new head/);
    await expect(train(tm, photos, { freezeAt: 'conv_pw_99_relu' })).rejects.toThrow(
      /no layer "conv_pw_99_relu" in this model/,
    );
    tm.model.dispose();
  });
});
