/**
 * The one `wb.evaluate`: the course's photos (validation by default, or the training photos) or, given a photo set
 * such as `wb.own.photos()` returns, the learner's own photos. Keras has one `model.evaluate` for any dataset; the
 * workbook keeps that shape, so lesson 8's own classes are scored by the same call, the same engine
 * (src/ml/evaluate.ts predictTransfer and summarize) and the same displays (wb.showConfusionMatrix, wb.showMistakes).
 *
 *   const ev = await wb.evaluate(model);                         // the course's validation photos
 *   const tr = await wb.evaluate(model, { split: 'train' });      // its training photos
 *   const mine = await wb.evaluate(ownModel, await wb.own.photos()); // your own validation photos
 *
 * Own photos are not noted as figures for the lesson's record: they differ from learner to learner, so no prose
 * can quote them.
 */
import { PhotoSet } from '../ml/dataset';
import { predictTransfer, summarize, type Evaluation } from '../ml/evaluate';
import type { AnyModel } from '../ml/surgery';
import { cellOutput } from './cell-output';
import { what } from './checks-helpers';
import { evaluateSplit, type EvaluateOptions } from './evaluation';
import type { Session } from './session';

/** Whether a value is a photo set (the course's, or your own from wb.own.photos()). */
function isPhotoSet(value: unknown): value is PhotoSet {
  if (value instanceof PhotoSet) return true;
  const v = value as Partial<PhotoSet> | null;
  return typeof v === 'object' && v !== null && typeof v.select === 'function' && Array.isArray(v.labels);
}

/** The error for a second argument that is neither a photo set nor options, saying what each looks like. */
function badSecondArgument(value: unknown): Error {
  return new Error(
    `wb.evaluate's second argument is a photo set (your own: await wb.own.photos()) or options such as { split: 'train' }; got ${what(value)}`,
  );
}

/**
 * Scores `model` on the course's photos (`options.split`), or on the photos of `photos` when it is a photo set:
 * accuracy, loss, confusion matrix, precision and recall per class, the mistakes.
 */
export async function evaluateAny(
  session: Session,
  model: AnyModel,
  photos?: PhotoSet | EvaluateOptions,
  options: EvaluateOptions = {},
): Promise<Evaluation> {
  if (photos === undefined) return evaluateSplit(session, model, options);
  if (photos instanceof Promise || typeof photos !== 'object' || photos === null) throw badSecondArgument(photos);
  if (!isPhotoSet(photos)) {
    if (Object.keys(photos).some((k) => k !== 'split')) throw badSecondArgument(photos);
    return evaluateSplit(session, model, photos);
  }
  const tm = await session.transferModel(model, 'wb.evaluate');
  // The model's outputs must be these photos' classes (in any order: summarize reads the model's order).
  const same = (a: readonly string[]) => [...a].sort().join('\n');
  if (same(tm.labels) !== same(photos.labels))
    throw new Error(
      `this model's outputs are ${tm.labels.join(', ')} but the photos' classes are ${photos.labels.join(', ')}: ` +
        'evaluate a model made for these photos (wb.buildTransferModel(base, { labels: photos.labels }), trained on them)',
    );
  const split = options.split ?? 'validation';
  if (split !== 'validation' && split !== 'train')
    throw new Error(`split must be 'validation' or 'train', not ${JSON.stringify(split)}`);
  const entries = photos.select(split);
  if (entries.length === 0) throw new Error(`the photo set has no ${split} photos to evaluate on`);
  const out = cellOutput();
  await session.tf();
  const probabilities = await predictTransfer(tm, photos, entries, {
    signal: out.signal,
    onProgress: (done, total) => out.progress(done, total, `evaluating on your ${split} photos`),
  });
  return summarize(tm.labels, entries, probabilities);
}
