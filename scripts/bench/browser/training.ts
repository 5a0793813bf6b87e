/**
 * Training measures in the benchmark page: the same plan as in Node (scripts/bench/training-plan.ts), on the
 * backend the page chose, with the model loaded the way a lesson loads it (fetch + Cache API) and photos decoded
 * by the browser. The clock for "time to 90 %" starts before the model load, with the Cache API emptied, so the
 * figure is what a learner who opens the lesson for the first time waits.
 */
import * as tf from '@tensorflow/tfjs';
import { loadPhotoSet } from '../../../src/ml/dataset';
import { installWasmConvGradients } from '../../../src/ml/kernels/wasm-conv-grads';
import { clearModelCache, loadPretrainedModel } from '../../../src/platform/browser-model';
import { loadPhoto } from '../../../src/platform/browser-photo';
import { measureTraining, trainingPlan } from '../training-plan';

const ASSETS = '/workbook-assets/';

/** Training measures the page can take. */
export const browserTraining = {
  /** Whether the engine's training API is in this build ("pending" answers come from training-pending.ts). */
  async available(): Promise<{ pending?: string }> {
    return {};
  },

  /** Runs the whole plan; `progress` lines go to the console (Playwright forwards them). */
  async run({ quick }: { quick: boolean }) {
    installWasmConvGradients(); // wasm lacks conv-gradient kernels; the engine composes them (fine-tuning needs them)
    await clearModelCache();
    const startedAt = performance.now();
    const { model, report } = await loadPretrainedModel();
    const index = await (await fetch(`${ASSETS}photos/index.json`)).text();
    const photos = loadPhotoSet(index, (file) => loadPhoto(`${ASSETS}photos/${file}`));
    try {
      const measures = await measureTraining(model, photos, startedAt, trainingPlan(quick), (m) =>
        console.log(`[training] ${m}`),
      );
      return { ...measures, modelSeconds: report.seconds, modelFromCache: report.fromCache };
    } finally {
      model.dispose();
      console.log(`[training] numTensors after disposing the model: ${tf.memory().numTensors}`);
    }
  },
};
