/**
 * Pixels in, MobileNet input out. MobileNet v1 was trained on 224×224 RGB scaled to [-1, 1]; feeding it anything
 * else (0–255 values, a squashed aspect ratio, BGR) quietly costs accuracy, so every photo, ours or the learner's
 * upload, goes through this one path.
 */
import * as tf from '@tensorflow/tfjs';

/** MobileNet's input side, in pixels. */
export const INPUT_SIZE = 224;

/** Decoded pixels, row-major: 3 bytes a pixel (RGB) or 4 (RGBA, as a canvas gives them; alpha is dropped). */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
  /** Bytes per pixel; 3 when absent. */
  channels?: 3 | 4;
}

/** The largest centred square of a width × height image, as [top, left, side]. */
export function centreSquare(width: number, height: number): [number, number, number] {
  const side = Math.min(width, height);
  return [Math.floor((height - side) / 2), Math.floor((width - side) / 2), side];
}

/**
 * One image as a [224, 224, 3] float tensor in [-1, 1]: centre-cropped to a square, resized bilinearly.
 * Photos already 224×224 (the learner-facing set) skip the crop and resize.
 */
export function imageToInput(image: RgbImage): tf.Tensor3D {
  return tf.tidy(() => {
    const channels = image.channels ?? 3;
    if (image.data.length !== image.width * image.height * channels) {
      throw new Error(`image data has ${image.data.length} bytes, expected ${image.width}×${image.height}×${channels}`);
    }
    let pixels: tf.Tensor3D = tf.tensor3d(Int32Array.from(image.data), [image.height, image.width, channels], 'int32');
    if (channels === 4) pixels = pixels.slice([0, 0, 0], [-1, -1, 3]);
    if (image.width !== INPUT_SIZE || image.height !== INPUT_SIZE) {
      const [top, left, side] = centreSquare(image.width, image.height);
      const square = pixels.slice([top, left, 0], [side, side, 3]).toFloat();
      pixels = tf.image.resizeBilinear(square, [INPUT_SIZE, INPUT_SIZE], true) as tf.Tensor3D;
    }
    // x / 127.5 − 1 maps 0…255 to −1…1, the range the ImageNet weights expect.
    return pixels.toFloat().div(127.5).sub(1) as tf.Tensor3D;
  });
}

/** Several images as one [n, 224, 224, 3] batch. */
export function imagesToBatch(images: RgbImage[]): tf.Tensor4D {
  return tf.tidy(() => tf.stack(images.map(imageToInput)) as tf.Tensor4D);
}
