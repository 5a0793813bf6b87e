/**
 * The first layer as it really computes: conv1 with its BatchNorm folded in.
 *
 * conv1's raw kernel is not what makes its channels fire. BatchNormalization follows it and, at inference, multiplies
 * each channel by scale = γ/√(var + ε) and adds shift = β − mean·scale (fold-weights.ts). The channel's output is
 *   relu6(Σ (kernel·scale)·pixel + shift)
 * so the *effective* filter is kernel·scale:
 * - where γ < 0 the sign flips: the channel fires on the opposite of its raw kernel (conv1_bn has two such channels);
 * - the scale differs by a factor of hundreds between channels, so drawing each raw filter at its own contrast hides
 *   which channels are strong: here all filters share one scale, grey = 0;
 * - a filter whose weights have decayed to almost nothing ("dead": weight decay pulls the weights of a channel that
 *   never helps towards 0) outputs the constant relu6(shift) whatever the photo. We flag it instead of stretching
 *   its rounding noise to full contrast.
 * The luminance kernel (the filter summed over red, green and blue) is what the channel does to a grey photo:
 * that is where edge and line detectors show, as a dark side next to a bright one.
 */
import * as tf from '@tensorflow/tfjs';
import { batchNormAffine, foldIntoConv, layerWeight } from './fold-weights';
import { paintGrid, type GridOptions, type GridPicture } from './visualize';

/** Default dead-filter threshold: a filter is dead when its largest raw |weight| is below 1e-3 of the largest filter's. */
export const DEAD_FILTER_THRESHOLD = 1e-3;

/** One channel of the folded first layer. */
export interface FoldedFilter {
  channel: number;
  /** conv1_bn's γ for this channel. */
  gamma: number;
  /** γ/√(var + ε): what BN multiplies the conv output by. Negative: the channel fires on the opposite of its raw kernel. */
  scale: number;
  /** β − mean·scale: the folded bias, the channel's output (before ReLU6) on an all-zero (mid-grey) input. */
  bias: number;
  /** Largest |weight| of the raw kernel. */
  rawPeak: number;
  /** Largest |weight| of the folded kernel. */
  peak: number;
  /** rawPeak below threshold × the largest filter's rawPeak: the filter has decayed to nothing. */
  dead: boolean;
  /** scale < 0: the raw kernel drawn as is would show what the channel fires *against*. */
  flipped: boolean;
  /** peak > the shared full scale: the tile saturates (drawn with a yellow frame). */
  clipped: boolean;
  /**
   * How far the ReLU6 output can move over every possible input in [−1, 1]: relu6(bias + Σ|w|) − relu6(bias − Σ|w|).
   * 0 means the channel is constant (a dead ReLU), 6 that it can swing over its whole range.
   */
  outputSpan: number;
  /** The folded kernel [ky][kx][rgb]. */
  kernel: number[][][];
  /** The folded kernel summed over red, green and blue [ky][kx]: its response to a grey photo (edges, lines). */
  luminance: number[][];
  /**
   * The brightness pattern that makes the channel fire (luminancePattern of the folded kernel, so the sign of γ is
   * in it): 'none' for a dead filter or a colour-only one (its luminance is below 5 % of its largest weight).
   */
  fires: LuminancePattern;
}

/** conv1 with its BN folded in, every filter on one shared scale. */
export interface FoldedFirstLayer {
  conv: string;
  batchNorm: string;
  filters: FoldedFilter[];
  /** The shared full scale: a folded weight of ±fullScale is drawn at full brightness/darkness, 0 at grey. */
  fullScale: number;
  threshold: number;
}

/** The model's first Conv2D and the BatchNormalization right after it. */
function firstConvAndBn(model: tf.LayersModel): [tf.layers.Layer, tf.layers.Layer] {
  const i = model.layers.findIndex((l) => l.getClassName() === 'Conv2D');
  if (i < 0) throw new Error('the model has no Conv2D layer to draw filters from');
  const bn = model.layers[i + 1];
  if (bn?.getClassName() !== 'BatchNormalization')
    throw new Error(`${model.layers[i]!.name} is not followed by a BatchNormalization layer to fold`);
  return [model.layers[i]!, bn];
}

/**
 * conv1 of `model` with conv1_bn folded in (scale and sign), its dead filters flagged. `threshold` is relative to the
 * largest raw filter (default DEAD_FILTER_THRESHOLD); `fullScale` defaults to the largest |weight| of any live
 * folded filter.
 */
export function foldedFirstLayer(
  model: tf.LayersModel,
  options: { threshold?: number; fullScale?: number } = {},
): FoldedFirstLayer {
  const [conv, bn] = firstConvAndBn(model);
  const raw = layerWeight(conv, 'kernel') as tf.Tensor4D;
  if (raw.shape[2] !== 3) throw new Error(`the first conv must read RGB: its kernel is [${raw.shape.join(', ')}]`);
  const threshold = options.threshold ?? DEAD_FILTER_THRESHOLD;
  const affine = batchNormAffine(bn);
  const out = foldIntoConv(raw, layerWeight(conv, 'bias') as tf.Tensor1D | undefined, affine, false);
  const folded = out.filter.arraySync();
  const bias = out.bias.arraySync();
  const scale = affine.scale.arraySync();
  tf.dispose([affine.scale, affine.shift, out.filter, out.bias]);
  const gamma = layerWeight(bn, 'gamma')?.arraySync() as number[] | undefined; // scale: false → γ = 1
  const rawValues = raw.arraySync();
  const n = raw.shape[3];
  const cells = (k: number[][][][], f: number) => k.flatMap((row) => row.flatMap((px) => px.map((rgb) => rgb[f]!)));
  const rawPeaks = Array.from({ length: n }, (_, f) => Math.max(...cells(rawValues, f).map(Math.abs)));
  const largest = Math.max(...rawPeaks);
  const relu6 = (v: number) => Math.min(6, Math.max(0, v));
  const filters = Array.from({ length: n }, (_, f): FoldedFilter => {
    const kernel = folded.map((row) => row.map((px) => px.map((rgb) => rgb[f]!)));
    const reach = cells(folded, f).reduce((s, v) => s + Math.abs(v), 0); // inputs are in [−1, 1]
    const luminance = kernel.map((row) => row.map((px) => px[0]! + px[1]! + px[2]!));
    const peak = Math.max(...cells(folded, f).map(Math.abs));
    const dead = rawPeaks[f]! < threshold * largest;
    return {
      channel: f,
      gamma: gamma?.[f] ?? 1,
      scale: scale[f]!,
      bias: bias[f]!,
      rawPeak: rawPeaks[f]!,
      peak,
      dead,
      flipped: scale[f]! < 0,
      clipped: false, // set below, once the full scale is known
      outputSpan: relu6(bias[f]! + reach) - relu6(bias[f]! - reach),
      kernel,
      luminance,
      fires: dead ? 'none' : luminancePattern(luminance, 0.05 * peak),
    };
  });
  const live = filters.filter((f) => !f.dead);
  const fullScale = options.fullScale ?? Math.max(...live.map((f) => f.peak), 1e-12);
  if (!(fullScale > 0)) throw new Error(`foldedFirstLayer: fullScale must be positive, got ${fullScale}`);
  for (const f of filters) f.clipped = !f.dead && f.peak > fullScale;
  return { conv: conv.name, batchNorm: bn.name, filters, fullScale, threshold };
}

/** The grey level of folded weight v on the shared scale: 127.5 at 0, 255 at +fullScale, 0 at −fullScale (clipped). */
export function sharedGrey(v: number, fullScale: number): number {
  return 127.5 + 127.5 * Math.max(-1, Math.min(1, v / fullScale));
}

/** Colour of a dead tile's cross; dead tiles are otherwise plain grey (weight 0). */
export const DEAD_MARK: readonly [number, number, number] = [200, 30, 30];

/** Colour of the frame around a tile whose weights exceed the shared full scale (its colours saturate). */
export const CLIPPED_MARK: readonly [number, number, number] = [255, 215, 0];

/**
 * The folded filters as RGB tiles on one shared scale (grey = 0, the same grey in every tile). `luminance: true`
 * draws each filter's luminance kernel in grey instead (bright: a bright pixel there raises the output), on its own
 * shared scale (default: the largest live |luminance weight|; `fullScale` sets it). Dead filters are drawn as a grey
 * tile crossed in red; a tile that goes beyond the full scale gets a yellow frame.
 */
export function foldedFilterGrid(
  layer: FoldedFirstLayer,
  options: GridOptions & { luminance?: boolean; fullScale?: number } = {},
): GridPicture {
  const first = layer.filters[0]!;
  const h = first.kernel.length;
  const w = first.kernel[0]!.length;
  const scale = options.scale ?? 16;
  const s = layer.fullScale;
  // The luminance kernels share their own scale: the largest |luminance weight| of a live filter.
  const lumScale =
    options.fullScale ??
    Math.max(...layer.filters.filter((f) => !f.dead).flatMap((f) => f.luminance.flat().map(Math.abs)), 1e-12);
  // Painted at 1 source pixel per output pixel, so the dead tiles' cross can be drawn inside the scaled-up tile.
  return paintGrid(
    layer.filters.length,
    w * scale,
    h * scale,
    { gap: 2, columns: layer.filters.length, ...options, scale: 1 },
    (t, x, y) => {
      const f = layer.filters[t]!;
      const ky = Math.floor(y / scale);
      const kx = Math.floor(x / scale);
      if (f.dead) {
        const onCross = Math.abs(x - y) <= 1 || Math.abs(x + y - (w * scale - 1)) <= 1;
        return onCross ? DEAD_MARK : [127.5, 127.5, 127.5];
      }
      const beyond = options.luminance ? f.luminance.flat().some((v) => Math.abs(v) > lumScale) : f.clipped;
      if (beyond && Math.min(x, y, w * scale - 1 - x, h * scale - 1 - y) < 2) return CLIPPED_MARK;
      if (options.luminance) {
        const g = sharedGrey(f.luminance[ky]![kx]!, lumScale);
        return [g, g, g];
      }
      const px = f.kernel[ky]![kx]!;
      return [sharedGrey(px[0]!, s), sharedGrey(px[1]!, s), sharedGrey(px[2]!, s)];
    },
  );
}

/** The brightness pattern a 3×3 luminance kernel responds to most, as a learner would say it. */
export type LuminancePattern =
  | 'none'
  | 'bright'
  | 'dark'
  | 'horizontal edge, dark above'
  | 'horizontal edge, bright above'
  | 'vertical edge, dark on the left'
  | 'vertical edge, bright on the left'
  | 'bright horizontal line'
  | 'dark horizontal line'
  | 'bright vertical line'
  | 'dark vertical line';

/**
 * Which brightness pattern a luminance kernel [3][3] matches best (pure): the mean of its bottom row minus its top
 * row (a horizontal edge), of its right minus its left column (a vertical edge), of its middle row or column minus
 * the outside ones (a line), or its mean weight (bright or dark overall). The largest wins; 'none' when every one is
 * below `floor` (a colour-only filter sums to 0 over red, green and blue).
 */
export function luminancePattern(kernel: number[][], floor = 1e-3): LuminancePattern {
  if (kernel.length !== 3 || kernel.some((r) => r.length !== 3)) throw new Error('luminancePattern reads a 3×3 kernel');
  const sum = (cells: number[]) => cells.reduce((a, b) => a + b, 0);
  const row = (i: number) => sum(kernel[i]!);
  const col = (i: number) => sum(kernel.map((r) => r[i]!));
  // Everything per cell, so a uniform response and a contrast are compared in the same units; structure first, so a
  // tie (a line that also raises the sum) is named by its shape.
  const candidates: [number, LuminancePattern, LuminancePattern][] = [
    [(row(2) - row(0)) / 3, 'horizontal edge, dark above', 'horizontal edge, bright above'],
    [(col(2) - col(0)) / 3, 'vertical edge, dark on the left', 'vertical edge, bright on the left'],
    [row(1) / 3 - (row(0) + row(2)) / 6, 'bright horizontal line', 'dark horizontal line'],
    [col(1) / 3 - (col(0) + col(2)) / 6, 'bright vertical line', 'dark vertical line'],
    [sum(kernel.flat()) / 9, 'bright', 'dark'],
  ];
  const [value, up, down] = candidates.reduce((best, c) => (Math.abs(c[0]) > Math.abs(best[0]) ? c : best));
  if (Math.abs(value) < floor) return 'none';
  return value > 0 ? up : down;
}
