/**
 * The two gradients of a depthwise convolution, each composed as a forward depthwise conv on framed tensors.
 *
 * A depthwise conv with channel multiplier M filters each input channel c on its own with M filters:
 * out[n, oh, ow, c·M + m] = Σ_{kh, kw} xPadded[n, oh·s + kh, ow·s + kw, c] · w[kh, kw, c, m].
 */
import type * as tf from '@tensorflow/tfjs';
import { composedKernel, type KernelComposer } from './kernel-composer';
import {
  convGeometry,
  flipSpatially,
  frameForFilterGradient,
  frameForTransposedConv,
  type ConvAttrs,
} from './conv-geometry';

type Shape4 = [number, number, number, number];

/**
 * Filter gradient: dW[kh, kw, c, m] = Σ_{n, oh, ow} xPadded[n, oh·s + kh, ow·s + kw, c] · dy[n, oh, ow, c·M + m].
 * Per channel this is a correlation of x with dy, so it is a depthwise conv again: fold the batch into the
 * channels (x → [1, H', W', N·C]), make dy the filter (→ [OH, OW, N·C, M]) and slide it over x with its taps s apart
 * (dilation s). Output position (kh, kw) holds each (n, c)'s share of dW[kh, kw, c, :]; summing over n finishes.
 * One XNNPACK depthwise conv instead of k·k shifted copies of x: ~14× faster for conv_dw_12 here.
 */
export function depthwiseBackpropFilter(
  k: KernelComposer,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap,
): tf.TensorInfo {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { filterShape } = attrs as unknown as { filterShape: Shape4 };
  const info = convGeometry(
    'DepthwiseConv2dNativeBackpropFilter',
    x.shape,
    filterShape,
    attrs as unknown as ConvAttrs,
    true,
  );
  const [filterHeight, filterWidth, channels, multiplier] = filterShape;
  const { batchSize, outHeight, outWidth } = info;

  const framed = frameForFilterGradient(k, x, info); // [N, H', W', C]
  const batchInChannels = k.run('Transpose', { x: framed }, { perm: [1, 2, 0, 3] }); // [H', W', N, C]
  const xWide = k.reshape(batchInChannels, [1, framed.shape[1]!, framed.shape[2]!, batchSize * channels]);
  const dyPositionsFirst = k.run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] }); // [OH, OW, N, C·M]
  const dyAsFilter = k.reshape(dyPositionsFirst, [outHeight, outWidth, batchSize * channels, multiplier]);
  const perItem = k.run(
    'DepthwiseConv2dNative',
    { x: xWide, filter: dyAsFilter },
    {
      strides: [1, 1],
      pad: 'valid',
      dilations: [info.strideHeight, info.strideWidth],
    },
  ); // [1, KH, KW, N·C·M]
  const byItem = k.reshape(perItem, [filterHeight * filterWidth, batchSize, channels * multiplier]);
  const summed = k.run('Sum', { x: byItem }, { axis: [1], keepDims: false });
  return k.reshape(summed, [filterHeight, filterWidth, channels, multiplier]);
}

/**
 * Input gradient: the transpose of the forward conv. Each dy value was produced by a k×k window of x, so it flows
 * back to that window weighted by the filter: a valid, stride-1 depthwise conv of the framed dy (spread to the
 * stride and padded, see frameForTransposedConv) with the filter flipped in both spatial axes.
 * With M > 1 the conv runs over all C·M gradient channels and the M results of each input channel are summed.
 */
export function depthwiseBackpropInput(
  k: KernelComposer,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap,
): tf.TensorInfo {
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const { inputShape } = attrs as unknown as { inputShape: Shape4 };
  const info = convGeometry(
    'DepthwiseConv2dNativeBackpropInput',
    inputShape,
    filter.shape as Shape4,
    attrs as unknown as ConvAttrs,
    true,
  );
  const [batch, height, width, channels] = inputShape;
  const [filterHeight, filterWidth, , multiplier] = filter.shape as Shape4;

  const framed = frameForTransposedConv(k, dy, info);
  // Treat all C·M gradient channels as the inputs of a multiplier-1 depthwise conv.
  const flipped = k.reshape(flipSpatially(k, filter), [filterHeight, filterWidth, channels * multiplier, 1]);
  const dx = k.run(
    'DepthwiseConv2dNative',
    { x: framed, filter: flipped },
    {
      strides: [1, 1],
      pad: 'valid',
      dilations: [1, 1],
    },
  );
  if (multiplier === 1) return dx;
  const split = k.reshape(dx, [batch, height, width, channels, multiplier]);
  return k.run('Sum', { x: split }, { axis: [4], keepDims: false });
}

/** Kernel config for `DepthwiseConv2dNativeBackpropFilter` on `backendName`. */
export function depthwiseBackpropFilterConfig(backendName: string): tf.KernelConfig {
  return composedKernel('DepthwiseConv2dNativeBackpropFilter', backendName, depthwiseBackpropFilter);
}

/** Kernel config for `DepthwiseConv2dNativeBackpropInput` on `backendName`. */
export function depthwiseBackpropInputConfig(backendName: string): tf.KernelConfig {
  return composedKernel('DepthwiseConv2dNativeBackpropInput', backendName, depthwiseBackpropInput);
}
