/**
 * Model surgery: cut the pre-trained network at a layer, put a new head for our classes on top, and choose how much
 * of the old network stays frozen. MobileNet v1 is a straight chain of layers, which is what makes "cut here" and
 * "freeze everything before here" well defined; the functions below check that and refuse anything else.
 */
import * as tf from '@tensorflow/tfjs';
import { CLASS_LABELS } from './dataset';
import { assertChain, layerIndex, MOBILENET_LAYERS, weightCount, type LayerRef } from './layers';
import { recordEngineFlags } from './freeze-flags';
import { deriveSeed } from './seeded';

export { assertChain, layerIndex, type LayerRef } from './layers';

/** A fresh layer with the same configuration (and, once applied, the same weights) as `layer`. */
export function cloneLayer(layer: tf.layers.Layer): tf.layers.Layer {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[layer.getClassName()];
  if (!entry) throw new Error(`cannot copy layer ${layer.name}: class ${layer.getClassName()} is not registered`);
  const [cls, fromConfig] = entry;
  return fromConfig(cls, layer.getConfig()) as tf.layers.Layer;
}

/** Applies layers in order to a symbolic tensor, copying each one's weights once it is built. */
export function applyCopies(layers: readonly tf.layers.Layer[], x: tf.SymbolicTensor): tf.SymbolicTensor {
  let h = x;
  for (const layer of layers) {
    const copy = cloneLayer(layer);
    h = copy.apply(h) as tf.SymbolicTensor;
    copy.setWeights(layer.getWeights());
  }
  return h;
}

/** What goes on top of the cut: the new, randomly initialised part that learns our classes. */
export interface HeadOptions {
  /** Class names, in output order; default cat, dog, other. */
  labels?: readonly string[];
  /** Units of an extra hidden Dense(relu) layer before the classifier; none when absent. */
  hidden?: number;
  /** Dropout rate after the hidden layer (default 0.5; only with `hidden`). */
  dropout?: number;
  /** A small 3×3 Conv2D(relu) block before pooling (only when cutting at a [h, w, c] layer). */
  convBlock?: { filters: number; kernelSize?: number };
  /**
   * L2 penalty on the head's kernels (Keras l2: adds l2·Σw² to the loss). With a few hundred photos a small penalty
   * (1e-3) keeps the head from leaning on a handful of features and holds validation accuracy steadier.
   */
  l2?: number;
  /** Seed of the head's starting weights: the same seed, the same head. Default 1. */
  seed?: number;
}

/** Where to cut plus the head. */
export interface TransferModelOptions extends HeadOptions {
  /** The last layer of the pre-trained network that is kept. Default: global_average_pooling2d_1 (256 features). */
  cutAt?: LayerRef;
}

/** A pre-trained base with a new head; `model` owns copies of the base weights, so training never alters `source`. */
export interface TransferModel {
  /** Input [null, 224, 224, 3] → base layers up to `cutAt` → head → softmax over `labels`. */
  model: tf.LayersModel;
  /** The pre-trained network it was cut from; frozen activations are computed (and cached) from it. */
  source: tf.LayersModel;
  /** Name of the last kept base layer. */
  cutAt: string;
  labels: readonly string[];
  /** The head's settings, for records and checkpoints. */
  head: Required<Pick<HeadOptions, 'seed'>> & Omit<HeadOptions, 'labels' | 'seed'>;
  /** Index of the first layer whose weights may differ from `source` (training moves it down). */
  modifiedFrom: number;
}

/** The new head's layers, each seeded so the same options always start from the same weights. */
export function buildHead(featureShape: tf.Shape, options: HeadOptions): tf.layers.Layer[] {
  const seed = options.seed ?? 1;
  const classes = (options.labels ?? CLASS_LABELS).length;
  const init = (k: number) => tf.initializers.glorotUniform({ seed: deriveSeed(seed, k) });
  const kernelRegularizer = options.l2 ? tf.regularizers.l2({ l2: options.l2 }) : undefined;
  const layers: tf.layers.Layer[] = [];
  if (featureShape.length === 4) {
    if (options.convBlock) {
      const { filters, kernelSize = 3 } = options.convBlock;
      layers.push(
        tf.layers.conv2d({
          filters,
          kernelSize,
          padding: 'same',
          activation: 'relu',
          kernelInitializer: init(0),
          kernelRegularizer,
          name: 'head_conv',
        }),
      );
    }
    layers.push(tf.layers.globalAveragePooling2d({ name: 'head_pool' }));
  } else if (featureShape.length !== 2) {
    throw new Error(
      `a head goes on [batch, features] or [batch, h, w, channels] activations, not ${JSON.stringify(featureShape)}`,
    );
  } else if (options.convBlock) {
    throw new Error(
      'convBlock needs spatial activations: cut at a conv layer (e.g. conv_pw_13_relu), not after pooling',
    );
  }
  if (options.hidden !== undefined) {
    if (!Number.isInteger(options.hidden) || options.hidden < 1)
      throw new Error(`hidden must be a positive integer, not ${options.hidden}`);
    layers.push(
      tf.layers.dense({
        units: options.hidden,
        activation: 'relu',
        kernelInitializer: init(1),
        kernelRegularizer,
        name: 'head_hidden',
      }),
    );
    layers.push(tf.layers.dropout({ rate: options.dropout ?? 0.5, name: 'head_dropout' }));
  }
  // Logits and softmax are separate layers so the trainer can compute the loss from the logits: softmax followed by
  // log loses precision, and once a probability rounds to 0 or 1 its gradient vanishes and training stalls.
  layers.push(
    tf.layers.dense({
      units: classes,
      kernelInitializer: init(2),
      biasInitializer: 'zeros',
      kernelRegularizer,
      name: 'head_logits',
    }),
  );
  layers.push(tf.layers.activation({ activation: 'softmax', name: 'head_softmax' }));
  return layers;
}

/**
 * Cuts `base` at `cutAt` and adds a new head. The kept base layers are copies (same weights) so that fine-tuning
 * one transfer model never changes the pre-trained network or another transfer model built from it. Every layer
 * starts trainable (tfjs's default); these flags are the engine's own (freeze-flags.ts), so a run freezes the base by
 * default or at its `freezeAt`, until the learner sets flags by hand (Keras's `base_model.trainable = False`).
 */
export function buildTransferModel(base: tf.LayersModel, options: TransferModelOptions = {}): TransferModel {
  const cut = layerIndex(base, options.cutAt ?? MOBILENET_LAYERS.pooledFeatures);
  if (cut === 0) throw new Error('cutting at the input layer keeps nothing of the pre-trained network');
  assertChain(base, cut);
  const input = tf.input({ shape: base.inputs[0]!.shape.slice(1) as number[], name: base.layers[0]!.name });
  const features = applyCopies(base.layers.slice(1, cut + 1), input);
  const head = buildHead(features.shape, options);
  const output = head.reduce((h, layer) => layer.apply(h) as tf.SymbolicTensor, features);
  const model = tf.model({ inputs: input, outputs: output, name: 'transfer_model' });
  recordEngineFlags(model);
  const { labels = CLASS_LABELS, seed = 1, ...rest } = options;
  delete (rest as TransferModelOptions).cutAt;
  const settings = Object.fromEntries(
    Object.entries({ seed, ...rest }).filter(([, v]) => v !== undefined),
  ) as TransferModel['head'];
  return {
    model,
    source: base,
    cutAt: base.layers[cut]!.name,
    labels,
    head: settings,
    modifiedFrom: model.layers.length,
  };
}

/** Parameter counts: what gradient descent changes, what stays fixed, and BN statistics the data moves. */
export interface ParamCounts {
  /** Weights the optimizer updates. */
  trainable: number;
  /** Weights of frozen layers (kernels, BN statistics and all). */
  frozen: number;
  /** Moving mean/variance of unfrozen BatchNormalization layers: not trained by gradients, but updated by the batches. */
  movingStats: number;
  total: number;
}

/** Counts parameters according to the layers' current `trainable` flags. */
export function paramCounts(model: tf.LayersModel): ParamCounts {
  const size = weightCount;
  let trainable = 0,
    frozen = 0,
    movingStats = 0;
  for (const layer of model.layers) {
    if (layer.trainable) {
      trainable += size(layer.trainableWeights);
      movingStats += size(layer.nonTrainableWeights);
    } else frozen += size(layer.weights);
  }
  return { trainable, frozen, movingStats, total: trainable + frozen + movingStats };
}

/**
 * Freezes every layer up to and including `freezeAt` (its weights will not change) and unfreezes all after it.
 * Freezing at the cut layer trains only the head. Returns the index of the freeze point. The flags it sets are the
 * engine's (freeze-flags.ts): a learner's flags are checked by resolveFreezePoint before anything calls this.
 */
export function freezeUpTo(tm: TransferModel, freezeAt: LayerRef): number {
  const k = layerIndex(tm.model, freezeAt);
  const cut = layerIndex(tm.model, tm.cutAt);
  if (k > cut)
    throw new Error(
      `freeze point ${tm.model.layers[k]!.name} is inside the new head; freeze at ${tm.cutAt} or earlier`,
    );
  tm.model.layers.forEach((layer, i) => {
    layer.trainable = i > k;
  });
  recordEngineFlags(tm.model);
  return k;
}

/**
 * The last layer of `tm` that is still exactly the pre-trained one: where cached activations of the pre-trained
 * network can stand in for the photos. Everything up to it is unchanged (training moves `modifiedFrom` down as it
 * unfreezes layers); it is never past the cut, since the head is new. Training and evaluation both start there.
 */
export function lastPristineLayer(tm: TransferModel): number {
  return Math.min(tm.modifiedFrom - 1, layerIndex(tm.model, tm.cutAt));
}

/** Any model a learner holds: a transfer model, or a tf.LayersModel (the pre-trained one, or a transfer model's .model). */
export type AnyModel = TransferModel | tf.LayersModel;

/** A model argument that is neither a transfer model nor a tf.LayersModel (or a promise of one, or nothing). */
export class ModelArgumentError extends Error {
  override name = 'ModelArgumentError';
}

/** Whether a value is a transfer model (what buildTransferModel or a checkpoint gives). */
export function isTransferModel(x: unknown): x is TransferModel {
  const t = x as Partial<TransferModel> | null;
  return (
    !!t &&
    typeof t === 'object' &&
    !!t.model &&
    Array.isArray(t.model.layers) &&
    !!t.source &&
    typeof t.cutAt === 'string'
  );
}

/** What a wrong model argument is, in words, for the errors below. */
function describeArgument(x: unknown): string {
  if (x instanceof Promise) return 'a promise of a model: add `await`';
  if (x === undefined || x === null) return String(x);
  if (typeof x === 'object' && Array.isArray((x as { layers?: unknown }).layers)) return 'a tf.LayersModel';
  return Object.prototype.toString.call(x);
}

/**
 * The one way to read a model argument where any model will do: a transfer model gives its network, a
 * tf.LayersModel is itself. `where` names the function for the error ("wb.layers.show").
 */
export function asLayersModel(x: AnyModel, where: string): tf.LayersModel {
  if (isTransferModel(x)) return x.model;
  if (x && typeof x === 'object' && !(x instanceof Promise) && Array.isArray((x as tf.LayersModel).layers))
    return x as tf.LayersModel;
  throw new ModelArgumentError(
    `${where} expects a model (wb.loadModel(), or a transfer model), not ${describeArgument(x)}.`,
  );
}

/**
 * The one way to read a model argument where a transfer model is needed (training, evaluation, checkpoints): the
 * pre-trained base with a new head, which knows its cut and its labels. A plain tf.LayersModel is refused with what
 * to do instead.
 */
export function asTransferModel(x: unknown, where: string): TransferModel {
  if (isTransferModel(x)) return x;
  throw new ModelArgumentError(
    `${where} expects a transfer model (the pre-trained base with a new head, as lesson 4 builds it), not ${describeArgument(x)}.`,
  );
}
