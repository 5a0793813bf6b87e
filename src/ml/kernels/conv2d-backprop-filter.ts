/**
 * Conv2DBackpropFilter — the gradient of a convolution with respect to its filter — composed as im2col + matmul.
 *
 * dW[kh, kw, ci, co] = Σ_{n, oh, ow} xPadded[n, oh·s + kh, ow·s + kw, ci] · dy[n, oh, ow, co].
 * Lay the taps side by side along the channel axis and every output position becomes one row of length
 * kh·kw·Cin (the "im2col" matrix, [N·OH·OW, KH·KW·Cin]); then dW is that matrix transposed times dy
 * reshaped to [N·OH·OW, Cout] — one matrix multiply, the operation every backend makes fast.
 * For MobileNet's 1×1 pointwise convs there is a single tap, x itself, so no copy is made at all.
 */
import type * as tf from '@tensorflow/tfjs';
import { composedKernel, type KernelComposer } from './kernel-composer';
import { convGeometry, extractTaps, type ConvAttrs } from './conv-taps';

/** The filter gradient of a normal (not depthwise) NHWC conv, from inputs {x, dy} and attrs with filterShape. */
export function conv2dBackpropFilter(k: KernelComposer, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): tf.TensorInfo {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { filterShape } = attrs as unknown as { filterShape: [number, number, number, number] };
  const info = convGeometry('Conv2DBackpropFilter', x.shape, filterShape, attrs as unknown as ConvAttrs, false);
  const [filterHeight, filterWidth, inChannels, outChannels] = filterShape;
  const rows = info.batchSize * info.outHeight * info.outWidth;

  const taps = extractTaps(k, x, info);
  // im2col: channel index (kh·KW + kw)·Cin + ci, the same order as the flattened [KH, KW, Cin] filter.
  const columns = taps.length === 1 ? taps[0]! : k.run('Concat', taps, { axis: 3 });
  const a = k.reshape(columns, [1, rows, filterHeight * filterWidth * inChannels]);
  const b = k.reshape(dy, [1, rows, outChannels]);
  const dw = k.run('BatchMatMul', { a, b }, { transposeA: true, transposeB: false });
  return k.reshape(dw, filterShape);
}

/** Kernel config for `Conv2DBackpropFilter` on `backendName`. */
export function conv2dBackpropFilterConfig(backendName: string): tf.KernelConfig {
  return composedKernel('Conv2DBackpropFilter', backendName, conv2dBackpropFilter);
}
