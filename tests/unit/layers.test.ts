/**
 * Layer inspection on the real pre-trained MobileNet: the layer table, the 15 groups and freeze-point resolution.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BLOCK_NAMES,
  describeLayers,
  formatShape,
  resolveLayerIndex,
  summarizeBlocks,
  type LayerInfo,
} from '../../src/ml/layers';
import { nodeModelIO, useWasmBackend } from '../../src/platform/node';

describe('layer inspection of the real model', () => {
  let model: tf.LayersModel;
  let layers: LayerInfo[];
  beforeAll(async () => {
    await useWasmBackend();
    model = await tf.loadLayersModel(nodeModelIO());
    layers = describeLayers(model);
  });

  it('lists all 88 layers with class, shape and parameters', () => {
    expect(layers).toHaveLength(88);
    expect(layers.reduce((n, l) => n + l.params, 0)).toBe(475_544);
    expect(layers[1]).toMatchObject({
      index: 1,
      name: 'conv1',
      className: 'Conv2D',
      outputShape: [112, 112, 8],
      params: 216,
      trainable: true,
      block: 'stem',
    });
    expect(layers[76]).toMatchObject({
      name: 'conv_dw_13',
      className: 'DepthwiseConv2D',
      outputShape: [7, 7, 256],
      params: 3 * 3 * 256,
    });
    // BatchNorm: gamma and beta are trained, the moving mean and variance are statistics, counted as frozen.
    expect(layers[2]).toMatchObject({ name: 'conv1_bn', params: 32, trainableParams: 16, frozenParams: 16 });
    expect(layers[85]).toMatchObject({ name: 'conv_preds', params: 256 * 1000 + 1000, block: 'classifier' });
    expect(layers.at(-1)).toMatchObject({ name: 'reshape_2', outputShape: [1000], block: 'classifier' });
  });

  it('groups the layers into the stem, 13 blocks and the classifier', () => {
    const blocks = summarizeBlocks(layers);
    expect(blocks.map((b) => b.name)).toEqual(BLOCK_NAMES);
    expect(blocks[0]!.layerNames).toEqual(['input_1', 'conv1', 'conv1_bn', 'conv1_relu']);
    const block13 = blocks[13]!;
    expect(block13.layerNames).toEqual([
      'conv_dw_13',
      'conv_dw_13_bn',
      'conv_dw_13_relu',
      'conv_pw_13',
      'conv_pw_13_bn',
      'conv_pw_13_relu',
    ]);
    expect(block13.outputShape).toEqual([7, 7, 256]);
    expect(block13.params).toBe(2304 + 1024 + 65_536 + 1024);
    expect(blocks[14]!.layerNames).toEqual([
      'global_average_pooling2d_1',
      'reshape_1',
      'dropout',
      'conv_preds',
      'act_softmax',
      'reshape_2',
    ]);
    expect(blocks.reduce((n, b) => n + b.params, 0)).toBe(475_544);
    expect(blocks.every((b, i) => i === 0 || b.firstLayer === blocks[i - 1]!.lastLayer + 1)).toBe(true);
    expect(formatShape(blocks[6]!.outputShape)).toBe('14×14×128');
  });

  it('counts frozen parameters once layers are frozen', () => {
    const allTrainable = summarizeBlocks(layers);
    // Only the BatchNorm moving statistics are frozen in the fresh model: half of every BN layer's parameters.
    const bnStats = layers.filter((l) => l.className === 'BatchNormalization').reduce((n, l) => n + l.params / 2, 0);
    expect(allTrainable.reduce((n, b) => n + b.frozenParams, 0)).toBe(bnStats);
    const upTo = resolveLayerIndex(layers, 'block 12');
    model.layers.forEach((l, i) => {
      l.trainable = i >= upTo;
    });
    try {
      const frozen = summarizeBlocks(describeLayers(model));
      expect(frozen[11]).toMatchObject({ name: 'block 11', trainableParams: 0 });
      expect(frozen[11]!.frozenParams).toBe(frozen[11]!.params);
      expect(frozen[12]!.trainableParams).toBe(allTrainable[12]!.trainableParams);
    } finally {
      model.layers.forEach((l) => {
        l.trainable = true;
      });
    }
  });

  it('resolves freeze points given as index, layer name or block name', () => {
    expect(resolveLayerIndex(layers, 73)).toBe(73);
    expect(resolveLayerIndex(layers, 'conv_pw_12')).toBe(73);
    expect(resolveLayerIndex(layers, 'block 12')).toBe(70);
    expect(resolveLayerIndex(layers, 'Block12')).toBe(70);
    expect(resolveLayerIndex(layers, 'stem')).toBe(0);
    expect(resolveLayerIndex(layers, 'classifier')).toBe(82);
    expect(() => resolveLayerIndex(layers, 88)).toThrow('layer index 88 is out of range: the model has layers 0…87');
    expect(() => resolveLayerIndex(layers, 'block 14')).toThrow(
      /^no layer "block 14" in this model: use a layer name \(input_1 … reshape_2\)/,
    );
    expect(() => resolveLayerIndex(layers, 'conv_pw_99')).toThrow('stem, block 1 … classifier');
  });
});
