/**
 * Lesson 2's graders (lessons/02-inspect-the-layers/checks.ts) tested as graders: modelSize, classifierParams and
 * softmax, rows of near misses a learner could write and the right answer, each with the exact message and every
 * rung of its hint ladder, on the real MobileNet (loaded once, beforeAll) and, where the real one cannot reach a
 * branch, a small hand-made model. logitFigures (what the prose quotes) gets exact values on hand-made logits, and the
 * figures each check notes inside a cell run are read back. Then lesson 2's checks as the page reaches them: the
 * registration, and wb.check's ladder.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import lesson2, {
  classifierParams,
  logitFigures,
  modelSize,
  softmaxMatches,
} from '../../lessons/02-inspect-the-layers/checks';
import { createWorkbook, type Workbook } from '../../src/workbook';
import { CheckFailed, type CheckResult } from '../../src/workbook/checks';
import type { ChecksOf, LessonCheckContext } from '../../src/workbook/checks-registry';
import { Session } from '../../src/workbook/session';
import { nodePlatform } from '../helpers/workbook-node';
import { forgetFigures, noted } from '../helpers/figures';
import { no, yes } from '../helpers/verdicts';

// The ladders, word for word.
const LAYERS = [
  'Every layer of the model is one entry of model.layers.',
  'An array knows how many entries it has: its length.',
];
const TRAINABLE_ONLY = [
  'That is only the trainable weights: BatchNorm layers also keep a moving mean and variance, which count as parameters too.',
  'layer.countParams() counts every weight of a layer, trained or not.',
];
const PARAMS = [
  "The model's parameters are the sum of every layer's parameters (many layers have none).",
  'A layer tells its own count with layer.countParams(); model.countParams() gives the total, to compare with.',
  'Inside the loop, add the layer’s countParams() to paramCount.',
];
const NOT_A_FUNCTION = ['The check calls denseParams on layers of several sizes itself: pass it without calling it.'];
const SIZES = [
  'conv_preds holds one weight for every (feature, class) pair, so the shape of its kernel tells both sizes.',
  'model.getLayer(name).getWeights()[0] is a layer’s kernel; a 1×1 convolution’s kernel has the shape [1, 1, features, classes].',
  'Destructure the last two entries of that kernel’s shape into features and classes.',
];
const NO_BIAS = [
  'The weights are only part of it: every class also has a bias, added after the weighted sum.',
  'One bias per output, so add as many biases as there are classes.',
];
const BIAS_PER_FEATURE = [
  'A bias belongs to an *output*: each class gets one, whatever the number of features.',
  'So the biases number `classes`, not `features`.',
];
const DENSE = [
  'Every one of the features is connected to every one of the classes by a weight of its own; and each class has one bias.',
  'Count the connections (a product) and add one bias per class.',
  'Return features × classes weights plus classes biases.',
];
const NOT_A_SOFTMAX = ['The check calls softmax on logits of its own: pass the function without calling it.'];
const NOT_A_TENSOR = ['softmax must return a tensor of probabilities, one row per row of logits.'];
const SHAPE = [
  'Softmax keeps the shape: one probability for each logit, in the same place.',
  'Reduce along the last axis and keep that axis, so the row’s sum broadcasts back over the row: the third argument of tf.sum.',
];
const SUM = [
  'Probabilities are positive and add up to 1 along a row: make every logit positive with an exponential, then divide each by the row’s total.',
  'tf.exp gives the exponentials; tf.sum(x, -1, true) sums each row and keeps its axis; tf.div divides.',
  'Take the exp of the logits, and return it divided by its own sum along the last axis.',
];
const VALUES = [
  'Each probability is the exp of its own logit over the sum of the exps of its row: a larger logit gets exponentially more.',
  'Divide by the sum of the *exponentials*, not of the logits, and sum along the last axis (-1).',
];
const OVERFLOW = [
  'Softmax does not change when every logit of a row shifts by the same amount: shift them so that the largest becomes 0, and no exp can overflow.',
  'tf.max(logits, -1, true) is each row’s largest logit, shaped to broadcast; tf.sub subtracts it.',
  'Subtract the row maximum from the logits first, then take exp and divide as before.',
];
const PER_ROW = ['Apply the softmax along the last axis (-1): each photo’s row of 1000 logits on its own.'];
const SOFTMAX_PASS =
  'Your softmax gives probabilities that sum to 1, equals tf.softmax, and stays finite for logits of 1000.';

/** MobileNet v1 0.25's counts: its layers (the input layer included) and every weight, BatchNorm statistics too. */
const LAYER_COUNT = 88;
const PARAM_COUNT = 475_544;

let session: Session;
let model: tf.LayersModel;
let wb: Workbook;
/** The first two validation photos, as the page's softmax cell batches them. */
let photos: tf.Tensor4D;
beforeAll(async () => {
  const platform = await nodePlatform();
  session = await Session.create(platform);
  model = (await platform.loadModel(() => {})).model;
  wb = await createWorkbook(platform, lesson2);
  photos = (await session.photos.batch(session.photos.select('validation').slice(0, 2))) as tf.Tensor4D;
}, 120_000);

afterEach(forgetFigures);

describe('lesson 2: modelSize, one row per branch, the exact message and ladder', () => {
  let trainable: number;
  beforeAll(() => {
    trainable = model.trainableWeights.reduce((s, w) => s + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
  });

  it('the model is the one the lesson counts', () => {
    expect([model.layers.length, model.countParams()]).toEqual([LAYER_COUNT, PARAM_COUNT]);
    expect(trainable).toBeLessThan(PARAM_COUNT);
  });

  it.each([
    ['one layer short', { layers: LAYER_COUNT - 1, params: PARAM_COUNT }, `${LAYER_COUNT - 1}`],
    ['one layer too many', { layers: LAYER_COUNT + 1, params: PARAM_COUNT }, '89'],
    ['the count as a string', { layers: '88', params: PARAM_COUNT }, 'the string "88"'],
    ['no layers field', { params: PARAM_COUNT }, 'undefined'],
    ['the layers array itself', { layers: [1, 2], params: PARAM_COUNT }, 'an array of 2'],
  ])('fails %s', (_, answer, described) => {
    expect(modelSize(model, answer as never)).toEqual(
      no(`You counted ${described} layers; the model has ${LAYER_COUNT}.`, LAYERS),
    );
  });

  it('fails no answer at all', () => {
    expect(modelSize(model, null as never)).toEqual(no(`You counted undefined layers; the model has 88.`, LAYERS));
  });

  it('fails the trainable weights alone, with their own ladder', () => {
    expect(modelSize(model, { layers: LAYER_COUNT, params: trainable })).toEqual(
      no(`88 layers is right, but the parameters add up to 475,544, not ${trainable}.`, TRAINABLE_ONLY),
    );
  });

  it.each([
    ['one parameter short', PARAM_COUNT - 1, '475543'],
    ['the count as a string', '475,544', 'the string "475,544"'],
    ['0 (the loop never added)', 0, '0'],
  ])('fails %s', (_, params, described) => {
    expect(modelSize(model, { layers: LAYER_COUNT, params } as never)).toEqual(
      no(`88 layers is right, but the parameters add up to 475,544, not ${described}.`, PARAMS),
    );
  });

  it('passes the right counts, and notes them inside a cell run', async () => {
    const figures = await noted(() =>
      expect(modelSize(model, { layers: LAYER_COUNT, params: PARAM_COUNT })).toEqual(
        yes(
          '88 layers and 475,544 parameters. Many layers have none at all (activations, reshapes, pooling): they compute, but learn nothing.',
        ),
      ),
    );
    expect(figures).toEqual({ 'cell.layers': LAYER_COUNT, 'cell.params': PARAM_COUNT });
  });
});

/** A small model with a block and a Dense classifier after it: kernel [4, 3], 15 parameters of 51. */
function denseClassifierModel(): tf.LayersModel {
  const input = tf.input({ shape: [8] });
  const block = tf.layers.dense({ name: 'conv_pw_1', units: 4 }).apply(input) as tf.SymbolicTensor;
  const preds = tf.layers.dense({ name: 'preds', units: 3 }).apply(block) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: preds });
}

describe('lesson 2: classifierParams, one row per branch, the exact message and ladder', () => {
  const right = (f: number, c: number) => f * c + c;
  const CONV = 'conv_preds (256 features → 1,000 classes)';

  it.each([
    ['its value (called, not passed)', 257_000, '257000'],
    ['nothing', undefined, 'undefined'],
    ['its name', 'denseParams', 'the string "denseParams"'],
  ])('refuses %s with the one rung', (_, value, described) => {
    expect(classifierParams(model, value as never)).toEqual(
      no(`Pass your function itself; got ${described}.`, NOT_A_FUNCTION),
    );
  });

  it.each([
    ['the sizes swapped', { features: 1000, classes: 256 }, '1000 features and 256 classes'],
    ['the features off by one', { features: 255, classes: 1000 }, '255 features and 1000 classes'],
    ['the classes off by one', { features: 256, classes: 999 }, '256 features and 999 classes'],
    ['the full-width model’s features', { features: 1024, classes: 1000 }, '1024 features and 1000 classes'],
    ['strings', { features: '256', classes: 1000 }, 'the string "256" features and 1000 classes'],
  ])('fails %s read from the kernel', (_, sizes, described) => {
    expect(classifierParams(model, right, sizes as never)).toEqual(
      no(`You read ${described}: not the sizes of conv_preds.`, SIZES),
    );
  });

  it.each([
    [
      'the weights alone (no bias)',
      (f: number, c: number) => f * c,
      no(`For ${CONV} your function gives 256000; the layer has 257,000 parameters.`, NO_BIAS),
    ],
    [
      'one bias per feature',
      (f: number, c: number) => f * c + f,
      no(`For ${CONV} your function gives 256256; the layer has 257,000 parameters.`, BIAS_PER_FEATURE),
    ],
    [
      'a sum instead of a product',
      (f: number, c: number) => f + c + c,
      no(`For ${CONV} your function gives 2256; the layer has 257,000 parameters.`, DENSE),
    ],
    [
      'one bias in all',
      (f: number, c: number) => f * c + 1,
      no(`For ${CONV} your function gives 256001; the layer has 257,000 parameters.`, DENSE),
    ],
    [
      'the answer typed in for conv_preds',
      () => 257_000,
      no(
        'For a 3-way head on the same features (256 features → 3 classes) your function gives 257000; the layer has 771 parameters.',
        DENSE,
      ),
    ],
    [
      'a formula right up to 256 features only',
      (f: number, c: number) => (f > 256 ? f * c : f * c + c),
      no(
        'For the full-width MobileNet’s classifier (1,024 features → 1,000 classes) your function gives 1024000; the layer has 1,025,000 parameters.',
        NO_BIAS,
      ),
    ],
    [
      'a formula wrong on small layers only',
      (f: number, c: number) => (f < 10 ? f * c + f : f * c + c),
      no(
        'For a 7-to-2 layer (7 features → 2 classes) your function gives 21; the layer has 16 parameters.',
        BIAS_PER_FEATURE,
      ),
    ],
    [
      'a string',
      (f: number, c: number) => String(f * c + c),
      no(`For ${CONV} your function gives the string "257000"; the layer has 257,000 parameters.`, DENSE),
    ],
  ])('fails %s', (_, fn, verdict) => {
    expect(classifierParams(model, fn as never)).toEqual(verdict);
  });

  const PASS =
    '257,000 parameters: 54% of the whole model is the last layer, which maps 256 features to 1000 classes. Your formula also gives 771 for a 3-way head on the same features: the new head of lesson 4.';
  it('passes the right formula, with or without the sizes, and notes the figures inside a cell run', async () => {
    expect(classifierParams(model, right)).toEqual(yes(PASS));
    const figures = await noted(() =>
      expect(classifierParams(model, right, { features: 256, classes: 1000 })).toEqual(yes(PASS)),
    );
    expect(figures).toEqual({
      'cell.features': 256,
      'cell.classes': 1000,
      'cell.params': 257_000,
      'cell.modelParams': PARAM_COUNT,
      'cell.share': 257_000 / PARAM_COUNT,
      'cell.headParams': 771,
    });
  });

  it('reads a Dense classifier’s kernel [features, classes] too', () => {
    const m = denseClassifierModel();
    expect(classifierParams(m, right, { features: 4, classes: 3 })).toEqual(
      yes(
        '15 parameters: 29% of the whole model is the last layer, which maps 4 features to 3 classes. Your formula also gives 771 for a 3-way head on the same features: the new head of lesson 4.',
      ),
    );
    m.dispose();
  });

  it('refuses a model without a classifier group', () => {
    const input = tf.input({ shape: [8] });
    const m = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 3 }).apply(input) as tf.SymbolicTensor });
    expect(() => classifierParams(m, right)).toThrow(
      new Error('this model has no classifier group with weights (pass the pre-trained model)'),
    );
    m.dispose();
  });
});

describe('lesson 2: logitFigures on hand-made logits', () => {
  it('names the three largest logits with their classes and probabilities, the smallest, the gap and the ratio', () => {
    expect(logitFigures([0.5, 3, -1, 2, 1], [0.1, 0.4, 0.05, 0.25, 0.2], ['a', 'b', 'c', 'd', 'e'])).toEqual({
      top1: 'b',
      logit1: 3,
      p1: 0.4,
      top2: 'd',
      logit2: 2,
      p2: 0.25,
      top3: 'e',
      logit3: 1,
      p3: 0.2,
      minLogit: -1,
      logitGap: 1,
      probRatio: 1.6,
    });
  });

  it('names a class by its index when the names run out', () => {
    expect(logitFigures([1, 4, 2], [0.25, 0.5, 0.25], ['a'])).toMatchObject({ top1: '1', top2: '2', top3: 'a' });
  });
});

describe('lesson 2: softmax, one row per branch, the exact message and ladder', () => {
  const exp = (x: tf.Tensor2D) => tf.exp(x);
  it.each([
    ['its output (called, not passed)', tf.tensor([0.2, 0.8]), 'a tensor of shape [2]'],
    ['nothing', undefined, 'undefined'],
    ['tf.softmax’s name', 'softmax', 'the string "softmax"'],
  ])('refuses %s with the one rung', (_, value, described) => {
    expect(softmaxMatches(value as never)).toEqual(
      no(`Pass your softmax function itself; got ${described}.`, NOT_A_SOFTMAX),
    );
  });

  it.each([
    [
      'a function that returns an array',
      (x: tf.Tensor2D) => x.arraySync(),
      no('softmax(logits [1, 2, 3]) returned an array of 1, not a tensor.', NOT_A_TENSOR),
    ],
    [
      'a function that returns nothing',
      () => undefined,
      no('softmax(logits [1, 2, 3]) returned undefined, not a tensor.', NOT_A_TENSOR),
    ],
    [
      'the row turned into a column',
      (x: tf.Tensor2D) => tf.softmax(x).transpose(),
      no('softmax of a [1, 3] tensor should keep its shape, got [3, 1].', SHAPE),
    ],
    [
      'the row flattened',
      (x: tf.Tensor2D) => tf.softmax(x).reshape([-1]),
      no('softmax of a [1, 3] tensor should keep its shape, got [3].', SHAPE),
    ],
    [
      'the sum without keepDims (one number per row)',
      (x: tf.Tensor2D) => tf.sum(tf.exp(x), -1),
      no('softmax of a [1, 3] tensor should keep its shape, got [1].', SHAPE),
    ],
    [
      'the exponentials, not divided',
      exp,
      no('softmax(logits [1, 2, 3]) gives [2.718, 7.389, 20.086], which sums to 30.1929, not 1.', SUM),
    ],
    [
      'the logits themselves',
      (x: tf.Tensor2D) => x.clone(),
      no('softmax(logits [1, 2, 3]) gives [1.000, 2.000, 3.000], which sums to 6.0000, not 1.', SUM),
    ],
    [
      'divided by the sum of the logits',
      (x: tf.Tensor2D) => tf.div(x, tf.sum(x, -1, true)),
      no('softmax(logits [1, 2, 3]) gives [0.167, 0.333, 0.500]; softmax is [0.090, 0.245, 0.665].', VALUES),
    ],
    [
      'a ReLU before the softmax (right on positive logits only)',
      (x: tf.Tensor2D) => tf.softmax(tf.relu(x)),
      no(
        'softmax(logits [-2, 0, 0.5, 4]) gives [0.017, 0.017, 0.028, 0.937]; softmax is [0.002, 0.017, 0.029, 0.951].',
        VALUES,
      ),
    ],
    [
      'exp over the sum of exps, unshifted',
      (x: tf.Tensor2D) => tf.div(tf.exp(x), tf.sum(tf.exp(x), -1, true)),
      no(
        'Right on small logits, but softmax of [1000, 1001, 1002] gives [NaN, NaN, NaN]: exp(1000) is Infinity in float32.',
        OVERFLOW,
      ),
    ],
  ])('fails %s', (_, fn, verdict) => {
    expect(softmaxMatches(fn as never)).toEqual(verdict);
  });

  it('passes tf.softmax and the shifted formula, without the model', () => {
    expect(softmaxMatches(tf.softmax)).toEqual(yes(SOFTMAX_PASS));
    const shifted = (x: tf.Tensor2D) => {
      const e = tf.exp(tf.sub(x, tf.max(x, -1, true)));
      return tf.div(e, tf.sum(e, -1, true));
    };
    expect(softmaxMatches(shifted)).toEqual(yes(SOFTMAX_PASS));
    // The model without photos (or photos without the model) is not compared: nothing to run it on.
    expect(softmaxMatches(shifted, model)).toEqual(yes(SOFTMAX_PASS));
    expect(softmaxMatches(shifted, undefined, photos)).toEqual(yes(SOFTMAX_PASS));
  });

  it('on the model’s logits for two photos: fails a softmax over the whole batch, which one row cannot tell', () => {
    const overBatch = (x: tf.Tensor2D) => {
      const e = tf.exp(tf.sub(x, tf.max(x)));
      return tf.div(e, tf.sum(e));
    };
    expect(softmaxMatches(overBatch)).toEqual(yes(SOFTMAX_PASS));
    const v = softmaxMatches(overBatch, model, photos);
    expect(v).toEqual(no(v.message, PER_ROW));
    expect(v.message).toMatch(
      /^On the model's own logits your softmax differs from the model's output by up to \d\.\de-\d\.$/,
    );
  });

  it('on the model’s logits: passes tf.softmax, and notes the first photo’s logit figures (not the batch’s) inside a cell run', async () => {
    // Each photo's logits and probabilities, alone; the batch is ordered so that the second photo has the larger
    // top logit: figures taken over the whole batch would then name the second photo's.
    const alone = (i: number) =>
      tf.tidy(() => {
        const logits = tf.model({
          inputs: model.inputs,
          outputs: model.getLayer('conv_preds').output as tf.SymbolicTensor,
        });
        const x = photos.slice([i, 0, 0, 0], [1, -1, -1, -1]);
        return {
          x: tf.keep(x),
          row: Array.from((logits.predict(x) as tf.Tensor).dataSync()),
          probs: Array.from((model.predict(x) as tf.Tensor).dataSync()),
        };
      });
    let [first, second] = [alone(0), alone(1)];
    if (Math.max(...first.row) > Math.max(...second.row)) [first, second] = [second, first];
    expect(Math.max(...second.row) - Math.max(...first.row)).toBeGreaterThan(0.01);
    const batch = tf.concat([first.x, second.x]) as tf.Tensor4D;
    let v: CheckResult | undefined;
    const figures = await noted(() => (v = softmaxMatches(tf.softmax, model, batch, session.classNames)));
    expect(v!.pass).toBe(true);
    expect(v!.message).toMatch(
      /^Your softmax gives probabilities that sum to 1, equals tf\.softmax, and stays finite for logits of 1000\. On the model's logits for the photo it matches act_softmax to within \de[-+]\d\.$/,
    );
    const want = logitFigures(first.row, first.probs, session.classNames);
    expect(Object.keys(figures).sort()).toEqual(
      Object.keys(want)
        .map((k) => `cell.${k}`)
        .sort(),
    );
    for (const [k, x] of Object.entries(want)) {
      if (typeof x === 'string') expect(figures[`cell.${k}`], k).toBe(x);
      else expect(figures[`cell.${k}`] as number, k).toBeCloseTo(x, 4);
    }
    expect(typeof want.top1).toBe('string');
    tf.dispose([first.x, second.x, batch]);
  });
});

describe('lesson 2: its checks as the page reaches them', () => {
  it('lessons/02-inspect-the-layers/checks.ts registers the three checks, softmax with the session’s class names', async () => {
    const checks = lesson2.create({ session, evidence: {} } as unknown as LessonCheckContext);
    expect(Object.keys(checks).sort()).toEqual(['classifierParams', 'modelSize', 'softmax']);
    expect(await checks.modelSize(model, { layers: 87, params: PARAM_COUNT })).toEqual(
      no('You counted 87 layers; the model has 88.', LAYERS),
    );
    expect(await checks.classifierParams(model, (f, c) => f * c, { features: 256, classes: 1000 })).toEqual(
      no(
        'For conv_preds (256 features → 1,000 classes) your function gives 256000; the layer has 257,000 parameters.',
        NO_BIAS,
      ),
    );
    expect(await checks.softmax(tf.exp as never)).toEqual(
      no('softmax(logits [1, 2, 3]) gives [2.718, 7.389, 20.086], which sums to 30.1929, not 1.', SUM),
    );
    const figures = await noted(() => checks.softmax(tf.softmax, model, photos));
    expect(session.classNames).toContain(figures['cell.top1']); // a class name, not an index
    expect(() => checks.modelSize({} as never, { layers: 1, params: 1 })).toThrow(
      /^wb\.check\.modelSize expects a model/,
    );
    expect(() => checks.classifierParams(null as never, (f, c) => f * c)).toThrow(
      /^wb\.check\.classifierParams expects a model/,
    );
  });

  it('wb.check.modelSize resolves for the right counts and stops the cell one layer short, with the first rung', async () => {
    const check = wb.check as unknown as ChecksOf<typeof lesson2>;
    await expect(check.modelSize(model, { layers: LAYER_COUNT, params: PARAM_COUNT })).resolves.toBeUndefined();
    const e = await check.modelSize(model, { layers: 87, params: PARAM_COUNT }).then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(CheckFailed);
    expect((e as CheckFailed).result).toMatchObject({
      pass: false,
      message: 'You counted 87 layers; the model has 88.',
      shownHints: [LAYERS[0]],
    });
  });
});
