/**
 * What batchNormAffine (src/ml/fold-weights.ts) folds and what it refuses. Folding is right only for a BN over the
 * channel (last) axis with moving statistics; MobileNet's BN layers are all of that kind, so the real-model tests
 * never reach the refusals. A fold that accepted a BN over another axis would scale the wrong dimension and change
 * every activation without a word.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { batchNormAffine } from '../../src/ml/fold-weights';

/** A built BN layer over `axis` of an input of `shape` (batch excluded). */
function builtBatchNorm(shape: number[], axis?: number): tf.layers.Layer {
  const input = tf.input({ shape });
  const bn = tf.layers.batchNormalization(axis === undefined ? {} : { axis });
  tf.model({ inputs: input, outputs: bn.apply(input) as tf.SymbolicTensor });
  return bn;
}

/** A stand-in with only what batchNormAffine reads: config, input spec and named weights. */
function layerLike(options: {
  config: object;
  inputSpec?: { ndim?: number }[];
  weights: Record<string, number[]>;
}): tf.layers.Layer {
  const weights = Object.entries(options.weights).map(([name, values]) => ({
    originalName: `fake/${name}`,
    read: () => tf.tensor1d(values),
  }));
  return { name: 'fake', getConfig: () => options.config, inputSpec: options.inputSpec, weights } as never;
}

const scaleOf = (bn: tf.layers.Layer) => [...batchNormAffine(bn).scale.dataSync()];

describe('batchNormAffine refusals', () => {
  it('folds a BN over the last axis, named as -1 or by its index, on rank-4 and rank-2 inputs', () => {
    expect(scaleOf(builtBatchNorm([2, 2, 3]))).toHaveLength(3);
    expect(scaleOf(builtBatchNorm([2, 2, 3], 3))).toHaveLength(3);
    // A BN after a Dense layer: rank 2, so the channel axis is 1, not 3.
    expect(scaleOf(builtBatchNorm([5], 1))).toHaveLength(5);
  });

  it('refuses a BN over a spatial axis, naming the layer and the axis', () => {
    const bn = builtBatchNorm([4, 2, 3], 1);
    expect(() => batchNormAffine(bn)).toThrow(`BN folding: ${bn.name} normalises axis 1; only the last`);
  });

  it('refuses a BN over several axes', () => {
    const bn = layerLike({
      config: { axis: [3, 1] },
      inputSpec: [{ ndim: 4 }],
      weights: { moving_mean: [0], moving_variance: [1] },
    });
    expect(() => batchNormAffine(bn)).toThrow('normalises axis [3,1]');
  });

  it('takes a missing axis as the last one, and a missing input spec as rank 4', () => {
    const stats = { moving_mean: [1, 2], moving_variance: [3, 15] };
    expect(scaleOf(layerLike({ config: {}, inputSpec: [{ ndim: 4 }], weights: stats }))).toHaveLength(2);
    expect(scaleOf(layerLike({ config: { axis: 3 }, weights: stats }))).toHaveLength(2);
    expect(() => batchNormAffine(layerLike({ config: { axis: 1 }, weights: stats }))).toThrow('normalises axis 1');
  });

  it('refuses a layer without a moving mean, or without a moving variance', () => {
    const spec = { config: { axis: -1 }, inputSpec: [{ ndim: 4 }] };
    expect(() => batchNormAffine(layerLike({ ...spec, weights: { moving_variance: [1] } }))).toThrow(
      'BN folding: fake has no moving mean/variance',
    );
    expect(() => batchNormAffine(layerLike({ ...spec, weights: { moving_mean: [0] } }))).toThrow(
      'has no moving mean/variance',
    );
  });
});
