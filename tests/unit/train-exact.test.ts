/**
 * train() pinned exactly (src/ml/train.ts), on the real MobileNet and 12 training / 3 validation photos: every
 * refusal's message, every field of the run record, and the numbers themselves. A head with no hidden layer is a
 * softmax regression on the 256 pooled features, so plain SGD on it can be written out by hand (below, in float64,
 * from the same cached features): each batch's loss and accuracy, each epoch's averages and validation figures, the
 * L2 penalty and the final weights must match that independent reference, on the cached path and through the whole
 * network. Also: Adam's first step and the default rates, a model without a separate softmax layer (loss from the
 * probabilities), logits so large that softmax-then-log would round to log(0), the progress and seconds of the
 * frozen activations, a Stop between batches and while the activations are computed, and the tensors left.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActivationCache } from '../../src/ml/activation-cache';
import { CLASS_LABELS, type PhotoEntry, PhotoSet } from '../../src/ml/dataset';
import { evaluate } from '../../src/ml/evaluate';
import { recordEngineFlags } from '../../src/ml/freeze-flags';
import { type FrozenPrefix, inferencePrefix, type PrefixFactory } from '../../src/ml/frozen';
import type { BatchMetrics, EpochMetrics, RunRecord } from '../../src/ml/runs';
import { deriveSeed, shuffledIndices } from '../../src/ml/seeded';
import { applyCopies, buildTransferModel, layerIndex, paramCounts, type TransferModel } from '../../src/ml/surgery';
import { train, trainingMode, type TrainOptions } from '../../src/ml/train';
import { readPhoto } from '../../src/platform/node';
import { loadRealModel, photoSubset, realPhotoSet } from '../helpers/training';

const CUT = 'global_average_pooling2d_1';

/** A head's weights in float64: kernel [256][classes] and bias [classes]. */
interface Head {
  w: number[][];
  b: number[];
}

/** What the reference computes for one batch and one epoch, in the shapes train() reports. */
interface Reference {
  batches: BatchMetrics[];
  epochs: Omit<EpochMetrics, 'seconds'>[];
  head: Head;
}

/** Logits, log-sum-exp and the predicted class of one photo's features under `head`. */
function forward(head: Head, f: Float32Array): { z: number[]; lse: number; argmax: number } {
  const z = head.b.map((bias, c) => f.reduce((s, v, j) => s + v * head.w[j]![c]!, bias));
  const max = Math.max(...z);
  const lse = max + Math.log(z.reduce((s, v) => s + Math.exp(v - max), 0));
  return { z, lse, argmax: z.indexOf(max) };
}

/**
 * Plain SGD on a softmax-regression head, written out: per batch the mean cross-entropy plus l2·Σw² (Keras l2), its
 * gradient, one step at the schedule's rate; per epoch the size-weighted mean loss, correct / photos, and the
 * validation loss and accuracy (no penalty) of the head after the epoch.
 */
function sgdReference(
  start: Head,
  train: { f: Float32Array; y: number }[],
  validation: { f: Float32Array; y: number }[],
  o: { epochs: number; batchSize: number; rate: number; seed: number; l2?: number; cosine?: boolean },
): Reference {
  const head: Head = { w: start.w.map((r) => [...r]), b: [...start.b] };
  const l2 = o.l2 ?? 0;
  const perEpoch = Math.ceil(train.length / o.batchSize);
  const batches: BatchMetrics[] = [];
  const epochs: Reference['epochs'] = [];
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const order = shuffledIndices(train.length, deriveSeed(o.seed, epoch));
    let lossSum = 0,
      correctSum = 0;
    for (let batch = 0; batch < perEpoch; batch++) {
      const picked = order.slice(batch * o.batchSize, (batch + 1) * o.batchSize).map((i) => train[i]!);
      const n = picked.length;
      const gw = head.w.map((r) => r.map(() => 0));
      const gb = head.b.map(() => 0);
      let ce = 0,
        correct = 0;
      for (const { f, y } of picked) {
        const { z, lse, argmax } = forward(head, f);
        ce += (lse - z[y]!) / n;
        if (argmax === y) correct++;
        z.forEach((zc, c) => {
          const d = (Math.exp(zc - lse) - (c === y ? 1 : 0)) / n;
          gb[c]! += d;
          f.forEach((v, j) => (gw[j]![c]! += v * d));
        });
      }
      const penalty = l2 * head.w.reduce((s, r) => s + r.reduce((t, v) => t + v * v, 0), 0);
      const step = epoch * perEpoch + batch,
        steps = o.epochs * perEpoch;
      const rate = o.cosine ? 0.5 * o.rate * (1 + Math.cos((Math.PI * step) / steps)) : o.rate;
      head.w = head.w.map((r, j) => r.map((v, c) => v - rate * (gw[j]![c]! + 2 * l2 * v)));
      head.b = head.b.map((v, c) => v - rate * gb[c]!);
      batches.push({ epoch, batch, batchesPerEpoch: perEpoch, loss: ce + penalty, acc: correct / n });
      lossSum += (ce + penalty) * n;
      correctSum += correct;
    }
    let valLoss = 0,
      valCorrect = 0;
    for (const { f, y } of validation) {
      const { z, lse, argmax } = forward(head, f);
      valLoss += lse - z[y]!;
      if (argmax === y) valCorrect++;
    }
    epochs.push({
      epoch,
      loss: lossSum / train.length,
      acc: correctSum / train.length,
      valLoss: valLoss / validation.length,
      valAcc: valCorrect / validation.length,
    });
  }
  return { batches, epochs, head };
}

/** A dense layer's weights as a float64 head. */
function headOf(layer: tf.layers.Layer): Head {
  const [kernel, bias] = layer.getWeights();
  return { w: kernel!.arraySync() as number[][], b: bias!.arraySync() as number[] };
}

/** |a − b| ≤ tol·max(1, |b|), with the place named. */
function expectClose(actual: number, expected: number, what: string, tol = 2e-5): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    tol * Math.max(1, Math.abs(expected)),
  );
}

function expectRunMatches(batches: BatchMetrics[], history: EpochMetrics[], ref: Reference, tol = 2e-5): void {
  expect(batches.map(({ epoch, batch, batchesPerEpoch, acc }) => ({ epoch, batch, batchesPerEpoch, acc }))).toEqual(
    ref.batches.map(({ epoch, batch, batchesPerEpoch, acc }) => ({ epoch, batch, batchesPerEpoch, acc })),
  );
  batches.forEach((m, i) => expectClose(m.loss, ref.batches[i]!.loss, `batch ${i} loss`, tol));
  expect(history.map((h) => [h.epoch, h.acc, h.valAcc])).toEqual(ref.epochs.map((h) => [h.epoch, h.acc, h.valAcc]));
  history.forEach((h, i) => {
    expectClose(h.loss, ref.epochs[i]!.loss, `epoch ${i} loss`, tol);
    expectClose(h.valLoss, ref.epochs[i]!.valLoss, `epoch ${i} valLoss`, tol);
    expect(h.seconds).toBeGreaterThan(0);
  });
}

function expectHeadMatches(layer: tf.layers.Layer, ref: Head, tol = 2e-5): void {
  const got = headOf(layer);
  got.w.forEach((r, j) => r.forEach((v, c) => expectClose(v, ref.w[j]![c]!, `w[${j}][${c}]`, tol)));
  got.b.forEach((v, c) => expectClose(v, ref.b[c]!, `b[${c}]`, tol));
}

describe('train() pinned exactly', () => {
  let base: tf.LayersModel;
  let photos: PhotoSet;
  let trainSet: PhotoEntry[];
  let validationSet: PhotoEntry[];
  /** The exact ('layers' prefix) cache every run here shares, holding the pooled features of all 15 photos. */
  let cache: ActivationCache;
  let trainData: { f: Float32Array; y: number }[];
  let validationData: { f: Float32Array; y: number }[];
  let cut: number;
  const models: tf.LayersModel[] = [];

  beforeAll(async () => {
    base = await loadRealModel();
    photos = photoSubset(realPhotoSet(), { train: 4, validation: 1 }); // 12 training photos, 3 held out
    trainSet = photos.select('train');
    validationSet = photos.select('validation');
    cache = new ActivationCache(base, photos);
    const trainF = await cache.activations(CUT, trainSet);
    const valF = await cache.activations(CUT, validationSet);
    trainData = trainSet.map((e, i) => ({ f: trainF[i]!, y: photos.classIndex(e.label) }));
    validationData = validationSet.map((e, i) => ({ f: valF[i]!, y: photos.classIndex(e.label) }));
    cut = layerIndex(base, CUT);
  }, 300_000);
  afterAll(() => models.forEach((m) => m.dispose()));

  function transferModel(options: Parameters<typeof buildTransferModel>[1] = {}): TransferModel {
    const tm = buildTransferModel(base, options);
    models.push(tm.model);
    return tm;
  }

  /** Trains and collects what the callbacks saw, checking that no tensor is left behind. */
  async function run(
    tm: TransferModel,
    options: TrainOptions,
  ): Promise<{ record: RunRecord; batches: BatchMetrics[]; epochs: EpochMetrics[] }> {
    const batches: BatchMetrics[] = [];
    const epochs: EpochMetrics[] = [];
    const tensors = tf.memory().numTensors;
    const started = performance.now();
    const record = await train(tm, photos, {
      cache,
      ...options,
      onBatch: (m) => {
        batches.push(m);
        options.onBatch?.(m);
      },
      onEpoch: (m) => epochs.push(m),
    });
    const wall = (performance.now() - started) / 1000;
    expect(tf.memory().numTensors).toBe(tensors);
    expect(epochs).toEqual(record.history);
    // Each epoch's seconds are its own wall-clock time: positive, and all of them together within the whole run's.
    expect(record.history.every((h) => h.seconds > 0)).toBe(true);
    expect(record.history.reduce((t, h) => t + h.seconds, 0) + record.featureSeconds).toBeLessThanOrEqual(wall);
    return { record, batches, epochs };
  }

  it('refuses every bad option with its exact message, before it changes anything', async () => {
    const tm = transferModel({ seed: 1 });
    const flags = tm.model.layers.map((l) => l.trainable);
    const refusals: [TrainOptions, string][] = [
      [{ epochs: 0 }, 'epochs must be a positive integer, not 0'],
      [{ epochs: 1.5 }, 'epochs must be a positive integer, not 1.5'],
      [{ epochs: -2 }, 'epochs must be a positive integer, not -2'],
      [{ batchSize: 0 }, 'batchSize must be a positive integer, not 0'],
      [{ batchSize: 2.5 }, 'batchSize must be a positive integer, not 2.5'],
      [{ learningRate: 0 }, 'learningRate must be positive, not 0'],
      [{ learningRate: -0.1 }, 'learningRate must be positive, not -0.1'],
      [{ learningRate: NaN }, 'learningRate must be positive, not NaN'],
      [{ schedule: 'linear' as never }, "schedule must be 'constant' or 'cosine', not linear"],
      [{ optimizer: 'rmsprop' as never }, "optimizer must be 'adam' or 'sgd', not rmsprop"],
      [{ optimizer: 'rmsprop' as never, learningRate: 0.1 }, "optimizer must be 'adam' or 'sgd', not rmsprop"],
    ];
    for (const [options, message] of refusals) {
      const error = await train(tm, photos, { cache, ...options }).catch((e: unknown) => e);
      expect(error, JSON.stringify(options)).toBeInstanceOf(Error);
      expect((error as Error).message, JSON.stringify(options)).toBe(message);
    }
    const swapped = new PhotoSet({ ...photos.index, labels: ['dog', 'cat', 'other'] }, readPhoto);
    await expect(train(tm, swapped)).rejects.toThrow(
      "the photos' labels (dog, cat, other) differ from the model's (cat, dog, other)",
    );
    const fewer = new PhotoSet({ ...photos.index, labels: ['cat', 'dog'] }, readPhoto);
    await expect(train(tm, fewer)).rejects.toThrow("the photos' labels (cat, dog) differ from the model's");
    expect(tm.model.layers.map((l) => l.trainable)).toEqual(flags);
    expect(tm.modifiedFrom).toBe(tm.model.layers.length);
  });

  it('refuses a model that is not a transfer model, naming train', async () => {
    await expect(train(base as never, photos)).rejects.toThrow(
      'train expects a transfer model (the pre-trained base with a new head, as lesson 4 builds it), not a tf.LayersModel.',
    );
  });

  it('says the engine runs the whole network only when nothing is frozen', () => {
    expect(trainingMode(0)).toBe('full');
    expect(trainingMode(1)).toBe('cached');
    expect(trainingMode(cut)).toBe('cached');
  });

  it('records every field of a run with the defaults (Adam at 0.001, 10 epochs of 16), and no name when none is given', async () => {
    const tm = transferModel({ seed: 4 });
    const { record, batches } = await run(tm, {});
    const counts = paramCounts(tm.model);
    expect(Object.keys(record)).not.toContain('name');
    expect(Object.keys(record)).not.toContain('stopped');
    expect(record).toEqual({
      freezeAt: CUT,
      freezeIndex: cut,
      cutAt: CUT,
      trainableParams: 771,
      frozenParams: counts.frozen,
      epochs: 10,
      learningRate: 0.001,
      schedule: 'constant',
      optimizer: 'adam',
      batchSize: 16,
      augment: false,
      seed: 1,
      head: { seed: 4 },
      batchNorm: 'train',
      mode: 'cached',
      history: record.history,
      secondsPerEpoch: record.history.reduce((s, h) => s + h.seconds, 0) / 10,
      featureSeconds: record.featureSeconds,
      backend: 'wasm',
      trainPhotos: 12,
      validationPhotos: 3,
    });
    expect(record.head).not.toBe(tm.head);
    expect(record.featureSeconds).toBeGreaterThanOrEqual(0);
    expect(record.history.map((h) => h.epoch)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(batches.map((b) => [b.epoch, b.batch, b.batchesPerEpoch])).toEqual(
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((e) => [e, 0, 1]),
    );
    expect(tm.modifiedFrom).toBe(cut + 1);
    const namedModel = transferModel({ hidden: 4, dropout: 0.25, l2: 0.5 });
    const named = await run(namedModel, {
      name: 'mine',
      epochs: 1,
      batchSize: 12,
      optimizer: 'sgd',
      schedule: 'cosine',
      augment: true,
      seed: 3,
      batchNorm: 'inference',
    });
    expect(named.record).toMatchObject({
      name: 'mine',
      epochs: 1,
      batchSize: 12,
      optimizer: 'sgd',
      learningRate: 0.01,
      schedule: 'cosine',
      augment: true,
      seed: 3,
      batchNorm: 'inference',
      head: { seed: 1, hidden: 4, dropout: 0.25, l2: 0.5 },
      trainableParams: 256 * 4 + 4 + 4 * 3 + 3,
    });
    expect(named.record.secondsPerEpoch).toBe(named.record.history[0]!.seconds);
    // Validation runs in inference mode (Dropout off): the figures of an independent evaluation of the model.
    const evaluation = await evaluate(namedModel, photos);
    expectClose(named.record.history[0]!.valLoss, evaluation.loss, 'valLoss with Dropout', 1e-4);
    expect(named.record.history[0]!.valAcc).toBe(evaluation.accuracy);
  });

  it('matches a hand-written SGD step by step: batch losses and accuracies, epoch means, validation, weights (cosine, L2)', async () => {
    const tm = transferModel({ seed: 2, l2: 0.01 });
    const start = headOf(tm.model.getLayer('head_logits'));
    const options = { epochs: 2, batchSize: 5, optimizer: 'sgd', learningRate: 0.3, seed: 7 } as const;
    const { record, batches } = await run(tm, { ...options, schedule: 'cosine' });
    const ref = sgdReference(start, trainData, validationData, { ...options, rate: 0.3, l2: 0.01, cosine: true });
    expect(batches).toHaveLength(6); // 5 + 5 + 2 photos per epoch
    expectRunMatches(batches, record.history, ref);
    expectHeadMatches(tm.model.getLayer('head_logits'), ref.head);
    // The batches of 2 weigh less in the epoch's mean than those of 5: the plain mean of the three is another number.
    const plain = (ref.batches[0]!.loss + ref.batches[1]!.loss + ref.batches[2]!.loss) / 3;
    expect(Math.abs(plain - ref.epochs[0]!.loss)).toBeGreaterThan(1e-3);
    // The validation figures are those of an independent evaluation of the model after the last epoch.
    const evaluation = await evaluate(tm, photos);
    expectClose(record.history[1]!.valLoss, evaluation.loss, 'evaluate loss', 1e-4);
    expect(record.history[1]!.valAcc).toBe(evaluation.accuracy);
  });

  it('trains the same through the whole network (mode full), and at the default SGD rate 0.01 one photo per step', async () => {
    const tm = transferModel({ seed: 5, l2: 0.02 });
    const start = headOf(tm.model.getLayer('head_logits'));
    // A loss attached to a frozen layer (the last one, the cut) is not a penalty of a layer being trained: it stays out.
    (tm.model.layers[cut] as unknown as { addLoss(f: () => tf.Scalar): void }).addLoss(() => tf.scalar(100));
    const { record, batches } = await run(tm, {
      epochs: 1,
      batchSize: 6,
      optimizer: 'sgd',
      learningRate: 0.4,
      seed: 2,
      mode: 'full',
    });
    expect(record).toMatchObject({ mode: 'full', featureSeconds: 0, freezeIndex: cut, trainPhotos: 12 });
    const ref = sgdReference(start, trainData, validationData, {
      epochs: 1,
      batchSize: 6,
      rate: 0.4,
      seed: 2,
      l2: 0.02,
    });
    expectRunMatches(batches, record.history, ref, 1e-4);
    expectHeadMatches(tm.model.getLayer('head_logits'), ref.head, 1e-4);

    const one = transferModel({ seed: 6 });
    const startOne = headOf(one.model.getLayer('head_logits'));
    const single = await run(one, { epochs: 1, batchSize: 1, optimizer: 'sgd', seed: 9 });
    expect(single.record.learningRate).toBe(0.01);
    const refOne = sgdReference(startOne, trainData, validationData, { epochs: 1, batchSize: 1, rate: 0.01, seed: 9 });
    expect(single.batches).toHaveLength(12);
    expectRunMatches(single.batches, single.record.history, refOne);
    expectHeadMatches(one.model.getLayer('head_logits'), refOne.head);
  });

  it("adds the head's L2 penalty to the loss: larger by exactly l2·Σw² at the first step", async () => {
    const first = async (l2?: number) => {
      const tm = transferModel({ seed: 8, l2 });
      const kernel = tm.model.getLayer('head_logits').getWeights()[0]!;
      const sumSquares = tf.tidy(() => kernel.square().sum().dataSync()[0]!);
      const stop = new AbortController();
      const { batches } = await run(tm, { epochs: 1, batchSize: 12, signal: stop.signal, onBatch: () => stop.abort() });
      return { loss: batches[0]!.loss, sumSquares };
    };
    const plain = await first();
    const penalised = await first(0.05);
    expect(penalised.sumSquares).toBe(plain.sumSquares); // the same starting head
    expectClose(penalised.loss - plain.loss, 0.05 * plain.sumSquares, 'penalty', 1e-5);
    expect(penalised.loss - plain.loss).toBeGreaterThan(0.01);
  });

  it("takes Adam's first step: each weight moves by the rate against its gradient's sign", async () => {
    const tm = transferModel({ seed: 3 });
    const start = headOf(tm.model.getLayer('head_logits'));
    const { record } = await run(tm, { epochs: 1, batchSize: 12, learningRate: 0.02, seed: 4 });
    expect(record).toMatchObject({ optimizer: 'adam', learningRate: 0.02 });
    // The gradient of the one full batch: a reference SGD step of rate 1 from the start moves by −gradient.
    const g = sgdReference(start, trainData, validationData, { epochs: 1, batchSize: 12, rate: 1, seed: 4 }).head;
    const after = headOf(tm.model.getLayer('head_logits'));
    after.w.forEach((r, j) =>
      r.forEach((v, c) => {
        const grad = start.w[j]![c]! - g.w[j]![c]!;
        expectClose(v - start.w[j]![c]!, (-0.02 * grad) / (Math.abs(grad) + 1e-7), `adam w[${j}][${c}]`, 1e-5);
      }),
    );
    const steps = after.w.flat().map((v, i) => Math.abs(v - start.w.flat()[i]!));
    expect(Math.max(...steps)).toBeCloseTo(0.02, 5);
  });

  it('computes the loss from the probabilities when the last layer is not a softmax layer of its own', async () => {
    // A Dense(softmax) last, and the same followed by an Activation layer that is not a softmax (linear): either way
    // the outputs are the probabilities, and the loss is their cross-entropy, not a softmax of them.
    for (const after of [undefined, 'linear'] as const) {
      const input = tf.input({ shape: [224, 224, 3], name: base.layers[0]!.name });
      const features = applyCopies(base.layers.slice(1, cut + 1), input);
      const dense = tf.layers.dense({
        units: 3,
        activation: 'softmax',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 11 }),
        name: 'probs',
      });
      const probs = dense.apply(features) as tf.SymbolicTensor;
      const output = after ? (tf.layers.activation({ activation: after }).apply(probs) as tf.SymbolicTensor) : probs;
      const model = tf.model({ inputs: input, outputs: output });
      models.push(model);
      recordEngineFlags(model);
      const tm: TransferModel = {
        model,
        source: base,
        cutAt: CUT,
        labels: CLASS_LABELS,
        head: { seed: 11 },
        modifiedFrom: model.layers.length,
      };
      const start = headOf(dense);
      const { record, batches } = await run(tm, {
        epochs: 2,
        batchSize: 5,
        optimizer: 'sgd',
        learningRate: 0.02,
        seed: 6,
      });
      expect(record.trainableParams).toBe(771);
      // A small rate keeps every probability well inside (1e-7, 1 − 1e-7), where the clipped loss is the exact one.
      const ref = sgdReference(start, trainData, validationData, { epochs: 2, batchSize: 5, rate: 0.02, seed: 6 });
      expect(Math.max(...ref.batches.map((b) => b.loss))).toBeLessThan(5);
      expectRunMatches(batches, record.history, ref);
      expectHeadMatches(dense, ref.head);
    }
  });

  it('computes the loss from the logits: exact where softmax-then-log would round to log(0), cached or full', async () => {
    for (const mode of ['cached', 'full'] as const) {
      const tm = transferModel({ seed: 2 });
      const layer = tm.model.getLayer('head_logits');
      const [kernel, bias] = layer.getWeights();
      const scaled = kernel!.mul(400);
      layer.setWeights([scaled, bias!]);
      scaled.dispose();
      const start = headOf(layer);
      const ref = sgdReference(start, trainData, validationData, { epochs: 1, batchSize: 12, rate: 1e-9, seed: 1 });
      // Some photo's true class gets a probability below float32's smallest: its cross-entropy is far above −log(1e-7).
      expect(ref.batches[0]!.loss).toBeGreaterThan(-Math.log(1e-7) + 5);
      const { record, batches } = await run(tm, {
        epochs: 1,
        batchSize: 12,
        optimizer: 'sgd',
        learningRate: 1e-9,
        mode,
      });
      expectClose(batches[0]!.loss, ref.batches[0]!.loss, `large logits, ${mode}`, 1e-5);
      expectClose(record.history[0]!.valLoss, ref.epochs[0]!.valLoss, `large logits, validation, ${mode}`, 1e-5);
    }
  });

  it('reports the frozen activations computed: progress over all that is missing, and their seconds', async () => {
    const fresh = new ActivationCache(base, photos);
    await fresh.activations(CUT, validationSet); // the validation photos are cached already
    const before = fresh.stats.seconds;
    const progress: [number, number][] = [];
    const { record } = await run(transferModel(), {
      cache: fresh,
      epochs: 1,
      augment: true,
      onFeatures: (done, total) => progress.push([done, total]),
    });
    // Missing: the 12 training photos, then the 12 mirrored (the 3 validation photos were there).
    expect(progress.every(([, total]) => total === 24)).toBe(true);
    expect(progress.at(-1)).toEqual([24, 24]);
    expect(progress.map(([done]) => done)).toContain(12);
    expect(progress.every(([done], i) => i === 0 || done > progress[i - 1]![0])).toBe(true);
    expect(record.featureSeconds).toBe(fresh.stats.seconds - before);
    expect(record.featureSeconds).toBeGreaterThan(0);
    expect(record.mode).toBe('cached');
  });

  it('stops between batches: stopped, the finished epochs kept, their mean seconds', async () => {
    const tm = transferModel({ seed: 7 });
    const stop = new AbortController();
    const { record, batches } = await run(tm, {
      name: 'stopped',
      epochs: 4,
      batchSize: 5,
      signal: stop.signal,
      onBatch: (m) => m.epoch === 2 && m.batch === 0 && stop.abort(),
    });
    expect(batches).toHaveLength(7);
    expect(record).toMatchObject({ name: 'stopped', stopped: true, epochs: 4, trainPhotos: 12 });
    expect(record.history.map((h) => h.epoch)).toEqual([0, 1]);
    expect(record.secondsPerEpoch).toBe((record.history[0]!.seconds + record.history[1]!.seconds) / 2);
    const early = new AbortController();
    early.abort();
    const none = await run(tm, { epochs: 2, signal: early.signal });
    expect(none.record.stopped).toBe(true);
    expect(none.record.history).toEqual([]);
    expect(none.record.secondsPerEpoch).toBeNaN();
  });

  it('stops while the frozen activations are computed, with their seconds; a failure that is not a Stop is thrown', async () => {
    const fresh = new ActivationCache(base, photos, { batchSize: 4 });
    await fresh.activations(CUT, validationSet); // some seconds spent before the run
    const before = fresh.stats.seconds;
    const stop = new AbortController();
    const epochs: EpochMetrics[] = [];
    const tm = transferModel();
    const progress: [number, number][] = [];
    const tensors = tf.memory().numTensors;
    const record = await train(tm, photos, {
      cache: fresh,
      epochs: 1,
      signal: stop.signal,
      onFeatures: (done, total) => {
        progress.push([done, total]);
        stop.abort();
      },
      onEpoch: (m) => epochs.push(m),
    });
    expect(tf.memory().numTensors).toBe(tensors);
    // Without augment only the 12 training photos were missing; the cache stopped after its first batch of 4.
    expect(progress).toEqual([[4, 12]]);
    expect(record).toMatchObject({ stopped: true, history: [], trainPhotos: 12 });
    expect(record.featureSeconds).toBe(fresh.stats.seconds - before);
    expect(record.featureSeconds).toBeGreaterThan(0);
    expect(epochs).toEqual([]);
    const broken = new PhotoSet(photos.index, () => {
      throw new Error('no pixels');
    });
    for (const signal of [undefined, new AbortController().signal]) {
      const error = await train(transferModel(), broken, {
        cache: new ActivationCache(base, broken),
        signal,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/could not be loaded: no pixels/);
    }
  });

  it('validates on 32 and on 33 held-out photos in batches of 32: every photo once', async () => {
    const wide = photoSubset(realPhotoSet(), { train: 4, validation: 11 }); // 12 training, 33 validation photos
    const validation33 = wide.select('validation');
    const last = validation33.at(-1)!;
    const narrow = new PhotoSet({ ...wide.index, photos: wide.index.photos.filter((p) => p !== last) }, readPhoto);
    const own = new ActivationCache(base, wide);
    const trainF = await own.activations(CUT, wide.select('train'));
    const valF = await own.activations(CUT, validation33);
    const data = (entries: PhotoEntry[], f: Float32Array[]) =>
      entries.map((e, i) => ({ f: f[i]!, y: wide.classIndex(e.label) }));
    for (const [set, n] of [
      [wide, 33],
      [narrow, 32],
    ] as const) {
      const tm = transferModel({ seed: 12 });
      const start = headOf(tm.model.getLayer('head_logits'));
      const tensors = tf.memory().numTensors;
      const record = await train(tm, set, {
        cache: own,
        epochs: 1,
        batchSize: 12,
        optimizer: 'sgd',
        learningRate: 0.1,
      });
      expect(tf.memory().numTensors).toBe(tensors);
      expect(record.validationPhotos).toBe(n);
      const ref = sgdReference(start, data(wide.select('train'), trainF), data(validation33, valF).slice(0, n), {
        epochs: 1,
        batchSize: 12,
        rate: 0.1,
        seed: 1,
      });
      expectClose(record.history[0]!.valLoss, ref.epochs[0]!.valLoss, `valLoss of ${n}`);
      expect(record.history[0]!.valAcc).toBe(ref.epochs[0]!.valAcc);
    }
  });

  it('refuses a cache made for another pre-trained model', async () => {
    const tm = transferModel();
    const other = new ActivationCache(tm.model, photos);
    await expect(train(tm, photos, { cache: other })).rejects.toThrow(
      "options.cache was made for another pre-trained model than this transfer model's source",
    );
  });

  it("computes a fine-tuned model's frozen activations from its own layers, with the prefix asked for", async () => {
    const tm = transferModel({ seed: 9 });
    const k = layerIndex(base, 'conv_pw_12_relu');
    await run(tm, { freezeAt: 'conv_pw_12_relu', epochs: 1, batchSize: 12, learningRate: 0.05 });
    expect(tm.modifiedFrom).toBe(k + 1);
    // Block 13 has moved: the shared cache (the pre-trained block 13) no longer gives this model's pooled features.
    const asked: [tf.LayersModel, string][] = [];
    const prefix: PrefixFactory = (model, layer): FrozenPrefix => {
      asked.push([model, layer]);
      return inferencePrefix(model, layer);
    };
    const start = headOf(tm.model.getLayer('head_logits'));
    const { record, batches } = await run(tm, {
      freezeAt: CUT,
      prefix,
      epochs: 1,
      batchSize: 12,
      optimizer: 'sgd',
      learningRate: 0.2,
      seed: 3,
    });
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.every(([model, layer]) => model === tm.model && layer === CUT)).toBe(true);
    expect(record.featureSeconds).toBeGreaterThan(0);
    expect(tm.modifiedFrom).toBe(k + 1);
    const own = new ActivationCache(tm.model, photos);
    const ownTrain = await own.activations(CUT, trainSet);
    const ownVal = await own.activations(CUT, validationSet);
    const ref = sgdReference(
      start,
      trainSet.map((e, i) => ({ f: ownTrain[i]!, y: photos.classIndex(e.label) })),
      validationSet.map((e, i) => ({ f: ownVal[i]!, y: photos.classIndex(e.label) })),
      { epochs: 1, batchSize: 12, rate: 0.2, seed: 3 },
    );
    expectRunMatches(batches, record.history, ref, 1e-4);
    // … and not the pre-trained features the shared cache holds.
    const stale = sgdReference(start, trainData, validationData, { epochs: 1, batchSize: 12, rate: 0.2, seed: 3 });
    expect(Math.abs(stale.batches[0]!.loss - batches[0]!.loss)).toBeGreaterThan(1e-3);
  });
});
