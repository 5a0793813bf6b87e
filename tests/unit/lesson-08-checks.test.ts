/**
 * Lesson 8's checks, each tried three ways (rule 5 of lessons/README.md): on the starter (fails with the first rung
 * of its ladder), on a plausible wrong answer (fails with that mistake's own hint), on the solution (passes). The
 * fewer-photos runs are real runs of the engine on the real model and photos (2 epochs each, to stay quick).
 */
import type * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PhotoSet } from '../../src/ml/dataset';
import type { LabelScore } from '../../src/ml/evaluate';
import { trainingSubset } from '../../src/ml/photo-subset';
import type { RunRecord } from '../../src/ml/runs';
import { buildTransferModel } from '../../src/ml/surgery';
import { train } from '../../src/ml/train';
import { fewerPhotos, sameAnswers } from '../../lessons/08-your-turn/checks';
import { loadRealModel, realPhotoSet } from '../helpers/training';

const scores = (cat: number, dog: number): LabelScore[] => [
  { label: 'cat', probability: cat },
  { label: 'dog', probability: dog },
  { label: 'other', probability: 1 - cat - dog },
];

describe('lesson 8: sameAnswers', () => {
  it('fails on the starter (null) with the idea first, on another model with its own ladder, passes on the same', () => {
    const starter = sameAnswers(scores(0.9, 0.05), null);
    expect(starter.pass).toBe(false);
    expect(starter.message).toBe('The second list of scores is null.');
    expect(starter.hints).toHaveLength(3);
    expect(starter.hints[0]).toContain('loaded back');
    const other = sameAnswers(scores(0.9, 0.05), scores(0.7, 0.2));
    expect(other.pass).toBe(false);
    expect(other.message).toContain('not the same model');
    expect(other.hints[0]).not.toBe(starter.hints[0]);
    expect(sameAnswers(scores(0.9, 0.05), scores(0.9, 0.05)).pass).toBe(true);
  });
});

describe('lesson 8: fewerPhotos on real runs', () => {
  let base: tf.LayersModel;
  let photos: PhotoSet;
  const judge = (rows: { perClass: number; run: RunRecord }[]) =>
    fewerPhotos(photos.labels, photos.select('validation').length, photos.select('train').length, rows);
  beforeAll(async () => {
    base = await loadRealModel();
    photos = realPhotoSet();
  }, 60_000);

  it('fails on the starter (no run) with the idea of the loop first', () => {
    const verdict = judge([]);
    expect(verdict.pass).toBe(false);
    expect(verdict.message).toContain('no run yet');
    expect(verdict.hints[0]).toContain('One experiment per size');
  });

  it('fails when every run trained on all photos (the photos option forgotten), with that mistake’s ladder', async () => {
    const rows = [];
    for (const perClass of [5, 10, 25]) {
      const tm = buildTransferModel(base);
      rows.push({ perClass, run: await train(tm, photos, { epochs: 1 }) });
      tm.model.dispose();
    }
    const verdict = judge(rows);
    expect(verdict.pass).toBe(false);
    expect(verdict.message).toBe('Every run trained on all 234 training photos: none used fewer.');
    expect(verdict.hints[1]).toContain('photos: { perClass: n }');
  }, 120_000);

  it('fails with two sizes, and with a row whose run is another size’s; passes on the solution with intervals', async () => {
    const rows: { perClass: number; run: RunRecord }[] = [];
    for (const perClass of [5, 10, 25]) {
      const tm = buildTransferModel(base);
      rows.push({ perClass, run: await train(tm, trainingSubset(photos, { perClass }), { epochs: 2 }) });
      tm.model.dispose();
    }
    expect(judge(rows.slice(0, 2)).message).toContain('Only 2 different sizes');
    const swapped = judge([rows[0]!, { perClass: 10, run: rows[2]!.run }, rows[2]!]);
    expect(swapped.pass).toBe(false);
    expect(swapped.message).toContain('The run for 10 a class trained on 75 photos, not 10 × 3 = 30.');
    const verdict = judge(rows);
    expect(verdict.pass).toBe(true);
    expect(verdict.message).toMatch(
      /^3 runs on the same 78 validation photos: 5 a class, [\d.]+ % \[[\d.]+ %, [\d.]+ %\] · \d+\/78;/,
    );
  }, 120_000);
});
