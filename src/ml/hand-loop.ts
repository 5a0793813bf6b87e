/**
 * The learner's own training loop, judged by what it does. Lesson 5 asks for one loop written by hand on cached
 * features (Keras twin: a custom `tf.GradientTape` loop instead of `model.fit`): batches in `batchOrder`, logits
 * from the head, `tf.losses.softmaxCrossEntropy` on them, one optimiser step per batch, validation accuracy after
 * every epoch. The judge calls the learner's function on a fresh head and on data it hands over, trains the same
 * start with the engine's `train` (same seed, batches, optimiser and learning rate), and compares the two curves
 * epoch by epoch. A loop that never steps, applies softmax twice or skips validation is told apart from one that is
 * merely different, so each mistake gets its own message.
 */
import * as tf from '@tensorflow/tfjs';
import { activationCacheFor, DEFAULT_PREFIX, type ActivationCache } from './activation-cache';
import type { PhotoSet } from './dataset';
import { MOBILENET_LAYERS } from './layers';
import { buildTransferModel } from './surgery';
import { train } from './train';

/** One split's cached features and one-hot labels, rows in the split's order (the order batchOrder indexes). */
export interface FeatureSplit {
  /** [count, features]: the pooled features of each photo. */
  x: tf.Tensor2D;
  /** [count, labels]: one-hot labels. */
  y: tf.Tensor2D;
  count: number;
}

/** What a hand-written loop trains on: the training and validation splits' features. */
export interface LoopData {
  train: FeatureSplit;
  validation: FeatureSplit;
  labels: readonly string[];
}

/** The settings a loop must follow to be comparable with `train`. */
export interface LoopSettings {
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
}

/** What a loop reports after each epoch. */
export interface LoopEpoch {
  epoch: number;
  /** Mean training cross-entropy over the epoch's photos. */
  loss: number;
  /** Share of validation photos right after the epoch. */
  valAcc: number;
}

/** A hand-written loop: trains `head` (features → logits) on `data` and returns one entry per epoch. */
export type HandLoop = (
  head: tf.LayersModel,
  data: LoopData,
  settings: LoopSettings,
) => Promise<readonly LoopEpoch[]> | readonly LoopEpoch[];

/** The settings lesson 5's loop is compared under: 20 epochs of Adam at 0.01 in batches of 16, seed 1. */
export const LOOP_SETTINGS: Readonly<LoopSettings> = { epochs: 20, batchSize: 16, learningRate: 0.01, seed: 1 };

/** How close the curves must be: per epoch, the loss within 0.02 and validation accuracy within 2 photos of 78. */
export const LOOP_TOLERANCE = { loss: 0.02, valPhotos: 2 };

/** The floor of a loss computed from softmax(softmax(logits)): log(1 + 2/e) for three classes, however sure. */
const DOUBLE_SOFTMAX_FLOOR = Math.log(1 + 2 / Math.E);

/** Features and labels of the training and validation photos at `layer`, from the shared activation cache. */
export async function loopData(
  source: tf.LayersModel,
  photos: PhotoSet,
  layer: string,
  cache: ActivationCache = activationCacheFor(source, photos, DEFAULT_PREFIX),
): Promise<LoopData> {
  const split = async (name: 'train' | 'validation'): Promise<FeatureSplit> => {
    const entries = photos.select(name);
    await cache.activations(layer, entries);
    return { x: cache.stack(layer, entries) as tf.Tensor2D, y: photos.oneHot(entries), count: entries.length };
  };
  return { train: await split('train'), validation: await split('validation'), labels: photos.labels };
}

/** The verdict on a loop, as facts; the lesson's check turns them into words and hints. */
export type LoopVerdict =
  | { kind: 'not-a-history'; got: string }
  | { kind: 'wrong-epochs'; epochs: number; expected: number }
  | { kind: 'no-loss'; epoch: number }
  | { kind: 'no-validation'; epoch: number }
  | { kind: 'never-stepped'; losses: number[] }
  | { kind: 'softmax-twice'; lowest: number; reference: number }
  | { kind: 'apart'; epoch: number; mine: LoopEpoch; reference: LoopEpoch; settings: LoopSettings }
  | { kind: 'same'; mine: LoopEpoch[]; reference: LoopEpoch[]; lossGap: number; valPhotosGap: number };

/** A Dense head (features → labels logits) starting from `weights`: the layer the learner's loop trains. */
function freshHead(weights: tf.Tensor[], name: string): tf.LayersModel {
  const [kernel, bias] = weights;
  const head = tf.sequential({
    name,
    layers: [tf.layers.dense({ inputShape: [kernel!.shape[0]!], units: kernel!.shape[1]!, name: `${name}_dense` })],
  });
  head.layers[0]!.setWeights([kernel!, bias ?? tf.zeros([kernel!.shape[1]!])]);
  return head;
}

function finite(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/**
 * Runs the learner's `loop` on a head that starts from `start` ([kernel, bias] of a Dense layer on the pooled
 * features) and trains the same start with the engine's `train`; returns what the comparison found. Everything it
 * creates is disposed.
 */
export async function judgeLoop(
  loop: HandLoop,
  start: tf.Tensor[],
  source: tf.LayersModel,
  photos: PhotoSet,
  settings: LoopSettings = LOOP_SETTINGS,
): Promise<LoopVerdict> {
  const layer = MOBILENET_LAYERS.pooledFeatures;
  const data = await loopData(source, photos, layer);
  const head = freshHead(start, 'your_head');
  let history: readonly LoopEpoch[];
  let stepped: boolean;
  try {
    history = await loop(head, data, { ...settings });
    const after = head.layers[0]!.getWeights();
    stepped = after.some((w, i) => tf.tidy(() => w.sub(start[i]!).abs().max().dataSync()[0]!) > 0);
  } finally {
    head.dispose();
    tf.dispose([data.train.x, data.train.y, data.validation.x, data.validation.y]);
  }
  if (!Array.isArray(history))
    return { kind: 'not-a-history', got: history === undefined ? 'nothing' : typeof history };
  if (history.length !== settings.epochs)
    return { kind: 'wrong-epochs', epochs: history.length, expected: settings.epochs };
  // A loop that never changed the head's weights is named first: whatever it reports, nothing was learned.
  if (!stepped) return { kind: 'never-stepped', losses: history.map((h) => h?.loss) };
  const badLoss = history.findIndex((h) => !finite(h?.loss) || h.loss < 0);
  if (badLoss >= 0) return { kind: 'no-loss', epoch: badLoss };
  const badVal = history.findIndex((h) => !finite(h.valAcc) || h.valAcc < 0 || h.valAcc > 1);
  if (badVal >= 0) return { kind: 'no-validation', epoch: badVal };
  const losses = history.map((h) => h.loss);
  if (Math.max(...losses) - Math.min(...losses) < 1e-4) return { kind: 'never-stepped', losses };

  const reference = await referenceCurve(start, source, photos, settings);
  const lowest = Math.min(...losses);
  const refLowest = Math.min(...reference.map((h) => h.loss));
  if (lowest >= DOUBLE_SOFTMAX_FLOOR - 1e-3 && refLowest < DOUBLE_SOFTMAX_FLOOR - 0.05)
    return { kind: 'softmax-twice', lowest, reference: refLowest };
  const valCount = photos.select('validation').length;
  let lossGap = 0,
    valPhotosGap = 0;
  for (const [e, mine] of history.entries()) {
    const ref = reference[e]!;
    const dl = Math.abs(mine.loss - ref.loss);
    const dv = Math.round(Math.abs(mine.valAcc - ref.valAcc) * valCount);
    if (dl > LOOP_TOLERANCE.loss || dv > LOOP_TOLERANCE.valPhotos)
      return { kind: 'apart', epoch: e, mine: { ...mine, epoch: e }, reference: ref, settings };
    lossGap = Math.max(lossGap, dl);
    valPhotosGap = Math.max(valPhotosGap, dv);
  }
  return {
    kind: 'same',
    mine: history.map((h, epoch) => ({ epoch, loss: h.loss, valAcc: h.valAcc })),
    reference,
    lossGap,
    valPhotosGap,
  };
}

/** The engine's `train` from the same start: the head alone on the cached pooled features, Adam, constant rate. */
async function referenceCurve(
  start: tf.Tensor[],
  source: tf.LayersModel,
  photos: PhotoSet,
  settings: LoopSettings,
): Promise<LoopEpoch[]> {
  const tm = buildTransferModel(source, { labels: photos.labels, seed: settings.seed });
  try {
    tm.model.getLayer('head_logits').setWeights(start);
    const run = await train(tm, photos, {
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      learningRate: settings.learningRate,
      seed: settings.seed,
      optimizer: 'adam',
      schedule: 'constant',
    });
    return run.history.map((h) => ({ epoch: h.epoch, loss: h.loss, valAcc: h.valAcc }));
  } finally {
    // The copies of the base belong to this reference alone.
    tm.model.dispose();
  }
}
