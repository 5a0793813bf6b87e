/**
 * The uncertainty functions on hand-made inputs whose answers are known: Wilson intervals from the literature,
 * McNemar p-values worked out by hand from the binomial, a t interval computed on paper, and k-fold invariants.
 */
import { describe, expect, it } from 'vitest';
import { meanInterval, pairedComparison, stratifiedKFold, t95, wilsonInterval } from '../../src/ml/stats';

describe('wilsonInterval', () => {
  it('gives the published 95 % intervals', () => {
    const half = wilsonInterval(5, 10); // 0.2366 – 0.7634 (Newcombe 1998, table I)
    expect(half.estimate).toBe(0.5);
    expect(half.low).toBeCloseTo(0.2366, 4);
    expect(half.high).toBeCloseTo(0.7634, 4);
    const lesson = wilsonInterval(71, 78); // lesson 1's 71/78: 82.6 % – 95.6 %
    expect(lesson.low).toBeCloseTo(0.8262, 4);
    expect(lesson.high).toBeCloseTo(0.9558, 4);
  });

  it('stays inside [0, 1] at the edges, where the textbook interval collapses to a point', () => {
    expect(wilsonInterval(0, 10)).toEqual({ estimate: 0, low: 0, high: expect.closeTo(0.2775, 4) });
    expect(wilsonInterval(10, 10)).toEqual({ estimate: 1, low: expect.closeTo(0.7225, 4), high: 1 });
  });

  it('narrows as the set grows: four times the photos, half the width', () => {
    const width = (k: number, n: number) => wilsonInterval(k, n).high - wilsonInterval(k, n).low;
    expect(width(360, 400) / width(90, 100)).toBeCloseTo(0.5, 1);
  });

  it('refuses n = 0, k > n, negative or fractional counts', () => {
    expect(() => wilsonInterval(0, 0)).toThrow('an accuracy needs n > 0 photos (an integer), got n = 0');
    expect(() => wilsonInterval(79, 78)).toThrow(
      'an accuracy needs 0 ≤ k ≤ n correct (an integer), got k = 79, n = 78',
    );
    expect(() => wilsonInterval(-1, 78)).toThrow('got k = -1');
    expect(() => wilsonInterval(0.5, 78)).toThrow('got k = 0.5');
  });
});

describe('pairedComparison (McNemar, exact)', () => {
  const right = (pattern: string) => [...pattern].map((c) => c === '1');

  it('counts only the photos where the runs disagree', () => {
    const r = pairedComparison(right('1110'), right('0011'));
    expect(r).toMatchObject({ onlyA: 2, onlyB: 1, difference: 0.25 });
    // 2 vs 1 disagreements: P(X ≤ 1 | n = 3) = 4/8, doubled → 1.
    expect(r.pValue).toBe(1);
    expect(r.insideNoise).toBe(true);
  });

  it('calls 8 to 0 a real difference and 6 to 1 noise', () => {
    // 8 vs 0: 2 · (1/2)^8 = 0.0078125.
    const clear = pairedComparison(right('1111111111'), right('0000000011'));
    expect(clear.pValue).toBeCloseTo(0.0078125, 10);
    expect(clear.insideNoise).toBe(false);
    // 6 vs 1: 2 · (1 + 7)/128 = 0.125, though A is 5 photos (50 points here) ahead.
    const noisy = pairedComparison(right('1111110000'), right('0000001000'));
    expect(noisy.onlyA).toBe(6);
    expect(noisy.onlyB).toBe(1);
    expect(noisy.pValue).toBeCloseTo(0.125, 10);
    expect(noisy.insideNoise).toBe(true);
  });

  it('gives p = 1 when the runs agree on every photo', () => {
    expect(pairedComparison(right('1010'), right('1010'))).toEqual({
      difference: 0,
      onlyA: 0,
      onlyB: 0,
      pValue: 1,
      insideNoise: true,
    });
  });

  it('refuses empty or unpaired results', () => {
    expect(() => pairedComparison([], [])).toThrow('a paired comparison needs at least one photo');
    expect(() => pairedComparison([true], [true, false])).toThrow(
      'both runs scored on the same photos: got 1 and 2 results',
    );
  });
});

describe('meanInterval over seeds', () => {
  it('is mean ± t·sd/√n', () => {
    // mean 0.9, sd 0.02, t(2) = 4.303: half-width 4.303 · 0.02 / √3 = 0.049687.
    const m = meanInterval([0.9, 0.92, 0.88]);
    expect(m.estimate).toBeCloseTo(0.9, 12);
    expect(m.sd).toBeCloseTo(0.02, 12);
    expect(m.low).toBeCloseTo(0.850313, 6);
    expect(m.high).toBeCloseTo(0.949687, 6);
    expect(m.runs).toBe(3);
  });

  it("uses Student's t, which tends to the normal 1.96", () => {
    expect(t95(1)).toBe(12.706);
    expect(t95(31)).toBeCloseTo(2.0395, 3);
    expect(t95(1000)).toBeCloseTo(1.9623, 3);
    expect(() => t95(0)).toThrow('degrees of freedom must be a positive integer, got 0');
  });

  it('refuses an empty list, a single run and non-numbers', () => {
    expect(() => meanInterval([])).toThrow('a mean over seeds needs at least one run; the list of results is empty');
    expect(() => meanInterval([0.9])).toThrow('one run gives no interval: repeat it with at least two seeds');
    expect(() => meanInterval([0.9, NaN])).toThrow('a mean over seeds needs finite numbers, got NaN');
  });
});

describe('stratifiedKFold', () => {
  const labels = [...Array(12).fill('cat'), ...Array(9).fill('dog'), ...Array(6).fill('other')] as string[];

  it('holds out every item exactly once, each fold with every class in its share', () => {
    const folds = stratifiedKFold(labels, 3, 7);
    expect(folds).toHaveLength(3);
    expect(folds.flat().sort((a, b) => a - b)).toEqual(labels.map((_, i) => i));
    for (const fold of folds) {
      expect(fold.filter((i) => labels[i] === 'cat')).toHaveLength(4);
      expect(fold.filter((i) => labels[i] === 'dog')).toHaveLength(3);
      expect(fold.filter((i) => labels[i] === 'other')).toHaveLength(2);
    }
  });

  it('is seeded: the same seed repeats the folds, another changes them', () => {
    expect(stratifiedKFold(labels, 3, 7)).toEqual(stratifiedKFold(labels, 3, 7));
    expect(stratifiedKFold(labels, 3, 8)).not.toEqual(stratifiedKFold(labels, 3, 7));
  });

  it('keeps fold sizes within one of each other when classes do not divide evenly', () => {
    const sizes = stratifiedKFold(['a', 'a', 'a', 'a', 'a', 'b', 'b', 'b', 'b', 'b', 'b'], 4, 1).map((f) => f.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it('refuses k < 2, an empty list and a class smaller than k', () => {
    expect(() => stratifiedKFold(labels, 1, 1)).toThrow('k-fold needs k ≥ 2 folds (an integer), got 1');
    expect(() => stratifiedKFold([], 3, 1)).toThrow('the list of labels is empty');
    expect(() => stratifiedKFold(labels, 7, 1)).toThrow('class "other" has 6 items, fewer than the 7 folds');
  });
});
