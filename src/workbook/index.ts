/**
 * `wb`, the workbook facade: the one global through which lesson cells reach the engine. It is small and reads like
 * the lessons talk — load the model, pick photos, classify them, look at the layers and the pictures, check an
 * answer — and wraps the DOM-free engine (src/ml) and the browser adapters (src/platform) so that cells stay short.
 *
 * Created once per lesson page, lazily, the first time a cell mentions `wb` (src/pages/lessons/[slug].astro
 * registers it). Things that compute over photos show what they found under the running cell and return the data;
 * things that draw return a DOM node for the cell to show (as its last expression, or with display()).
 *
 *   const model = await wb.loadModel();                       // once per page, with a byte progress bar
 *   const photos = wb.photos.mixed(2);                        // 2 cats, 2 dogs, 2 others
 *   const answers = await wb.classify(model, photos);         // top-3 ImageNet classes: a table, and data
 *   wb.layers.table(model)                                    // the layer table, grouped by block
 *   await wb.check.headOutputs(transfer.model);               // ✓ or ✗ with a hint
 */
import type * as tf from '@tensorflow/tfjs';
import {
  asLayersModel,
  buildTransferModel,
  type AnyModel,
  type TransferModel,
  type TransferModelOptions,
} from '../ml/surgery';
import { onRestart } from '../runtime/globals';
import { classify, type ClassifyOptions, type PhotoPrediction } from './classify';
import { plainCheck } from './checks';
import { lessonChecks } from './checks-lessons';
import { evidenceFacade } from './evidence-facade';
import { layersApi } from './inspection';
import { picturesApi } from './pictures';
import { photosApi, type PhotoRef } from './photos';
import type { WorkbookPlatform } from './platform';
import { Session } from './session';
import { trainingChecks, trainingFacade } from './training-facade';
import './dom'; // the workbook's stylesheet comes with its DOM helpers

/** Puts the facade together over one session. Each part is a plain object of functions (see its module). */
function assemble(session: Session) {
  const evidence = evidenceFacade(session);
  return {
    /** The pre-trained MobileNet v1 0.25 (ImageNet, 1000 classes), loaded once per page with a progress bar. */
    loadModel: (): Promise<tf.LayersModel> => session.loadModel(undefined, true),
    /** The 1000 ImageNet class names: imagenetClasses[285] is "Egyptian cat". */
    imagenetClasses: session.classNames,
    /** Our photos: selection, pixels, model-input batches, galleries. */
    photos: photosApi(session),
    /** The `top` most probable classes of each photo (ImageNet's 1000 or our 3): a table under the cell, and the data. */
    classify: (
      model: tf.LayersModel,
      photos: PhotoRef | readonly PhotoRef[],
      options?: ClassifyOptions,
    ): Promise<PhotoPrediction[]> => classify(session, model, photos, options),
    /** The layers: describe, group into blocks, and the grouped table. */
    layers: layersApi(),
    /** Filters, feature maps and the photos that excite a channel. */
    pictures: picturesApi(session),
    /**
     * Cuts the pre-trained model at `cutAt` (default: the pooled features) and puts a new seeded head on top
     * (Dense with one unit per label, then softmax). The kept layers are copies: the pre-trained model never changes.
     */
    buildTransferModel: (base: AnyModel, options?: TransferModelOptions): TransferModel =>
      buildTransferModel(asLayersModel(base, 'wb.buildTransferModel'), options),
    /** Checks: `await wb.check.<name>(…)` shows ✓ or ✗ with a hint; `wb.check(condition, ok, notYet, hint?)` for your own. */
    check: Object.assign(
      (...args: Parameters<typeof plainCheck>) => plainCheck(...args),
      lessonChecks(session),
      trainingChecks(),
      evidence.checks,
    ),
    /** Training, the runs table, evaluation, solution checkpoints, uploads and export (lessons 5–8: training-facade.ts). */
    ...trainingFacade(session),
    /** Evidence with intervals (lessons 3 and 6): probes at every depth, photos per class, BatchNorm drift, wb.compare, wb.scoreTest (evidence-facade.ts). */
    ...evidence.members,
  };
}

/** The facade's type: what `wb` is in a cell (src/runtime/cell-globals.ts declares it). */
export type Workbook = ReturnType<typeof assemble>;

/**
 * Creates the facade. In the page (no argument) it waits for TensorFlow.js with the backend the runtime chose,
 * fetches the class names and photo index, and registers a Restart hook that drops the (then disposed) model.
 * Tests pass a platform that reads the assets from disk.
 */
export async function createWorkbook(platform?: WorkbookPlatform): Promise<Workbook> {
  if (!platform) {
    const [{ loadTf }, { browserPlatform }] = await Promise.all([
      import('../runtime/browser-globals'),
      import('./platform-browser'),
    ]);
    await loadTf(); // one backend choice per page, shared with the cells' `tf`
    platform = browserPlatform();
  }
  const session = await Session.create(platform);
  if (typeof document !== 'undefined') onRestart(() => session.forget());
  return assemble(session);
}
