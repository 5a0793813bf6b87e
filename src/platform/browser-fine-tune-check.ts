/**
 * One fine-tuning step on whatever backend tfjs runs: block 13 and a new 3-way head trainable, everything before
 * frozen, one batch of real photos through the whole network (the engine's `full` mode), then one validation pass.
 * It proves that the backend can compute every gradient training needs (on wasm, the composed conv-gradient
 * kernels of src/ml/kernels) and that frozen layers stay as loaded.
 */
import * as tf from '@tensorflow/tfjs';
import { loadPhotoSet, type PhotoDecoder } from '../ml/dataset';
import { buildTransferModel } from '../ml/surgery';
import { train } from '../ml/train';

/** What one step did. */
export interface FineTuneReport {
  freezeAt: string;
  trainableParams: number;
  loss: number;
  seconds: number;
  /** Largest absolute change of conv_pw_13's kernel (trainable): must be above 0. */
  trainedChange: number;
  /** Largest absolute change of conv1's kernel and conv1_bn's moving mean (frozen): must be exactly 0. */
  frozenChange: number;
  /** tf.memory().numTensors after the step minus before it. */
  leakedTensors: number;
}

/** One photo per class and split: the smallest set the engine's photo index accepts. */
const PHOTOS = [
  { file: 'cat/Egyptian_Mau_10.jpg', label: 'cat', split: 'train' },
  { file: 'dog/beagle_10.jpg', label: 'dog', split: 'train' },
  { file: 'other/other_tfjs_coffee.jpg', label: 'other', split: 'train' },
  { file: 'cat/Siamese_108.jpg', label: 'cat', split: 'validation' },
  { file: 'dog/pug_112.jpg', label: 'dog', split: 'validation' },
  { file: 'other/other_imagenet_n02119022_red_fox.jpg', label: 'other', split: 'validation' },
  { file: 'cat/Bombay_160.jpg', label: 'cat', split: 'test' },
  { file: 'dog/american_bulldog_106.jpg', label: 'dog', split: 'test' },
  { file: 'other/other_imagenet_n01443537_goldfish.jpg', label: 'other', split: 'test' },
];

/** A weight's values by name; read asynchronously, as GPU backends need. */
async function valuesOf(model: tf.LayersModel, name: string): Promise<Float32Array> {
  const w = model.weights.find((v) => v.originalName === name || v.name === name);
  if (!w) throw new Error(`fine-tune check: the transfer model has no weight ${name}`);
  return Float32Array.from(await w.read().data());
}

/** Largest absolute difference between a weight now and its copy from before. */
async function maxChange(model: tf.LayersModel, name: string, before: Map<string, Float32Array>): Promise<number> {
  const now = await valuesOf(model, name);
  const then = before.get(name)!;
  let max = 0;
  for (let i = 0; i < then.length; i++) max = Math.max(max, Math.abs(now[i]! - then[i]!));
  return max;
}

/** Runs the step on the current backend and reports what changed. */
export async function fineTuneStep(base: tf.LayersModel, decode: PhotoDecoder): Promise<FineTuneReport> {
  const tensorsBefore = tf.memory().numTensors;
  const photos = loadPhotoSet(
    {
      labels: ['cat', 'dog', 'other'],
      split: { seed: 1, validationFraction: 1 / 3, testFraction: 1 / 3 },
      photos: PHOTOS,
    },
    decode,
  );
  const tm = buildTransferModel(base, { seed: 7 });
  const watched = ['conv_pw_13/kernel', 'conv1/kernel', 'conv1_bn/moving_mean'];
  const before = new Map(
    await Promise.all(watched.map(async (name) => [name, await valuesOf(tm.model, name)] as const)),
  );
  const started = performance.now();
  const record = await train(tm, photos, {
    freezeAt: 'conv_pw_12_relu',
    epochs: 1,
    batchSize: 3,
    mode: 'full',
    learningRate: 0.01,
  });
  const report: FineTuneReport = {
    freezeAt: record.freezeAt,
    trainableParams: record.trainableParams,
    loss: record.history[0]?.loss ?? NaN,
    seconds: (performance.now() - started) / 1000,
    trainedChange: await maxChange(tm.model, 'conv_pw_13/kernel', before),
    frozenChange: Math.max(
      await maxChange(tm.model, 'conv1/kernel', before),
      await maxChange(tm.model, 'conv1_bn/moving_mean', before),
    ),
    leakedTensors: 0,
  };
  tm.model.dispose(); // its base layers are copies: the loaded model stays intact
  report.leakedTensors = tf.memory().numTensors - tensorsBefore;
  return report;
}
