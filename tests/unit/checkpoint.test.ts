/**
 * Checkpoints: a saved transfer model loads back to the same predictions, and every committed reference checkpoint
 * in public/checkpoints still scores, on the validation and on the test photos, the accuracy its run record says,
 * with the Wilson interval it records. (Re-checking a recorded test score is not a second look: nothing is chosen.)
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint } from '../../src/ml/checkpoint';
import type { PhotoSet } from '../../src/ml/dataset';
import { evaluate } from '../../src/ml/evaluate';
import type { RunRecord } from '../../src/ml/runs';
import { wilsonInterval, type Interval } from '../../src/ml/stats';
import { buildTransferModel, layerIndex } from '../../src/ml/surgery';
import { train } from '../../src/ml/train';
import { nodeLoadIO, nodeModelIO, nodeSaveIO } from '../../src/platform/node';
import { loadRealModel, photoSubset, realPhotoSet } from '../helpers/training';

const CHECKPOINTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../public/checkpoints');

describe('checkpoints', () => {
  let base: tf.LayersModel;
  let photos: PhotoSet;
  let dir: string;
  beforeAll(async () => {
    base = await loadRealModel();
    photos = realPhotoSet();
    dir = mkdtempSync(path.join(tmpdir(), 'checkpoint-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips a fine-tuned model: same predictions, same record, plain file names', async () => {
    const small = photoSubset(photos, { train: 6, validation: 2 });
    const tm = buildTransferModel(base, { hidden: 16, dropout: 0.3, l2: 0.001, seed: 2 });
    const record = await train(tm, small, { freezeAt: 'conv_pw_12_relu', epochs: 1, batchSize: 6, learningRate: 0.01 });
    await saveCheckpoint(tm, nodeSaveIO(dir), record);
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
    const json = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
    expect(json.weightsManifest.flatMap((g) => g.paths)).toEqual(['weights.bin']);
    // Only what training changed is stored: block 13 and the head, not the frozen blocks 1–12.
    const stored = json.weightsManifest.flatMap((g) => g.weights.map((w) => w.name.split('/')[0]));
    expect(stored).toContain('conv_pw_13');
    expect(stored).not.toContain('conv_pw_12');

    const start = tf.memory().numTensors;
    const loaded = await loadCheckpoint(nodeLoadIO(dir), base);
    expect(loaded.record).toEqual(record);
    expect(loaded.model.labels).toEqual(['cat', 'dog', 'other']);
    expect(loaded.model.modifiedFrom).toBe(layerIndex(loaded.model.model, 'conv_pw_12_relu') + 1);
    const x = await photos.batch(photos.select('validation').slice(0, 8));
    const [a, b] = tf.tidy(() => [tm.model.predict(x) as tf.Tensor, loaded.model.model.predict(x) as tf.Tensor]);
    expect(tf.tidy(() => a!.sub(b!).abs().max().dataSync()[0])).toBeLessThan(1e-6);
    tf.dispose([x, a!, b!]);
    loaded.model.model.dispose();
    expect(tf.memory().numTensors).toBe(start);
    tm.model.dispose();
  });

  it('refuses a model.json that is not a checkpoint', async () => {
    await expect(loadCheckpoint(nodeModelIO(), base)).rejects.toThrow('not a transfer-workbook checkpoint');
    await expect(loadCheckpoint(nodeLoadIO(path.join(dir, 'missing')), base)).rejects.toThrow(/model\.json is missing/);
  });

  const committed = existsSync(path.join(CHECKPOINTS, 'index.json'))
    ? (JSON.parse(readFileSync(path.join(CHECKPOINTS, 'index.json'), 'utf8')) as { name: string }[]).map((c) => c.name)
    : [];

  it('has the committed reference checkpoints', () => {
    expect(committed).toEqual(expect.arrayContaining(['head', 'head-hidden']));
  });

  it.each(committed)(
    're-evaluates public/checkpoints/%s to its recorded validation and test accuracy',
    async (name) => {
      const folder = path.join(CHECKPOINTS, name);
      const { model, record } = await loadCheckpoint(nodeLoadIO(folder), base);
      type Scored = { accuracy: number; correct: number; total: number; interval: Interval };
      const run = JSON.parse(readFileSync(path.join(folder, 'run.json'), 'utf8')) as {
        record: RunRecord;
        validation: Scored;
        test: Scored;
      };
      // The record as saved, with the freeze point's index resolved (checkpoints saved before runs recorded it).
      expect(record).toEqual({
        ...run.record,
        freezeIndex: run.record.freezeIndex ?? layerIndex(model.model, run.record.freezeAt),
      });
      const result = await evaluate(model, photos);
      expect(result.accuracy).toBeCloseTo(record!.history.at(-1)!.valAcc, 6);
      expect(run.validation.total).toBe(78);
      expect(run.validation.correct).toBe(78 - result.misclassified.length);
      expect(run.validation.interval).toEqual(wilsonInterval(run.validation.correct, 78));
      const test = await evaluate(model, photos, { split: 'test' });
      expect(test.predictions).toHaveLength(78);
      expect(run.test.total).toBe(78);
      expect(run.test.correct).toBe(78 - test.misclassified.length);
      expect(run.test.accuracy).toBeCloseTo(test.accuracy, 6);
      expect(run.test.interval).toEqual(wilsonInterval(run.test.correct, 78));
      model.model.dispose();
    },
  );
});
