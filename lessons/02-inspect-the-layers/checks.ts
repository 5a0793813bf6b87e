/**
 * Lesson 2's checks: the learner's count of layers and parameters, their formula for a dense layer's parameters
 * (called on layers the cell never saw), and their softmax (compared with tf.softmax and with the model's own last
 * layers, on logits small and huge). Each judges what the answer means, never how it is spelled.
 */
import * as tf from '@tensorflow/tfjs';
import { describeLayers } from '../../src/ml/layers';
import { fail, pass, type CheckResult } from '../../src/workbook/checks';
import { count, what } from '../../src/workbook/checks-helpers';
import { defineLessonChecks } from '../../src/workbook/checks-registry';
import { noteFigures } from '../../src/workbook/figures';
import { asLayersModel, type AnyModel } from '../../src/ml/surgery';

/** Returns whether `answer` holds the model's number of layers and of parameters. */
export function modelSize(model: tf.LayersModel, answer: { layers: number; params: number }): CheckResult {
  const layers = model.layers.length;
  const params = model.countParams();
  if (answer?.layers !== layers) {
    return fail(`You counted ${what(answer?.layers)} layers; the model has ${layers}.`, [
      'Every layer of the model is one entry of model.layers.',
      'An array knows how many entries it has: its length.',
    ]);
  }
  if (answer.params !== params) {
    const trainable = model.trainableWeights.reduce((s, w) => s + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
    const message = `${layers} layers is right, but the parameters add up to ${count(params)}, not ${what(answer.params)}.`;
    if (answer.params === trainable)
      return fail(message, [
        'That is only the trainable weights: BatchNorm layers also keep a moving mean and variance, which count as parameters too.',
        'layer.countParams() counts every weight of a layer, trained or not.',
      ]);
    return fail(message, [
      "The model's parameters are the sum of every layer's parameters (many layers have none).",
      'A layer tells its own count with layer.countParams(); model.countParams() gives the total, to compare with.',
      'Inside the loop, add the layer’s countParams() to paramCount.',
    ]);
  }
  // What the prose quotes after the exercise (lessons/02-…/record.json): noted only inside a cell run.
  noteFigures('model-size', { layers, params });
  return pass(
    `${layers} layers and ${count(params)} parameters. Many layers have none at all (activations, reshapes, pooling): they compute, but learn nothing.`,
  );
}

/** The layers of the model's "classifier" group with weights, and the group's parameters. */
function classifierOf(model: tf.LayersModel): { features: number; classes: number; params: number } {
  const group = describeLayers(model).filter((l) => l.block === 'classifier');
  const kernel = group.flatMap((l) => model.getLayer(l.name).getWeights().slice(0, 1))[0];
  if (!kernel) throw new Error('this model has no classifier group with weights (pass the pre-trained model)');
  const shape = kernel.shape; // a 1×1 convolution: [1, 1, features, classes]
  return { features: shape.at(-2)!, classes: shape.at(-1)!, params: group.reduce((s, l) => s + l.params, 0) };
}

/**
 * Returns whether `denseParams(features, classes)` gives the parameters of a dense layer (a 1×1 convolution on
 * pooled features is one): right for the model's classifier, and for layers the learner never saw.
 */
export function classifierParams(
  model: tf.LayersModel,
  denseParams: (features: number, classes: number) => number,
  sizes?: { features: number; classes: number },
): CheckResult {
  if (typeof denseParams !== 'function')
    return fail(`Pass your function itself; got ${what(denseParams)}.`, [
      'The check calls denseParams on layers of several sizes itself: pass it without calling it.',
    ]);
  const classifier = classifierOf(model);
  if (sizes && (sizes.features !== classifier.features || sizes.classes !== classifier.classes))
    return fail(
      `You read ${what(sizes.features)} features and ${what(sizes.classes)} classes: not the sizes of conv_preds.`,
      [
        'conv_preds holds one weight for every (feature, class) pair, so the shape of its kernel tells both sizes.',
        'model.getLayer(name).getWeights()[0] is a layer’s kernel; a 1×1 convolution’s kernel has the shape [1, 1, features, classes].',
        'Destructure the last two entries of that kernel’s shape into features and classes.',
      ],
    );
  const cases = [
    { features: classifier.features, classes: classifier.classes, want: classifier.params, name: 'conv_preds' },
    { features: 256, classes: 3, want: 771, name: 'a 3-way head on the same features' },
    { features: 1024, classes: 1000, want: 1_025_000, name: 'the full-width MobileNet’s classifier' },
    { features: 7, classes: 2, want: 16, name: 'a 7-to-2 layer' },
  ];
  for (const c of cases) {
    const got = denseParams(c.features, c.classes);
    if (got === c.want) continue;
    const message = `For ${c.name} (${count(c.features)} features → ${count(c.classes)} classes) your function gives ${what(got)}; the layer has ${count(c.want)} parameters.`;
    if (got === c.features * c.classes)
      return fail(message, [
        'The weights are only part of it: every class also has a bias, added after the weighted sum.',
        'One bias per output, so add as many biases as there are classes.',
      ]);
    if (got === c.features * c.classes + c.features)
      return fail(message, [
        'A bias belongs to an *output*: each class gets one, whatever the number of features.',
        'So the biases number `classes`, not `features`.',
      ]);
    return fail(message, [
      'Every one of the features is connected to every one of the classes by a weight of its own; and each class has one bias.',
      'Count the connections (a product) and add one bias per class.',
      'Return features × classes weights plus classes biases.',
    ]);
  }
  const total = model.countParams();
  noteFigures('classifier-params', {
    features: classifier.features,
    classes: classifier.classes,
    params: classifier.params,
    modelParams: total,
    share: classifier.params / total,
    headParams: denseParams(classifier.features, 3),
  });
  return pass(
    `${count(classifier.params)} parameters: ${Math.round((100 * classifier.params) / total)}% of the whole model is the last layer, which maps ${classifier.features} features to ${classifier.classes} classes. Your formula also gives 771 for a 3-way head on the same features: the new head of lesson 4.`,
  );
}

/** Runs the learner's softmax on one row of logits and returns what it gave, freeing every tensor it made. */
function runOn(softmax: (logits: tf.Tensor2D) => tf.Tensor, logits: number[]) {
  let returned: unknown;
  let shape: number[] = [];
  let values: number[] = [];
  let want: number[] = [];
  tf.tidy(() => {
    const input = tf.tensor2d([logits]);
    const mine = softmax(input);
    returned = mine;
    if (!(mine instanceof tf.Tensor)) return;
    shape = mine.shape;
    values = Array.from(mine.dataSync());
    want = Array.from(tf.softmax(input).dataSync());
  });
  return { isTensor: returned instanceof tf.Tensor, returned, shape, values, want };
}

/**
 * The figures lesson 2's prose quotes about the first photo's logits (its record, via npm run record): the three
 * largest logits with their classes and probabilities (`top<K>`, `logit<K>`, `p<K>`), the smallest logit, the gap
 * between the first two logits and the ratio of their probabilities, which the softmax makes e^gap.
 */
export function logitFigures(
  logits: readonly number[],
  probs: readonly number[],
  classNames: readonly string[],
): Record<string, number | string> {
  const order = logits.map((_, i) => i).sort((a, b) => logits[b]! - logits[a]!);
  const figures: Record<string, number | string> = {};
  order.slice(0, 3).forEach((i, k) => {
    figures[`top${k + 1}`] = classNames[i] ?? String(i);
    figures[`logit${k + 1}`] = logits[i]!;
    figures[`p${k + 1}`] = probs[i]!;
  });
  figures.minLogit = Math.min(...logits);
  figures.logitGap = logits[order[0]!]! - logits[order[1]!]!;
  figures.probRatio = probs[order[0]!]! / probs[order[1]!]!;
  return figures;
}

/** Returns whether the learner's softmax equals tf.softmax, stays finite for huge logits, and matches the model. */
export function softmaxMatches(
  softmax: (logits: tf.Tensor2D) => tf.Tensor,
  model?: tf.LayersModel,
  photoInput?: tf.Tensor4D,
  classNames: readonly string[] = [],
): CheckResult {
  if (typeof softmax !== 'function')
    return fail(`Pass your softmax function itself; got ${what(softmax)}.`, [
      'The check calls softmax on logits of its own: pass the function without calling it.',
    ]);
  const shown = (v: number[]) => `[${v.map((x) => x.toFixed(3)).join(', ')}]`;
  for (const logits of [
    [1, 2, 3],
    [-2, 0, 0.5, 4],
  ]) {
    const r = runOn(softmax, logits);
    const name = `logits [${logits.join(', ')}]`;
    if (!r.isTensor)
      return fail(`softmax(${name}) returned ${what(r.returned)}, not a tensor.`, [
        'softmax must return a tensor of probabilities, one row per row of logits.',
      ]);
    if (r.shape.join() !== [1, logits.length].join())
      return fail(`softmax of a [1, ${logits.length}] tensor should keep its shape, got [${r.shape.join(', ')}].`, [
        'Softmax keeps the shape: one probability for each logit, in the same place.',
        'Reduce along the last axis and keep that axis, so the row’s sum broadcasts back over the row: the third argument of tf.sum.',
      ]);
    const sum = r.values.reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 1) > 1e-4)
      return fail(`softmax(${name}) gives ${shown(r.values)}, which sums to ${sum.toFixed(4)}, not 1.`, [
        'Probabilities are positive and add up to 1 along a row: make every logit positive with an exponential, then divide each by the row’s total.',
        'tf.exp gives the exponentials; tf.sum(x, -1, true) sums each row and keeps its axis; tf.div divides.',
        'Take the exp of the logits, and return it divided by its own sum along the last axis.',
      ]);
    const diff = Math.max(...r.values.map((v, i) => Math.abs(v - r.want[i]!)));
    if (diff > 1e-5)
      return fail(`softmax(${name}) gives ${shown(r.values)}; softmax is ${shown(r.want)}.`, [
        'Each probability is the exp of its own logit over the sum of the exps of its row: a larger logit gets exponentially more.',
        'Divide by the sum of the *exponentials*, not of the logits, and sum along the last axis (-1).',
      ]);
  }
  const big = tf.tidy(() => Array.from((softmax(tf.tensor2d([[1000, 1001, 1002]])) as tf.Tensor).dataSync()));
  if (big.some((v) => !Number.isFinite(v))) {
    return fail(
      `Right on small logits, but softmax of [1000, 1001, 1002] gives [${big.join(', ')}]: exp(1000) is Infinity in float32.`,
      [
        'Softmax does not change when every logit of a row shifts by the same amount: shift them so that the largest becomes 0, and no exp can overflow.',
        'tf.max(logits, -1, true) is each row’s largest logit, shaped to broadcast; tf.sub subtracts it.',
        'Subtract the row maximum from the logits first, then take exp and divide as before.',
      ],
    );
  }
  let extra = '';
  if (model && photoInput) {
    const { diff, row, probs } = tf.tidy(() => {
      const logitsModel = tf.model({
        inputs: model.inputs,
        outputs: model.getLayer('conv_preds').output as tf.SymbolicTensor,
      });
      const logits = (logitsModel.predict(photoInput) as tf.Tensor).reshape([photoInput.shape[0], -1]) as tf.Tensor2D;
      const theirs = (model.predict(photoInput) as tf.Tensor).reshape(logits.shape);
      return {
        diff: tf.max(tf.abs(tf.sub(softmax(logits), theirs))).dataSync()[0]!,
        row: Array.from(logits.slice([0, 0], [1, -1]).dataSync()),
        probs: Array.from(theirs.slice([0, 0], [1, -1]).dataSync()),
      };
    });
    if (diff > 1e-4)
      return fail(
        `On the model's own logits your softmax differs from the model's output by up to ${diff.toExponential(1)}.`,
        ['Apply the softmax along the last axis (-1): each photo’s row of 1000 logits on its own.'],
      );
    extra = ` On the model's logits for the photo it matches act_softmax to within ${diff.toExponential(0)}.`;
    noteFigures('logits', logitFigures(row, probs, classNames));
  }
  return pass(
    `Your softmax gives probabilities that sum to 1, equals tf.softmax, and stays finite for logits of 1000.${extra}`,
  );
}

/** Lesson 2's named checks (`wb.check.<name>`). */
export default defineLessonChecks(({ session }) => ({
  /** Checks your counts of the model's layers and parameters. */
  modelSize: (model: AnyModel, answer: { layers: number; params: number }) =>
    modelSize(asLayersModel(model, 'wb.check.modelSize'), answer),
  /** Checks the classifier's sizes you read, and your `denseParams(features, classes)` on it and on layers of other sizes. */
  classifierParams: (
    model: AnyModel,
    denseParams: (features: number, classes: number) => number,
    sizes?: { features: number; classes: number },
  ) => classifierParams(asLayersModel(model, 'wb.check.classifierParams'), denseParams, sizes),
  /** Checks that your softmax equals tf.softmax, stays finite for big logits, and (given the model and a photo batch) matches the model. */
  softmax: (softmax: (logits: tf.Tensor2D) => tf.Tensor, model?: tf.LayersModel, photoInput?: tf.Tensor4D) =>
    softmaxMatches(softmax, model, photoInput, session.classNames),
}));
