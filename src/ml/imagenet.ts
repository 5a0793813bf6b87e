/**
 * Reading the pre-trained model's answer. MobileNet's last layer is a softmax over the 1000 ImageNet classes; a
 * prediction is only meaningful next to those classes' names, and only its few most probable entries are worth
 * showing (the other 990-odd share the remaining probability).
 */
import * as tf from '@tensorflow/tfjs';
import { AssetLoadError } from './model';

/** One class of a prediction. */
export interface Prediction {
  /** Position in the model's output (the ImageNet class id). */
  index: number;
  name: string;
  probability: number;
}

/** Parses labels/imagenet_classes.json: a JSON array of class names, index = class id. Errors name the file. */
export function parseClassNames(bytes: Uint8Array | string, file: string): string[] {
  let names: unknown;
  try {
    names = JSON.parse(typeof bytes === 'string' ? bytes : new TextDecoder().decode(bytes));
  } catch (cause) {
    throw new AssetLoadError(file, `is not valid JSON (${(cause as Error).message})`, { cause });
  }
  if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string')) {
    throw new AssetLoadError(file, 'is not a JSON array of class names');
  }
  return names as string[];
}

/** The probabilities of one image as numbers: a 1-D array/tensor, or a [1, n] tensor (a batch of one). */
function toProbabilities(probs: ArrayLike<number> | tf.Tensor): ArrayLike<number> {
  if (!(probs instanceof tf.Tensor)) return probs;
  if (probs.rank === 1 || (probs.rank === 2 && probs.shape[0] === 1)) return probs.dataSync();
  throw new Error(
    `topK wants the probabilities of one image ([n] or [1, n]), got a tensor of shape [${probs.shape.join(', ')}]`,
  );
}

/**
 * The k most probable classes, most probable first. `names` must match the output size (1000 for ImageNet), so
 * a head with 3 classes cannot be read with ImageNet's names by mistake.
 */
export function topK(probs: ArrayLike<number> | tf.Tensor, k: number, names: readonly string[]): Prediction[] {
  const values = toProbabilities(probs);
  if (values.length !== names.length) {
    throw new Error(`topK: ${values.length} probabilities but ${names.length} class names`);
  }
  if (!Number.isInteger(k) || k < 1) throw new Error(`topK: k must be a positive integer, got ${k}`);
  // A partial selection would be faster, but sorting 1000 indices takes well under a millisecond.
  const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[b]! - values[a]! || a - b);
  return order.slice(0, k).map((index) => ({ index, name: names[index]!, probability: values[index]! }));
}
