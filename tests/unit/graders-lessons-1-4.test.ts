/**
 * The graders of lessons 1–4 (lessons/0N-…/checks.ts) tested as graders, on the real MobileNet and photos:
 * for each `wb.check`, the right answer passes and the near misses a learner is likely to make fail, with the
 * message the learner will read. A check that accepts a wrong answer is a teaching bug.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTransferModel } from '../../src/ml/surgery';
import lesson1, {
  baselineScore,
  IMAGENET_WILD_CATS,
  mostProbableClass,
  ourLabels,
  referenceLabel,
} from '../../lessons/01-what-the-network-knows/checks';
import lesson2, {
  classifierParams,
  logitFigures,
  modelSize,
  softmaxMatches,
} from '../../lessons/02-inspect-the-layers/checks';
import { topK } from '../../src/ml/imagenet';
import type { PhotoPrediction } from '../../src/workbook/classify';
import lesson3, {
  channelFor,
  earlyAndLate,
  labelGaps,
  linearProbeCheck,
} from '../../lessons/03-early-and-late-layers/checks';
import lesson4, { cutPoint, headOutputs } from '../../lessons/04-a-new-head/checks';
import { composedModel } from '../../lessons/04-a-new-head/check-model';
import type { LessonCheckContext } from '../../src/workbook/checks-registry';
import { allFigures, FIGURES_GLOBAL } from '../../src/workbook/figures';
import { channelMeans } from '../../src/workbook/pictures';
import { setRunningCell } from '../../src/runtime/globals';
import { Session } from '../../src/workbook/session';
import { nodePlatform } from '../helpers/workbook-node';

let session: Session;
let model: tf.LayersModel;
beforeAll(async () => {
  const platform = await nodePlatform();
  session = await Session.create(platform);
  model = (await platform.loadModel(() => {})).model;
}, 120_000);

describe('wb.check.mostProbableClass', () => {
  /** 1000 probabilities with the largest at 254 (pug) and the second largest at 253. */
  const probs = () => tf.tidy(() => tf.oneHot(254, 1000).mul(0.6).add(tf.oneHot(253, 1000).mul(0.3)).add(0.0001));

  it('passes the index of the largest probability', () => {
    const result = mostProbableClass(session, probs(), 254);
    expect(result).toEqual({
      pass: true,
      message: `Class 254, “${session.classNames[254]}”, with 60.0 %: the most probable of the 1000.`,
      hints: [],
    });
  });

  const MISSES: [string, () => [tf.Tensor, unknown], RegExp][] = [
    [
      'the second most probable class',
      () => [probs(), 253],
      /^Class 253 \(“.+”\) has probability 30\.0 %, but class 254 \(“.+”\) has 60\.0 %\.$/,
    ],
    [
      'an index off by one past the end',
      () => [probs(), 1000],
      /^classId should be a whole number from 0 to 999 \(a position in the output\), got 1000\.$/,
    ],
    [
      'the argMax tensor instead of its number',
      () => [probs(), tf.scalar(254, 'int32')],
      /got a tensor of shape \[\]\.$/,
    ],
    ['a fractional index', () => [probs(), 253.5], /got 253\.5\.$/],
    [
      'probabilities of the wrong size',
      () => [tf.ones([999]), 0],
      /^The first argument should be the model's output for one photo, 1000 probabilities; got a tensor of shape \[999\]\.$/,
    ],
    ['a plain array', () => [[0.1, 0.9] as unknown as tf.Tensor, 1], /got an array of 2\.$/],
  ];
  it.each(MISSES)('fails %s', (_, make, message) => {
    const [p, id] = make();
    const result = mostProbableClass(session, p, id as number);
    expect(result.pass).toBe(false);
    expect(result.message).toMatch(message);
    expect(result.hints.length).toBeGreaterThan(0);
  });

  it('gives a wrong class the three-rung ladder, from the idea to almost the line, and never the answer', () => {
    const { hints } = mostProbableClass(session, probs(), 253);
    expect(hints).toHaveLength(3);
    expect(hints[0]).toMatch(/position/);
    expect(hints[1]).toMatch(/argMax/);
    expect(hints.join(' ')).not.toContain('254');
  });
});

describe('wb.check.ourLabels', () => {
  it('passes the reference mapping', () => {
    expect(ourLabels(session, referenceLabel)).toEqual({
      pass: true,
      message:
        'All 1000 ImageNet classes get the right label: 118 dog breeds, 5 kinds of cat, and 877 classes that are “other” for us.',
      hints: [],
    });
  });

  const dogCatOther = (dogs: [number, number], cats: [number, number]) => (id: number) =>
    id >= dogs[0] && id <= dogs[1] ? 'dog' : id >= cats[0] && id <= cats[1] ? 'cat' : 'other';
  const MISSES: [string, (id: number) => unknown, RegExp, RegExp][] = [
    [
      'dogs ending one class early',
      dogCatOther([151, 267], [281, 285]),
      /^1 of the 1000 classes get the wrong label; for example class 268 \(“.+”\) becomes "other", but should be "dog"\.$/,
      /Both ends of a run count/,
    ],
    [
      'dogs starting one class late',
      dogCatOther([152, 268], [281, 285]),
      /^1 of the 1000 classes get the wrong label; for example class 151 /,
      /Both ends of a run count/,
    ],
    [
      'big cats as cats',
      dogCatOther([151, 268], [281, 293]),
      /^8 of the 1000 classes get the wrong label; for example class 286 /,
      /wild cats .* are “other” for us/,
    ],
    [
      'capitalised labels',
      (id) => (referenceLabel(id) === 'dog' ? 'Dog' : referenceLabel(id)),
      /^118 of the 1000 classes/,
      /exactly one of the three strings/,
    ],
    [
      'everything "other"',
      () => 'other',
      /^123 of the 1000 classes get the wrong label; for example class 151 /,
      /one unbroken run of ids/,
    ],
  ];
  it.each(MISSES)('fails %s', (_, f, message, hint) => {
    const result = ourLabels(session, f as (id: number) => string);
    expect(result.pass).toBe(false);
    expect(result.message).toMatch(message);
    expect(result.hints[0]).toMatch(hint);
    // The ladder names the idea and the API; no rung holds a class id, the answer the learner is to find.
    expect(result.hints.join(' ')).not.toMatch(/\b(151|268|281|285)\b/);
  });

  it('fails a function that throws, and a value that is not a function', () => {
    const throws = ourLabels(session, (id) => {
      if (id === 500) throw new Error('boom');
      return referenceLabel(id);
    });
    expect(throws).toMatchObject({ pass: false, message: 'Your function threw for class 500: boom' });
    expect(ourLabels(session, 'dog' as never)).toMatchObject({
      pass: false,
      message: 'Pass your function itself; got the string "dog".',
    });
  });
});

describe('wb.check.baseline', () => {
  /** The real model's most probable ImageNet class for each photo, as wb.classify(model, photos, { top: 1 }) gives. */
  async function answersFor(split: 'validation' | 'train'): Promise<PhotoPrediction[]> {
    const photos = session.photos.select(split);
    const answers: PhotoPrediction[] = [];
    for (let i = 0; i < photos.length; i += 16) {
      const batch = photos.slice(i, i + 16);
      const x = await session.photos.batch(batch);
      const y = model.predict(x) as tf.Tensor;
      const values = await y.data();
      x.dispose();
      y.dispose();
      batch.forEach((photo, j) =>
        answers.push({ photo, top: topK(values.slice(j * 1000, (j + 1) * 1000), 1, session.classNames) }),
      );
    }
    return answers;
  }
  let answers: PhotoPrediction[];
  beforeAll(async () => {
    answers = await answersFor('validation');
  }, 120_000);

  it('passes the reference translation of the real answers, with its count and 95 % interval', () => {
    const right = answers.filter((a) => referenceLabel(a.top[0]!.index) === a.photo.label).length;
    expect(right).toBeGreaterThan(55); // ImageNet's answers, translated, get most of our photos right
    expect(right).toBeLessThan(78); // …but not all: the lesson's point
    const result = baselineScore(session, answers, referenceLabel);
    expect(result.pass).toBe(true);
    expect(result.message).toMatch(
      new RegExp(
        `^${right} of 78 validation photos right: \\d+\\.\\d %, 95 % interval \\d+\\.\\d % to \\d+\\.\\d %\\.`,
      ),
    );
  });

  it('records how many missed cats ImageNet calls a wild cat, and the wild cat most of them become', () => {
    const wild = answers.filter(
      (a) =>
        a.photo.label === 'cat' &&
        a.top[0]!.index >= IMAGENET_WILD_CATS.first &&
        a.top[0]!.index <= IMAGENET_WILD_CATS.last,
    );
    setRunningCell({ id: 'baseline', display: () => {}, progress: () => {}, signal: new AbortController().signal });
    try {
      expect(baselineScore(session, answers, referenceLabel).pass).toBe(true);
      const figures = allFigures();
      expect(figures['baseline.wildCats']).toBe(wild.length);
      expect(wild.length).toBeGreaterThan(0); // the lesson's prose names them: a lynx is "other" for us
      const most = (name: string) => wild.filter((a) => a.top[0]!.name === name).length;
      expect(most(String(figures['baseline.wildCatTop']))).toBe(Math.max(...wild.map((a) => most(a.top[0]!.name))));
    } finally {
      setRunningCell(null);
      delete (globalThis as Record<string, unknown>)[FIGURES_GLOBAL];
    }
  });

  it('fails a translation other than the one checked above, answers for the wrong photos, and no function', async () => {
    const allOther = baselineScore(session, answers, () => 'other');
    expect(allOther.pass).toBe(false);
    expect(allOther.message).toMatch(
      /^ourLabel\(\d+\) gives the string "other", but class \d+ is "(cat|dog)" for us\.$/,
    );
    const half = baselineScore(session, answers.slice(0, 39), referenceLabel);
    expect(half.message).toBe('The answers cover 39 photos, 39 of the 78 validation photos missing.');
    const training = baselineScore(session, (await answersFor('train')).slice(0, 78), referenceLabel);
    expect(training.message).toBe('The answers cover 78 photos, 78 of the 78 validation photos missing.');
    const twice = baselineScore(session, [...answers, answers[0]!], referenceLabel);
    expect(twice.message).toBe('The answers cover 79 photos, 0 of the 78 validation photos missing.');
    expect(baselineScore(session, answers, 'ourLabel' as unknown as () => string).message).toMatch(
      /^Pass the answers of wb\.classify and your ourLabel function; got an array of 78 and the string "ourLabel"\.$/,
    );
  }, 120_000);
});

describe('the logit figures lesson 2 records', () => {
  it('name the three largest logits, their probabilities, the smallest logit, the gap and its ratio', () => {
    const logits = [1, 4, -3, 2.5];
    const probs = Array.from(tf.softmax(tf.tensor1d(logits)).dataSync());
    const f = logitFigures(logits, probs, ['a', 'b', 'c', 'd']);
    expect(f).toMatchObject({ top1: 'b', top2: 'd', top3: 'a', logit1: 4, logit2: 2.5, logit3: 1, minLogit: -3 });
    expect(f.logitGap).toBeCloseTo(1.5, 6);
    // The softmax turns a gap of the logits into a factor e^gap of the probabilities: what the prose says.
    expect(f.probRatio).toBeCloseTo(Math.exp(1.5), 4);
  });
});

describe('wb.check.modelSize and wb.check.classifierParams', () => {
  const denseParams = (features: number, classes: number) => features * classes + classes;

  it('pass the real counts, and a dense-layer formula right on layers the cell never saw', () => {
    const layers = model.layers.length,
      params = model.countParams();
    expect(modelSize(model, { layers, params })).toMatchObject({ pass: true });
    const result = classifierParams(model, denseParams);
    expect(result.pass).toBe(true);
    expect(result.message).toMatch(/^257,000 parameters: 54% of the whole model is the last layer/);
  });

  it('fail a layer count off by one, the trainable weights only, a parameter count off by one', () => {
    const layers = model.layers.length,
      params = model.countParams();
    expect(modelSize(model, { layers: layers - 1, params })).toMatchObject({
      pass: false,
      message: `You counted ${layers - 1} layers; the model has ${layers}.`,
    });
    const trainable = model.trainableWeights.reduce((s, w) => s + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
    const onlyTrainable = modelSize(model, { layers, params: trainable });
    expect(onlyTrainable.pass).toBe(false);
    expect(onlyTrainable.hints[0]).toMatch(/^That is only the trainable weights/);
    const offByOne = modelSize(model, { layers, params: params + 1 });
    expect(offByOne.message).toBe(
      `${layers} layers is right, but the parameters add up to ${params.toLocaleString('en-US')}, not ${params + 1}.`,
    );
    expect(offByOne.hints).toHaveLength(3);
    expect(modelSize(model, undefined as never).pass).toBe(false);
  });

  it('fail the kernel without its biases, biases per feature, the starter, and a hard-coded 257,000', () => {
    const kernelOnly = classifierParams(model, (f, c) => f * c);
    expect(kernelOnly).toMatchObject({
      pass: false,
      message:
        'For conv_preds (256 features → 1,000 classes) your function gives 256000; the layer has 257,000 parameters.',
    });
    expect(kernelOnly.hints[0]).toMatch(/every class also has a bias/);
    expect(classifierParams(model, (f, c) => f * c + f).hints[0]).toMatch(/A bias belongs to an \*output\*/);
    const starter = classifierParams(model, () => 0);
    expect(starter.hints).toHaveLength(3);
    // The right number for conv_preds alone does not pass: the check calls the function on other layers too.
    const hardCoded = classifierParams(model, () => 257_000);
    expect(hardCoded.pass).toBe(false);
    expect(hardCoded.message).toMatch(
      /^For a 3-way head on the same features \(256 features → 3 classes\) your function gives 257000/,
    );
    expect(classifierParams(model, 257_000 as never).pass).toBe(false);
  });

  it('judge the sizes read from conv_preds when given: the starter’s zeros and swapped sizes fail, never naming them', () => {
    expect(classifierParams(model, denseParams, { features: 256, classes: 1000 }).pass).toBe(true);
    const zeros = classifierParams(model, denseParams, { features: 0, classes: 0 });
    expect(zeros).toMatchObject({
      pass: false,
      message: 'You read 0 features and 0 classes: not the sizes of conv_preds.',
    });
    expect(zeros.hints).toHaveLength(3);
    expect(zeros.hints.join(' ')).not.toMatch(/\b(256|1000|1,000)\b/);
    expect(classifierParams(model, denseParams, { features: 1000, classes: 256 }).pass).toBe(false);
  });
});

describe('wb.check.softmax', () => {
  const stable = (x: tf.Tensor2D) =>
    tf.tidy(() => {
      const e = tf.exp(tf.sub(x, tf.max(x, -1, true)));
      return tf.div(e, tf.sum(e, -1, true));
    });

  it('passes a stable softmax, and tf.softmax itself', () => {
    expect(softmaxMatches(stable).pass).toBe(true);
    expect(softmaxMatches((x) => tf.softmax(x)).pass).toBe(true);
  });

  const MISSES: [string, (x: tf.Tensor2D) => unknown, RegExp][] = [
    [
      'the naive exp / sum (Infinity for logits of 1000)',
      (x) => tf.div(tf.exp(x), tf.sum(tf.exp(x), -1, true)),
      /^Right on small logits, but softmax of \[1000, 1001, 1002\] gives \[NaN, NaN, NaN\]/,
    ],
    [
      'a sum without keepDims (the shape changes)',
      (x) => tf.div(tf.exp(x), tf.sum(tf.exp(x))).squeeze(),
      /^softmax of a \[1, 3\] tensor should keep its shape, got \[3\]\.$/,
    ],
    [
      'exponentials not divided by their sum',
      (x) => tf.exp(x),
      /^softmax\(logits \[1, 2, 3\]\) gives \[2\.718, 7\.389, 20\.086\], which sums to 30\.1929, not 1\.$/,
    ],
    [
      'a sorted copy (sums to 1, wrong values)',
      (x) => tf.reverse(tf.softmax(x), -1),
      /^softmax\(logits \[1, 2, 3\]\) gives \[0\.665, 0\.245, 0\.090\]; softmax is \[0\.090, 0\.245, 0\.665\]\.$/,
    ],
    [
      'an array instead of a tensor',
      (x) => Array.from(tf.softmax(x).dataSync()),
      /^softmax\(logits \[1, 2, 3\]\) returned an array of 3, not a tensor\.$/,
    ],
  ];
  it.each(MISSES)('fails %s', (_, f, message) => {
    const result = softmaxMatches(f as (x: tf.Tensor2D) => tf.Tensor);
    expect(result.pass).toBe(false);
    expect(result.message).toMatch(message);
    expect(result.hints.length).toBeGreaterThan(0);
  });

  it('the starter (logits returned as they are) fails with the three-rung ladder, and a ladder never holds the formula', () => {
    const starter = softmaxMatches((x) => x);
    expect(starter.pass).toBe(false);
    expect(starter.hints).toHaveLength(3);
    expect(starter.hints[0]).toMatch(/^Probabilities are positive and add up to 1/);
    const naive = softmaxMatches((x) => tf.div(tf.exp(x), tf.sum(tf.exp(x), -1, true)));
    expect(naive.hints[0]).toMatch(/does not change when every logit of a row shifts/);
  });
});

describe('wb.check.earlyAndLate and wb.check.cutPoint', () => {
  it('pass an early 112×112 layer with a late 7×7 one, and the pooled features as the cut', () => {
    expect(earlyAndLate(model, 'conv_pw_1_relu', 'conv_pw_13_relu').pass).toBe(true);
    expect(earlyAndLate(model, 'conv_pw_3_relu', 'conv_pw_12_relu').pass).toBe(true); // 56×56 is still early
    expect(cutPoint(model, 'global_average_pooling2d_1').pass).toBe(true);
  });

  const LAYER_MISSES: [string, string, string, RegExp][] = [
    [
      'an early layer one block too late (28×28)',
      'conv_pw_4_relu',
      'conv_pw_13_relu',
      /^conv_pw_4_relu is already 28×28×64: the photo has been shrunk 8× by then\./,
    ],
    [
      'a late layer one block too early (14×14)',
      'conv_pw_1_relu',
      'conv_pw_11_relu',
      /^conv_pw_11_relu is 14×14×128: late layers are the 7×7 ones/,
    ],
    [
      'the pooled features as the late layer',
      'conv_pw_1_relu',
      'global_average_pooling2d_1',
      /^global_average_pooling2d_1 outputs 256: not feature maps/,
    ],
    [
      'a misspelt layer',
      'conv_pw1_relu',
      'conv_pw_13_relu',
      /^The early layer "conv_pw1_relu" is not a layer of the model\.$/,
    ],
  ];
  it.each(LAYER_MISSES)('earlyAndLate fails %s', (_, early, late, message) => {
    const result = earlyAndLate(model, early, late);
    expect(result.pass).toBe(false);
    expect(result.message).toMatch(message);
    expect(result.hints.length).toBeGreaterThan(0);
  });

  it('earlyAndLate fails a "late" layer after the pooling: 1×1 grids are not feature maps', () => {
    for (const late of ['reshape_1', 'conv_preds', 'act_softmax']) {
      const result = earlyAndLate(model, 'conv1_relu', late);
      expect(result.pass, late).toBe(false);
      expect(result.message).toMatch(/after the pooling/);
    }
  });

  it('earlyAndLate fails the starter (no layers picked yet) with the three-rung ladder', () => {
    const starter = earlyAndLate(model, '', '');
    expect(starter).toMatchObject({ pass: false, message: 'No early layer picked yet: early is the empty string.' });
    expect(starter.hints).toHaveLength(3);
    expect(starter.hints.join(' ')).not.toMatch(/conv_pw_\d+_relu|conv1_relu/);
  });

  const CUT_MISSES: [string, string, RegExp][] = [
    ['one layer too early (7×7 maps)', 'conv_pw_13_relu', /^conv_pw_13_relu gives 7×7×256 feature maps/],
    [
      'one layer too late (the reshape)',
      'reshape_1',
      /^reshape_1 holds the same 256 numbers as global_average_pooling2d_1/,
    ],
    [
      'the ImageNet classifier',
      'conv_preds',
      /^conv_preds \(.+\) comes after conv_preds, the layer trained to score ImageNet's 1000 classes: cutting there keeps the old question\.$/,
    ],
    ['a layer that does not exist', 'global_average_pooling', /^There is no layer "global_average_pooling"\.$/],
  ];
  it.each(CUT_MISSES)('cutPoint fails %s', (_, layer, message) => {
    const result = cutPoint(model, layer);
    expect(result.pass).toBe(false);
    expect(result.message).toMatch(message);
  });

  it('cutPoint hints at the next layer for the last 7×7 maps, at the later blocks for earlier maps', () => {
    expect(cutPoint(model, 'conv_pw_13_relu').hints[0]).toMatch(/^One layer later/);
    expect(cutPoint(model, 'conv_pw_11_relu').hints[0]).toMatch(/^Keep the later blocks too/);
  });
});

describe('wb.check.channelFor', () => {
  const LAYER = 'conv_pw_13_relu';
  let ranked: number[]; // channels of LAYER by their cat gap, largest first
  beforeAll(async () => {
    const { gap } = labelGaps(await channelMeans(session, model, LAYER), 'cat');
    ranked = gap
      .map((g, c) => [g, c] as const)
      .sort((a, b) => b[0] - a[0])
      .map(([, c]) => c);
  }, 300_000);

  it('passes the channel with the largest gap, and the 5th', async () => {
    const best = await channelFor(session, model, LAYER, ranked[0]!, 'cat');
    expect(best.pass).toBe(true);
    expect(best.message).toMatch(
      new RegExp(
        `^Channel ${ranked[0]} averages \\d+\\.\\d\\d on cat photos and \\d+\\.\\d\\d on the others: the largest gap of all 256 channels of ${LAYER}\\.$`,
      ),
    );
    expect((await channelFor(session, model, LAYER, ranked[4]!, 'cat')).message).toMatch(
      /: the 5th-largest gap of all 256 channels/,
    );
  });

  it('fails the 6th and the 50th channel, naming the rank, with a ladder that never names the best channel', async () => {
    const sixth = await channelFor(session, model, LAYER, ranked[5]!, 'cat');
    expect(sixth.pass).toBe(false);
    expect(sixth.message).toMatch(/: the 6th largest gap of the 256 channels\. Some channel prefers cats much more\.$/);
    const fiftieth = await channelFor(session, model, LAYER, ranked[49]!, 'cat');
    expect(fiftieth).toMatchObject({ pass: false });
    expect(fiftieth.message).toMatch(/: the 50th largest gap of the 256 channels\./);
    expect(fiftieth.hints).toHaveLength(3);
    expect(fiftieth.hints.join(' ')).not.toMatch(new RegExp(`\\b${ranked[0]}\\b`));
  });

  it('fails the best channel for dogs, channels off the end, and unknown labels', async () => {
    // The channel that prefers dogs most is not among the 5 that prefer cats most.
    const dogGaps = labelGaps(await channelMeans(session, model, LAYER), 'dog').gap;
    const dogBest = dogGaps.indexOf(Math.max(...dogGaps));
    expect(ranked.indexOf(dogBest)).toBeGreaterThan(4);
    expect((await channelFor(session, model, LAYER, dogBest, 'cat')).pass).toBe(false);
    expect(await channelFor(session, model, LAYER, 256, 'cat')).toMatchObject({
      pass: false,
      message: 'The channel should be a whole number from 0 to 255, got 256.',
    });
    expect(await channelFor(session, model, LAYER, -1, 'cat')).toMatchObject({
      pass: false,
      message: 'The channel should be a whole number from 0 to 255, got -1.',
    });
    expect((await channelFor(session, model, LAYER, 2.5, 'cat')).pass).toBe(false);
    expect(await channelFor(session, model, LAYER, ranked[0]!, 'cats')).toMatchObject({
      pass: false,
      message: '"cats" is not one of our labels (cat, dog, other).',
    });
  });
});

describe('wb.check.headOutputs', () => {
  it('passes a fresh 3-way head, and fails the ImageNet head it replaces', async () => {
    const tm = buildTransferModel(model, { seed: 1 });
    expect((await headOutputs(session, tm.model)).pass).toBe(true);
    // Lesson 4's answer: small random starting weights, so every probability starts near 1/3.
    const logits = tm.model.getLayer('head_logits');
    const [kernel, bias] = logits.getWeights();
    logits.setWeights([tf.randomNormal(kernel!.shape, 0, 0.001, 'float32', 3), bias!]);
    expect((await headOutputs(session, tm.model, { untrained: true })).pass).toBe(true);
    const imagenet = await headOutputs(session, model);
    expect(imagenet).toMatchObject({
      pass: false,
      message: 'The model gives 1000 numbers per photo; our problem has 3 labels (cat, dog, other).',
    });
    expect(imagenet.hints[0]).toMatch(/^This is still the ImageNet head/);
    tm.model.dispose();
  }, 120_000);

  it('fails an untrained head with large weights, and one with every weight equal', async () => {
    const tm = buildTransferModel(model, { seed: 1 });
    const logits = tm.model.getLayer('head_logits');
    const [kernel, bias] = logits.getWeights();
    logits.setWeights([tf.randomNormal(kernel!.shape, 0, 1, 'float32', 3), bias!]);
    expect((await headOutputs(session, tm.model, { untrained: true })).message).toMatch(
      /^Untrained, the head already has strong opinions/,
    );
    logits.setWeights([tf.fill(kernel!.shape, 0.5), bias!]);
    expect((await headOutputs(session, tm.model, { untrained: true })).message).toBe(
      'All 768 weights of head_logits are 0.5: every class starts as an exact copy of the others.',
    );
    tm.model.dispose();
  }, 120_000);
});

describe('the wb.check members of lessons 1–4 hand their arguments to their verdicts, in order', () => {
  // The lesson's own create() is called as the page calls it; each member's verdict is compared with the verdict
  // function's on the same answer, and a member that takes a model names itself when given something else.
  let context: LessonCheckContext;
  beforeAll(() => {
    context = { session, evidence: {} as LessonCheckContext['evidence'] };
  });
  const notAModel = 'the model' as never;

  it('lesson 1', async () => {
    const checks = lesson1.create(context);
    const probs = tf.oneHot(254, 1000).toFloat();
    expect(await checks.mostProbableClass(probs, 253)).toEqual(mostProbableClass(session, probs, 253));
    expect((await checks.mostProbableClass(probs, 254)).pass).toBe(true);
    expect(await checks.ourLabels(() => 'other')).toEqual(ourLabels(session, () => 'other'));
    expect((await checks.ourLabels(referenceLabel)).pass).toBe(true);
    expect(await checks.baseline([], referenceLabel)).toEqual(baselineScore(session, [], referenceLabel));
    expect((await checks.baseline([], referenceLabel)).message).toMatch(/^The answers cover 0 photos, 78 of the 78/);
    probs.dispose();
  });

  it('lesson 2', async () => {
    const checks = lesson2.create(context);
    const answer = { layers: model.layers.length, params: 1 };
    expect(await checks.modelSize(model, answer)).toEqual(modelSize(model, answer));
    expect((await checks.modelSize(model, answer)).message).toMatch(/layers is right, but the parameters add up to/);
    expect(() => checks.modelSize(notAModel, answer)).toThrow(/^wb\.check\.modelSize expects a model/);
    const dense = (f: number, c: number) => f * c;
    expect(await checks.classifierParams(model, dense)).toEqual(classifierParams(model, dense));
    expect(await checks.classifierParams(model, dense, { features: 256, classes: 1000 })).toEqual(
      classifierParams(model, dense, { features: 256, classes: 1000 }),
    );
    expect(() => checks.classifierParams(notAModel, dense)).toThrow(/^wb\.check\.classifierParams expects a model/);
    const soft = (x: tf.Tensor2D) => tf.softmax(x);
    expect(await checks.softmax(soft)).toEqual(await softmaxMatches(soft, undefined, undefined, session.classNames));
    expect((await checks.softmax('softmax' as never)).pass).toBe(false);
  });

  it('lesson 3', async () => {
    const checks = lesson3.create(context);
    expect(await checks.earlyAndLate(model, 'conv1', 'conv_pw_13')).toEqual(earlyAndLate(model, 'conv1', 'conv_pw_13'));
    expect(() => checks.earlyAndLate(notAModel, 'a', 'b')).toThrow(/^wb\.check\.earlyAndLate expects a model/);
    expect(await checks.channelFor(model, 'conv_pw_13_relu', 3, 'horse')).toEqual(
      await channelFor(session, model, 'conv_pw_13_relu', 3, 'horse'),
    );
    expect((await checks.channelFor(model, 'conv_pw_13_relu', 3, 'horse')).message).toMatch(/^"horse" is not one/);
    expect(() => checks.channelFor(notAModel, 'conv_pw_13_relu', 3, 'cat')).toThrow(
      /^wb\.check\.channelFor expects a model/,
    );
    expect(await checks.linearProbe('probe' as never)).toEqual(
      await linearProbeCheck(context.evidence, 'probe' as never),
    );
  });

  it('lesson 4', async () => {
    const checks = lesson4.create(context);
    expect(await checks.cutPoint(model, 'conv_pw_13_relu')).toEqual(cutPoint(model, 'conv_pw_13_relu'));
    expect(() => checks.cutPoint(notAModel, 'x')).toThrow(/^wb\.check\.cutPoint expects a model/);
    expect(() => checks.headOutputs(notAModel)).toThrow(/^wb\.check\.headOutputs expects a model/);
    expect(() => checks.untrainedHead(notAModel)).toThrow(/^wb\.check\.untrainedHead expects a model/);
    const tm = buildTransferModel(model, { seed: 1 });
    expect(await checks.headOutputs(tm)).toEqual(await headOutputs(session, tm.model));
    expect(await checks.untrainedHead(tm)).toEqual(await headOutputs(session, tm.model, { untrained: true }));
    expect((await checks.untrainedHead(tm)).message).not.toBe((await checks.headOutputs(tm)).message);
    expect(await checks.composedModel(notAModel)).toEqual(await composedModel(session, notAModel));
    tm.model.dispose();
  });
});
