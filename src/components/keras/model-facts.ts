/**
 * The figures the Keras map page gives about the workbook's MobileNet v1 0.25, computed from the real model.json at
 * build time (never typed in), so the page cannot disagree with the model the lessons load. The page's "measure in
 * this browser" button recomputes the same figures from the model tf.loadLayersModel returns (keras-measure.ts), and
 * tests/e2e/keras-map.spec.ts compares the two.
 */
import { readFileSync } from 'node:fs';

/** The parts of a Keras-exported model.json this reads. */
interface ModelJson {
  modelTopology: { model_config: { config: { layers: { class_name: string; name: string }[] } } };
  weightsManifest: { weights: { name: string; shape: number[] }[] }[];
}

export interface ModelFacts {
  /** Entries of model.layers (the InputLayer counted, as Keras's `len(model.layers)` counts it). */
  layers: number;
  /** All weights, BatchNorm moving statistics included (what `countParams()` and Keras's "Total params" count). */
  params: number;
  /** BatchNorm moving means and variances: the weights no gradient changes (Keras's "Non-trainable params"). */
  movingStats: number;
  /** Depthwise convolutions: one per depthwise-separable block. */
  depthwise: number;
  batchNorms: number;
  /** Layers that add two paths (residual shortcuts): Add layers. */
  adds: number;
  /** The pooled-features layer, where the workbook cuts, and its index in model.layers. */
  pooled: { name: string; index: number };
  /** Weights up to and including the pooled features: the base a head sits on (include_top=False + pooling). */
  baseParams: number;
  /** Weights after the pooled features: the 1000-way ImageNet classifier the cut removes. */
  topParams: number;
  /** Index of a layer by name (for the freeze point ↔ fine_tune_at example). */
  indexOf: Record<string, number>;
  /** Weights of each layer that has any (kernel, bias, BatchNorm's four), by layer name, in the manifest's order. */
  layerParams: Record<string, number>;
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** The figures, from a parsed model.json. */
export function modelFacts(json: ModelJson): ModelFacts {
  const layers = json.modelTopology.model_config.config.layers;
  const weights = json.weightsManifest.flatMap((group) => group.weights);
  // Weight names are "<layer name>/<weight name>"; a layer's weights are those whose prefix is its name.
  const layerParams: Record<string, number> = {};
  for (const w of weights) {
    const layer = w.name.split('/')[0]!;
    layerParams[layer] = (layerParams[layer] ?? 0) + size(w.shape);
  }
  const paramsOf = (layer: string) => layerParams[layer] ?? 0;
  const count = (className: string) => layers.filter((l) => l.class_name === className).length;
  const pooledIndex = layers.findIndex((l) => l.class_name === 'GlobalAveragePooling2D');
  if (pooledIndex < 0)
    throw new Error('model.json has no GlobalAveragePooling2D layer: not the MobileNet the workbook uses');
  const baseParams = layers.slice(0, pooledIndex + 1).reduce((s, l) => s + paramsOf(l.name), 0);
  const params = weights.reduce((s, w) => s + size(w.shape), 0);
  return {
    layers: layers.length,
    params,
    movingStats: weights.filter((w) => /\/moving_(mean|variance)$/.test(w.name)).reduce((s, w) => s + size(w.shape), 0),
    depthwise: count('DepthwiseConv2D'),
    batchNorms: count('BatchNormalization'),
    adds: count('Add'),
    pooled: { name: layers[pooledIndex]!.name, index: pooledIndex },
    baseParams,
    topParams: params - baseParams,
    indexOf: Object.fromEntries(layers.map((l, i) => [l.name, i])),
    layerParams,
  };
}

/** The figures of the model in public/workbook-assets (resolved by `npm run assets`, which `npm run build` runs first). */
export function readModelFacts(file = 'public/workbook-assets/model/model.json'): ModelFacts {
  return modelFacts(JSON.parse(readFileSync(file, 'utf8')) as ModelJson);
}

/** 475544 → "475,544", as the page prints every figure. */
export const grouped = (n: number) => n.toLocaleString('en-US');
