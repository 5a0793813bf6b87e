/**
 * The named checks of lessons 1–4 (`wb.check.<name>`). Each one recomputes the right answer from the real model and
 * compares *meanings*: a class index with the real argmax, a function with the right label for all 1000 classes, a
 * model with what its outputs must be. Failure messages say what was found and point to the next step; they never
 * ask for a particular spelling of the code.
 */
import * as tf from '@tensorflow/tfjs';
import { describeLayers, formatShape, type LayerInfo } from '../ml/layers';
import { predictProbabilities } from './classify';
import { percent } from './dom';
import { cellOutput } from './cell-output';
import { fail, pass, runCheck, type CheckResult } from './checks';
import { asLayersModel, type AnyModel } from '../ml/surgery';
import { channelMeans, type ChannelMeans } from './pictures';
import type { Session } from './session';
import { errorMessage } from '../ml/error-message';

const n = (x: number) => x.toLocaleString('en-US');

/** ImageNet's dog breeds and domestic cats, by class index (the rest is "other" for us). */
export const IMAGENET_DOGS = { first: 151, last: 268 } as const;
export const IMAGENET_CATS = { first: 281, last: 285 } as const;

/** Our label of an ImageNet class: the reference answer of lesson 1's mapping exercise. */
export function referenceLabel(classId: number): 'cat' | 'dog' | 'other' {
  if (classId >= IMAGENET_DOGS.first && classId <= IMAGENET_DOGS.last) return 'dog';
  if (classId >= IMAGENET_CATS.first && classId <= IMAGENET_CATS.last) return 'cat';
  return 'other';
}

/** Describes a value a learner passed where something else was expected. */
function what(value: unknown): string {
  if (value instanceof tf.Tensor) return `a tensor of shape [${value.shape.join(', ')}]`;
  if (value instanceof Promise) return 'a promise (add `await`)';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined || value === null)
    return String(value);
  return typeof value === 'string' ? `the string "${value}"` : `${typeof value} ${String(value)}`;
}

/** Lesson 1: is `classId` the index of the largest of the 1000 probabilities? */
export function mostProbableClass(session: Session, probs: tf.Tensor, classId: number): CheckResult {
  if (!(probs instanceof tf.Tensor) || probs.size !== session.classNames.length) {
    return fail(
      `The first argument should be the model's output for one photo, 1000 probabilities; got ${what(probs)}.`,
      'Pass `probs`, the tensor model.predict(input) returned.',
    );
  }
  const values = probs.dataSync();
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  const name = (i: number) => `“${session.classNames[i]}”`;
  if (typeof classId !== 'number' || !Number.isInteger(classId) || classId < 0 || classId >= values.length) {
    return fail(
      `classId should be a whole number from 0 to 999 (a position in the output), got ${what(classId)}.`,
      'probs.argMax(-1) is a tensor holding that position; .dataSync()[0] reads the number out of it.',
    );
  }
  if (classId !== best) {
    return fail(
      `Class ${classId} (${name(classId)}) has probability ${percent(values[classId]!)}, but class ${best} (${name(best)}) has ${percent(values[best]!)}.`,
      'You want the position of the largest value: probs.argMax(-1) gives it as a tensor, .dataSync()[0] as a number.',
    );
  }
  return pass(`Class ${best}, ${name(best)}, with ${percent(values[best]!)}: the most probable of the 1000.`);
}

/** Lesson 1: does `toOurLabel` send every ImageNet class to the right one of cat, dog, other? */
export function ourLabels(session: Session, toOurLabel: (classId: number) => string): CheckResult {
  if (typeof toOurLabel !== 'function')
    return fail(`Pass your function itself (ourLabel, without calling it); got ${what(toOurLabel)}.`);
  const wrong: { id: number; got: unknown; want: string }[] = [];
  for (let id = 0; id < session.classNames.length; id++) {
    let got: unknown;
    try {
      got = toOurLabel(id);
    } catch (e) {
      return fail(`Your function threw for class ${id}: ${errorMessage(e)}`);
    }
    const want = referenceLabel(id);
    if (got !== want) wrong.push({ id, got, want });
  }
  if (wrong.length === 0) {
    const dogs = IMAGENET_DOGS.last - IMAGENET_DOGS.first + 1;
    const cats = IMAGENET_CATS.last - IMAGENET_CATS.first + 1;
    return pass(
      `All 1000 ImageNet classes get the right label: ${dogs} dog breeds, ${cats} kinds of cat, and ${1000 - dogs - cats} classes that are “other” for us.`,
    );
  }
  const first = wrong[0]!;
  const example = `class ${first.id} (“${session.classNames[first.id]}”) becomes ${JSON.stringify(first.got)}, but should be "${first.want}"`;
  let hint = `Return "dog" for classes ${IMAGENET_DOGS.first} to ${IMAGENET_DOGS.last}, "cat" for ${IMAGENET_CATS.first} to ${IMAGENET_CATS.last} (both ends included), and "other" for everything else.`;
  if (wrong.some((w) => typeof w.got !== 'string' || !['cat', 'dog', 'other'].includes(w.got)))
    hint = 'Return exactly one of the strings "cat", "dog" or "other".';
  else if (wrong.every((w) => w.id >= 286 && w.id <= 293))
    hint =
      'Classes 286–293 are cougar, lynx, leopard, snow leopard, jaguar, lion, tiger and cheetah: wild cats, “other” for us.';
  return fail(`${n(wrong.length)} of the 1000 classes get the wrong label; for example ${example}.`, hint);
}

/** Lesson 2: the learner's count of layers and parameters. */
export function modelSize(model: tf.LayersModel, answer: { layers: number; params: number }): CheckResult {
  const layers = model.layers.length;
  const params = model.countParams();
  if (answer?.layers !== layers) {
    return fail(
      `You counted ${what(answer?.layers)} layers; the model has ${layers}.`,
      'model.layers is an array of all the layers: its length is the count.',
    );
  }
  if (answer.params !== params) {
    const trainable = model.trainableWeights.reduce((s, w) => s + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
    const hint =
      answer.params === trainable
        ? 'That is only the trainable weights: BatchNorm layers also keep a moving mean and variance, which count as parameters too.'
        : 'Add up layer.countParams() over model.layers (or ask model.countParams() to confirm).';
    return fail(
      `${layers} layers is right, but the parameters add up to ${n(params)}, not ${what(answer.params)}.`,
      hint,
    );
  }
  return pass(
    `${layers} layers and ${n(params)} parameters. Many layers have none at all (activations, reshapes, pooling): they compute, but learn nothing.`,
  );
}

/** The layers of a group ("classifier", "block 13") of a model. */
function groupLayers(model: tf.LayersModel, group: string): LayerInfo[] {
  return describeLayers(model).filter((l) => l.block === group);
}

/** Lesson 2: the parameters of the classifier group. */
export function classifierParams(model: tf.LayersModel, count: number): CheckResult {
  const layers = groupLayers(model, 'classifier');
  const expected = layers.reduce((s, l) => s + l.params, 0);
  const total = model.countParams();
  if (count !== expected) {
    const kernel = layers
      .flatMap((l) => (l.params ? [l] : []))
      .map((l) => model.getLayer(l.name).getWeights()[0]?.size ?? 0)
      .reduce((a, b) => a + b, 0);
    const hint =
      count === kernel
        ? 'That is the kernel only: every one of the 1000 outputs also has a bias.'
        : 'Find the group named "classifier" in wb.layers.blocks(model) and read its params.';
    return fail(`The classifier group has ${n(expected)} parameters, not ${what(count)}.`, hint);
  }
  return pass(
    `${n(expected)} parameters: ${Math.round((100 * expected) / total)}% of the whole model is the last layer, which maps 256 features to 1000 classes (256 × 1000 weights + 1000 biases).`,
  );
}

/** Lesson 2: a softmax written by the learner, compared with tf.softmax and with the model's own last layers. */
export function softmaxMatches(
  softmax: (logits: tf.Tensor2D) => tf.Tensor,
  model?: tf.LayersModel,
  photoInput?: tf.Tensor4D,
): CheckResult {
  if (typeof softmax !== 'function') return fail(`Pass your softmax function itself; got ${what(softmax)}.`);
  const cases: { name: string; logits: number[] }[] = [
    { name: 'logits [1, 2, 3]', logits: [1, 2, 3] },
    { name: 'logits [-2, 0, 0.5, 4]', logits: [-2, 0, 0.5, 4] },
  ];
  for (const c of cases) {
    // Tensors made here (the learner's included) are freed by tidy; only plain numbers leave it.
    let returned: unknown;
    let shape: number[] = [];
    let values: number[] = [];
    let want: number[] = [];
    tf.tidy(() => {
      const input = tf.tensor2d([c.logits]);
      const mine = softmax(input);
      returned = mine;
      if (!(mine instanceof tf.Tensor)) return;
      shape = mine.shape;
      values = Array.from(mine.dataSync());
      want = Array.from(tf.softmax(input).dataSync());
    });
    if (!(returned instanceof tf.Tensor)) return fail(`softmax(${c.name}) returned ${what(returned)}, not a tensor.`);
    if (shape.join() !== [1, c.logits.length].join())
      return fail(
        `softmax of a [1, ${c.logits.length}] tensor should keep its shape, got [${shape.join(', ')}].`,
        'Sum along the last axis and keep it: tf.sum(e, -1, true).',
      );
    const sum = values.reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 1) > 1e-4)
      return fail(
        `softmax(${c.name}) sums to ${sum.toFixed(4)}, not 1.`,
        'Divide the exponentials by their sum, so the probabilities add up to 1.',
      );
    const diff = Math.max(...values.map((v, i) => Math.abs(v - want[i]!)));
    if (diff > 1e-5)
      return fail(
        `softmax(${c.name}) gives [${values.map((v) => v.toFixed(3)).join(', ')}]; softmax is [${want.map((v) => v.toFixed(3)).join(', ')}].`,
        'softmax(x)ᵢ = exp(xᵢ) / Σⱼ exp(xⱼ).',
      );
  }
  const big = tf.tidy(() => Array.from((softmax(tf.tensor2d([[1000, 1001, 1002]])) as tf.Tensor).dataSync()));
  if (big.some((v) => !Number.isFinite(v))) {
    return fail(
      `Right on small logits, but softmax of [1000, 1001, 1002] gives [${big.join(', ')}]: exp(1000) is Infinity in float32.`,
      'Subtract the largest logit first (tf.max(logits, -1, true)): softmax does not change when every logit shifts by the same amount, and the largest exponent becomes exp(0) = 1.',
    );
  }
  let extra = '';
  if (model && photoInput) {
    const diff = tf.tidy(() => {
      const logitsModel = tf.model({
        inputs: model.inputs,
        outputs: model.getLayer('conv_preds').output as tf.SymbolicTensor,
      });
      const logits = (logitsModel.predict(photoInput) as tf.Tensor).reshape([photoInput.shape[0], -1]) as tf.Tensor2D;
      const theirs = (model.predict(photoInput) as tf.Tensor).reshape(logits.shape);
      return tf.max(tf.abs(tf.sub(softmax(logits), theirs))).dataSync()[0]!;
    });
    if (diff > 1e-4)
      return fail(
        `On the model's own logits your softmax differs from the model's output by up to ${diff.toExponential(1)}.`,
      );
    extra = ` On the model's logits for the photo it matches act_softmax to within ${diff.toExponential(0)}.`;
  }
  return pass(
    `Your softmax gives probabilities that sum to 1, equals tf.softmax, and stays finite for logits of 1000.${extra}`,
  );
}

/** Lesson 3: an early layer and a late layer with feature maps. */
export function earlyAndLate(model: tf.LayersModel, early: string, late: string): CheckResult {
  const layers = describeLayers(model);
  const find = (name: string, role: string): LayerInfo | CheckResult => {
    const layer = layers.find((l) => l.name === name);
    if (!layer)
      return fail(
        `The ${role} layer "${String(name)}" does not exist.`,
        'Copy a layer name from the layer table, e.g. conv_pw_1_relu.',
      );
    if (layer.outputShape.length !== 3)
      return fail(
        `${name} outputs ${formatShape(layer.outputShape)}: not feature maps (height × width × channels).`,
        'Pick a layer inside the blocks, before the pooling.',
      );
    return layer;
  };
  const a = find(early, 'early');
  if ('pass' in a) return a;
  const b = find(late, 'late');
  if ('pass' in b) return b;
  if (a.outputShape[0]! < 56)
    return fail(
      `${early} is already ${formatShape(a.outputShape)}: the photo has been shrunk ${224 / a.outputShape[0]!}× by then. Pick an early layer, still 56×56 or larger.`,
      'The stem and blocks 1–3 keep at least 56×56 positions.',
    );
  if (b.outputShape[0]! > 7)
    return fail(
      `${late} is ${formatShape(b.outputShape)}: late layers are the 7×7 ones, just before the pooling.`,
      'Blocks 12 and 13 output 7×7×256.',
    );
  return pass(
    `${early} (${formatShape(a.outputShape)}, layer ${a.index}) against ${late} (${formatShape(b.outputShape)}, layer ${b.index}): ${b.outputShape[2]! / a.outputShape[2]!}× the channels at 1/${(a.outputShape[0]! / b.outputShape[0]!) ** 2} of the positions.`,
  );
}

/** For every channel: its mean activation over the photos of `label` minus its mean over the other photos. */
export function labelGaps(means: ChannelMeans, label: string): { inside: number[]; outside: number[]; gap: number[] } {
  const channels = means.means[0]?.length ?? 0;
  const inside = new Array<number>(channels).fill(0);
  const outside = new Array<number>(channels).fill(0);
  let nIn = 0;
  let nOut = 0;
  means.photos.forEach((photo, i) => {
    const row = means.means[i]!;
    const sums = photo.label === label ? inside : outside;
    for (let c = 0; c < channels; c++) sums[c]! += row[c]!;
    if (photo.label === label) nIn++;
    else nOut++;
  });
  for (let c = 0; c < channels; c++) {
    inside[c]! /= Math.max(1, nIn);
    outside[c]! /= Math.max(1, nOut);
  }
  return { inside, outside, gap: inside.map((v, c) => v - outside[c]!) };
}

/**
 * Lesson 3: does `channel` of `layer` prefer photos of `label`? It passes when the channel is among the 5 (of all
 * channels) whose mean activation on `label` photos exceeds their mean on the other photos by the most.
 */
export async function channelFor(
  session: Session,
  model: tf.LayersModel,
  layer: string,
  channel: number,
  label: string,
): Promise<CheckResult> {
  if (!session.photos.labels.includes(label))
    return fail(`"${label}" is not one of our labels (${session.photos.labels.join(', ')}).`);
  const means = await channelMeans(session, model, layer);
  const channels = means.means[0]?.length ?? 0;
  if (typeof channel !== 'number' || !Number.isInteger(channel) || channel < 0 || channel >= channels) {
    return fail(`The channel should be a whole number from 0 to ${channels - 1}, got ${what(channel)}.`);
  }
  const { inside, outside, gap } = labelGaps(means, label);
  const rank = 1 + gap.filter((g) => g > gap[channel]!).length;
  const best = gap.indexOf(Math.max(...gap));
  const said = `Channel ${channel} averages ${inside[channel]!.toFixed(2)} on ${label} photos and ${outside[channel]!.toFixed(2)} on the others`;
  if (rank > 5) {
    return fail(
      `${said}: the ${ordinal(rank)} largest gap of the ${channels} channels. Some channel prefers ${label}s much more.`,
      `For each channel c, average means[i][c] over the ${label} photos and over the others, and keep the c with the largest difference (it is channel ${best}, if you want to peek).`,
    );
  }
  return pass(
    `${said}: the ${rank === 1 ? 'largest' : `${ordinal(rank)}-largest`} gap of all ${channels} channels of ${layer}.`,
  );
}

/** 1st, 2nd, 3rd, 4th … */
function ordinal(k: number): string {
  const suffix =
    k % 100 >= 11 && k % 100 <= 13 ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[k % 10] ?? 'th');
  return `${k}${suffix}`;
}

/** Lesson 4: is `layer` the pooled features, the right place to cut? */
export function cutPoint(model: tf.LayersModel, layer: string): CheckResult {
  const layers = describeLayers(model);
  const at = layers.find((l) => l.name === layer);
  if (!at)
    return fail(
      `There is no layer "${String(layer)}".`,
      'The layer table lists the names; the last ones are the classifier group.',
    );
  const preds = layers.find((l) => l.className === 'Conv2D' && l.outputShape.at(-1) === 1000) ?? layers.at(-1)!;
  const pooled = layers.find((l) => l.className === 'GlobalAveragePooling2D');
  const shape = formatShape(at.outputShape);
  if (at.index >= preds.index)
    return fail(
      `${layer} (${shape}) comes after ${preds.name}, the layer trained to score ImageNet's 1000 classes: cutting there keeps the old question.`,
      'Cut before the classifier, where each photo is still a list of features.',
    );
  if (pooled && at.index > pooled.index)
    return fail(
      `${layer} holds the same 256 numbers as ${pooled.name}, reshaped for the old 1×1-conv classifier (${shape}).`,
      `Cut at ${pooled.name} itself, whose output is a plain list of 256 numbers per photo.`,
    );
  if (at.outputShape.length === 3) {
    const hint =
      at.outputShape[0] === 7
        ? 'One layer later, the 7×7 positions are averaged into 256 numbers: that is the cut.'
        : 'Keep the later blocks too: they know fur, ears and faces.';
    return fail(
      `${layer} gives ${shape} feature maps: a separate reading per position of the photo, not one summary per photo.`,
      hint,
    );
  }
  return pass(
    `${layer} gives ${shape} numbers per photo: the average of each of the last block's ${at.outputShape[0]} channels. Everything the network saw, before any decision about ImageNet's classes.`,
  );
}

/** The last layer with a kernel (the new head's Dense layer): the one whose starting weights matter. */
function lastKernelLayer(model: tf.LayersModel): tf.layers.Layer | undefined {
  return [...model.layers].reverse().find((l) => l.getWeights().length > 0);
}

/**
 * Lessons 4–5: the model's head gives one probability per label, summing to 1. With `untrained`, also that it
 * starts neutral (every probability near 1/3) and random (its kernel is not one value repeated).
 */
export async function headOutputs(
  session: Session,
  model: tf.LayersModel,
  options: { untrained?: boolean } = {},
): Promise<CheckResult> {
  const labels = session.photos.labels;
  const photos = labels.flatMap((l) =>
    session.photos
      .select('validation')
      .filter((p) => p.label === l)
      .slice(0, 2),
  );
  const probs = await predictProbabilities(session, model, photos, cellOutput(null), 'checking');
  const outputs = probs[0]?.length ?? 0;
  if (outputs !== labels.length) {
    const hint =
      outputs === 1000
        ? 'This is still the ImageNet head: cut the model and put a new layer with 3 units on top.'
        : `The new layer needs one unit per label: units: ${labels.length}.`;
    return fail(
      `The model gives ${outputs} numbers per photo; our problem has ${labels.length} labels (${labels.join(', ')}).`,
      hint,
    );
  }
  for (const [i, row] of probs.entries()) {
    const sum = row.reduce((a, b) => a + b, 0);
    if (row.some((p) => p < 0) || Math.abs(sum - 1) > 1e-3) {
      return fail(
        `For ${photos[i]!.file} the outputs are [${Array.from(row, (p) => p.toFixed(3)).join(', ')}], summing to ${sum.toFixed(3)}: not probabilities.`,
        "End the head with a softmax (activation: 'softmax').",
      );
    }
  }
  const shown = (row: Float32Array) => `[${Array.from(row, (p) => p.toFixed(2)).join(', ')}]`;
  if (!options.untrained)
    return pass(
      `The head gives ${labels.length} probabilities per photo (${labels.join(', ')}), summing to 1: e.g. ${shown(probs[0]!)} for ${photos[0]!.file}.`,
    );

  const far = probs.findIndex((row) => row.some((p) => Math.abs(p - 1 / 3) > 0.1));
  if (far >= 0) {
    return fail(
      `Untrained, the head already has strong opinions: ${shown(probs[far]!)} for ${photos[far]!.file}. A fresh head should say “no idea”: about 1/3 each.`,
      'Its starting weights are too large: 256 positive features times weights of ±0.1 add up to logits several units apart. Start with small random weights: a standard deviation of 0.001 keeps the logits within a few hundredths of each other.',
    );
  }
  const layer = lastKernelLayer(model);
  const kernel = layer?.getWeights()[0];
  if (layer && kernel) {
    const values = kernel.dataSync();
    const first = values[0]!;
    if (values.every((v) => v === first)) {
      return fail(
        `All ${n(values.length)} weights of ${layer.name} are ${first}: every class starts as an exact copy of the others.`,
        "Give each weight its own small random value, e.g. tf.randomNormal(shape, 0, 0.001, 'float32', seed). Random starts break the symmetry between units (see below).",
      );
    }
  }
  const spread = probs.flatMap((row) => Array.from(row));
  return pass(
    `3 probabilities per photo, summing to 1, all between ${Math.min(...spread).toFixed(2)} and ${Math.max(...spread).toFixed(2)}: a neutral start, from weights that are small but all different.`,
  );
}

/** The `wb.check` named checks of lessons 1–4, each reported under the cell. */
export function lessonChecks(session: Session) {
  return {
    /** Lesson 1: `classId` is the index of the largest of the model's 1000 probabilities `probs`. */
    mostProbableClass: (probs: tf.Tensor, classId: number) =>
      runCheck(() => mostProbableClass(session, probs, classId)),
    /** Lesson 1: `toOurLabel(classId)` gives "cat", "dog" or "other" right for all 1000 ImageNet classes. */
    ourLabels: (toOurLabel: (classId: number) => string) => runCheck(() => ourLabels(session, toOurLabel)),
    /** Lesson 2: your counts of the model's layers and parameters. */
    modelSize: (model: AnyModel, answer: { layers: number; params: number }) =>
      runCheck(() => modelSize(asLayersModel(model, 'wb.check.modelSize'), answer)),
    /** Lesson 2: your count of the classifier group's parameters. */
    classifierParams: (model: AnyModel, count: number) =>
      runCheck(() => classifierParams(asLayersModel(model, 'wb.check.classifierParams'), count)),
    /** Lesson 2: your softmax equals tf.softmax, stays finite for big logits, and (given the model and a photo batch) matches the model. */
    softmax: (softmax: (logits: tf.Tensor2D) => tf.Tensor, model?: tf.LayersModel, photoInput?: tf.Tensor4D) =>
      runCheck(() => softmaxMatches(softmax, model, photoInput)),
    /** Lesson 3: `early` is an early layer with feature maps (≥ 56×56), `late` a late one (7×7). */
    earlyAndLate: (model: AnyModel, early: string, late: string) =>
      runCheck(() => earlyAndLate(asLayersModel(model, 'wb.check.earlyAndLate'), early, late)),
    /** Lesson 3: `channel` of `layer` is one of the 5 channels that prefer photos of `label` most (mean on them minus mean on the rest). */
    channelFor: (model: AnyModel, layer: string, channel: number, label: string) =>
      runCheck(() => channelFor(session, asLayersModel(model, 'wb.check.channelFor'), layer, channel, label)),
    /** Lesson 4: `layer` is the pooled features, where the new head goes. */
    cutPoint: (model: AnyModel, layer: string) =>
      runCheck(() => cutPoint(asLayersModel(model, 'wb.check.cutPoint'), layer)),
    /** Lessons 4–5: the model gives one probability per label (cat, dog, other), summing to 1. */
    headOutputs: (model: AnyModel) =>
      runCheck(() => headOutputs(session, asLayersModel(model, 'wb.check.headOutputs'))),
    /** Lesson 4: as headOutputs, and the untrained head starts neutral (≈ 1/3 each) from small, random, different weights. */
    untrainedHead: (model: AnyModel) =>
      runCheck(() => headOutputs(session, asLayersModel(model, 'wb.check.untrainedHead'), { untrained: true })),
  };
}
