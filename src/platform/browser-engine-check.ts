/**
 * The engine check behind src/pages/dev/engine.astro: choose a backend, load the real model (reporting bytes and
 * the cache), classify a few real photos and, on request, draw the pictures. Everything it finds goes into the
 * page as JSON, so a Playwright test (tests/e2e/backends.spec.ts) and a curious developer read the same thing.
 *
 * Query parameters: backend=webgpu|webgl|wasm|cpu, photos=cat/x.jpg,dog/y.jpg, repeat=N (forward passes, the
 * first includes shader compilation on GPU backends), pictures=1, cache=0 (skip the Cache API), train=1 (one
 * fine-tuning step of block 13 + a new head through the whole network: the backend's conv gradients at work).
 */
import * as tf from '@tensorflow/tfjs';
import { imagesToBatch } from '../ml/image';
import { topK, type Prediction } from '../ml/imagenet';
import type { LoadProgress, ModelLoadReport } from '../ml/model';
import { activationModel, featureMapGrid, filterGrid, firstConvKernel } from '../ml/visualize';
import { selectBackend, showBackendChoice } from './browser-backend';
import { pixelsToCanvas } from './browser-draw';
import { loadClassNames, loadPretrainedModel } from './browser-model';
import { loadPhoto } from './browser-photo';
import type { BackendChoice } from '../ml/backend';
import { fineTuneStep, type FineTuneReport } from './browser-fine-tune-check';
import { siteUrl } from './base-url';
import { errorMessage } from '../ml/error-message';

/** What the check found; written to the page as JSON. */
export interface EngineReport {
  backend?: BackendChoice;
  /** What tfjs actually runs on after selection (should equal backend.name). */
  tfBackend?: string;
  load?: ModelLoadReport & { seconds: number; progressEvents: number; lastProgress: LoadProgress | null };
  predictions?: { photo: string; top: Prediction[] }[];
  /** Wall time of each forward pass of the whole batch, prediction read back included. */
  forwardMs?: number[];
  pictures?: { filters: [number, number]; featureMaps: [number, number]; tiles: number };
  fineTune?: FineTuneReport;
  error?: string;
}

const PHOTO_BASE = siteUrl('workbook-assets/photos/');

/** Runs the check and shows its progress and result inside `root` (#engine-status, #engine-progress, #engine-json). */
export async function runEngineCheck(root: HTMLElement, search: string = location.search): Promise<EngineReport> {
  const params = new URLSearchParams(search);
  const status = root.querySelector<HTMLElement>('#engine-status');
  const bar = root.querySelector<HTMLProgressElement>('#engine-progress');
  const say = (text: string) => {
    if (status) status.textContent = text;
  };
  const report: EngineReport = {};
  root.dataset.state = 'running';
  try {
    say('choosing a backend…');
    report.backend = await selectBackend(search);
    report.tfBackend = tf.getBackend();
    showBackendChoice(report.backend);

    say('loading the model…');
    let progressEvents = 0;
    let lastProgress: LoadProgress | null = null;
    const { model, report: load } = await loadPretrainedModel({
      cache: params.get('cache') !== '0',
      onProgress: (p) => {
        progressEvents++;
        lastProgress = p;
        if (bar && p.totalBytes) bar.value = p.loadedBytes / p.totalBytes;
      },
    });
    report.load = { ...load, progressEvents, lastProgress };

    const files = (params.get('photos') ?? 'cat/Egyptian_Mau_10.jpg').split(',').filter(Boolean);
    say(`classifying ${files.length} photo(s) on ${report.backend.name}…`);
    const [classes, images] = await Promise.all([
      loadClassNames(),
      Promise.all(files.map((f) => loadPhoto(PHOTO_BASE + f))),
    ]);
    const batch = imagesToBatch(images);
    report.forwardMs = [];
    let probs: Float32Array | Int32Array | Uint8Array = new Float32Array();
    for (let i = 0; i < Math.max(1, Number(params.get('repeat') ?? 1)); i++) {
      const start = performance.now();
      const output = model.predict(batch) as tf.Tensor;
      probs = await output.data(); // await the read-back: GPU backends only finish work when it is read
      report.forwardMs.push(Math.round(performance.now() - start));
      output.dispose();
    }
    const n = classes.length;
    report.predictions = files.map((photo, i) => ({
      photo,
      top: topK(probs.subarray(i * n, (i + 1) * n), 3, classes),
    }));

    if (params.get('pictures') === '1') {
      say('drawing the pictures…');
      const filters = filterGrid(firstConvKernel(model));
      const probe = activationModel(model, 'conv_pw_13_relu');
      const maps = probe.predict(batch.slice([0, 0, 0, 0], [1, -1, -1, -1])) as tf.Tensor4D;
      const grid = featureMapGrid(maps);
      maps.dispose();
      const holder = root.querySelector('#engine-pictures');
      holder?.append(pixelsToCanvas(filters, 'conv1 filters'), pixelsToCanvas(grid, 'conv_pw_13_relu feature maps'));
      report.pictures = {
        filters: [filters.width, filters.height],
        featureMaps: [grid.width, grid.height],
        tiles: grid.layout.tiles,
      };
    }
    batch.dispose();
    if (params.get('train') === '1') {
      say(`one fine-tuning step on ${report.backend.name}…`);
      report.fineTune = await fineTuneStep(model, (file) => loadPhoto(PHOTO_BASE + file));
    }
    say('done');
    root.dataset.state = 'done';
  } catch (e) {
    report.error = errorMessage(e);
    say(`failed: ${report.error}`);
    root.dataset.state = 'error';
  }
  const json = root.querySelector('#engine-json');
  if (json) json.textContent = JSON.stringify(report, null, 2);
  return report;
}
