/**
 * Accuracies as a learner should read them: with how many photos they rest on and a 95 % interval. With 78
 * validation photos one photo is 1.3 points, and a Wilson interval around 88 % spans about 15 points, so "88 % vs
 * 91 %" is three photos and says little. When two models are compared on the *same* photos, pairing is sharper than
 * two overlapping intervals: only the photos where they disagree carry evidence (McNemar's test, src/ml/stats.ts).
 *
 *   wb.compare(modelA, modelB)      // both on the validation photos: who is right where, and is it more than noise?
 */
import { evaluate, type Evaluation } from '../ml/evaluate';
import { pairedComparison, wilsonInterval, type Interval, type PairedComparison } from '../ml/stats';
import { asLayersModel, type AnyModel } from '../ml/surgery';
import { cellOutput } from './cell-output';
import { percent, textTable, workbookElement } from './dom';
import type { Session } from './session';

/** TensorFlow.js on the page's backend, ready (the facade started it before any cell ran). */
export async function tfReady(): Promise<typeof import('@tensorflow/tfjs')> {
  const tfjs = await import('@tensorflow/tfjs');
  await tfjs.ready();
  return tfjs;
}

/** correct/total from an accuracy measured on `total` photos (the runs keep the fraction; the count is exact). */
export function countOf(accuracy: number, total: number): number {
  return Math.round(accuracy * total);
}

/** "87.2 % [77.9 %, 92.9 %] · 68/78": the accuracy, its Wilson 95 % interval and what it rests on. */
export function accuracyText(correct: number, total: number): string {
  if (!(total > 0)) return '–';
  const i = wilsonInterval(correct, total);
  return `${percent(i.estimate)} [${percent(i.low)}, ${percent(i.high)}] · ${correct}/${total}`;
}

/** An accuracy kept as a fraction (a run's valAcc) written with its interval and count, as accuracyText. */
export function accuracyOf(accuracy: number, total: number): string {
  return Number.isFinite(accuracy) && total > 0 ? accuracyText(countOf(accuracy, total), total) : '–';
}

/** The interval of an accuracy measured on `total` photos. */
export function intervalOf(accuracy: number, total: number): Interval {
  return wilsonInterval(countOf(accuracy, total), total);
}

/** Per photo, in order: did the evaluation's prediction match the label? */
export function rightPerPhoto(evaluation: Evaluation): boolean[] {
  return evaluation.predictions.map((p) => p.predicted === p.label);
}

/** Two evaluations on the same photos, paired (they must list the same photos in the same order). */
export function compareEvaluations(a: Evaluation, b: Evaluation): PairedComparison {
  const filesA = a.predictions.map((p) => p.file).join('\n');
  if (filesA !== b.predictions.map((p) => p.file).join('\n'))
    throw new Error(
      'the two evaluations were not on the same photos: a paired comparison needs the same photos for both',
    );
  return pairedComparison(rightPerPhoto(a), rightPerPhoto(b));
}

/** The sentence a learner reads under a comparison: the difference, where it comes from, and whether it is noise. */
export function noiseVerdict(c: PairedComparison, nameA: string, nameB: string, photos: number): string {
  const points = Math.abs(c.difference * 100).toFixed(1);
  const better = c.difference > 0 ? nameA : nameB;
  const disagree = `${nameA} alone is right on ${c.onlyA} photo${c.onlyA === 1 ? '' : 's'}, ${nameB} alone on ${c.onlyB}`;
  if (c.difference === 0) return `Same accuracy on these ${photos} photos (${disagree}): no difference to explain.`;
  return c.insideNoise
    ? `${better} is ${points} points ahead, but that is inside the noise of ${photos} photos (${disagree}; McNemar p = ${c.pValue.toFixed(2)}): these photos cannot tell the two apart.`
    : `${better} is ${points} points ahead, more than chance explains (${disagree}; McNemar p = ${c.pValue.toFixed(3)}).`;
}

/** A comparison view: both accuracies with intervals, and the paired verdict. */
export function comparisonView(a: Evaluation, b: Evaluation, nameA: string, nameB: string): HTMLElement {
  const c = compareEvaluations(a, b);
  const view = workbookElement('div', 'paired-comparison');
  view.dataset.insideNoise = String(c.insideNoise);
  view.dataset.pValue = c.pValue.toFixed(4);
  const total = a.predictions.length;
  const correct = (e: Evaluation) => total - e.misclassified.length;
  view.append(
    textTable(
      `${nameA} vs ${nameB} on the same ${total} validation photos`,
      ['', 'validation accuracy [95 % interval] · correct/total'],
      [
        [nameA, accuracyText(correct(a), total)],
        [nameB, accuracyText(correct(b), total)],
      ],
    ),
  );
  const p = document.createElement('p');
  p.className = 'wb-note';
  p.textContent = noiseVerdict(c, nameA, nameB, total);
  view.append(p);
  return view;
}

/**
 * `wb.compare`: two models scored on the same validation photos, through the whole network (so a model whose
 * frozen layers changed, as in lesson 6's naive fit, is scored as it now is), paired.
 */
export function compareApi(session: Session) {
  return async (
    a: AnyModel,
    b: AnyModel,
    names: [string, string] = ['A', 'B'],
  ): Promise<PairedComparison & { a: Evaluation; b: Evaluation }> => {
    const out = cellOutput();
    await tfReady();
    const models = [asLayersModel(a, 'wb.compare'), asLayersModel(b, 'wb.compare')];
    out.progress(0, 'scoring both models on the validation photos…');
    const evA = await evaluate(models[0]!, session.photos);
    out.throwIfStopped();
    const evB = await evaluate(models[1]!, session.photos);
    out.progress(1, 'scored');
    out.show(() => comparisonView(evA, evB, names[0], names[1]));
    return { ...compareEvaluations(evA, evB), a: evA, b: evB };
  };
}
