/**
 * Conv2DBackpropFilter — the gradient of a convolution with respect to its filter.
 *
 * dW[kh, kw, ci, co] = Σ_{n, oh, ow} xPadded[n, oh·s + kh, ow·s + kw, ci] · dy[n, oh, ow, co]
 *
 * - 1×1, stride 1 (MobileNet's pointwise convs): there is one tap, x itself, so dW = xᵀ · dy with x reshaped to
 *   [N·H·W, Cin] and dy to [N·H·W, Cout] — a single matrix multiply.
 * - Any other filter: the sum is itself a convolution. Put Cin where the batch was and N where the channels were
 *   (x → [Cin, H, W, N]), make dy the filter (→ [OH, OW, N, Cout]) and slide it over x with its taps s apart
 *   (dilation s): output position (kh, kw) of batch item ci is exactly dW[kh, kw, ci, :]. One XNNPACK conv does
 *   it — ~11× faster here than cutting out the k·k shifted views of x (im2col) for conv1.
 * Transposes are explicit, never BatchMatMul's transposeA flag: wasm runs transposed operands through a slow loop.
 */
import type * as tf from '@tensorflow/tfjs';
import { composedKernel, type KernelComposer } from './kernel-composer';
import { convGeometry, frameForFilterGradient, type ConvAttrs } from './conv-geometry';

type Shape4 = [number, number, number, number];

/** The filter gradient of a normal (not depthwise) NHWC conv, from inputs {x, dy} and attrs with filterShape. */
export function conv2dBackpropFilter(
  k: KernelComposer,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap,
): tf.TensorInfo {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { filterShape } = attrs as unknown as { filterShape: Shape4 };
  const info = convGeometry('Conv2DBackpropFilter', x.shape, filterShape, attrs as unknown as ConvAttrs, false);
  const [, , inChannels, outChannels] = filterShape;
  const { padInfo } = info;
  const unpadded = padInfo.top === 0 && padInfo.left === 0 && padInfo.bottom === 0 && padInfo.right === 0;

  if (
    info.filterHeight === 1 &&
    info.filterWidth === 1 &&
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    unpadded
  ) {
    const rows = info.batchSize * info.outHeight * info.outWidth;
    const xT = k.run('Transpose', { x: k.reshape(x, [rows, inChannels]) }, { perm: [1, 0] });
    const dw = k.run(
      'BatchMatMul',
      { a: xT, b: k.reshape(dy, [rows, outChannels]) },
      { transposeA: false, transposeB: false },
    );
    return k.reshape(dw, filterShape);
  }

  const framed = frameForFilterGradient(k, x, info);
  const xByChannel = k.run('Transpose', { x: framed }, { perm: [3, 1, 2, 0] }); // [Cin, H', W', N]
  const dyAsFilter = k.run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] }); // [OH, OW, N, Cout]
  const dw = k.run(
    'Conv2D',
    { x: xByChannel, filter: dyAsFilter },
    {
      strides: [1, 1],
      pad: 'valid',
      dataFormat: 'NHWC',
      dilations: [info.strideHeight, info.strideWidth],
    },
  ); // [Cin, KH, KW, Cout]
  return k.run('Transpose', { x: dw }, { perm: [1, 2, 0, 3] });
}

/** Kernel config for `Conv2DBackpropFilter` on `backendName`. */
export function conv2dBackpropFilterConfig(backendName: string): tf.KernelConfig {
  return composedKernel('Conv2DBackpropFilter', backendName, conv2dBackpropFilter);
}
