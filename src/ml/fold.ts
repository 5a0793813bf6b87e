/**
 * A fast frozen prefix: the first layers of a model, up to a cut, compiled into a few fused kernels.
 *
 * Frozen layers never change, so they need not run the way a LayersModel runs them (conv, then a separate
 * BatchNormalization pass, then a separate ReLU6 pass, each a full read and write of the activations). Each
 * conv → BN → ReLU6 triple becomes one fused convolution whose filter and bias already contain the BN
 * (fold-weights.ts) and whose kernel clamps to [0, 6] on the way out — on wasm a single XNNPACK call.
 * The output is the same function of the input as the LayersModel's, up to float rounding.
 */
import * as tf from '@tensorflow/tfjs';
import { batchNormAffine, foldIntoConv, layerWeight } from './fold-weights';
import { assertChain, layerIndex, type LayerRef } from './layers';

/** One step of a folded prefix: which model layers it replaces and what runs instead. */
export interface FoldedStep {
  /** Names of the model layers this step computes, in order (e.g. conv_dw_3, conv_dw_3_bn, conv_dw_3_relu). */
  layers: string[];
  /** What runs, e.g. "fused depthwiseConv2d + bias + relu6". */
  op: string;
}

/** The layers of a model up to a cut, folded and fused; a drop-in for the model's intermediate output there. */
export interface FoldedPrefix {
  /** Name of the last layer computed: predict returns its activations. */
  readonly layer: string;
  /** Index of that layer in model.layers. */
  readonly index: number;
  /** That layer's output shape, batch first (null: any batch size), e.g. [null, 7, 7, 256]. */
  readonly outputShape: (number | null)[];
  /** What runs, step by step. */
  readonly steps: readonly FoldedStep[];
  /** Activations of `layer` for a batch [n, 224, 224, 3] (the model's input shape), as predict at inference gives. */
  predict(x: tf.Tensor4D): tf.Tensor;
  /** Frees the folded weights. The prefix cannot predict afterwards. */
  dispose(): void;
}

/** A step while being built: its description, how it runs, and the tensors it owns. */
interface Step extends FoldedStep {
  run: (x: tf.Tensor) => tf.Tensor;
  owned: tf.Tensor[];
}

type Fusable = 'linear' | 'relu' | 'relu6';

/** The activation a layer applies, if it is a plain one the fused kernels can apply: linear, relu or relu6. */
function fusableActivation(layer: tf.layers.Layer): Fusable | null {
  const config = layer.getConfig() as { activation?: string; maxValue?: number | null };
  const className = layer.getClassName();
  if (className === 'ReLU') return config.maxValue == null ? 'relu' : config.maxValue === 6 ? 'relu6' : null;
  if (className !== 'Activation') return null;
  const name = config.activation;
  return name === 'linear' || name === 'relu' || name === 'relu6' ? name : null;
}

/** A Conv2D or DepthwiseConv2D layer (optionally followed by its BN and activation) as one fused conv step. */
function convStep(conv: tf.layers.Layer, bn: tf.layers.Layer | null, activation: tf.layers.Layer | null): Step {
  const depthwise = conv.getClassName() === 'DepthwiseConv2D';
  const config = conv.getConfig() as {
    strides: [number, number];
    padding: string;
    dilationRate?: number | [number, number];
    activation?: string;
    dataFormat?: string;
  };
  if (config.dataFormat === 'channelsFirst')
    throw new Error(`foldPrefix: ${conv.name} is channels-first; only channels-last is supported`);
  if (config.padding !== 'same' && config.padding !== 'valid')
    throw new Error(`foldPrefix: ${conv.name} has padding '${config.padding}'`);
  const kernel = layerWeight(conv, depthwise ? 'depthwise_kernel' : 'kernel') as tf.Tensor4D | undefined;
  if (kernel == null) throw new Error(`foldPrefix: ${conv.name} has no kernel weight`);
  const bias = layerWeight(conv, 'bias') as tf.Tensor1D | undefined;

  let filter: tf.Tensor4D;
  let foldedBias: tf.Tensor1D | undefined;
  if (bn != null) {
    const affine = batchNormAffine(bn);
    ({ filter, bias: foldedBias } = foldIntoConv(kernel, bias, affine, depthwise));
    tf.dispose([affine.scale, affine.shift]);
  } else {
    // Copies, so the prefix keeps working after the model is disposed.
    filter = kernel.clone();
    foldedBias = bias?.clone();
  }
  // The conv's own activation; foldPrefix passes a BN or an activation layer only when it is 'linear'.
  const own = (config.activation ?? 'linear') as Fusable;
  const act: Fusable = activation != null ? fusableActivation(activation)! : own;
  const pad = config.padding;
  const dilations = config.dilationRate ?? 1;
  // Both fused kernels take the same arguments; only the filter's layout differs ([h, w, in, out] for a conv,
  // [h, w, in, multiplier] for a depthwise conv), so the layer's class picks the kernel once, here.
  const fusedConv = depthwise ? tf.fused.depthwiseConv2d : tf.fused.conv2d;
  const run = (x: tf.Tensor) =>
    fusedConv({
      x: x as tf.Tensor4D,
      filter,
      strides: config.strides,
      pad,
      dilations,
      bias: foldedBias,
      activation: act,
    });
  const layers = [conv, bn, activation].filter((l): l is tf.layers.Layer => l != null).map((l) => l.name);
  const op = `fused ${depthwise ? 'depthwiseConv2d' : 'conv2d'}${foldedBias ? ' + bias' : ''}${act === 'linear' ? '' : ` + ${act}`}`;
  return { layers, op, run, owned: foldedBias ? [filter, foldedBias] : [filter] };
}

/** A layer that is not part of a conv group, run on its own. */
function singleStep(layer: tf.layers.Layer): Step {
  const className = layer.getClassName();
  const config = layer.getConfig() as { targetShape?: number[]; activation?: string; dataFormat?: string };
  const one = (op: string, run: (x: tf.Tensor) => tf.Tensor, owned: tf.Tensor[] = []): Step => ({
    layers: [layer.name],
    op,
    run,
    owned,
  });
  switch (className) {
    case 'Dropout':
      return one('identity (dropout only acts in training)', (x) => x);
    case 'BatchNormalization': {
      const { scale, shift } = batchNormAffine(layer);
      return one('x·scale + shift', (x) => x.mul(scale).add(shift), [scale, shift]);
    }
    case 'GlobalAveragePooling2D':
      if (config.dataFormat === 'channelsFirst') break;
      return one('mean over height and width', (x) => x.mean([1, 2]));
    case 'Reshape':
      return one(`reshape to [n, ${config.targetShape!.join(', ')}]`, (x) =>
        x.reshape([x.shape[0]!, ...config.targetShape!]),
      );
    case 'Flatten':
      return one('flatten', (x) => x.reshape([x.shape[0]!, -1]));
    case 'Activation':
    case 'ReLU': {
      const act = fusableActivation(layer);
      if (act === 'linear') return one('identity', (x) => x);
      if (act === 'relu') return one('relu', (x) => tf.relu(x));
      if (act === 'relu6') return one('relu6', (x) => tf.relu6(x));
      if (config.activation === 'softmax') return one('softmax', (x) => tf.softmax(x));
      break;
    }
    default:
      break;
  }
  // Anything else runs as the layer itself at inference (and so keeps using the model's weights).
  return one(`${className} layer, as is`, (x) => layer.apply(x, { training: false }) as tf.Tensor);
}

/**
 * Folds model.layers[0 … upToLayer] into a FoldedPrefix. `upToLayer` is a layer name or index; the cut may be
 * anywhere: after a conv (then that conv runs unfolded), after its BN (folded, no activation), after an
 * activation, after pooling, up to the last layer. The model must be a chain of layers with a 4-D input.
 * The folded weights are computed now, on the current backend, and belong to the prefix: dispose() frees them.
 */
export function foldPrefix(model: tf.LayersModel, upToLayer: LayerRef): FoldedPrefix {
  const layers = model.layers;
  const last = layerIndex(model, upToLayer);
  assertChain(model, last); // only a chain can be run step by step
  const inputShape = model.inputs[0]!.shape;
  if (inputShape.length !== 4)
    throw new Error(`foldPrefix: the model's input must be 4-D (a batch of images), got [${inputShape.join(', ')}]`);

  const steps: Step[] = [];
  try {
    for (let i = 0; i <= last; i++) {
      const layer = layers[i]!;
      const className = layer.getClassName();
      if (className === 'InputLayer') continue;
      if (className === 'Conv2D' || className === 'DepthwiseConv2D') {
        // A conv with no activation of its own can absorb the BN after it, and then the activation after that.
        const linear = ((layer.getConfig() as { activation?: string }).activation ?? 'linear') === 'linear';
        let j = i;
        const bn =
          linear && j + 1 <= last && layers[j + 1]!.getClassName() === 'BatchNormalization' ? layers[++j]! : null;
        const activation = linear && j + 1 <= last && fusableActivation(layers[j + 1]!) != null ? layers[++j]! : null;
        steps.push(convStep(layer, bn, activation));
        i = j;
        continue;
      }
      steps.push(singleStep(layer));
    }
  } catch (error) {
    for (const step of steps) tf.dispose(step.owned);
    throw error;
  }

  const cut = layers[last]!;
  const expected = inputShape.slice(1) as number[];
  let disposed = false;
  return {
    layer: cut.name,
    index: last,
    outputShape: [...(cut.outputShape as (number | null)[])],
    steps: steps.map(({ layers: names, op }) => ({ layers: names, op })),
    predict(x: tf.Tensor4D): tf.Tensor {
      if (disposed) throw new Error(`folded prefix up to ${cut.name}: predict called after dispose()`);
      if (x.rank !== 4 || expected.some((d, i) => d != null && d !== x.shape[i + 1])) {
        throw new Error(
          `folded prefix up to ${cut.name}: expected input [n, ${expected.join(', ')}], got [${x.shape.join(', ')}]`,
        );
      }
      if (x.dtype !== 'float32')
        throw new Error(`folded prefix up to ${cut.name}: expected float32 input, got ${x.dtype}`);
      return tf.tidy(() => {
        const out = steps.reduce<tf.Tensor>((h, step) => step.run(h), x);
        // A cut at the input layer returns the input: as a copy, so the caller may dispose either.
        return out === x ? x.clone() : out;
      });
    },
    dispose(): void {
      if (disposed) return;
      disposed = true;
      for (const step of steps) tf.dispose(step.owned);
    },
  };
}
