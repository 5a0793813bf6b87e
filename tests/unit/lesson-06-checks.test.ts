/**
 * Lesson 6's exercise check (lessons/06-choose-the-freeze-point/check-freeze-points.ts) three ways, on the real
 * pre-trained model: the starter fails with its ladder's first rung, plausible wrong answers fail with their own
 * ladders, the solution passes. blockEnd is judged on every block, so an answer known by heart for one fails.
 */
import type * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { freezePointsVerdict } from '../../lessons/06-choose-the-freeze-point/check-freeze-points';
import { describeLayers, summarizeBlocks } from '../../src/ml/layers';
import { buildTransferModel } from '../../src/ml/surgery';
import type { CheckResult } from '../../src/workbook/checks';
import { loadRealModel } from '../helpers/training';

describe('lesson 6: blockEnd and the freeze points', () => {
  let base: tf.LayersModel;
  let blockEnd: (n: number) => string;
  let pooled: string;
  beforeAll(async () => {
    base = await loadRealModel();
    // The solution, as the learner writes it in the cell.
    const blocks = summarizeBlocks(describeLayers(base));
    blockEnd = (n) => blocks.find((b) => b.name === `block ${n}`)!.layerNames.at(-1)!;
    pooled = blocks.find((b) => b.name === 'classifier')!.layerNames[0]!;
  });

  it('passes the solution', () => {
    const verdict = freezePointsVerdict(base, [pooled, blockEnd(12), blockEnd(11), blockEnd(9)], blockEnd);
    expect(verdict.pass).toBe(true);
    expect(verdict.message).toContain('blockEnd names the last layer of all 13 blocks');
    expect(verdict.message).toContain('down to conv_pw_9_relu');
  });

  it('fails the starter (blockEnd throws its TODO) with a three-rung ladder that never names a layer', () => {
    const starter = (n: number): string => {
      throw new Error(`TODO: blockEnd(${n})`);
    };
    const verdict = freezePointsVerdict(base, [], starter);
    expect(verdict.pass).toBe(false);
    expect(verdict.message).toBe('blockEnd(1) threw: TODO: blockEnd(1)');
    expect(verdict.hints).toHaveLength(3);
    for (const hint of verdict.hints ?? []) expect(hint).not.toMatch(/conv_(pw|dw)_\d+/);
  });

  it('fails a blockEnd that gives the first layer of the block, and one that knows block 12 only', () => {
    const blocks = summarizeBlocks(describeLayers(base));
    const first = (n: number) => blocks.find((b) => b.name === `block ${n}`)!.layerNames[0]!;
    const startOf = freezePointsVerdict(base, [pooled], first);
    expect(startOf).toMatchObject({ pass: false });
    expect(startOf.message).toContain('the layer that starts block 1, not the one that ends it');
    const byHeart = (n: number) => (n === 12 ? 'conv_pw_12_relu' : 'conv_pw_11_relu');
    const heart = freezePointsVerdict(base, [pooled, 'conv_pw_12_relu', 'conv_pw_11_relu'], byHeart);
    expect(heart.pass).toBe(false);
    expect(heart.message).toContain('blockEnd(1) gave');
    expect(startOf.hints![0]).not.toBe(heart.hints![0]); // another mistake, another ladder
  });

  it('fails too few points, a missing baseline, and a point that is not a block end', () => {
    const two = freezePointsVerdict(base, [pooled, blockEnd(12), pooled], blockEnd);
    expect(two.message).toContain('2 distinct freeze points');
    expect(two.hints).toHaveLength(3);
    const noBaseline = freezePointsVerdict(base, [blockEnd(13), blockEnd(12), blockEnd(11)], blockEnd);
    expect(noBaseline.message).toContain('None of the freeze points keeps the whole base frozen');
    const inside = freezePointsVerdict(base, [pooled, blockEnd(12), 'conv_dw_12'], blockEnd);
    expect(inside.message).toContain('is not a block end');
    expect(freezePointsVerdict(base, 'conv_pw_12_relu' as unknown as string[], blockEnd).pass).toBe(false);
    expect(
      freezePointsVerdict(base, [pooled], 'conv_pw_12_relu' as unknown as (n: number) => string).message,
    ).toContain('blockEnd should be a function');
  });

  /** A failure with exactly this message and a ladder of three real rungs, none naming a layer. */
  const expectFailure = (verdict: CheckResult, message: string) => {
    expect(verdict).toMatchObject({ pass: false, message });
    expect(verdict.hints).toHaveLength(3);
    for (const hint of verdict.hints) {
      expect(hint.length).toBeGreaterThan(20);
      expect(hint).not.toMatch(/conv_(pw|dw)_\d+/);
    }
  };

  it('names each wrong answer exactly, with its ladder', () => {
    expectFailure(
      freezePointsVerdict(base, [pooled], (n) => (n === 12 ? 'conv_pw_12_relu' : 'conv_pw_11_relu')),
      'blockEnd(1) gave the string "conv_pw_11_relu", which is not the layer that ends block 1.',
    );
    const blocks = summarizeBlocks(describeLayers(base));
    const first = (n: number) => blocks.find((b) => b.name === `block ${n}`)!.layerNames[0]!;
    expectFailure(
      freezePointsVerdict(base, [pooled], first),
      `blockEnd(1) gave "${first(1)}", the layer that starts block 1, not the one that ends it.`,
    );
    expectFailure(
      freezePointsVerdict(base, [pooled], () => {
        throw 'no such block'; // a thrown string, not an Error
      }),
      'blockEnd(1) threw: no such block',
    );
    expectFailure(
      freezePointsVerdict(base, [pooled, 'conv_dw_12', 'dense'], blockEnd),
      'the string "conv_dw_12", the string "dense" is not a block end, the baseline or the input layer.',
    );
    expectFailure(
      freezePointsVerdict(base, [pooled], blockEnd),
      '1 distinct freeze point (global_average_pooling2d_1): the comparison needs at least three.',
    );
    expectFailure(
      freezePointsVerdict(base, [], blockEnd),
      '0 distinct freeze points: the comparison needs at least three.',
    );
    expectFailure(
      freezePointsVerdict(base, [pooled, blockEnd(12), pooled], blockEnd),
      `2 distinct freeze points (global_average_pooling2d_1, ${blockEnd(12)}): the comparison needs at least three.`,
    );
    expectFailure(
      freezePointsVerdict(base, [blockEnd(13), blockEnd(12), blockEnd(11)], blockEnd),
      'None of the freeze points keeps the whole base frozen: the baseline every other point is compared with.',
    );
    expectFailure(
      freezePointsVerdict(base, [pooled], 'conv_pw_12_relu' as never),
      'blockEnd should be a function of a block number, got the string "conv_pw_12_relu".',
    );
    expect(freezePointsVerdict(base, 'conv_pw_12_relu' as never, blockEnd).message).toBe(
      'freezePoints should be an array of layer names, got the string "conv_pw_12_relu".',
    );
    expect(freezePointsVerdict(null as never, [pooled], blockEnd).message).toBe(
      'Pass the model first (the pre-trained one, or a transfer model); got null.',
    );
    expect(freezePointsVerdict('model' as never, [pooled], blockEnd).message).toBe(
      'Pass the model first (the pre-trained one, or a transfer model); got the string "model".',
    );
  });

  it('passes exactly three points, the input layer among them; and judges a transfer model at its own cut', () => {
    const three = freezePointsVerdict(base, [pooled, blockEnd(12), base.layers[0]!.name], blockEnd);
    expect(three).toMatchObject({ pass: true, hints: [] });
    expect(three.message).toBe(
      `blockEnd names the last layer of all 13 blocks, and 3 freeze points run from the whole base frozen down to ${base.layers[0]!.name}: each one lets training change more of the network.`,
    );
    const tm = buildTransferModel(base);
    const points = [tm.cutAt, blockEnd(12), blockEnd(11)];
    expect(freezePointsVerdict(tm, points, blockEnd).pass).toBe(true);
    expect(freezePointsVerdict(tm, [blockEnd(13), blockEnd(12), blockEnd(11)], blockEnd).message).toMatch(
      /^None of the freeze points keeps the whole base frozen/,
    );
    tm.model.dispose();
  });
});
