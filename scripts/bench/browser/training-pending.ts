/**
 * Stands in for training.ts while the engine's training API (src/ml/train.ts and friends) is missing from the
 * working tree: scripts/bench/lib/site.mjs aliases it in, and the benchmark reports "pending" instead of failing.
 */
export const browserTraining = {
  async available(): Promise<{ pending?: string }> {
    return {
      pending: "the engine's training API (src/ml/train.ts, surgery.ts, activation-cache.ts) is not in this build",
    };
  },
  async run(): Promise<never> {
    throw new Error("the engine's training API is not in this build");
  },
};
