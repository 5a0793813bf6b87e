/**
 * The two gradients of a depthwise convolution, composed from elementwise ops and a forward depthwise conv.
 *
 * A depthwise conv with channel multiplier M filters each input channel c on its own with M filters:
 * out[n, oh, ow, c·M + m] = Σ_{kh, kw} xPadded[n, oh·s + kh, ow·s + kw, c] · w[kh, kw, c, m].
 */
import type * as tf from '@tensorflow/tfjs';
import { composedKernel, type KernelComposer } from './kernel-composer';
import { convGeometry, extractTaps, type ConvAttrs } from './conv-taps';

type Shape4 = [number, number, number, number];

/**
 * Filter gradient: dW[kh, kw, c, m] = Σ_{n, oh, ow} tap_{kh,kw}[n, oh, ow, c] · dy[n, oh, ow, c·M + m].
 * Channels never mix, so there is no matmul: for each of the k·k taps, multiply by dy elementwise and sum
 * over batch and positions, then stack the k·k per-channel sums into the filter's shape.
 */
export function depthwiseBackpropFilter(k: KernelComposer, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): tf.TensorInfo {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { filterShape } = attrs as unknown as { filterShape: Shape4 };
  const info = convGeometry('DepthwiseConv2dNativeBackpropFilter', x.shape, filterShape, attrs as unknown as ConvAttrs, true);
  const [filterHeight, filterWidth, channels, multiplier] = filterShape;
  const { batchSize, outHeight, outWidth } = info;

  // With M > 1, line dy up as [.., C, M] against taps [.., C, 1] and let the product broadcast over m.
  const dyAligned = multiplier === 1 ? dy : k.reshape(dy, [batchSize, outHeight, outWidth, channels, multiplier]);
  const perTap = extractTaps(k, x, info).map((tap) => {
    const tapAligned = multiplier === 1 ? tap : k.reshape(tap, [batchSize, outHeight, outWidth, channels, 1]);
    const product = k.run('Multiply', { a: tapAligned, b: dyAligned });
    return k.run('Sum', { x: product }, { axis: [0, 1, 2], keepDims: false });
  });
  const stacked = perTap.length === 1 ? perTap[0]! : k.run('Pack', perTap, { axis: 0 });
  return k.reshape(stacked, [filterHeight, filterWidth, channels, multiplier]);
}

/**
 * Input gradient: the transpose of the forward conv. Each dy value was produced by a k×k window of x, so it
 * flows back to that window weighted by the filter. That is a stride-1 depthwise conv of dy with the filter
 * flipped in both spatial axes, after (1) spreading dy out to the forward stride by inserting s − 1 zeros between
 * its values ("dilating" it) and (2) padding it by k − 1 − padTop before (and whatever makes the output H×W after).
 * With M > 1 the conv runs over all C·M gradient channels and the M results of each input channel are summed.
 */
export function depthwiseBackpropInput(k: KernelComposer, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): tf.TensorInfo {
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const { inputShape } = attrs as unknown as { inputShape: Shape4 };
  const info = convGeometry('DepthwiseConv2dNativeBackpropInput', inputShape, filter.shape as Shape4, attrs as unknown as ConvAttrs, true);
  const [batch, height, width, channels] = inputShape;
  const [filterHeight, filterWidth, , multiplier] = filter.shape as Shape4;
  const { outHeight, outWidth, strideHeight, strideWidth, padInfo } = info;
  const gradChannels = channels * multiplier;

  // (1) Zero insertion: [N, OH, 1, OW, 1, C·M] padded to [N, OH, sh, OW, sw, C·M] puts each value at the corner
  // of an sh×sw block of zeros; flattening the blocks gives [N, OH·sh, OW·sw, C·M] with dy at multiples of s.
  let spread = dy;
  if (strideHeight > 1 || strideWidth > 1) {
    const blocks = k.reshape(dy, [batch, outHeight, 1, outWidth, 1, gradChannels]);
    const padded = k.run('PadV2', { x: blocks }, {
      paddings: [[0, 0], [0, 0], [0, strideHeight - 1], [0, 0], [0, strideWidth - 1], [0, 0]],
      constantValue: 0,
    });
    spread = k.reshape(padded, [batch, outHeight * strideHeight, outWidth * strideWidth, gradChannels]);
  }

  // (2) Pad so that a valid k×k conv yields exactly H×W: k − 1 − padTop before, then up to H + k − 1 in total.
  // The zero insertion left s − 1 trailing zero rows, which may be more than needed; a slice trims them.
  const before = [filterHeight - 1 - padInfo.top, filterWidth - 1 - padInfo.left];
  const total = [height + filterHeight - 1, width + filterWidth - 1];
  const after = [total[0]! - before[0]! - spread.shape[1]!, total[1]! - before[1]! - spread.shape[2]!];
  let framed = k.run('PadV2', { x: spread }, {
    paddings: [[0, 0], [before[0], Math.max(0, after[0]!)], [before[1], Math.max(0, after[1]!)], [0, 0]],
    constantValue: 0,
  });
  if (after[0]! < 0 || after[1]! < 0) {
    framed = k.run('Slice', { x: framed }, { begin: [0, 0, 0, 0], size: [batch, total[0], total[1], gradChannels] });
  }

  // Flip the filter spatially and treat all C·M gradient channels as inputs of a multiplier-1 depthwise conv.
  const flipped = k.run('Reverse', { x: filter }, { dims: [0, 1] });
  const flippedFilter = k.reshape(flipped, [filterHeight, filterWidth, gradChannels, 1]);
  const dx = k.run('DepthwiseConv2dNative', { x: framed, filter: flippedFilter }, {
    strides: [1, 1], pad: 'valid', dilations: [1, 1],
  });
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
