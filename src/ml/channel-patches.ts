/**
 * What an early channel responds to: the image patches that excite it most.
 *
 * A position of an early feature map sees only its receptive field, a small window of the photo (receptive-field.ts):
 * 7 × 7 pixels in block 1, 19 × 19 in block 3. So the question "which photo excites this channel?" has a blurred
 * answer for an early channel (lesson 3: bright photos, dark photos), but "which *patch*?" has a sharp one. For every
 * photo we run the network up to the layer, find the positions where the channel fires hardest and crop each
 * position's receptive field out of the photo: the crops are what the channel detects — an edge at some angle, a
 * stripe, a colour boundary.
 *
 * The strongest positions of a map cluster: a dark-to-bright edge excites its neighbours too, so the raw top 9 are
 * often 9 crops of the same spot, shifted by a pixel. We keep a position only when its window shares at most
 * `maxOverlap` of its pixels with every window already kept on the same photo (greedy non-maximum suppression, as
 * object detectors do). One pass over the photos keeps the first few such peaks of every channel and photo, so any
 * channel's top patches are then a merge of small lists: choosing another channel costs nothing.
 *
 * Two details keep the ranking honest. ReLU6 clips at 6, and in blocks 1–3 many positions of many photos reach it: a
 * ranking by the clipped output is a draw among ties, so positions are ranked by the ReLU6's input (the BN output,
 * the "drive"), and the clipped activation is reported beside it. And a position whose window reaches past the
 * photo's border sees zero padding (mid-grey), an artificial edge that border-loving channels fire on; by default
 * such positions are left out, so every patch is all photo.
 */
import * as tf from '@tensorflow/tfjs';
import { foldPrefix } from './fold';
import { fieldWindow, receptiveFieldOf, type ReceptiveField } from './receptive-field';
import { layerIndex } from './surgery';
import type { ImagePatch } from './visualize';

/** One excited position: a photo (its index in the list the index was built from), a map position, its activation. */
export interface Peak {
  photo: number;
  y: number;
  x: number;
  /** The layer's output there (after ReLU6: at most 6). */
  activation: number;
  /** What the position is ranked by: the input of the layer's ReLU6 (the BN output), which is not clipped at 6. */
  drive: number;
}

/** The fraction of a size × size window's pixels it shares with the same window moved by (dy, dx) input pixels. */
export function sharedFraction(size: number, dy: number, dx: number): number {
  return (Math.max(0, size - Math.abs(dy)) * Math.max(0, size - Math.abs(dx))) / (size * size);
}

/**
 * Greedy non-maximum suppression on one channel's map of one photo: positions in decreasing activation, each kept
 * only if its receptive field shares at most `maxOverlap` of its pixels with every kept one; at most `k` (pure).
 * `map` holds h·w values row-major; ties go to the earlier position. Positions with activation ≤ 0 are skipped: a
 * ReLU channel that does not fire has no patch to show.
 */
export function channelPeaks(
  map: ArrayLike<number>,
  width: number,
  field: Pick<ReceptiveField, 'size' | 'jump'>,
  k: number,
  maxOverlap: number,
): { y: number; x: number; activation: number }[] {
  // Sorting every position is the slow part (12,544 per map in block 1), and greedy suppression reads the order only
  // until k are kept: so sort the strongest m, and look further (m doubled) only if those were not enough.
  for (let m = Math.max(32, 8 * k); ; m *= 2) {
    const order = strongest(map, m);
    const kept: { y: number; x: number; activation: number }[] = [];
    for (const i of order) {
      if (kept.length >= k) break;
      const y = Math.floor(i / width);
      const x = i % width;
      if (kept.every((p) => sharedFraction(field.size, (p.y - y) * field.jump, (p.x - x) * field.jump) <= maxOverlap))
        kept.push({ y, x, activation: map[i]! });
    }
    if (kept.length >= k || order.length < m) return kept;
  }
}

/** Indices of the (at most) m largest positive values, largest first, ties to the lower index (pure). */
export function strongest(values: ArrayLike<number>, m: number): number[] {
  // A min-heap of the best m so far: most values lose to its root at once, so one pass costs about n comparisons.
  const heap: number[] = [];
  const worse = (a: number, b: number) => values[a]! < values[b]! || (values[a] === values[b] && a > b);
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let w = i;
      if (l < heap.length && worse(heap[l]!, heap[w]!)) w = l;
      if (r < heap.length && worse(heap[r]!, heap[w]!)) w = r;
      if (w === i) return;
      [heap[i], heap[w]] = [heap[w]!, heap[i]!];
      i = w;
    }
  };
  for (let i = 0; i < values.length; i++) {
    if (!(values[i]! > 0)) continue;
    if (heap.length < m) {
      heap.push(i);
      for (let j = heap.length - 1; j > 0 && worse(heap[j]!, heap[(j - 1) >> 1]!); j = (j - 1) >> 1) {
        [heap[j], heap[(j - 1) >> 1]] = [heap[(j - 1) >> 1]!, heap[j]!];
      }
    } else if (worse(heap[0]!, i)) {
      heap[0] = i;
      down(0);
    }
  }
  return heap.sort((a, b) => values[b]! - values[a]! || a - b);
}

/** How the photos are fed: model-input batches [n, 224, 224, 3] in [−1, 1] for photo indices (the caller owns nothing returned). */
export type InputLoader = (photos: number[]) => Promise<tf.Tensor4D>;

/** Options of ChannelPatchIndex.build. */
export interface PatchIndexOptions {
  /** Peaks kept per photo and channel: the most patches `top` can return from one photo (default 9). */
  perPhoto?: number;
  /** Largest fraction of pixels two kept windows of one photo may share (default 0.25). */
  maxOverlap?: number;
  /** Photos per forward pass (default 16). */
  batchSize?: number;
  /** Leave out positions whose window reaches outside the photo (default true). */
  insideOnly?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/** Every channel's strongest, non-overlapping positions on every photo, for one layer. */
export class ChannelPatchIndex {
  private constructor(
    readonly layer: string,
    readonly field: ReceptiveField,
    /** The layer's [height, width, channels]. */
    readonly shape: [number, number, number],
    readonly photoCount: number,
    readonly maxOverlap: number,
    /** peaks[channel][photo]: that photo's kept positions, strongest first. */
    private readonly peaks: Peak[][][],
    /** Seconds the forward passes and the peak search took. */
    readonly seconds: number,
  ) {}

  /** Runs `photoCount` photos through the model up to `layer` (batched, every tensor disposed) and keeps the peaks. */
  static async build(
    model: tf.LayersModel,
    layer: string,
    photoCount: number,
    load: InputLoader,
    options: PatchIndexOptions = {},
  ): Promise<ChannelPatchIndex> {
    const { perPhoto = 9, maxOverlap = 0.25, batchSize = 16 } = options;
    if (!Number.isInteger(perPhoto) || perPhoto < 1)
      throw new Error(`perPhoto must be a positive integer, got ${perPhoto}`);
    if (!(maxOverlap >= 0 && maxOverlap < 1)) throw new Error(`maxOverlap must be in [0, 1), got ${maxOverlap}`);
    const field = receptiveFieldOf(model, layer);
    const [, h, w, c] = model.getLayer(field.layer).outputShape as number[];
    if (h == null || w == null || c == null)
      throw new Error(`${layer} has no feature maps [height, width, channels]: pick a conv layer`);
    // Rank by the input of a final ReLU / ReLU6 (unclipped), report the clipped output.
    const at = layerIndex(model, field.layer);
    const clip = clipOf(model.layers[at]!);
    const rankLayer = clip != null && at > 1 ? model.layers[at - 1]!.name : field.layer;
    const activate = (d: number) =>
      clip === 'relu6' ? Math.min(6, Math.max(0, d)) : clip === 'relu' ? Math.max(0, d) : d;
    const folded = foldPrefix(model, rankLayer);
    // Positions whose window lies inside the photo: rows and columns lo … hi.
    const side = model.inputs[0]!.shape[1]!;
    const lo = options.insideOnly === false ? 0 : Math.max(0, Math.ceil(-field.first / field.jump));
    const hiY =
      options.insideOnly === false
        ? h - 1
        : Math.min(h - 1, Math.floor((side - field.size - field.first) / field.jump));
    const hiX =
      options.insideOnly === false
        ? w - 1
        : Math.min(w - 1, Math.floor((side - field.size - field.first) / field.jump));
    const peaks: Peak[][][] = Array.from({ length: c }, () => []);
    const started = performance.now();
    const map = new Float32Array(h * w);
    try {
      for (let start = 0; start < photoCount; start += batchSize) {
        const ids = Array.from({ length: Math.min(batchSize, photoCount - start) }, (_, i) => start + i);
        const x = await load(ids);
        const y = folded.predict(x);
        x.dispose();
        const values = (await y.data()) as Float32Array;
        y.dispose();
        ids.forEach((photo, b) => {
          const base = b * h * w * c;
          for (let ch = 0; ch < c; ch++) {
            map.fill(0); // positions outside lo … hi stay 0: never a peak
            for (let yy = lo; yy <= hiY; yy++)
              for (let xx = lo; xx <= hiX; xx++) map[yy * w + xx] = values[base + (yy * w + xx) * c + ch]!;
            peaks[ch]![photo] = channelPeaks(map, w, field, perPhoto, maxOverlap).map((p) => ({
              photo,
              y: p.y,
              x: p.x,
              activation: activate(p.activation),
              drive: p.activation,
            }));
          }
        });
        options.onProgress?.(start + ids.length, photoCount);
      }
    } finally {
      folded.dispose();
    }
    return new ChannelPatchIndex(
      field.layer,
      field,
      [h, w, c],
      photoCount,
      maxOverlap,
      peaks,
      (performance.now() - started) / 1000,
    );
  }

  /**
   * The k strongest non-overlapping positions of `channel` over all photos, by drive, strongest first (ties: earlier
   * photo).
   * Exactly the greedy pick over every position of every photo as long as k ≤ perPhoto (no photo can run out).
   * `maxPerPhoto` caps the patches taken from one photo, for variety.
   */
  top(channel: number, k = 9, maxPerPhoto = Infinity): Peak[] {
    const c = this.shape[2];
    if (!Number.isInteger(channel) || channel < 0 || channel >= c)
      throw new Error(`channel ${channel} is out of range: ${this.layer} has channels 0…${c - 1}`);
    if (!Number.isInteger(k) || k < 1) throw new Error(`k must be a positive integer, got ${k}`);
    if (!(maxPerPhoto >= 1)) throw new Error(`maxPerPhoto must be at least 1, got ${maxPerPhoto}`);
    // Greedy suppression only compares windows of one photo, so the global greedy pick is the per-photo lists merged.
    const used = new Map<number, number>();
    const out: Peak[] = [];
    for (const p of this.peaks[channel]!.flat().sort((a, b) => b.drive - a.drive || a.photo - b.photo)) {
      if (out.length >= k) break;
      const n = used.get(p.photo) ?? 0;
      if (n >= maxPerPhoto) continue; // a photo full of one texture (a zebra) would fill the grid alone
      used.set(p.photo, n + 1);
      out.push(p);
    }
    return out;
  }

  /** The input window (possibly reaching outside the photo) that a peak's position sees. */
  windowOf(peak: Peak): { top: number; left: number; size: number } {
    return fieldWindow(this.field, peak.y, peak.x);
  }

  /**
   * The peaks' windows cut from their photos, for patchGrid: each photo is loaded once through `load` and turned back
   * from model input ([−1, 1]) into RGB bytes.
   */
  async patches(peaks: readonly Peak[], load: InputLoader): Promise<ImagePatch[]> {
    const photos = [...new Set(peaks.map((p) => p.photo))];
    const images = new Map<number, ImagePatch['image']>();
    if (photos.length > 0) {
      const x = await load(photos);
      const [, h, w] = x.shape;
      const bytes = tf.tidy(() => x.add(1).mul(127.5).round().clipByValue(0, 255).toInt());
      x.dispose();
      const data = (await bytes.data()) as Int32Array;
      bytes.dispose();
      photos.forEach((photo, i) =>
        images.set(photo, { width: w, height: h, data: data.subarray(i * h * w * 3, (i + 1) * h * w * 3) }),
      );
    }
    return peaks.map((p) => ({ image: images.get(p.photo)!, ...this.windowOf(p) }));
  }
}

/** 'relu6' or 'relu' when a layer is only that clipping activation, else null. */
function clipOf(layer: tf.layers.Layer): 'relu' | 'relu6' | null {
  const config = layer.getConfig() as { activation?: string; maxValue?: number | null };
  if (layer.getClassName() === 'ReLU') return config.maxValue == null ? 'relu' : config.maxValue === 6 ? 'relu6' : null;
  if (layer.getClassName() === 'Activation' && (config.activation === 'relu' || config.activation === 'relu6'))
    return config.activation;
  return null;
}
