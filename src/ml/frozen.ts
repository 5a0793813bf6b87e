/**
 * Running layers in a chosen mode. This is where "frozen" becomes true: tfjs BatchNormalization looks only at the
 * `training` flag, not at `trainable`, so a frozen BN layer run with training=true would still normalise with batch
 * statistics and overwrite its moving mean and variance (tfjs issue 7250). Frozen layers are therefore always run
 * here with training=false, i.e. exactly as at prediction time.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * The frozen part of a network: anything that maps a [n, 224, 224, 3] input batch to the activations of `layer` in
 * inference mode. The default runs the model's own layers; a faster one (e.g. with BatchNorm folded into the
 * convolutions) can be plugged in, as long as it computes the same function.
 */
export interface FrozenPrefix {
  /** The layer whose output `predict` returns. */
  readonly layer: string;
  predict(x: tf.Tensor4D): tf.Tensor;
  /** Frees what the prefix owns (e.g. folded weights); called when the cache is done with it. */
  dispose?(): void;
}

/** Makes a FrozenPrefix of `model` ending at `layer`; foldPrefix (fold.ts) is one. */
export type PrefixFactory = (model: tf.LayersModel, layer: string) => FrozenPrefix;

/** The plain prefix: a sub-model of `model`'s own layers up to `layer`, run with predict (training=false). */
export const inferencePrefix: PrefixFactory = (model, layer) => {
  const sub = tf.model({ inputs: model.inputs, outputs: model.getLayer(layer).output as tf.SymbolicTensor });
  return { layer, predict: (x) => sub.predict(x) as tf.Tensor };
};

/** How BatchNormalization layers that are NOT frozen behave while training. */
export type BatchNormMode =
  /** Normalise with the batch's statistics and update the moving mean/variance; gamma and beta learn. */
  | 'train'
  /** Keep using the pre-trained moving statistics (as Keras recommends for fine-tuning); gamma and beta still learn. */
  | 'inference';

/** How to run each layer of a chain. */
export interface ChainMode {
  /** Whether layer i of the chain runs in training mode (Dropout active, BN per `batchNorm`). */
  training: (i: number) => boolean;
  batchNorm?: BatchNormMode;
  /**
   * Seed for this step's Dropout masks. tfjs's Dropout layer reuses one seed on every call (the same mask every
   * step), so the trainer passes a fresh seed per step and Dropout is applied here with tf.dropout.
   */
  dropoutSeed?: number;
}

/** Runs `x` through `layers` in order, each in the mode `mode` gives it. Must be called inside a tidy or minimize. */
export function runChain(layers: readonly tf.layers.Layer[], x: tf.Tensor, mode: ChainMode): tf.Tensor {
  let h = x;
  layers.forEach((layer, i) => {
    const className = layer.getClassName();
    if (className === 'InputLayer') return;
    let training = mode.training(i);
    if (className === 'Dropout') {
      if (!training) return; // Dropout is the identity at inference time.
      const { rate, noiseShape } = layer.getConfig() as { rate: number; noiseShape?: number[] };
      h = tf.dropout(h, rate, noiseShape ?? undefined, mode.dropoutSeed ?? Math.floor(Math.random() * 2 ** 31));
      return;
    }
    if (className === 'BatchNormalization' && training && mode.batchNorm === 'inference') training = false;
    h = layer.apply(h, { training }) as tf.Tensor;
  });
  return h;
}

/**
 * Activations of layer `to` computed from activations of an earlier layer `from` (exclusive) of the same chain, in
 * inference mode: how a cache of conv_pw_11 outputs yields conv_pw_13 outputs without re-reading any photo.
 */
export function continueChain(model: tf.LayersModel, from: number, to: number, x: tf.Tensor): tf.Tensor {
  if (!(from < to)) throw new Error(`continueChain: layer ${from} does not come before layer ${to}`);
  return tf.tidy(() => {
    const out = runChain(model.layers.slice(from + 1, to + 1), x, { training: () => false });
    // Over layers that are the identity at inference (a Dropout) the chain returns x itself: return a copy, so the
    // caller (the activation cache disposes its input) may dispose either.
    return out === x ? x.clone() : out;
  });
}

/** Checks a batch against the shape a layer expects (batch size free), naming both when they differ. */
export function assertBatchShape(x: tf.Tensor, expected: readonly (number | null)[], what: string): void {
  const ok = x.rank === expected.length && expected.every((d, i) => d === null || d === x.shape[i]);
  if (!ok) {
    const want = `[${expected.map((d) => d ?? 'n').join(', ')}]`;
    throw new Error(`${what} expects a batch of shape ${want}, got [${x.shape.join(', ')}]`);
  }
}
