/**
 * node --import ./scripts/register-ts.mjs scripts/measure-training.ts: the training engine's timings in Node (wasm),
 * printed, not asserted (speed depends on the machine and on what else runs on it):
 *   - computing the frozen activations of all 390 photos (pooled features), with the plain prefix and the folded one;
 *   - one head epoch on cached activations vs one head epoch through the whole network, same backend.
 */
import * as tf from '@tensorflow/tfjs';
import { ActivationCache } from '../src/ml/activation-cache';
import { loadPhotoSet } from '../src/ml/dataset';
import { foldPrefix } from '../src/ml/fold';
import { buildTransferModel } from '../src/ml/surgery';
import { train } from '../src/ml/train';
import { nodeModelIO, readAsset, readPhoto, useWasmBackend } from '../src/platform/node';

await useWasmBackend();
const base = await tf.loadLayersModel(nodeModelIO());
const photos = loadPhotoSet(readAsset('photos/index.json').toString('utf8'), readPhoto);
const all = photos.select();
const layer = 'global_average_pooling2d_1';

const t = performance.now();
await Promise.all(all.map((p) => photos.image(p.file)));
const decodeSeconds = (performance.now() - t) / 1000;

const plain = new ActivationCache(base, photos);
await plain.activations(layer, all);
const folded = new ActivationCache(base, photos, { prefix: foldPrefix });
await folded.activations(layer, all);

// Head epochs: 5 on cached features (the shared cache is warm after the first run) vs 1 through the whole network.
const tm = buildTransferModel(base, { seed: 1 });
const cachedRun = await train(tm, photos, { epochs: 5, cache: plain, seed: 1 });
const fullRun = await train(buildTransferModel(base, { seed: 1 }), photos, { epochs: 1, mode: 'full', seed: 1 });
const results = {
  backend: tf.getBackend(),
  photos: all.length,
  decodeSeconds: +decodeSeconds.toFixed(2),
  featureSeconds: { plainPrefix: +plain.stats.seconds.toFixed(2), foldedPrefix: +folded.stats.seconds.toFixed(2) },
  headEpochSeconds: { cached: +cachedRun.secondsPerEpoch.toFixed(4), full: +fullRun.secondsPerEpoch.toFixed(2) },
  speedUp: +(fullRun.secondsPerEpoch / cachedRun.secondsPerEpoch).toFixed(0),
};
console.log(JSON.stringify(results, null, 1));
