/**
 * summarize (src/ml/evaluate.ts) on hand-made predictions whose counts are known: the confusion matrix is indexed
 * [true][predicted], precision divides by the column (photos *called* X), recall by the row (photos that *are* X),
 * and the loss is the mean −log of the true class's score. Every figure below is worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import type { PhotoEntry } from '../../src/ml/dataset';
import { summarize } from '../../src/ml/evaluate';

const LABELS = ['cat', 'dog', 'other'] as const;

/** One photo with its true label. */
const photo = (label: string, n: number): PhotoEntry => ({ file: `${label}/${n}.jpg`, name: `${label} ${n}`, label, split: 'validation' }) as PhotoEntry;

/** Scores that put `p` on `called` and share the rest evenly. */
const call = (called: number, p = 0.8): number[] => LABELS.map((_, i) => (i === called ? p : (1 - p) / 2));

// Truth → called: cat→cat ×3, cat→dog ×1, dog→dog ×2, dog→cat ×2, other→other ×1, other→cat ×1.
// Rows (truth) cat [3,1,0], dog [2,2,0], other [1,0,1]. Columns (called) cat 6, dog 3, other 1.
const CASES: [string, number][] = [
  ['cat', 0], ['cat', 0], ['cat', 0], ['cat', 1],
  ['dog', 1], ['dog', 1], ['dog', 0], ['dog', 0],
  ['other', 2], ['other', 0],
];
const entries = CASES.map(([label], i) => photo(label, i));
const scores = CASES.map(([, called]) => call(called));

describe('summarize on hand-made predictions', () => {
  const result = summarize(LABELS, entries, scores);

  it('counts confusion[true][predicted], not its transpose', () => {
    expect(result.confusion).toEqual([
      [3, 1, 0],
      [2, 2, 0],
      [1, 0, 1],
    ]);
  });

  it('gives precision over the photos called X and recall over the photos that are X', () => {
    expect(result.perClass).toEqual([
      { label: 'cat', precision: 3 / 6, recall: 3 / 4, support: 4 },
      { label: 'dog', precision: 2 / 3, recall: 2 / 4, support: 4 },
      { label: 'other', precision: 1 / 1, recall: 1 / 2, support: 2 },
    ]);
  });

  it('gives accuracy as the diagonal over all photos and lists exactly the wrong ones', () => {
    expect(result.accuracy).toBe(6 / 10);
    expect(result.misclassified.map((m) => [m.file, m.label, m.predicted])).toEqual([
      ['cat/3.jpg', 'cat', 'dog'],
      ['dog/6.jpg', 'dog', 'cat'],
      ['dog/7.jpg', 'dog', 'cat'],
      ['other/9.jpg', 'other', 'cat'],
    ]);
    expect(result.predictions).toHaveLength(10);
    expect(result.predictions[0]).toEqual({ file: 'cat/0.jpg', name: 'cat 0', label: 'cat', predicted: 'cat', scores: call(0) });
  });

  it('gives the loss as the mean −log of the true class\'s score', () => {
    // 6 photos give the true class 0.8, 4 give it 0.1.
    expect(result.loss).toBeCloseTo(-(6 * Math.log(0.8) + 4 * Math.log(0.1)) / 10, 12);
  });

  it('copies the scores, so a caller changing its array does not change the report', () => {
    const s = [[0.2, 0.7, 0.1]];
    const r = summarize(LABELS, [photo('dog', 0)], s);
    s[0]![1] = 0;
    expect(r.predictions[0]!.scores).toEqual([0.2, 0.7, 0.1]);
  });

  it('caps a zero score of the true class at −log(1e-7) instead of infinity', () => {
    const r = summarize(LABELS, [photo('cat', 0)], [[0, 1, 0]]);
    expect(r.loss).toBeCloseTo(-Math.log(1e-7), 10);
  });

  it('breaks a tie for the first label with the highest score', () => {
    const r = summarize(LABELS, [photo('dog', 0)], [[0.4, 0.4, 0.2]]);
    expect(r.predictions[0]!.predicted).toBe('cat');
  });

  it('gives 0 precision to a class never called and 0 recall to a class with no photos', () => {
    const r = summarize(LABELS, [photo('cat', 0), photo('dog', 1)], [call(0), call(0)]);
    expect(r.perClass[1]).toEqual({ label: 'dog', precision: 0, recall: 0, support: 1 });
    expect(r.perClass[2]).toEqual({ label: 'other', precision: 0, recall: 0, support: 0 });
    expect(r.perClass[0]).toEqual({ label: 'cat', precision: 1 / 2, recall: 1, support: 1 });
  });

  it('gives NaN accuracy and loss for no photos at all, and an all-zero matrix', () => {
    const r = summarize(LABELS, [], []);
    expect(r.accuracy).toBeNaN();
    expect(r.loss).toBeNaN();
    expect(r.confusion).toEqual([[0, 0, 0], [0, 0, 0], [0, 0, 0]]);
    expect(r.misclassified).toEqual([]);
  });

  it('refuses scores with the wrong number of classes, and a label not among the labels, naming the photo', () => {
    expect(() => summarize(LABELS, [photo('cat', 0)], [[0.5, 0.5]])).toThrow('scores for cat/0.jpg have 2 classes, the labels 3');
    expect(() => summarize(LABELS, [photo('horse', 0)], [call(0)])).toThrow('horse/0.jpg has label "horse", not one of cat, dog, other');
  });
});
