/**
 * Lesson 4's check of the model the learner composes (the course's `alpaca_model`: input → base → Dropout → Dense(3)
 * → softmax). It judges the graph by meaning, from the engine's reading of it (src/ml/adopt.ts composedModelFacts):
 * the output shape, where the head sits, the trainable and frozen weight counts, and that every base weight is the
 * pre-trained one (compared tensor by tensor with the loaded model). Each mistake has its own hint ladder.
 */
import type * as tf from '@tensorflow/tfjs';
import { fail, pass, type CheckResult } from '../../src/workbook/checks';
import { composedFactsOrFail, count } from '../../src/workbook/checks-helpers';
import type { Session } from '../../src/workbook/session';

/** The one rung for a cell that passes something other than a model. */
const NOT_A_MODEL = 'The check needs the model itself: the value tf.model(…) returned.';

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
    return fail(`The engine cannot read this model as a base with a head: ${f.adoptError}`, [
      'Compose one chain: inputs → the base → the head layers, each applied once to the previous output.',
      'Start from const x = base.apply(inputs), where base = wb.base(pretrained).',
    ]);
  if (f.pastTheCut.length)
    return fail(
      `Your base goes past the pooled features: it still holds ${f.pastTheCut.join(', ')}, the layers that answered ImageNet's question.`,
      [
        'Keras’s include_top=False drops the old classifier; the base should end at the pooled features.',
        'wb.base(pretrained, cutAt) copies the layers up to cutAt and no further.',
        'Pass the pooling layer’s name as cutAt (or leave it out: that is the default).',
      ],
    );
  if (f.dense.length !== 1 || f.dense[0]!.inputs !== 256)
    return fail(
      `The head should be one Dense layer on the 256 pooled features; yours has ${f.dense.length} Dense layer${f.dense.length === 1 ? '' : 's'}${f.dense[0] ? ` (the first takes ${f.dense[0].inputs} inputs)` : ''}.`,
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
  if (f.notPretrained)
    return fail(
      `The weights of ${f.notPretrained} are not the pre-trained ones: your base has forgotten what ImageNet taught it.`,
      [
        'Transfer learning keeps the pre-trained weights: the base must be a copy of the loaded model, not new layers.',
        'wb.base(pretrained) gives copies with the pre-trained weights; build it again and leave its weights alone.',
      ],
    );
  if (f.trainable > f.headWeights)
    return fail(
      `${count(f.trainable)} weights would train: the head’s ${count(f.headWeights)} and the base’s too. Training would move the features ImageNet taught.`,
      [
        'Freeze the base: its weights stay as ImageNet trained them, and only the new head learns.',
        'A tfjs model has a `trainable` flag, like Keras’s base_model.trainable; setting it on the base freezes every layer inside.',
        'Set the base’s trainable flag to false before you compose the model.',
      ],
    );
  if (f.trainable < f.headWeights)
    return fail(
      `Only ${count(f.trainable)} of the head’s ${count(f.headWeights)} weights can train: the head is frozen.`,
      [
        'The new head starts random: it must stay trainable, or it never learns.',
        'Freeze the base only, not the layers you added.',
      ],
    );
  return pass(
    `Output ${shape}: one probability per label. ${count(f.trainable)} trainable weights, all in the head (256 × 3 + 3), ` +
      `and ${count(f.frozen)} frozen, every one the pre-trained weight; Dropout ${f.dropout.join(', ')} before the Dense layer.`,
  );
}
