/**
 * Lesson 7's hiddenHead grader (lessons/07-add-layers/check-hidden.ts) tested as a grader, on the real MobileNet and
 * photos: one row per branch, each a model a learner could build in the hidden cell (built as
 * cells/hidden.solution.ts and hidden.starter.ts build theirs), each with the exact message and the whole hint ladder
 * the learner reads; the rows that must pass with their exact pass message (counts, head, neutral spread). Then
 * lesson 7's checks as the page reaches them: lessons/07-add-layers/checks.ts's registration, and wb.check.hiddenHead.
 * The frozen base is copied once (beforeAll) and shared by every row that leaves it alone.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import lesson7 from '../../lessons/07-add-layers/checks';
import { augmentations } from '../../lessons/07-add-layers/augment-checks';
import { hiddenHead } from '../../lessons/07-add-layers/check-hidden';
import { createWorkbook, type Workbook } from '../../src/workbook';
import { CheckFailed, type CheckResult } from '../../src/workbook/checks';
import type { ChecksOf, LessonCheckContext } from '../../src/workbook/checks-registry';
import type { WorkbookPlatform } from '../../src/workbook/platform';
import { Session } from '../../src/workbook/session';
import { composer, type Compose } from '../helpers/compose';
import { nodePlatform } from '../helpers/workbook-node';
import { no, yes } from '../helpers/verdicts';

// The ladders' rungs, word for word (what the learner reads).
const IDEA =
  'A hidden layer is a Dense layer between the 256 pooled features and the 3-way classifier; its ReLU lets the head combine features ("pointed ears and whiskers") before it decides.';
const API =
  "Apply it like lesson 4's layers, to the base's output: x = tf.layers.dense({ units, activation }).apply(x) as tf.SymbolicTensor (Keras: x = tfl.Dense(units, activation='relu')(x)).";
const NOT_A_MODEL = ['The check reads the layers of the model you built: pass the value tf.model(…) returned.'];
const ADOPT = [
  'Compose one chain: inputs → the base → the head layers, each applied once to the previous output.',
  'Start from let x = base.apply(inputs), where base = wb.base(pretrained), and apply each head layer to x.',
];
const AFTER = [
  'The hidden layer combines the pooled features, so it goes between the base and the classifier: features → hidden → classifier.',
  'Apply the hidden Dense layer (and its Dropout) to the base’s output, before the Dense layer with one unit per label.',
  'Move your two lines up, right after let x = base.apply(inputs): the classifier is then applied to their output.',
];
const WIDTH = [
  'The last Dense layer decides how many numbers come out: one per label, then a softmax.',
  'End with tf.layers.dense({ units: wb.photos.labels.length }) and the softmax layer, as in lesson 4.',
];
const PAST = [
  'The base ends at the pooled features (Keras: include_top=False).',
  'wb.base(pretrained) copies the layers up to the pooling layer and no further.',
];
const NONE = [
  IDEA,
  API,
  'Between base.apply(inputs) and the classifier: a Dense layer with ReLU, wider than the 3 outputs and narrow enough for 234 photos to pin down, then tf.layers.dropout with the share to switch off.',
];
const TWO = [
  IDEA,
  'Keep one tf.layers.dense between the base and the classifier, and one tf.layers.dropout after it.',
  'Delete the extra Dense line: base.apply(inputs) → your hidden Dense → Dropout → the classifier.',
];
const RELU = [
  'A non-linearity between the two Dense layers is what lets the head combine features: without it, adding a layer adds nothing.',
  "tf.layers.dense takes an activation option, as Keras's Dense(units, activation='relu').",
  "Give the hidden Dense layer activation: 'relu'.",
];
const NARROW = [
  IDEA,
  'Its units option is the width of the hidden layer.',
  'Make it wider than 3: a few dozen units at least.',
];
const WIDE = [
  IDEA,
  'Its units option is the width of the hidden layer.',
  'A few dozen to a couple of hundred units is enough for 256 features.',
];
const LOGITS = [
  'wb.train computes the loss from the logits, the last Dense layer’s raw scores: the softmax must be a layer of its own.',
  "End with tf.layers.activation({ activation: 'softmax' }) applied to the classifier’s output.",
];
const DROP = [
  'Dropout switches off a random share of the hidden units in each training step (none at prediction), so no unit can count on another: the head has to spread what it knows.',
  'tf.layers.dropout({ rate }) is Keras’s Dropout(rate): apply it to the hidden layer’s output, before the classifier.',
  'The course puts Dropout(0.2) before its classifier; with a hidden layer on a few hundred photos, rates up to a half are common.',
];
const PRETRAINED = [
  'Transfer learning keeps the pre-trained weights: the base must be a copy of the loaded model, not new layers.',
  'wb.base(pretrained) gives copies with the pre-trained weights; build it again and leave its weights alone.',
];
const FREEZE = [
  'Freeze the base: its weights stay as ImageNet trained them, and only the new head learns.',
  'A tfjs model has a `trainable` flag, like Keras’s base_model.trainable; setting it on the base freezes every layer inside.',
  'Set the base’s trainable flag to false before you compose the model.',
];
const HEAD_FROZEN = [
  'The new layers start random: they must stay trainable, or they never learn.',
  'Freeze the base only, not the layers you added.',
];
const NEUTRAL = [
  'Lesson 4’s neutral start: the classifier starts from small random weights, so its logits stay close and every probability near 1/3.',
  'The classifier’s kernelInitializer sets its start: tf.initializers.randomNormal with a tiny standard deviation.',
  'Keep the starter’s classifier as it is: kernelInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 0.001, seed: 42 }).',
];
const NO_ACTIVATION =
  'Your hidden layer has no activation: two Dense layers in a row with nothing between them are one linear map (W₂(W₁x + b₁) + b₂ = Wx + b), so the head is still a linear classifier, with more weights.';
const uses = (fn: string) =>
  `Your hidden layer uses ${fn}; this head, like the course's, uses ReLU: it keeps positive evidence as it is and cuts the rest to 0, and its gradient does not fade for large inputs.`;
/** The base's weights, all frozen, every one the pre-trained weight: 0.25 MobileNet up to the pooled features. */
const FROZEN = '218,544';

let wb: Workbook;
let session: Session;
let pretrained: tf.LayersModel;
/** One frozen copy of the base, shared by the rows that leave it alone (each applies it to its own input). */
let frozenBase: tf.LayersModel;
let platform: WorkbookPlatform;
beforeAll(async () => {
  platform = await nodePlatform();
  wb = await createWorkbook(platform); // without lesson 7's checks: the registration is tested on its own below
  session = await Session.create(platform);
  pretrained = await wb.loadModel();
  frozenBase = wb.base(pretrained);
  frozenBase.trainable = false;
  compose = composer(wb, pretrained, frozenBase, 'conv_pw_4');
}, 120_000);

// The head's layers as the hidden cell writes them.
/** The hidden Dense layer, with the solution's seeded start. */
const dense = (units: number, activation: 'relu' | 'linear' | 'sigmoid' = 'relu', more: object = {}) =>
  tf.layers.dense({ units, activation, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }), ...more });
const dropout = (rate = 0.5) => tf.layers.dropout({ rate });
/** The starter's classifier: one unit per label, lesson 4's neutral start (stddev 0.001, seed 42). */
const classifier = (more: object = {}) =>
  tf.layers.dense({
    units: 3,
    kernelInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 0.001, seed: 42 }),
    kernelRegularizer: tf.regularizers.l2({ l2: 0.003 }),
    ...more,
  });
const softmax = () => tf.layers.activation({ activation: 'softmax' });

/** input → the base (`kind`) → `head`, as the cell composes it: x = layer.apply(x) for each. */
let compose: Compose;

/** The solution's head: Dense(128, relu) → Dropout(0.5) → Dense(3) → softmax. */
const solution = () => [dense(128), dropout(), classifier(), softmax()];
/** The starter's head: the classifier alone. */
const starter = () => [classifier(), softmax()];

type Row = [string, () => tf.LayersModel, CheckResult];

const FAILS: Row[] = [
  [
    'the starter: no hidden layer',
    () => compose(starter),
    no('Your head has one Dense layer, the classifier: no hidden layer yet.', NONE),
  ],
  [
    'a base cut before the pooling, pooled by hand (the engine cannot adopt it)',
    () => compose(() => [tf.layers.globalAveragePooling2d({}), ...solution()], 'feature maps'),
    no(
      "The engine cannot read this model as a base with a head: the model has no global_average_pooling2d_1: put the head on the base's pooled features (apply the base to the input first)",
      ADOPT,
    ),
  ],
  [
    'the hidden layer after the classifier',
    () => compose(() => [classifier(), dense(128), dropout(), softmax()]),
    no(
      'Your hidden layer comes after the 3-way classifier: the head squeezes the 256 features into 3 scores first, and a layer after that has only those 3 numbers to combine.',
      AFTER,
    ),
  ],
  [
    'a hidden layer before the classifier and one more after it',
    () => compose(() => [dense(64), dropout(), classifier(), dense(32), softmax()]),
    no(
      'Your hidden layer comes after the 3-way classifier: the head squeezes the 256 features into 3 scores first, and a layer after that has only those 3 numbers to combine.',
      AFTER,
    ),
  ],
  [
    'a classifier of 2 units',
    () => compose(() => [dense(128), dropout(), classifier({ units: 2 }), softmax()]),
    no('Your model gives [null,2]: 2 numbers per photo, and we have 3 labels.', WIDTH),
  ],
  [
    'no Dense layer at all: Dropout on the pooled features, then softmax',
    () => compose(() => [dropout(), softmax()]),
    no('Your model gives [null,256]: 256 numbers per photo, and we have 3 labels.', WIDTH),
  ],
  [
    'a Reshape that makes the output [null, 256, 3]',
    () => compose(() => [tf.layers.reshape({ targetShape: [256, 1] }), classifier(), softmax()]),
    no('Your model gives [null,256,3]: 256 × 3 numbers per photo, and we have 3 labels.', WIDTH),
  ],
  [
    'a base past the pooled features (ImageNet’s classifier kept)',
    () => compose(solution, 'whole'),
    no(
      'Your base goes past the pooled features: it still holds reshape_1, dropout, conv_preds, act_softmax, reshape_2.',
      PAST,
    ),
  ],
  [
    'two hidden Dense layers',
    () => compose(() => [dense(128), dense(32), dropout(), classifier(), softmax()]),
    no(
      'Your head has 2 hidden Dense layers (128, 32 units): this exercise asks for one, and each adds weights that a few hundred photos must pin down.',
      TWO,
    ),
  ],
  [
    'a hidden layer without activation',
    () => compose(() => [dense(128, 'linear'), dropout(), classifier(), softmax()]),
    no(NO_ACTIVATION, RELU),
  ],
  [
    'the ReLU on the classifier instead of the hidden layer',
    () => compose(() => [dense(128, 'linear'), classifier({ activation: 'relu' }), softmax()]),
    no(NO_ACTIVATION, RELU),
  ],
  [
    'a sigmoid hidden layer',
    () => compose(() => [dense(128, 'sigmoid'), dropout(), classifier(), softmax()]),
    no(uses('sigmoid'), RELU),
  ],
  [
    'a sigmoid hidden layer with a ReLU layer after it',
    () => compose(() => [dense(128, 'sigmoid'), tf.layers.reLU(), dropout(), classifier(), softmax()]),
    no(uses('sigmoid'), RELU),
  ],
  [
    // relu(sigmoid(x)) is sigmoid(x): a ReLU of positive numbers changes nothing, so the hidden layer is a sigmoid one.
    "a sigmoid hidden layer with an Activation('relu') layer after it",
    () =>
      compose(() => [
        dense(128, 'sigmoid'),
        tf.layers.activation({ activation: 'relu' }),
        dropout(),
        classifier(),
        softmax(),
      ]),
    no(uses('sigmoid'), RELU),
  ],
  [
    'a linear hidden layer with a separate Activation(tanh) layer',
    () =>
      compose(() => [
        dense(128, 'linear'),
        tf.layers.activation({ activation: 'tanh' }),
        dropout(),
        classifier(),
        softmax(),
      ]),
    no(uses('tanh'), RELU),
  ],
  [
    'a linear hidden layer with a separate Activation(linear) layer',
    () =>
      compose(() => [
        dense(128, 'linear'),
        tf.layers.activation({ activation: 'linear' }),
        dropout(),
        classifier(),
        softmax(),
      ]),
    no(NO_ACTIVATION, RELU),
  ],
  [
    'a hidden layer of 3 units',
    () => compose(() => [dense(3), dropout(), classifier(), softmax()]),
    no(
      'A hidden layer of 3 units is a bottleneck: it can carry no more than the 3 outputs already decide, so the head can combine nothing new.',
      NARROW,
    ),
  ],
  [
    'a hidden layer of 1 unit',
    () => compose(() => [dense(1), dropout(), classifier(), softmax()]),
    no(
      'A hidden layer of 1 unit is a bottleneck: it can carry no more than the 3 outputs already decide, so the head can combine nothing new.',
      NARROW,
    ),
  ],
  [
    'a hidden layer of 1025 units',
    () => compose(() => [dense(1025), dropout(), classifier(), softmax()]),
    no(
      "1,025 hidden units: 266,503 weights for 234 training photos. This head can memorise them, and this lesson's next section shows what that does.",
      WIDE,
    ),
  ],
  [
    'a classifier with a softmax activation instead of the softmax layer',
    () => compose(() => [dense(128), dropout(), classifier({ activation: 'softmax' })]),
    no(
      'Your classifier should give its raw scores (logits) and a separate softmax layer should end the model, as in lesson 4.',
      LOGITS,
    ),
  ],
  [
    'a classifier with a softmax activation, then the softmax layer too',
    () => compose(() => [dense(128), dropout(), classifier({ activation: 'softmax' }), softmax()]),
    no(
      'Your classifier should give its raw scores (logits) and a separate softmax layer should end the model, as in lesson 4.',
      LOGITS,
    ),
  ],
  [
    'no softmax layer: the model ends in the logits',
    () => compose(() => [dense(128), dropout(), classifier()]),
    no(
      'Your classifier should give its raw scores (logits) and a separate softmax layer should end the model, as in lesson 4.',
      LOGITS,
    ),
  ],
  [
    'no Dropout',
    () => compose(() => [dense(128), classifier(), softmax()]),
    no('A hidden layer of 128 units without Dropout: on 234 photos it will memorise them.', DROP),
  ],
  [
    'Dropout(0), which switches off nothing',
    () => compose(() => [dense(128), dropout(0), classifier(), softmax()]),
    no('A hidden layer of 128 units without Dropout: on 234 photos it will memorise them.', DROP),
  ],
  [
    // Its rate is a share too, but it is not the layer the lesson teaches (the hints name tf.layers.dropout).
    'GaussianDropout instead of Dropout',
    () => compose(() => [dense(128), tf.layers.gaussianDropout({ rate: 0.5 }), classifier(), softmax()]),
    no('A hidden layer of 128 units without Dropout: on 234 photos it will memorise them.', DROP),
  ],
  [
    'Dropout after the classifier',
    () => compose(() => [dense(128), classifier(), dropout(), softmax()]),
    no('Your Dropout comes after the classifier: it would switch off class scores, not hidden units.', DROP),
  ],
  [
    'Dropout 0.9',
    () => compose(() => [dense(128), dropout(0.9), classifier(), softmax()]),
    no('Dropout 0.9 switches off nearly every unit: almost nothing reaches the classifier.', DROP),
  ],
  [
    'Dropout 0.95',
    () => compose(() => [dense(128), dropout(0.95), classifier(), softmax()]),
    no('Dropout 0.95 switches off nearly every unit: almost nothing reaches the classifier.', DROP),
  ],
  [
    // tf.layers.dropout reads a rate above 1 as 1, and at 1 passes everything through.
    'Dropout 1',
    () => compose(() => [dense(128), dropout(1), classifier(), softmax()]),
    no(
      'Dropout 1 asks to switch off every hidden unit, and tf.layers.dropout, rather than do that, switches off none: the head trains as if it had no Dropout.',
      DROP,
    ),
  ],
  [
    'Dropout 0.99',
    () => compose(() => [dense(128), dropout(0.99), classifier(), softmax()]),
    no('Dropout 0.99 switches off nearly every unit: almost nothing reaches the classifier.', DROP),
  ],
  [
    'a base weight changed (conv_pw_4 zeroed)',
    () => compose(solution, 'changed'),
    no('The weights of conv_pw_4 are not the pre-trained ones: your base has forgotten ImageNet.', PRETRAINED),
  ],
  [
    'the base left trainable',
    () => compose(solution, 'trainable'),
    no(
      '251,827 weights would train: the head’s 33,283 and the base’s too. Training the base on 234 photos would move the features ImageNet taught.',
      FREEZE,
    ),
  ],
  [
    'the hidden layer frozen with the base',
    () => compose(() => [dense(128, 'relu', { trainable: false }), dropout(), classifier(), softmax()]),
    no('Only 387 of the head’s 33,283 weights can train: part of the head is frozen.', HEAD_FROZEN),
  ],
  [
    'the classifier started by Glorot (tfjs’s default), not lesson 4’s small weights',
    () =>
      compose(() => [
        dense(128),
        dropout(),
        classifier({ kernelInitializer: tf.initializers.glorotUniform({ seed: 42 }) }),
        softmax(),
      ]),
    no(
      'Untrained, your head already has strong opinions: [0.06, 0.42, 0.51] for cat/Abyssinian_12.jpg. A fresh head should say “no idea”: about 1/3 each.',
      NEUTRAL,
    ),
  ],
  [
    // Neutral on the cats and dogs; the toucan is the first photo with a probability more than 0.1 from 1/3, and on
    // no photo are all three that far.
    'the classifier started a little too wide (stddev 0.03): neutral on 4 photos, not on the toucan',
    () =>
      compose(() => [
        dense(128),
        dropout(),
        classifier({ kernelInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 0.03, seed: 1 }) }),
        softmax(),
      ]),
    no(
      'Untrained, your head already has strong opinions: [0.44, 0.24, 0.31] for other/other_imagenet_n01843383_toucan.jpg. A fresh head should say “no idea”: about 1/3 each.',
      NEUTRAL,
    ),
  ],
];

const PASSES: Row[] = [
  [
    'the solution',
    () => compose(solution),
    yes(
      `Head: Dense(128, relu) → Dropout(0.5) → Dense(3) → softmax: 128 hidden units, 33,283 weights to learn (a linear head on the same features has 771), ${FROZEN} frozen, every one the pre-trained weight. Untrained, it says “no idea”: every probability between 0.33 and 0.34.`,
    ),
  ],
  [
    'a linear hidden layer with a ReLU layer of its own',
    () => compose(() => [dense(48, 'linear'), tf.layers.reLU(), dropout(0.2), classifier(), softmax()]),
    yes(
      `Head: Dense(48) → ReLU → Dropout(0.2) → Dense(3) → softmax: 48 hidden units, 12,483 weights to learn (a linear head on the same features has 771), ${FROZEN} frozen, every one the pre-trained weight. Untrained, it says “no idea”: every probability between 0.33 and 0.34.`,
    ),
  ],
  [
    "a linear hidden layer with an Activation('relu') layer",
    () =>
      compose(() => [
        dense(48, 'linear'),
        tf.layers.activation({ activation: 'relu' }),
        dropout(0.2),
        classifier(),
        softmax(),
      ]),
    yes(
      `Head: Dense(48) → relu → Dropout(0.2) → Dense(3) → softmax: 48 hidden units, 12,483 weights to learn (a linear head on the same features has 771), ${FROZEN} frozen, every one the pre-trained weight. Untrained, it says “no idea”: every probability between 0.33 and 0.34.`,
    ),
  ],
  [
    'lesson 4’s Dropout kept on the pooled features, before the hidden layer',
    () => compose(() => [dropout(0.2), dense(128), classifier(), softmax()]),
    yes(
      `Head: Dropout(0.2) → Dense(128, relu) → Dense(3) → softmax: 128 hidden units, 33,283 weights to learn (a linear head on the same features has 771), ${FROZEN} frozen, every one the pre-trained weight. Untrained, it says “no idea”: every probability between 0.33 and 0.34.`,
    ),
  ],
  [
    'a hidden layer of 4 units (one more than the labels)',
    () => compose(() => [dense(4), dropout(), classifier(), softmax()]),
    yes(
      `Head: Dense(4, relu) → Dropout(0.5) → Dense(3) → softmax: 4 hidden units, 1,043 weights to learn (a linear head on the same features has 771), ${FROZEN} frozen, every one the pre-trained weight. Untrained, it says “no idea”: every probability between 0.33 and 0.33.`,
    ),
  ],
  [
    'a hidden layer of 1024 units',
    () => compose(() => [dense(1024), dropout(), classifier(), softmax()]),
    yes(
      `Head: Dense(1024, relu) → Dropout(0.5) → Dense(3) → softmax: 1024 hidden units, 266,243 weights to learn (a linear head on the same features has 771), ${FROZEN} frozen, every one the pre-trained weight. Untrained, it says “no idea”: every probability between 0.32 and 0.35.`,
    ),
  ],
  [
    'Dropout 0.89',
    () => compose(() => [dense(128), dropout(0.89), classifier(), softmax()]),
    yes(
      `Head: Dense(128, relu) → Dropout(0.89) → Dense(3) → softmax: 128 hidden units, 33,283 weights to learn (a linear head on the same features has 771), ${FROZEN} frozen, every one the pre-trained weight. Untrained, it says “no idea”: every probability between 0.33 and 0.34.`,
    ),
  ],
];

describe('lesson 7: hiddenHead, one row per branch, the exact message and ladder', () => {
  it.each(FAILS)('fails %s', async (_, build, verdict) => {
    const v = await hiddenHead(session, build());
    expect(v).toEqual(verdict);
  });

  it.each(PASSES)('passes %s', async (_, build, verdict) => {
    const v = await hiddenHead(session, build());
    expect(v).toEqual(verdict);
  });

  it.each([
    ['an object', {}],
    ['a promise (add `await`)', Promise.resolve(1)],
    ['a function', () => 1],
    ['null', null],
  ])('refuses %s, which is not a model, with the one rung', async (kind, value) => {
    expect(await hiddenHead(session, value as tf.LayersModel)).toEqual(
      no(`Pass the model you composed with tf.model({ inputs, outputs }); got ${kind}.`, NOT_A_MODEL),
    );
  });
});

describe('lesson 7: the counts in the pass message', () => {
  it(`${FROZEN} frozen is every weight of the base's layers, up to the pooled features`, () => {
    const cut = pretrained.layers.findIndex((l) => l.name === 'global_average_pooling2d_1');
    const weights = pretrained.layers.slice(0, cut + 1).reduce((n, l) => n + l.countParams(), 0);
    expect(weights.toLocaleString('en-US')).toBe(FROZEN);
  });
});

describe('lesson 7: its checks as the page reaches them', () => {
  it('lessons/07-add-layers/checks.ts registers hiddenHead (judged on the page’s session) and augmentations', async () => {
    const checks = lesson7.create({ session, evidence: {} } as unknown as LessonCheckContext);
    expect(Object.keys(checks).sort()).toEqual(['augmentations', 'hiddenHead']);
    expect(checks.augmentations).toBe(augmentations);
    expect(await checks.hiddenHead(compose(starter))).toEqual(
      no('Your head has one Dense layer, the classifier: no hidden layer yet.', NONE),
    );
    expect((await checks.hiddenHead(compose(solution))).pass).toBe(true);
  });

  it('wb.check.hiddenHead resolves for the solution and stops the cell for the starter, with the first rung', async () => {
    const page = await createWorkbook(platform, lesson7); // the lesson page's workbook
    const check = page.check as unknown as ChecksOf<typeof lesson7>; // as the cell types give lesson 7's wb.check
    await expect(check.hiddenHead(compose(solution))).resolves.toBeUndefined();
    const e = await check.hiddenHead(compose(starter)).then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(CheckFailed);
    expect((e as CheckFailed).result).toMatchObject({
      pass: false,
      message: 'Your head has one Dense layer, the classifier: no hidden layer yet.',
      shownHints: [IDEA],
    });
  });
});
