/**
 * BatchNorm and "frozen": lesson 6's contrast. A BatchNormalization layer normalises with the batch's own mean and
 * variance while training and with its moving averages (learned on ImageNet) at inference. In TensorFlow.js, which
 * of the two it does depends only on the `training` flag of the call, never on `layer.trainable`: `model.fit` on a
 * network whose base is "frozen" (trainable = false) still runs that base in training mode, so every BN layer both
 * normalises with our small batches' statistics and drags its moving averages towards them (momentum 0.99 a step).
 * (TensorFlow 2 Keras differs: a BN layer with trainable = False runs in inference mode.) The workbook instead runs
 * frozen layers in inference mode and trains only on their outputs, so nothing in them moves.
 *
 * bnDrift trains the same new head both ways and reports how far the moving statistics moved and what the
 * validation accuracy was after each.
 */
import * as tf from '@tensorflow/tfjs';
import type { PhotoEntry, PhotoSet } from './dataset';
import { evaluate } from './evaluate';
import { deriveSeed, shuffledIndices } from './seeded';
import { wilsonInterval, type Interval } from './stats';

/** How far one BN layer's moving statistics moved, in units of the original standard deviation per channel. */
export interface LayerDrift {
  layer: string;
  /** Mean over channels of |μ_after − μ_before| / σ_before. */
  meanShift: number;
  /** The largest such shift of any channel. */
  maxShift: number;
  /** Mean over channels of |log(σ²_after / σ²_before)|: 0.1 is about a 10 % change of the variance. */
  logVarianceChange: number;
}

/** One way of training the head, and where it ended. */
export interface DriftArm {
  /** Validation accuracy with the statistics the model holds after training. */
  correct: number;
  total: number;
  accuracy: number;
  interval: Interval;
  seconds: number;
}

/** The contrast: naive fit (training-mode base) against the workbook's inference-mode freeze. */
export interface BnDriftReport {
  epochs: number;
  /** Per BN layer, in network order, for the naive fit (the inference-mode arm moves nothing: checked, 0). */
  drift: LayerDrift[];
  /** The largest meanShift of any layer: the headline number. */
  largestShift: { layer: string; meanShift: number };
  /** True when the naive fit left every kernel, gamma and beta as it was: only the statistics moved. */
  trainedWeightsUnchanged: boolean;
  /** Max |change| of any moving statistic in the inference-mode arm: 0 when the freeze is real. */
  inferenceModeChange: number;
  naive: DriftArm;
  inferenceMode: DriftArm;
}

/** A copy of `model` with its own weights (the original stays untouched). */
async function cloneModel(model: tf.LayersModel): Promise<tf.LayersModel> {
  const copy = await tf.models.modelFromJSON({
    modelTopology: model.toJSON(null, false),
  } as unknown as tf.io.ModelJSON);
  copy.setWeights(model.getWeights());
  return copy;
}

/** Moving means and variances of every BN layer, as plain arrays. */
function movingStats(model: tf.LayersModel): Map<string, { mean: Float32Array; variance: Float32Array }> {
  const stats = new Map<string, { mean: Float32Array; variance: Float32Array }>();
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    const find = (suffix: string) =>
      layer.weights
        .find((w) => w.originalName.endsWith(suffix))!
        .read()
        .dataSync() as Float32Array;
    stats.set(layer.name, { mean: find('moving_mean').slice(), variance: find('moving_variance').slice() });
  }
  return stats;
}

/** base (up to `featureLayer`) → global average pooling → a new seeded softmax layer. */
function withNewHead(base: tf.LayersModel, featureLayer: string, classes: number, seed: number): tf.LayersModel {
  const pooled = tf.layers.globalAveragePooling2d({}).apply(base.getLayer(featureLayer).output) as tf.SymbolicTensor;
  const head = tf.layers.dense({
    units: classes,
    activation: 'softmax',
    kernelInitializer: tf.initializers.glorotUniform({ seed }),
    name: 'drift_head',
  });
  const model = tf.model({ inputs: base.inputs, outputs: head.apply(pooled) as tf.SymbolicTensor });
  for (const layer of model.layers) layer.trainable = layer.name === 'drift_head';
  return model;
}

/**
 * Trains a new head on `base`'s features both ways, for `epochs` passes over the training photos in the same
 * seeded batches, and reports the drift and the validation accuracy of each. `base` itself is never changed.
 */
export async function bnDrift(
  base: tf.LayersModel,
  photos: PhotoSet,
  options: { epochs?: number; batchSize?: number; learningRate?: number; seed?: number; featureLayer?: string } = {},
): Promise<BnDriftReport> {
  const { epochs = 2, batchSize = 16, learningRate = 0.01, seed = 1, featureLayer = 'conv_pw_13_relu' } = options;
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`epochs must be a positive integer, got ${epochs}`);
  base.getLayer(featureLayer); // throws tfjs's "no such layer" error naming it
  const train = photos.select('train');
  const batches = (epoch: number): PhotoEntry[][] => {
    const order = shuffledIndices(train.length, deriveSeed(seed, epoch)).map((i) => train[i]!);
    return Array.from({ length: Math.ceil(order.length / batchSize) }, (_, b) =>
      order.slice(b * batchSize, (b + 1) * batchSize),
    );
  };
  const arm = async (
    model: tf.LayersModel,
    step: (x: tf.Tensor4D, y: tf.Tensor2D) => Promise<void>,
  ): Promise<DriftArm> => {
    const started = performance.now();
    for (let e = 0; e < epochs; e++) {
      for (const entries of batches(e)) {
        const x = await photos.batch(entries);
        const y = photos.oneHot(entries);
        await step(x, y);
        tf.dispose([x, y]);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const report = await evaluate(model, photos);
    const total = report.predictions.length;
    const correct = total - report.misclassified.length;
    return { correct, total, accuracy: correct / total, interval: wilsonInterval(correct, total), seconds };
  };

  // Arm 1, naive: the whole model through model.trainOnBatch (as fit does): BN layers run in training mode.
  const naiveBase = await cloneModel(base);
  const naive = withNewHead(naiveBase, featureLayer, photos.labels.length, seed);
  const before = movingStats(naive);
  // Kernels, gammas and betas: what gradient descent would change. The base's trainable = false keeps these.
  const learned = () =>
    naiveBase.weights
      .filter((w) => !/moving_(mean|variance)/.test(w.originalName))
      .map((w) => w.read().dataSync().slice());
  const learnedBefore = learned();
  naive.compile({ optimizer: tf.train.adam(learningRate), loss: 'categoricalCrossentropy' });
  const naiveArm = await arm(naive, async (x, y) => void (await naive.trainOnBatch(x, y)));
  const after = movingStats(naive);
  const learnedAfter = learned();
  const trainedWeightsUnchanged =
    learnedBefore.length > 0 && learnedBefore.every((w, i) => w.every((v, j) => v === learnedAfter[i]![j]));

  // Arm 2, the workbook's freeze: features from the base in inference mode (predict), only the head trains.
  const frozenBase = await cloneModel(base);
  const frozen = withNewHead(frozenBase, featureLayer, photos.labels.length, seed);
  const features = tf.model({
    inputs: frozen.inputs,
    outputs: frozen.getLayer(featureLayer).output as tf.SymbolicTensor,
  });
  const head = tf.sequential({
    layers: [
      tf.layers.globalAveragePooling2d({ inputShape: features.outputs[0]!.shape.slice(1) as number[] }),
      frozen.getLayer('drift_head'),
    ],
  });
  head.compile({ optimizer: tf.train.adam(learningRate), loss: 'categoricalCrossentropy' });
  const frozenBefore = movingStats(frozen);
  const inferenceArm = await arm(frozen, async (x, y) => {
    const f = features.predict(x) as tf.Tensor; // predict: inference mode, moving statistics only read
    await head.trainOnBatch(f, y);
    f.dispose();
  });
  let inferenceModeChange = 0;
  for (const [name, s] of movingStats(frozen)) {
    const b = frozenBefore.get(name)!;
    s.mean.forEach((v, i) => (inferenceModeChange = Math.max(inferenceModeChange, Math.abs(v - b.mean[i]!))));
    s.variance.forEach((v, i) => (inferenceModeChange = Math.max(inferenceModeChange, Math.abs(v - b.variance[i]!))));
  }

  const drift: LayerDrift[] = [...before].map(([layer, b]) => {
    const a = after.get(layer)!;
    const shifts = Array.from(b.mean, (m, i) => Math.abs(a.mean[i]! - m) / Math.sqrt(b.variance[i]! + 1e-3));
    const logVar = Array.from(b.variance, (v, i) => Math.abs(Math.log((a.variance[i]! + 1e-12) / (v + 1e-12))));
    return {
      layer,
      meanShift: shifts.reduce((s, v) => s + v, 0) / shifts.length,
      maxShift: Math.max(...shifts),
      logVarianceChange: logVar.reduce((s, v) => s + v, 0) / logVar.length,
    };
  });
  const largest = drift.reduce((m, d) => (d.meanShift > m.meanShift ? d : m), drift[0]!);
  naive.dispose();
  frozen.dispose();
  return {
    epochs,
    drift,
    largestShift: { layer: largest.layer, meanShift: largest.meanShift },
    trainedWeightsUnchanged,
    inferenceModeChange,
    naive: naiveArm,
    inferenceMode: inferenceArm,
  };
}
