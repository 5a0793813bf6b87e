/**
 * The BN-folded prefix must compute the same function as the LayersModel: on the real MobileNet and real photos,
 * its activations equal the model's intermediate outputs at every kind of cut point, and its ImageNet top-1
 * classes equal the model's.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldPrefix } from '../../src/ml/fold';
import { imagesToBatch } from '../../src/ml/image';
import { nodeModelIO, readPhoto, useWasmBackend } from '../../src/platform/node';

const PHOTOS = [
  'cat/Egyptian_Mau_10.jpg',
  'cat/Siamese_108.jpg',
  'cat/Abyssinian_101.jpg',
  'dog/beagle_10.jpg',
  'dog/pug_112.jpg',
  'dog/american_bulldog_106.jpg',
  'other/other_tfjs_coffee.jpg',
  'other/other_imagenet_n01443537_goldfish.jpg',
];

/** Activations of `layer` the LayersModel's own way: a sub-model sharing its layers, run with predict. */
function reference(model: tf.LayersModel, layer: string, x: tf.Tensor4D): tf.Tensor {
  const sub = tf.model({ inputs: model.inputs, outputs: model.getLayer(layer).output as tf.SymbolicTensor });
  return sub.predict(x) as tf.Tensor;
}

describe('foldPrefix on the real MobileNet', () => {
  let model: tf.LayersModel;
  let x: tf.Tensor4D;
  beforeAll(async () => {
    await useWasmBackend();
    model = await tf.loadLayersModel(nodeModelIO());
    x = imagesToBatch(await Promise.all(PHOTOS.map(readPhoto)));
  });
  afterAll(() => {
    x.dispose();
    model.dispose();
  });

  it.each([
    'input_1', // nothing to run
    'conv1', // cut between a conv and its BN: the conv runs unfolded
    'conv1_bn', // folded, no activation
    'conv_pw_1_relu',
    'conv_dw_6_bn',
    'conv_dw_12', // a stride-2 depthwise conv, unfolded
    'conv_pw_11_relu',
    'conv_pw_13_relu',
    'global_average_pooling2d_1',
    'dropout',
    'conv_preds', // the classifier's 1×1 conv with its own bias, fused with nothing
    'reshape_2', // the whole model: softmax probabilities
  ])("matches the model's output at %s", (layer) => {
    const before = tf.memory().numTensors;
    const folded = foldPrefix(model, layer);
    const [maxDiff, scale, shape] = tf.tidy(() => {
      const expected = reference(model, layer, x);
      const actual = folded.predict(x);
      return [
        tf.max(tf.abs(actual.sub(expected))).dataSync()[0]!,
        tf.max(tf.abs(expected)).dataSync()[0]!,
        actual.shape,
      ];
    });
    expect(shape).toEqual([PHOTOS.length, ...folded.outputShape.slice(1)]);
    expect(folded.outputShape).toEqual(model.getLayer(layer).outputShape);
    // Folding reorders float32 arithmetic; through up to 27 convs the difference stays far below the signal.
    expect(maxDiff, `max |folded − model| = ${maxDiff} (output scale ${scale})`).toBeLessThanOrEqual(
      2e-4 * Math.max(scale, 1e-3),
    );
    folded.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('really folds: one fused conv per conv/BN/ReLU6 triple up to conv_pw_13_relu', () => {
    const folded = foldPrefix(model, 'conv_pw_13_relu');
    expect(folded.steps).toHaveLength(27); // conv1 + 13 × (depthwise + pointwise)
    for (const step of folded.steps) {
      expect(step.layers).toHaveLength(3);
      expect(step.op).toMatch(/^fused (conv2d|depthwiseConv2d) \+ bias \+ relu6$/);
    }
    folded.dispose();
  });

  it("gives every photo the model's ImageNet top-1 class", () => {
    const folded = foldPrefix(model, model.layers.length - 1);
    const [mine, theirs] = tf.tidy(() => [
      Array.from(folded.predict(x).argMax(-1).dataSync()),
      Array.from((model.predict(x) as tf.Tensor).argMax(-1).dataSync()),
    ]);
    expect(mine).toEqual(theirs);
    // …and they are sensible where ImageNet has the answer, so this is not a comparison of two broken models.
    // (MobileNet 0.25 is small: it calls the Abyssinian a red fox and the bulldog a dishwasher — as does the model.)
    expect([mine[0], mine[1]].every((c) => c! >= 281 && c! <= 285)).toBe(true); // tabby … Egyptian cat
    expect([mine[3], mine[4]].every((c) => c! >= 151 && c! <= 268)).toBe(true); // dog breeds
    expect([mine[6], mine[7]]).toEqual([968, 1]); // cup, goldfish
    folded.dispose();
  });

  it('owns its weights: it keeps working after the model is gone, and frees them on dispose', async () => {
    const own = await tf.loadLayersModel(nodeModelIO());
    const folded = foldPrefix(own, 'conv_pw_2_relu');
    const expected = tf.tidy(() => reference(own, 'conv_pw_2_relu', x));
    own.dispose();
    const withoutModel = tf.memory().numTensors;
    const actual = folded.predict(x);
    expect(tf.tidy(() => tf.max(tf.abs(actual.sub(expected))).dataSync()[0])).toBeLessThan(1e-4);
    actual.dispose();
    expect(tf.memory().numTensors).toBe(withoutModel);
    expected.dispose();
    const withPrefix = tf.memory().numTensors;
    folded.dispose();
    expect(tf.memory().numTensors).toBe(withPrefix - 5 * 2); // 5 fused convs, a filter and a bias each
    expect(() => folded.predict(x)).toThrow(/after dispose/);
  });

  it('rejects bad cuts and bad inputs with errors that say what is wrong', () => {
    expect(() => foldPrefix(model, 'conv_pw_99')).toThrow(/no layer "conv_pw_99".*input_1.*reshape_2/);
    expect(() => foldPrefix(model, 88)).toThrow(/out of range.*0…87/);
    const folded = foldPrefix(model, 'conv_pw_1_relu');
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      expect(() => folded.predict(tf.zeros([2, 112, 112, 3]) as tf.Tensor4D)).toThrow(
        /expected input \[n, 224, 224, 3\], got \[2, 112, 112, 3\]/,
      );
      expect(() => folded.predict(tf.zeros([224, 224, 3]) as unknown as tf.Tensor4D)).toThrow(
        /expected input \[n, 224, 224, 3\]/,
      );
      expect(() => folded.predict(tf.zeros([1, 224, 224, 3], 'int32') as tf.Tensor4D)).toThrow(/float32/);
    });
    expect(tf.memory().numTensors).toBe(before);
    folded.dispose();
  });
});
