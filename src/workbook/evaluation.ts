/**
 * `wb.evaluate(model)`: the model's answer for every validation photo (or training photo), scored by the engine's
 * summarize (src/ml/evaluate.ts: accuracy, loss, confusion matrix, precision and recall per class). Photos go
 * through the layers that training may have changed only (src/ml/evaluate.ts predictTransfer): everything before
 * them is unchanged pre-trained network, whose activations the page's cache already holds (or computes once).
 */
import type { Split } from '../ml/dataset';
import { asTransferModel, type TransferModel } from '../ml/surgery';
import { cellOutput } from './cell-output';
import { type Evaluation, predictTransfer, summarize } from '../ml/evaluate';
import type { Session } from './session';
import { noteEvaluation } from './figures';

/** The evaluation tools of the facade. */
export class Evaluating {
  constructor(private readonly session: Session) {}

  /**
   * Scores `tm` on the validation photos (or `split: 'train'`): accuracy, the confusion matrix, precision and
   * recall per class, and the misclassified photos. Show them with `wb.confusionMatrix(evaluation)`,
   * `wb.classMetrics(evaluation)` and `wb.mistakes(evaluation)`.
   */
  async evaluate(model: TransferModel, options: { split?: Split } = {}): Promise<Evaluation> {
    const tm = asTransferModel(model, 'wb.evaluate');
    const split = options.split ?? 'validation';
    if (split !== 'validation' && split !== 'train')
      throw new Error(`split must be 'validation' or 'train', not ${JSON.stringify(split)}`);
    const out = cellOutput();
    const photos = await this.session.photos;
    await this.session.tf();
    const entries = photos.select(split);
    const probabilities = await predictTransfer(tm, photos, entries, {
      signal: out.signal,
      onProgress: (done, total) => out.progress(done, total, `evaluating on ${split} photos`),
    });
    const evaluation = summarize(tm.labels, entries, probabilities);
    noteEvaluation(evaluation); // its figures, for the lesson's record (figures.ts)
    return evaluation;
  }
}
