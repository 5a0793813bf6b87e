/**
 * Models as a lesson's compose cell builds them, for the graders' tables of lessons 4 and 7: an input, a copy of the
 * pre-trained base in one of the states a learner can leave it in, then the head's layers, each applied to the
 * previous output (Keras's functional API: x = layer(x)). The near misses of both tables differ in the head and in
 * these few base states, so they are written once here.
 */
import * as tf from '@tensorflow/tfjs';
import type { Workbook } from '../../src/workbook';

/**
 * The base: frozen (the solution), trainable (base.trainable = false forgotten), changed (one layer's weights
 * zeroed: not the pre-trained network), whole (ImageNet's classifier kept: no include_top=False) or feature maps (cut
 * before the pooling: 7 × 7 maps).
 */
export type BaseKind = 'frozen' | 'trainable' | 'changed' | 'whole' | 'feature maps';

/** Builds one model from the head's layers (a function, so every model gets fresh layers) on a base of that kind. */
export type Compose = (head: () => tf.layers.Layer[], kind?: BaseKind) => tf.LayersModel;

/**
 * A `compose` over `wb.base(pretrained)`. `frozen` is the shared frozen base (one copy, applied to each model's own
 * input); `changedLayer` is the layer whose weights the 'changed' base zeroes; `name` names the model.
 */
export function composer(
  wb: Workbook,
  pretrained: tf.LayersModel,
  frozen: tf.LayersModel,
  changedLayer: string,
  name?: string,
): Compose {
  const cut = (at: string | undefined, trainable: boolean) => {
    const base = wb.base(pretrained, at);
    base.trainable = trainable;
    return base;
  };
  return (head, kind = 'frozen') => {
    let base = frozen;
    if (kind === 'trainable') base = cut(undefined, true);
    if (kind === 'changed') {
      base = cut(undefined, false);
      const layer = base.getLayer(changedLayer);
      layer.setWeights(layer.getWeights().map((w) => tf.zerosLike(w)));
    }
    if (kind === 'whole') base = cut('reshape_2', false);
    if (kind === 'feature maps') base = cut('conv_pw_13_relu', false);
    const inputs = tf.input({ shape: [224, 224, 3] });
    let x = base.apply(inputs) as tf.SymbolicTensor;
    for (const layer of head()) x = layer.apply(x) as tf.SymbolicTensor;
    return tf.model({ inputs, outputs: x, name });
  };
}
