/**
 * Lesson 4's check of the model the learner composes (the course's `alpaca_model`: input → base → Dropout → Dense(3)
 * → softmax). It judges the graph by meaning, from the engine's reading of it (src/ml/adopt.ts composedModelFacts):
 * the output shape, where the head sits, that its Dropout has a rate that drops something (more than 0, less than 1),
 * the trainable and frozen weight counts, and that every base weight is the pre-trained one (compared tensor by tensor
 * with the loaded model). Each mistake has its own hint ladder; those lesson 7's check shares are in checks-helpers.ts.
 */
import type * as tf from '@tensorflow/tfjs';
import { fail, pass, type CheckResult } from '../../src/workbook/checks';
import {
  composedFactsOrFail,
  count,
  FREEZE_LADDER,
  HEAD_FROZEN_LADDER,
  ONE_CHAIN_LADDER,
  PRETRAINED_LADDER,
} from '../../src/workbook/checks-helpers';
import type { Session } from '../../src/workbook/session';

/** The one rung for a cell that passes something other than a model. */
const NOT_A_MODEL = 'The check needs the model itself: the value tf.model(…) returned.';

/** The last rung of both Dropout-rate ladders: the course's rate, as the learner writes it. */
const COURSE_RATE =
  'tf.layers.dropout({ rate: 0.2 }) is the course’s Dropout(0.2): a fifth of the features off in each step.';
/** The ladder for a Dropout of rate 0 (or below): a Dropout that drops nothing. */
const DROPOUT_NONE = [
  'Dropout fights over-fitting by switching off a random share of the features in each training step (none at prediction); at rate 0 that share is nothing.',
  'The rate is that share, a number between 0 and 1 (tf.layers.dropout reads a rate below 0 as 0).',
  COURSE_RATE,
];
/** The ladder for a Dropout of rate 1 (or above): a Dropout asked to drop everything. */
const DROPOUT_ALL = [
  'Dropout switches off a random share of the features in each training step, so the head cannot lean on a few; it must leave some on to learn from.',
  'The rate is that share, a number between 0 and 1 (tf.layers.dropout reads a rate above 1 as 1, and does nothing at 1).',
  COURSE_RATE,
];

/** Returns whether `model` is the alpaca_model: 3-way output on the frozen, pre-trained base's pooled features. */
export async function composedModel(session: Session, model: tf.LayersModel): Promise<CheckResult> {
  const read = await composedFactsOrFail(session, model, NOT_A_MODEL);
  if ('pass' in read) return read;
  const { facts: f, labels } = read;
  const shape = JSON.stringify(f.outputShape);
  const last = f.outputShape.at(-1);
  if (f.outputShape.length === 2 && last === 256)
    return fail(
      `Your model ends at the pooled features: ${shape}, 256 numbers per photo, not ${labels} probabilities.`,
      [
        'A head turns the 256 features into one score per label: Dropout against over-fitting, a Dense layer with one unit per label, and a softmax that makes the scores probabilities.',
        'Apply each layer to the previous output, as in Keras: x = tf.layers.dropout({ … }).apply(x) as tf.SymbolicTensor, and the same for tf.layers.dense and tf.layers.activation.',
        `Chain three applies after base.apply(inputs): dropout with the course's rate, dense with units equal to wb.photos.labels.length, activation 'softmax'; outputs is the last one.`,
      ],
    );
  if (f.outputShape.length === 4)
    return fail(
      `Your model gives ${shape}: one answer per position of a 7 × 7 map, because the head sits on feature maps, not on the pooled features.`,
      [
        'The head goes on the pooled features: one list of 256 numbers per photo.',
        'wb.base(pretrained) (with no second argument) already ends at the pooling layer.',
        'Build the base with wb.base(pretrained, cutAt) using the cut you found above.',
      ],
    );
  if (last !== labels)
    return fail(
      last === 1000
        ? `Your model gives ${shape}: ImageNet's 1000 classes. The old head is still there.`
        : `Your model gives ${shape}: ${String(last)} numbers per photo, and we have ${labels} labels (${session.photos.labels.join(', ')}).`,
      [
        'The last layer with weights decides how many numbers come out: one per label.',
        'The Dense layer’s `units` is that number.',
        'units: wb.photos.labels.length',
      ],
    );
  if (f.adoptError)
    return fail(`The engine cannot read this model as a base with a head: ${f.adoptError}`, ONE_CHAIN_LADDER);
  if (f.pastTheCut.length)
    return fail(
      `Your base goes past the pooled features: it still holds ${f.pastTheCut.join(', ')}, the layers that answered ImageNet's question.`,
      [
        'Keras’s include_top=False drops the old classifier; the base should end at the pooled features.',
        'wb.base(pretrained, cutAt) copies the layers up to cutAt and no further.',
        'Pass the pooling layer’s name as cutAt (or leave it out: that is the default).',
      ],
    );
  const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
  if (f.dense.length !== 1 || f.dense[0]!.inputs !== 256)
    return fail(
      `The head should be one Dense layer on the 256 pooled features; yours has ${plural(f.dense.length, 'Dense layer')}${f.dense[0] ? ` (the first takes ${plural(f.dense[0].inputs, 'input')})` : ''}.`,
      [
        'Lesson 7 adds hidden layers; here the head is the simplest one: a single Dense layer.',
        'Between the base and the softmax: one Dropout and one tf.layers.dense.',
      ],
    );
  // wb.train takes the Dense layer's output as the logits (src/ml/train.ts logitLayers): a softmax there too would
  // be applied twice in training, however the model ends.
  const denseSoftmax = f.dense[0]!.activation === 'softmax';
  if (!f.endsInSoftmax || denseSoftmax)
    return fail(
      !denseSoftmax
        ? `Your model ends without a softmax: its outputs are scores, not probabilities that sum to 1.`
        : f.endsInSoftmax
          ? 'Your Dense layer applies the softmax itself, and your softmax layer applies it again: keep the Dense layer’s raw scores (the logits), and let the last layer alone make them probabilities.'
          : 'Your Dense layer applies the softmax itself: keep its raw scores (the logits) and add the softmax as its own layer.',
      [
        'Lesson 5 computes the loss from the logits, the Dense layer’s raw scores: the softmax must be a separate last layer.',
        "tf.layers.activation({ activation: 'softmax' }) is that layer (Keras: Activation('softmax')).",
        'Leave the Dense layer without an activation and apply the softmax layer to its output.',
      ],
    );
  if (!f.dropout.length)
    return fail('Your head has no Dropout between the pooled features and the Dense layer.', [
      'The course’s alpaca_model drops a fifth of the features at random while training, so the head cannot lean on a few.',
      'tf.layers.dropout({ rate }) is Keras’s Dropout(rate); apply it to the base’s output.',
    ]);
  // tf.layers.dropout reads a rate below 0 as 0 and one above 1 as 1, and drops only between them: a Dropout of rate
  // 0 or 1 is in the model but switches nothing off, so the head trains with no Dropout at all.
  const idle = f.dropout.find((rate) => rate <= 0 || rate >= 1);
  if (idle !== undefined)
    return idle <= 0
      ? fail(
          `Your Dropout has rate ${idle}: it switches off none of the features, so the head trains as if it had no Dropout and can lean on a few of them.`,
          DROPOUT_NONE,
        )
      : fail(
          `Your Dropout has rate ${idle}: that asks it to switch off every feature, leaving the Dense layer nothing to learn from (and tf.layers.dropout, rather than do that, switches off none).`,
          DROPOUT_ALL,
        );
  if (f.notPretrained)
    return fail(
      `The weights of ${f.notPretrained} are not the pre-trained ones: your base has forgotten what ImageNet taught it.`,
      PRETRAINED_LADDER,
    );
  if (f.trainable > f.headWeights)
    return fail(
      `${count(f.trainable)} weights would train: the head’s ${count(f.headWeights)} and the base’s too. Training would move the features ImageNet taught.`,
      FREEZE_LADDER,
    );
  if (f.trainable < f.headWeights)
    return fail(
      `Only ${count(f.trainable)} of the head’s ${count(f.headWeights)} weights can train: the head is frozen.`,
      HEAD_FROZEN_LADDER,
    );
  return pass(
    `Output ${shape}: one probability per label. ${count(f.trainable)} trainable weights, all in the head (256 × 3 + 3), ` +
      `and ${count(f.frozen)} frozen, every one the pre-trained weight; Dropout ${f.dropout.join(', ')} before the Dense layer.`,
  );
}
