/**
 * Does augmentation help here? Measured the fast honest way on a CPU: the base is frozen, so a training photo's
 * augmented copy changes only the head's input, its 256 pooled features. So each training photo is augmented K
 * times per seed, each copy run once through the frozen base, and the head (softmax regression on the features,
 * probe.ts) is fitted twice per seed: on the plain training photos, and on them plus their augmented copies. Both
 * are scored on the same, never augmented, validation photos, so the two can be compared photo by photo
 * (McNemar, stats.ts). Several seeds, each with its own augmented copies and starting weights, show how much of a
 * difference is the draw; 78 validation photos limit what any one comparison can resolve, and the result says so.
 *
 * Keras's twin is `alpaca_model` with its augmentation layers in front of the base and `fit` for a few epochs: a
 * fresh random version of each photo every epoch. Fixing K versions per photo in advance is the same idea with the
 * frozen base's work done once, which is what makes it affordable in a browser.
 */
import * as tf from '@tensorflow/tfjs';
import { augmentationRandom, augmentImage, toInput, toPixels, type Augmentations } from './augment';
import type { PhotoEntry, PhotoSet } from './dataset';
import { imageToInput } from './image';
import { MOBILENET_LAYERS } from './layers';
import { fitLinearProbe, scoreProbe, type LinearProbe, type ProbeOptions, type ProbeScore } from './probe';
import { meanInterval, pairedComparison, type MeanInterval, type PairedComparison } from './stats';
import { buildTransferModel, type TransferModel } from './surgery';

/** Settings of an augmentation measurement. */
export interface AugmentationStudyOptions extends ProbeOptions {
  /** Augmented copies of each training photo, per seed (default 2). */
  copies?: number;
  /** One fit per seed and variant; each seed draws its own copies (default [1, 2, 3]). */
  seeds?: readonly number[];
  /** Called with (done, total) forward passes. */
  onProgress?: (done: number, total: number) => void;
  /** Stops between batches. */
  signal?: AbortSignal;
}

/** One seed: the head without and with augmented copies, on the same validation photos. */
export interface AugmentationSeed {
  seed: number;
  plain: ProbeScore;
  augmented: ProbeScore;
  /** Paired on the validation photos: does the augmented head get more of them right than chance allows? */
  paired: PairedComparison;
}

/** The whole measurement. */
export interface AugmentationStudy {
  copies: number;
  trainPhotos: number;
  validationPhotos: number;
  seeds: AugmentationSeed[];
  /** Validation accuracy over the seeds: mean and its t interval, per variant. */
  plain: MeanInterval;
  augmented: MeanInterval;
  /** Seconds for the forward passes of the augmented copies. */
  seconds: number;
  /** The fitted heads of the first seed, for scoring on the test photos. */
  heads: { plain: LinearProbe; augmented: LinearProbe };
}

/** Pooled features of `images` (model inputs, [n, 224, 224, 3]) through `features`, one row per image. */
async function rowsOf(features: tf.LayersModel, batch: tf.Tensor4D): Promise<Float32Array[]> {
  const y = features.predict(batch) as tf.Tensor2D;
  const [n, d] = y.shape;
  const data = (await y.data()) as Float32Array;
  y.dispose();
  return Array.from({ length: n }, (_, i) => data.slice(i * d, (i + 1) * d));
}

/** The base up to the pooled features, sharing its layers (no copy: it only predicts). */
function featureModel(base: tf.LayersModel): tf.LayersModel {
  const output = base.getLayer(MOBILENET_LAYERS.pooledFeatures).output as tf.SymbolicTensor;
  return tf.model({ inputs: base.inputs, outputs: output });
}

/**
 * Pooled features of the plain photos `entries` and of `copies` augmented versions of each under `seed`
 * (copy k of photo i draws from augmentationRandom(seed, i, k)), batch by batch.
 */
export async function augmentedFeatures(
  base: tf.LayersModel,
  photos: PhotoSet,
  entries: readonly PhotoEntry[],
  augmentations: Augmentations,
  copies: number,
  seed: number,
  progress: (n: number) => void = () => {},
  signal?: AbortSignal,
): Promise<Float32Array[][]> {
  const features = featureModel(base);
  const out: Float32Array[][] = entries.map(() => []);
  const batchSize = 16;
  for (let s = 0; s < entries.length; s += batchSize) {
    signal?.throwIfAborted();
    const chunk = entries.slice(s, s + batchSize);
    const images = await Promise.all(chunk.map((e) => photos.image(e.file)));
    const batch = tf.tidy(() => {
      const inputs: tf.Tensor3D[] = [];
      images.forEach((img, j) => {
        const pixels = toPixels(imageToInput(img));
        for (let k = 0; k < copies; k++)
          inputs.push(toInput(augmentImage(augmentations, pixels, augmentationRandom(seed, s + j, k))));
      });
      return tf.stack(inputs) as tf.Tensor4D;
    });
    const rows = await rowsOf(features, batch);
    batch.dispose();
    chunk.forEach((_, j) => out[s + j]!.push(...rows.slice(j * copies, (j + 1) * copies)));
    progress(chunk.length * copies);
  }
  return out;
}

/**
 * Measures augmentation: per seed, a head fitted on the plain training features and one fitted on them plus
 * `copies` augmented versions of each training photo, both scored on the validation photos.
 * @param plainFeatures pooled features of every photo of the set (in `photos.select()` order is not required:
 *   looked up by file), e.g. from the page's feature cache
 */
export async function studyAugmentation(
  base: tf.LayersModel,
  photos: PhotoSet,
  plainFeatures: ReadonlyMap<string, Float32Array>,
  augmentations: Augmentations,
  options: AugmentationStudyOptions = {},
): Promise<AugmentationStudy> {
  const { copies = 2, seeds = [1, 2, 3], onProgress, signal, ...probe } = options;
  if (!Number.isInteger(copies) || copies < 1) throw new Error(`copies must be a positive integer, got ${copies}`);
  if (seeds.length < 2) throw new Error(`an augmentation study needs at least two seeds, got ${seeds.length}`);
  const [train, validation] = [photos.select('train'), photos.select('validation')];
  const feature = (e: PhotoEntry) => {
    const f = plainFeatures.get(e.file);
    if (!f) throw new Error(`no pooled features for ${e.file}: compute the features of every photo first`);
    return f;
  };
  const [trainX, valX] = [train.map(feature), validation.map(feature)];
  const [trainY, valY] = [photos.classIndices(train), photos.classIndices(validation)];
  const classes = photos.labels.length;
  const total = train.length * copies * seeds.length;
  let done = 0;
  const started = performance.now();
  const results: AugmentationSeed[] = [];
  let heads: AugmentationStudy['heads'] | null = null;
  for (const seed of seeds) {
    const extra = await augmentedFeatures(
      base,
      photos,
      train,
      augmentations,
      copies,
      seed,
      (n) => {
        done += n;
        onProgress?.(done, total);
      },
      signal,
    );
    const plainHead = fitLinearProbe(trainX, trainY, classes, { ...probe, seed });
    const augX = [...trainX, ...extra.flat()];
    const augY = [...trainY, ...extra.flatMap((rows, i) => rows.map(() => trainY[i]!))];
    const augmentedHead = fitLinearProbe(augX, augY, classes, { ...probe, seed });
    const [plain, augmented] = [scoreProbe(plainHead, valX, valY), scoreProbe(augmentedHead, valX, valY)];
    results.push({ seed, plain, augmented, paired: pairedComparison(plain.right, augmented.right) });
    heads ??= { plain: plainHead, augmented: augmentedHead };
  }
  return {
    copies,
    trainPhotos: train.length,
    validationPhotos: validation.length,
    seeds: results,
    plain: meanInterval(results.map((r) => r.plain.accuracy)),
    augmented: meanInterval(results.map((r) => r.augmented.accuracy)),
    seconds: (performance.now() - started) / 1000,
    heads: heads!,
  };
}

/**
 * A fitted head as a transfer model: the base cut at the pooled features, and a Dense(3) + softmax whose weights
 * are the probe's with its standardisation folded in (w / scale, b − Σ mean · w / scale), so it gives the same
 * probabilities as the probe. The test-look mechanism (test-look.ts) then scores it like any other model.
 */
export function headAsTransferModel(base: tf.LayersModel, head: LinearProbe): TransferModel {
  const tm = buildTransferModel(base);
  const d = head.mean.length;
  const k = head.bias.length;
  const kernel = new Float32Array(d * k);
  const bias = Float32Array.from(head.bias);
  for (let j = 0; j < d; j++)
    for (let c = 0; c < k; c++) {
      const w = head.weights[j]![c]! / head.scale[j]!;
      kernel[j * k + c] = w;
      bias[c]! -= head.mean[j]! * w;
    }
  const logits = tm.model.getLayer('head_logits');
  const [kt, bt] = [tf.tensor2d(kernel, [d, k]), tf.tensor1d(bias)];
  logits.setWeights([kt, bt]);
  tf.dispose([kt, bt]);
  return tm;
}
