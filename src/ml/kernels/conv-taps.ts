/**
 * The geometry shared by the conv gradient kernels, and "taps": for a k×k filter, the k·k shifted, strided views of
 * the (padded) input that each filter position multiplies during the forward pass.
 *
 * Forward, NHWC: out[n, oh, ow, :] = Σ_{kh, kw} xPadded[n, oh·s + kh, ow·s + kw, :] · w[kh, kw, :, :].
 * So tap (kh, kw) is xPadded[:, kh :: s, kw :: s, :] cut to the output's height and width, and every filter
 * gradient is "tap times output gradient, summed over batch and positions" — a matmul for a normal conv, an
 * elementwise product for a depthwise one.
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
    xShape as Shape4, filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, depthwise, 'channelsLast');
}

/**
 * The filterHeight·filterWidth taps of `x`, in (kh, kw) row-major order, each [batch, outHeight, outWidth, inChannels].
 * The input is zero-padded first by the forward pass's top/left padding, and at the bottom/right by exactly as
 * much as the last tap needs (tfjs's 'same' padding may put the odd extra row at the bottom).
 */
export function extractTaps(k: KernelComposer, x: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo[] {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth } = info;
  const { filterHeight, filterWidth, padInfo } = info;
  // Rows the last tap reaches, counted in padded coordinates.
  const spanHeight = (outHeight - 1) * strideHeight + 1;
  const spanWidth = (outWidth - 1) * strideWidth + 1;
  const padBottom = Math.max(0, spanHeight + filterHeight - 1 - inHeight - padInfo.top);
  const padRight = Math.max(0, spanWidth + filterWidth - 1 - inWidth - padInfo.left);
  const padded = padInfo.top + padBottom + padInfo.left + padRight > 0
    ? k.run('PadV2', { x }, {
      paddings: [[0, 0], [padInfo.top, padBottom], [padInfo.left, padRight], [0, 0]],
      constantValue: 0,
    })
    : x;
  const taps: tf.TensorInfo[] = [];
  for (let kh = 0; kh < filterHeight; kh++) {
    for (let kw = 0; kw < filterWidth; kw++) {
      taps.push(k.run('StridedSlice', { x: padded }, {
        begin: [0, kh, kw, 0],
        end: [batchSize, kh + spanHeight, kw + spanWidth, inChannels],
        strides: [1, strideHeight, strideWidth, 1],
        beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0,
      }));
    }
  }
  return taps;
}
