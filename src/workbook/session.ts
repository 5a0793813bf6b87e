/**
 * One page's workbook state, the one object every part of `wb` takes: the platform, the ImageNet class names and the
 * photo set (both small, fetched when the facade is created), the pre-trained model (loaded on first use, once per
 * page), TensorFlow.js on the page's backend, and where photos are served. The engine's shared activation cache
 * (src/ml/activation-cache.ts) hangs off the model and the photo set, so it is the page's too.
 *
 * Restart frees every tensor and variable the page made, the model's weights included, so `forget()` (called from
 * the runtime's restart hook) drops the model: the next `loadModel()` loads it again, from the browser's cache.
 */
import type * as tf from '@tensorflow/tfjs';
import { adoptTransferModel } from '../ml/adopt';
import { loadPhotoSet, type PhotoSet } from '../ml/dataset';
import { asLayersModel, isTransferModel, ModelArgumentError, type TransferModel } from '../ml/surgery';
import type { LoadProgress } from '../ml/model';
import { cellOutput, type CellOutput } from './cell-output';
import type { PlatformModel, WorkbookPlatform } from './platform';

/** Bytes as a learner reads them: "1.9 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The workbook state of one page. */
export class Session {
  private loading: Promise<PlatformModel> | null = null;
  /** The learner's plain models already read as transfer models: one wrapper per model, so runs see one model. */
  private readonly adopted = new WeakMap<tf.LayersModel, TransferModel>();

  private constructor(
    readonly platform: WorkbookPlatform,
    /** The 1000 ImageNet class names, index = class id. */
    readonly classNames: readonly string[],
    /** Our photo set: cat, dog and other photos, split into training and validation. */
    readonly photos: PhotoSet,
  ) {}

  /** Fetches the small things every lesson needs (class names, photo index) and returns the session. */
  static async create(platform: WorkbookPlatform): Promise<Session> {
    const [classNames, index] = await Promise.all([platform.loadClassNames(), platform.loadPhotoIndex()]);
    return new Session(
      platform,
      classNames,
      loadPhotoSet(index, (file) => platform.decodePhoto(file)),
    );
  }

  /**
   * The pre-trained MobileNet, loaded once per page. The first call draws a byte progress bar under the running cell
   * and says what it loaded; later calls return the same model at once, and say so only when `announceAgain`.
   */
  async loadModel(out: CellOutput = cellOutput(), announceAgain = false): Promise<tf.LayersModel> {
    const first = this.loading === null;
    if (first) {
      this.loading = this.platform.loadModel((p: LoadProgress) => {
        if (p.totalBytes)
          out.progress(
            p.loadedBytes / p.totalBytes,
            `MobileNet weights ${formatBytes(p.loadedBytes)} of ${formatBytes(p.totalBytes)}`,
          );
      });
      this.loading.catch(() => (this.loading = null)); // a failed load is tried again on the next call
    }
    const { model, report } = await this.loading!;
    const size = `${model.layers.length} layers, ${model.countParams().toLocaleString('en-US')} parameters`;
    if (first) {
      const from = report.fromCache
        ? 'from this browser’s cache'
        : report.cachedFiles > 0
          ? 'partly from the cache'
          : 'downloaded';
      out.show(() =>
        note(
          `MobileNet v1 0.25 loaded: ${size}, ${formatBytes(report.bytes)} ${from} in ${report.seconds.toFixed(1)} s.`,
        ),
      );
    } else if (announceAgain) out.show(() => note(`MobileNet v1 0.25: ${size} (already loaded on this page).`));
    return model;
  }

  /**
   * The one place where `wb` reads a model argument that must be a transfer model (training, evaluation,
   * checkpoints, the test split): a transfer model as it is, or the learner's own tf.LayersModel (the functional
   * `alpaca_model` of lesson 4) adopted onto the page's pre-trained model by the engine (src/ml/adopt.ts), once.
   * Anything else gets the engine's clear error naming `where`.
   */
  async transferModel(model: unknown, where: string): Promise<TransferModel> {
    if (isTransferModel(model)) return model;
    const layers = asLayersModel(model as tf.LayersModel, where);
    let adopted = this.adopted.get(layers);
    if (!adopted) {
      const outputs = layers.outputs[0]?.shape.at(-1);
      if (outputs !== this.photos.labels.length)
        throw new ModelArgumentError(
          `${where} expects a model with one output per label (${this.photos.labels.join(', ')}): this one gives ${outputs ?? 'no'} numbers per photo`,
        );
      adopted = adoptTransferModel(layers, await this.loadModel(), this.photos.labels);
      this.adopted.set(layers, adopted);
    }
    return adopted;
  }

  /** TensorFlow.js, ready (createWorkbook started it on the page's backend before the session existed). */
  async tf(): Promise<typeof tf> {
    const tfjs = await import('@tensorflow/tfjs');
    await tfjs.ready();
    return tfjs;
  }

  /** Where a page shows a photo of the set (an <img src>), e.g. "cat/Abyssinian_101.jpg"; "" where there is no page. */
  photoUrl(file: string): string {
    return this.platform.photoUrl(file) ?? '';
  }

  /** Drops the model after Restart disposed its weights; the next loadModel() loads it again. */
  forget(): void {
    this.loading = null;
  }
}

/** A one-line note under a cell (DOM: only called when a cell is there to show it). */
export function note(text: string, className = 'wb-note'): HTMLElement {
  const p = document.createElement('p');
  p.className = className;
  p.textContent = text;
  return p;
}
