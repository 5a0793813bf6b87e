/**
 * Lesson 7's check of the head the learner builds by hand: lesson 4's alpaca_model with a hidden layer, as Keras's
 * "add layers" step (input → base → Dense(units, relu) → Dropout → Dense(3) → softmax). It judges the graph by
 * meaning, from the engine's reading of it (src/ml/adopt.ts composedModelFacts): the output, where each head layer
 * sits, the hidden layer's activation and width, the Dropout, the trainable and frozen weight counts, that every base
 * weight is the pre-trained one, and what the untrained model says about real photos (about 1/3 each).
 */
import type * as tf from '@tensorflow/tfjs';
import type { HeadLayerFact } from '../../src/ml/adopt';
import { cellOutput } from '../../src/workbook/cell-output';
import { fail, pass, type CheckResult } from '../../src/workbook/checks';
import {
  composedFactsOrFail,
  count,
  FREEZE_LADDER,
  HEAD_FROZEN_LADDER,
  ONE_CHAIN_LADDER,
  PRETRAINED_LADDER,
} from '../../src/workbook/checks-helpers';
import { predictProbabilities } from '../../src/workbook/classify';
import type { Session } from '../../src/workbook/session';

/** The first rung of every hidden-layer ladder: why a hidden layer, and where it goes. */
const IDEA =
  'A hidden layer is a Dense layer between the 256 pooled features and the 3-way classifier; its ReLU lets the head combine features ("pointed ears and whiskers") before it decides.';
/** The API rung: the same functional-API step as lesson 4's, one layer more. */
const API =
  "Apply it like lesson 4's layers, to the base's output: x = tf.layers.dense({ units, activation }).apply(x) as tf.SymbolicTensor (Keras: x = tfl.Dense(units, activation='relu')(x)).";
/** The one rung for a cell that passes something other than a model. */
const NOT_A_MODEL = 'The check reads the layers of the model you built: pass the value tf.model(…) returned.';

const isDense = (l: HeadLayerFact) => l.className === 'Dense';
/** Whether layer `i` of the head is followed by a ReLU: its own activation, or a ReLU/Activation layer right after. */
function reluAt(head: readonly HeadLayerFact[], i: number): boolean {
  const next = head[i + 1];
  return (
    head[i]!.activation === 'relu' ||
    (head[i]!.activation === 'linear' &&
      (next?.className === 'ReLU' || (next?.className === 'Activation' && next.activation === 'relu')))
  );
}

/**
 * Returns whether `model` is input → the frozen, pre-trained base → one hidden Dense(relu) of more units than labels
 * → Dropout → Dense(labels) → softmax, starting neutral (every probability of six real photos within 0.1 of 1/3).
 */
export async function hiddenHead(session: Session, model: tf.LayersModel): Promise<CheckResult> {
  const read = await composedFactsOrFail(session, model, NOT_A_MODEL);
  if ('pass' in read) return read;
  const { facts: f, labels } = read;
  if (f.adoptError)
    return fail(`The engine cannot read this model as a base with a head: ${f.adoptError}`, ONE_CHAIN_LADDER);
  const dense = f.head.map((l, i) => ({ ...l, i })).filter(isDense);
  // The hidden layer after the classifier: an earlier Dense gives one score per label, and the last Dense does not.
  if (dense.length > 1 && dense.at(-1)!.units !== labels && dense.slice(0, -1).some((d) => d.units === labels))
    return fail(
      `Your hidden layer comes after the ${labels}-way classifier: the head squeezes the 256 features into ${labels} scores first, and a layer after that has only those ${labels} numbers to combine.`,
      [
        'The hidden layer combines the pooled features, so it goes between the base and the classifier: features → hidden → classifier.',
        'Apply the hidden Dense layer (and its Dropout) to the base’s output, before the Dense layer with one unit per label.',
        'Move your two lines up, right after let x = base.apply(inputs): the classifier is then applied to their output.',
      ],
    );
  const last = f.outputShape.at(-1);
  if (f.outputShape.length !== 2 || last !== labels)
    return fail(
      `Your model gives ${JSON.stringify(f.outputShape)}: ${f.outputShape.slice(1).join(' × ')} numbers per photo, and we have ${labels} labels.`,
      [
        'The last Dense layer decides how many numbers come out: one per label, then a softmax.',
        'End with tf.layers.dense({ units: wb.photos.labels.length }) and the softmax layer, as in lesson 4.',
      ],
    );
  if (f.pastTheCut.length)
    return fail(`Your base goes past the pooled features: it still holds ${f.pastTheCut.join(', ')}.`, [
      'The base ends at the pooled features (Keras: include_top=False).',
      'wb.base(pretrained) copies the layers up to the pooling layer and no further.',
    ]);
  const hidden = dense.slice(0, -1);
  if (hidden.length === 0)
    return fail('Your head has one Dense layer, the classifier: no hidden layer yet.', [
      IDEA,
      API,
      `Between base.apply(inputs) and the classifier: a Dense layer with ReLU, wider than the ${labels} outputs and narrow enough for ${session.photos.select('train').length} photos to pin down, then tf.layers.dropout with the share to switch off.`,
    ]);
  if (hidden.length > 1)
    return fail(
      `Your head has ${hidden.length} hidden Dense layers (${hidden.map((d) => d.units).join(', ')} units): this exercise asks for one, and each adds weights that a few hundred photos must pin down.`,
      [
        IDEA,
        'Keep one tf.layers.dense between the base and the classifier, and one tf.layers.dropout after it.',
        'Delete the extra Dense line: base.apply(inputs) → your hidden Dense → Dropout → the classifier.',
      ],
    );
  const h = hidden[0]!;
  if (!reluAt(f.head, h.i)) {
    // A linear hidden layer followed by an Activation layer of its own (tf.layers.activation({ activation: 'tanh' }))
    // has that layer's function: name it, rather than telling the learner there is none.
    const next = f.head[h.i + 1]!;
    const act = h.activation === 'linear' && next.className === 'Activation' ? next.activation : h.activation;
    return fail(
      act === 'linear'
        ? `Your hidden layer has no activation: two Dense layers in a row with nothing between them are one linear map (W₂(W₁x + b₁) + b₂ = Wx + b), so the head is still a linear classifier, with more weights.`
        : `Your hidden layer uses ${String(act)}; this head, like the course's, uses ReLU: it keeps positive evidence as it is and cuts the rest to 0, and its gradient does not fade for large inputs.`,
      [
        'A non-linearity between the two Dense layers is what lets the head combine features: without it, adding a layer adds nothing.',
        "tf.layers.dense takes an activation option, as Keras's Dense(units, activation='relu').",
        "Give the hidden Dense layer activation: 'relu'.",
      ],
    );
  }
  const units = h.units ?? 0;
  if (units <= labels)
    return fail(
      `A hidden layer of ${units} unit${units === 1 ? '' : 's'} is a bottleneck: it can carry no more than the ${labels} outputs already decide, so the head can combine nothing new.`,
      [
        IDEA,
        'Its units option is the width of the hidden layer.',
        `Make it wider than ${labels}: a few dozen units at least.`,
      ],
    );
  if (units > 1024)
    return fail(
      `${count(units)} hidden units: ${count(f.headWeights)} weights for ${session.photos.select('train').length} training photos. This head can memorise them, and this lesson's next section shows what that does.`,
      [
        IDEA,
        'Its units option is the width of the hidden layer.',
        'A few dozen to a couple of hundred units is enough for 256 features.',
      ],
    );
  if (!f.endsInSoftmax || dense.at(-1)!.activation !== 'linear')
    return fail(
      'Your classifier should give its raw scores (logits) and a separate softmax layer should end the model, as in lesson 4.',
      [
        'wb.train computes the loss from the logits, the last Dense layer’s raw scores: the softmax must be a layer of its own.',
        "End with tf.layers.activation({ activation: 'softmax' }) applied to the classifier’s output.",
      ],
    );
  const dropHints = [
    'Dropout switches off a random share of the hidden units in each training step (none at prediction), so no unit can count on another: the head has to spread what it knows.',
    'tf.layers.dropout({ rate }) is Keras’s Dropout(rate): apply it to the hidden layer’s output, before the classifier.',
    'The course puts Dropout(0.2) before its classifier; with a hidden layer on a few hundred photos, rates up to a half are common.',
  ];
  const drop = f.head.findIndex((l) => l.className === 'Dropout' && (l.rate ?? 0) > 0);
  if (drop < 0 || drop > dense.at(-1)!.i)
    return fail(
      drop < 0
        ? `A hidden layer of ${units} units without Dropout: on ${session.photos.select('train').length} photos it will memorise them.`
        : 'Your Dropout comes after the classifier: it would switch off class scores, not hidden units.',
      dropHints,
    );
  const rate = f.head[drop]!.rate!;
  // tf.layers.dropout drops only at rates strictly between 0 and 1: asked for 1 (or more) it switches off nothing.
  if (rate >= 1)
    return fail(
      `Dropout ${rate} asks to switch off every hidden unit, and tf.layers.dropout, rather than do that, switches off none: the head trains as if it had no Dropout.`,
      dropHints,
    );
  if (rate >= 0.9)
    return fail(`Dropout ${rate} switches off nearly every unit: almost nothing reaches the classifier.`, dropHints);
  if (f.notPretrained)
    return fail(
      `The weights of ${f.notPretrained} are not the pre-trained ones: your base has forgotten ImageNet.`,
      PRETRAINED_LADDER,
    );
  if (f.trainable > f.headWeights)
    return fail(
      `${count(f.trainable)} weights would train: the head’s ${count(f.headWeights)} and the base’s too. Training the base on ${session.photos.select('train').length} photos would move the features ImageNet taught.`,
      FREEZE_LADDER,
    );
  if (f.trainable < f.headWeights)
    return fail(
      `Only ${count(f.trainable)} of the head’s ${count(f.headWeights)} weights can train: part of the head is frozen.`,
      HEAD_FROZEN_LADDER,
    );
  const photos = session.photos.labels.flatMap((l) =>
    session.photos
      .select('validation')
      .filter((p) => p.label === l)
      .slice(0, 2),
  );
  const probs = await predictProbabilities(session, model, photos, cellOutput(null), 'checking');
  const spread = probs.flatMap((row) => Array.from(row));
  const far = probs.findIndex((row) => row.some((p) => Math.abs(p - 1 / 3) > 0.1));
  if (far >= 0)
    return fail(
      `Untrained, your head already has strong opinions: [${Array.from(probs[far]!, (p) => p.toFixed(2)).join(', ')}] for ${photos[far]!.file}. A fresh head should say “no idea”: about 1/3 each.`,
      [
        'Lesson 4’s neutral start: the classifier starts from small random weights, so its logits stay close and every probability near 1/3.',
        'The classifier’s kernelInitializer sets its start: tf.initializers.randomNormal with a tiny standard deviation.',
        'Keep the starter’s classifier as it is: kernelInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 0.001, seed: 42 }).',
      ],
    );
  const shape = f.head.map((l) =>
    l.className === 'Dense'
      ? `Dense(${l.units}${l.activation === 'linear' ? '' : `, ${l.activation}`})`
      : l.className === 'Dropout'
        ? `Dropout(${l.rate})`
        : l.className === 'Activation'
          ? String(l.activation)
          : l.className,
  );
  return pass(
    `Head: ${shape.join(' → ')}: ${units} hidden units, ${count(f.trainable)} weights to learn (a linear head on the same features has ${count(f.dense[0]!.inputs * labels + labels)}), ` +
      `${count(f.frozen)} frozen, every one the pre-trained weight. Untrained, it says “no idea”: every probability between ${Math.min(...spread).toFixed(2)} and ${Math.max(...spread).toFixed(2)}.`,
  );
}
