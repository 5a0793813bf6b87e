/**
 * runChain and continueChain (src/ml/frozen.ts) on a small hand-built conv → BN → ReLU6 → depthwise → BN → ReLU6 →
 * pooling → dense → dropout → softmax chain whose BatchNorm statistics are far from the identity, so that running
 * a BN layer twice, or in the wrong mode, changes every value. The real MobileNet's tests cache at `_relu` layers,
 * where running ReLU6 twice changes nothing; here every cut point is tried, BN and conv layers included.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBatchShape, continueChain, inferencePrefix, runChain } from '../../src/ml/frozen';
import { convBnChain, setBnStats } from '../helpers/tiny-chains';

/** A small chain of every layer kind the engine runs, with BN statistics set by hand. */
function tinyChain(): tf.LayersModel {
  const { input, output } = convBnChain({ inputShape: [5, 5, 2], filters: 3, seed: 1 });
  let h = tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(output) as tf.SymbolicTensor;
  h = tf.layers
    .dense({ units: 3, name: 'dense', kernelInitializer: tf.initializers.randomNormal({ seed: 3 }) })
    .apply(h) as tf.SymbolicTensor;
  h = tf.layers.dropout({ rate: 0.5, name: 'drop' }).apply(h) as tf.SymbolicTensor;
  const out = tf.layers.activation({ activation: 'softmax', name: 'softmax' }).apply(h) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  // gamma, beta, moving mean, moving variance: a BN applied twice, or with batch statistics, gives other values.
  setBnStats(model, ['conv_bn', 'dw_bn']);
  return model;
}

/** Activations of every layer of `model` for `x`, by the model's own predict (inference mode). */
function activationsByLayer(model: tf.LayersModel, x: tf.Tensor): tf.Tensor[] {
  return model.layers.map((layer) => inferencePrefix(model, layer.name).predict(x as tf.Tensor4D));
}

const maxDiff = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => a.sub(b).abs().max().dataSync()[0]!);

describe('runChain', () => {
  let model: tf.LayersModel;
  let x: tf.Tensor4D;
  beforeAll(() => {
    model = tinyChain();
    x = tf.randomNormal([4, 5, 5, 2], 0, 1, 'float32', 7);
  });

  it('in inference mode computes what predict computes', () => {
    const chained = tf.tidy(() => runChain(model.layers, x, { training: () => false }));
    expect(maxDiff(chained, model.predict(x) as tf.Tensor)).toBe(0);
  });

  it('keeps a trained BN layer on its moving statistics in batchNorm inference mode, and uses batch statistics in train mode', () => {
    const bnOnly = [model.getLayer('conv'), model.getLayer('conv_bn')];
    const inference = tf.tidy(() => runChain(bnOnly, x, { training: () => false }));
    const keepStats = tf.tidy(() => runChain(bnOnly, x, { training: () => true, batchNorm: 'inference' }));
    const batchStats = tf.tidy(() => runChain(bnOnly, x, { training: () => true, batchNorm: 'train' }));
    expect(maxDiff(keepStats, inference)).toBe(0);
    expect(maxDiff(batchStats, inference)).toBeGreaterThan(0.1);
    // With batch statistics each channel comes out (almost) with mean beta: the BN normalised the batch itself.
    const means = tf.tidy(() => batchStats.mean([0, 1, 2]).dataSync());
    expect([...means].map((m) => Number(m.toFixed(3)))).toEqual([1, -1, 0.25]);
  });

  it('leaves Dropout dropping in batchNorm inference mode', () => {
    const dense = [model.getLayer('dense'), model.getLayer('drop')];
    const features = tf.ones([2, 3]);
    const dropped = tf.tidy(() =>
      runChain(dense, features, { training: () => true, batchNorm: 'inference', dropoutSeed: 5 }),
    );
    const plain = tf.tidy(() => runChain(dense, features, { training: () => false }));
    // rate 0.5: every unit is either 0 or twice its inference value.
    const d = dropped.dataSync(),
      p = plain.dataSync();
    expect([...d].every((v, i) => v === 0 || Math.abs(v - 2 * p[i]!) < 1e-6)).toBe(true);
    expect([...d].some((v) => v === 0)).toBe(true);
  });

  it('leaves any other layer that is not BN in training mode in batchNorm inference mode', () => {
    // GaussianNoise acts only in training: the only way to see that the flag reached a non-BN layer.
    const noise = tf.layers.gaussianNoise({ stddev: 1 });
    const h = tf.zeros([4, 6]);
    const out = tf.tidy(() => runChain([noise], h, { training: () => true, batchNorm: 'inference' }));
    expect(maxDiff(out, h)).toBeGreaterThan(0.1);
    const quiet = tf.tidy(() => runChain([noise], h, { training: () => false, batchNorm: 'inference' }));
    expect(maxDiff(quiet, h)).toBe(0);
  });

  it('applies the noise shape of a Dropout layer: one decision per broadcast row', () => {
    const rows = tf.layers.dropout({ rate: 0.5, noiseShape: [16, 1] });
    const h = tf.ones([16, 8]);
    const out = tf.tidy(() => runChain([rows], h, { training: () => true, dropoutSeed: 3 }).arraySync() as number[][]);
    expect(out.every((row) => row.every((v) => v === row[0]))).toBe(true);
    expect(new Set(out.map((row) => row[0]))).toEqual(new Set([0, 2]));
  });

  it('draws a fresh Dropout mask per call when no seed is given', () => {
    const drop = [model.getLayer('drop')];
    const h = tf.ones([8, 16]);
    const masks = new Set(
      Array.from({ length: 4 }, () =>
        tf.tidy(() =>
          runChain(drop, h, { training: () => true })
            .dataSync()
            .join(),
        ),
      ),
    );
    expect(masks.size).toBe(4);
  });

  it('draws Dropout masks from dropoutSeed: the same seed the same mask, another seed another mask', () => {
    const drop = [model.getLayer('drop')];
    const h = tf.ones([8, 16]);
    const mask = (seed: number) =>
      tf.tidy(() =>
        runChain(drop, h, { training: () => true, dropoutSeed: seed })
          .dataSync()
          .join(),
      );
    expect(mask(11)).toBe(mask(11));
    expect(mask(11)).not.toBe(mask(12));
  });

  it('asks training(i) with the index of each layer in the chain', () => {
    const asked: number[] = [];
    tf.tidy(() => runChain(model.layers, x, { training: (i) => (asked.push(i), false) }));
    // The input layer (0) and nothing else is skipped before asking; Dropout asks too.
    expect(asked).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});

describe('continueChain', () => {
  let model: tf.LayersModel;
  let acts: tf.Tensor[];
  beforeAll(() => {
    model = tinyChain();
    acts = activationsByLayer(model, tf.randomNormal([3, 5, 5, 2], 0, 1, 'float32', 9));
  });

  it('continues from every layer, conv and BN layers included, to every later one, as predict does', () => {
    const last = model.layers.length - 1;
    for (let from = 0; from < last; from++) {
      for (let to = from + 1; to <= last; to++) {
        const continued = continueChain(model, from, to, acts[from]!);
        const diff = maxDiff(continued, acts[to]!);
        continued.dispose();
        expect(diff, `${model.layers[from]!.name} → ${model.layers[to]!.name}`).toBeLessThan(1e-6);
      }
    }
  });

  it('starts with the layer after `from`: from conv_bn it does not normalise twice', () => {
    const from = model.layers.findIndex((l) => l.name === 'conv_bn');
    const continued = continueChain(model, from, from + 1, acts[from]!);
    expect(maxDiff(continued, acts[from + 1]!)).toBe(0);
  });

  it('over a Dropout alone returns a copy of its input, which the caller may dispose', () => {
    const drop = model.layers.findIndex((l) => l.name === 'drop');
    const input = acts[drop - 1]!.clone();
    const continued = continueChain(model, drop - 1, drop, input);
    expect(continued).not.toBe(input);
    input.dispose();
    expect(maxDiff(continued, acts[drop]!)).toBe(0);
  });

  it('refuses a `from` that is not before `to`', () => {
    expect(() => continueChain(model, 4, 4, acts[4]!)).toThrow('continueChain: layer 4 does not come before layer 4');
    expect(() => continueChain(model, 5, 3, acts[5]!)).toThrow('continueChain: layer 5 does not come before layer 3');
  });
});

describe('assertBatchShape', () => {
  it('accepts any batch size where the shape says null, and names both shapes when they differ', () => {
    expect(() => assertBatchShape(tf.zeros([7, 2, 3]), [null, 2, 3], 'the head')).not.toThrow();
    expect(() => assertBatchShape(tf.zeros([7, 2, 4]), [null, 2, 3], 'the head')).toThrow(
      'the head expects a batch of shape [n, 2, 3], got [7, 2, 4]',
    );
    expect(() => assertBatchShape(tf.zeros([7, 2, 3, 1]), [null, 2, 3], 'the head')).toThrow(
      'the head expects a batch of shape [n, 2, 3], got [7, 2, 3, 1]',
    );
    expect(() => assertBatchShape(tf.zeros([2, 3]), [null, 2, 3], 'the head')).toThrow(
      'the head expects a batch of shape [n, 2, 3], got [2, 3]',
    );
    expect(() => assertBatchShape(tf.zeros([1, 2, 3]), [2, 2, 3], 'x')).toThrow(
      'x expects a batch of shape [2, 2, 3], got [1, 2, 3]',
    );
  });
});
