/**
 * Lesson 7's checks: the head the learner built has a hidden Dense(relu) layer and Dropout before the classifier,
 * judged from the model's layers and their configuration; and the learner's three augmentations, judged by what they
 * do to images (augment-checks.ts). Every failure carries a ladder: the idea, the API, almost the line.
 */
import type * as tf from '@tensorflow/tfjs';
import { layerIndex, type TransferModel } from '../../src/ml/surgery';
import { fail, pass, type CheckResult } from '../../src/workbook/checks';
import { count, what } from '../../src/workbook/checks-helpers';
import { defineLessonChecks } from '../../src/workbook/checks-registry';
import { percent } from '../../src/workbook/dom';
import { augmentations } from './augment-checks';

/** The LayersModel inside a transfer model (or the model itself). */
function layersOf(model: TransferModel | tf.LayersModel): tf.LayersModel | null {
  const m = (model as TransferModel)?.model ?? model;
  return m && Array.isArray((m as tf.LayersModel).layers) ? (m as tf.LayersModel) : null;
}

/** The first rung of every hidden-layer ladder, and the API rung. */
const IDEA =
  'A hidden layer is a Dense layer between the 256 pooled features and the 3-way classifier; its ReLU lets the head combine features ("pointed ears and whiskers") before it decides.';
const API =
  'wb.buildTransferModel(base, options) builds the head from its options: hover it in the editor for the option that adds a hidden Dense(relu) layer and the one that sets Dropout after it.';

/**
 * Lesson 7: the head has a hidden Dense(relu) layer of a sensible width (more units than outputs, fewer than the
 * training photos) and Dropout (0 < rate < 0.9) before the classifier. `trainPhotos` sets the upper bound.
 */
export function hiddenHead(model: TransferModel, trainPhotos = 234): CheckResult {
  const m = layersOf(model);
  if (!m || typeof (model as TransferModel).cutAt !== 'string')
    return fail(`Pass the transfer model (from wb.buildTransferModel); got ${what(model)}.`, [
      'The check reads the layers of the model you built: pass that model, the whole transfer model.',
      'wb.buildTransferModel(base, …) returns it; its .model is the tf.LayersModel inside.',
      'Pass hiddenModel itself, not hiddenModel.model.',
    ]);
  const head = m.layers.slice(layerIndex(m, (model as TransferModel).cutAt) + 1);
  const dense = head.filter((l) => l.getClassName() === 'Dense');
  const outputs = m.outputs[0]!.shape.at(-1) ?? 0;
  if (dense.length < 2)
    return fail(
      `The head has ${dense.length} Dense layer${dense.length === 1 ? '' : 's'}: only the classifier, no hidden layer yet.`,
      [
        IDEA,
        API,
        `Give the hidden option a number of units: more than the ${outputs} outputs, and few enough that ${trainPhotos} photos can pin their weights down (a few dozen to a couple of hundred).`,
      ],
    );
  const hidden = dense[0]!;
  const config = hidden.getConfig() as { units: number; activation: string };
  if (config.activation !== 'relu')
    return fail(
      `The hidden layer's activation is ${config.activation}: without a non-linearity two Dense layers are one linear map.`,
      [IDEA, API, 'The hidden layer needs activation relu.'],
    );
  if (config.units <= outputs)
    return fail(
      `A hidden layer of ${config.units} unit${config.units === 1 ? '' : 's'} is a bottleneck: it can carry no more than the ${outputs} outputs already decide.`,
      [
        IDEA,
        'The hidden option is the number of units of the hidden layer.',
        `Make it wider than ${outputs}: a few dozen units at least.`,
      ],
    );
  if (config.units > 1024)
    return fail(
      `${count(config.units)} hidden units: ${count(hidden.countParams() + config.units * outputs + outputs)} weights for ${trainPhotos} training photos. This head can memorise them, and this lesson's next section shows what that does.`,
      [
        IDEA,
        'The hidden option is the number of units of the hidden layer.',
        'A few dozen to a couple of hundred units is enough for 256 features.',
      ],
    );
  const dropout = head.find((l) => l.getClassName() === 'Dropout');
  const rate = (dropout?.getConfig() as { rate?: number } | undefined)?.rate ?? 0;
  const dropoutHints = [
    'Dropout switches off a random share of the hidden units in each training step (none at prediction), so no unit can count on another: the head has to spread what it knows.',
    'The dropout option of wb.buildTransferModel is that share, a number between 0 and 1.',
    'The course puts Dropout(0.2) before its classifier; with a hidden layer on a few hundred photos, rates up to a half are common.',
  ];
  if (!dropout || !(rate > 0))
    return fail(
      `A hidden layer of ${config.units} units without Dropout: on ${trainPhotos} photos it will memorise them.`,
      dropoutHints,
    );
  if (rate >= 0.9)
    return fail(`Dropout ${rate} switches off nearly every unit: almost nothing reaches the classifier.`, dropoutHints);
  const features = hidden.getWeights()[0]?.shape[0] ?? 0;
  const linear = features * outputs + outputs;
  return pass(
    `Head: ${head.map((l) => l.getClassName()).join(' → ')}: ${config.units} hidden units (relu), ${percent(rate, 0)} of them dropped at random in each training step, then ${outputs} outputs. ` +
      `${count(head.reduce((s, l) => s + l.countParams(), 0))} weights to learn, where a linear head on the same ${features} features has ${count(linear)}.`,
  );
}

/** Lesson 7's named checks (`wb.check.<name>`). */
export default defineLessonChecks(({ session }) => ({
  /** Checks that the head has a hidden Dense(relu) layer of a sensible width and Dropout before the classifier. */
  hiddenHead: (model: TransferModel) => hiddenHead(model, session.photos.select('train').length),
  /** Checks your { flip, rotate, crop } by what they do: an exact mirror, a small turn about the centre, a square zoom. */
  augmentations,
}));
