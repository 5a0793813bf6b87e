/**
 * Batch-norm folding, the arithmetic.
 *
 * At inference a BatchNormalization layer is a fixed per-channel affine map: y = γ·(x − mean)/√(var + ε) + β, i.e.
 * y = x·scale + shift with scale = γ/√(var + ε) and shift = β − mean·scale. When x is a convolution's output,
 * x = Σ w·input + b, the map can be pushed into the convolution itself:
 *   y = Σ (w·scale)·input + (b·scale + shift)
 * so the folded conv has filter w' = w·scale (per output channel) and bias b' = b·scale + shift, and the BN layer
 * disappears: one pass over the activations instead of two. For a depthwise conv, output channel c·M + m belongs
 * to filter w[:, :, c, m], so the scale is laid out as [C, M].
 */
import * as tf from '@tensorflow/tfjs';

/** A weight of `layer` by its short name ("kernel", "gamma", "moving_mean" …), or undefined when it has none. */
export function layerWeight(layer: tf.layers.Layer, name: string): tf.Tensor | undefined {
  const variable = layer.weights.find((w) => w.originalName.split('/').pop() === name);
  return variable?.read();
}

/** The per-channel affine map y = x·scale + shift a BatchNormalization layer computes at inference. */
export interface ChannelAffine {
  scale: tf.Tensor1D;
  shift: tf.Tensor1D;
}

/** scale and shift of a channels-last BatchNormalization layer (its moving statistics, as at inference). */
export function batchNormAffine(bn: tf.layers.Layer): ChannelAffine {
  const config = bn.getConfig() as { axis?: number | number[]; epsilon?: number };
  const axis = Array.isArray(config.axis) ? config.axis : [config.axis ?? -1];
  const rank = bn.inputSpec?.[0]?.ndim ?? 4;
  if (axis.length !== 1 || (axis[0] !== -1 && axis[0] !== rank - 1)) {
    throw new Error(
      `BN folding: ${bn.name} normalises axis ${JSON.stringify(config.axis)}; only the last (channel) axis is supported`,
    );
  }
  const mean = layerWeight(bn, 'moving_mean');
  const variance = layerWeight(bn, 'moving_variance');
  if (mean == null || variance == null) throw new Error(`BN folding: ${bn.name} has no moving mean/variance`);
  return tf.tidy(() => {
    const gamma = layerWeight(bn, 'gamma') ?? tf.onesLike(mean); // scale: false → γ = 1
    const beta = layerWeight(bn, 'beta') ?? tf.zerosLike(mean); // center: false → β = 0
    const scale = gamma.div(variance.add(config.epsilon ?? 1e-3).sqrt()) as tf.Tensor1D;
    return { scale, shift: beta.sub(mean.mul(scale)) as tf.Tensor1D };
  });
}

/**
 * A conv's filter and bias with a BN's affine map folded in. `filter` is [kh, kw, in, out] for a Conv2D or
 * [kh, kw, C, M] for a DepthwiseConv2D (then `depthwise` is true); `bias` may be absent (MobileNet's convs have
 * none, the BN's β plays that role). Returns new tensors; the caller owns them.
 */
export function foldIntoConv(
  filter: tf.Tensor4D,
  bias: tf.Tensor1D | undefined,
  bn: ChannelAffine,
  depthwise: boolean,
): { filter: tf.Tensor4D; bias: tf.Tensor1D } {
  return tf.tidy(() => {
    const [, , channels, multiplier] = filter.shape;
    const outChannels = depthwise ? channels * multiplier : multiplier;
    if (bn.scale.size !== outChannels) {
      throw new Error(`BN folding: the conv has ${outChannels} output channels but the BN normalises ${bn.scale.size}`);
    }
    // Broadcasting multiplies every filter weight by its output channel's scale.
    const scale = depthwise ? bn.scale.reshape([channels, multiplier]) : bn.scale;
    const folded = filter.mul(scale) as tf.Tensor4D;
    const foldedBias = (bias == null ? bn.shift.clone() : bias.mul(bn.scale).add(bn.shift)) as tf.Tensor1D;
    return { filter: folded, bias: foldedBias };
  });
}
