/**
 * What the training side of the facade needs from the rest of the page: TensorFlow.js on the backend the runtime
 * chose, the pre-trained model, the photo set, and where photos are served (for galleries). The workbook
 * aggregator (index.ts) passes its own memoised loaders, so a page loads the model and decodes the photos once
 * whichever part of `wb` asks first.
 *
 * Frozen activations live in the engine's shared cache (src/ml/activation-cache.ts activationCacheFor with
 * DEFAULT_PREFIX, the folded prefix), the same in Node and in the page.
 */
import type * as tf from '@tensorflow/tfjs';
import type { PhotoSet } from '../ml/dataset';
import type { Session } from './session';
import { siteUrl } from '../platform/base-url';

/** The loaders the training views use; each may be called often and must load once. */
export interface TrainingContext {
  /** TensorFlow.js, started on the page's backend. */
  tf(): Promise<typeof tf>;
  /** The pre-trained MobileNet (never trained itself: transfer models own copies of its layers). */
  baseModel(): Promise<tf.LayersModel>;
  /** The cat/dog/other photos with their train/validation split. */
  photos(): Promise<PhotoSet>;
  /** The URL of a photo of the set, e.g. "cat/Abyssinian_101.jpg" → "/workbook-assets/photos/cat/Abyssinian_101.jpg". */
  photoUrl(file: string): string;
}

/** Where the photo set is served. */
export const PHOTOS_URL = siteUrl('workbook-assets/photos/');

/** Memoises an async loader; a failed load is forgotten so the next call tries again. */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () => {
    pending ??= load().catch((e: unknown) => {
      pending = null;
      throw e;
    });
    return pending;
  };
}

/**
 * The context of a workbook session (session.ts): its memoised model load (with its progress bar and note), its
 * photo set, and its photo URLs. How index.ts hands the training side what the rest of `wb` already loaded.
 */
export function sessionContext(session: Session): TrainingContext {
  return {
    // createWorkbook has started TensorFlow.js on the page's backend before the session exists.
    tf: once(async () => {
      const tfjs = await import('@tensorflow/tfjs');
      await tfjs.ready();
      return tfjs;
    }),
    baseModel: () => session.loadModel(),
    photos: async () => session.photos,
    photoUrl: (file) => session.platform.photoUrl(file) ?? `${PHOTOS_URL}${file}`,
  };
}
