/**
 * Lesson 6's `wb.check.batchNormDrift` (src/workbook/evidence-drift.ts) tested as a grader: the learner snapshots
 * every BatchNorm layer's moving mean and variance before and after a naive `fit`, and the check must pass the right
 * snapshots and tell each near miss what it got wrong, with its whole ladder. The models are two small chains named
 * like MobileNet's layers, with weights set by hand, so every count and every drift below is worked out exactly.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchNormDrift, driftAgainst } from '../../src/workbook/evidence-drift';
import { no, yes } from '../helpers/verdicts';

/** Two BatchNorm layers: conv1_bn over 2 channels, conv_pw_1_bn over 3, so 2 · 2 + 2 · 3 = 10 moving statistics. */
const BN_LAYERS = 2;
const STATISTICS = 10;

/**
 * input_1 → conv1 → conv1_bn → conv_pw_1 → conv_pw_1_bn → global_average_pooling2d_1 → `head` (Dense, 3 units).
 * The pre-trained model's BatchNorm layers start at mean 0, variance 1; conv_pw_1_bn's variance is 4 on channel 2.
 */
function chain(head: string): tf.LayersModel {
  const input = tf.input({ shape: [2, 2, 2], name: 'input_1' });
  let h = tf.layers.conv2d({ filters: 2, kernelSize: 1, useBias: false, name: 'conv1' }).apply(input);
  h = tf.layers.batchNormalization({ name: 'conv1_bn' }).apply(h);
  h = tf.layers.conv2d({ filters: 3, kernelSize: 1, useBias: false, name: 'conv_pw_1' }).apply(h);
  h = tf.layers.batchNormalization({ name: 'conv_pw_1_bn' }).apply(h);
  h = tf.layers.globalAveragePooling2d({ name: 'global_average_pooling2d_1' }).apply(h);
  const out = tf.layers.dense({ units: 3, name: head }).apply(h) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  model.getLayer('conv_pw_1_bn').setWeights([tf.ones([3]), tf.zeros([3]), tf.zeros([3]), tf.tensor1d([1, 1, 4])]);
  return model;
}

/** Sets one weight (by index) of a layer to `values`, keeping the others. */
function setWeight(model: tf.LayersModel, layer: string, index: number, values: number[]): void {
  const weights = model.getLayer(layer).getWeights();
  weights[index] = tf.tensor(values, weights[index]!.shape);
  model.getLayer(layer).setWeights(weights);
}

/** The learner's snapshot: for each BN layer, `indices` of its weights, each as a plain array (the solution: 2, 3). */
const snapshot = (model: tf.LayersModel, indices = [2, 3]) =>
  model.layers
    .filter((l) => l.getClassName() === 'BatchNormalization')
    .flatMap((l) => indices.map((i) => Array.from(l.getWeights()[i]!.dataSync())));

const SNAPSHOT_HINTS = [
  'A snapshot is plain numbers, copied out of the tensors, so that later training cannot change it.',
  'A tensor gives its numbers with dataSync(); Array.from turns them into an array.',
  'Map each weight w you keep to Array.from(w.dataSync()).',
];
const AFTER_HINTS = [
  'The “after” snapshot must be the statistics the model holds once fit is done.',
  'Take it with the same function, after fit, from the same model.',
];

describe('wb.check.batchNormDrift', () => {
  let pretrained: tf.LayersModel;
  /** The transfer model after a naive fit: the pre-trained weights, its own head, conv_pw_1_bn's mean moved. */
  let naive: tf.LayersModel;
  let before: number[][];
  let after: number[][];
  beforeAll(() => {
    pretrained = chain('predictions');
    naive = chain('head_logits');
    for (const name of ['conv1', 'conv1_bn', 'conv_pw_1', 'conv_pw_1_bn'])
      naive.getLayer(name).setWeights(pretrained.getLayer(name).getWeights());
    before = snapshot(naive);
    setWeight(naive, 'conv_pw_1_bn', 2, [0.5, 0, -1]);
    after = snapshot(naive);
  });
  afterAll(() => [pretrained, naive].forEach((m) => m.dispose()));

  it('passes the two snapshots of a naive fit, saying how many statistics moved and where the most', () => {
    // conv_pw_1_bn: |0.5| / √(1 + 0.001), 0, |−1| / √(4 + 0.001); mean 0.33323 σ, largest 0.49994 σ.
    expect(batchNormDrift(pretrained, naive, before, after)).toEqual(
      yes(
        `2 of ${STATISTICS} moving statistics of the ${BN_LAYERS} frozen BatchNorm layers moved; the largest mean shift is in conv_pw_1_bn (0.333 σ on average, up to 0.50 σ). Not one kernel, gamma or beta of the base changed: only the statistics moved.`,
      ),
    );
    // Typed arrays (dataSync without Array.from) and one flat list of numbers are snapshots too.
    const typed = naive.layers
      .filter((l) => l.getClassName() === 'BatchNormalization')
      .flatMap((l) => [l.getWeights()[2]!.dataSync(), l.getWeights()[3]!.dataSync()]);
    expect(batchNormDrift(pretrained, naive, before.flat(), typed).pass).toBe(true);
  });

  it('reads the drift of each BatchNorm layer against the pre-trained one exactly', () => {
    const drift = driftAgainst(pretrained, naive);
    expect(drift.map((d) => d.layer)).toEqual(['conv1_bn', 'conv_pw_1_bn']);
    expect(drift[0]).toEqual({ layer: 'conv1_bn', meanShift: 0, maxShift: 0, logVarianceChange: 0 });
    expect(drift[1]!.meanShift).toBeCloseTo((0.5 / Math.sqrt(1.001) + 1 / Math.sqrt(4.001)) / 3, 6);
    expect(drift[1]!.maxShift).toBeCloseTo(1 / Math.sqrt(4.001), 6);
    // Only the means moved; a variance doubled on one of three channels changes the log-variance by ln 2 / 3.
    const wider = chain('head_logits');
    wider.setWeights(naive.getWeights());
    setWeight(wider, 'conv_pw_1_bn', 3, [2, 1, 4]);
    expect(driftAgainst(pretrained, wider)[1]!.logVarianceChange).toBeCloseTo(Math.log(2) / 3, 6);
    // Against a reference whose means are not 0 the shift is the distance |μ − μ₀|, not |μ| + |μ₀|.
    // (Means 1 and 1 against 0.5 and 0.25: shifts 0.5 and 0.75, where adding them would give 1.5 and 1.25.)
    const shiftedReference = chain('predictions');
    setWeight(shiftedReference, 'conv1_bn', 2, [0.5, 0.25]);
    const shiftedModel = chain('head_logits');
    setWeight(shiftedModel, 'conv1_bn', 2, [1, 1]);
    expect(driftAgainst(shiftedReference, shiftedModel)[0]!.meanShift).toBeCloseTo(1.25 / Math.sqrt(1.001) / 2, 6);
    // A BatchNorm layer the reference does not have (a head's own) has nothing to drift from: it is left out.
    const input = tf.input({ shape: [2, 2, 2], name: 'input_1' });
    const withHeadBn = tf.model({
      inputs: input,
      outputs: tf.layers.batchNormalization({ name: 'head_bn' }).apply(input) as tf.SymbolicTensor,
    });
    expect(driftAgainst(pretrained, withHeadBn)).toEqual([]);
    [wider, shiftedReference, shiftedModel, withHeadBn].forEach((m) => m.dispose());
  });

  it('names the layer whose means moved most, wherever it is in the base', () => {
    const early = chain('head_logits');
    early.setWeights(naive.getWeights());
    setWeight(early, 'conv1_bn', 2, [3, 0]); // 3 / √1.001 / 2 = 1.499 σ on average, more than conv_pw_1_bn's 0.333
    expect(batchNormDrift(pretrained, early, before, snapshot(early)).message).toBe(
      `3 of ${STATISTICS} moving statistics of the ${BN_LAYERS} frozen BatchNorm layers moved; the largest mean shift is in conv1_bn (1.499 σ on average, up to 3.00 σ). Not one kernel, gamma or beta of the base changed: only the statistics moved.`,
    );
    early.dispose();
  });

  it('says a base whose kernels, gammas or betas changed was not frozen, and ignores the new head', () => {
    const unfrozen = chain('head_logits');
    unfrozen.setWeights(naive.getWeights());
    setWeight(unfrozen, 'head_logits', 1, [1, 2, 3]); // the head learns: that is allowed
    const headOnly = batchNormDrift(pretrained, unfrozen, before, snapshot(unfrozen));
    expect(headOnly.message).toMatch(/Not one kernel, gamma or beta of the base changed/);
    setWeight(unfrozen, 'conv_pw_1_bn', 0, [1, 1.5, 1]); // a gamma
    expect(batchNormDrift(pretrained, unfrozen, before, snapshot(unfrozen))).toEqual(
      yes(
        `2 of ${STATISTICS} moving statistics of the ${BN_LAYERS} frozen BatchNorm layers moved; the largest mean shift is in conv_pw_1_bn (0.333 σ on average, up to 0.50 σ). Some kernels, gammas or betas of the base changed too: was the base frozen before fit?`,
      ),
    );
    setWeight(unfrozen, 'conv_pw_1_bn', 0, [1, 1, 1]);
    setWeight(unfrozen, 'conv1', 0, [0.25, 0.5, 0.75, 1]); // a kernel
    expect(batchNormDrift(pretrained, unfrozen, before, snapshot(unfrozen)).message).toMatch(/was the base frozen/);
    unfrozen.dispose();
  });

  it('refuses what is not a snapshot of numbers, with the ladder from dataSync to Array.from', () => {
    for (const [a, b] of [
      ['statistics', after],
      [before, undefined],
      [[{ mean: [0] }], after],
      [before, [tf.zeros([2])]], // a tensor itself is not its numbers
    ] as [unknown, unknown][]) {
      expect(batchNormDrift(pretrained, naive, a, b)).toEqual(
        no('The snapshots should be arrays (one per statistic) of numbers.', SNAPSHOT_HINTS),
      );
    }
    expect(() => batchNormDrift(pretrained, 'naive' as never, before, after)).toThrow(
      /wb\.check\.batchNormDrift expects a model/,
    );
  });

  it('fails an empty snapshot, with the ladder to the BatchNorm layers and their weights 2 and 3', () => {
    expect(batchNormDrift(pretrained, naive, [], after)).toEqual(
      no('Your snapshot is empty: it collected no statistics.', [
        'The statistics live in the BatchNormalization layers only: find those among the model’s layers, then read their moving mean and variance.',
        'layer.getClassName() names a layer’s kind; layer.getWeights() gives its weights, for BatchNorm [gamma, beta, moving mean, moving variance].',
        'Filter m.layers on getClassName() === "BatchNormalization", then flatMap each to its weights 2 and 3, each as Array.from(w.dataSync()).',
      ]),
    );
  });

  it('counts a snapshot with gamma and beta too as too many, and one with the means only as too few', () => {
    expect(batchNormDrift(pretrained, naive, snapshot(naive, [0, 1, 2, 3]), after)).toEqual(
      no(
        `Your snapshot has 20 numbers; the ${BN_LAYERS} BatchNorm layers hold ${STATISTICS} moving means and variances.`,
        [
          'Only the moving statistics drift in training mode; gamma and beta are learned weights.',
          'Take only the moving mean and moving variance (weights 2 and 3), not gamma and beta (0 and 1).',
        ],
      ),
    );
    const tooFew = [
      'Every BatchNorm layer has its own statistics, frozen or not: a frozen layer in training mode moves them too.',
      'Take every BatchNormalization layer, and both its moving mean (weight 2) and variance (weight 3).',
    ];
    expect(batchNormDrift(pretrained, naive, snapshot(naive, [2]), after)).toEqual(
      no(
        `Your snapshot has 5 numbers; the ${BN_LAYERS} BatchNorm layers hold ${STATISTICS} moving means and variances.`,
        tooFew,
      ),
    );
    // One number short or over is a wrong count too (the last BN layer's last variance left out, or read twice).
    expect(batchNormDrift(pretrained, naive, before.flat().slice(0, -1), after).message).toBe(
      `Your snapshot has 9 numbers; the ${BN_LAYERS} BatchNorm layers hold ${STATISTICS} moving means and variances.`,
    );
    expect(batchNormDrift(pretrained, naive, [...before.flat(), 4], after).hints[0]).toMatch(
      /gamma and beta are learned/,
    );
  });

  it('tells gamma and beta read twice (equal snapshots that are not the statistics) from a stale "after"', () => {
    // gamma and beta: 2 + 2 + 3 + 3 = 10 numbers, the right count; unchanged by fit, so before equals after.
    const learned = snapshot(naive, [0, 1]);
    expect(batchNormDrift(pretrained, naive, learned, learned)).toEqual(
      no(
        'Your two snapshots are equal, but they are not the moving statistics: gamma and beta (weights 0 and 1) never move without gradients.',
        [
          'The statistics that training mode moves are the moving mean and variance, not the learned gamma and beta.',
          'The moving mean and variance are weights 2 and 3 of a BatchNormalization layer.',
        ],
      ),
    );
    // "after" taken before fit too: both equal the pre-trained statistics, which the model no longer holds.
    expect(batchNormDrift(pretrained, naive, before, before)).toEqual(
      no('The “after” snapshot is not what the model holds now.', AFTER_HINTS),
    );
    // "after" from another model (the pre-trained one), "before" right.
    const other = snapshot(naive);
    other[2] = [0.5, 0, -0.999];
    expect(batchNormDrift(pretrained, naive, before, other)).toEqual(
      no('The “after” snapshot is not what the model holds now.', AFTER_HINTS),
    );
    // "after" one number short (the last variance left out): not the model's statistics either.
    expect(batchNormDrift(pretrained, naive, before, after.flat().slice(0, -1))).toEqual(
      no('The “after” snapshot is not what the model holds now.', AFTER_HINTS),
    );
  });

  it('compares with a relative tolerance of 1e-6: a float32 round trip passes, a change of 1e-5 does not', () => {
    const close = after.map((s) => s.map((v) => v * (1 + 5e-7)));
    expect(batchNormDrift(pretrained, naive, before, close).pass).toBe(true);
    const off = after.map((s) => [...s]);
    off[3]![2] = 4 * (1 + 2e-6); // conv_pw_1_bn's variance 4: 8e-6 off, over 1e-6 · 4
    expect(batchNormDrift(pretrained, naive, before, off).message).toBe(
      'The “after” snapshot is not what the model holds now.',
    );
    const offBefore = before.map((s) => [...s]);
    offBefore[0]![0] = 2e-6; // a mean of 0: the tolerance is 1e-6 · max(1, 0)
    expect(batchNormDrift(pretrained, naive, offBefore, after).message).toBe(
      'The “before” snapshot is not the pre-trained statistics.',
    );
  });

  it('fails a "before" taken after fit, and a model whose statistics never moved', () => {
    expect(batchNormDrift(pretrained, naive, after, after)).toEqual(
      no('The “before” snapshot is not the pre-trained statistics.', [
        'The “before” snapshot must be the statistics the model started with, the pre-trained ones.',
        'Take it before fit, from the fresh transfer model.',
      ]),
    );
    expect(batchNormDrift(pretrained, pretrained, before, before)).toEqual(
      no('Not one moving statistic changed: did fit run on this model?', [
        'Run the cell as it is: the naive fit is what moves them.',
        'The order is: snapshot “before”, fit the same model (its BatchNorm layers in training mode), snapshot “after”.',
      ]),
    );
  });
});
