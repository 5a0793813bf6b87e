/**
 * Pictures of what the network has learned, as plain RGBA pixels (no DOM: src/platform/browser-draw.ts puts them
 * on a canvas, the tests inspect them in Node):
 * - the first layer's filters: each 3×3×3 kernel of conv1 is itself a tiny RGB image of the pattern it responds to;
 * - a layer's feature maps for one photo: one tile per channel, where the channel fires;
 * - for a late layer, the dataset photos that excite a channel most: what that channel "means".
 */
import * as tf from '@tensorflow/tfjs';

/** RGBA pixels, row-major, 4 bytes a pixel: what `new ImageData(data, width, height)` takes. */
export interface Pixels {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** How tiles are laid out in a grid picture; keep it to map a pointer position back to a tile. */
export interface GridLayout {
  tiles: number;
  columns: number;
  rows: number;
  /** A tile's size in the picture, after scaling. */
  tileWidth: number;
  tileHeight: number;
  gap: number;
}

/** A grid picture and its layout. */
export interface GridPicture extends Pixels {
  layout: GridLayout;
}

/** Layout options: nearest-neighbour scale factor, pixels between tiles, tiles per row. */
export interface GridOptions {
  scale?: number;
  gap?: number;
  columns?: number;
}

/** Viridis (matplotlib): dark blue → green → yellow; perceptually even and readable by colour-blind learners. */
const VIRIDIS = [
  [68, 1, 84],
  [71, 45, 123],
  [59, 82, 139],
  [44, 114, 142],
  [33, 145, 140],
  [40, 174, 128],
  [94, 201, 98],
  [173, 220, 48],
  [253, 231, 37],
] as const;

/** The viridis colour of t ∈ [0, 1] (clamped), interpolated between its 9 stops. */
export function viridis(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const a = VIRIDIS[i]!;
  const b = VIRIDIS[i + 1]!;
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

/**
 * Paints `tiles` tiles of w×h source pixels into one picture; `colour(tile, x, y)` gives a source pixel's RGB.
 * Each source pixel becomes a scale×scale square (nearest neighbour: small kernels stay crisp, not blurred).
 */
export function paintGrid(
  tiles: number,
  w: number,
  h: number,
  options: GridOptions,
  colour: (tile: number, x: number, y: number) => readonly [number, number, number],
): GridPicture {
  const scale = options.scale ?? 1;
  const gap = options.gap ?? 1;
  const columns = Math.min(options.columns ?? Math.ceil(Math.sqrt(tiles)), tiles);
  const rows = Math.ceil(tiles / columns);
  const tw = w * scale;
  const th = h * scale;
  const width = columns * tw + (columns - 1) * gap;
  const height = rows * th + (rows - 1) * gap;
  const data = new Uint8ClampedArray(width * height * 4).fill(255); // gaps stay white
  for (let t = 0; t < tiles; t++) {
    const left = (t % columns) * (tw + gap);
    const top = Math.floor(t / columns) * (th + gap);
    for (let y = 0; y < th; y++) {
      for (let x = 0; x < tw; x++) {
        const [r, g, b] = colour(t, Math.floor(x / scale), Math.floor(y / scale));
        const o = ((top + y) * width + left + x) * 4;
        data[o] = r;
        data[o + 1] = g;
        data[o + 2] = b;
      }
    }
  }
  return { width, height, data, layout: { tiles, columns, rows, tileWidth: tw, tileHeight: th, gap } };
}

/** The tile under a point of a grid picture, or null over a gap or outside. */
export function tileAt(layout: GridLayout, x: number, y: number): number | null {
  const col = Math.floor(x / (layout.tileWidth + layout.gap));
  const row = Math.floor(y / (layout.tileHeight + layout.gap));
  if (x < 0 || y < 0 || col >= layout.columns || x - col * (layout.tileWidth + layout.gap) >= layout.tileWidth)
    return null;
  if (y - row * (layout.tileHeight + layout.gap) >= layout.tileHeight) return null;
  const tile = row * layout.columns + col;
  return tile < layout.tiles ? tile : null;
}

/** The kernel of the model's first convolution (conv1 in MobileNet): [3, 3, 3, 8]. The model owns it: do not dispose. */
export function firstConvKernel(model: tf.LayersModel): tf.Tensor4D {
  const conv = model.layers.find((l) => l.getClassName() === 'Conv2D');
  if (!conv) throw new Error('the model has no Conv2D layer to draw filters from');
  return conv.getWeights()[0] as tf.Tensor4D;
}

/**
 * The first layer's filters as RGB tiles, one per output channel. Each filter is scaled by its own largest
 * |weight| so that mid-grey means 0: bright colours are what the filter adds up, dark ones what it subtracts.
 */
export function filterGrid(kernel: tf.Tensor, options: GridOptions = {}): GridPicture {
  if (kernel.rank !== 4 || kernel.shape[2] !== 3) {
    throw new Error(
      `filterGrid draws RGB filters: the kernel must be [h, w, 3, filters], got [${kernel.shape.join(', ')}]`,
    );
  }
  const [h, w, , n] = kernel.shape as [number, number, number, number];
  const values = kernel.dataSync();
  const at = (y: number, x: number, c: number, f: number) => values[((y * w + x) * 3 + c) * n + f]!;
  const peak = Array.from({ length: n }, (_, f) => {
    let m = 0;
    for (let i = f; i < values.length; i += n) m = Math.max(m, Math.abs(values[i]!));
    return m || 1; // an all-zero filter stays grey instead of dividing by zero
  });
  const grey = (v: number, f: number) => 127.5 + (127.5 * v) / peak[f]!;
  return paintGrid(n, w, h, { scale: 16, gap: 2, columns: n, ...options }, (f, x, y) => [
    grey(at(y, x, 0, f), f),
    grey(at(y, x, 1, f), f),
    grey(at(y, x, 2, f), f),
  ]);
}

/** A model that stops at `layerName` and returns that layer's output (its activations). */
export function activationModel(model: tf.LayersModel, layerName: string): tf.LayersModel {
  let layer: tf.layers.Layer;
  try {
    layer = model.getLayer(layerName);
  } catch {
    throw new Error(`the model has no layer "${layerName}"`);
  }
  return tf.model({ inputs: model.inputs, outputs: layer.output as tf.SymbolicTensor });
}

/** Options of a feature-map grid: 'channel' scales every channel to its own range, 'layer' uses one range for all. */
export interface FeatureMapOptions extends GridOptions {
  normalize?: 'channel' | 'layer';
}

/**
 * One photo's activations [h, w, c] (or [1, h, w, c]) as c tiles in viridis. Per-channel scaling shows *where*
 * each channel fires even when it fires weakly; 'layer' scaling shows which channels fire at all (dead ReLUs
 * stay dark).
 */
export function featureMapGrid(activations: tf.Tensor, options: FeatureMapOptions = {}): GridPicture {
  const maps = activations.rank === 4 && activations.shape[0] === 1 ? activations.squeeze([0]) : activations;
  if (maps.rank !== 3) {
    throw new Error(
      `featureMapGrid draws one photo's activations [h, w, channels], got [${activations.shape.join(', ')}]`,
    );
  }
  const [h, w, c] = maps.shape as [number, number, number];
  const normalised = tf.tidy(() => {
    const axes = options.normalize === 'layer' ? undefined : [0, 1];
    const lo = maps.min(axes);
    const range = maps.max(axes).sub(lo).maximum(1e-6); // a constant channel becomes all 0, not NaN
    return maps.sub(lo).div(range);
  });
  const values = normalised.dataSync();
  normalised.dispose();
  if (maps !== activations) maps.dispose();
  const scale = options.scale ?? Math.max(1, Math.round(28 / w));
  return paintGrid(c, w, h, { scale, gap: 1, columns: Math.ceil(Math.sqrt(c)), ...options }, (t, x, y) =>
    viridis(values[(y * w + x) * c + t]!),
  );
}

/** Mean activation of every channel for every photo: [n, h, w, c] → [n, c] ("how much does photo i excite channel j"). */
export function channelMeans(activations: tf.Tensor): tf.Tensor2D {
  if (activations.rank !== 4)
    throw new Error(`channelMeans wants a batch of feature maps [n, h, w, c], got [${activations.shape.join(', ')}]`);
  return activations.mean([1, 2]) as tf.Tensor2D;
}

/** One photo of a channel's top list. */
export interface ExcitingPhoto<P> {
  /** Index into the photo list (= row of the means). */
  index: number;
  photo: P;
  activation: number;
}

/**
 * The k photos whose mean activation of `channel` is highest, highest first. `means` is [photos, channels]
 * (channelMeans of every photo, computed in batches), `photos` the list its rows belong to.
 */
export function topExcitingPhotos<P>(
  means: tf.Tensor2D,
  photos: readonly P[],
  channel: number,
  k: number,
): ExcitingPhoto<P>[] {
  const [n, c] = means.shape;
  if (n !== photos.length) throw new Error(`topExcitingPhotos: ${n} rows of activations but ${photos.length} photos`);
  if (!Number.isInteger(channel) || channel < 0 || channel >= c)
    throw new Error(`channel ${channel} is out of range: the layer has channels 0…${c - 1}`);
  if (!Number.isInteger(k) || k < 1) throw new Error(`topExcitingPhotos: k must be a positive integer, got ${k}`);
  const values = means.dataSync();
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => values[b * c + channel]! - values[a * c + channel]! || a - b,
  );
  return order.slice(0, k).map((index) => ({ index, photo: photos[index]!, activation: values[index * c + channel]! }));
}

/** A square window of an image (RGB, 3 bytes a pixel): the receptive field of one feature-map position. */
export interface ImagePatch {
  image: { width: number; height: number; data: ArrayLike<number> };
  /** The window's top-left pixel and side; it may reach outside the image (that part was zero padding). */
  top: number;
  left: number;
  size: number;
}

/** Colour of a patch's pixels that lie outside its photo (the layer saw zero padding there). */
export const OUTSIDE_PHOTO: readonly [number, number, number] = [64, 64, 64];
/** Colour of the frame drawn around the window when a patch is shown with context. */
export const WINDOW_FRAME: readonly [number, number, number] = [255, 215, 0];

/**
 * Image patches as tiles of one grid, nearest-neighbour scaled (default: about 64 pixels a tile). `context` pixels
 * of the photo around each window are shown too, with the window framed in WINDOW_FRAME just outside it; pixels
 * outside the photo are OUTSIDE_PHOTO. All patches must have the same size.
 */
export function patchGrid(
  patches: readonly ImagePatch[],
  options: GridOptions & { context?: number } = {},
): GridPicture {
  if (patches.length === 0) throw new Error('patchGrid: no patches to draw');
  const size = patches[0]!.size;
  if (patches.some((p) => p.size !== size)) throw new Error('patchGrid: every patch must have the same size');
  const context = options.context ?? 0;
  const side = size + 2 * context;
  const scale = options.scale ?? Math.max(1, Math.round(64 / side));
  return paintGrid(
    patches.length,
    side,
    side,
    { gap: 2, columns: Math.min(patches.length, 9), ...options, scale },
    (t, x, y) => {
      const p = patches[t]!;
      const wx = x - context; // position inside the window
      const wy = y - context;
      if (context > 0) {
        const ring = Math.max(wx < 0 ? -wx : wx - size + 1, wy < 0 ? -wy : wy - size + 1);
        if (ring === 1) return WINDOW_FRAME;
      }
      const px = p.left + wx;
      const py = p.top + wy;
      if (px < 0 || py < 0 || px >= p.image.width || py >= p.image.height) return OUTSIDE_PHOTO;
      const o = (py * p.image.width + px) * 3;
      return [p.image.data[o]!, p.image.data[o + 1]!, p.image.data[o + 2]!];
    },
  );
}
