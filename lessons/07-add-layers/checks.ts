/**
 * Lesson 7's checks: the head the learner composes by hand (lesson 4's alpaca_model with a hidden Dense(relu) layer
 * and Dropout before the classifier), judged by meaning (check-hidden.ts); and the learner's three augmentations,
 * judged by what they do to images (augment-checks.ts). Every failure carries a ladder: the idea, the API, almost the
 * line.
 */
import type * as tf from '@tensorflow/tfjs';
import { defineLessonChecks } from '../../src/workbook/checks-registry';
import { augmentations } from './augment-checks';
import { hiddenHead } from './check-hidden';

/** Lesson 7's named checks (`wb.check.<name>`). */
export default defineLessonChecks(({ session }) => ({
  /**
   * Checks your composed model: the frozen, pre-trained base, one hidden Dense(relu) layer, Dropout, a Dense layer
   * per label and a softmax, starting neutral (about 1/3 each).
   */
  hiddenHead: (model: tf.LayersModel) => hiddenHead(session, model),
  /** Checks your { flip, rotate, crop } by what they do: an exact mirror, a small turn about the centre, a square zoom. */
  augmentations,
}));
