/**
 * Saving and loading trained transfer models. Only what training changed is stored: the layers after the freeze
 * point (the new head, plus any fine-tuned blocks) as their own small LayersModel, together with where they attach to
 * the pre-trained network and the run record. Loading glues them back onto the pre-trained MobileNet. A head is a few
 * kB instead of the 1.9 MB of the whole network.
 *
 * Any tf.io IOHandler or URL works: 'indexeddb://name', 'downloads://name', tf.io.browserFiles([...]) or
 * '/checkpoints/head/model.json' in the browser; nodeSaveIO(dir) / nodeLoadIO(dir) (src/platform/node.ts) in Node.
 */
import * as tf from '@tensorflow/tfjs';
import type { RunRecord } from './runs';
import { applyCopies, layerIndex, type TransferModel } from './surgery';
import { recordEngineFlags } from './freeze-flags';

/** Marks a model.json as one of ours, so loading some other model fails with a clear message. */
export const CHECKPOINT_FORMAT = 'transfer-workbook-checkpoint';

/** What a checkpoint says about itself (stored as the model's userDefinedMetadata). */
export interface CheckpointMeta {
  format: typeof CHECKPOINT_FORMAT;
  version: 1;
  /** The last layer taken from the pre-trained network unchanged; the stored layers continue from its output. */
  attachAt: string;
  /** The kept part of the pre-trained network ends here (the head starts after it). */
  cutAt: string;
  labels: string[];
  head: TransferModel['head'];
  /** Parameter count of the pre-trained network it was cut from, to catch loading onto another one. */
  baseParams: number;
  record?: RunRecord;
}

/** A checkpoint URL the server does not have (HTTP 404 for its model.json or weights): not made, or misnamed. */
export class CheckpointNotFoundError extends Error {
  override name = 'CheckpointNotFoundError';
  constructor(readonly url: string) {
    super(`${url}: HTTP 404, no such file`);
  }
}

/**
 * A URL as a tf.io handler whose fetch tells a missing file (404) apart from every other failure, with an error
 * class instead of a message to parse: tfjs's own handler reports both as an Error with text only.
 */
function httpSource(url: string): tf.io.IOHandler {
  return tf.io.http(url, {
    fetchFunc: async (input: RequestInfo | URL, init?: RequestInit) => {
      const response = await fetch(input, init);
      if (response.status === 404)
        throw new CheckpointNotFoundError(String(input instanceof Request ? input.url : input));
      return response;
    },
  });
}

/** A loaded checkpoint: a ready transfer model, its record and metadata. */
export interface LoadedCheckpoint {
  model: TransferModel;
  record?: RunRecord;
  meta: CheckpointMeta;
}

/**
 * Saves the trained part of `tm` (every layer after the last unchanged one; at least the head) with `record`.
 * Returns tfjs's SaveResult (sizes of the topology and weights).
 */
export async function saveCheckpoint(
  tm: TransferModel,
  destination: string | tf.io.IOHandler,
  record?: RunRecord,
): Promise<tf.io.SaveResult> {
  const cut = layerIndex(tm.model, tm.cutAt);
  const start = Math.min(tm.modifiedFrom, cut + 1);
  const attach = tm.model.layers[start - 1]!;
  const input = tf.input({ shape: attach.outputShape.slice(1) as number[], name: `${attach.name}_output` });
  const stored = tf.model({
    inputs: input,
    outputs: applyCopies(tm.model.layers.slice(start), input),
    name: 'transfer_checkpoint',
  });
  const meta: CheckpointMeta = {
    format: CHECKPOINT_FORMAT,
    version: 1,
    attachAt: attach.name,
    cutAt: tm.cutAt,
    labels: [...tm.labels],
    head: tm.head,
    baseParams: tm.source.countParams(),
    ...(record ? { record } : {}),
  };
  stored.setUserDefinedMetadata(JSON.parse(JSON.stringify(meta)) as object);
  try {
    return await stored.save(destination);
  } finally {
    stored.dispose();
  }
}

function readMeta(model: tf.LayersModel): CheckpointMeta {
  const meta = model.getUserDefinedMetadata() as Partial<CheckpointMeta> | undefined;
  if (meta?.format !== CHECKPOINT_FORMAT)
    throw new Error('this model.json is not a transfer-workbook checkpoint (no checkpoint metadata)');
  if (meta.version !== 1) throw new Error(`checkpoint version ${String(meta.version)} is not supported (expected 1)`);
  if (typeof meta.attachAt !== 'string' || typeof meta.cutAt !== 'string' || !Array.isArray(meta.labels)) {
    throw new Error('checkpoint metadata is incomplete: attachAt, cutAt and labels are required');
  }
  return meta as CheckpointMeta;
}

/**
 * Loads a checkpoint and attaches it to `base`, the pre-trained network it was trained from. The result is a
 * TransferModel like buildTransferModel's: it predicts from photos, and can be evaluated or trained further.
 */
export async function loadCheckpoint(
  source: string | tf.io.IOHandler,
  base: tf.LayersModel,
): Promise<LoadedCheckpoint> {
  // A site URL (relative or http) goes through httpSource, so a missing checkpoint is a CheckpointNotFoundError;
  // other schemes (indexeddb://, file://) and IOHandlers go to tfjs as they are.
  const isHttp = typeof source === 'string' && (!/^[a-z]+:\/\//i.test(source) || /^https?:\/\//i.test(source));
  const stored = await tf.loadLayersModel(isHttp ? httpSource(source) : source);
  try {
    const meta = readMeta(stored);
    if (meta.baseParams !== base.countParams()) {
      throw new Error(
        `checkpoint was trained on a network with ${meta.baseParams} parameters; this one has ${base.countParams()}`,
      );
    }
    const attach = layerIndex(base, meta.attachAt);
    const expected = base.layers[attach]!.outputShape.slice(1).join(',');
    const got = stored.inputs[0]!.shape.slice(1).join(',');
    if (expected !== got)
      throw new Error(`checkpoint expects [${got}] activations at ${meta.attachAt}, the network gives [${expected}]`);
    const input = tf.input({ shape: base.inputs[0]!.shape.slice(1) as number[], name: base.layers[0]!.name });
    const kept = applyCopies(base.layers.slice(1, attach + 1), input);
    const output = applyCopies(stored.layers.slice(1), kept);
    const model = tf.model({ inputs: input, outputs: output, name: 'transfer_model' });
    recordEngineFlags(model); // every layer trainable, as tfjs builds it: the engine's flags, not the learner's
    const tm: TransferModel = {
      model,
      source: base,
      cutAt: meta.cutAt,
      labels: meta.labels,
      head: meta.head,
      modifiedFrom: attach + 1,
    };
    // Records saved before runs kept their freeze index name the layer only: resolve it once, here.
    const record = meta.record
      ? { ...meta.record, freezeIndex: meta.record.freezeIndex ?? layerIndex(model, meta.record.freezeAt) }
      : undefined;
    return { model: tm, meta, ...(record ? { record } : {}) };
  } finally {
    stored.dispose();
  }
}
