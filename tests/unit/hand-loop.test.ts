/**
 * Lesson 5's hand-written training loop, judged against the engine's `train` on the real MobileNet features of the
 * real photos: the loop a learner should write gives the same curve as `train` (same seed, batches, optimiser), and
 * each typical mistake (no optimiser step, softmax applied twice, no validation, the starter) is named as such.
 * Lesson 4's composed model is inspected by meaning: shape, counts, pre-trained weights, where the head sits.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { baseCopy, composedModelFacts } from '../../src/ml/adopt';
import { judgeLoop, type HandLoop, type LoopSettings } from '../../src/ml/hand-loop';
import type { PhotoSet } from '../../src/ml/dataset';
import { handLoop } from '../helpers/hand-loop';
import { loadRealModel, realPhotoSet } from '../helpers/training';

describe("the learner's hand-written loop", () => {
  let source: tf.LayersModel;
  let photos: PhotoSet;
  let start: tf.Tensor[];
  const settings: LoopSettings = { epochs: 6, batchSize: 16, learningRate: 0.01, seed: 1 };
  beforeAll(async () => {
    source = await loadRealModel();
    photos = realPhotoSet();
    // Lesson 4's start: small random weights (σ = 0.001, seed 42), biases 0.
    start = [tf.randomNormal([256, 3], 0, 0.001, 'float32', 42), tf.zeros([3])];
  }, 600_000);

  it('follows the engine train curve epoch by epoch when written right', async () => {
    const verdict = await judgeLoop(handLoop(), start, source, photos, settings);
    expect(verdict.kind).toBe('same');
    if (verdict.kind !== 'same') return;
    expect(verdict.lossGap).toBeLessThan(1e-3);
    expect(verdict.valPhotosGap).toBe(0);
    expect(verdict.mine[0]!.loss).toBeGreaterThan(0.5); // it starts near ln 3 and falls
    expect(verdict.mine.at(-1)!.loss).toBeLessThan(verdict.mine[0]!.loss);
    expect(verdict.mine.at(-1)!.valAcc).toBeGreaterThan(0.75);
  }, 600_000);

  it('names a loop that never steps, one that applies softmax twice, and one without validation', async () => {
    expect((await judgeLoop(handLoop('no-step'), start, source, photos, settings)).kind).toBe('never-stepped');
    expect((await judgeLoop(handLoop('no-validation'), start, source, photos, settings)).kind).toBe('no-validation');
    const twice = await judgeLoop(handLoop('softmax-twice'), start, source, photos, { ...settings, epochs: 20 });
    expect(twice.kind).toBe('softmax-twice');
  }, 600_000);

  it('refuses the starter (no step) and a curve of another length, and leaves no tensors behind', async () => {
    const before = tf.memory().numTensors;
    const starter: HandLoop = (_head, _data, s) =>
      Array.from({ length: s.epochs }, (_, epoch) => ({ epoch, loss: NaN, valAcc: NaN }));
    expect((await judgeLoop(starter, start, source, photos, settings)).kind).toBe('never-stepped');
    const noLoss: HandLoop = async (head, data, s) =>
      (await handLoop()(head, data, s)).map((h) => ({ ...h, loss: NaN }));
    expect((await judgeLoop(noLoss, start, source, photos, settings)).kind).toBe('no-loss');
    const short: HandLoop = async (head, data, s) => (await handLoop()(head, data, s)).slice(1);
    expect((await judgeLoop(short, start, source, photos, settings)).kind).toBe('wrong-epochs');
    expect(tf.memory().numTensors).toBe(before);
  }, 600_000);
});

describe("lesson 4's composed model, by meaning", () => {
  let source: tf.LayersModel;
  beforeAll(async () => {
    source = await loadRealModel();
  }, 600_000);

  function compose(base: tf.LayersModel, units = 3): tf.LayersModel {
    const inputs = tf.input({ shape: [224, 224, 3] });
    let x = base.apply(inputs) as tf.SymbolicTensor;
    x = tf.layers.dropout({ rate: 0.2 }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.dense({ units }).apply(x) as tf.SymbolicTensor;
    const outputs = tf.layers.activation({ activation: 'softmax' }).apply(x) as tf.SymbolicTensor;
    return tf.model({ inputs, outputs });
  }

  it('reads the alpaca model: 3-way, 771 trainable weights once the base is frozen, pre-trained base', () => {
    const base = baseCopy(source);
    const open = composedModelFacts(compose(base), source);
    expect(open.trainable).toBeGreaterThan(200_000); // base.trainable not yet false
    base.trainable = false;
    const facts = composedModelFacts(compose(base), source);
    expect(facts.outputShape).toEqual([null, 3]);
    expect(facts.adoptError).toBeNull();
    expect(facts.trainable).toBe(771);
    expect(facts.headWeights).toBe(771);
    expect(facts.frozen).toBe(source.layers.slice(0, 83).reduce((n, l) => n + l.countParams(), 0));
    expect(facts.dropout).toEqual([0.2]);
    expect(facts.dense).toEqual([expect.objectContaining({ inputs: 256, units: 3, activation: 'linear' })]);
    expect(facts.endsInSoftmax).toBe(true);
    expect(facts.notPretrained).toBeNull();
    expect(facts.pastTheCut).toEqual([]);
  });

  it('finds a base that is not pre-trained, a head on the feature maps, and a 1000-way output', () => {
    const base = baseCopy(source);
    const conv = base.getLayer('conv_pw_7');
    conv.setWeights(conv.getWeights().map((w) => tf.randomNormal(w.shape)));
    expect(composedModelFacts(compose(base), source).notPretrained).toBe('conv_pw_7');
    const early = composedModelFacts(compose(baseCopy(source, 'conv_pw_13_relu')), source);
    expect(early.outputShape).toEqual([null, 7, 7, 3]);
    expect(early.adoptError).toMatch(/global_average_pooling2d_1/);
    const whole = composedModelFacts(compose(baseCopy(source, 'reshape_2'), 3), source);
    expect(whole.pastTheCut).toContain('conv_preds');
    expect(composedModelFacts(compose(baseCopy(source), 1000), source).outputShape).toEqual([null, 1000]);
  });
});
