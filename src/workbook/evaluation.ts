/**
 * `wb.evaluate(model)`: the model's answer for every photo of a labelled split (validation by default, or the
 * training photos), scored by the engine's summarize (src/ml/evaluate.ts: accuracy, loss, confusion matrix,
 * precision and recall per class). Photos go through the layers that training may have changed only
 * (src/ml/evaluate.ts predictTransfer): everything before them is unchanged pre-trained network, whose activations
 * the page's cache already holds (or computes once). The test split is not here: wb.scoreTest looks at it, once.
 */
import type { Split } from '../ml/dataset';
import type { AnyModel } from '../ml/surgery';
import { cellOutput } from './cell-output';
import { type Evaluation, predictTransfer, summarize } from '../ml/evaluate';
import type { Session } from './session';
import { noteEvaluation } from './figures';

/** Options of wb.evaluate. */
export interface EvaluateOptions {
  /** Which labelled split to score: 'validation' (the default, for choices) or 'train'. */
  split?: 'validation' | 'train';
}

/**
 * Scores `model` on a labelled split: accuracy, loss, the confusion matrix, precision and recall per class, and the
 * misclassified photos. The model is a transfer model or the learner's own LayersModel (session.transferModel).
 */
export async function evaluateSplit(
  session: Session,
  model: AnyModel,
  options: EvaluateOptions = {},
  where = 'wb.evaluate',
): Promise<Evaluation> {
  const tm = await session.transferModel(model, where);
  const split: Split = options.split ?? 'validation';
  if (split !== 'validation' && split !== 'train')
    throw new Error(
      `split must be 'validation' or 'train', not ${JSON.stringify(split)}: the test photos are scored once, by wb.scoreTest`,
    );
  const out = cellOutput();
  await session.tf();
  const entries = session.photos.select(split);
  const probabilities = await predictTransfer(tm, session.photos, entries, {
    signal: out.signal,
    onProgress: (done, total) => out.progress(done, total, `evaluating on ${split} photos`),
  });
  const evaluation = summarize(tm.labels, entries, probabilities);
  noteEvaluation(evaluation); // its figures, for the lesson's record (figures.ts)
  return evaluation;
}
