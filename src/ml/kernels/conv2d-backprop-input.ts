/**
 * Conv2DBackpropInput — the gradient of a convolution with respect to its input — as a forward convolution.
 *
 * wasm has this kernel, but as a plain C++ loop: for MobileNet's 1×1 convs it ran ~12× slower than the XNNPACK
 * forward conv doing the same arithmetic. The input gradient *is* a forward conv: frame the output gradient
 * (spread to the stride, padded; see frameForTransposedConv) and run a valid, stride-1 conv with the filter
 * flipped spatially and its in/out channel axes swapped ([KH, KW, Cout, Cin]), because each input channel now
 * collects from every output channel. For a 1×1 stride-1 conv that is simply conv2d(dy, Wᵀ).
 */
import type * as tf from '@tensorflow/tfjs';
import { composedKernel, type KernelComposer } from './kernel-composer';
import { convGeometry, flipSpatially, frameForTransposedConv, type ConvAttrs } from './conv-geometry';

type Shape4 = [number, number, number, number];

/** The input gradient of a normal NHWC conv, from inputs {dy, filter} and attrs with inputShape. */
export function conv2dBackpropInput(
  k: KernelComposer,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap,
): tf.TensorInfo {
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const { inputShape } = attrs as unknown as { inputShape: Shape4 };
  const info = convGeometry(
    'Conv2DBackpropInput',
    inputShape,
    filter.shape as Shape4,
    attrs as unknown as ConvAttrs,
    false,
  );
  const framed = frameForTransposedConv(k, dy, info);
  const backwards = k.run('Transpose', { x: flipSpatially(k, filter) }, { perm: [0, 1, 3, 2] });
  return k.run(
    'Conv2D',
    { x: framed, filter: backwards },
    {
      strides: [1, 1],
      pad: 'valid',
      dataFormat: 'NHWC',
      dilations: [1, 1],
    },
  );
}

/**
 * Kernel config for `Conv2DBackpropInput` on `backendName` that takes over from `original` (the backend's own
 * kernel) for channels-last data and hands channels-first data, which it does not implement, back to it.
 */
export function conv2dBackpropInputConfig(backendName: string, original?: tf.KernelConfig): tf.KernelConfig {
  const composed = composedKernel('Conv2DBackpropInput', backendName, conv2dBackpropInput);
  if (original == null) return composed;
  return {
    ...composed,
    setupFunc: original.setupFunc,
    disposeFunc: original.disposeFunc,
    kernelFunc: (args) =>
      (args.attrs as { dataFormat?: string } | undefined)?.dataFormat === 'NCHW'
        ? original.kernelFunc(args)
        : composed.kernelFunc(args),
  };
}
