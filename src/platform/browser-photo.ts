/**
 * Photos in the browser: a URL (or a File the learner drops) decoded to the RgbImage the engine's preprocessing
 * takes (src/ml/image.ts). The browser's own decoder does the JPEG work (createImageBitmap), off the main thread
 * where it can; an OffscreenCanvas hands back the RGBA bytes.
 */
import type { RgbImage } from '../ml/image';
import { AssetLoadError } from '../ml/model';

/** Decodes an image blob (JPEG, PNG, WebP…) to RGBA pixels at its natural size. */
export async function decodeImage(blob: Blob, name = 'image'): Promise<RgbImage> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob);
  } catch (cause) {
    throw new AssetLoadError(name, `is not an image this browser can decode (${blob.type || 'unknown type'})`, {
      cause,
    });
  }
  const { width, height } = bitmap;
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('this browser gives no 2D OffscreenCanvas context: photos cannot be decoded');
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  return { width, height, data: context.getImageData(0, 0, width, height).data, channels: 4 };
}

/** Fetches and decodes one photo; a missing file is an error naming its URL. */
export async function loadPhoto(url: string): Promise<RgbImage> {
  const response = await fetch(url);
  if (!response.ok) throw new AssetLoadError(url, `HTTP ${response.status} ${response.statusText}`.trim());
  return decodeImage(await response.blob(), url);
}
