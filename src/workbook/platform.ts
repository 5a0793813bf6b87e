/**
 * What the facade needs from the outside world, as one small interface: the model's bytes, the class names, the
 * photo index and the photos' pixels. The browser's implementation (platform-browser.ts) fetches them from the
 * site; Node tests hand in one that reads public/workbook-assets from disk. Everything else in src/workbook is
 * the same code in both.
 */
import type * as tf from '@tensorflow/tfjs';
import type { RgbImage } from '../ml/image';
import type { LoadProgress, ModelLoadReport } from '../ml/model';

/** A loaded pre-trained model and what its load did. */
export interface PlatformModel {
  model: tf.LayersModel;
  report: ModelLoadReport & { seconds: number };
}

/** The outside world of a workbook. */
export interface WorkbookPlatform {
  /** Loads the pre-trained MobileNet, reporting bytes as they arrive. */
  loadModel(onProgress: (p: LoadProgress) => void): Promise<PlatformModel>;
  /** The 1000 ImageNet class names, index = class id. */
  loadClassNames(): Promise<string[]>;
  /** photos/index.json, parsed but not yet validated. */
  loadPhotoIndex(): Promise<unknown>;
  /** The pixels of a photo of the set, e.g. "cat/Egyptian_Mau_10.jpg". */
  decodePhoto(file: string): Promise<RgbImage>;
  /** Where a page can show a photo (an <img src>), or null where there is no page. */
  photoUrl(file: string): string | null;
}
