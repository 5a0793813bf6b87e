/**
 * judgeLoop's verdicts, each pinned exactly: the right loop (tests/helpers/hand-loop.ts) trains the head for real on
 * the real MobileNet features, and its reported history is then edited by hand, one fact at a time (a negative loss,
 * an accuracy above 1, a flat curve, a loss on the double-softmax floor, a curve 3 photos apart), so each verdict and
 * each boundary (0 and 1 allowed, 2 photos apart allowed, 3 not) is shown by the smallest change that crosses it.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PhotoSet } from '../../src/ml/dataset';
import {
  judgeLoop,
  LOOP_SETTINGS,
  LOOP_TOLERANCE,
  type HandLoop,
  type LoopEpoch,
  type LoopSettings,
} from '../../src/ml/hand-loop';
import { handLoop } from '../helpers/hand-loop';
import { loadRealModel, realPhotoSet } from '../helpers/training';

/** The floor of a loss computed from softmax(softmax(logits)) with three classes. */
const FLOOR = Math.log(1 + 2 / Math.E);

/** The right loop (the head really trained), reporting its history as `edit` changes it. */
const edited =
  (edit: (history: LoopEpoch[]) => unknown): HandLoop =>
  async (head, data, s) =>
    edit((await handLoop()(head, data, s)).map((h) => ({ ...h }))) as LoopEpoch[];

/** Sets one field of one epoch. */
const at =
  (epoch: number, field: 'loss' | 'valAcc', value: (old: number) => number) =>
  (history: LoopEpoch[]): LoopEpoch[] => {
    history[epoch]![field] = value(history[epoch]![field]);
    return history;
  };

describe("judgeLoop's verdicts, one fact at a time", () => {
  let source: tf.LayersModel;
  let photos: PhotoSet;
  let start: tf.Tensor[];
  let reference: LoopEpoch[];
  let right: LoopEpoch[];
  const settings: LoopSettings = { epochs: 4, batchSize: 16, learningRate: 0.01, seed: 1 };
  const judge = (loop: HandLoop, s: LoopSettings = settings) => judgeLoop(loop, start, source, photos, s);
  beforeAll(async () => {
    source = await loadRealModel();
    photos = realPhotoSet();
    start = [tf.randomNormal([256, 3], 0, 0.001, 'float32', 42), tf.zeros([3])];
    const same = await judge(handLoop());
    if (same.kind !== 'same') throw new Error(`the right loop is judged ${same.kind}`);
    [reference, right] = [same.reference, same.mine];
  }, 600_000);

  it('the right loop: its own curve, epochs numbered from 0, the largest gaps from the reference', async () => {
    const tensors = tf.memory().numTensors;
    const verdict = await judge(edited((h) => h.map((e) => ({ ...e, epoch: 7, extra: 1 }))));
    // The reference's model and the loop's data and head are disposed: the features stay cached, nothing else.
    expect(tf.memory().numTensors).toBe(tensors);
    expect(verdict).toEqual({
      kind: 'same',
      mine: right,
      reference,
      lossGap: Math.max(...right.map((e, i) => Math.abs(e.loss - reference[i]!.loss))),
      valPhotosGap: 0,
    });
    expect(right.map((e) => e.epoch)).toEqual([0, 1, 2, 3]);
    expect(reference.map((e) => e.epoch)).toEqual([0, 1, 2, 3]);
    // The reference is Adam at a constant rate: its loss falls from near ln 3 below the double-softmax floor.
    expect(reference[0]!.loss).toBeLessThan(Math.log(3));
    expect(Math.min(...reference.map((e) => e.loss))).toBeLessThan(FLOOR - 0.05);
  });

  it("compares under lesson 5's settings and tolerance", () => {
    expect(LOOP_SETTINGS).toEqual({ epochs: 20, batchSize: 16, learningRate: 0.01, seed: 1 });
    expect(LOOP_TOLERANCE).toEqual({ loss: 0.02, valPhotos: 2 });
  });

  it('names what is not a history: nothing, a number, an object', async () => {
    expect(await judge(() => undefined as unknown as LoopEpoch[])).toEqual({ kind: 'not-a-history', got: 'nothing' });
    expect(await judge(() => 3 as unknown as LoopEpoch[])).toEqual({ kind: 'not-a-history', got: 'number' });
    expect(await judge(edited(() => ({ 0: right[0] })))).toEqual({ kind: 'not-a-history', got: 'object' });
  });

  it('counts the epochs, and names a loop that never moved the head whatever it reports', async () => {
    expect(await judge(edited((h) => h.slice(1)))).toEqual({ kind: 'wrong-epochs', epochs: 3, expected: 4 });
    expect(await judge(edited((h) => [...h, h[3]]))).toEqual({ kind: 'wrong-epochs', epochs: 5, expected: 4 });
    expect(await judge(() => right)).toEqual({ kind: 'never-stepped', losses: right.map((e) => e.loss) });
    const holes = Array.from({ length: 4 }, () => undefined) as unknown as LoopEpoch[];
    expect(await judge(() => holes)).toEqual({
      kind: 'never-stepped',
      losses: [undefined, undefined, undefined, undefined],
    });
  });

  it('a head moved in its bias alone has stepped; the head starts from the given kernel and bias', async () => {
    const seen: number[][] = [];
    /** Records the head's start, moves one number of its bias (or kernel), reports a falling curve (or nothing). */
    const nudge =
      (which: 0 | 1, report = true): HandLoop =>
      (head, _data, s) => {
        const weights = head.layers[0]!.getWeights();
        seen.push(Array.from(weights[1]!.dataSync()), weights[0]!.shape);
        // One number of the kernel or the bias moves: a step is a step, however small a part of the head it moves.
        const step = tf.tidy(() => tf.oneHot([0], weights[which]!.size).reshape(weights[which]!.shape).mul(0.001));
        head.layers[0]!.setWeights(weights.map((w, i) => (i === which ? w.add(step) : w)));
        step.dispose();
        const curve = Array.from({ length: s.epochs }, (_, epoch) => ({ epoch, loss: 1 - epoch / 10, valAcc: 0.5 }));
        return (report ? curve : undefined) as LoopEpoch[];
      };
    // Stepped (in the bias alone), so the falling curve is judged: it stays above the double-softmax floor.
    expect(await judge(nudge(1))).toEqual({ kind: 'softmax-twice', lowest: 0.7, reference: expect.any(Number) });
    const withBias = [start[0]!, tf.tensor1d([0.5, -0.25, 0])];
    expect((await judgeLoop(nudge(1), withBias, source, photos, settings)).kind).toBe('softmax-twice');
    // Without a bias the head starts at 0.
    expect(await judgeLoop(nudge(0, false), [start[0]!], source, photos, settings)).toEqual({
      kind: 'not-a-history',
      got: 'nothing',
    });
    expect(seen).toEqual([
      [0, 0, 0],
      [256, 3],
      [0.5, -0.25, 0],
      [256, 3],
      [0, 0, 0],
      [256, 3],
    ]);
    withBias[1]!.dispose();
  });

  it('names the first epoch without a usable loss; a loss of 0 is a loss', async () => {
    expect(await judge(edited(at(2, 'loss', () => -0.1)))).toEqual({ kind: 'no-loss', epoch: 2 });
    expect(await judge(edited(at(1, 'loss', () => Infinity)))).toEqual({ kind: 'no-loss', epoch: 1 });
    expect(await judge(edited((h) => h.map(() => null)))).toEqual({ kind: 'no-loss', epoch: 0 });
    const zero = await judge(edited(at(3, 'loss', () => 0)));
    expect(zero).toMatchObject({ kind: 'apart', epoch: 3 });
  });

  it('names the first epoch without a validation accuracy in 0…1; exactly 0 and exactly 1 are accuracies', async () => {
    expect(await judge(edited(at(1, 'valAcc', () => 1.01)))).toEqual({ kind: 'no-validation', epoch: 1 });
    expect(await judge(edited(at(3, 'valAcc', () => -0.01)))).toEqual({ kind: 'no-validation', epoch: 3 });
    expect(await judge(edited(at(0, 'valAcc', () => -Infinity)))).toEqual({ kind: 'no-validation', epoch: 0 });
    expect(await judge(edited(at(2, 'valAcc', () => 1)))).toMatchObject({ kind: 'apart', epoch: 2 });
    expect(await judge(edited(at(1, 'valAcc', () => 0)))).toMatchObject({ kind: 'apart', epoch: 1 });
  });

  it('a trained head whose losses stay within 1e-4 never learned anything', async () => {
    const flat = [0.9, 0.90005, 0.9, 0.90009];
    expect(await judge(edited((h) => h.map((e, i) => ({ ...e, loss: flat[i] }))))).toEqual({
      kind: 'never-stepped',
      losses: flat,
    });
    const barely = [0.9, 0.9002, 0.9, 0.9];
    // Above the floor of a double softmax, so judged as such: not as a loop that never learned.
    expect((await judge(edited((h) => h.map((e, i) => ({ ...e, loss: barely[i] }))))).kind).toBe('softmax-twice');
  });

  it('a curve that bottoms out on the double-softmax floor is softmax applied twice; one below it is not', async () => {
    const bottom = (lowest: number) => edited((h) => h.map((e, i) => ({ ...e, loss: [1, 0.9, 0.7, lowest][i]! })));
    const refLowest = Math.min(...reference.map((e) => e.loss));
    for (const lowest of [FLOOR + 0.0005, FLOOR - 0.0009])
      expect(await judge(bottom(lowest))).toEqual({ kind: 'softmax-twice', lowest, reference: refLowest });
    expect((await judge(bottom(FLOOR - 0.002))).kind).toBe('apart');
    // Only when the reference itself goes clearly below the floor (by 0.05): at rate 0.002 its second epoch ends at
    // 0.545 (just under the floor, not clearly), so a curve stuck on the floor is merely apart from it.
    const slow = { ...settings, epochs: 2, learningRate: 0.002 };
    const stuck = await judge(
      edited((h) => h.map((e, i) => ({ ...e, loss: [1, FLOOR + 0.0005][i]! }))),
      slow,
    );
    expect(stuck).toMatchObject({ kind: 'apart', epoch: 0, reference: { epoch: 0 } });
    if (stuck.kind === 'apart') expect(stuck.reference.loss).toBeGreaterThan(0.85);
  });

  it('a curve apart from the reference is named at its first epoch off by more than 0.02 or 2 photos', async () => {
    const off = await judge(edited(at(2, 'loss', (l) => l + 0.03)));
    expect(off).toEqual({
      kind: 'apart',
      epoch: 2,
      mine: { ...right[2]!, loss: right[2]!.loss + 0.03 },
      reference: reference[2],
      settings,
    });
    expect(await judge(edited(at(2, 'loss', (l) => l - 0.03)))).toMatchObject({ kind: 'apart', epoch: 2 });
    const renumbered = await judge(edited((h) => h.map((e) => ({ ...e, epoch: 9, valAcc: e.valAcc + 3 / 78 }))));
    expect(renumbered).toMatchObject({ kind: 'apart', epoch: 0, mine: { epoch: 0 } });
    const three = await judge(edited(at(1, 'valAcc', (v) => v - 3 / 78)));
    expect(three).toMatchObject({ kind: 'apart', epoch: 1 });
    const two = await judge(edited(at(1, 'valAcc', (v) => v - 2 / 78)));
    expect(two).toMatchObject({ kind: 'same', valPhotosGap: 2 });
    const near = await judge(edited(at(3, 'loss', (l) => l + 0.015)));
    expect(near.kind).toBe('same');
    if (near.kind === 'same')
      expect(near.lossGap).toBeCloseTo(Math.abs(right[3]!.loss + 0.015 - reference[3]!.loss), 9);
  });
});
