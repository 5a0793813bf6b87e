/**
 * The training schedule and seeding, the pure parts (src/ml/train-support.ts, seeded.ts): exact values on
 * hand-made inputs. train-loop.test.ts checks that the training loop really uses them.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { coinFlips, deriveSeed, mulberry32, shuffledIndices } from '../../src/ml/seeded';
import { cosineRate, setLearningRate } from '../../src/ml/train-support';

describe('cosineRate, exact values', () => {
  it('falls from the base rate to 0 along a half cosine', () => {
    expect(cosineRate(0.1, 0, 4)).toBe(0.1);
    expect(cosineRate(0.1, 1, 4)).toBeCloseTo(0.05 * (1 + Math.SQRT1_2), 15);
    expect(cosineRate(0.1, 2, 4)).toBeCloseTo(0.05, 15);
    expect(cosineRate(0.1, 3, 4)).toBeCloseTo(0.05 * (1 - Math.SQRT1_2), 15);
    expect(cosineRate(0.1, 4, 4)).toBe(0);
    expect(cosineRate(2, 1, 2)).toBeCloseTo(1, 15);
  });

  it('treats a run of 0 steps as 1 step', () => {
    expect(cosineRate(0.1, 0, 0)).toBe(0.1);
    expect(cosineRate(0.1, 1, 0)).toBe(0);
  });
});

describe('setLearningRate', () => {
  it('changes the rate of SGD (setLearningRate) and of Adam (its field)', () => {
    const sgd = tf.train.sgd(0.1);
    setLearningRate(sgd, 0.025);
    expect((sgd as unknown as { learningRate: number }).learningRate).toBe(0.025);
    const adam = tf.train.adam(0.1);
    setLearningRate(adam, 0.003);
    expect((adam as unknown as { learningRate: number }).learningRate).toBe(0.003);
    tf.dispose([sgd, adam]);
  });
});

describe('seeded choices, exact values', () => {
  it('shuffles by Fisher–Yates on the mulberry32 stream of the seed', () => {
    const random = mulberry32(42);
    const expected = [0, 1, 2, 3, 4, 5, 6];
    for (let i = 6; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [expected[i], expected[j]] = [expected[j]!, expected[i]!];
    }
    expect(shuffledIndices(7, 42)).toEqual(expected);
    expect([...shuffledIndices(50, 3)].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(shuffledIndices(50, 3)).not.toEqual(shuffledIndices(50, 4));
    expect(shuffledIndices(1, 9)).toEqual([0]);
    expect(shuffledIndices(0, 9)).toEqual([]);
  });

  it('flips a coin per photo: below 0.5 on the mulberry32 stream', () => {
    const random = mulberry32(8);
    expect(coinFlips(20, 8)).toEqual(Array.from({ length: 20 }, () => random() < 0.5));
  });

  it('derives distinct seeds from a seed and counters, where adding them would collide', () => {
    expect(deriveSeed(7)).toBe(7);
    expect(deriveSeed(-1)).toBe(2 ** 32 - 1);
    expect(deriveSeed(7, 3)).toBe(deriveSeed(7, 3));
    expect(deriveSeed(7, 3)).not.toBe(deriveSeed(10, 0));
    expect(deriveSeed(1, 0)).not.toBe(deriveSeed(1, 1));
    expect(deriveSeed(1, 0, 1)).not.toBe(deriveSeed(1, 0));
    const seeds = new Set(Array.from({ length: 1000 }, (_, i) => deriveSeed(5, i)));
    expect(seeds.size).toBe(1000);
    for (const s of seeds) expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
  });

  // Known bug, reported to the lead: the first counter is XORed into the raw seed, so deriveSeed(s, e) equals
  // deriveSeed(s ^ e, 0) (seed 5's epoch 1 shuffles like seed 4's epoch 0, and (7, 3) like (3, 7)). Fixing it
  // changes every seeded run and checkpoint, so it is left to the lead; this test starts failing once it is fixed.
  it.fails('keeps seed s epoch e apart from seed s ^ e epoch 0', () => {
    expect(deriveSeed(5, 1)).not.toBe(deriveSeed(4, 0));
  });
});
