/**
 * Small helpers the lessons' checks share to describe what they found in the learner's terms: a value of the wrong
 * kind ("a promise (add `await`)"), a count with its thousands separator, a short list, an ordinal.
 */
import * as tf from '@tensorflow/tfjs';

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
