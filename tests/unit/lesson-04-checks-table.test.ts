/**
 * Lesson 4's graders (lessons/04-a-new-head/checks.ts) tested as graders: cutPoint, headOutputs and untrainedHead,
 * one row per branch, each with the exact message and every rung of its hint ladder. cutPoint runs on the real
 * MobileNet (loaded once, beforeAll) and a hand-made model with a 1000-unit Dense layer; headOutputs runs on the real
 * model (the ImageNet head, and buildTransferModel's head) and on small hand-made heads over the photos' pooled pixels
 * whose outputs are known: a constant row, a row that depends on the photo so that only the third photo checked (the
 * first dog) is off, equal weights, no weights at all. Then lesson 4's checks as the page reaches them: the
 * registration, and wb.check's ladder. (composedModel has its own table: lesson-04-model-table.test.ts.)
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import lesson4, { cutPoint, headOutputs } from '../../lessons/04-a-new-head/checks';
import { buildTransferModel } from '../../src/ml/surgery';
import { createWorkbook, type Workbook } from '../../src/workbook';
import { CheckFailed, type CheckResult } from '../../src/workbook/checks';
import type { ChecksOf, LessonCheckContext } from '../../src/workbook/checks-registry';
import { Session } from '../../src/workbook/session';
import { nodePlatform } from '../helpers/workbook-node';
import { no, yes } from '../helpers/verdicts';

// The ladders, word for word.
const NO_LAYER = [
  'The cut is a layer of the model, named as model.layers names it.',
  'Find the layer by what it is (its getClassName(), its outputShape) in model.layers, and pass its name.',
];
const AFTER_PREDS = [
  'Cut before the classifier: from conv_preds on, the layers were trained to score ImageNet’s 1000 classes.',
  'The cut is the last layer whose output is one plain list of features per photo, before any classifier layer.',
];
const RESHAPED = [
  'This layer only reshapes the pooled features into a 1×1 grid for the old 1×1-convolution classifier.',
  'Step back to the layer that computes the average over the positions: its class is GlobalAveragePooling2D.',
];
const ONE_LATER = [
  'One layer later, the 7×7 positions are averaged into 256 numbers: that is the cut.',
  'The averaging layer is a GlobalAveragePooling2D: find it by its class in model.layers.',
];
const LATER_BLOCKS = [
  'Keep the later blocks too: they know fur, ears and faces.',
  'The cut comes after the last block, where each photo becomes one list of features: the pooling layer.',
];
const maps = (layer: string, shape: string) =>
  `${layer} gives ${shape} feature maps: a separate reading per position of the photo, not one summary per photo.`;
const IMAGENET_HEAD = [
  'This is still the ImageNet head: cut the model and put a new layer with one unit per label on top.',
  'The new head is a Dense layer on the pooled features; wb.photos.labels lists the labels.',
];
const UNITS = [
  'The new layer needs one unit per label (cat, dog, other).',
  'Its units are the length of wb.photos.labels.',
];
const NOT_PROBABILITIES = [
  'A classifier’s outputs must be probabilities: positive, and summing to 1 for each photo.',
  "End the head with a softmax (activation: 'softmax').",
];
const STRONG = [
  'Its starting weights are too large: 256 positive features times weights of ±0.1 add up to logits several units apart.',
  'Start from small random weights: a standard deviation small enough that the logits stay within a few hundredths of each other.',
  'Set the Dense layer’s kernel to tf.randomNormal of the kernel’s own shape, mean 0 and that small standard deviation, and keep its bias.',
];
const COPIES = [
  'Equal weights give equal gradients, so the classes would stay copies of each other: random starts break that symmetry (see below).',
  'Give each weight its own small random value: tf.randomNormal(shape, mean, stddev, dtype, seed).',
];

let session: Session;
let model: tf.LayersModel;
let wb: Workbook;
beforeAll(async () => {
  const platform = await nodePlatform();
  session = await Session.create(platform);
  model = (await platform.loadModel(() => {})).model;
  wb = await createWorkbook(platform, lesson4);
}, 120_000);

describe('lesson 4: cutPoint, one row per branch, the exact message and ladder', () => {
  const ROWS: [string, string, CheckResult][] = [
    ['the starter (no layer yet)', '', no('There is no layer "".', NO_LAYER)],
    [
      'a capitalised name',
      'Global_average_pooling2d_1',
      no('There is no layer "Global_average_pooling2d_1".', NO_LAYER),
    ],
    ['null', null as unknown as string, no('There is no layer "null".', NO_LAYER)],
    ['the layer index', 86 as unknown as string, no('There is no layer "86".', NO_LAYER)],
    ['one layer too early (the last 7×7 maps)', 'conv_pw_13_relu', no(maps('conv_pw_13_relu', '7×7×256'), ONE_LATER)],
    ['one block too early (7×7 maps too)', 'conv_pw_12_relu', no(maps('conv_pw_12_relu', '7×7×256'), ONE_LATER)],
    ['two blocks too early (14×14 maps)', 'conv_pw_11_relu', no(maps('conv_pw_11_relu', '14×14×128'), LATER_BLOCKS)],
    ['the stem', 'conv1_relu', no(maps('conv1_relu', '112×112×8'), LATER_BLOCKS)],
    [
      'one layer too late (the reshape)',
      'reshape_1',
      no(
        'reshape_1 holds the same 256 numbers as global_average_pooling2d_1, reshaped for the old 1×1-conv classifier (1×1×256).',
        RESHAPED,
      ),
    ],
    [
      'the dropout before the classifier',
      'dropout',
      no(
        'dropout holds the same 256 numbers as global_average_pooling2d_1, reshaped for the old 1×1-conv classifier (1×1×256).',
        RESHAPED,
      ),
    ],
    [
      'the ImageNet classifier',
      'conv_preds',
      no(
        "conv_preds (1×1×1000) comes after conv_preds, the layer trained to score ImageNet's 1000 classes: cutting there keeps the old question.",
        AFTER_PREDS,
      ),
    ],
    [
      'the last layer',
      'reshape_2',
      no(
        "reshape_2 (1000) comes after conv_preds, the layer trained to score ImageNet's 1000 classes: cutting there keeps the old question.",
        AFTER_PREDS,
      ),
    ],
  ];
  it.each(ROWS)('fails %s', (_, layer, verdict) => {
    expect(cutPoint(model, layer)).toEqual(verdict);
  });

  it('passes the pooled features', () => {
    expect(cutPoint(model, 'global_average_pooling2d_1')).toEqual(
      yes(
        "global_average_pooling2d_1 gives 256 numbers per photo: the average of each of the last block's 256 channels. Everything the network saw, before any decision about ImageNet's classes.",
      ),
    );
  });

  it('takes the ImageNet classifier to be a Conv2D with 1000 filters, else the last layer: a Dense of 1000 is a cut', () => {
    const input = tf.input({ shape: [8] });
    const wide = tf.layers.dense({ name: 'wide', units: 1000 }).apply(input) as tf.SymbolicTensor;
    const out = tf.layers.dense({ name: 'out', units: 3 }).apply(wide) as tf.SymbolicTensor;
    const m = tf.model({ inputs: input, outputs: out });
    expect(cutPoint(m, 'wide')).toEqual(
      yes(
        "wide gives 1000 numbers per photo: the average of each of the last block's 1000 channels. Everything the network saw, before any decision about ImageNet's classes.",
      ),
    );
    expect(cutPoint(m, 'out')).toEqual(
      no(
        "out (3) comes after out, the layer trained to score ImageNet's 1000 classes: cutting there keeps the old question.",
        AFTER_PREDS,
      ),
    );
    m.dispose();
  });
});

/** A head on the photos' pooled pixels (3 numbers per photo): `layers` applied in turn. */
function pixelHead(...layers: tf.layers.Layer[]): tf.LayersModel {
  const input = tf.input({ shape: [224, 224, 3] });
  let x = tf.layers.globalAveragePooling2d({}).apply(input) as tf.SymbolicTensor;
  for (const layer of layers) x = layer.apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: x });
}
/** A Dense layer with the given kernel ([3, units] by rows) and bias. */
const dense = (kernel: number[][], bias: number[], more: object = {}) =>
  tf.layers.dense({
    name: 'head',
    units: bias.length,
    weights: [tf.tensor2d(kernel), tf.tensor1d(bias)],
    ...more,
  });
const ZERO = [
  [0, 0, 0],
  [0, 0, 0],
  [0, 0, 0],
];
const softmax = () => tf.layers.activation({ activation: 'softmax' });
/**
 * The first logit is 3 × (red − green) of the photo's mean pixel, the others 0: a softmax row far from 1/3 only where
 * red exceeds green by more than about 0.14, which among the six photos checked is the first dog's alone.
 */
const redHead = () =>
  pixelHead(
    dense(
      [
        [3, 0, 0],
        [-3, 0, 0],
        [0, 0, 0],
      ],
      [0, 0, 0],
    ),
    softmax(),
  );
/**
 * With r = relu(red − green − 0.1) of the photo's mean pixel, 0 except on the first dog: outputs [1/3 − 5r, 1/3 + 5r,
 * 1/3] ('negative': summing to 1, negative on the first dog) or [1/3 + r, 1/3, 1/3] ('over': summing past 1 there).
 */
const offHead = (kind: 'negative' | 'over') =>
  pixelHead(
    tf.layers.dense({ units: 1, activation: 'relu', weights: [tf.tensor2d([[1], [-1], [0]]), tf.tensor1d([-0.1])] }),
    tf.layers.dense({
      units: 3,
      weights: [tf.tensor2d([kind === 'negative' ? [-5, 5, 0] : [1, 0, 0]]), tf.tensor1d([1 / 3, 1 / 3, 1 / 3])],
    }),
  );

describe('lesson 4: headOutputs and untrainedHead, one row per branch, the exact message and ladder', () => {
  let files: string[]; // the photos the check runs: the first two validation photos of each label
  beforeAll(() => {
    const validation = session.photos.select('validation');
    files = session.photos.labels.flatMap((l) =>
      validation
        .filter((p) => p.label === l)
        .slice(0, 2)
        .map((p) => p.file),
    );
  });

  it('checks the first two validation photos of each label', () => {
    expect(files).toEqual([
      'cat/Abyssinian_12.jpg',
      'cat/Abyssinian_14.jpg',
      'dog/american_bulldog_106.jpg',
      'dog/american_bulldog_121.jpg',
      expect.stringMatching(/^other\//),
      expect.stringMatching(/^other\//),
    ]);
  });

  it('fails the ImageNet head (the model not cut yet), with its own ladder', async () => {
    expect(await headOutputs(session, model)).toEqual(
      no('The model gives 1000 numbers per photo; our problem has 3 labels (cat, dog, other).', IMAGENET_HEAD),
    );
  });

  it('fails a head of 2 units, and one of 4, with the units ladder', async () => {
    const two = pixelHead(
      dense(
        ZERO.map((r) => r.slice(0, 2)),
        [0, 0],
      ),
      softmax(),
    );
    expect(await headOutputs(session, two)).toEqual(
      no('The model gives 2 numbers per photo; our problem has 3 labels (cat, dog, other).', UNITS),
    );
    const four = pixelHead(
      dense(
        ZERO.map((r) => [...r, 0]),
        [0, 0, 0, 0],
      ),
      softmax(),
    );
    expect(await headOutputs(session, four, { untrained: true })).toEqual(
      no('The model gives 4 numbers per photo; our problem has 3 labels (cat, dog, other).', UNITS),
    );
  });

  it('fails logits that sum to 1.5 on every photo (no softmax), naming the first photo', async () => {
    const m = pixelHead(dense(ZERO, [0.5, 0.5, 0.5]));
    expect(await headOutputs(session, m)).toEqual(
      no(
        `For ${files[0]} the outputs are [0.500, 0.500, 0.500], summing to 1.500: not probabilities.`,
        NOT_PROBABILITIES,
      ),
    );
  });

  it('fails outputs that sum to 1 but go negative, and outputs that sum past 1, on the first dog alone', async () => {
    expect(await headOutputs(session, offHead('negative'))).toEqual(
      no(
        `For ${files[2]} the outputs are [-0.067, 0.733, 0.333], summing to 1.000: not probabilities.`,
        NOT_PROBABILITIES,
      ),
    );
    expect(await headOutputs(session, offHead('over'), { untrained: true })).toEqual(
      no(
        `For ${files[2]} the outputs are [0.413, 0.333, 0.333], summing to 1.080: not probabilities.`,
        NOT_PROBABILITIES,
      ),
    );
  });

  it('passes outputs with an exact 0 in them (a probability can be 0), naming the first photo', async () => {
    const m = pixelHead(dense(ZERO, [0, 0.5, 0.5]));
    expect(await headOutputs(session, m)).toEqual(
      yes(
        `The head gives 3 probabilities per photo (cat, dog, other), summing to 1: e.g. [0.00, 0.50, 0.50] for ${files[0]}.`,
      ),
    );
  });

  it('untrained: fails a head far from 1/3 on one photo only (the first dog), naming it', async () => {
    expect(await headOutputs(session, redHead(), { untrained: true })).toEqual(
      no(
        `Untrained, the head already has strong opinions: [0.46, 0.27, 0.27] for ${files[2]}. A fresh head should say “no idea”: about 1/3 each.`,
        STRONG,
      ),
    );
    // Trained, the same head is fine: its rows are probabilities.
    expect((await headOutputs(session, redHead())).pass).toBe(true);
  });

  it('untrained: fails buildTransferModel’s head as it comes (its starting weights are not small)', async () => {
    const tm = buildTransferModel(model, { seed: 1 });
    const v = await headOutputs(session, tm.model, { untrained: true });
    expect(v).toEqual(no(v.message, STRONG));
    expect(v.message).toMatch(/^Untrained, the head already has strong opinions: \[0\.\d\d, 0\.\d\d, 0\.\d\d\] for /);
    tm.model.dispose();
  });

  it('untrained: fails equal weights, counting them', async () => {
    const m = pixelHead(
      dense(
        ZERO.map((r) => r.map(() => 0.5)),
        [0, 0, 0],
      ),
      softmax(),
    );
    expect(await headOutputs(session, m, { untrained: true })).toEqual(
      no('All 9 weights of head are 0.5: every class starts as an exact copy of the others.', COPIES),
    );
    const big = pixelHead(
      tf.layers.dense({ units: 400, kernelInitializer: 'zeros' }),
      dense(
        Array.from({ length: 400 }, () => [0.25, 0.25, 0.25]),
        [0, 0, 0],
      ),
      softmax(),
    );
    expect(await headOutputs(session, big, { untrained: true })).toEqual(
      no('All 1,200 weights of head are 0.25: every class starts as an exact copy of the others.', COPIES),
    );
  });

  it('untrained: passes small, different weights, with the spread of the probabilities', async () => {
    const m = pixelHead(
      dense(
        [
          [0.001, 0.002, 0.003],
          [0.004, 0.005, 0.006],
          [0.007, 0.008, 0.009],
        ],
        [0.1, 0, -0.1],
      ),
      softmax(),
    );
    expect(await headOutputs(session, m, { untrained: true })).toEqual(
      yes(
        '3 probabilities per photo, summing to 1, all between 0.30 and 0.37: a neutral start, from weights that are small but all different.',
      ),
    );
  });

  it('untrained: passes a neutral head without any weights (nothing to copy)', async () => {
    const m = pixelHead(tf.layers.rescaling({ scale: 0 }), softmax());
    expect(await headOutputs(session, m, { untrained: true })).toEqual(
      yes(
        '3 probabilities per photo, summing to 1, all between 0.33 and 0.33: a neutral start, from weights that are small but all different.',
      ),
    );
  });
});

describe('lesson 4: its checks as the page reaches them', () => {
  it('lessons/04-a-new-head/checks.ts registers the four checks, each on the page’s session', async () => {
    const checks = lesson4.create({ session, evidence: {} } as unknown as LessonCheckContext);
    expect(Object.keys(checks).sort()).toEqual(['composedModel', 'cutPoint', 'headOutputs', 'untrainedHead']);
    expect(await checks.cutPoint(model, 'conv_pw_13_relu')).toEqual(no(maps('conv_pw_13_relu', '7×7×256'), ONE_LATER));
    const logits = pixelHead(dense(ZERO, [0.5, 0.5, 0.5]));
    expect(await checks.headOutputs(logits)).toEqual(
      no(
        `For ${session.photos.select('validation')[0]!.file} the outputs are [0.500, 0.500, 0.500], summing to 1.500: not probabilities.`,
        NOT_PROBABILITIES,
      ),
    );
    expect(await checks.untrainedHead(redHead())).toMatchObject({ pass: false, hints: STRONG });
    expect((await checks.headOutputs(redHead())).pass).toBe(true);
    expect(() => checks.cutPoint({} as never, 'x')).toThrow(/^wb\.check\.cutPoint expects a model/);
    expect(() => checks.headOutputs(null as never)).toThrow(/^wb\.check\.headOutputs expects a model/);
    expect(() => checks.untrainedHead('model' as never)).toThrow(/^wb\.check\.untrainedHead expects a model/);
  });

  it('wb.check.cutPoint resolves for the pooled features and stops the cell at the 7×7 maps with the first rung', async () => {
    const check = wb.check as unknown as ChecksOf<typeof lesson4>;
    await expect(check.cutPoint(model, 'global_average_pooling2d_1')).resolves.toBeUndefined();
    const e = await check.cutPoint(model, 'conv_pw_13_relu').then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(CheckFailed);
    expect((e as CheckFailed).result).toMatchObject({
      pass: false,
      message: maps('conv_pw_13_relu', '7×7×256'),
      shownHints: [ONE_LATER[0]],
    });
  });
});
