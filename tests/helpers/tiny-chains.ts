/**
 * Small hand-built conv → BN → ReLU6 → depthwise → BN (→ ReLU6) chains for the engine's unit tests: the layer kinds
 * of a MobileNet block, small enough to run in milliseconds, with BatchNorm statistics set far from the identity so
 * that a BN layer run twice, skipped, or run on batch statistics changes every value.
 */
import * as tf from '@tensorflow/tfjs';

/** The shape of one chain; layer names are `${conv}`, `${conv}_bn`, `${conv}_relu`, `${dw}`, `${dw}_bn`, `${dw}_relu`. */
export interface ChainSpec {
  /** Input height/width and channels. */
  inputShape: [number, number, number];
  filters: number;
  /** The first conv's stride (MobileNet's conv1 has 2). */
  convStrides?: number;
  dwStrides?: number | [number, number];
  depthMultiplier?: number;
  /** Whether the convs have a bias (MobileNet's do not: BN's beta plays that part). */
  useBias?: boolean;
  /** Whether a ReLU6 follows the second BN. */
  finalRelu?: boolean;
  names?: { conv: string; dw: string };
  /** Seed of the conv kernel; the depthwise kernel uses seed + 1. */
  seed?: number;
}

/** The chain as symbolic tensors, for tests that add layers after it. */
export function convBnChain(spec: ChainSpec): { input: tf.SymbolicTensor; output: tf.SymbolicTensor } {
  const { conv, dw } = spec.names ?? { conv: 'conv', dw: 'dw' };
  const seed = spec.seed ?? 1;
  const useBias = spec.useBias ?? false;
  const input = tf.input({ shape: spec.inputShape });
  const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor) => layer.apply(x) as tf.SymbolicTensor;
  let h = apply(
    tf.layers.conv2d({
      filters: spec.filters,
      kernelSize: 3,
      strides: spec.convStrides ?? 1,
      padding: 'same',
      useBias,
      name: conv,
      kernelInitializer: tf.initializers.randomNormal({ seed }),
    }),
    input,
  );
  h = apply(tf.layers.batchNormalization({ name: `${conv}_bn` }), h);
  h = apply(tf.layers.reLU({ maxValue: 6, name: `${conv}_relu` }), h);
  h = apply(
    tf.layers.depthwiseConv2d({
      kernelSize: 3,
      depthMultiplier: spec.depthMultiplier ?? 1,
      strides: spec.dwStrides ?? 2,
      padding: 'same',
      useBias,
      name: dw,
      depthwiseInitializer: tf.initializers.randomNormal({ seed: seed + 1 }),
    }),
    h,
  );
  h = apply(tf.layers.batchNormalization({ name: `${dw}_bn` }), h);
  if (spec.finalRelu ?? true) h = apply(tf.layers.reLU({ maxValue: 6, name: `${dw}_relu` }), h);
  return { input, output: h };
}

/** gamma, beta, moving mean, moving variance for a BN layer with up to 3 channels, far from the identity. */
export const FAR_BN_STATS = [
  [2, 0.5, 1.5],
  [1, -1, 0.25],
  [0.3, -0.2, 0.1],
  [4, 0.25, 2],
] as const;

/** Sets each named BN layer's four weights to `stats` (one array per weight, cut to the layer's channel count). */
export function setBnStats(
  model: tf.LayersModel,
  names: readonly string[],
  stats: readonly (readonly number[])[] = FAR_BN_STATS,
): void {
  for (const name of names) {
    const layer = model.getLayer(name);
    const channels = layer.getWeights()[0]!.shape[0]!;
    layer.setWeights(stats.map((values) => tf.tensor1d(values.slice(0, channels) as number[])));
  }
}
