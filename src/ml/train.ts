/**
 * Truly frozen transfer learning. The model is split at the freeze point: the frozen prefix only ever runs in
 * inference mode (its kernels AND its BatchNorm statistics stay byte-identical), and the trainable suffix is trained
 * by a custom loop (optimizer.minimize over the suffix's weights, the suffix run with training=true so Dropout
 * works). Because the prefix gives the same output every epoch, 'cached' mode computes it once per photo (see
 * activation-cache.ts) and trains on stored activations; 'full' mode runs the whole network every step and exists
 * as the reference the cached path is tested against.
 *
 * Unfrozen BatchNormalization layers (e.g. when blocks 12–13 are fine-tuned) train normally by default: batch
 * statistics in the forward pass, moving mean/variance updated, gamma/beta learned. `batchNorm: 'inference'` keeps
 * their pre-trained statistics instead (Keras's advice for fine-tuning with small batches).
 *
 * Determinism: shuffles, mirroring, Dropout masks and the head's initial weights all come from `seed`; the same
 * options on the same backend give the same run. Across backends floats round differently, so bit-identical
 * results between wasm, WebGL and WebGPU are not promised.
 */
import * as tf from '@tensorflow/tfjs';
import { ActivationCache, activationCacheFor, DEFAULT_PREFIX, prefixFactory } from './activation-cache';
import type { PhotoEntry, PhotoSet } from './dataset';
import { resolveFreezePoint } from './freeze-flags';
import { type BatchNormMode, type PrefixFactory, runChain } from './frozen';
import type { BatchMetrics, EpochMetrics, RunRecord } from './runs';
import { coinFlips, deriveSeed, shuffledIndices } from './seeded';
import {
  asTransferModel,
  freezeUpTo,
  lastPristineLayer,
  layerIndex,
  type LayerRef,
  paramCounts,
  type TransferModel,
} from './surgery';
import { assertTrainableOnBackend, cosineRate, setLearningRate, yieldToEventLoop } from './train-support';

/** Settings of one training run; every one has a default. */
export interface TrainOptions {
  /** A label for the runs table. */
  name?: string;
  /**
   * Last frozen layer (name or index). Default: read from the `trainable` flags the learner set (a frozen prefix);
   * with flags only the engine set (a fresh transfer model), the cut layer, so only the head trains. A freezeAt
   * that contradicts flags the learner set is refused (freeze-flags.ts), never overwritten.
   */
  freezeAt?: LayerRef;
  /** Default 10. */
  epochs?: number;
  /** Photos per step. Default 16. */
  batchSize?: number;
  /** Default 0.001 for adam, 0.01 for sgd. */
  learningRate?: number;
  /** Default 'adam'. */
  optimizer?: 'adam' | 'sgd';
  /**
   * 'constant' (default) keeps the learning rate; 'cosine' lowers it along a half cosine to 0 at the last step, so
   * the final steps stop bouncing between nearby solutions (the curve of a small validation set settles).
   */
  schedule?: 'constant' | 'cosine';
  /** Mirror a seeded random half of the training photos each epoch. Default false. */
  augment?: boolean;
  /** Default 1. */
  seed?: number;
  /** Unfrozen BatchNormalization layers: 'train' (default) or 'inference'. */
  batchNorm?: BatchNormMode;
  /**
   * 'cached': train the suffix on stored frozen activations. 'full': run the whole network each step. Default:
   * trainingMode(freeze index), i.e. cached unless nothing is frozen.
   */
  mode?: TrainingMode;
  /** Where frozen activations are kept; default: the shared folded cache of the pre-trained model and photo set. */
  cache?: ActivationCache;
  /**
   * How the frozen prefix of a fine-tuned model (not the pre-trained one) is computed from photos; default: the
   * BatchNorm-folded prefix (fold.ts), as for the shared cache.
   */
  prefix?: PrefixFactory;
  /** Stops the run between batches; the record then has `stopped: true` and the finished epochs. */
  signal?: AbortSignal;
  onBatch?: (metrics: BatchMetrics) => void;
  onEpoch?: (metrics: EpochMetrics) => void;
  /** Progress of computing frozen activations before the first epoch. */
  onFeatures?: (done: number, total: number) => void;
}

/** How a run feeds its trainable layers: from cached frozen activations, or photos through the whole network. */
export type TrainingMode = 'cached' | 'full';

/**
 * The engine's choice of mode for a freeze index. Frozen up to the input layer (index 0) there is nothing frozen to
 * cache but the photos themselves (234 MB of floats for the set): run the whole network on each batch instead.
 * Frozen anywhere later, the frozen layers run once per photo and every epoch trains on their stored outputs.
 */
export function trainingMode(freezeIndex: number): TrainingMode {
  return freezeIndex === 0 ? 'full' : 'cached';
}

/**
 * The order in which a run visits the training photos in `epoch` (indices into the training split): the seeded
 * shuffle `train` uses, exposed so that a hand-written loop can take exactly the same batches and be compared with
 * `train` step for step. Keras twin: `model.fit(..., shuffle=True)` reshuffles every epoch too, from its own seed.
 */
export function batchOrder(trainPhotos: number, seed: number, epoch: number): number[] {
  return shuffledIndices(trainPhotos, deriveSeed(seed, epoch));
}

/** How batches reach the suffix: as cached activations, or as photos through the whole network. */
interface Feed {
  input(entries: PhotoEntry[], mirrored: boolean[]): Promise<tf.Tensor>;
  layers: tf.layers.Layer[];
  /** Index (within `layers`) of the first trainable layer. */
  firstTrainable: number;
}

/**
 * The layers that compute logits: all of `layers` but a final softmax. Cross-entropy computed from logits
 * (log-softmax) stays exact where softmax-then-log would round to log(0) and stop learning.
 */
function logitLayers(layers: tf.layers.Layer[]): { body: tf.layers.Layer[]; fromLogits: boolean } {
  const last = layers.at(-1);
  const softmax =
    last?.getClassName() === 'Activation' && (last.getConfig() as { activation?: string }).activation === 'softmax';
  return softmax ? { body: layers.slice(0, -1), fromLogits: true } : { body: layers, fromLogits: false };
}

/** Mean cross-entropy and the number of correct answers of a batch against one-hot targets. */
function lossAndCorrect(y: tf.Tensor, out: tf.Tensor, fromLogits: boolean): { loss: tf.Scalar; correct: tf.Scalar } {
  return {
    loss: fromLogits
      ? tf.losses.softmaxCrossEntropy(y, out)
      : (tf.metrics.categoricalCrossentropy(y, out).mean() as tf.Scalar),
    correct: tf.equal(out.argMax(-1), y.argMax(-1)).sum() as tf.Scalar,
  };
}

/**
 * Trains `tm` with everything up to `freezeAt` frozen and returns the run's record. Metrics stream through
 * onBatch/onEpoch; the loop yields to the event loop between batches so a page stays responsive.
 * tf.memory().numTensors is the same after the run as before it.
 */
export async function train(model: TransferModel, photos: PhotoSet, options: TrainOptions = {}): Promise<RunRecord> {
  const tm = asTransferModel(model, 'train');
  const {
    epochs = 10,
    batchSize = 16,
    optimizer: optimizerName = 'adam',
    schedule = 'constant',
    augment = false,
    seed = 1,
    batchNorm = 'train',
    signal,
  } = options;
  const learningRate = options.learningRate ?? (optimizerName === 'adam' ? 0.001 : 0.01);
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`epochs must be a positive integer, not ${epochs}`);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error(`batchSize must be a positive integer, not ${batchSize}`);
  if (!(learningRate > 0)) throw new Error(`learningRate must be positive, not ${learningRate}`);
  if (schedule !== 'constant' && schedule !== 'cosine')
    throw new Error(`schedule must be 'constant' or 'cosine', not ${String(schedule)}`);
  if (optimizerName !== 'adam' && optimizerName !== 'sgd')
    throw new Error(`optimizer must be 'adam' or 'sgd', not ${String(optimizerName)}`);
  if (photos.labels.join() !== tm.labels.join())
    throw new Error(
      `the photos' labels (${photos.labels.join(', ')}) differ from the model's (${tm.labels.join(', ')})`,
    );

  // The freeze point is resolved here, once, from the learner's flags or an explicit freezeAt that agrees with them,
  // and recorded; everything below uses the index.
  const k = freezeUpTo(tm, resolveFreezePoint(tm.model, layerIndex(tm.model, tm.cutAt), options.freezeAt));
  const freezeAt = tm.model.layers[k]!.name;
  const mode = options.mode ?? trainingMode(k);
  assertTrainableOnBackend(tm.model);
  const counts = paramCounts(tm.model);
  const trainSet = photos.select('train');
  const validationSet = photos.select('validation');

  const record: RunRecord = {
    name: options.name,
    freezeAt,
    freezeIndex: k,
    cutAt: tm.cutAt,
    trainableParams: counts.trainable,
    frozenParams: counts.frozen,
    epochs,
    learningRate,
    schedule,
    optimizer: optimizerName,
    batchSize,
    augment,
    seed,
    head: { ...tm.head },
    batchNorm,
    mode,
    history: [],
    secondsPerEpoch: NaN,
    featureSeconds: 0,
    backend: tf.getBackend(),
    trainPhotos: trainSet.length,
    validationPhotos: validationSet.length,
  };
  if (options.name === undefined) delete record.name;

  let feed: Feed;
  if (mode === 'full') {
    feed = { input: (e, m) => photos.batch(e, m), layers: tm.model.layers, firstTrainable: k + 1 };
  } else {
    // The shared cache holds activations of the pristine pre-trained layers; once this model's own base layers up to
    // the freeze point have been fine-tuned, they no longer match, so a cache of this model is used for this run.
    const pristine = k <= lastPristineLayer(tm);
    const cache = pristine
      ? (options.cache ?? activationCacheFor(tm.source, photos, DEFAULT_PREFIX))
      : new ActivationCache(tm.model, photos, { prefix: options.prefix ?? prefixFactory(DEFAULT_PREFIX) });
    if (pristine && cache.source !== tm.source)
      throw new Error("options.cache was made for another pre-trained model than this transfer model's source");
    const needed: [PhotoEntry[], boolean][] = [
      [trainSet, false],
      [validationSet, false],
    ];
    if (augment) needed.push([trainSet, true]);
    const total = needed.reduce((n, [e, m]) => n + e.filter((x) => !cache.has(freezeAt, x.file, m)).length, 0);
    const before = cache.stats.seconds;
    let done = 0;
    for (const [entries, mirrored] of needed) {
      const missingBefore = entries.filter((x) => !cache.has(freezeAt, x.file, mirrored)).length;
      try {
        await cache.activations(freezeAt, entries, mirrored, (d) => options.onFeatures?.(done + d, total), signal);
      } catch (error) {
        // Stopped while computing activations: what is done stays cached for the next run.
        if (signal?.aborted) return { ...record, featureSeconds: cache.stats.seconds - before, stopped: true };
        throw error;
      }
      done += missingBefore;
    }
    record.featureSeconds = cache.stats.seconds - before;
    feed = {
      input: async (e, m) => cache.stack(freezeAt, e, m),
      layers: tm.model.layers.slice(k + 1),
      firstTrainable: 0,
    };
  }

  const optimizer = optimizerName === 'adam' ? tf.train.adam(learningRate) : tf.train.sgd(learningRate);
  const variables = tm.model.trainableWeights.map((w) => w.read() as tf.Variable);
  tm.modifiedFrom = Math.min(tm.modifiedFrom, k + 1);
  const batchesPerEpoch = Math.ceil(trainSet.length / batchSize);
  const { body, fromLogits } = logitLayers(feed.layers);
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      const started = performance.now();
      const order = batchOrder(trainSet.length, seed, epoch);
      const flips = augment ? coinFlips(trainSet.length, deriveSeed(seed, epoch, 1)) : order.map(() => false);
      let lossSum = 0,
        correctSum = 0;
      for (let b = 0; b < batchesPerEpoch; b++) {
        if (signal?.aborted) return { ...record, stopped: true, secondsPerEpoch: meanSeconds(record.history) };
        const picked = order.slice(b * batchSize, (b + 1) * batchSize);
        const entries = picked.map((i) => trainSet[i]!);
        const x = await feed.input(
          entries,
          picked.map((i) => flips[i]!),
        );
        const y = photos.oneHot(entries);
        if (schedule === 'cosine')
          setLearningRate(optimizer, cosineRate(learningRate, epoch * batchesPerEpoch + b, epochs * batchesPerEpoch));
        let correct: tf.Scalar | undefined;
        const loss = optimizer.minimize(
          () => {
            const p = runChain(body, x, {
              training: (i) => i >= feed.firstTrainable,
              batchNorm,
              dropoutSeed: deriveSeed(seed, epoch, 2, b),
            });
            const out = lossAndCorrect(y, p, fromLogits);
            correct = tf.keep(out.correct);
            // Weight penalties (kernelRegularizer) of the layers being trained join the loss here, as in model.fit.
            const penalties = feed.layers
              .filter((_, i) => i >= feed.firstTrainable)
              .flatMap((l) => l.calculateLosses());
            return penalties.length ? (tf.addN([out.loss, ...penalties]) as tf.Scalar) : out.loss;
          },
          true,
          variables,
        )!;
        const [l, c] = await Promise.all([loss.data(), correct!.data()]);
        tf.dispose([x, y, loss, correct!]);
        lossSum += l[0]! * entries.length;
        correctSum += c[0]!;
        options.onBatch?.({ epoch, batch: b, batchesPerEpoch, loss: l[0]!, acc: c[0]! / entries.length });
        await yieldToEventLoop();
      }
      const val = await validate(feed, photos, validationSet);
      const metrics: EpochMetrics = {
        epoch,
        loss: lossSum / trainSet.length,
        acc: correctSum / trainSet.length,
        ...val,
        seconds: (performance.now() - started) / 1000,
      };
      record.history.push(metrics);
      options.onEpoch?.(metrics);
    }
  } finally {
    optimizer.dispose();
  }
  record.secondsPerEpoch = meanSeconds(record.history);
  return record;
}

function meanSeconds(history: EpochMetrics[]): number {
  return history.length ? history.reduce((s, h) => s + h.seconds, 0) / history.length : NaN;
}

/** Loss and accuracy on held-out photos, everything in inference mode (no Dropout, BN moving statistics). */
async function validate(
  feed: Feed,
  photos: PhotoSet,
  entries: PhotoEntry[],
): Promise<{ valLoss: number; valAcc: number }> {
  let lossSum = 0,
    correctSum = 0;
  for (let s = 0; s < entries.length; s += 32) {
    const batch = entries.slice(s, s + 32);
    const x = await feed.input(
      batch,
      batch.map(() => false),
    );
    const [loss, correct] = tf.tidy(() => {
      const { body, fromLogits } = logitLayers(feed.layers);
      const out = lossAndCorrect(photos.oneHot(batch), runChain(body, x, { training: () => false }), fromLogits);
      return [out.loss.mul(batch.length), out.correct];
    });
    const [l, c] = await Promise.all([loss.data(), correct.data()]);
    tf.dispose([x, loss, correct]);
    lossSum += l[0]!;
    correctSum += c[0]!;
  }
  return { valLoss: lossSum / entries.length, valAcc: correctSum / entries.length };
}
