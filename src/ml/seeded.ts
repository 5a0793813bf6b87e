/**
 * Seeded randomness for training. Every random choice the trainer makes (the order of photos in an epoch, which
 * photos are mirrored, which units Dropout silences, the new head's starting weights) comes from a seed, so the
 * same run gives the same curves on the same backend. Different backends (wasm, WebGL, WebGPU, cpu) round floats
 * differently, so bit-for-bit equal weights across backends are NOT promised; only the random choices are.
 */
/**
 * mulberry32: a tiny, well-mixed 32-bit PRNG (uniform numbers in [0, 1)). Math.random cannot be seeded; this can.
 * The photo split (split.ts) and every training choice draw from it.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Mixes a run seed with a counter (an epoch, a step) into a new 32-bit seed, so epoch 3 of seed 7 does not replay
 * epoch 0 of seed 10. (Adding them would make those collide; a hash step spreads them apart.)
 */
export function deriveSeed(seed: number, ...counters: number[]): number {
  // Scramble the seed before the first counter joins it: XORing a counter into the raw seed would make (s, e) and
  // (s ^ e, 0) the same seed, so seed 5's epoch 1 would shuffle exactly like seed 4's epoch 0.
  // With no counters the seed is returned as it is.
  if (counters.length === 0) return seed >>> 0;
  let h = Math.imul((seed >>> 0) ^ 0x5bd1e995, 0xcc9e2d51) >>> 0;
  h = (h ^ (h >>> 15)) >>> 0;
  for (const c of counters) {
    h = Math.imul(h ^ (c >>> 0), 0x9e3779b1) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
    h = Math.imul(h, 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
  }
  return h;
}

/** 0 … n−1 in a seeded random order (Fisher–Yates): a fresh, reproducible order for each epoch. */
export function shuffledIndices(n: number, seed: number): number[] {
  const random = mulberry32(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** n seeded fair coin flips: which photos of an epoch are mirrored when augmentation is on. */
export function coinFlips(n: number, seed: number): boolean[] {
  const random = mulberry32(seed);
  return Array.from({ length: n }, () => random() < 0.5);
}
