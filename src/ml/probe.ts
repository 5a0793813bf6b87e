/**
 * Linear probes: how much of "cat, dog or other" can be read off a layer's features by a straight line (softmax
 * regression, no hidden layer)? A probe cannot build new features, only weigh the ones there, so its validation
 * accuracy measures how useful a depth's features already are for our task. Probing every block end, once with
 * the ImageNet weights and once with the same network randomly initialised, shows the forum answer's two claims:
 * early features are generic (random weights do nearly as well there), later ones carry what ImageNet taught.
 * The regression runs in plain JavaScript on pooled features (pooled-features.ts): the same on every backend.
 */
import type * as tf from '@tensorflow/tfjs';
import type { PhotoEntry, PhotoSet } from './dataset';
import { BLOCK_ENDS, pooledFeatures, type PooledFeatures } from './pooled-features';
import { mulberry32 } from './seeded';
import { wilsonInterval, type Interval } from './stats';

/** Settings of one probe fit: full-batch Adam on the cross-entropy plus an L2 penalty on the weights. */
export interface ProbeOptions {
  /** Full passes over the training features (default 100). */
  epochs?: number;
  /** Adam's step size (default 0.05: features are standardised, so one size suits every depth). */
  learningRate?: number;
  /** L2 penalty on the weights (default 0.001). */
  l2?: number;
  /** Seed of the starting weights (default 1). */
  seed?: number;
}

/** A fitted probe: standardisation, weights [d][k] and biases [k]. */
export interface LinearProbe {
  mean: Float32Array;
  scale: Float32Array;
  weights: Float64Array[];
  bias: Float64Array;
  /** Class probabilities for one feature vector. */
  predict(x: Float32Array): number[];
}

function softmax(z: number[]): number[] {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/**
 * Fits softmax regression p(class | x) = softmax(W·x̂ + b) on features `x` with class indices `y`, where x̂ is x
 * standardised with the training features' mean and spread (so a depth whose activations are tiny, as in a random
 * network, is not handicapped by scale alone).
 */
export function fitLinearProbe(
  x: readonly Float32Array[],
  y: readonly number[],
  classes: number,
  options: ProbeOptions = {},
): LinearProbe {
  const { epochs = 100, learningRate = 0.05, l2 = 0.001, seed = 1 } = options;
  if (x.length === 0) throw new Error('a probe needs at least one training example');
  if (x.length !== y.length)
    throw new Error(`a probe needs one label per example: ${x.length} examples, ${y.length} labels`);
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`epochs must be a positive integer, got ${epochs}`);
  const d = x[0]!.length;
  const n = x.length;
  const mean = new Float32Array(d);
  const scale = new Float32Array(d);
  for (const row of x) for (let j = 0; j < d; j++) mean[j]! += row[j]! / n;
  for (const row of x) for (let j = 0; j < d; j++) scale[j]! += (row[j]! - mean[j]!) ** 2 / n;
  // A channel that never varies (a dead filter) gets scale 1: it carries no information, and must not divide by 0.
  for (let j = 0; j < d; j++) scale[j] = scale[j]! > 1e-12 ? Math.sqrt(scale[j]!) : 1;
  const xs = x.map((row) => Float64Array.from(row, (v, j) => (v - mean[j]!) / scale[j]!));

  const random = mulberry32(seed);
  const W = Array.from({ length: d }, () => Float64Array.from({ length: classes }, () => (random() - 0.5) * 0.02));
  const b = new Float64Array(classes);
  // Adam: per-parameter step sizes from running averages of the gradient (m) and its square (v).
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
  const mW = W.map(() => new Float64Array(classes));
  const vW = W.map(() => new Float64Array(classes));
  const mb = new Float64Array(classes);
  const vb = new Float64Array(classes);
  for (let t = 1; t <= epochs; t++) {
    const gW = W.map(() => new Float64Array(classes));
    const gb = new Float64Array(classes);
    for (let i = 0; i < n; i++) {
      const row = xs[i]!;
      const z = Array.from(b);
      for (let j = 0; j < d; j++) for (let c = 0; c < classes; c++) z[c]! += row[j]! * W[j]![c]!;
      const p = softmax(z);
      // The cross-entropy's gradient with respect to the logits is p − onehot(y): push the true class up.
      p[y[i]!]! -= 1;
      for (let c = 0; c < classes; c++) {
        gb[c]! += p[c]! / n;
        for (let j = 0; j < d; j++) gW[j]![c]! += (p[c]! * row[j]!) / n;
      }
    }
    const step = (param: Float64Array, grad: Float64Array, m: Float64Array, v: Float64Array, decay: number) => {
      for (let c = 0; c < classes; c++) {
        const g = grad[c]! + decay * param[c]!;
        m[c] = beta1 * m[c]! + (1 - beta1) * g;
        v[c] = beta2 * v[c]! + (1 - beta2) * g * g;
        param[c]! -= (learningRate * (m[c]! / (1 - beta1 ** t))) / (Math.sqrt(v[c]! / (1 - beta2 ** t)) + eps);
      }
    };
    W.forEach((w, j) => step(w, gW[j]!, mW[j]!, vW[j]!, l2));
    step(b, gb, mb, vb, 0);
  }
  const predict = (row: Float32Array): number[] => {
    if (row.length !== d) throw new Error(`the probe takes ${d} features, got ${row.length}`);
    const z = Array.from(b);
    for (let j = 0; j < d; j++) {
      const v = (row[j]! - mean[j]!) / scale[j]!;
      for (let c = 0; c < classes; c++) z[c]! += v * W[j]![c]!;
    }
    return softmax(z);
  };
  return { mean, scale, weights: W, bias: b, predict };
}

/** A probe's verdict on a held-out set: accuracy with its Wilson interval, and which photos it got right. */
export interface ProbeScore {
  correct: number;
  total: number;
  accuracy: number;
  interval: Interval;
  /** Per photo, in the held-out order: right or wrong (for pairedComparison). */
  right: boolean[];
}

/** Scores a fitted probe on features with known classes. */
export function scoreProbe(probe: LinearProbe, x: readonly Float32Array[], y: readonly number[]): ProbeScore {
  const right = x.map((row, i) => {
    const p = probe.predict(row);
    return p.indexOf(Math.max(...p)) === y[i];
  });
  const correct = right.filter(Boolean).length;
  return {
    correct,
    total: right.length,
    accuracy: correct / right.length,
    interval: wilsonInterval(correct, right.length),
    right,
  };
}

/** One depth of a probe sweep. */
export interface DepthProbe extends ProbeScore {
  block: string;
  layer: string;
  /** Features a photo has at this depth (its channels). */
  features: number;
}

/** Pooled features of the training and validation photos at every block end (or `layers`), ready for probing. */
export async function probeFeatures(
  model: tf.LayersModel,
  photos: PhotoSet,
  layers?: readonly string[],
): Promise<PooledFeatures> {
  const entries = [...photos.select('train'), ...photos.select('validation')];
  return pooledFeatures(model, photos, entries, layers ?? BLOCK_ENDS.map((b) => b.layer));
}

/** Splits pooled features of `layer` into train and validation rows with class indices. */
export function featuresBySplit(
  pooled: PooledFeatures,
  photos: PhotoSet,
  layer: string,
  keep: (p: PhotoEntry) => boolean = () => true,
) {
  const rows = pooled.features[layer];
  if (!rows) throw new Error(`no pooled features for layer "${layer}": it was not among ${pooled.layers.join(', ')}`);
  const part = (split: 'train' | 'validation') => {
    const idx = pooled.photos.map((p, i) => [p, i] as const).filter(([p]) => p.split === split && keep(p));
    return {
      x: idx.map(([, i]) => rows[i]!),
      y: idx.map(([p]) => photos.classIndex(p.label)),
      photos: idx.map(([p]) => p),
    };
  };
  return { train: part('train'), validation: part('validation') };
}

/**
 * Linear probes at every block end of `model` (stem, blocks 1–13): fit on the training photos' pooled features,
 * scored on the validation photos. Pass `features` from an earlier probeFeatures call to skip the forward pass.
 */
export async function probeDepths(
  model: tf.LayersModel,
  photos: PhotoSet,
  options: ProbeOptions & { layers?: readonly string[]; features?: PooledFeatures } = {},
): Promise<DepthProbe[]> {
  const pooled = options.features ?? (await probeFeatures(model, photos, options.layers));
  const layers = options.layers ?? pooled.layers;
  return layers.map((layer) => {
    const { train, validation } = featuresBySplit(pooled, photos, layer);
    const probe = fitLinearProbe(train.x, train.y, photos.labels.length, options);
    const block = BLOCK_ENDS.find((b) => b.layer === layer)?.block ?? layer;
    return { block, layer, features: train.x[0]!.length, ...scoreProbe(probe, validation.x, validation.y) };
  });
}
