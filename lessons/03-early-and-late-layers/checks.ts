/**
 * Lesson 3's checks: an early and a late layer picked by what they output, the channel the learner found to prefer
 * cats (judged against every channel's gap on our photos), and the learner's linear probe (run on features their
 * cell never passed it). Each judges meaning: shapes, ranks, accuracies.
 */
import type * as tf from '@tensorflow/tfjs';
import { describeLayers, formatShape, type LayerInfo } from '../../src/ml/layers';
import { asLayersModel, type AnyModel } from '../../src/ml/surgery';
import { fail, pass, type CheckResult } from '../../src/workbook/checks';
import { ordinal, what } from '../../src/workbook/checks-helpers';
import { defineLessonChecks } from '../../src/workbook/checks-registry';
import { noteFigures } from '../../src/workbook/figures';
import type { evidenceApi, Probe } from '../../src/workbook/evidence';
import { channelMeans, type ChannelMeans } from '../../src/workbook/pictures';
import type { Session } from '../../src/workbook/session';

/** The probe accuracy the check asks for on block 13's features (a linear probe there reaches about 85 %). */
export const PROBE_TARGET = 0.75;

/** Returns whether `early` is an early layer with feature maps (56×56 or larger) and `late` a late one (7×7). */
export function earlyAndLate(model: tf.LayersModel, early: string, late: string): CheckResult {
  const layers = describeLayers(model);
  const find = (name: string, role: string): LayerInfo | CheckResult => {
    const layer = layers.find((l) => l.name === name);
    if (!layer)
      return fail(
        name === ''
          ? `No ${role} layer picked yet: ${role} is the empty string.`
          : `The ${role} layer ${typeof name === 'string' ? `"${name}"` : what(name)} is not a layer of the model.`,
        [
          'Feature maps are outputs of shape height × width × channels; early layers keep the photo’s resolution, late ones have shrunk it to 7 × 7.',
          'model.layers lists the layers in order; layer.outputShape is [batch, height, width, channels] for feature maps, and layer.name is what the check wants.',
          'Filter model.layers to the 4-dimensional outputs, then pick by height: the deepest still ≥ 56 for early, the last one for late.',
        ],
      );
    if (layer.outputShape.length !== 3)
      return fail(`${name} outputs ${formatShape(layer.outputShape)}: not feature maps (height × width × channels).`, [
        'Feature maps have a height and a width: after the pooling, a photo is a plain list of numbers.',
        'Keep only the layers whose outputShape has 4 entries (batch, height, width, channels).',
      ]);
    return layer;
  };
  const a = find(early, 'early');
  if ('pass' in a) return a;
  const b = find(late, 'late');
  if ('pass' in b) return b;
  if (a.outputShape[0]! < 56)
    return fail(
      `${early} is already ${formatShape(a.outputShape)}: the photo has been shrunk ${224 / a.outputShape[0]!}× by then. Pick an early layer, still 56×56 or larger.`,
      [
        'Early means near the input, where each position still sees a small patch of the photo.',
        'outputShape[1] is the height of a layer’s feature maps: keep the layers where it is 56 or more.',
      ],
    );
  const pooled = layers.find((l) => l.className === 'GlobalAveragePooling2D');
  if (b.outputShape[0]! <= 1 || (pooled && b.index > pooled.index))
    return fail(
      `${late} is ${formatShape(b.outputShape)}, after the pooling: one number per channel (or per class), shaped as a 1×1 grid for the old classifier. Not feature maps any more.`,
      [
        'Late means just before the pooling: the last output that is still a grid of several positions.',
        'The pooling and the classifier after it output 1 × 1 grids: keep only the layers whose outputShape has a height above 1.',
        'Filter model.layers to 4-dimensional outputs with outputShape[1] > 1, and take the last one’s name.',
      ],
    );
  if (b.outputShape[0]! > 7)
    return fail(`${late} is ${formatShape(b.outputShape)}: late layers are the 7×7 ones, just before the pooling.`, [
      'Late means just before the pooling, where the photo has shrunk to its smallest feature maps.',
      'The last layer in model.layers whose outputShape still has a height and a width is the latest.',
    ]);
  return pass(
    `${early} (${formatShape(a.outputShape)}, layer ${a.index}) against ${late} (${formatShape(b.outputShape)}, layer ${b.index}): ${b.outputShape[2]! / a.outputShape[2]!}× the channels at 1/${(a.outputShape[0]! / b.outputShape[0]!) ** 2} of the positions.`,
  );
}

/** Returns, for every channel, its mean activation over the photos of `label` and the others, and the gap. */
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
 * Returns whether `channel` of `layer` prefers photos of `label`: among the 5 channels whose mean activation on
 * `label` photos exceeds their mean on the other photos by the most.
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
  if (typeof channel !== 'number' || !Number.isInteger(channel) || channel < 0 || channel >= channels)
    return fail(`The channel should be a whole number from 0 to ${channels - 1}, got ${what(channel)}.`, [
      'catChannel is the *index* of a channel (a column of means), not a value of it.',
    ]);
  const { inside, outside, gap } = labelGaps(means, label);
  const rank = 1 + gap.filter((g) => g > gap[channel]!).length;
  const said = `Channel ${channel} averages ${inside[channel]!.toFixed(2)} on ${label} photos and ${outside[channel]!.toFixed(2)} on the others`;
  if (rank > 5) {
    return fail(
      `${said}: the ${ordinal(rank)} largest gap of the ${channels} channels. Some channel prefers ${label}s much more.`,
      [
        `Score every channel, not one: for each c, its average over the ${label} photos minus its average over the others; keep the c with the largest score.`,
        'means[i][c] is photo i’s value for channel c, and isCat[i] tells which side photo i is on; a loop over c from 0 to means[0].length − 1 visits every channel.',
        'Inside the loop: average column c over the cat rows and over the other rows, subtract, and when that beats the best gap so far, remember c.',
      ],
    );
  }
  // What the prose quotes after the exercise (lessons/03-…/record.json): noted only inside a cell run.
  noteFigures('channel-for', { channel, rank, meanIn: inside[channel]!, meanOut: outside[channel]! });
  return pass(
    `${said}: the ${rank === 1 ? 'largest' : `${ordinal(rank)}-largest`} gap of all ${channels} channels of ${layer}.`,
  );
}

/**
 * Returns whether the learner's probe, run on block 13's ImageNet features and on the stem's (8 features, a shape
 * the learner's cell never tried), gives one probability distribution per validation photo, not the same for every
 * photo, and at least PROBE_TARGET of the validation photos right on block 13.
 */
export async function linearProbeCheck(api: ReturnType<typeof evidenceApi>, probe: Probe): Promise<CheckResult> {
  if (typeof probe !== 'function')
    return fail(`Pass your probe function itself; got ${what(probe)}.`, [
      'The check runs your probe on features of its own: pass `probe` without calling it.',
    ]);
  const { point, probabilities } = await api.score(probe, 'conv_pw_13_relu', 'imagenet');
  if (!probabilityRows(probabilities, point.total)) {
    return fail(
      `Your probe returned ${shapeOf(probabilities)} for ${point.total} validation photos; it should be [${point.total}, 3]: one probability per class per photo.`,
      [
        'The probe answers for the *validation* photos: one row per photo of validationX, one column per class.',
        'The number of classes is train.y.shape[1]; apply the learned weights to validationX, not to train.x.',
      ],
    );
  }
  const badRow = probabilities.findIndex(
    (r) => r.some((v) => !Number.isFinite(v) || v < 0) || Math.abs(r.reduce((a, b) => a + b, 0) - 1) > 1e-3,
  );
  if (badRow >= 0)
    return fail(
      `Row ${badRow} of your output, [${probabilities[badRow]!.map((v) => (typeof v === 'number' ? v.toFixed(3) : String(v))).join(', ')}], is not a probability distribution.`,
      [
        'Return probabilities, not logits: every row positive and summing to 1.',
        'tf.softmax turns each row of logits into probabilities.',
      ],
    );
  const first = probabilities[0]!;
  if (probabilities.every((r) => r.every((v, j) => Math.abs(v - first[j]!) < 1e-6))) {
    return fail(
      'Your probe gives every photo the same probabilities: it has not learned anything from the features yet.',
      [
        'A linear probe learns a weight per (feature, class) and a bias per class, so that features · weights + bias scores the right class highest on the training photos.',
        'tf.variable holds the weights W [features, classes] and b [classes]; an optimizer (tf.train.adam) and its minimize(() => loss) take one step; tf.losses.softmaxCrossEntropy(train.y, logits) is the loss.',
        'Loop about 100 times: minimize the cross-entropy of train.y against matMul(train.x, W) + b; then return the softmax of matMul(validationX, W) + b.',
      ],
    );
  }
  if (point.accuracy < PROBE_TARGET) {
    return fail(
      `Your probe is right on ${point.correct} of ${point.total} validation photos (${(point.accuracy * 100).toFixed(1)} %): a linear probe on block 13 can reach ${PROBE_TARGET * 100} % or more.`,
      [
        'The probe has not learned enough yet: too few steps, too small a step size, or a loss that compares the wrong things.',
        'About 100 full-batch steps of Adam with a learning rate near 0.05 are enough; the loss compares train.y with the logits of train.x.',
      ],
    );
  }
  const stem = await api.score(probe, 'conv1_relu', 'imagenet');
  if (!probabilityRows(stem.probabilities, stem.point.total)) {
    return fail(
      `On the stem's 8 features your probe returned ${shapeOf(stem.probabilities)}: it must take the number of features from train.x.`,
      ['Every depth has its own number of features: size W from train.x.shape[1], not a fixed number.'],
    );
  }
  return pass(
    `Your probe is right on ${point.correct} of ${point.total} validation photos on block 13's features (${(point.accuracy * 100).toFixed(1)} %, 95 % interval ${(point.interval.low * 100).toFixed(1)}–${(point.interval.high * 100).toFixed(1)} %), and runs on the stem's 8 features too.`,
  );
}

/** Whether a probe's output is `photos` rows of 3 entries, none of them a list: rank 2, [photos, 3]. */
function probabilityRows(rows: unknown, photos: number): boolean {
  return (
    Array.isArray(rows) &&
    rows.length === photos &&
    rows.every((r) => Array.isArray(r) && r.length === 3 && !r.some((v) => Array.isArray(v)))
  );
}

/**
 * A probe's output as a shape, read along the first entries as tf writes it: [78, 3], [78] for one number per photo,
 * [78, 3, 1] for a class axis of its own, [] for a single number; an empty list as [0, 0], no rows and no columns.
 */
function shapeOf(value: unknown): string {
  if (!Array.isArray(value)) return '[] (a single number)';
  const dims: number[] = [];
  for (let v: unknown = value; Array.isArray(v); v = v[0]) dims.push(v.length);
  return `[${(dims[0] === 0 ? [0, 0] : dims).join(', ')}]`;
}

/** Lesson 3's named checks (`wb.check.<name>`). */
export default defineLessonChecks(({ session, evidence }) => ({
  /** Checks that `early` is an early layer with feature maps (≥ 56×56) and `late` a late one (7×7). */
  earlyAndLate: (model: AnyModel, early: string, late: string) =>
    earlyAndLate(asLayersModel(model, 'wb.check.earlyAndLate'), early, late),
  /** Checks that `channel` of `layer` is one of the 5 channels that prefer photos of `label` most (mean on them minus mean on the rest). */
  channelFor: (model: AnyModel, layer: string, channel: number, label: string) =>
    channelFor(session, asLayersModel(model, 'wb.check.channelFor'), layer, channel, label),
  /** Checks that your linear probe gives 3 probabilities per validation photo and reads block 13's features well. */
  linearProbe: (probe: Probe) => linearProbeCheck(evidence, probe),
}));
