/**
 * `wb.layers`: the model as a table a learner can read. 88 rows are too many to take in, so layers are grouped into
 * MobileNet's stem, its 13 depthwise-separable blocks and the classifier (src/ml/layers.ts); each group is one row
 * with its totals that opens to show its layers. The columns are the questions of lesson 2: what each layer outputs
 * (shapes shrink while channels grow), how many parameters it has (where the model's knowledge is), and whether
 * training may change them (trainable or frozen).
 */
import type * as tf from '@tensorflow/tfjs';
import { asLayersModel, type AnyModel } from '../ml/surgery';
import { count } from './dom';
import { describeLayers, formatShape, summarizeBlocks, type BlockSummary, type LayerInfo } from '../ml/layers';

/** Options of the layer table. */
export interface LayerTableOptions {
  /** Which groups start open: 'all', 'none' (default) or their names (['block 13', 'classifier']). */
  open?: 'all' | 'none' | readonly string[];
}

/** "trainable", "frozen", or "mixed" for a group of layers. */
function trainability(layers: readonly LayerInfo[]): string {
  const withWeights = layers.filter((l) => l.params > 0);
  if (withWeights.length === 0) return '–';
  if (withWeights.every((l) => l.trainable)) return 'trainable';
  if (withWeights.every((l) => !l.trainable)) return 'frozen';
  return 'mixed';
}

/** The `wb.layers` part of the facade. */
export function layersApi() {
  return {
    /** Every layer: index, name, type, output shape (no batch axis), parameters, trainable or not, group. */
    describe: (model: AnyModel): LayerInfo[] => describeLayers(asLayersModel(model, 'wb.layers.describe')),
    /** The layers grouped into stem, block 1 … block 13 and classifier, with totals per group. */
    blocks: (model: AnyModel): BlockSummary[] =>
      summarizeBlocks(describeLayers(asLayersModel(model, 'wb.layers.blocks'))),
    /** A shape for reading: [7, 7, 256] → "7×7×256". */
    formatShape,
    /** The layer table, grouped by block (click a group to open it). Show it with display() or as the cell's value. */
    show: (model: AnyModel, options: LayerTableOptions = {}): HTMLElement =>
      layerTable(asLayersModel(model, 'wb.layers.show'), options),
  };
}

/** Builds the grouped table. */
export function layerTable(model: tf.LayersModel, options: LayerTableOptions = {}): HTMLElement {
  const layers = describeLayers(model);
  const blocks = summarizeBlocks(layers);
  const total = layers.reduce((n, l) => n + l.params, 0);
  const trainable = layers.reduce((n, l) => n + l.trainableParams, 0);
  const isOpen = (name: string) =>
    options.open === 'all' || (Array.isArray(options.open) && options.open.includes(name));

  const table = document.createElement('table');
  table.className = 'wb-table wb-layers';
  const caption = table.createCaption();
  caption.textContent = `${model.name}: ${layers.length} layers, ${count(total)} parameters (${count(trainable)} trainable, ${count(total - trainable)} not). Click a group to see its layers.`;
  const head = table.createTHead().insertRow();
  for (const title of ['#', 'Layer', 'Type', 'Output shape', 'Parameters', 'Training']) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = title;
    head.append(th);
  }
  for (const block of blocks) {
    const members = layers.slice(block.firstLayer, block.lastLayer + 1);
    const body = table.createTBody();
    body.className = 'wb-block';
    body.dataset.block = block.name;
    const row = body.insertRow();
    row.className = 'wb-block-row';
    row.insertCell().textContent = `${block.firstLayer}–${block.lastLayer}`;
    const nameCell = row.insertCell();
    const toggle = document.createElement('button');
    toggle.type = 'button';
    toggle.className = 'wb-toggle';
    toggle.textContent = `${block.name} (${members.length} layers)`;
    nameCell.append(toggle);
    row.insertCell().textContent = blockKind(members);
    row.insertCell().textContent = formatShape(block.outputShape);
    row.insertCell().textContent = count(block.params);
    row.insertCell().textContent = trainability(members);
    const layerRows = members.map((layer) => {
      const r = body.insertRow();
      r.className = 'wb-layer-row';
      r.dataset.layer = layer.name;
      r.insertCell().textContent = String(layer.index);
      r.insertCell().textContent = layer.name;
      r.insertCell().textContent = layer.className;
      r.insertCell().textContent = formatShape(layer.outputShape);
      r.insertCell().textContent = layer.params ? count(layer.params) : '–';
      r.insertCell().textContent = layer.params === 0 ? '–' : layer.trainable ? 'trainable' : 'frozen';
      return r;
    });
    const set = (open: boolean) => {
      toggle.setAttribute('aria-expanded', String(open));
      for (const r of layerRows) r.hidden = !open;
    };
    set(isOpen(block.name));
    toggle.addEventListener('click', () => set(toggle.getAttribute('aria-expanded') !== 'true'));
  }
  const foot = table.createTFoot().insertRow();
  foot.insertCell().textContent = '';
  foot.insertCell().textContent = 'total';
  foot.insertCell().textContent = '';
  foot.insertCell().textContent = formatShape(layers.at(-1)?.outputShape ?? []);
  foot.insertCell().textContent = count(total);
  foot.insertCell().textContent = trainability(layers);
  return table;
}

/** Short names of layer types, for the group rows. */
const SHORT: Readonly<Record<string, string>> = {
  InputLayer: 'input',
  Conv2D: 'conv',
  DepthwiseConv2D: 'depthwise conv',
  BatchNormalization: 'BN',
  Activation: 'activation',
  GlobalAveragePooling2D: 'average pool',
  Reshape: 'reshape',
  Dropout: 'dropout',
  Dense: 'dense',
};

/** What a group is made of, in a few words: its layer types in order, each once ("depthwise conv, BN, …"). */
function blockKind(members: readonly LayerInfo[]): string {
  return [...new Set(members.map((l) => SHORT[l.className] ?? l.className))].join(', ');
}
