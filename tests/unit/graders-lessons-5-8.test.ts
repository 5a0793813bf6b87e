/**
 * The graders of lessons 5–8 (lessons/0N-…/checks.ts) tested as graders: for each `wb.check`, the right
 * answer passes and each near miss a learner is likely to make fails, with the message the learner will read. A
 * check that accepts a wrong answer is a teaching bug. The models are small chains named like MobileNet's layers
 * (the checks read names, flags and weights, not what the layers compute), built by hand so every count is known.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PhotoEntry } from '../../src/ml/dataset';
import { summarize } from '../../src/ml/evaluate';
import type { EpochMetrics, RunRecord } from '../../src/ml/runs';
import type { TransferModel } from '../../src/ml/surgery';
import lesson5, { frozenUpTo, recallOf, validationAccuracy } from '../../lessons/05-freeze-and-train/checks';
import { frozenBase } from '../../lessons/05-freeze-and-train/check-freeze';
import { recallFunction } from '../../lessons/05-freeze-and-train/check-learner';
import lesson6, { batchNormUnchanged } from '../../lessons/06-choose-the-freeze-point/checks';
import { freezePointsVerdict } from '../../lessons/06-choose-the-freeze-point/check-freeze-points';
import { batchNormDrift } from '../../src/workbook/evidence-drift';
import type { LessonCheckContext } from '../../src/workbook/checks-registry';
import lesson8, { fewerPhotos, sameAnswers, type SizeRun } from '../../lessons/08-your-turn/checks';
import { accuracyText } from '../../src/workbook/intervals';

/**
 * input_1 → conv1 → conv1_bn → conv1_relu → conv_pw_1 → conv_pw_1_bn → conv_pw_1_relu → conv_pw_2 → conv_pw_2_bn →
 * conv_pw_2_relu → global_average_pooling2d_1 → [head_hidden → head_dropout] → head_logits → head_softmax
 */
function smallTransferModel(head: { hidden?: number; activation?: string; dropout?: number } = {}): TransferModel {
  const input = tf.input({ shape: [6, 6, 2], name: 'input_1' });
  let h: tf.SymbolicTensor = input;
  for (const [name, filters] of [
    ['conv1', 2],
    ['conv_pw_1', 3],
    ['conv_pw_2', 4],
  ] as const) {
    h = tf.layers.conv2d({ filters, kernelSize: 1, useBias: false, name }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.batchNormalization({ name: `${name}_bn` }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.reLU({ maxValue: 6, name: `${name}_relu` }).apply(h) as tf.SymbolicTensor;
  }
  h = tf.layers.globalAveragePooling2d({ name: 'global_average_pooling2d_1' }).apply(h) as tf.SymbolicTensor;
  if (head.hidden) {
    h = tf.layers
      .dense({ units: head.hidden, activation: (head.activation ?? 'relu') as 'relu', name: 'head_hidden' })
      .apply(h) as tf.SymbolicTensor;
    if (head.dropout !== undefined)
      h = tf.layers.dropout({ rate: head.dropout, name: 'head_dropout' }).apply(h) as tf.SymbolicTensor;
  }
  h = tf.layers.dense({ units: 3, name: 'head_logits' }).apply(h) as tf.SymbolicTensor;
  const out = tf.layers.activation({ activation: 'softmax', name: 'head_softmax' }).apply(h) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  return {
    model,
    source: model,
    cutAt: 'global_average_pooling2d_1',
    labels: ['cat', 'dog', 'other'],
    head: { seed: 1 },
    modifiedFrom: model.layers.length,
  };
}

/** Layers 1…k frozen and the rest trainable, then `tweak` (the learner's near miss) applied. */
function frozenAt(tm: TransferModel, k: number, tweak: (layers: tf.layers.Layer[]) => void = () => {}): TransferModel {
  tm.model.layers.forEach((l, i) => (l.trainable = i > k));
  tweak(tm.model.layers);
  return tm;
}

const layer = (tm: TransferModel, name: string) => tm.model.getLayer(name);

describe('wb.check.frozenUpTo', () => {
  // conv_pw_1_relu is layer 6: layers 0–6 frozen, 7 (conv_pw_2) onwards trainable.
  let tm: TransferModel;
  beforeAll(() => {
    tm = smallTransferModel();
  });
  const K = 6;

  it('passes the right freeze point, and says what is frozen and what trains', () => {
    const result = frozenUpTo(frozenAt(tm, K), 'conv_pw_1_relu');
    expect(result.pass).toBe(true);
    expect(result.message).toBe(
      'Layers 0–6 (input_1 … conv_pw_1_relu) are frozen: 30 weights stay as ImageNet trained them. ' +
        'The 6 layers after it hold 35 trainable weights (and 8 BatchNorm statistics the batches will move).',
    );
  });

  it("ignores the input layer's flag (it has no weights)", () => {
    expect(
      frozenUpTo(
        frozenAt(tm, K, (l) => (l[0]!.trainable = true)),
        'conv_pw_1_relu',
      ).pass,
    ).toBe(true);
  });

  const NEAR_MISSES: [string, (layers: tf.layers.Layer[]) => void, RegExp | string][] = [
    [
      'layer k itself left trainable (frozen one too few)',
      (l) => (l[K]!.trainable = true),
      '1 layer up to conv_pw_1_relu is still trainable: conv_pw_1_relu.',
    ],
    [
      'the first layer after k frozen (one too many)',
      (l) => (l[K + 1]!.trainable = false),
      '1 layer after conv_pw_1_relu is frozen: conv_pw_2.',
    ],
    [
      'the first head layer frozen',
      (l) => (l.find((x) => x.name === 'head_logits')!.trainable = false),
      '1 layer after conv_pw_1_relu is frozen: head_logits.',
    ],
    [
      'one early layer left trainable',
      (l) => (l[2]!.trainable = true),
      '1 layer up to conv_pw_1_relu is still trainable: conv1_bn.',
    ],
    [
      'four layers up to k left trainable',
      (l) => [1, 2, 3, 4].forEach((i) => (l[i]!.trainable = true)),
      '4 layers up to conv_pw_1_relu are still trainable: conv1, conv1_bn, conv1_relu and 1 more.',
    ],
    [
      'two layers after k frozen',
      (l) => [K + 1, l.length - 2].forEach((i) => (l[i]!.trainable = false)),
      '2 layers after conv_pw_1_relu are frozen: conv_pw_2, head_logits.',
    ],
    [
      'every layer trainable but the input layer (whose flag means nothing)',
      (l) => l.forEach((x, i) => (x.trainable = i > 0)),
      /^Every layer is still trainable: training would change all \d+ weights/,
    ],
    [
      'every layer trainable',
      (l) => l.forEach((x) => (x.trainable = true)),
      /^Every layer is still trainable: training would change all \d+ weights/,
    ],
    [
      'every layer frozen',
      (l) => l.forEach((x) => (x.trainable = false)),
      'Every layer is frozen, the new head too: nothing would learn.',
    ],
  ];
  it.each(NEAR_MISSES)('fails %s', (_, tweak, message) => {
    const result = frozenUpTo(frozenAt(tm, K, tweak), 'conv_pw_1_relu');
    expect(result.pass).toBe(false);
    if (typeof message === 'string') expect(result.message).toBe(message);
    else expect(result.message).toMatch(message);
    expect(result.hints).toHaveLength(3);
    for (const hint of result.hints) expect(hint.length).toBeGreaterThan(20);
  });

  it('passes a freeze point after the last BatchNorm layer, and then counts no statistics that move', () => {
    // Frozen: conv1 4 + conv1_bn 8 + conv_pw_1 6 + its BN 12 + conv_pw_2 12 + its BN 16 = 58; head_logits 4·3 + 3 = 15.
    expect(frozenUpTo(frozenAt(tm, 9), 'conv_pw_2_relu')).toEqual({
      pass: true,
      hints: [],
      message:
        'Layers 0–9 (input_1 … conv_pw_2_relu) are frozen: 58 weights stay as ImageNet trained them. ' +
        'The 3 layers after it hold 15 trainable weights.',
    });
  });

  it('fails a freeze point off by one for the flags set, either way', () => {
    frozenAt(tm, K);
    expect(frozenUpTo(tm, 'conv_pw_1_bn')).toMatchObject({
      pass: false,
      message: '1 layer after conv_pw_1_bn is frozen: conv_pw_1_relu.',
    });
    expect(frozenUpTo(tm, 'conv_pw_2')).toMatchObject({
      pass: false,
      message: '1 layer up to conv_pw_2 is still trainable: conv_pw_2.',
    });
  });

  it('fails what is not a model, and a freeze point that is not a layer', () => {
    expect(frozenUpTo(null as never, 'conv_pw_1_relu').message).toBe(
      'Pass the transfer model (the one wb.buildTransferModel gave you); got null.',
    );
    expect(frozenUpTo(frozenAt(tm, K).model, 'conv_pw_1_relu').pass).toBe(true);
    expect(frozenUpTo('model' as never, 'conv_pw_1_relu')).toMatchObject({
      pass: false,
      message: 'Pass the transfer model (the one wb.buildTransferModel gave you); got the string "model".',
    });
    expect(frozenUpTo(Promise.resolve(tm) as never, 'conv_pw_1_relu').message).toContain('got a promise (add `await`)');
    const result = frozenUpTo(frozenAt(tm, K), 'conv_pw_9_relu');
    expect(result.pass).toBe(false);
    expect(result.message).toMatch(/^The freeze point is not a layer of this model: .*conv_pw_9_relu/);
    expect(result.hints).toEqual([
      'The freeze point is the name of the last frozen layer of this model.',
      'wb.layers.show(model) draws the layer table; model.model.layers.map((l) => l.name) lists the names.',
      'Pass one of those names, spelled exactly as in the table, as a string.',
    ]);
    expect(frozenUpTo('model' as never, 'conv_pw_1_relu').hints).toEqual([
      'The check reads the trainable flags of a transfer model.',
      'wb.buildTransferModel or wb.transferModel gives one; its layers are model.model.layers.',
      'Pass that model (awaited where it is a promise) and the name of the last frozen layer.',
    ]);
  });
});

describe('wb.check.validationAccuracy', () => {
  const epoch = (valAcc: number, acc: number, i = 0): EpochMetrics => ({
    epoch: i,
    loss: 0.1,
    acc,
    valLoss: 0.2,
    valAcc,
    seconds: 1,
  });
  const run = (history: EpochMetrics[], stopped = false) => ({ history, stopped }) as unknown as RunRecord;

  it('passes at the goal and above, reading the last epoch', () => {
    expect(validationAccuracy(run([epoch(0.5, 0.6), epoch(0.9, 0.95, 1)]), 0.9)).toEqual({
      pass: true,
      hints: [],
      message:
        'Validation accuracy 90.0 % after 2 epochs: at least 90 % of photos the model never trained on are right.',
    });
  });

  const MISSES: [string, RunRecord, string, string][] = [
    [
      'one point below the goal, training photos learned',
      run([epoch(0.89, 0.99)]),
      'Validation accuracy is 89.0 % after 1 epochs; the goal is 90 %.',
      'It learned the training photos but generalises less well',
    ],
    [
      'a best epoch above the goal but a last one below',
      run([epoch(0.95, 0.99), epoch(0.85, 0.99, 1)]),
      'Validation accuracy is 85.0 % after 2 epochs; the goal is 90 %.',
      'generalises less well',
    ],
    [
      'training photos learned exactly to 90 %, validation below the goal',
      run([epoch(0.6, 0.9)]),
      'Validation accuracy is 60.0 % after 1 epochs; the goal is 90 %.',
      'It learned the training photos but generalises less well',
    ],
    [
      'training photos not learned',
      run([epoch(0.6, 0.7)]),
      'Validation accuracy is 60.0 % after 1 epochs; the goal is 90 %.',
      'Even the training photos are not learned yet',
    ],
    [
      'a stopped run',
      run([epoch(0.6, 0.7)], true),
      'Validation accuracy is 60.0 % after 1 epochs; the goal is 90 %.',
      'The run was stopped early: the head had not finished learning.',
    ],
    [
      'no epoch at all',
      run([]),
      'The run stopped before its first epoch finished: there is no validation accuracy yet.',
      'A run keeps only the epochs it finished',
    ],
  ];
  it.each(MISSES)('fails %s', (_, r, message, hint) => {
    const result = validationAccuracy(r, 0.9);
    expect(result).toMatchObject({ pass: false, message });
    expect(result.hints[0]).toContain(hint);
    expect(result.hints).toHaveLength(3);
    for (const rung of result.hints) expect(rung.length).toBeGreaterThan(20);
  });

  it('fails what is not a run', () => {
    expect(validationAccuracy(undefined as never, 0.9)).toEqual({
      pass: false,
      message: 'Pass what wb.train returned (the run); got undefined.',
      hints: [
        'The check reads the run’s history: one entry per epoch, with its validation accuracy.',
        'wb.train resolves to the run: await it and keep it in a const.',
        'Pass the awaited result of wb.train and the goal to wb.check.validationAccuracy.',
      ],
    });
  });
});

describe('wb.check.recall', () => {
  // Rows (truth) cat [3, 1, 0], dog [2, 2, 0], other [1, 0, 1]: recall of cat 3/4, precision of cat 3/6.
  const calls: [string, number][] = [
    ['cat', 0],
    ['cat', 0],
    ['cat', 0],
    ['cat', 1],
    ['dog', 1],
    ['dog', 1],
    ['dog', 0],
    ['dog', 0],
    ['other', 2],
    ['other', 0],
  ];
  const ev = summarize(
    ['cat', 'dog', 'other'],
    calls.map(([label], i) => ({ file: `${label}/${i}.jpg`, name: label, label, split: 'validation' }) as PhotoEntry),
    calls.map(([, c]) => [0, 1, 2].map((j) => (j === c ? 0.8 : 0.1))),
  );

  it('passes the recall, read off the row', () => {
    expect(recallOf(ev, 'cat', 3 / 4)).toEqual({
      pass: true,
      hints: [],
      message:
        'Recall of cat: 3 of the 4 cat photos were called cat, 75.0 %. The others are in row “cat” off the diagonal.',
    });
    expect(recallOf(ev, 'other', 0.5).pass).toBe(true);
  });

  const MISSES: [string, string, unknown, string][] = [
    [
      'the precision (the column)',
      'cat',
      0.5,
      '0.500 is the precision of cat: 3 of the 6 photos the model *called* cat are cats (a column).',
    ],
    ["another class's recall", 'cat', 0.5 + 1e-6, 'Recall of cat is not 0.500001.'],
    ['the right answer off by one photo', 'dog', 3 / 4, 'Recall of dog is not 0.75.'],
    ['a count instead of a share', 'cat', 3, 'A recall is a share between 0 and 1; 3 is more.'],
    ['1 for a class not all found', 'cat', 1, 'Recall of cat is not 1.'],
    [
      'Infinity (a division by an empty row)',
      'cat',
      Infinity,
      'The recall should be a number between 0 and 1, got Infinity.',
    ],
    ['a string', 'cat', '0.75', 'The recall should be a number between 0 and 1, got the string "0.75".'],
    ['NaN', 'cat', NaN, 'The recall should be a number between 0 and 1, got NaN.'],
    ['a label that does not exist', 'horse', 0.75, '"horse" is not one of the labels (cat, dog, other).'],
  ];
  it.each(MISSES)('fails %s', (_, label, value, message) => {
    const result = recallOf(ev, label, value as number);
    expect(result).toMatchObject({ pass: false, message });
    expect(result.hints).toHaveLength(3);
    for (const rung of result.hints) expect(rung.length).toBeGreaterThan(20);
  });

  it('fails what is not an evaluation', () => {
    expect(recallOf([] as never, 'cat', 0.75)).toEqual({
      pass: false,
      message: 'Pass the evaluation (what wb.evaluate returned); got an array of 0.',
      hints: [
        'A recall is read from an evaluation’s confusion matrix.',
        'wb.evaluate(model) resolves to the evaluation: await it.',
        'Pass the awaited evaluation, a label and your number.',
      ],
    });
  });
});

describe('wb.check.batchNormUnchanged', () => {
  let tm: TransferModel;
  /** The right snapshot: moving mean and variance (weights 2 and 3) of every frozen BN layer, one array per layer. */
  const snapshot = (model: tf.LayersModel) =>
    model.layers
      .filter((l) => l.getClassName() === 'BatchNormalization' && !l.trainable)
      .map((l) =>
        l
          .getWeights()
          .slice(2)
          .flatMap((w) => Array.from(w.dataSync())),
      );
  beforeAll(() => {
    tm = frozenAt(smallTransferModel(), 6); // conv1_bn (2 channels) and conv_pw_1_bn (3 channels) frozen: 10 statistics
    layer(tm, 'conv1_bn').setWeights([tf.ones([2]), tf.zeros([2]), tf.tensor1d([0.5, -0.5]), tf.tensor1d([2, 3])]);
  });

  it('passes identical snapshots of the frozen layers, taken from this model', () => {
    const now = snapshot(tm.model);
    expect(batchNormUnchanged(tm, now, snapshot(tm.model))).toEqual({
      pass: true,
      hints: [],
      message:
        'All 10 moving means and variances of the 2 frozen BatchNorm layers (conv1_bn … conv_pw_1_bn) are bit-for-bit what they were: the run changed none of them.',
    });
  });

  it('fails a statistic that moved', () => {
    const before = snapshot(tm.model);
    before[0]![1] = -0.25; // moving mean of conv1_bn, channel 1: was −0.5
    expect(batchNormUnchanged(tm, before, snapshot(tm.model))).toMatchObject({
      pass: false,
      message: '1 of 10 statistics changed (by up to 2.50e-1): frozen layers were not frozen.',
      hints: [expect.stringMatching(/^Was the snapshot taken with the same freeze point/)],
    });
  });

  it('fails an "after" snapshot taken from a model other than this one', () => {
    const other = frozenAt(smallTransferModel(), 6);
    const theirs = snapshot(other.model); // same shape, other values: fresh BN layers have mean 0, variance 1
    expect(batchNormUnchanged(tm, theirs, theirs)).toMatchObject({
      pass: false,
      message: 'The “after” snapshot is not what the model holds now.',
      hints: ['Take it after the training run, from the same model.'],
    });
  });

  it('fails snapshots that include gamma and beta, or the unfrozen layers, or miss a layer', () => {
    const all = tm.model.layers
      .filter((l) => l.getClassName() === 'BatchNormalization' && !l.trainable)
      .map((l) => l.getWeights().flatMap((w) => Array.from(w.dataSync())));
    const withGamma = batchNormUnchanged(tm, all, all);
    expect(withGamma).toMatchObject({
      pass: false,
      message: 'Your snapshot has 20 numbers; the 2 frozen BatchNorm layers hold 10 moving statistics.',
    });
    expect(withGamma.hints[0]).toMatch(/^It includes more than/);
    const everyBn = tm.model.layers
      .filter((l) => l.getClassName() === 'BatchNormalization')
      .map((l) =>
        l
          .getWeights()
          .slice(2)
          .flatMap((w) => Array.from(w.dataSync())),
      );
    expect(batchNormUnchanged(tm, everyBn, everyBn).message).toBe(
      'Your snapshot has 18 numbers; the 2 frozen BatchNorm layers hold 10 moving statistics.',
    );
    const oneLayer = snapshot(tm.model).slice(1);
    const missing = batchNormUnchanged(tm, oneLayer, oneLayer);
    expect(missing).toMatchObject({
      pass: false,
      message: 'Your snapshot has 6 numbers; the 2 frozen BatchNorm layers hold 10 moving statistics.',
    });
    expect(missing.hints[0]).toMatch(/^Some are missing/);
  });

  it('fails empty, mismatched and non-numeric snapshots', () => {
    const now = snapshot(tm.model);
    expect(batchNormUnchanged(tm, [], now)).toMatchObject({
      pass: false,
      message: 'Your snapshot is empty: it collected no statistics.',
      hints: [expect.stringMatching(/^Keep the BatchNormalization layers that are frozen/)],
    });
    expect(batchNormUnchanged(tm, now.slice(1), now)).toMatchObject({
      pass: false,
      message: 'The “before” snapshot has 6 numbers, the “after” one 10.',
      hints: ['Take both with the same function, with the same freeze point set.'],
    });
    expect(batchNormUnchanged(tm, 'before', now)).toMatchObject({
      pass: false,
      message: 'The snapshots should be arrays of numbers; got the string "before" and an array of 2.',
      hints: ['Return one array per layer, e.g. Array.from(weight.dataSync()).'],
    });
    expect(batchNormUnchanged(tm, now, { mean: now[0] })).toMatchObject({
      pass: false,
      message: 'The snapshots should be arrays of numbers; got an array of 2 and an object.',
    });
    expect(batchNormUnchanged(tm, now, 'after').message).toBe(
      'The snapshots should be arrays of numbers; got an array of 2 and the string "after".',
    );
    // One number that is not a number, deep in a layer's array, spoils the whole snapshot.
    expect(batchNormUnchanged(tm, [[1, 'x']], now).message).toBe(
      'The snapshots should be arrays of numbers; got an array of 1 and an array of 2.',
    );
    // A single number is a snapshot of one statistic (here: too few).
    expect(batchNormUnchanged(tm, 0.5, 0.5).message).toBe(
      'Your snapshot has 1 numbers; the 2 frozen BatchNorm layers hold 10 moving statistics.',
    );
    expect(batchNormUnchanged(null as never, now, now)).toMatchObject({
      pass: false,
      message: 'Pass the transfer model first; got null.',
    });
    // Not a model, though not null either: refused by what it is, before any layer is read.
    expect(batchNormUnchanged('model' as never, now, now)).toEqual({
      pass: false,
      message: 'Pass the transfer model first; got the string "model".',
      hints: [],
    });
    expect(batchNormUnchanged({} as never, now, now).message).toBe('Pass the transfer model first; got an object.');
  });

  it('names the first and the last of three frozen BatchNorm layers', () => {
    const three = frozenAt(smallTransferModel(), 9); // conv1_bn, conv_pw_1_bn, conv_pw_2_bn: (2 + 3 + 4) × 2 statistics
    const stats = snapshot(three.model);
    expect(batchNormUnchanged(three, stats, stats)).toEqual({
      pass: true,
      hints: [],
      message:
        'All 18 moving means and variances of the 3 frozen BatchNorm layers (conv1_bn … conv_pw_2_bn) are bit-for-bit what they were: the run changed none of them.',
    });
  });

  it('accepts typed arrays as the snapshot of a layer', () => {
    const typed = tm.model.layers
      .filter((l) => l.getClassName() === 'BatchNormalization' && !l.trainable)
      .map((l) => tf.concat(l.getWeights().slice(2)).dataSync());
    expect(batchNormUnchanged(tm, typed, typed).pass).toBe(true);
  });
});

describe('wb.check.sameAnswers', () => {
  const mine = [
    { label: 'dog', probability: 0.7 },
    { label: 'cat', probability: 0.2 },
    { label: 'other', probability: 0.1 },
  ];

  it('passes the same probabilities, in any order', () => {
    const result = sameAnswers(mine, [mine[2]!, mine[0]!, mine[1]!]);
    expect(result.pass).toBe(true);
    expect(result.message).toBe(
      'Same answer from the model loaded back: other 10.0 %, dog 70.0 %, cat 20.0 % (largest difference 0.0e+0).',
    );
  });

  const MISSES: [string, unknown, string][] = [
    [
      "another model's probabilities",
      mine.map((s, i) => ({ ...s, probability: s.probability + (i ? -1e-3 : 2e-3) })),
      'The probabilities differ by up to 0.0020: these are not the same model.',
    ],
    [
      'a label missing',
      [
        { label: 'dog', probability: 0.7 },
        { label: 'cat', probability: 0.2 },
        { label: 'horse', probability: 0.1 },
      ],
      'The probabilities differ by up to a label: these are not the same model.',
    ],
    ['an empty list', [], 'The second list of scores is an array of 0.'],
    ['nothing (the model was not loaded back)', undefined, 'The second list of scores is undefined.'],
    ['one score too few', mine.slice(0, 2), 'The two lists of scores have an array of 3 and 2 entries.'],
  ];
  it.each(MISSES)('fails %s', (_, theirs, message) => {
    const result = sameAnswers(mine, theirs as never);
    expect(result).toMatchObject({ pass: false, message });
    expect(result.hints).toHaveLength(3);
    for (const rung of result.hints) expect(rung.length).toBeGreaterThan(20);
    // Nothing loaded back: the ladder of loading; something else loaded: the ladder of classifying the same photo.
    expect(result.hints[0]).toMatch(
      /not the same model/.test(message)
        ? /^Both lists must come from the same photo/
        : /^A saved model is only a backup/,
    );
  });
});

describe('wb.check.fewerPhotos, on hand-made run records', () => {
  // The check reads what each run recorded (photos trained on and scored on, epochs finished), not how it was
  // trained: records made by hand pin every branch in milliseconds (lesson-08-checks.test.ts trains real ones).
  const LABELS = ['cat', 'dog', 'other'];
  /** A run of `epochs` epochs on `trainPhotos` photos, scored on `validationPhotos`, its last epoch right on `correct`. */
  const record = (trainPhotos: number, correct: number, validationPhotos = 78, epochs = 2) =>
    ({
      trainPhotos,
      validationPhotos,
      history: Array.from({ length: epochs }, (_, i) => ({ epoch: i, valAcc: (i === epochs - 1 ? correct : 1) / 78 })),
    }) as unknown as RunRecord;
  const row = (perClass: number, correct = 50, trainPhotos = perClass * 3): SizeRun => ({
    perClass,
    run: record(trainPhotos, correct),
  });
  const judge = (fewer: unknown) => fewerPhotos(LABELS, 78, 234, fewer as SizeRun[]);
  const LOOP_IDEA = 'One experiment per size';

  it('passes three sizes, listed from the smallest, each with its last epoch’s accuracy and interval', () => {
    expect(judge([row(10, 60), row(5, 52), row(25, 66)])).toEqual({
      pass: true,
      hints: [],
      message:
        `3 runs on the same 78 validation photos: 5 a class, ${accuracyText(52, 78)}; ` +
        `10 a class, ${accuracyText(60, 78)}; 25 a class, ${accuracyText(66, 78)}.`,
    });
    expect(accuracyText(52, 78)).toMatch(/· 52\/78$/);
  });

  it('passes when one run of many used all the photos (the others used fewer)', () => {
    expect(judge([row(5), row(10), row(78, 50, 234)]).pass).toBe(true);
  });

  const MISSES: [string, unknown, string, string][] = [
    ['nothing yet', undefined, '`fewer` is undefined: no run yet.', LOOP_IDEA],
    ['an empty list (the starter)', [], '`fewer` is an array of 0: no run yet.', LOOP_IDEA],
    [
      'a row with the size as a string',
      [row(5), { ...row(10), perClass: '10' }, row(25)],
      'A row of `fewer` is an object, not { perClass, run } with the run wb.train returned.',
      'Each row pairs a size',
    ],
    [
      'a row holding the promise of a run (no await)',
      [row(5), { perClass: 10, run: Promise.resolve(record(30, 50)) }, row(25)],
      'A row of `fewer` is an object, not { perClass, run } with the run wb.train returned.',
      'Each row pairs a size',
    ],
    [
      'a row left null, first',
      [null, row(10), row(25)],
      'A row of `fewer` is null, not { perClass, run } with the run wb.train returned.',
      'Each row pairs a size',
    ],
    [
      'a row without its run',
      [row(5), { perClass: 10 }, row(25)],
      'A row of `fewer` is an object, not { perClass, run } with the run wb.train returned.',
      'Each row pairs a size',
    ],
    [
      'the run itself as a row',
      [row(5), record(30, 50), row(25)],
      'A row of `fewer` is an object, not { perClass, run } with the run wb.train returned.',
      'Each row pairs a size',
    ],
    [
      'every run on all the photos (the photos option forgotten)',
      [row(5, 50, 234), row(10, 50, 234), row(25, 50, 234)],
      'Every run trained on all 234 training photos: none used fewer.',
      'wb.train learns from every training photo',
    ],
    ['two sizes', [row(5), row(10)], 'Only 2 different sizes: a trend needs at least three.', LOOP_IDEA],
    [
      'three rows of one size',
      [row(5), row(5), row(5)],
      'Only 1 different size: a trend needs at least three.',
      LOOP_IDEA,
    ],
    [
      'a row paired with another size’s run',
      [row(5), { perClass: 10, run: record(75, 50) }, row(25)],
      'The run for 10 a class trained on 75 photos, not 10 × 3 = 30.',
      'Each row’s run must be the one trained at that row’s size.',
    ],
    [
      'a run scored on part of the validation photos',
      [row(5), { perClass: 10, run: record(30, 40, 40) }, row(25)],
      'The run for 10 a class was scored on 40 validation photos over 2 epochs; every run should finish on all 78.',
      LOOP_IDEA,
    ],
    [
      'a run stopped before its first epoch',
      [row(5), row(10), { perClass: 25, run: record(75, 0, 78, 0) }],
      'The run for 25 a class was scored on 78 validation photos over 0 epochs; every run should finish on all 78.',
      LOOP_IDEA,
    ],
  ];
  it.each(MISSES)('fails %s, with its own message and ladder', (_, fewer, message, idea) => {
    const verdict = judge(fewer);
    expect(verdict).toMatchObject({ pass: false, message });
    expect(verdict.hints).toHaveLength(3);
    for (const rung of verdict.hints) expect(rung.length).toBeGreaterThan(20);
    expect(verdict.hints[0]).toContain(idea);
  });
});

describe('wb.check.sameAnswers, at its tolerance and with the first list missing', () => {
  const scores = (cat: number, dog: number) => [
    { label: 'cat', probability: cat },
    { label: 'dog', probability: dog },
    { label: 'other', probability: 1 - cat - dog },
  ];
  it('passes a copy that differs by float noise (4e-6), fails one that differs by 2e-5', () => {
    expect(sameAnswers(scores(0.6, 0.3), scores(0.6 + 4e-6, 0.3)).pass).toBe(true);
    expect(sameAnswers(scores(0.6, 0.3), scores(0.6 + 2e-5, 0.3))).toMatchObject({
      pass: false,
      message: 'The probabilities differ by up to 0.0000: these are not the same model.',
    });
  });
  it('fails when the first list is not a list, naming what it is', () => {
    expect(sameAnswers(undefined as never, scores(0.6, 0.3))).toMatchObject({
      pass: false,
      message: 'The two lists of scores have undefined and 3 entries.',
    });
  });
});

describe('the wb.check members of lessons 5, 6 and 8 hand their arguments to their verdicts, in order', () => {
  // namedChecks (checks-registry.ts) wraps each member in runCheck; here the lesson's own create() is called, as the
  // page does, and each member's verdict compared with the verdict function's on the same answer.
  const photos = {
    labels: ['cat', 'dog', 'other'],
    select: (split: string) => Array.from({ length: { train: 234, validation: 78 }[split] ?? 0 }),
  };
  const small = smallTransferModel();
  const context = { session: { photos, loadModel: async () => small.model } } as unknown as LessonCheckContext;
  const ev = summarize(
    ['cat', 'dog', 'other'],
    ['cat', 'dog', 'cat'].map(
      (label, i) => ({ file: `${label}/${i}.jpg`, name: label, label, split: 'validation' }) as PhotoEntry,
    ),
    [
      [0.8, 0.1, 0.1],
      [0.1, 0.8, 0.1],
      [0.1, 0.8, 0.1],
    ],
  );

  it('lesson 5', async () => {
    const checks = lesson5.create(context);
    frozenAt(small, 6);
    expect(await checks.frozenBase(small)).toEqual(frozenBase(small));
    expect(await checks.frozenUpTo(small, 'conv_pw_1_relu')).toEqual(frozenUpTo(small, 'conv_pw_1_relu'));
    expect((await checks.frozenUpTo(small, 'conv_pw_1_relu')).pass).toBe(true);
    expect(await checks.recall(ev, 'cat', 0.5)).toEqual(recallOf(ev, 'cat', 0.5));
    expect((await checks.recall(ev, 'cat', 0.5)).pass).toBe(true);
    const run = { history: [{ acc: 1, valAcc: 0.95 }] } as unknown as RunRecord;
    expect(await checks.validationAccuracy(run, 0.9)).toEqual(validationAccuracy(run, 0.9));
    expect((await checks.validationAccuracy(run, 0.99)).pass).toBe(false);
    const rowShare = (m: number[][], i: number) => m[i]![i]! / m[i]!.reduce((a, b) => a + b, 0);
    expect(await checks.recallFunction(rowShare, ev)).toEqual(recallFunction(rowShare, ev));
    expect((await checks.trainingLoop('loop' as never, small)).message).toBe(
      'Pass your loop function (trainHead); got the string "loop".',
    );
  });

  it('lesson 6', async () => {
    const checks = lesson6.create(context);
    frozenAt(small, 6);
    const stats = small.model.layers
      .filter((l) => l.getClassName() === 'BatchNormalization' && !l.trainable)
      .map((l) =>
        l
          .getWeights()
          .slice(2)
          .flatMap((w) => Array.from(w.dataSync())),
      );
    expect(await checks.batchNormUnchanged(small, stats, stats)).toEqual(batchNormUnchanged(small, stats, stats));
    expect((await checks.batchNormUnchanged(small, stats, stats)).pass).toBe(true);
    expect(await checks.batchNormDrift(small, [], stats)).toEqual(batchNormDrift(small.model, small, [], stats));
    expect((await checks.batchNormDrift(small, [], stats)).message).toBe(
      'Your snapshot is empty: it collected no statistics.',
    );
    const end = (n: number) => `conv_pw_${n}_relu`;
    expect(await checks.freezePoints(small, ['a'], end)).toEqual(freezePointsVerdict(small, ['a'], end));
    expect((await checks.freezePoints(small, ['a'], 'end' as never)).message).toContain(
      'blockEnd should be a function',
    );
  });

  it('lesson 8: fewerPhotos judged against the session’s labels, validation and training photos', async () => {
    const checks = lesson8.create(context);
    const record = (perClass: number, trainPhotos = perClass * 3) => ({
      perClass,
      run: { trainPhotos, validationPhotos: 78, history: [{ valAcc: 0.5 }] } as unknown as RunRecord,
    });
    expect((await checks.fewerPhotos([record(5), record(10), record(25)])).pass).toBe(true);
    expect((await checks.fewerPhotos([record(5, 234), record(10, 234), record(25, 234)])).message).toBe(
      'Every run trained on all 234 training photos: none used fewer.',
    );
    const s = [{ label: 'cat', probability: 1 }];
    expect(await checks.sameAnswers(s, s)).toEqual(sameAnswers(s, s));
    expect((await checks.sameAnswers(s, [])).pass).toBe(false);
  });
});
