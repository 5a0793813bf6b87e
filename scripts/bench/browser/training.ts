/**
 * Training measures in the browser page, through the engine's train API (src/ml/train.ts). Until that has landed
 * every call answers "pending" so the benchmark reports it instead of failing.
 */

/** Training measures the page can take. */
export const browserTraining = {
  async available(): Promise<{ pending?: string }> {
    return { pending: "the engine's train API (src/ml/train.ts) has not landed" };
  },
};
