/**
 * Thread scaling in the benchmark page (scripts/bench/threads.mjs opens it once with ?threads=1 and once with every
 * core): what the learner waits for in lesson 6, where wasm's threads could help. The frozen activations of the 390
 * photos through the engine's BN-folded prefix up to block 11, then epochs fine-tuning blocks 12-13 and the head on
 * them (convolutions forward and backward, the part of training that is compute-bound).
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { ActivationCache } from '../../../src/ml/activation-cache';
import { loadPhotoSet } from '../../../src/ml/dataset';
import { foldPrefix } from '../../../src/ml/fold';
import { installWasmConvGradients } from '../../../src/ml/kernels/wasm-conv-grads';
import { buildTransferModel } from '../../../src/ml/surgery';
import { train } from '../../../src/ml/train';
import { loadPretrainedModel } from '../../../src/platform/browser-model';
import { loadPhoto } from '../../../src/platform/browser-photo';

const ASSETS = '/workbook-assets/';
/** Lesson 6's deepest freeze point: everything up to block 11 frozen, blocks 12-13 and the head trained. */
const FREEZE_AT = 'conv_pw_11_relu';

export const browserThreads = {
  /** The wasm backend's thread count (tfjs reports it once the backend runs). */
  count(): number {
    return tf.getBackend() === 'wasm' ? getThreadsCount() : 0;
  },

  /** Seconds for the folded-prefix activations of all 390 photos, and per epoch of blocks 12-13 + head on them. */
  async run({ epochs }: { epochs: number }) {
    installWasmConvGradients(); // wasm lacks conv-gradient kernels; the engine composes them
    const { model } = await loadPretrainedModel();
    const index = await (await fetch(`${ASSETS}photos/index.json`)).text();
    const photos = loadPhotoSet(index, (file) => loadPhoto(`${ASSETS}photos/${file}`), { keepDecoded: false });
    const tm = buildTransferModel(model, { seed: 1 });
    try {
      const cache = new ActivationCache(model, photos, { prefix: foldPrefix });
      const record = await train(tm, photos, { seed: 1, freezeAt: FREEZE_AT, epochs, mode: 'cached', cache });
      // The first epoch also warms the training kernels up: report the later ones when there are any.
      const later = record.history.slice(1).map((h) => h.seconds);
      return {
        featureSeconds: record.featureSeconds,
        epochSeconds: later.length ? later : record.history.map((h) => h.seconds),
        valAcc: record.history.at(-1)?.valAcc,
      };
    } finally {
      tm.model.dispose();
      model.dispose();
    }
  },
};
