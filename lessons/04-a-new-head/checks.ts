/**
 * Lesson 4's checks: where to cut the pre-trained model, and the new head: one probability per label, summing to 1,
 * and (untrained) a neutral start from small, random, different weights. Each judges the model by what it computes
 * on real photos, never by how it was built.
 */
import type * as tf from '@tensorflow/tfjs';
import { describeLayers, formatShape } from '../../src/ml/layers';
import { asLayersModel, type AnyModel } from '../../src/ml/surgery';
import { cellOutput } from '../../src/workbook/cell-output';
import { fail, pass, type CheckResult } from '../../src/workbook/checks';
import { count } from '../../src/workbook/checks-helpers';
import { defineLessonChecks } from '../../src/workbook/checks-registry';
import { composedModel } from './check-model';
import { predictProbabilities } from '../../src/workbook/classify';
import type { Session } from '../../src/workbook/session';

/** Returns whether `layer` is the pooled features, the right place to cut. */
export function cutPoint(model: tf.LayersModel, layer: string): CheckResult {
  const layers = describeLayers(model);
  const at = layers.find((l) => l.name === layer);
  if (!at)
    return fail(`There is no layer "${String(layer)}".`, [
      'The cut is a layer of the model, named as model.layers names it.',
      'Find the layer by what it is (its getClassName(), its outputShape) in model.layers, and pass its name.',
    ]);
  const preds = layers.find((l) => l.className === 'Conv2D' && l.outputShape.at(-1) === 1000) ?? layers.at(-1)!;
  const pooled = layers.find((l) => l.className === 'GlobalAveragePooling2D');
  const shape = formatShape(at.outputShape);
  if (at.index >= preds.index)
    return fail(
      `${layer} (${shape}) comes after ${preds.name}, the layer trained to score ImageNet's 1000 classes: cutting there keeps the old question.`,
      [
        'Cut before the classifier: from conv_preds on, the layers were trained to score ImageNet’s 1000 classes.',
        'The cut is the last layer whose output is one plain list of features per photo, before any classifier layer.',
      ],
    );
  if (pooled && at.index > pooled.index)
    return fail(
      `${layer} holds the same 256 numbers as ${pooled.name}, reshaped for the old 1×1-conv classifier (${shape}).`,
      [
        'This layer only reshapes the pooled features into a 1×1 grid for the old 1×1-convolution classifier.',
        'Step back to the layer that computes the average over the positions: its class is GlobalAveragePooling2D.',
      ],
    );
  if (at.outputShape.length === 3) {
    const hint =
      at.outputShape[0] === 7
        ? [
            'One layer later, the 7×7 positions are averaged into 256 numbers: that is the cut.',
            'The averaging layer is a GlobalAveragePooling2D: find it by its class in model.layers.',
          ]
        : [
            'Keep the later blocks too: they know fur, ears and faces.',
            'The cut comes after the last block, where each photo becomes one list of features: the pooling layer.',
          ];
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
 * Returns whether the model's head gives one probability per label, summing to 1. With `untrained`, also that it
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
        ? [
            'This is still the ImageNet head: cut the model and put a new layer with one unit per label on top.',
            'The new head is a Dense layer on the pooled features; wb.photos.labels lists the labels.',
          ]
        : [
            'The new layer needs one unit per label (cat, dog, other).',
            'Its units are the length of wb.photos.labels.',
          ];
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
        [
          'A classifier’s outputs must be probabilities: positive, and summing to 1 for each photo.',
          "End the head with a softmax (activation: 'softmax').",
        ],
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
      [
        'Its starting weights are too large: 256 positive features times weights of ±0.1 add up to logits several units apart.',
        'Start from small random weights: a standard deviation small enough that the logits stay within a few hundredths of each other.',
        'Set the Dense layer’s kernel to tf.randomNormal of the kernel’s own shape, mean 0 and that small standard deviation, and keep its bias.',
      ],
    );
  }
  const layer = lastKernelLayer(model);
  const kernel = layer?.getWeights()[0];
  if (layer && kernel) {
    const values = kernel.dataSync();
    const first = values[0]!;
    if (values.every((v) => v === first)) {
      return fail(
        `All ${count(values.length)} weights of ${layer.name} are ${first}: every class starts as an exact copy of the others.`,
        [
          'Equal weights give equal gradients, so the classes would stay copies of each other: random starts break that symmetry (see below).',
          'Give each weight its own small random value: tf.randomNormal(shape, mean, stddev, dtype, seed).',
        ],
      );
    }
  }
  const spread = probs.flatMap((row) => Array.from(row));
  return pass(
    `3 probabilities per photo, summing to 1, all between ${Math.min(...spread).toFixed(2)} and ${Math.max(...spread).toFixed(2)}: a neutral start, from weights that are small but all different.`,
  );
}

/** Lesson 4's named checks (`wb.check.<name>`). */
export default defineLessonChecks(({ session }) => ({
  /** Checks that `layer` is the pooled features, where the new head goes. */
  cutPoint: (model: AnyModel, layer: string) => cutPoint(asLayersModel(model, 'wb.check.cutPoint'), layer),
  /**
   * Checks that the model gives one probability per label (cat, dog, other), summing to 1.
   * @example await wb.check.headOutputs(model);
   */
  headOutputs: (model: AnyModel) => headOutputs(session, asLayersModel(model, 'wb.check.headOutputs')),
  /** Checks that your composed model is the alpaca_model: 3 outputs on the frozen, pre-trained base's pooled features. */
  composedModel: (model: tf.LayersModel) => composedModel(session, model),
  /** Checks as headOutputs, and that the untrained head starts neutral (≈ 1/3 each) from small, random, different weights. */
  untrainedHead: (model: AnyModel) =>
    headOutputs(session, asLayersModel(model, 'wb.check.untrainedHead'), { untrained: true }),
}));
