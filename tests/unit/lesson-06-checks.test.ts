/**
 * Lesson 6's exercise check (lessons/06-choose-the-freeze-point/check-freeze-points.ts) three ways, on the real
 * pre-trained model: the starter fails with its ladder's first rung, plausible wrong answers fail with their own
 * ladders, the solution passes. blockEnd is judged on every block, so an answer known by heart for one fails.
 */
import type * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { freezePointsVerdict } from '../../lessons/06-choose-the-freeze-point/check-freeze-points';
import { describeLayers, summarizeBlocks } from '../../src/ml/layers';
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
});
