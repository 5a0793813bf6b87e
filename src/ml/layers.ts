/**
 * The model as a learner reads it: 88 layers are too many to reason about, but MobileNet v1 is built from a stem
 * and 13 repeated depthwise-separable blocks (conv_dw_N → BN → ReLU6 → conv_pw_N → BN → ReLU6) and a classifier.
 * Choosing "how much of the network to fine-tune" is choosing a block boundary, so this file lists every layer,
 * groups layers into those blocks, and turns a freeze point ("block 12", "conv_pw_12", 73) into a layer index.
 * Pure functions over a tf.LayersModel: no DOM, tested in Node on the real model.
 */
import type * as tf from '@tensorflow/tfjs';

/** One layer, as the layer table shows it. */
export interface LayerInfo {
  index: number;
  name: string;
  /** The Keras class, e.g. "DepthwiseConv2D". */
  className: string;
  /** Output shape without the batch dimension, e.g. [7, 7, 256]. */
  outputShape: number[];
  params: number;
  /** Parameters the optimiser may change: trainable weights of a trainable layer. */
  trainableParams: number;
  /** The rest: a frozen layer's weights, and BatchNorm's moving mean/variance (statistics, never gradient-trained). */
  frozenParams: number;
  trainable: boolean;
  /** The group it belongs to: "stem", "block 1" … "block 13", "classifier". */
  block: string;
}

/** One group of layers, summarised. */
export interface BlockSummary {
  name: string;
  firstLayer: number;
  lastLayer: number;
  layerNames: string[];
  params: number;
  trainableParams: number;
  frozenParams: number;
  /** The output shape of its last layer (batch dimension dropped): what the next block receives. */
  outputShape: number[];
}

/** Names of the groups in order; the 13 blocks are MobileNet v1's depthwise-separable blocks. */
export const BLOCK_NAMES: readonly string[] = [
  'stem',
  ...Array.from({ length: 13 }, (_, i) => `block ${i + 1}`),
  'classifier',
];

/**
 * The layers of MobileNet v1 that the engine and the facade name, in one place, so no code repeats a layer name.
 * Keras twins: `base_model.get_layer('global_average_pooling2d_1')` is where include_top=False, pooling='avg' ends.
 */
export const MOBILENET_LAYERS = {
  /** The stem's output (conv1 → BN → ReLU6): edges and colours, the first thing the network sees. */
  firstConvOutput: 'conv1_relu',
  /** Block 3's output, [56, 56, 32]: an early layer whose 19 × 19 windows are big enough to hold a small pattern. */
  earlyBlockOutput: 'conv_pw_3_relu',
  /** Block 13's output, [7, 7, 256]: the last spatial activations, before pooling. */
  lastConvOutput: 'conv_pw_13_relu',
  /** The 256 pooled features: where the course cuts the network (the default cut of a transfer model). */
  pooledFeatures: 'global_average_pooling2d_1',
  /** The 1000 ImageNet logits (a 1×1 conv), before the softmax. */
  imagenetLogits: 'conv_preds',
} as const;

/** A layer by name ("conv_pw_11_relu"), by its position in model.layers (0 is the input layer), or by block ("block 12"). */
export type LayerRef = string | number;

/** The number of values in some weights (every weight's shape is fully known once its layer is built). */
export function weightCount(weights: readonly tf.LayerVariable[]): number {
  return weights.reduce((n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 0), 1), 0);
}

const count = weightCount;

/** A shape without its batch dimension; a multi-output layer's first output (MobileNet has none). */
function dropBatch(shape: tf.Shape | tf.Shape[]): number[] {
  const first = Array.isArray(shape[0]) ? (shape[0] as tf.Shape) : (shape as tf.Shape);
  return first.slice(1).map((d) => d ?? -1);
}

/**
 * The group a layer name starts, or null when the name does not start one (the layer then joins the group
 * before it). conv_dw_N opens block N; conv1 and the input open the stem; the first layer after the last block
 * (pooling in the pre-trained model, or whatever head surgery put there) opens the classifier.
 */
export function blockNameOf(layerName: string): string | null {
  const block = /^conv_(?:dw|pw)_(\d+)(?:_|$)/.exec(layerName);
  if (block) return `block ${Number(block[1])}`;
  if (/^(input|conv1)(_|$)/.test(layerName)) return 'stem';
  return null;
}

/** Every layer of the model with its shape, parameter counts and group. */
export function describeLayers(model: tf.LayersModel): LayerInfo[] {
  let group = 'stem';
  let seenBlock = false;
  return model.layers.map((layer, index) => {
    const named = blockNameOf(layer.name);
    if (named) {
      group = named;
      seenBlock ||= named.startsWith('block');
    } else if (seenBlock && group !== 'classifier') group = 'classifier';
    const trainableParams = layer.trainable ? count(layer.trainableWeights) : 0;
    const params = layer.countParams();
    return {
      index,
      name: layer.name,
      className: layer.getClassName(),
      outputShape: dropBatch(layer.outputShape),
      params,
      trainableParams,
      frozenParams: params - trainableParams,
      trainable: layer.trainable,
      block: group,
    };
  });
}

/** The layers grouped into stem, blocks and classifier, in model order, with per-group totals. */
export function summarizeBlocks(layers: readonly LayerInfo[]): BlockSummary[] {
  const blocks: BlockSummary[] = [];
  for (const layer of layers) {
    let block = blocks.at(-1);
    if (!block || block.name !== layer.block) {
      block = {
        name: layer.block,
        firstLayer: layer.index,
        lastLayer: layer.index,
        layerNames: [],
        params: 0,
        trainableParams: 0,
        frozenParams: 0,
        outputShape: [],
      };
      blocks.push(block);
    }
    block.lastLayer = layer.index;
    block.layerNames.push(layer.name);
    block.params += layer.params;
    block.trainableParams += layer.trainableParams;
    block.frozenParams += layer.frozenParams;
    block.outputShape = layer.outputShape;
  }
  return blocks;
}

/** Accepts "block 12", "Block12", "block_12": the canonical group name, or null. */
function canonicalBlock(name: string): string | null {
  const m = /^block[\s_-]*(\d+)$/i.exec(name.trim());
  if (m) return `block ${Number(m[1])}`;
  const lower = name.trim().toLowerCase();
  return lower === 'stem' || lower === 'classifier' ? lower : null;
}

/**
 * Resolves a layer reference to a layer index — the one resolver of the code base: a layer index (0…n−1), a layer
 * name ("conv_pw_12_relu"), or a group name ("block 12", "stem", "classifier"), which resolves to the group's *first*
 * layer. The unknown or out-of-range gets an error that lists what would have worked (and near names).
 */
export function resolveLayerIndex(layers: readonly LayerInfo[], point: LayerRef): number {
  if (typeof point === 'number') {
    if (Number.isInteger(point) && point >= 0 && point < layers.length) return point;
    throw new Error(`layer index ${point} is out of range: the model has layers 0…${layers.length - 1}`);
  }
  if (typeof point !== 'string') throw new Error(`a layer is a name, an index or a block name, not ${String(point)}`);
  const byName = layers.find((l) => l.name === point);
  if (byName) return byName.index;
  const block = canonicalBlock(point);
  const first = block ? layers.find((l) => l.block === block) : undefined;
  if (first) return first.index;
  const groups = [...new Set(layers.map((l) => l.block))];
  const near = layers
    .map((l) => l.name)
    .filter((n) => n.includes(point) || point.includes(n))
    .slice(0, 5);
  throw new Error(
    `no layer "${point}" in this model: use a layer name (${layers[0]?.name} … ${layers.at(-1)?.name}), a layer index 0…${layers.length - 1}, ` +
      `or one of ${groups[0]}, ${groups[1]} … ${groups.at(-1)}${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}`,
  );
}

/** The index of a layer of `model` (see resolveLayerIndex): what every part of the engine calls. */
export function layerIndex(model: tf.LayersModel, ref: LayerRef): number {
  // The common cases without describing all 88 layers: an index in range, or an exact name.
  if (typeof ref === 'number' && Number.isInteger(ref) && ref >= 0 && ref < model.layers.length) return ref;
  if (typeof ref === 'string') {
    const i = model.layers.findIndex((l) => l.name === ref);
    if (i >= 0) return i;
  }
  return resolveLayerIndex(describeLayers(model), ref);
}

/**
 * Checks that layers 0…upTo form a chain (each fed only by the one before it): what makes "cut here", "freeze
 * everything before here" and "run the prefix step by step" well defined. MobileNet v1 is one; a ResNet is not.
 */
export function assertChain(model: tf.LayersModel, upTo: number): void {
  for (let i = 1; i <= upTo; i++) {
    const layer = model.layers[i]!;
    const fedBy = layer.inboundNodes[0]?.inboundLayers ?? [];
    if (fedBy.length !== 1 || fedBy[0] !== model.layers[i - 1]) {
      const from = fedBy.map((l) => l.name).join(', ') || 'nothing';
      throw new Error(
        `layer ${layer.name} takes its input from ${from}, not from ${model.layers[i - 1]!.name} alone: this needs a straight chain of layers (like MobileNet v1)`,
      );
    }
  }
}

/** A shape for people: [7, 7, 256] → "7×7×256" (unknown sizes as "?"). */
export function formatShape(shape: readonly number[]): string {
  return shape.map((d) => (d < 0 ? '?' : String(d))).join('×');
}
