/**
 * checkpoint.ts pinned by what it writes and what it refuses, on the real MobileNet, fast enough for mutation runs:
 * the metadata a checkpoint carries (exactly), which layers it stores (from the first changed one, at most from the
 * head), a round trip through memory and through a real HTTP server on this machine (a 404 is a
 * CheckpointNotFoundError naming the file; another failure is not), the refusal of each kind of bad metadata with
 * the sentence a learner reads, and the freeze index of an older record resolved on load. checkpoint.test.ts
 * round-trips a trained model on disk and re-scores the committed checkpoints.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHECKPOINT_FORMAT,
  CheckpointNotFoundError,
  loadCheckpoint,
  saveCheckpoint,
  type CheckpointMeta,
} from '../../src/ml/checkpoint';
import { flagsSetByLearner } from '../../src/ml/freeze-flags';
import type { RunRecord } from '../../src/ml/runs';
import { buildTransferModel, layerIndex, type TransferModel } from '../../src/ml/surgery';
import { nodeLoadIO, nodeSaveIO } from '../../src/platform/node';
import { loadRealModel } from '../helpers/training';

/** Saves `tm` into memory; returns what tfjs would write (topology, weights, metadata). */
async function saveToMemory(tm: TransferModel, record?: RunRecord): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await saveCheckpoint(
    tm,
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    record,
  );
  return saved!;
}

/** The same artifacts with their metadata changed. */
const withMeta = (artifacts: tf.io.ModelArtifacts, change: (meta: Record<string, unknown>) => object) =>
  tf.io.fromMemory({
    ...artifacts,
    userDefinedMetadata: change({ ...(artifacts.userDefinedMetadata as Record<string, unknown>) }),
  });

/** Stored weights' layer names, in order. */
const storedLayers = (artifacts: tf.io.ModelArtifacts) => [
  ...new Set(artifacts.weightSpecs!.map((w) => w.name.split('/')[0]!)),
];

describe('checkpoints, exactly', () => {
  let base: tf.LayersModel;
  let tm: TransferModel;
  let artifacts: tf.io.ModelArtifacts;
  let x: tf.Tensor4D;
  const record = { freezeAt: 'conv_pw_13_relu', epochs: 3, history: [] } as unknown as RunRecord;
  beforeAll(async () => {
    base = await loadRealModel();
    tm = buildTransferModel(base, { hidden: 8, seed: 3, labels: ['a', 'b', 'c'] });
    artifacts = await saveToMemory(tm);
    x = tf.randomUniform([2, 224, 224, 3], -1, 1, 'float32', 5) as tf.Tensor4D;
  }, 600_000);
  afterAll(() => tf.dispose(x));

  it('writes the metadata exactly: format, version, where it attaches and cuts, labels, head, base size', async () => {
    expect(artifacts.userDefinedMetadata).toEqual({
      format: CHECKPOINT_FORMAT,
      version: 1,
      attachAt: 'global_average_pooling2d_1',
      cutAt: 'global_average_pooling2d_1',
      labels: ['a', 'b', 'c'],
      head: { seed: 3, hidden: 8 },
      baseParams: base.countParams(),
    } satisfies CheckpointMeta);
    expect(CHECKPOINT_FORMAT).toBe('transfer-workbook-checkpoint');
    // An untrained model stores its head only; the input is named after the layer it attaches to.
    expect(storedLayers(artifacts)).toEqual(['head_hidden', 'head_logits']);
    const topology = artifacts.modelTopology as { config: { name: string; layers: { name: string }[] } };
    expect(topology.config.name).toBe('transfer_checkpoint');
    expect(topology.config.layers[0]!.name).toBe('global_average_pooling2d_1_output');
    // Saving builds a model of copies to save, and disposes it: no tensor is left behind.
    const before = tf.memory().numTensors;
    const withRecord = await saveToMemory(tm, record);
    expect(tf.memory().numTensors).toBe(before);
    expect((withRecord.userDefinedMetadata as unknown as CheckpointMeta).record).toEqual(record);
  });

  it('stores every layer from the first one training changed', async () => {
    const from = layerIndex(tm.model, 'conv_pw_13_relu') + 1;
    const tuned: TransferModel = { ...tm, modifiedFrom: from };
    const saved = await saveToMemory(tuned);
    expect((saved.userDefinedMetadata as unknown as CheckpointMeta).attachAt).toBe('conv_pw_13_relu');
    expect((saved.userDefinedMetadata as unknown as CheckpointMeta).cutAt).toBe('global_average_pooling2d_1');
    expect(storedLayers(saved)).toEqual(['head_hidden', 'head_logits']); // the pooling layer has no weights
    const earlier: TransferModel = { ...tm, modifiedFrom: layerIndex(tm.model, 'conv_pw_12_relu') + 1 };
    const more = await saveToMemory(earlier);
    expect(storedLayers(more)).toEqual([
      'conv_dw_13',
      'conv_dw_13_bn',
      'conv_pw_13',
      'conv_pw_13_bn',
      'head_hidden',
      'head_logits',
    ]);
    // Loaded back, it is the same model, attached at conv_pw_12_relu, trained from there on.
    const loaded = await loadCheckpoint(tf.io.fromMemory(more), base);
    expect(loaded.model.modifiedFrom).toBe(layerIndex(loaded.model.model, 'conv_pw_12_relu') + 1);
    expect(loaded.model.model.layers.map((l) => l.name)).toEqual(tm.model.layers.map((l) => l.name));
    const [a, b] = tf.tidy(() => [tm.model.predict(x) as tf.Tensor, loaded.model.model.predict(x) as tf.Tensor]);
    expect(tf.tidy(() => a!.sub(b!).abs().max().dataSync()[0])).toBe(0);
    tf.dispose([a!, b!]);
    loaded.model.model.dispose();
  });

  it('loads the engine model back: same predictions, labels, cut, head, every flag the engine’s', async () => {
    const before = tf.memory().numTensors;
    const loaded = await loadCheckpoint(tf.io.fromMemory(artifacts), base);
    expect(loaded.meta).toEqual(artifacts.userDefinedMetadata);
    expect(loaded.record).toBeUndefined();
    expect('record' in loaded).toBe(false);
    const m = loaded.model;
    expect([m.source, m.cutAt, m.labels, m.head]).toEqual([
      base,
      'global_average_pooling2d_1',
      ['a', 'b', 'c'],
      tm.head,
    ]);
    expect(m.source).toBe(base);
    expect(m.modifiedFrom).toBe(layerIndex(m.model, 'global_average_pooling2d_1') + 1);
    expect(m.model.name).toBe('transfer_model');
    expect(m.model.layers[0]!.name).toBe(base.layers[0]!.name);
    expect(m.model.layers.map((l) => l.name)).toEqual(tm.model.layers.map((l) => l.name));
    expect(flagsSetByLearner(m.model)).toBe(false);
    const [a, b] = tf.tidy(() => [tm.model.predict(x) as tf.Tensor, m.model.predict(x) as tf.Tensor]);
    expect(tf.tidy(() => a!.sub(b!).abs().max().dataSync()[0])).toBe(0);
    tf.dispose([a!, b!]);
    m.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('resolves an older record’s freeze index on load, and keeps a recorded one', async () => {
    const older = await saveToMemory(tm, record);
    const loaded = await loadCheckpoint(tf.io.fromMemory(older), base);
    expect(loaded.record).toEqual({ ...record, freezeIndex: layerIndex(loaded.model.model, 'conv_pw_13_relu') });
    loaded.model.model.dispose();
    const recorded = await saveToMemory(tm, { ...record, freezeIndex: 5 });
    const again = await loadCheckpoint(tf.io.fromMemory(recorded), base);
    expect(again.record).toEqual({ ...record, freezeIndex: 5 });
    again.model.model.dispose();
  });

  it('refuses each kind of bad metadata with its own sentence', async () => {
    const refuse = (change: (meta: Record<string, unknown>) => object) =>
      expect(loadCheckpoint(withMeta(artifacts, change), base)).rejects.toThrow();
    const message = async (change: (meta: Record<string, unknown>) => object) =>
      (await loadCheckpoint(withMeta(artifacts, change), base).catch((e: Error) => e)) as Error;
    expect((await message(() => ({ ...{}, format: 'keras' }))).message).toBe(
      'this model.json is not a transfer-workbook checkpoint (no checkpoint metadata)',
    );
    expect((await message((m) => ({ ...m, version: 2 }))).message).toBe(
      'checkpoint version 2 is not supported (expected 1)',
    );
    const incomplete = 'checkpoint metadata is incomplete: attachAt, cutAt and labels are required';
    for (const change of [
      ({ attachAt: _, ...m }: Record<string, unknown>) => m,
      (m: Record<string, unknown>) => ({ ...m, cutAt: 7 }),
      (m: Record<string, unknown>) => ({ ...m, labels: 'a,b,c' }),
    ])
      expect((await message(change)).message).toBe(incomplete);
    const n = base.countParams();
    expect((await message((m) => ({ ...m, baseParams: n + 1 }))).message).toBe(
      `checkpoint was trained on a network with ${n + 1} parameters; this one has ${n}`,
    );
    expect((await message((m) => ({ ...m, attachAt: 'conv_pw_13_relu' }))).message).toBe(
      'checkpoint expects [256] activations at conv_pw_13_relu, the network gives [7,7,256]',
    );
    await refuse((m) => ({ ...m, attachAt: 'no_such_layer' }));
    // Metadata from another tool, or none at all.
    const bare = await loadCheckpoint(tf.io.fromMemory({ ...artifacts, userDefinedMetadata: undefined }), base).catch(
      (e: Error) => e,
    );
    expect((bare as Error).message).toMatch(/not a transfer-workbook checkpoint/);
  });
});

describe('checkpoints over HTTP', () => {
  let base: tf.LayersModel;
  let dir: string;
  let server: Server;
  let url: string;
  beforeAll(async () => {
    base = await loadRealModel();
    dir = mkdtempSync(path.join(tmpdir(), 'checkpoint-http-'));
    const tm = buildTransferModel(base, { seed: 4 });
    await saveCheckpoint(tm, nodeSaveIO(path.join(dir, 'head')));
    tm.model.dispose();
    // A real server: files under `dir`, 404 for what is not there, 500 for anything under /broken/.
    server = createServer((req, res) => {
      if (req.url!.startsWith('/broken/')) return res.writeHead(500).end('broken');
      try {
        const body = readFileSync(path.join(dir, decodeURIComponent(req.url!)));
        res.writeHead(200).end(body);
      } catch {
        res.writeHead(404).end('not found');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 600_000);
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads a checkpoint from a URL, whatever the case of its scheme', async () => {
    const loaded = await loadCheckpoint(`${url}/head/model.json`, base);
    expect(loaded.meta.attachAt).toBe('global_average_pooling2d_1');
    loaded.model.model.dispose();
    const upper = await loadCheckpoint(`${url.replace('http', 'HTTP')}/head/model.json`, base);
    expect(upper.model.labels).toEqual(['cat', 'dog', 'other']);
    upper.model.model.dispose();
  });

  it('names a missing model.json or weights file as not found, with its URL; another failure is not that', async () => {
    const missing = await loadCheckpoint(`${url}/nothing/model.json`, base).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(CheckpointNotFoundError);
    expect(missing).toMatchObject({
      name: 'CheckpointNotFoundError',
      url: `${url}/nothing/model.json`,
      message: `${url}/nothing/model.json: HTTP 404, no such file`,
    });
    const upper = await loadCheckpoint(`${url.replace('http', 'HTTP')}/nothing/model.json`, base).catch((e) => e);
    expect(upper).toBeInstanceOf(CheckpointNotFoundError);
    const broken = await loadCheckpoint(`${url}/broken/model.json`, base).catch((e: unknown) => e);
    expect(broken).toBeInstanceOf(Error);
    expect(broken).not.toBeInstanceOf(CheckpointNotFoundError);
    // Another scheme goes to tfjs as it is, never to fetch: here one registered the way tfjs's own are
    // (indexeddb://, localstorage://), serving the checkpoint saved on disk; its case does not matter.
    const router = (source: string | string[]) =>
      typeof source === 'string' && source.toLowerCase().startsWith('disk://')
        ? nodeLoadIO(path.join(dir, source.slice('disk://'.length)))
        : null;
    tf.io.registerLoadRouter(router as unknown as Parameters<typeof tf.io.registerLoadRouter>[0]);
    const disk = await loadCheckpoint('Disk://head', base);
    expect(disk.meta.attachAt).toBe('global_average_pooling2d_1');
    disk.model.model.dispose();
  });
});
