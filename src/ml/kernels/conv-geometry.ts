/**
 * The geometry shared by the conv gradient kernels.
 *
 * Forward, NHWC: out[n, oh, ow, :] = Σ_{kh, kw} xPadded[n, oh·s + kh, ow·s + kw, :] · w[kh, kw, :, :].
 * Both gradients are convolutions again, on suitably framed tensors:
 * - filter gradient: dW[kh, kw] = Σ_{n, oh, ow} xPadded[n, kh + s·oh, kw + s·ow] · dy[n, oh, ow] — slide dy over x
 *   like a filter whose taps are s apart (a conv *dilated* by s); x is framed by frameForFilterGradient.
 * - input gradient: the forward pass run backwards, a stride-1 conv of dy spread out to the stride and padded
 *   (frameForTransposedConv) with the filter flipped.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelComposer } from './kernel-composer';

type Shape4 = [number, number, number, number];

/** Strides, padding, rounding and dilations as the conv kernels receive them in their attrs. */
export interface ConvAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dilations?: [number, number] | number;
  dataFormat?: 'NHWC' | 'NCHW';
}

/**
 * tfjs's own description of the forward conv (output size, padding per side), after checking that the
 * attrs are ones these kernels implement: channels-last data and no dilation.
 */
export function convGeometry(
  purpose: string,
  xShape: number[],
  filterShape: Shape4,
  attrs: ConvAttrs,
  depthwise: boolean,
): tf.backend_util.Conv2DInfo {
  if (xShape.length !== 4) throw new Error(`${purpose}: input must be rank 4 (NHWC), got shape [${xShape.join(',')}]`);
  if (attrs.dataFormat === 'NCHW') {
    throw new Error(`${purpose}: only channels-last (NHWC) data is supported, got dataFormat 'NCHW'`);
  }
  const dilations = attrs.dilations ?? 1;
  const [dh, dw] = typeof dilations === 'number' ? [dilations, dilations] : dilations;
  if (dh !== 1 || dw !== 1) {
    throw new Error(`${purpose}: dilation rates other than 1 are not supported, got [${dh}, ${dw}]`);
  }
  return tf.backend_util.computeConv2DInfo(
    xShape as Shape4,
    filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    depthwise,
    'channelsLast',
  );
}

/**
 * Pads the spatial axes of an NHWC tensor by `before`/`after` rows and columns; negative amounts crop instead.
 * Returns `x` itself when nothing changes.
 */
function frame(k: KernelComposer, x: tf.TensorInfo, before: [number, number], after: [number, number]): tf.TensorInfo {
  const [n, h, w, c] = x.shape as Shape4;
  const grow = (v: number) => Math.max(0, v);
  let out = x;
  if ([...before, ...after].some((v) => v > 0)) {
    out = k.run(
      'PadV2',
      { x },
      {
        paddings: [
          [0, 0],
          [grow(before[0]), grow(after[0])],
          [grow(before[1]), grow(after[1])],
          [0, 0],
        ],
        constantValue: 0,
      },
    );
  }
  if ([...before, ...after].some((v) => v < 0)) {
    out = k.run(
      'Slice',
      { x: out },
      {
        begin: [0, grow(-before[0]), grow(-before[1]), 0],
        size: [n, before[0] + h + after[0], before[1] + w + after[1], c],
      },
    );
  }
  return out;
}

/**
 * x [n, inHeight, inWidth, c] padded like the forward pass and cut to exactly the rows and columns the forward conv
 * read: (outHeight − 1)·strideHeight + filterHeight by (outWidth − 1)·strideWidth + filterWidth. A conv of this
 * with dy as its filter, dilated by the stride, then yields exactly filterHeight × filterWidth positions.
 */
export function frameForFilterGradient(
  k: KernelComposer,
  x: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo {
  const { inHeight, inWidth, outHeight, outWidth, padInfo, strideHeight, strideWidth, filterHeight, filterWidth } =
    info;
  const rows = (outHeight - 1) * strideHeight + filterHeight;
  const columns = (outWidth - 1) * strideWidth + filterWidth;
  return frame(k, x, [padInfo.top, padInfo.left], [rows - inHeight - padInfo.top, columns - inWidth - padInfo.left]);
}

/**
 * The output gradient dy [n, outHeight, outWidth, ch] made ready for the transposed conv: a *valid*, stride-1
 * conv of the result with the spatially flipped filter gives the input gradient [n, inHeight, inWidth, ·].
 *
 * Why: x row i fed output rows oh with oh·s + kh − padTop = i. Spreading dy to the forward stride (s − 1 zeros
 * between values, so dy[oh] sits at row oh·s) and padding it by filterHeight − 1 − padTop in front turns that
 * relation into dx[i] = Σ_kh' framed[i + kh'] · wFlipped[kh'] — an ordinary correlation; the end is padded (or
 * cut) so exactly inHeight rows come out.
 */
export function frameForTransposedConv(
  k: KernelComposer,
  dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo {
  const { batchSize: n, inHeight, inWidth, outHeight, outWidth, padInfo } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight, filterWidth } = info;
  const ch = dy.shape[3]!;
  let spread = dy;
  if (sh > 1 || sw > 1) {
    // [n, OH, 1, OW, 1, ch] padded to [n, OH, sh, OW, sw, ch] puts each value at the corner of an sh×sw block of
    // zeros; flattening the blocks gives [n, OH·sh, OW·sw, ch] with dy at multiples of the stride.
    const blocks = k.reshape(dy, [n, outHeight, 1, outWidth, 1, ch]);
    const padded = k.run(
      'PadV2',
      { x: blocks },
      {
        paddings: [
          [0, 0],
          [0, 0],
          [0, sh - 1],
          [0, 0],
          [0, sw - 1],
          [0, 0],
        ],
        constantValue: 0,
      },
    );
    spread = k.reshape(padded, [n, outHeight * sh, outWidth * sw, ch]);
  }
  const before: [number, number] = [filterHeight - 1 - padInfo.top, filterWidth - 1 - padInfo.left];
  const after: [number, number] = [
    inHeight + filterHeight - 1 - before[0] - spread.shape[1]!,
    inWidth + filterWidth - 1 - before[1] - spread.shape[2]!,
  ];
  return frame(k, spread, before, after);
}

/** The filter flipped in both spatial axes (a no-op for 1×1 filters, so none is made). */
export function flipSpatially(k: KernelComposer, filter: tf.TensorInfo): tf.TensorInfo {
  const [fh, fw] = filter.shape;
  return fh === 1 && fw === 1 ? filter : k.run('Reverse', { x: filter }, { dims: [0, 1] });
}
