/**
 * Figures with a source: the page's figure map (src/workbook/figures.ts) names what a run, an evaluation and a
 * classification produced after the running cell; the record's rules (scripts/record-figures.mjs) write them in
 * prose, fail on a missing figure with the file and key, and tell a live run that drifted from one that did not.
 * Pure functions on hand-made inputs: the real runs are the lesson e2e specs' (tests/e2e/record-drift.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { driftFrom, figTags, figureProblems, renderFigure, toleranceOf } from '../../scripts/record-figures.mjs';
import type { Evaluation } from '../../src/ml/evaluate';
import type { RunRecord } from '../../src/ml/runs';
import { wilsonInterval } from '../../src/ml/stats';
import { setRunningCell } from '../../src/runtime/globals';
import { allFigures, FIGURES_GLOBAL, noteClassification, noteEvaluation, noteRun } from '../../src/workbook/figures';

/** Makes `id` the running cell (a new run of it each call), as the kernel does. */
function runCell(id: string): void {
  setRunningCell({ id, display: () => {}, progress: () => {}, signal: new AbortController().signal });
}

const run = (valAccs: number[], validationPhotos = 78): RunRecord => ({
  freezeAt: 'global_average_pooling2d_1',
  freezeIndex: 82,
  cutAt: 'global_average_pooling2d_1',
  trainableParams: 771,
  frozenParams: 218544,
  epochs: valAccs.length,
  learningRate: 1e-3,
  schedule: 'cosine',
  optimizer: 'adam',
  batchSize: 16,
  augment: false,
  seed: 1,
  head: {},
  batchNorm: 'inference',
  mode: 'cached',
  secondsPerEpoch: 0.2,
  featureSeconds: 25,
  backend: 'wasm',
  trainPhotos: 234,
  validationPhotos,
  history: valAccs.map((valAcc, epoch) => ({
    epoch,
    loss: 0.5 / (epoch + 1),
    acc: 0.9,
    valLoss: 0.3,
    valAcc,
    seconds: 0.2,
  })),
});

const evaluation: Evaluation = {
  labels: ['cat', 'dog', 'other'],
  accuracy: 7 / 9,
  loss: 0.4,
  confusion: [
    [2, 1, 0],
    [0, 3, 0],
    [1, 0, 2],
  ],
  perClass: [
    { label: 'cat', precision: 2 / 3, recall: 2 / 3, support: 3 },
    { label: 'dog', precision: 3 / 4, recall: 1, support: 3 },
    { label: 'other', precision: 1, recall: 2 / 3, support: 3 },
  ],
  misclassified: [
    { file: 'cat/a.jpg', name: 'Persian', label: 'cat', predicted: 'dog', scores: [0.3, 0.6, 0.1] },
    { file: 'other/b.jpg', name: 'lynx', label: 'other', predicted: 'cat', scores: [0.9, 0.05, 0.05] },
  ],
  predictions: new Array(9).fill(null) as never,
} as unknown as Evaluation;

afterEach(() => {
  setRunningCell(null);
  delete (globalThis as Record<string, unknown>)[FIGURES_GLOBAL];
});

describe('the page figures', () => {
  it('names a run after its cell: final and best validation accuracy as k of n with a Wilson interval, per epoch', () => {
    runCell('train');
    noteRun(run([0.5, 70 / 78, 69 / 78]));
    const f = allFigures();
    expect(f['train.valCorrect']).toBe(69);
    expect(f['train.valTotal']).toBe(78);
    expect(f['train.valAcc']).toBeCloseTo(69 / 78, 12);
    expect(f['train.valAccLow']).toBeCloseTo(wilsonInterval(69, 78).low, 12);
    expect(f['train.valAccHigh']).toBeCloseTo(wilsonInterval(69, 78).high, 12);
    expect([f['train.bestValCorrect'], f['train.bestEpoch'], f['train.epochs']]).toEqual([70, 2, 3]);
    expect(f['train.epoch1.valAcc']).toBe(0.5);
    expect(f['train.freezeAt']).toBe('global_average_pooling2d_1');
    expect('train.perClass' in f).toBe(false);
  });

  it('keeps the sample size of a run on { perClass } photos, for "5 photos a class (15 in all)"', () => {
    runCell('fewer');
    noteRun({ ...run([0.5]), trainPhotos: 15 }, { perClass: 5 });
    expect([allFigures()['fewer.perClass'], allFigures()['fewer.trainPhotos']]).toEqual([5, 15]);
  });

  it('numbers a second result of one cell run, and a re-run of the cell drops what its last run left', () => {
    runCell('runs');
    noteRun(run([0.5, 0.6]));
    noteRun(run([70 / 78]));
    expect(allFigures()['runs.2.valCorrect']).toBe(70);
    runCell('runs');
    noteRun(run([71 / 78]));
    expect(allFigures()['runs.valCorrect']).toBe(71);
    expect(Object.keys(allFigures()).filter((k) => k.startsWith('runs.2.'))).toEqual([]);
    expect(allFigures()['runs.epoch2.valAcc']).toBeUndefined();
  });

  it('keeps nothing outside a cell, and leaves out a stopped run’s missing figures instead of storing NaN', () => {
    noteRun(run([0.5]));
    expect(allFigures()).toEqual({});
    runCell('train');
    noteRun({ ...run([]), stopped: true });
    expect(allFigures()['train.stopped']).toBe(true);
    expect('train.valAcc' in allFigures()).toBe(false);
  });

  it('an evaluation: accuracy, the confusion matrix by name, column sums, precision and recall, mistakes surest first', () => {
    runCell('evaluate');
    noteEvaluation(evaluation);
    const f = allFigures();
    expect([f['evaluate.correct'], f['evaluate.total'], f['evaluate.mistakes']]).toEqual([7, 9, 2]);
    expect(f['evaluate.confusion.cat.dog']).toBe(1);
    expect(f['evaluate.confusion.other.cat']).toBe(1);
    expect([f['evaluate.said.cat'], f['evaluate.said.dog'], f['evaluate.said.other']]).toEqual([3, 4, 2]);
    expect(f['evaluate.recall.dog']).toBe(1);
    expect([f['evaluate.mistake1.name'], f['evaluate.mistake1.said'], f['evaluate.mistake2.name']]).toEqual([
      'lynx',
      'cat',
      'Persian',
    ]);
  });

  it('a classification: counts of top classes, right answers, each photo’s top classes', () => {
    runCell('ask');
    const top = (name: string, probability: number) => ({ name, probability, index: 0 });
    noteClassification([
      { photo: { file: 'cat/Bombay_1.jpg', name: 'Bombay', label: 'cat' }, top: [top('cat', 0.9), top('dog', 0.1)] },
      { photo: { file: 'dog/pug_2.jpg', name: 'pug', label: 'dog' }, top: [top('cat', 0.6), top('dog', 0.4)] },
    ]);
    const f = allFigures();
    expect([f['ask.photos'], f['ask.right'], f['ask.said.cat']]).toEqual([2, 1, 2]);
    expect([f['ask.pug_2.top1'], f['ask.pug_2.p2']]).toEqual(['cat', 0.4]);
  });
});

describe('figures in prose', () => {
  const record = {
    lesson: '05-x',
    recorded: '',
    commit: '',
    browser: '',
    backend: 'wasm',
    threads: 2,
    seconds: 1,
    figures: {
      'train.valAcc': 71 / 78,
      'train.valAccLow': 0.823,
      'train.valAccHigh': 0.955,
      'train.frozenParams': 218544,
      'e.recall.cat': 0.875,
      'e.recall.dog': 0.96,
      'e.recall.other': 0.96,
      'features.seconds': 24.6,
      'e.loss': 0.30149,
      'b.Sphynx_127.top1': 'Mexican hairless',
      'b.British_Shorthair_139.top1': 'lynx, catamount',
    },
  };

  it('writes each form', () => {
    const fig = (of: string, as?: string, digits?: number) => renderFigure(record, { of, as, digits }, 'here');
    expect(fig('train.valAcc', 'percent')).toBe('91.0 %');
    expect(fig('train.valAcc', 'percent', 0)).toBe('91 %');
    expect(fig('train.valAcc', 'interval')).toBe('82.3–95.5 %');
    expect(fig('train.frozenParams', 'count')).toBe('218,544');
    expect(fig('e.loss')).toBe('0.301');
    expect(fig('features.seconds', 'seconds')).toBe('25 s');
    expect(fig('e.recall', 'best')).toBe('dog and other');
    expect(fig('e.recall', 'worst')).toBe('cat');
    expect(fig('b.British_Shorthair_139.top1', 'text')).toBe('lynx, catamount');
    expect(fig('b.British_Shorthair_139.top1', 'name')).toBe('lynx');
    expect(fig('b.Sphynx_127.top1', 'name')).toBe('Mexican hairless');
  });

  it('fails naming the file and the key, and what the cell did record', () => {
    expect(() =>
      renderFigure(record, { of: 'train.valAccuracy', as: 'percent' }, 'lessons/05-x/index.mdx: <Fig>'),
    ).toThrow(
      /^lessons\/05-x\/index\.mdx: <Fig>: lessons\/05-x\/record\.json has no figure "train\.valAccuracy" \(cell "train" recorded train\.valAcc,/,
    );
    expect(() => renderFigure(record, { of: 'gone.valAcc', as: 'percent' }, 'w')).toThrow(
      /nothing recorded for cell "gone"/,
    );
    expect(() => renderFigure(record, { of: 'train.valAcc', as: 'percentage' }, 'w')).toThrow(
      /as="percentage" is not a figure form/,
    );
  });

  it('the lesson check finds every <Fig> of an index.mdx and reports the ones its record cannot give, by line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fig-'));
    writeFileSync(
      join(dir, 'index.mdx'),
      'Text.\n\nAccuracy <Fig of="train.valAcc" as="percent" digits={0} />,\nloss <Fig of="e.lost" />.\n',
    );
    expect(figTags('a <Fig of="x.y" as="count" /> b <Fig of="z.w" digits="2"/>')).toEqual([
      { line: 1, of: 'x.y', as: 'count', digits: undefined },
      { line: 1, of: 'z.w', as: undefined, digits: 2 },
    ]);
    expect(figureProblems(dir, 'L/index.mdx')).toEqual([
      { file: 'L/index.mdx:3', message: expect.stringMatching(/no record\.json next to it/) },
    ]);
    writeFileSync(join(dir, 'record.json'), JSON.stringify(record));
    expect(figureProblems(dir, 'L/index.mdx')).toEqual([
      { file: 'L/index.mdx:4', message: expect.stringMatching(/has no figure "e\.lost"/) },
    ]);
  });
});

describe('drift from the record', () => {
  const recorded = {
    'train.valAcc': 71 / 78,
    'train.valCorrect': 71,
    'train.valTotal': 78,
    'train.epochs': 100,
    'train.secondsPerEpoch': 0.2,
    'e.confusion.cat.dog': 1,
    'e.loss': 0.301,
    'ask.pug_2.top1': 'pug',
    'e.mistake1.name': 'lynx',
  };

  it('passes the same figures, timings and mistake names aside', () => {
    expect(driftFrom({ ...recorded, 'train.secondsPerEpoch': 3, 'e.mistake1.name': 'wolf' }, recorded)).toEqual([]);
  });

  it('allows one photo, not two; exact settings and names; losses within 0.02', () => {
    expect(
      driftFrom(
        { ...recorded, 'train.valAcc': 72 / 78, 'train.valCorrect': 72, 'e.confusion.cat.dog': 2, 'e.loss': 0.32 },
        recorded,
      ),
    ).toEqual([]);
    const drifts = driftFrom(
      {
        ...recorded,
        'train.valAcc': 73 / 78,
        'train.valCorrect': 73,
        'train.epochs': 99,
        'e.loss': 0.33,
        'ask.pug_2.top1': 'boxer',
      },
      recorded,
    );
    expect(drifts.map((d) => d.split(':')[0])).toEqual([
      'train.valAcc',
      'train.valCorrect',
      'train.epochs',
      'e.loss',
      'ask.pug_2.top1',
    ]);
  });

  it('a figure only one side has is a drift: the cells changed, record again', () => {
    const { ['e.loss']: _gone, ...less } = recorded;
    expect(driftFrom({ ...less, 'e.valLoss': 0.3 }, recorded)).toEqual([
      'e.loss: recorded 0.301, missing from the live run',
      'e.valLoss: live 0.3, not in the record',
    ]);
    expect(toleranceOf('train.featureSeconds')).toBe('skip');
  });
});
