/**
 * The edges of src/ml/stats.ts, exactly (stats.test.ts has the published intervals): Wilson's bound at k = 0 where the
 * float formula leaves 5.6e-17 instead of 0; McNemar with two or more disagreements on the smaller side (the
 * binomial coefficient's factorials, which 0 and 1 cannot show); Student's t at the end of its table and the
 * expansion beyond it against published quantiles; k-fold at k = 2, a class of exactly k items, the seeded deal
 * pinned fold by fold, and every fold sorted.
 */
import { describe, expect, it } from 'vitest';
import { pairedComparison, stratifiedKFold, t95, wilsonInterval } from '../../src/ml/stats';

const right = (s: string) => [...s].map((c) => c === '1');

describe('wilsonInterval at the edges', () => {
  it('says 0 exactly at k = 0, where centre − half comes out as 5.6e-17 for 3 photos', () => {
    expect(wilsonInterval(0, 3).low).toBe(0);
    expect(wilsonInterval(0, 6).low).toBe(0);
    expect(wilsonInterval(10, 10).high).toBe(1);
  });
});

describe('pairedComparison: the binomial tail', () => {
  it('8 to 2 disagreements: p = 2·(1 + 10 + 45)/1024 = 0.109375, inside the noise', () => {
    const r = pairedComparison(right('1111111100'), right('0000000011'));
    expect(r.onlyA).toBe(8);
    expect(r.onlyB).toBe(2);
    expect(r.difference).toBeCloseTo(0.6, 12);
    expect(r.pValue).toBeCloseTo(0.109375, 12);
    expect(r.insideNoise).toBe(true);
  });

  it('9 to 3: p = 2·(1 + 12 + 66 + 220)/4096 = 0.1459961', () => {
    const r = pairedComparison(right('111111111000'), right('000000000111'));
    expect(r.pValue).toBeCloseTo(598 / 4096, 12);
  });
});

describe("t95: Student's t", () => {
  it('reads the table up to 30 degrees of freedom, its last entry included', () => {
    expect(t95(2)).toBe(4.303);
    expect(t95(29)).toBe(2.045);
    expect(t95(30)).toBe(2.042);
  });

  it('beyond it, the Cornish–Fisher expansion is within its own error of the published quantiles', () => {
    // Published two-sided 95 % quantiles: t(60) = 2.0002978, t(120) = 1.9799304. The three-term expansion is off by
    // 1.2e-5 and 1.1e-6 there; a wrong sign or factor in its last term is off by 2.5e-5 and 4.2e-6 or more.
    expect(Math.abs(t95(60) - 2.0002978)).toBeLessThan(1.5e-5);
    expect(Math.abs(t95(120) - 1.9799304)).toBeLessThan(2e-6);
  });
});

describe('stratifiedKFold', () => {
  const labels = ['cat', 'dog', 'cat', 'other', 'dog', 'cat', 'other', 'dog', 'cat', 'dog', 'other', 'cat'];

  it('deals seed 7’s shuffle round-robin: these exact folds, each sorted', () => {
    expect(stratifiedKFold(labels, 3, 7)).toEqual([
      [1, 8, 10, 11],
      [0, 2, 4, 6],
      [3, 5, 7, 9],
    ]);
  });

  it('takes k = 2, and a class of exactly k items', () => {
    expect(stratifiedKFold(labels, 2, 1)).toEqual([
      [2, 3, 4, 8, 9, 11],
      [0, 1, 5, 6, 7, 10],
    ]);
    expect(stratifiedKFold(['a', 'a', 'b', 'b', 'b'], 2, 3)).toEqual([
      [0, 2, 3],
      [1, 4],
    ]);
  });

  it('returns every fold in ascending order, whatever the deal', () => {
    for (const seed of [1, 2, 3, 4, 5])
      for (const fold of stratifiedKFold(labels, 3, seed)) expect(fold).toEqual([...fold].sort((a, b) => a - b));
  });
});
