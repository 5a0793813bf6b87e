/**
 * Pooled activations at every block end: for each photo, the mean of each channel of conv1_relu (the stem) and of
 * conv_pw_1_relu … conv_pw_13_relu, from one forward pass per batch. Averaging over the image's positions turns a
 * [h, w, c] map into c numbers: "how much of each feature is in this photo", wherever it is. That is all a linear
 * probe needs, and it is tiny (8 … 256 numbers a photo), so every probe after the first pass costs milliseconds.
 * Also: the same architecture with fresh, seeded random weights, to ask what the ImageNet weights add.
 */
import * as tf from '@tensorflow/tfjs';
import type { PhotoEntry, PhotoSet } from './dataset';
import { runChain } from './frozen';
import { deriveSeed } from './seeded';

/** The layer that ends each block: the stem and blocks 1–13 of MobileNet v1. */
export const BLOCK_ENDS: readonly { block: string; layer: string }[] = [
  { block: 'stem', layer: 'conv1_relu' },
  ...Array.from({ length: 13 }, (_, i) => ({ block: `block ${i + 1}`, layer: `conv_pw_${i + 1}_relu` })),
];

/** Pooled features of a set of photos at several layers: features[layer][photo] is a Float32Array of channels. */
export interface PooledFeatures {
  layers: string[];
  photos: PhotoEntry[];
  /** Per layer, one row of channel means per photo (in `photos` order). */
  features: Record<string, Float32Array[]>;
  seconds: number;
}

/** Checks that every layer exists in the model and gives a [h, w, c] map; names the nearest ones when not. */
export function checkProbeLayers(model: tf.LayersModel, layers: readonly string[]): void {
  if (layers.length === 0) throw new Error('no layers to probe: give at least one layer name');
  for (const name of layers) {
    let layer: tf.layers.Layer;
    try {
      layer = model.getLayer(name);
    } catch {
      const near = model.layers
        .map((l) => l.name)
        .filter((n) => n.includes(name.replace(/_relu$/, '')) || name.includes(n))
        .slice(0, 3);
      throw new Error(
        `no layer "${name}" in ${model.name}${near.length ? `: did you mean ${near.map((n) => `"${n}"`).join(', ')}?` : ''}`,
      );
    }
    const shape = layer.outputShape as (number | null)[];
    if (shape.length !== 4)
      throw new Error(
        `layer "${name}" gives [${shape.join(', ')}], not an image-like [batch, h, w, c] map: it cannot be pooled`,
      );
  }
}

/** Runs the photos through `model` once (batch by batch) and keeps the channel means at each of `layers`. */
export async function pooledFeatures(
  model: tf.LayersModel,
  photos: PhotoSet,
  entries: readonly PhotoEntry[],
  layers: readonly string[] = BLOCK_ENDS.map((b) => b.layer),
  batchSize = 32,
): Promise<PooledFeatures> {
  checkProbeLayers(model, layers);
  const started = performance.now();
  // One model with a pooled output per layer: full maps never leave the forward pass.
  const outputs = layers.map(
    (name) => tf.layers.globalAveragePooling2d({}).apply(model.getLayer(name).output) as tf.SymbolicTensor,
  );
  const pooled = tf.model({ inputs: model.inputs, outputs });
  const features: Record<string, Float32Array[]> = Object.fromEntries(layers.map((l) => [l, []]));
  for (let s = 0; s < entries.length; s += batchSize) {
    const x = await photos.batch(entries.slice(s, s + batchSize));
    const ys = tf.tidy(() => [pooled.predict(x)].flat() as tf.Tensor2D[]);
    x.dispose();
    for (const [i, name] of layers.entries()) {
      const [n, c] = ys[i]!.shape;
      const data = (await ys[i]!.data()) as Float32Array;
      for (let r = 0; r < n; r++) features[name]!.push(data.slice(r * c, (r + 1) * c));
    }
    tf.dispose(ys);
  }
  return { layers: [...layers], photos: [...entries], features, seconds: (performance.now() - started) / 1000 };
}

/**
 * The same architecture with fresh random weights: the topology of `model` rebuilt from JSON, every initialiser
 * given its own seed derived from `seed`. Convolutions start Glorot-uniform, BatchNorm as the identity (moving mean
 * 0, variance 1), exactly as the network was before ImageNet training. The caller disposes it.
 */
export async function randomlyInitialised(model: tf.LayersModel, seed: number): Promise<tf.LayersModel> {
  const topology = model.toJSON(null, false) as unknown as object;
  let n = 0;
  const seedInitialisers = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(seedInitialisers);
    if (typeof value !== 'object' || value === null) return;
    const v = value as Record<string, unknown>;
    const config = v.config as Record<string, unknown> | undefined;
    if (typeof v.class_name === 'string' && config && 'seed' in config) config.seed = deriveSeed(seed, n++);
    Object.values(v).forEach(seedInitialisers);
  };
  seedInitialisers(topology);
  if (n === 0) throw new Error('randomlyInitialised: found no initialiser with a seed in the model topology');
  return tf.models.modelFromJSON({ modelTopology: topology } as unknown as tf.io.ModelJSON);
}

/**
 * Gives every BatchNormalization layer of a chain model the moving mean and variance of its input on `x`, layer
 * by layer (each layer's statistics measured after the layers before it were calibrated). A freshly initialised
 * network has moving mean 0 and variance 1 everywhere, which matches nothing it computes: without this its deep
 * activations shrink to nothing (every photo gives the same features) and "random features" would be a straw man.
 * Calibrated, a random network's features are scaled as a trained one's, and differ only in what they detect.
 */
export function calibrateBatchNorm(model: tf.LayersModel, x: tf.Tensor4D): void {
  let h: tf.Tensor = x;
  for (const layer of model.layers) {
    const className = layer.getClassName();
    if (className === 'InputLayer' || className === 'Dropout') continue;
    if (className === 'BatchNormalization') {
      const [gamma, beta] = layer.getWeights();
      const { mean, variance } = tf.moments(h, [0, 1, 2]);
      layer.setWeights([gamma!, beta!, mean, variance]);
      tf.dispose([mean, variance]);
    }
    if (layer.name === 'global_average_pooling2d_1' || (layer.outputShape as number[]).length !== 4) break; // the convolutional chain ends here
    const next: tf.Tensor = tf.tidy(() => runChain([layer], h, { training: () => false }));
    if (h !== x) h.dispose();
    h = next;
  }
  if (h !== x) h.dispose();
}

/**
 * The random-weights baseline for a probe: `model`'s architecture with fresh seeded weights (randomlyInitialised),
 * its BatchNorm statistics calibrated on the first `calibration` training photos (default 64). The caller disposes it.
 */
export async function randomBaseline(
  model: tf.LayersModel,
  photos: PhotoSet,
  seed: number,
  calibration = 64,
): Promise<tf.LayersModel> {
  const random = await randomlyInitialised(model, seed);
  const x = await photos.batch(photos.select('train').slice(0, calibration));
  calibrateBatchNorm(random, x);
  x.dispose();
  return random;
}
