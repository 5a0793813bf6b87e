/**
 * A hand-made evaluation for the checks that read one (recall, precision): written as the confusion matrix a test
 * wants, built by the engine's own summarize (src/ml/evaluate.ts) from one made-up photo per cell count, so every
 * other field (accuracy, per-class precision and recall, the misclassified photos) agrees with the matrix.
 */
import type { PhotoEntry } from '../../src/ml/dataset';
import { summarize, type Evaluation } from '../../src/ml/evaluate';

/**
 * Returns the evaluation whose confusion matrix is `confusion` (confusion[true][predicted], as Evaluation has it):
 * for each count, that many photos of the row's label whose highest score is the column's label.
 */
export function evaluationFrom(
  confusion: readonly (readonly number[])[],
  labels = ['cat', 'dog', 'other'],
): Evaluation {
  if (confusion.length !== labels.length || confusion.some((row) => row.length !== labels.length))
    throw new Error(`evaluationFrom: a ${labels.length} × ${labels.length} matrix for ${labels.join(', ')}`);
  const entries: PhotoEntry[] = [];
  const scores: number[][] = [];
  confusion.forEach((row, truth) =>
    row.forEach((n, predicted) => {
      for (let i = 0; i < n; i++) {
        const label = labels[truth]!;
        entries.push({ file: `${label}/hand-${predicted}-${i}.jpg`, label, split: 'validation', name: label });
        // The predicted label gets most of the probability; the rest share what is left.
        scores.push(labels.map((_, c) => (c === predicted ? 0.8 : 0.2 / (labels.length - 1))));
      }
    }),
  );
  return summarize(labels, entries, scores);
}
