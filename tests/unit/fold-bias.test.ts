/**
 * BatchNorm folding (src/ml/fold-weights.ts, src/ml/fold.ts) for convolutions that have a bias of their own.
 * MobileNet's convs have none (the BN's beta plays that role), so the real-model tests cannot see a fold that
 * forgets to scale an existing bias: y = (w·x + b)·scale + shift needs b' = b·scale + shift, not b + shift.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { batchNormAffine, foldIntoConv } from '../../src/ml/fold-weights';
import { foldPrefix } from '../../src/ml/fold';

const values = (t: tf.Tensor) => [...t.dataSync()].map((v) => Number(v.toFixed(5)));

describe('foldIntoConv, exact values', () => {
  const affine = { scale: tf.tensor1d([2, 3]), shift: tf.tensor1d([10, 20]) };

  it('scales each output channel of a conv filter and its bias, then adds the shift', () => {
    // [kh, kw, in, out] = [1, 1, 2, 2]: rows are input channels, columns output channels.
    const filter = tf.tensor4d([1, 2, 3, 4], [1, 1, 2, 2]);
    const folded = foldIntoConv(filter, tf.tensor1d([1, 2]), affine, false);
    expect(values(folded.filter)).toEqual([2, 6, 6, 12]);
    expect(values(folded.bias)).toEqual([12, 26]); // 1·2 + 10, 2·3 + 20
  });

  it('uses the shift alone as the bias of a conv without one', () => {
    const folded = foldIntoConv(tf.tensor4d([1, 2, 3, 4], [1, 1, 2, 2]), undefined, affine, false);
    expect(values(folded.bias)).toEqual([10, 20]);
  });

  it('lays a depthwise scale out as [channels, multiplier]: output channel c·M + m', () => {
    // [kh, kw, C, M] = [1, 1, 1, 2]: one input channel, multiplier 2, so outputs 0 and 1 both come from channel 0.
    const folded = foldIntoConv(tf.tensor4d([5, 7], [1, 1, 1, 2]), tf.tensor1d([1, 1]), affine, true);
    expect(values(folded.filter)).toEqual([10, 21]);
    expect(values(folded.bias)).toEqual([12, 23]);
  });

  it("refuses a BN whose channel count differs from the conv's outputs", () => {
    expect(() => foldIntoConv(tf.zeros([1, 1, 2, 3]) as tf.Tensor4D, undefined, affine, false)).toThrow(
      'BN folding: the conv has 3 output channels but the BN normalises 2',
    );
  });
});

describe('batchNormAffine, exact values', () => {
  it('gives scale = gamma/√(var + ε) and shift = beta − mean·scale from the moving statistics', () => {
    const input = tf.input({ shape: [1, 1, 2] });
    const bn = tf.layers.batchNormalization({ epsilon: 0 });
    tf.model({ inputs: input, outputs: bn.apply(input) as tf.SymbolicTensor });
    bn.setWeights([tf.tensor1d([2, 3]), tf.tensor1d([1, -1]), tf.tensor1d([4, 2]), tf.tensor1d([16, 9])]);
    const { scale, shift } = batchNormAffine(bn);
    expect(values(scale)).toEqual([0.5, 1]);
    expect(values(shift)).toEqual([-1, -3]); // 1 − 4·0.5, −1 − 2·1
  });
});

/** input → conv (with bias) → BN → ReLU6 → depthwise (with bias) → BN, with statistics far from the identity. */
function biasedChain(): tf.LayersModel {
  const input = tf.input({ shape: [6, 6, 2] });
  let h = tf.layers
    .conv2d({
      filters: 3,
      kernelSize: 3,
      padding: 'same',
      useBias: true,
      name: 'c',
      kernelInitializer: tf.initializers.randomNormal({ seed: 1 }),
    })
    .apply(input) as tf.SymbolicTensor;
  h = tf.layers.batchNormalization({ name: 'c_bn' }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.reLU({ maxValue: 6, name: 'c_relu' }).apply(h) as tf.SymbolicTensor;
  h = tf.layers
    .depthwiseConv2d({
      kernelSize: 3,
      depthMultiplier: 2,
      strides: [1, 2],
      padding: 'same',
      useBias: true,
      name: 'd',
      depthwiseInitializer: tf.initializers.randomNormal({ seed: 2 }),
    })
    .apply(h) as tf.SymbolicTensor;
  h = tf.layers.batchNormalization({ name: 'd_bn' }).apply(h) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: h });
  model.getLayer('c').setWeights([model.getLayer('c').getWeights()[0]!, tf.tensor1d([0.5, -1.5, 2])]);
  model
    .getLayer('c_bn')
    .setWeights([
      tf.tensor1d([2, 0.5, 1.5]),
      tf.tensor1d([1, -1, 0.25]),
      tf.tensor1d([0.3, -0.2, 0.1]),
      tf.tensor1d([4, 0.25, 2]),
    ]);
  model.getLayer('d').setWeights([model.getLayer('d').getWeights()[0]!, tf.tensor1d([1, -2, 3, -4, 0.5, -0.5])]);
  model
    .getLayer('d_bn')
    .setWeights([
      tf.tensor1d([3, 1, 2, 0.5, 1, 2]),
      tf.tensor1d([0, 1, 0, 1, 0, 1]),
      tf.tensor1d([1, 0, -1, 0, 1, 0]),
      tf.tensor1d([9, 1, 4, 1, 0.25, 1]),
    ]);
  return model;
}

describe('foldPrefix with conv biases', () => {
  it('computes what the layers compute, at every cut, for convs and depthwise convs with a bias', () => {
    const model = biasedChain();
    const x = tf.randomNormal([2, 6, 6, 2], 0, 1, 'float32', 3) as tf.Tensor4D;
    for (const cut of ['c', 'c_bn', 'c_relu', 'd', 'd_bn']) {
      const prefix = foldPrefix(model, cut);
      const reference = tf
        .model({ inputs: model.inputs, outputs: model.getLayer(cut).output as tf.SymbolicTensor })
        .predict(x) as tf.Tensor;
      const diff = tf.tidy(() => prefix.predict(x).sub(reference).abs().max().dataSync()[0]!);
      expect(diff, cut).toBeLessThan(1e-4);
      prefix.dispose();
    }
  });

  it('says it folded the biases in', () => {
    const prefix = foldPrefix(biasedChain(), 'd_bn');
    expect(prefix.steps).toEqual([
      { layers: ['c', 'c_bn', 'c_relu'], op: 'fused conv2d + bias + relu6' },
      { layers: ['d', 'd_bn'], op: 'fused depthwiseConv2d + bias' },
    ]);
    prefix.dispose();
  });
});
