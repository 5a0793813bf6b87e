/**
 * The benchmark's page: the engine exactly as the lessons use it (backend choice, model loading through the Cache
 * API, photos decoded by the browser), exposed as `window.__bench` so scripts/bench/browser.mjs can time it from
 * Playwright. Every call returns plain JSON. Bundled by Vite into /__bench/ of the benchmark's copy of the site.
 */
import * as tf from '@tensorflow/tfjs';
import { foldPrefix, type FoldedPrefix } from '../../../src/ml/fold';
import { imagesToBatch } from '../../../src/ml/image';
import { selectBackend } from '../../../src/platform/browser-backend';
import { clearModelCache, loadPretrainedModel } from '../../../src/platform/browser-model';
import { loadPhoto } from '../../../src/platform/browser-photo';
import { pickPhotos, timed, type IndexLike } from '../photos';
import { browserThreads } from './threads';
import { browserTraining } from './training';

const ASSETS = '/workbook-assets/';
const FEATURES_LAYER = 'global_average_pooling2d_1';

const state: { model?: tf.LayersModel; prefix?: tf.LayersModel; folded?: FoldedPrefix; x?: tf.Tensor4D } = {};

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is not ready: call the step that makes it first`);
  return value;
}

const bench = {
  /** Picks the backend as a lesson does (`search` like "?backend=wasm"); says what tfjs now runs on. */
  async init(search: string) {
    const choice = await selectBackend(search);
    return { choice: choice.name, reason: choice.reason, tfBackend: tf.getBackend(), tfjs: tf.version.tfjs };
  },

  /** Loads the pre-trained model; `clear` empties the Cache API copy first, so the load is cold. */
  async loadModel({ clear }: { clear: boolean }) {
    if (clear) await clearModelCache();
    state.model?.dispose();
    state.folded?.dispose();
    state.folded = undefined;
    const { model, report } = await loadPretrainedModel();
    state.model = model;
    state.prefix = tf.model({
      inputs: model.inputs,
      outputs: model.getLayer(FEATURES_LAYER).output as tf.SymbolicTensor,
    });
    return report;
  },

  /** Decodes `count` real photos into one input batch. */
  async loadPhotos(count: number) {
    const start = performance.now();
    const index = (await (await fetch(`${ASSETS}photos/index.json`)).json()) as IndexLike;
    const files = pickPhotos(index, count);
    const images = await Promise.all(files.map((f) => loadPhoto(`${ASSETS}photos/${f}`)));
    state.x?.dispose();
    state.x = imagesToBatch(images);
    return { files, seconds: (performance.now() - start) / 1000 };
  },

  /**
   * Seconds per forward pass of a batch (read back included): the whole model ('predict'), the LayersModel cut at
   * the features ('prefix'), or the engine's BN-folded prefix up to the same layer ('folded', src/ml/fold.ts).
   */
  async forward({ batch, reps, variant }: { batch: number; reps: number; variant: 'predict' | 'prefix' | 'folded' }) {
    if (variant === 'folded' && !state.folded)
      state.folded = foldPrefix(need(state.model, 'the model'), FEATURES_LAYER);
    const net = need(
      variant === 'predict' ? state.model : variant === 'prefix' ? state.prefix : state.folded,
      'the model',
    );
    const x = need(state.x, 'the photo batch').slice(0, batch);
    try {
      return {
        times: await timed(async () => {
          const y = net.predict(x) as tf.Tensor; // LayersModel.predict and FoldedPrefix.predict alike
          await y.data();
          y.dispose();
        }, reps),
      };
    } finally {
      x.dispose();
    }
  },

  /** tfjs's memory counters: numTensors must come back to where a run started. */
  memory() {
    const m = tf.memory();
    return { numTensors: m.numTensors, numBytes: m.numBytes };
  },

  /** Frees the model and batch (numTensors should then be back at the backend's baseline). */
  dispose() {
    state.folded?.dispose();
    state.model?.dispose();
    state.x?.dispose();
    state.model = state.prefix = state.folded = state.x = undefined;
    return bench.memory();
  },

  training: browserTraining,
  threads: browserThreads,
};

(window as unknown as { __bench: typeof bench }).__bench = bench;
document.documentElement.dataset.bench = 'ready';
