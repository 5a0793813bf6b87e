/**
 * BatchNorm folding (src/ml/fold-weights.ts, src/ml/fold.ts) for convolutions that have a bias of their own.
 * MobileNet's convs have none (the BN's beta plays that role), so the real-model tests cannot see a fold that
 * forgets to scale an existing bias: y = (w·x + b)·scale + shift needs b' = b·scale + shift, not b + shift.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchNormAffine, foldIntoConv } from '../../src/ml/fold-weights';
import { foldPrefix } from '../../src/ml/fold';
import { convBnChain, setBnStats } from '../helpers/tiny-chains';

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
  const { input, output } = convBnChain({
    inputShape: [6, 6, 2],
    filters: 3,
    depthMultiplier: 2,
    dwStrides: [1, 2],
    useBias: true,
    finalRelu: false,
    names: { conv: 'c', dw: 'd' },
  });
  const model = tf.model({ inputs: input, outputs: output });
  model.getLayer('c').setWeights([model.getLayer('c').getWeights()[0]!, tf.tensor1d([0.5, -1.5, 2])]);
  setBnStats(model, ['c_bn']);
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

/**
 * conv with its own relu (absorbs nothing) → BN on its own → ReLU → conv → ReLU(max 6)... every kind of single step
 * foldPrefix knows, then pooling, reshape, flatten, a Dense run as is, and softmax.
 */
function everyKindChain(): tf.LayersModel {
  const input = tf.input({ shape: [6, 6, 2], name: 'in' });
  const layers: tf.layers.Layer[] = [
    tf.layers.conv2d({
      filters: 3,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      name: 'c_relu_own',
      kernelInitializer: tf.initializers.randomNormal({ seed: 4 }),
    }),
    tf.layers.batchNormalization({ name: 'lone_bn' }),
    tf.layers.activation({ activation: 'linear', name: 'act_linear' }),
    tf.layers.reLU({ name: 'plain_relu' }),
    tf.layers.conv2d({
      filters: 3,
      kernelSize: 1,
      name: 'c2',
      kernelInitializer: tf.initializers.randomNormal({ seed: 5 }),
    }),
    tf.layers.reLU({ maxValue: 6, name: 'relu6_layer' }),
    tf.layers.activation({ activation: 'relu', name: 'act_relu' }),
    tf.layers.activation({ activation: 'relu6', name: 'act_relu6' }),
    tf.layers.dropout({ rate: 0.5, name: 'drop' }),
    tf.layers.activation({ activation: 'tanh', name: 'act_tanh' }),
    tf.layers.reLU({ maxValue: 3, name: 'relu3' }),
    tf.layers.globalAveragePooling2d({ name: 'pool' }),
    tf.layers.reshape({ targetShape: [1, 1, 3], name: 'reshape' }),
    tf.layers.flatten({ name: 'flat' }),
    tf.layers.dense({ units: 4, name: 'dense', kernelInitializer: tf.initializers.randomNormal({ seed: 6 }) }),
    tf.layers.activation({ activation: 'softmax', name: 'softmax' }),
  ];
  const out = layers.reduce<tf.SymbolicTensor>((h, l) => l.apply(h) as tf.SymbolicTensor, input);
  const model = tf.model({ inputs: input, outputs: out });
  model
    .getLayer('lone_bn')
    .setWeights([
      tf.tensor1d([2, 0.5, 1.5]),
      tf.tensor1d([1, -1, 0.25]),
      tf.tensor1d([0.3, -0.2, 0.1]),
      tf.tensor1d([4, 0.25, 2]),
    ]);
  return model;
}

describe('foldPrefix on every kind of layer it runs on its own', () => {
  let model: tf.LayersModel;
  let x: tf.Tensor4D;
  beforeAll(() => {
    model = everyKindChain();
    x = tf.randomNormal([2, 6, 6, 2], 0, 2, 'float32', 8) as tf.Tensor4D;
  });

  it('computes what the layers compute at every cut', () => {
    for (const [i, layer] of model.layers.entries()) {
      const prefix = foldPrefix(model, i);
      const reference = tf
        .model({ inputs: model.inputs, outputs: layer.output as tf.SymbolicTensor })
        .predict(x) as tf.Tensor;
      const got = prefix.predict(x);
      expect(got.shape, layer.name).toEqual(reference.shape);
      expect(
        tf.tidy(() => got.sub(reference).abs().max().dataSync()[0]!),
        layer.name,
      ).toBeLessThan(1e-5);
      expect(prefix).toMatchObject({ layer: layer.name, index: i, outputShape: layer.outputShape });
      prefix.dispose();
    }
  });

  it('names each step by what it runs', () => {
    const prefix = foldPrefix(model, 'softmax');
    expect(prefix.steps).toEqual([
      { layers: ['c_relu_own'], op: 'fused conv2d + bias + relu' },
      { layers: ['lone_bn'], op: 'x·scale + shift' },
      { layers: ['act_linear'], op: 'identity' },
      { layers: ['plain_relu'], op: 'relu' },
      { layers: ['c2', 'relu6_layer'], op: 'fused conv2d + bias + relu6' },
      { layers: ['act_relu'], op: 'relu' },
      { layers: ['act_relu6'], op: 'relu6' },
      { layers: ['drop'], op: 'identity (dropout only acts in training)' },
      { layers: ['act_tanh'], op: 'Activation layer, as is' },
      { layers: ['relu3'], op: 'ReLU layer, as is' },
      { layers: ['pool'], op: 'mean over height and width' },
      { layers: ['reshape'], op: 'reshape to [n, 1, 1, 3]' },
      { layers: ['flat'], op: 'flatten' },
      { layers: ['dense'], op: 'Dense layer, as is' },
      { layers: ['softmax'], op: 'softmax' },
    ]);
    prefix.dispose();
  });

  it('owns its tensors: the conv filters and biases and the BN scale and shift, freed once on dispose', () => {
    const before = tf.memory().numTensors;
    const prefix = foldPrefix(model, 'c2');
    expect(tf.memory().numTensors - before).toBe(2 + 2 + 2); // c_relu_own's and c2's filter and bias (no BN after either), the BN's scale and shift
    prefix.dispose();
    prefix.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => prefix.predict(x)).toThrow('folded prefix up to c2: predict called after dispose()');
  });

  it('refuses cuts that are not layers, inputs of the wrong shape or type, with what is wrong', () => {
    expect(() => foldPrefix(model, 99)).toThrow(/layer index 99 is out of range: the model has layers 0…16$/);
    expect(() => foldPrefix(model, -1)).toThrow('layer index -1 is out of range');
    expect(() => foldPrefix(model, 1.5)).toThrow('layer index 1.5 is out of range');
    expect(() => foldPrefix(model, 'nope')).toThrow(/no layer "nope"/);
    const prefix = foldPrefix(model, 'pool');
    expect(() => prefix.predict(tf.zeros([2, 6, 5, 2]) as tf.Tensor4D)).toThrow(
      'folded prefix up to pool: expected input [n, 6, 6, 2], got [2, 6, 5, 2]',
    );
    expect(() => prefix.predict(tf.zeros([6, 6, 2]) as unknown as tf.Tensor4D)).toThrow(
      'expected input [n, 6, 6, 2], got [6, 6, 2]',
    );
    expect(() => prefix.predict(tf.zeros([1, 6, 6, 2], 'int32') as tf.Tensor4D)).toThrow(
      'folded prefix up to pool: expected float32 input, got int32',
    );
    const copy = foldPrefix(model, 0).predict(x);
    expect(copy).not.toBe(x);
    prefix.dispose();
  });

  it('refuses models it cannot fold: not a chain, not 4-D, channels-first', () => {
    const a = tf.input({ shape: [4, 4, 2] });
    const b1 = tf.layers.conv2d({ filters: 2, kernelSize: 1, name: 'b1' }).apply(a) as tf.SymbolicTensor;
    const b2 = tf.layers.conv2d({ filters: 2, kernelSize: 1, name: 'b2' }).apply(a) as tf.SymbolicTensor;
    const branched = tf.model({
      inputs: a,
      outputs: tf.layers.add({ name: 'sum' }).apply([b1, b2]) as tf.SymbolicTensor,
    });
    expect(() => foldPrefix(branched, 'sum')).toThrow(/b2 takes its input from .+, not from b1 alone/);
    const flat = tf.input({ shape: [5] });
    const dense = tf.model({ inputs: flat, outputs: tf.layers.dense({ units: 2 }).apply(flat) as tf.SymbolicTensor });
    expect(() => foldPrefix(dense, 1)).toThrow(/input must be 4-D \(a batch of images\), got \[, 5\]$/);
  });
});
