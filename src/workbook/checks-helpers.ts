/**
 * Small helpers the lessons' checks share to describe what they found in the learner's terms: a value of the wrong
 * kind ("a promise (add `await`)"), a count with its thousands separator, a short list, an ordinal; and the opening
 * that lessons 4 and 7 share when they judge a model the learner composed (composedFactsOrFail).
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
