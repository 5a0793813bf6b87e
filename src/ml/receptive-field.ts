/**
 * Receptive fields: which input pixels a position of a feature map can see.
 *
 * A 3×3 convolution's output pixel sees a 3×3 window of its input; stack a second 3×3 on top and each of its outputs
 * sees 3×3 positions of the first, i.e. a 5×5 window of the image. Strides spread the positions apart: after a
 * stride-2 layer, neighbouring outputs are 2 input pixels apart (the "jump"), so the next 3×3 kernel spans 2·2 + 1 = 5
 * more. Layer by layer (Araujo et al., "Computing receptive fields of convolutional neural networks", Distill 2019):
 *   size_out  = size_in + (k_eff − 1)·jump_in       (k_eff = dilation·(k − 1) + 1)
 *   jump_out  = jump_in · stride
 *   first_out = first_in − padTop·jump_in           (top-left input pixel of output position 0's field)
 * so position i of the layer sees input pixels first + i·jump … first + i·jump + size − 1 (possibly partly outside
 * the image: that part was zero padding). Early layers have small fields — conv_pw_3 of MobileNet sees 19 × 19
 * pixels — which is why their channels can only respond to edges, stripes and colours: there is no room for an ear.
 *
 * TensorFlow's 'same' padding is asymmetric: it pads max((out − 1)·stride + k_eff − in, 0) in total, the smaller
 * half on top. A 224-pixel input and a 3×3 stride-2 conv pad 0 on top and 1 at the bottom.
 */
import type * as tf from '@tensorflow/tfjs';
import { layerIndex, type LayerRef } from './surgery';

/** One spatial step of a network along one axis (MobileNet is square, so one axis describes both). */
export interface SpatialLayer {
  name: string;
  /** Kernel (or pool window) size. */
  kernel: number;
  stride: number;
  /** 'same' as TensorFlow computes it, 'valid' (none), or explicit zero padding [before, after]. */
  padding: 'same' | 'valid' | [number, number];
  dilation?: number;
}

/** The receptive field of a layer's output along one axis. */
export interface ReceptiveField {
  /** The layer this describes. */
  layer: string;
  /** Positions along the axis of this layer's output. */
  outputSize: number;
  /** Input pixels one output position sees. */
  size: number;
  /** Input pixels between neighbouring output positions. */
  jump: number;
  /** Input pixel where position 0's field starts (negative: the field starts in the padding). */
  first: number;
}

/**
 * The receptive field after each layer of `layers` applied in order to an input of `inputSize` pixels (pure; the
 * input itself is { size 1, jump 1, first 0 }).
 */
export function receptiveFields(layers: readonly SpatialLayer[], inputSize: number): ReceptiveField[] {
  if (!Number.isInteger(inputSize) || inputSize < 1)
    throw new Error(`receptiveFields: the input size must be a positive integer, got ${inputSize}`);
  let size = 1;
  let jump = 1;
  let first = 0;
  let n = inputSize;
  return layers.map((layer) => {
    const { kernel, stride } = layer;
    const dilation = layer.dilation ?? 1;
    if (![kernel, stride, dilation].every((v) => Number.isInteger(v) && v >= 1)) {
      throw new Error(
        `receptiveFields: ${layer.name} needs positive integer kernel, stride and dilation, got ${kernel}, ${stride}, ${dilation}`,
      );
    }
    const span = dilation * (kernel - 1) + 1;
    let before: number;
    let out: number;
    if (layer.padding === 'same') {
      out = Math.ceil(n / stride);
      before = Math.floor(Math.max((out - 1) * stride + span - n, 0) / 2);
    } else {
      const [b, a] = layer.padding === 'valid' ? [0, 0] : layer.padding;
      before = b;
      out = Math.floor((n + b + a - span) / stride) + 1;
    }
    if (out < 1)
      throw new Error(`receptiveFields: ${layer.name}'s ${span}-pixel window does not fit its ${n}-pixel input`);
    first -= before * jump;
    size += (span - 1) * jump;
    jump *= stride;
    n = out;
    return { layer: layer.name, outputSize: out, size, jump, first };
  });
}

/** A layer's [rows, columns] setting, which Keras stores as a number or a pair; square only. */
function square(value: number | number[] | undefined, what: string, layer: string): number {
  const [a, b] = Array.isArray(value) ? value : [value ?? 1, value ?? 1];
  if (a !== b) throw new Error(`receptive field: ${layer} has a non-square ${what} [${a}, ${b}]`);
  return a!;
}

/** Layers that change nothing spatially: each output position depends on the same input position only. */
const POINTWISE = new Set([
  'InputLayer',
  'BatchNormalization',
  'Activation',
  'ReLU',
  'Dropout',
  'LeakyReLU',
  'Add',
  'Multiply',
]);

/**
 * A model's spatial layers from its input up to `upTo` (a name, index or block), as SpatialLayers: convs, depthwise
 * convs, pooling and zero padding. Per-position layers (BN, activations, 1×1 work as kernel 1) pass through; a layer
 * that mixes all positions (dense, global pooling) has no receptive field and is refused.
 */
export function spatialLayers(model: tf.LayersModel, upTo: LayerRef): SpatialLayer[] {
  const last = layerIndex(model, upTo);
  const out: SpatialLayer[] = [];
  for (const layer of model.layers.slice(0, last + 1)) {
    const cls = layer.getClassName();
    const c = layer.getConfig() as Record<string, unknown>;
    if (POINTWISE.has(cls)) continue;
    if (cls === 'Conv2D' || cls === 'DepthwiseConv2D' || cls === 'SeparableConv2D') {
      out.push({
        name: layer.name,
        kernel: square(c.kernelSize as number[], 'kernel', layer.name),
        stride: square(c.strides as number[], 'stride', layer.name),
        padding: c.padding === 'same' ? 'same' : 'valid',
        dilation: square(c.dilationRate as number[], 'dilation', layer.name),
      });
    } else if (cls === 'MaxPooling2D' || cls === 'AveragePooling2D') {
      out.push({
        name: layer.name,
        kernel: square(c.poolSize as number[], 'pool size', layer.name),
        stride: square((c.strides ?? c.poolSize) as number[], 'stride', layer.name),
        padding: c.padding === 'same' ? 'same' : 'valid',
      });
    } else if (cls === 'ZeroPadding2D') {
      const [[top, bottom], [left, right]] = c.padding as [[number, number], [number, number]];
      if (top !== left || bottom !== right)
        throw new Error(`receptive field: ${layer.name} pads rows and columns differently`);
      out.push({ name: layer.name, kernel: 1, stride: 1, padding: [top, bottom] });
    } else {
      throw new Error(
        `${layer.name} (${cls}) mixes every position of its input: it has no receptive field. Pick a conv layer.`,
      );
    }
  }
  return out;
}

/** The receptive field of `layer`'s output in the model's (square) input. */
export function receptiveFieldOf(model: tf.LayersModel, layer: LayerRef): ReceptiveField {
  const shape = model.inputs[0]!.shape;
  const side = shape[1];
  if (side == null || shape[2] !== side)
    throw new Error(`receptive field: the model's input must be square with a known size, got [${shape.join(', ')}]`);
  const name = model.layers[layerIndex(model, layer)]!.name;
  const fields = receptiveFields(spatialLayers(model, layer), side);
  const field = fields[fields.length - 1] ?? { layer: name, outputSize: side, size: 1, jump: 1, first: 0 };
  return { ...field, layer: name };
}

/** The input window [top, left, side] that output position (y, x) sees; it may reach outside the image. */
export function fieldWindow(field: ReceptiveField, y: number, x: number): { top: number; left: number; size: number } {
  return { top: field.first + y * field.jump, left: field.first + x * field.jump, size: field.size };
}
