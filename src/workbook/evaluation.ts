/**
 * `wb.evaluate(model)`: the model's answer for every validation photo (or training photo), scored by the engine's
 * summarize (src/ml/evaluate.ts: accuracy, loss, confusion matrix, precision and recall per class). Photos go
 * through the layers that training may have changed only: everything before them is unchanged pre-trained network,
 * whose activations the page's cache already holds (or computes once). For a head trained on a frozen base that
 * means a few milliseconds for all 78 validation photos.
 */
import * as tf from '@tensorflow/tfjs';
import type { PhotoEntry, PhotoSet, Split } from '../ml/dataset';
import { runChain } from '../ml/frozen';
import { layerIndex, type TransferModel } from '../ml/surgery';
import { runningCell } from '../runtime/globals';
import { type Evaluation, summarize } from '../ml/evaluate';
import { pageCache, type TrainingContext } from './training-context';
import { assertTransferModel } from './training';

/** Photos per forward pass. */
const BATCH = 32;

/**
 * The probabilities `tm` gives each photo, in order. Starts from cached activations of the last layer that is
 * still the pre-trained one (tm.modifiedFrom − 1, at most the cut); runs the rest in inference mode (no Dropout,
 * BatchNorm with its moving statistics), exactly as `predict` would.
 */
export async function predictEntries(
  tm: TransferModel, photos: PhotoSet, entries: readonly PhotoEntry[],
  options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<number[][]> {
  const from = Math.min(tm.modifiedFrom - 1, layerIndex(tm.model, tm.cutAt));
  const cache = pageCache(tm.source, photos);
  const layer = tm.model.layers[from]!.name;
  const results: number[][] = [];
  for (let s = 0; s < entries.length; s += BATCH) {
    options.signal?.throwIfAborted();
    const batch = entries.slice(s, s + BATCH);
    let input: tf.Tensor;
    if (from >= 1) {
      await cache.activations(layer, batch, false, undefined, options.signal);
      input = cache.stack(layer, batch);
    } else {
      input = await photos.batch(batch); // the whole network was trained: nothing of it can be cached
    }
    const out = tf.tidy(() => runChain(tm.model.layers.slice(Math.max(from, 0) + 1), input, { training: () => false }));
    input.dispose();
    const values = await out.data();
    const classes = out.shape.at(-1)!;
    out.dispose();
    batch.forEach((_, i) => results.push(Array.from(values.subarray(i * classes, (i + 1) * classes))));
    options.onProgress?.(Math.min(s + BATCH, entries.length), entries.length);
  }
  return results;
}

/** The evaluation tools of the facade. */
export class Evaluating {
  constructor(private readonly ctx: TrainingContext) {}

  /**
   * Scores `tm` on the validation photos (or `split: 'train'`): accuracy, the confusion matrix, precision and
   * recall per class, and the misclassified photos. Show them with `wb.confusionMatrix(evaluation)`,
   * `wb.classMetrics(evaluation)` and `wb.mistakes(evaluation)`.
   */
  async evaluate(tm: TransferModel, options: { split?: Split } = {}): Promise<Evaluation> {
    assertTransferModel(tm, 'wb.evaluate');
    const split = options.split ?? 'validation';
    if (split !== 'validation' && split !== 'train') throw new Error(`split must be 'validation' or 'train', not ${JSON.stringify(split)}`);
    const cell = runningCell();
    const photos = await this.ctx.photos();
    await this.ctx.tf();
    const entries = photos.select(split);
    const probabilities = await predictEntries(tm, photos, entries, {
      signal: cell?.signal,
      onProgress: (done, total) => cell?.progress(done, total, `evaluating on ${split} photos`),
    });
    return summarize(tm.labels, entries, probabilities);
  }
}
