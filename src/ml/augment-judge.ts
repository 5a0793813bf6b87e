/**
 * What a learner's augmentation really does, measured on images built to make the answer readable — never by
 * looking at the code. The lesson's checks (lessons/07-add-layers/checks.ts) turn these measurements into verdicts.
 *
 * - Flip: a seeded noise image, so no hard-coded output can match; the result is compared pixel by pixel with the
 *   mirror (pixel [r, c] must be the original's [r, 223 − c]), the unchanged image and the upside-down one.
 * - Rotation: a black image with a green mark at the centre and a red one 80 pixels to its right. After the
 *   function, the marks' centres of brightness say where the centre went (it must stay) and by how much the red
 *   mark turned about it (the angle) and whether its distance stayed (no zoom hiding in the rotation).
 * - Crop: an image whose red value is the row, green value the column and blue value CROP_BLUE (100) everywhere.
 *   After the function, the edges' values are the window's edges in the original, so the window's place, size and
 *   orientation can be read off. A crop only moves pixels: each pixel it gives back is a photo pixel or a blend of
 *   neighbouring ones, and a blend of 100 with 100 is 100, so every pixel from the photo still has blue 100.
 *   tf.image.cropAndResize fills the part of a window past the photo's edge with its extrapolation value (0 unless
 *   told otherwise) in every channel, so a pixel whose blue is not 100 is fill from past the edge, whatever the fill
 *   value; and when no pixel at all has blue 100 while the picture is not one flat fill, the crop changed the values
 *   (a .div(255), .mul or .add after it). The skew is read on the photo's pixels only, so a window that reaches past
 *   the edge does not look turned.
 *
 * Each function calls the learner's code a few times with seeded randomness, so a function that ignores `random`
 * is caught (every draw the same), and every tensor it makes is disposed.
 */
import * as tf from '@tensorflow/tfjs';
import { shapeProblem, type Augmentations, type Image } from './augment';
import { INPUT_SIZE } from './image';
import { mulberry32 } from './seeded';

const SIDE = INPUT_SIZE;
const LAST = SIDE - 1;

/** Runs a learner's function on a copy of `image` inside tidy; returns its pixels, or the shape problem. */
function run(fn: (image: Image) => unknown, image: Image, what: string): Float32Array | string {
  return tf.tidy(() => {
    const out = fn(image.clone());
    const problem = shapeProblem(out, what);
    if (problem) return problem;
    return (out as tf.Tensor).toFloat().dataSync() as Float32Array;
  });
}

/** How a flip compares with the mirror, the unchanged image and the vertical flip (largest pixel difference). */
export interface FlipMeasure {
  problem: string | null;
  fromMirror: number;
  fromInput: number;
  fromUpsideDown: number;
}

/** Measures a learner's flip on a seeded noise image (0–255). */
export function measureFlip(flip: Augmentations['flip'], seed = 7): FlipMeasure {
  const noise = tf.randomUniform([SIDE, SIDE, 3], 0, 255, 'float32', seed) as Image;
  const out = run(flip, noise, 'flip(image)');
  const maxDiff = (other: tf.Tensor) => {
    const o = other.dataSync();
    let m = 0;
    for (let i = 0; i < o.length; i++) m = Math.max(m, Math.abs((out as Float32Array)[i]! - o[i]!));
    return m;
  };
  let result: FlipMeasure = { problem: null, fromMirror: NaN, fromInput: NaN, fromUpsideDown: NaN };
  if (typeof out === 'string') result.problem = out;
  else {
    const [mirror, upsideDown] = [tf.reverse(noise, 1), tf.reverse(noise, 0)];
    result = {
      problem: null,
      fromMirror: maxDiff(mirror),
      fromInput: maxDiff(noise),
      fromUpsideDown: maxDiff(upsideDown),
    };
    tf.dispose([mirror, upsideDown]);
  }
  noise.dispose();
  return result;
}

/** Where a rotation put the two marks, per draw. */
export interface RotationDraw {
  /** How far the centre mark moved, in pixels. */
  centreShift: number;
  /** The red mark's turn about the centre, in degrees (positive: counter-clockwise as seen on screen). */
  degrees: number;
  /** The red mark's distance from the centre over its distance before (1: no zoom). */
  radiusRatio: number;
  /** False when the red mark is gone (turned off the image, or the image blanked). */
  found: boolean;
}

/** A rotation's draws, or the shape problem. */
export interface RotationMeasure {
  problem: string | null;
  draws: RotationDraw[];
}

const MARK_RADIUS = 80;

/** The black image with a green 9 × 9 mark at the centre and a red one MARK_RADIUS pixels to its right. */
function markImage(): Image {
  const data = new Float32Array(SIDE * SIDE * 3);
  const c = SIDE / 2;
  const paint = (row: number, col: number, channel: number) => {
    for (let r = row - 4; r <= row + 4; r++)
      for (let k = col - 4; k <= col + 4; k++) data[(r * SIDE + k) * 3 + channel] = 255;
  };
  paint(c, c, 1);
  paint(c, c + MARK_RADIUS, 0);
  return tf.tensor3d(data, [SIDE, SIDE, 3]);
}

/** The brightness-weighted centre of one channel, [row, col], or null when the channel is (almost) dark. */
function centreOf(pixels: Float32Array, channel: number): [number, number] | null {
  let [w, rs, cs] = [0, 0, 0];
  for (let r = 0; r < SIDE; r++)
    for (let c = 0; c < SIDE; c++) {
      const v = pixels[(r * SIDE + c) * 3 + channel]!;
      if (v > 40) [w, rs, cs] = [w + v, rs + v * r, cs + v * c];
    }
  return w < 255 * 20 ? null : [rs / w, cs / w];
}

/** Measures a learner's rotation over `draws` seeded draws. */
export function measureRotation(rotate: Augmentations['rotate'], draws = 6, seed = 11): RotationMeasure {
  const marks = markImage();
  const random = mulberry32(seed);
  const result: RotationMeasure = { problem: null, draws: [] };
  for (let i = 0; i < draws && !result.problem; i++) {
    const out = run((image) => rotate(image, random), marks, 'rotate(image, random)');
    if (typeof out === 'string') {
      result.problem = out;
      break;
    }
    const [green, red] = [centreOf(out, 1), centreOf(out, 0)];
    const c = SIDE / 2;
    const centreShift = green ? Math.hypot(green[0] - c, green[1] - c) : Infinity;
    if (!red) {
      result.draws.push({ centreShift, degrees: NaN, radiusRatio: NaN, found: false });
      continue;
    }
    // Rows grow downwards on screen, so −Δrow is "up": atan2(up, right) is the on-screen, counter-clockwise angle.
    const [up, right] = [c - red[0], red[1] - c];
    result.draws.push({
      centreShift,
      degrees: (Math.atan2(up, right) * 180) / Math.PI,
      radiusRatio: Math.hypot(up, right) / MARK_RADIUS,
      found: true,
    });
  }
  marks.dispose();
  return result;
}

/**
 * The blue of every pixel of the crop's test image. Not 0, 255 or 128 (nor 127.5): those are the fills a learner
 * would pick (black, white, grey), and a fill must never read as the photo.
 */
export const CROP_BLUE = 100;

/** The window a crop cut, in the original's pixels, per draw. */
export interface CropDraw {
  top: number;
  bottom: number;
  left: number;
  right: number;
  /**
   * Largest departure of a row from constant red, or a column from constant green, among the pixels from the photo
   * (0 for a clean zoom).
   */
  skew: number;
  /**
   * How many of the result's pixels are not from the photo: their blue is not CROP_BLUE (± 0.5). The fill of a
   * window past the photo's edge, whatever its value; every pixel, when the crop changed the values.
   */
  notPhoto: number;
  /** The middle value of the result's blues, sorted (the upper one of the two middle ones): the blue mostly seen. */
  blue: number;
  /** Every pixel of the result is the same colour (every channel equal to pixel 0's): one fill, no photo to read. */
  flat: boolean;
}

/** A crop's draws, or the shape problem. */
export interface CropMeasure {
  problem: string | null;
  draws: CropDraw[];
}

/** The image whose red value is its row and green value its column (0…223), blue CROP_BLUE. */
function coordinateImage(): Image {
  return tf.tidy(() => {
    const rows = tf.range(0, SIDE).reshape([SIDE, 1, 1]).tile([1, SIDE, 1]);
    const cols = tf.range(0, SIDE).reshape([1, SIDE, 1]).tile([SIDE, 1, 1]);
    return tf.concat([rows, cols, tf.fill([SIDE, SIDE, 1], CROP_BLUE)], 2).toFloat() as Image;
  });
}

/** Measures a learner's crop over `draws` seeded draws. */
export function measureCrop(crop: Augmentations['crop'], draws = 6, seed = 13): CropMeasure {
  const grid = coordinateImage();
  const random = mulberry32(seed);
  const result: CropMeasure = { problem: null, draws: [] };
  const at = (px: Float32Array, r: number, c: number, ch: number) => px[(r * SIDE + c) * 3 + ch]!;
  for (let i = 0; i < draws; i++) {
    const out = run((image) => crop(image, random), grid, 'crop(image, random)');
    if (typeof out === 'string') {
      result.problem = out;
      break;
    }
    // Blue is CROP_BLUE all over the photo and a blend of equal values is that value: a pixel with another blue is
    // cropAndResize's fill from past the photo's edge (or the crop changed the values). Half a level of slack keeps
    // a GPU's rounding from turning photo into fill.
    const inPhoto = (r: number, c: number) => Math.abs(at(out, r, c, 2) - CROP_BLUE) < 0.5;
    const blues = out.filter((_, i) => i % 3 === 2);
    const notPhoto = blues.filter((b) => Math.abs(b - CROP_BLUE) >= 0.5).length;
    let skew = 0;
    for (let k = 0; k < SIDE; k += 16) {
      // Along a row the red (row) value must not change, along a column the green (column) value must not.
      let [rowLow, rowHigh, colLow, colHigh] = [Infinity, -Infinity, Infinity, -Infinity];
      for (let j = 0; j < SIDE; j++) {
        if (inPhoto(k, j))
          [rowLow, rowHigh] = [Math.min(rowLow, at(out, k, j, 0)), Math.max(rowHigh, at(out, k, j, 0))];
        if (inPhoto(j, k))
          [colLow, colHigh] = [Math.min(colLow, at(out, j, k, 1)), Math.max(colHigh, at(out, j, k, 1))];
      }
      if (rowHigh >= rowLow) skew = Math.max(skew, rowHigh - rowLow);
      if (colHigh >= colLow) skew = Math.max(skew, colHigh - colLow);
    }
    result.draws.push({
      top: at(out, 0, 112, 0),
      bottom: at(out, LAST, 112, 0),
      left: at(out, 112, 0, 1),
      right: at(out, 112, LAST, 1),
      skew,
      notPhoto,
      blue: blues.sort()[(SIDE * SIDE) / 2]!,
      flat: out.every((v, i) => v === out[i % 3]),
    });
  }
  grid.dispose();
  return result;
}
