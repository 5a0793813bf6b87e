/**
 * The reshaped `wb` surface in Node, on the real model, photos and the committed "head" checkpoint: one-hot targets
 * from wb.photos, one way to classify (a transfer model as it is), wb.evaluate scoring a labelled split of a
 * transfer model or of the learner's own LayersModel (adopted once, with the same answers), clear refusals, and a
 * checkpoint's run added to the runs table as a baseline row.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../src/ml/checkpoint';
import { nodeLoadIO } from '../../src/platform/node';
import { createWorkbook, type Workbook } from '../../src/workbook';
import type { Checkpoint } from '../../src/workbook/checkpoints';
import { nodePlatform } from '../helpers/workbook-node';

const HEAD = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../public/checkpoints/head');

let wb: Workbook;
let base: tf.LayersModel;
let head: Checkpoint;

beforeAll(async () => {
  wb = await createWorkbook(await nodePlatform());
  base = await wb.loadModel();
  head = { name: 'head', ...(await loadCheckpoint(nodeLoadIO(HEAD), base)) };
}, 120_000);

describe('wb surface', () => {
  it('gives one-hot targets in wb.photos.labels order', () => {
    const photos = wb.photos.mixed(2, 'train');
    const ys = wb.photos.oneHot(photos);
    expect(ys.shape).toEqual([6, 3]);
    const rows = ys.arraySync();
    ys.dispose();
    rows.forEach((row, i) => {
      expect(row.reduce((a, b) => a + b, 0)).toBe(1);
      expect(wb.photos.labels[row.indexOf(1)]).toBe(photos[i]!.label);
    });
    expect(() => wb.photos.oneHot(['cat/no_such_photo.jpg'])).toThrow(/There is no photo/);
  });

  it('classifies with a transfer model as it is (no .model), naming our labels', async () => {
    const photos = wb.photos.mixed(1, 'validation');
    const viaTransfer = await wb.classify(head.model, photos, { show: false });
    const viaLayers = await wb.classify(head.model.model, photos, { show: false });
    expect(viaTransfer.map((p) => p.top.map((t) => t.name))).toEqual(viaLayers.map((p) => p.top.map((t) => t.name)));
    expect(viaTransfer[0]!.top.map((t) => t.name).sort()).toEqual([...wb.photos.labels].sort());
    await expect(wb.classify('model' as never, photos)).rejects.toThrow(/wb\.classify expects a model/);
  });

  it('scores a labelled split of a transfer model, or of the same network as a plain LayersModel', async () => {
    const ev = await wb.evaluate(head.model);
    expect(ev.predictions).toHaveLength(wb.photos.all('validation').length);
    expect(ev.accuracy).toBeGreaterThan(0.8);
    // The learner's own LayersModel is adopted onto the pre-trained model (src/ml/adopt.ts): the same answers.
    const adopted = await wb.evaluate(head.model.model);
    expect(adopted.accuracy).toBe(ev.accuracy);
    expect(adopted.confusion).toEqual(ev.confusion);
    const train = await wb.evaluate(head.model, { split: 'train' });
    expect(train.predictions).toHaveLength(wb.photos.all('train').length);
  }, 120_000);

  it('refuses what it cannot score, saying why', async () => {
    await expect(wb.evaluate(base)).rejects.toThrow(/one output per label \(cat, dog, other\): this one gives 1000/);
    await expect(wb.evaluate(head.model, { split: 'test' as never })).rejects.toThrow(/wb\.scoreTest/);
    await expect(wb.evaluate(undefined as never)).rejects.toThrow(/wb\.evaluate expects a model/);
  });

  it('adds a checkpoint run to the runs table as a baseline row, and nothing else', () => {
    expect(() => wb.runs.addCheckpoint(head.record as never)).toThrow(/what wb\.checkpoints\.load\(name\) returned/);
    expect(wb.runs.rows()).toHaveLength(0);
    const record = wb.runs.addCheckpoint(head, 'linear head (lesson 5)');
    expect(record.name).toBe('linear head (lesson 5)');
    const rows = wb.runs.rows();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.freezeAt).toBe(head.record!.freezeAt);
    expect(wb.runs.best()?.name).toBe('linear head (lesson 5)');
    wb.runs.clear();
    expect(wb.runs.rows()).toHaveLength(0);
  });
});
