/**
 * Lesson 4's composedModel grader (lessons/04-a-new-head/check-model.ts, wb.check.composedModel) tested as a grader,
 * on the real MobileNet and photos: one row per branch, each a model a learner could build in the compose cell (built
 * as cells/build.solution.ts and build.starter.ts build theirs), each with the exact message and the whole hint
 * ladder; then the ladder as the learner reads it, one rung more per failed try (src/workbook/checks-ladder.ts), and
 * the solution's exact pass message. The frozen base is copied once (beforeAll) and shared by every row that leaves
 * it alone.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import lesson4 from '../../lessons/04-a-new-head/checks';
import { composedModel } from '../../lessons/04-a-new-head/check-model';
import { createWorkbook, type Workbook } from '../../src/workbook';
import { CheckFailed, type CheckResult } from '../../src/workbook/checks';
import type { ChecksOf, LessonCheckContext } from '../../src/workbook/checks-registry';
import { Session } from '../../src/workbook/session';
import { composer, type Compose } from '../helpers/compose';
import { nodePlatform } from '../helpers/workbook-node';
import { no } from '../helpers/verdicts';

// The ladders, word for word (what the learner reads, one rung more per failed try).
const NO_HEAD = [
  'A head turns the 256 features into one score per label: Dropout against over-fitting, a Dense layer with one unit per label, and a softmax that makes the scores probabilities.',
  'Apply each layer to the previous output, as in Keras: x = tf.layers.dropout({ … }).apply(x) as tf.SymbolicTensor, and the same for tf.layers.dense and tf.layers.activation.',
  `Chain three applies after base.apply(inputs): dropout with the course's rate, dense with units equal to wb.photos.labels.length, activation 'softmax'; outputs is the last one.`,
];
const MAPS = [
  'The head goes on the pooled features: one list of 256 numbers per photo.',
  'wb.base(pretrained) (with no second argument) already ends at the pooling layer.',
  'Build the base with wb.base(pretrained, cutAt) using the cut you found above.',
];
const UNITS = [
  'The last layer with weights decides how many numbers come out: one per label.',
  'The Dense layer’s `units` is that number.',
  'units: wb.photos.labels.length',
];
const ADOPT = [
  'Compose one chain: inputs → the base → the head layers, each applied once to the previous output.',
  'Start from let x = base.apply(inputs), where base = wb.base(pretrained), and apply each head layer to x.',
];
const PAST = [
  'Keras’s include_top=False drops the old classifier; the base should end at the pooled features.',
  'wb.base(pretrained, cutAt) copies the layers up to cutAt and no further.',
  'Pass the pooling layer’s name as cutAt (or leave it out: that is the default).',
];
const ONE_DENSE = [
  'Lesson 7 adds hidden layers; here the head is the simplest one: a single Dense layer.',
  'Between the base and the softmax: one Dropout and one tf.layers.dense.',
];
const SOFTMAX = [
  'Lesson 5 computes the loss from the logits, the Dense layer’s raw scores: the softmax must be a separate last layer.',
  "tf.layers.activation({ activation: 'softmax' }) is that layer (Keras: Activation('softmax')).",
  'Leave the Dense layer without an activation and apply the softmax layer to its output.',
];
const DROPOUT = [
  'The course’s alpaca_model drops a fifth of the features at random while training, so the head cannot lean on a few.',
  'tf.layers.dropout({ rate }) is Keras’s Dropout(rate); apply it to the base’s output.',
];
const COURSE_RATE =
  'tf.layers.dropout({ rate: 0.2 }) is the course’s Dropout(0.2): a fifth of the features off in each step.';
const DROPOUT_NONE = [
  'Dropout fights over-fitting by switching off a random share of the features in each training step (none at prediction); at rate 0 that share is nothing.',
  'The rate is that share, a number between 0 and 1 (tf.layers.dropout reads a rate below 0 as 0).',
  COURSE_RATE,
];
const DROPOUT_ALL = [
  'Dropout switches off a random share of the features in each training step, so the head cannot lean on a few; it must leave some on to learn from.',
  'The rate is that share, a number between 0 and 1 (tf.layers.dropout reads a rate above 1 as 1, and does nothing at 1).',
  COURSE_RATE,
];
const RATE_0 =
  'Your Dropout has rate 0: it switches off none of the features, so the head trains as if it had no Dropout and can lean on a few of them.';
const RATE_1 =
  'Your Dropout has rate 1: that asks it to switch off every feature, leaving the Dense layer nothing to learn from (and tf.layers.dropout, rather than do that, switches off none).';
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
const NOT_A_MODEL = ['The check needs the model itself: the value tf.model(…) returned.'];
const DENSE_SOFTMAX =
  'Your Dense layer applies the softmax itself: keep its raw scores (the logits) and add the softmax as its own layer.';
const SOLUTION =
  'Output [null,3]: one probability per label. 771 trainable weights, all in the head (256 × 3 + 3), and 218,544 frozen, every one the pre-trained weight; Dropout 0.2 before the Dense layer.';

let wb: Workbook;
let session: Session;
let pretrained: tf.LayersModel;
/** One frozen copy of the base, shared by the rows that leave it alone (each applies it to its own input). */
let frozenBase: tf.LayersModel;
beforeAll(async () => {
  const platform = await nodePlatform();
  wb = await createWorkbook(platform, lesson4);
  session = await Session.create(platform);
  pretrained = await wb.loadModel();
  frozenBase = wb.base(pretrained);
  frozenBase.trainable = false;
  compose = composer(wb, pretrained, frozenBase, 'conv_pw_3', 'alpaca_model');
}, 120_000);

// The head's layers as the compose cell writes them.
const dropout = (rate = 0.2) => tf.layers.dropout({ rate });
const dense = (units = 3, more: object = {}) => tf.layers.dense({ units, ...more });
const softmax = () => tf.layers.activation({ activation: 'softmax' });

/** input → the base (`kind`) → `head`, as the cell composes it: x = layer.apply(x) for each. */
let compose: Compose;

/** The solution's head: Dropout(0.2) → Dense(3) → softmax. */
const solution = () => [dropout(), dense(), softmax()];
/** The starter: the base's output is the model's output. */
const starter = () => [];

type Row = [string, () => tf.LayersModel, CheckResult];

const FAILS: Row[] = [
  [
    'the starter: the pooled features, no head',
    () => compose(starter),
    no('Your model ends at the pooled features: [null,256], 256 numbers per photo, not 3 probabilities.', NO_HEAD),
  ],
  [
    'Dropout alone on the pooled features',
    () => compose(() => [dropout()]),
    no('Your model ends at the pooled features: [null,256], 256 numbers per photo, not 3 probabilities.', NO_HEAD),
  ],
  [
    'the head on the 7×7 feature maps (rank 4)',
    () => compose(solution, 'feature maps'),
    no(
      'Your model gives [null,7,7,3]: one answer per position of a 7 × 7 map, because the head sits on feature maps, not on the pooled features.',
      MAPS,
    ),
  ],
  [
    'the base cut at the 7×7 feature maps, no head yet (256 channels, rank 4)',
    () => compose(starter, 'feature maps'),
    no(
      'Your model gives [null,7,7,256]: one answer per position of a 7 × 7 map, because the head sits on feature maps, not on the pooled features.',
      MAPS,
    ),
  ],
  [
    'the old 1000-way output: the base past the pooled features, no head',
    () => compose(starter, 'whole'),
    no("Your model gives [null,1000]: ImageNet's 1000 classes. The old head is still there.", UNITS),
  ],
  [
    'the loaded MobileNet itself',
    () => pretrained,
    no("Your model gives [null,1000]: ImageNet's 1000 classes. The old head is still there.", UNITS),
  ],
  [
    'a Dense layer of 1000 units',
    () => compose(() => [dropout(), dense(1000), softmax()]),
    no("Your model gives [null,1000]: ImageNet's 1000 classes. The old head is still there.", UNITS),
  ],
  [
    'a Dense layer of 2 units (cat and dog, no other)',
    () => compose(() => [dropout(), dense(2), softmax()]),
    no('Your model gives [null,2]: 2 numbers per photo, and we have 3 labels (cat, dog, other).', UNITS),
  ],
  [
    'the feature maps flattened to 49 positions of 256 (rank 3), a Dense layer on each',
    () => compose(() => [tf.layers.reshape({ targetShape: [49, 256] }), ...solution()], 'feature maps'),
    no(
      "The engine cannot read this model as a base with a head: the model has no global_average_pooling2d_1: put the head on the base's pooled features (apply the base to the input first)",
      ADOPT,
    ),
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
    'a base past the pooled features (ImageNet’s classifier kept), with the head on top',
    () => compose(solution, 'whole'),
    no(
      "Your base goes past the pooled features: it still holds reshape_1, dropout, conv_preds, act_softmax, reshape_2, the layers that answered ImageNet's question.",
      PAST,
    ),
  ],
  [
    'two Dense layers',
    () => compose(() => [dropout(), dense(64), dense(3), softmax()]),
    no(
      'The head should be one Dense layer on the 256 pooled features; yours has 2 Dense layers (the first takes 256 inputs).',
      ONE_DENSE,
    ),
  ],
  [
    "MobileNet's own 1×1-convolution classifier instead of a Dense layer",
    () =>
      compose(() => [
        tf.layers.reshape({ targetShape: [1, 1, 256] }),
        dropout(),
        tf.layers.conv2d({ filters: 3, kernelSize: 1 }),
        tf.layers.reshape({ targetShape: [3] }),
        softmax(),
      ]),
    no('The head should be one Dense layer on the 256 pooled features; yours has 0 Dense layers.', ONE_DENSE),
  ],
  [
    'one Dense layer behind a 1×1 convolution of 64 filters (not on the 256 features)',
    () =>
      compose(() => [
        tf.layers.reshape({ targetShape: [1, 1, 256] }),
        tf.layers.conv2d({ filters: 64, kernelSize: 1 }),
        tf.layers.flatten(),
        dropout(),
        dense(),
        softmax(),
      ]),
    no(
      'The head should be one Dense layer on the 256 pooled features; yours has 1 Dense layer (the first takes 64 inputs).',
      ONE_DENSE,
    ),
  ],
  [
    'one Dense layer on each of the 256 features (Reshape [256, 1]): 256 × 3 outputs',
    () => compose(() => [dropout(), tf.layers.reshape({ targetShape: [256, 1] }), dense(), softmax()]),
    no(
      'The head should be one Dense layer on the 256 pooled features; yours has 1 Dense layer (the first takes 1 input).',
      ONE_DENSE,
    ),
  ],
  [
    "Dense with activation 'softmax' and no softmax layer",
    () => compose(() => [dropout(), dense(3, { activation: 'softmax' })]),
    no(DENSE_SOFTMAX, SOFTMAX),
  ],
  [
    "Dense with activation 'softmax' and the softmax layer too (a softmax applied twice)",
    () => compose(() => [dropout(), dense(3, { activation: 'softmax' }), softmax()]),
    no(
      'Your Dense layer applies the softmax itself, and your softmax layer applies it again: keep the Dense layer’s raw scores (the logits), and let the last layer alone make them probabilities.',
      SOFTMAX,
    ),
  ],
  [
    'no softmax at all: the model ends in the logits',
    () => compose(() => [dropout(), dense()]),
    no('Your model ends without a softmax: its outputs are scores, not probabilities that sum to 1.', SOFTMAX),
  ],
  [
    'a last Activation layer that is not a softmax (a sigmoid)',
    () => compose(() => [dropout(), dense(), tf.layers.activation({ activation: 'sigmoid' })]),
    no('Your model ends without a softmax: its outputs are scores, not probabilities that sum to 1.', SOFTMAX),
  ],
  [
    'no Dropout',
    () => compose(() => [dense(), softmax()]),
    no('Your head has no Dropout between the pooled features and the Dense layer.', DROPOUT),
  ],
  [
    'Dropout of rate 0: a Dropout that drops nothing',
    () => compose(() => [dropout(0), dense(), softmax()]),
    no(RATE_0, DROPOUT_NONE),
  ],
  [
    'Dropout of rate -0.1 (tf.layers.dropout reads it as 0)',
    () => compose(() => [dropout(-0.1), dense(), softmax()]),
    no(RATE_0, DROPOUT_NONE),
  ],
  [
    'two Dropouts, the second of rate 0 (the idle one is named)',
    () => compose(() => [dropout(0.2), dropout(0), dense(), softmax()]),
    no(RATE_0, DROPOUT_NONE),
  ],
  [
    'Dropout of rate 1: asked to drop every feature',
    () => compose(() => [dropout(1), dense(), softmax()]),
    no(RATE_1, DROPOUT_ALL),
  ],
  [
    'Dropout of rate 1.5 (tf.layers.dropout reads it as 1)',
    () => compose(() => [dropout(1.5), dense(), softmax()]),
    no(RATE_1, DROPOUT_ALL),
  ],
  [
    'Dropout of rate 0 and an unfrozen base: the Dropout is named first',
    () => compose(() => [dropout(0), dense(), softmax()], 'trainable'),
    no(RATE_0, DROPOUT_NONE),
  ],
  [
    'a base weight changed (conv_pw_3 zeroed)',
    () => compose(solution, 'changed'),
    no(
      'The weights of conv_pw_3 are not the pre-trained ones: your base has forgotten what ImageNet taught it.',
      PRETRAINED,
    ),
  ],
  [
    'the base not frozen',
    () => compose(solution, 'trainable'),
    no(
      '219,315 weights would train: the head’s 771 and the base’s too. Training would move the features ImageNet taught.',
      FREEZE,
    ),
  ],
  [
    'the head frozen (the Dense layer not trainable)',
    () => compose(() => [dropout(), dense(3, { trainable: false }), softmax()]),
    no('Only 0 of the head’s 771 weights can train: the head is frozen.', HEAD_FROZEN),
  ],
];

describe('lesson 4: composedModel, one row per branch, the exact message and ladder', () => {
  it.each(FAILS)('fails %s', async (_, build, verdict) => {
    expect(await composedModel(session, build())).toEqual(verdict);
  });

  it.each([
    ['null', null],
    ['the string "alpaca_model"', 'alpaca_model'],
    ['an object', {}],
    ['a promise (add `await`)', Promise.resolve(1)],
  ])('refuses %s, which is not a model, with the one rung', async (kind, value) => {
    expect(await composedModel(session, value as tf.LayersModel)).toEqual(
      no(`Pass the model you composed with tf.model({ inputs, outputs }); got ${kind}.`, NOT_A_MODEL),
    );
  });

  it('passes the solution, with the counts and the Dropout rate', async () => {
    expect(await composedModel(session, compose(solution))).toEqual({ pass: true, message: SOLUTION, hints: [] });
  });

  it('passes two Dropout layers, and names both rates', async () => {
    const v = await composedModel(
      session,
      compose(() => [dropout(0.2), dropout(0.3), dense(), softmax()]),
    );
    expect(v).toEqual({ pass: true, message: SOLUTION.replace('Dropout 0.2', 'Dropout 0.2, 0.3'), hints: [] });
  });

  it('passes the solution with another Dropout rate, and names it', async () => {
    const v = await composedModel(
      session,
      compose(() => [dropout(0.5), dense(), softmax()]),
    );
    expect(v).toEqual({ pass: true, message: SOLUTION.replace('Dropout 0.2', 'Dropout 0.5'), hints: [] });
  });
});

describe('lesson 4: wb.check.composedModel as the learner meets it', () => {
  /** Runs the check as the cell does and returns what the ✗ panel shows (null for a ✓). */
  async function tryCheck(model: unknown) {
    const check = wb.check as unknown as ChecksOf<typeof lesson4>; // as the cell types give lesson 4's wb.check
    return check.composedModel(model as tf.LayersModel).then(
      () => null,
      (e: unknown) => {
        expect(e).toBeInstanceOf(CheckFailed);
        const { message, shownHints } = (e as CheckFailed).result;
        return { message, shownHints };
      },
    );
  }

  it('lessons/04-a-new-head/checks.ts registers composedModel, judged on the page’s session', async () => {
    const checks = lesson4.create({ session, evidence: {} } as unknown as LessonCheckContext);
    expect(Object.keys(checks).sort()).toEqual(['composedModel', 'cutPoint', 'headOutputs', 'untrainedHead']);
    expect(await checks.composedModel(compose(solution))).toEqual({ pass: true, message: SOLUTION, hints: [] });
  });

  it('each failed try of the same mistake shows one rung more, up to the whole ladder; a pass starts it again', async () => {
    const message = 'Your model ends at the pooled features: [null,256], 256 numbers per photo, not 3 probabilities.';
    expect(await tryCheck(compose(starter))).toEqual({ message, shownHints: NO_HEAD.slice(0, 1) });
    expect(await tryCheck(compose(starter))).toEqual({ message, shownHints: NO_HEAD.slice(0, 2) });
    expect(await tryCheck(compose(starter))).toEqual({ message, shownHints: NO_HEAD });
    expect(await tryCheck(compose(starter))).toEqual({ message, shownHints: NO_HEAD });
    // Another mistake climbs its own ladder from the first rung.
    const unfrozen = await tryCheck(compose(solution, 'trainable'));
    expect(unfrozen?.shownHints).toEqual(FREEZE.slice(0, 1));
    expect((await tryCheck(compose(solution, 'trainable')))?.shownHints).toEqual(FREEZE.slice(0, 2));
    expect((await tryCheck(compose(solution, 'trainable')))?.shownHints).toEqual(FREEZE);
    expect(await tryCheck(compose(solution))).toBeNull();
    expect(await tryCheck(compose(starter))).toEqual({ message, shownHints: NO_HEAD.slice(0, 1) });
    // A two-rung ladder stops at its second rung; the one-rung refusal shows its one rung every time.
    for (const shown of [HEAD_FROZEN.slice(0, 1), HEAD_FROZEN, HEAD_FROZEN])
      expect(
        (await tryCheck(compose(() => [dropout(), dense(3, { trainable: false }), softmax()])))?.shownHints,
      ).toEqual(shown);
    for (let i = 0; i < 2; i++) expect((await tryCheck(null))?.shownHints).toEqual(NOT_A_MODEL);
  });
});
