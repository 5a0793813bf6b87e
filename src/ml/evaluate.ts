/**
 * How good is a trained model, and where does it go wrong? Accuracy alone hides which classes get confused, so this
 * also gives the confusion matrix, per-class precision and recall, and the misclassified photos with their scores.
 */
import * as tf from '@tensorflow/tfjs';
import type { PhotoEntry, PhotoSet, Split } from './dataset';
import { activationCacheFor, DEFAULT_PREFIX } from './activation-cache';
import { assertBatchShape, runChain } from './frozen';
import { lastPristineLayer, type TransferModel } from './surgery';
import { imageToInput, INPUT_SIZE, type RgbImage } from './image';

/** Anything that maps a [n, 224, 224, 3] batch to class probabilities [n, classes]: a LayersModel, a TransferModel's model. */
export interface Classifier {
  predict(x: tf.Tensor): tf.Tensor | tf.Tensor[];
}

/** One photo's verdict. */
export interface PhotoPrediction {
  file: string;
  name: string;
  label: string;
  predicted: string;
  /** Probability per class, in label order. */
  scores: number[];
}

/** Precision: of the photos called X, the share that are X. Recall: of the photos that are X, the share called X. */
export interface ClassReport {
  label: string;
  precision: number;
  recall: number;
  /** Photos of this class in the evaluated set. */
  support: number;
}

/** A model's results on one split. */
export interface Evaluation {
  labels: readonly string[];
  accuracy: number;
  /** Mean cross-entropy of the true labels. */
  loss: number;
  /** confusion[true][predicted]: how many photos of class `true` were called `predicted`. */
  confusion: number[][];
  perClass: ClassReport[];
  misclassified: PhotoPrediction[];
  predictions: PhotoPrediction[];
}

const MODEL_INPUT = [null, INPUT_SIZE, INPUT_SIZE, 3] as const;

/** Class probabilities for a batch, after checking its shape. The caller disposes the result. */
export function classify(model: Classifier, x: tf.Tensor): tf.Tensor2D {
  assertBatchShape(x, MODEL_INPUT, 'the model');
  const out = model.predict(x);
  if (Array.isArray(out)) throw new Error('classify: the model has several outputs; expected one [n, classes]');
  return out as tf.Tensor2D;
}

/** Probabilities per photo (in order), batch by batch, never holding more than one batch of input. */
export async function predictPhotos(
  model: Classifier,
  photos: PhotoSet,
  entries: readonly PhotoEntry[],
  batchSize = 32,
): Promise<number[][]> {
  const scores: number[][] = [];
  for (let s = 0; s < entries.length; s += batchSize) {
    const x = await photos.batch(entries.slice(s, s + batchSize));
    const p = tf.tidy(() => classify(model, x));
    x.dispose();
    scores.push(...((await p.array()) as number[][]));
    p.dispose();
  }
  return scores;
}

/** Builds the evaluation from true labels and scores (pure: no tensors). */
export function summarize(
  labels: readonly string[],
  entries: readonly PhotoEntry[],
  scores: readonly number[][],
): Evaluation {
  const k = labels.length;
  const confusion = labels.map(() => new Array<number>(k).fill(0));
  let loss = 0;
  const predictions = entries.map((e, i): PhotoPrediction => {
    const s = scores[i]!;
    if (s.length !== k) throw new Error(`scores for ${e.file} have ${s.length} classes, the labels ${k}`);
    const truth = labels.indexOf(e.label);
    if (truth < 0) throw new Error(`${e.file} has label "${e.label}", not one of ${labels.join(', ')}`);
    const predicted = s.indexOf(Math.max(...s));
    confusion[truth]![predicted]!++;
    loss -= Math.log(Math.max(s[truth]!, 1e-7));
    return { file: e.file, name: e.name, label: e.label, predicted: labels[predicted]!, scores: [...s] };
  });
  const correct = labels.reduce((n, _, c) => n + confusion[c]![c]!, 0);
  const perClass = labels.map((label, c): ClassReport => {
    const called = confusion.reduce((n, row) => n + row[c]!, 0);
    const support = confusion[c]!.reduce((a, b) => a + b, 0);
    return {
      label,
      precision: called ? confusion[c]![c]! / called : 0,
      recall: support ? confusion[c]![c]! / support : 0,
      support,
    };
  });
  return {
    labels,
    accuracy: entries.length ? correct / entries.length : NaN,
    loss: entries.length ? loss / entries.length : NaN,
    confusion,
    perClass,
    misclassified: predictions.filter((p) => p.predicted !== p.label),
    predictions,
  };
}

/** Evaluates a model on a split of the photo set (default: validation, the photos it never trained on). */
export async function evaluate(
  model: Classifier | { model: Classifier },
  photos: PhotoSet,
  options: { split?: Split; batchSize?: number } = {},
): Promise<Evaluation> {
  const classifier = 'model' in model ? model.model : model;
  const entries = photos.select(options.split ?? 'validation');
  return summarize(photos.labels, entries, await predictPhotos(classifier, photos, entries, options.batchSize));
}

/** A label with its probability. */
export interface LabelScore {
  label: string;
  probability: number;
}

/**
 * Probabilities per label for one image (e.g. a learner's upload), most likely first. The image goes through the
 * same imageToInput as the training photos: centre crop, resize to 224, scale to [−1, 1].
 */
export async function predictImage(
  model: Classifier | { model: Classifier },
  image: RgbImage,
  labels: readonly string[],
): Promise<LabelScore[]> {
  const classifier = 'model' in model ? model.model : model;
  const p = tf.tidy(() => classify(classifier, imageToInput(image).expandDims(0)));
  const scores = ((await p.array()) as number[][])[0]!;
  p.dispose();
  if (scores.length !== labels.length)
    throw new Error(`the model gives ${scores.length} scores, but ${labels.length} labels were given`);
  return labels.map((label, i) => ({ label, probability: scores[i]! })).sort((a, b) => b.probability - a.probability);
}

/** Photos per forward pass when predicting with a transfer model. */
const PREDICT_BATCH = 32;

/**
 * The probabilities a transfer model gives each photo, in order, computed the cheap way: from the shared cache's
 * activations of its last still-pre-trained layer (surgery.lastPristineLayer, the same rule training uses), then
 * the rest of the layers in inference mode (no Dropout, BatchNorm with its moving statistics), exactly as
 * `predict` would. For a head on a frozen base that is a few milliseconds for all 78 validation photos.
 */
export async function predictTransfer(
  tm: TransferModel,
  photos: PhotoSet,
  entries: readonly PhotoEntry[],
  options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<number[][]> {
  // Layer 0 is the input layer: a model changed from its first layer on (or a hand-set modifiedFrom of 0) starts
  // from the photos themselves.
  const from = Math.max(lastPristineLayer(tm), 0);
  const cache = activationCacheFor(tm.source, photos, DEFAULT_PREFIX);
  const layer = tm.model.layers[from]!.name;
  const results: number[][] = [];
  for (let s = 0; s < entries.length; s += PREDICT_BATCH) {
    options.signal?.throwIfAborted();
    const batch = entries.slice(s, s + PREDICT_BATCH);
    let input: tf.Tensor;
    if (from >= 1) {
      await cache.activations(layer, batch, false, undefined, options.signal);
      input = cache.stack(layer, batch);
    } else {
      input = await photos.batch(batch); // the whole network was trained: nothing of it can be cached
    }
    const out = tf.tidy(() => runChain(tm.model.layers.slice(from + 1), input, { training: () => false }));
    input.dispose();
    const values = await out.data();
    const classes = out.shape.at(-1)!;
    out.dispose();
    batch.forEach((_, i) => results.push(Array.from(values.subarray(i * classes, (i + 1) * classes))));
    options.onProgress?.(Math.min(s + PREDICT_BATCH, entries.length), entries.length);
  }
  return results;
}
