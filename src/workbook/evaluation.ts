/**
 * `wb.evaluate(model)`: the model's answer for every validation photo (or training photo), scored by the engine's
 * summarize (src/ml/evaluate.ts: accuracy, loss, confusion matrix, precision and recall per class). Photos go
 * through the layers that training may have changed only (src/ml/evaluate.ts predictTransfer): everything before
 * them is unchanged pre-trained network, whose activations the page's cache already holds (or computes once).
 */
import type { Split } from '../ml/dataset';
import { asTransferModel, type TransferModel } from '../ml/surgery';
import { runningCell } from '../runtime/globals';
import { type Evaluation, predictTransfer, summarize } from '../ml/evaluate';
import type { TrainingContext } from './training-context';

/** The evaluation tools of the facade. */
export class Evaluating {
  constructor(private readonly ctx: TrainingContext) {}

  /**
   * Scores `tm` on the validation photos (or `split: 'train'`): accuracy, the confusion matrix, precision and
   * recall per class, and the misclassified photos. Show them with `wb.confusionMatrix(evaluation)`,
   * `wb.classMetrics(evaluation)` and `wb.mistakes(evaluation)`.
   */
  async evaluate(model: TransferModel, options: { split?: Split } = {}): Promise<Evaluation> {
    const tm = asTransferModel(model, 'wb.evaluate');
    const split = options.split ?? 'validation';
    if (split !== 'validation' && split !== 'train') throw new Error(`split must be 'validation' or 'train', not ${JSON.stringify(split)}`);
    const cell = runningCell();
    const photos = await this.ctx.photos();
    await this.ctx.tf();
    const entries = photos.select(split);
    const probabilities = await predictTransfer(tm, photos, entries, {
      signal: cell?.signal,
      onProgress: (done, total) => cell?.progress(done, total, `evaluating on ${split} photos`),
    });
    return summarize(tm.labels, entries, probabilities);
  }
}
