/**
 * Lesson 6's "everything" cell shows a recorded reference run (public/reference/everything.json, written by
 * `npm run record -- 06 --reference` in Chromium) instead of training for minutes on the page. These tests read the
 * committed recording itself: it must be what the cell's live form would have produced (the cell's settings, the
 * head alone and every layer, from the head checkpoint), internally consistent (each run's final answers agree with
 * its last epoch's accuracy), and its figures must be those the prose quotes. And the recorder's flip of the cell's
 * constant must produce the live form, or refuse when the cell no longer has the constant.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { liveCode, REFERENCES } from '../../scripts/record-reference.mjs';
import { epochCurves, recordedFigures, type RecordedSweep } from '../../src/workbook/recorded-sweep';

const FOLDER = '06-choose-the-freeze-point';
const recording = JSON.parse(readFileSync('public/reference/everything.json', 'utf8')) as RecordedSweep;
const cellCode = readFileSync(`lessons/${FOLDER}/cells/everything.solution.ts`, 'utf8');
const ref = REFERENCES[FOLDER][0]!;

describe('the recorded reference run of every layer trained (lesson 6)', () => {
  it('was recorded with the settings the cell states, in Chromium on wasm', () => {
    const stated = cellCode.match(
      /const everythingSettings = \{ seeds: \[([\d, ]+)\], epochs: (\d+), learningRate: ([\d.e-]+) \}/,
    );
    expect(stated, 'the cell states its settings on one line').not.toBeNull();
    expect(recording.settings).toEqual({
      seeds: stated![1]!.split(',').map(Number),
      epochs: Number(stated![2]),
      learningRate: Number(stated![3]),
    });
    expect(recording.browser).toMatch(/^Chromium \d+/);
    expect(recording.backend).toBe('wasm');
    expect(recording.points.map((p) => p.freezeIndex)).toEqual([recording.points[0]!.freezeIndex, 0]);
    expect(recording.points[0]!.freezeAt).toBe('global_average_pooling2d_1');
  });

  it('is consistent: every run trained every epoch, and its final answers match its last epoch', () => {
    for (const p of recording.points)
      for (const run of p.runs) {
        expect(run.record.stopped ?? false).toBe(false);
        expect(run.record.history).toHaveLength(recording.settings.epochs);
        expect(run.right).toHaveLength(run.total);
        expect(run.right.filter(Boolean).length).toBe(run.correct);
        expect(run.correct / run.total).toBeCloseTo(run.record.history.at(-1)!.valAcc, 6);
      }
    // Every layer trains in the whole-network runs, the head only in the others; so an epoch costs more.
    const [head, all] = recording.points;
    expect(all!.trainableParams).toBeGreaterThan(100 * head!.trainableParams);
    expect(all!.secondsPerEpoch).toBeGreaterThan(head!.secondsPerEpoch);
  });

  it('gives the figures the prose quotes: the last epoch is the pooled accuracy, per-epoch means, provenance', () => {
    const figures = recordedFigures(recording);
    const e = recording.settings.epochs;
    expect(figures[`input_1.epoch${e}.valAcc`]).toBeCloseTo(figures['input_1.valAcc'] as number, 6);
    expect(epochCurves(recording.points)).toHaveLength(e);
    expect(figures['reference.epochs']).toBe(e);
    expect(figures['reference.recorded']).toBe(recording.recorded.slice(0, 10));
    expect(figures['input_1.vsFirst.pValue']).toBeGreaterThan(0);
    expect(figures['input_1.vsFirst.pValue']).toBeLessThanOrEqual(1);
  });
});

describe("the recorder's reference mode", () => {
  it("flips the cell's TRAIN_LIVE to true and hands the result back", () => {
    const live = liveCode(cellCode, ref);
    expect(live).toContain('const TRAIN_LIVE = true;');
    expect(live).not.toContain('const TRAIN_LIVE = false;');
    expect(live.trimEnd().split('\n').at(-1)).toBe(
      'globalThis.__wbReference = { settings: everythingSettings, points: everything };',
    );
  });

  it('refuses a cell that no longer has the constant', () => {
    expect(() => liveCode(cellCode.replaceAll('TRAIN_LIVE', 'LIVE'), ref)).toThrow(/no longer says/);
  });
});
