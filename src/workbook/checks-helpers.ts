/**
 * Small helpers the lessons' checks share to describe what they found in the learner's terms: a value of the wrong
 * kind ("a promise (add `await`)"), a count with its thousands separator, a short list, an ordinal; and what lessons 4
 * and 7 share when they judge a model the learner composed: the opening (composedFactsOrFail) and the hint ladders of
 * the mistakes both lessons' models can make (one copy each, so the two lessons teach them in the same words).
 */
import * as tf from '@tensorflow/tfjs';
import { composedModelFacts, type ComposedModelFacts } from '../ml/adopt';
import { cellOutput } from './cell-output';
import { fail, type CheckResult } from './checks';
import type { Session } from './session';

/** Returns a count as the page writes it: 475,544. */
export const count = (x: number): string => x.toLocaleString('en-US');

/** Returns a description of a value a learner passed where something else was expected. */
export function what(value: unknown): string {
  if (value instanceof tf.Tensor) return `a tensor of shape [${value.shape.join(', ')}]`;
  if (value instanceof Promise) return 'a promise (add `await`)';
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') return `the string "${value}"`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** Returns "a, b, c and 4 more". */
export function listed(names: readonly string[], max = 3): string {
  return names.slice(0, max).join(', ') + (names.length > max ? ` and ${names.length - max} more` : '');
}

/** Returns 1st, 2nd, 3rd, 4th … */
export function ordinal(k: number): string {
  const suffix =
    k % 100 >= 11 && k % 100 <= 13 ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[k % 10] ?? 'th');
  return `${k}${suffix}`;
}

/**
 * The ladder for a composed model the engine cannot read as a base with a head (lessons 4 and 7): the model is not one
 * chain input → the base up to its pooled features → the head (two inputs or outputs, a base cut before the pooling
 * with the pooling redone by hand), so the learner reads how the head goes on the base.
 */
export const ONE_CHAIN_LADDER: readonly string[] = [
  'Compose one chain: inputs → the base → the head layers, each applied once to the previous output.',
  'Start from let x = base.apply(inputs), where base = wb.base(pretrained), and apply each head layer to x.',
];

/**
 * The ladder for a composed model whose base weights are not the pre-trained ones (lessons 4 and 7): the learner built
 * new layers, re-initialised or changed the copied ones, and so threw away what ImageNet taught, which is the whole
 * point of transfer learning.
 */
export const PRETRAINED_LADDER: readonly string[] = [
  'Transfer learning keeps the pre-trained weights: the base must be a copy of the loaded model, not new layers.',
  'wb.base(pretrained) gives copies with the pre-trained weights; build it again and leave its weights alone.',
];

/**
 * The ladder for a composed model whose base would train with the head (lessons 4 and 7): the learner left out
 * base.trainable = false (Keras's base_model.trainable = False), so training on a few hundred photos would move the
 * features ImageNet taught.
 */
export const FREEZE_LADDER: readonly string[] = [
  'Freeze the base: its weights stay as ImageNet trained them, and only the new head learns.',
  'A tfjs model has a `trainable` flag, like Keras’s base_model.trainable; setting it on the base freezes every layer inside.',
  'Set the base’s trainable flag to false before you compose the model.',
];

/**
 * The ladder for a composed model whose new head is (partly) frozen (lessons 4 and 7): the learner froze a layer they
 * added, or the whole model, and a layer that starts random and never trains stays random.
 */
export const HEAD_FROZEN_LADDER: readonly string[] = [
  'The new layers start random: they must stay trainable, or they never learn.',
  'Freeze the base only, not the layers you added.',
];

/** What composedFactsOrFail read from a model the learner composed: the engine's facts and the labels it must end in. */
export interface ComposedRead {
  /** The engine's reading of the learner's model against the loaded pre-trained one (src/ml/adopt.ts). */
  facts: ComposedModelFacts;
  /** How many labels the photo set has: the number of probabilities the model should give per photo. */
  labels: number;
}

/**
 * Returns the engine's facts about `model`, a model the learner composed on the pre-trained base, with the labels
 * count; or the fail verdict when `model` is not a model at all (a promise, a tensor, the builder function), whose one
 * hint is `notAModelHint` (each lesson words it for its own cell). Lessons 4 and 7 open their checks with this, then
 * judge the facts each in their own order.
 */
export async function composedFactsOrFail(
  session: Session,
  model: unknown,
  notAModelHint: string,
): Promise<ComposedRead | CheckResult> {
  // Anything without a layers array would throw deep inside the engine; the learner reads what they passed instead.
  if (!model || typeof model !== 'object' || !Array.isArray((model as tf.LayersModel).layers))
    return fail(`Pass the model you composed with tf.model({ inputs, outputs }); got ${what(model)}.`, [notAModelHint]);
  // The facts compare the learner's base with the loaded model tensor by tensor; the session loads it once.
  const pretrained = await session.loadModel(cellOutput(null));
  return { facts: composedModelFacts(model as tf.LayersModel, pretrained), labels: session.photos.labels.length };
}
