/**
 * How sure can we be? With 78 validation photos, one photo is 1.3 points of accuracy, so two runs that differ by
 * two or three points may differ by chance alone. These pure functions put a number on that noise:
 *
 *   wilsonInterval    a 95 % interval for an accuracy k/n (one run, one set of photos);
 *   pairedComparison  two models scored on the same photos: is their difference more than chance? (McNemar)
 *   meanInterval      one setting repeated over seeds or folds: the mean and its 95 % interval (Student's t);
 *   stratifiedKFold   k folds of a labelled set that each keep every class's share, from a seed.
 */
import { mulberry32 } from './seeded';

/** An estimate with its 95 % interval (all as fractions, e.g. 0.91, not 91 %). */
export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

/** z for a two-sided 95 % interval of the normal distribution. */
const Z95 = 1.959963984540054;

function checkCount(k: number, n: number): void {
  if (!Number.isInteger(n) || n <= 0) throw new Error(`an accuracy needs n > 0 photos (an integer), got n = ${n}`);
  if (!Number.isInteger(k) || k < 0 || k > n)
    throw new Error(`an accuracy needs 0 ≤ k ≤ n correct (an integer), got k = ${k}, n = ${n}`);
}

/**
 * Wilson's 95 % score interval for k correct out of n. Unlike the textbook p ± 1.96·√(p(1−p)/n), it never leaves
 * [0, 1] and stays honest near 0 % and 100 %, where small sets live: 78/78 does not mean "always right".
 */
export function wilsonInterval(k: number, n: number, z = Z95): Interval {
  checkCount(k, n);
  const p = k / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  // At k = 0 or k = n the bounds are exactly 0 and 1 in theory; say so rather than 0.9999999999999999.
  return { estimate: p, low: k === 0 ? 0 : Math.max(0, centre - half), high: k === n ? 1 : Math.min(1, centre + half) };
}

/** Two models on the same photos: where they disagree, and whether that is more than chance. */
export interface PairedComparison {
  /** Accuracy of A minus accuracy of B, as a fraction. */
  difference: number;
  /** Photos A got right and B wrong, and the other way round. Photos both got right (or wrong) say nothing. */
  onlyA: number;
  onlyB: number;
  /** McNemar's exact two-sided p-value: the chance of a split at least this lopsided if A and B were equally good. */
  pValue: number;
  /** True when p ≥ 0.05: the difference is inside the noise of this many photos. */
  insideNoise: boolean;
}

/** log(n!) by summation: exact enough for the few hundred photos a comparison has. */
function logFactorial(n: number): number {
  let s = 0;
  for (let i = 2; i <= n; i++) s += Math.log(i);
  return s;
}

/**
 * McNemar's exact test on per-photo correctness of two models scored on the same photos (a[i], b[i]: was photo i
 * right?). Pairing matters: both models see the same hard photos, so only the photos where they disagree carry
 * evidence. Under "equally good", each disagreement is a fair coin flip; the p-value is the two-sided binomial tail.
 */
export function pairedComparison(a: readonly boolean[], b: readonly boolean[]): PairedComparison {
  if (a.length === 0) throw new Error('a paired comparison needs at least one photo');
  if (a.length !== b.length)
    throw new Error(
      `a paired comparison needs both runs scored on the same photos: got ${a.length} and ${b.length} results`,
    );
  let onlyA = 0;
  let onlyB = 0;
  let correctA = 0;
  let correctB = 0;
  a.forEach((right, i) => {
    correctA += right ? 1 : 0;
    correctB += b[i] ? 1 : 0;
    if (right && !b[i]) onlyA++;
    if (!right && b[i]) onlyB++;
  });
  const n = onlyA + onlyB;
  const smaller = Math.min(onlyA, onlyB);
  let tail = 0; // P(X ≤ smaller) for X ~ Binomial(n, 1/2)
  for (let i = 0; i <= smaller; i++)
    tail += Math.exp(logFactorial(n) - logFactorial(i) - logFactorial(n - i) - n * Math.LN2);
  const pValue = n === 0 ? 1 : Math.min(1, 2 * tail);
  return { difference: (correctA - correctB) / a.length, onlyA, onlyB, pValue, insideNoise: pValue >= 0.05 };
}

/** Two-sided 95 % quantiles of Student's t for 1 … 30 degrees of freedom. */
const T95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** Student's t quantile for a two-sided 95 % interval: the table up to 30, a Cornish–Fisher expansion beyond. */
export function t95(degreesOfFreedom: number): number {
  if (!Number.isInteger(degreesOfFreedom) || degreesOfFreedom < 1)
    throw new Error(`degrees of freedom must be a positive integer, got ${degreesOfFreedom}`);
  if (degreesOfFreedom <= T95.length) return T95[degreesOfFreedom - 1]!;
  const z = Z95;
  const d = degreesOfFreedom;
  return z + (z ** 3 + z) / (4 * d) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * d * d);
}

/** The mean of runs that differ only in their seed (or fold), with its 95 % interval and standard deviation. */
export interface MeanInterval extends Interval {
  sd: number;
  runs: number;
}

/**
 * Mean ± t·sd/√n over repeated runs (e.g. validation accuracy for seeds 1…5). The interval is for the mean, i.e.
 * for what this setting gives on average; one run can land well outside it. Needs at least two runs: one run says
 * nothing about how much seeds matter.
 */
export function meanInterval(values: readonly number[]): MeanInterval {
  if (values.length === 0) throw new Error('a mean over seeds needs at least one run; the list of results is empty');
  if (values.length === 1) throw new Error('one run gives no interval: repeat it with at least two seeds');
  const bad = values.find((v) => !Number.isFinite(v));
  if (bad !== undefined) throw new Error(`a mean over seeds needs finite numbers, got ${bad}`);
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const half = (t95(n - 1) * sd) / Math.sqrt(n);
  return { estimate: mean, low: mean - half, high: mean + half, sd, runs: n };
}

/**
 * Stratified k-fold: returns k folds, each the sorted indices of the items it holds out. Every item is held out
 * exactly once, and each class is dealt round-robin over the folds after a seeded shuffle, so every fold keeps
 * every class's share (± 1 item). Train on the other k − 1 folds, validate on the held-out one, k times.
 */
export function stratifiedKFold(labels: readonly (string | number)[], k: number, seed: number): number[][] {
  if (!Number.isInteger(k) || k < 2) throw new Error(`k-fold needs k ≥ 2 folds (an integer), got ${k}`);
  if (labels.length === 0) throw new Error('k-fold needs at least one item; the list of labels is empty');
  const byClass = new Map<string | number, number[]>();
  labels.forEach((label, i) => byClass.set(label, [...(byClass.get(label) ?? []), i]));
  for (const [label, items] of byClass) {
    if (items.length < k)
      throw new Error(
        `class "${label}" has ${items.length} items, fewer than the ${k} folds: some fold would have none`,
      );
  }
  const random = mulberry32(seed);
  const folds: number[][] = Array.from({ length: k }, () => []);
  let next = 0; // carry the deal across classes, so the folds' sizes differ by at most one
  for (const items of byClass.values()) {
    const order = [...items];
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const item of order) folds[next++ % k]!.push(item);
  }
  return folds.map((f) => f.sort((x, y) => x - y));
}
