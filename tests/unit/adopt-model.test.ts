/**
 * The learner's alpaca_model (input → base → Dropout → Dense(3) → softmax, composed with the functional API) becomes
 * a transfer model the engine trains, on the real MobileNet and photos: one chain sharing the learner's layers, the
 * pre-trained weights recognised, a changed base weight found, the learner's flags followed. Lesson 7's head with a
 * hidden Dense(relu) layer is adopted the same way, its layers read in order.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { adoptTransferModel, baseCopy, composedModelFacts } from '../../src/ml/adopt';
import { layerIndex } from '../../src/ml/surgery';
import { train } from '../../src/ml/train';
import { loadRealModel, photoSubset, realPhotoSet, weightBytes } from '../helpers/training';

describe("adopting the learner's own model", () => {
  let source: tf.LayersModel;
  beforeAll(async () => {
    source = await loadRealModel();
  });

  function alpaca(base: tf.LayersModel): { model: tf.LayersModel; dense: tf.layers.Layer } {
    const inputs = tf.input({ shape: [224, 224, 3] });
    let x = base.apply(inputs) as tf.SymbolicTensor;
    x = tf.layers.dropout({ rate: 0.2 }).apply(x) as tf.SymbolicTensor;
    const dense = tf.layers.dense({
      units: 3,
      kernelInitializer: tf.initializers.randomNormal({ stddev: 0.001, seed: 1 }),
    });
    const outputs = tf.layers.activation({ activation: 'softmax' }).apply(dense.apply(x)) as tf.SymbolicTensor;
    return { model: tf.model({ inputs, outputs }), dense };
  }

  it("unrolls the base into one chain that shares the learner's layers, and trains them as the flags say", async () => {
    const base = baseCopy(source);
    base.trainable = false; // Keras: base_model.trainable = False
    const { model, dense } = alpaca(base);
    const tm = adoptTransferModel(model, source);
    const cut = layerIndex(source, 'global_average_pooling2d_1');
    expect(tm.model.layers).toHaveLength(cut + 1 + 3);
    expect(tm.cutAt).toBe('global_average_pooling2d_1');
    expect(tm.modifiedFrom).toBe(tm.model.layers.length);
    expect(tm.model.layers[cut + 2]).toBe(dense);
    const before = weightBytes([dense]);
    const run = await train(tm, photoSubset(realPhotoSet(), { train: 2, validation: 1 }), { epochs: 1, batchSize: 3 });
    expect(run.freezeIndex).toBe(cut);
    expect(weightBytes([dense])).not.toEqual(before); // the learner's own Dense learned
    expect(weightBytes(source.layers.slice(1, cut + 1))).toEqual(weightBytes(base.layers.slice(1)));
  });

  it("adopts lesson 7's hidden head (Dense(relu) → Dropout → Dense(3) → softmax) and reads its layers in order", async () => {
    const base = baseCopy(source);
    base.trainable = false;
    const inputs = tf.input({ shape: [224, 224, 3] });
    let x = base.apply(inputs) as tf.SymbolicTensor;
    const hidden = tf.layers.dense({ units: 16, activation: 'relu' });
    x = tf.layers.dropout({ rate: 0.3 }).apply(hidden.apply(x)) as tf.SymbolicTensor;
    x = tf.layers.dense({ units: 3 }).apply(x) as tf.SymbolicTensor;
    const model = tf.model({
      inputs,
      outputs: tf.layers.activation({ activation: 'softmax' }).apply(x) as tf.SymbolicTensor,
    });
    const tm = adoptTransferModel(model, source);
    const cut = layerIndex(source, 'global_average_pooling2d_1');
    expect(tm.model.layers[cut + 1]).toBe(hidden);
    expect(composedModelFacts(model, source).head).toEqual([
      { className: 'Dense', units: 16, activation: 'relu' },
      { className: 'Dropout', rate: 0.3 },
      { className: 'Dense', units: 3, activation: 'linear' },
      { className: 'Activation', activation: 'softmax' },
    ]);
    const before = weightBytes([hidden]);
    const run = await train(tm, photoSubset(realPhotoSet(), { train: 2, validation: 1 }), { epochs: 1, batchSize: 3 });
    expect(run.freezeIndex).toBe(cut);
    expect(run.trainableParams).toBe(256 * 16 + 16 + 16 * 3 + 3);
    expect(weightBytes([hidden])).not.toEqual(before);
  });

  it('finds a base weight that is not the pre-trained one, and refuses a head without the pooled layer', () => {
    const base = baseCopy(source);
    const conv = base.getLayer('conv_pw_5');
    conv.setWeights(conv.getWeights().map((w) => tf.zerosLike(w)));
    expect(adoptTransferModel(alpaca(base).model, source).modifiedFrom).toBe(layerIndex(source, 'conv_pw_5'));
    const early = baseCopy(source, 'conv_pw_13_relu');
    expect(() => adoptTransferModel(alpaca(early).model, source)).toThrow(/no global_average_pooling2d_1/);
  });
});
