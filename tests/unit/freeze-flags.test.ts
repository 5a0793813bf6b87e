/**
 * The learner's `trainable` flags are what training respects (issue 10 item 4), on the real MobileNet and photos:
 * a run without freezeAt reads its freeze point from the flags and leaves the frozen layers' weights byte-identical;
 * a freezeAt that contradicts flags the learner set is refused with both readings in the message and nothing
 * changed; flags that are not a frozen prefix are refused with the reason (cached activations). Flags the engine set
 * itself (a fresh transfer model, an earlier run) may still be moved by freezeAt, as lessons 6–8 do.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PhotoSet } from '../../src/ml/dataset';
import {
  FreezeFlagsError,
  freezeIndexFromFlags,
  markLearnerModel,
  resolveFreezePoint,
} from '../../src/ml/freeze-flags';
import { buildTransferModel, layerIndex, type TransferModel } from '../../src/ml/surgery';
import { train } from '../../src/ml/train';
import { loadRealModel, photoSubset, realPhotoSet, weightBytes } from '../helpers/training';

describe('training follows the trainable flags', () => {
  let base: tf.LayersModel;
  let photos: PhotoSet;
  let cut: number;
  beforeAll(async () => {
    base = await loadRealModel();
    // Three training and two validation photos per label: enough to take real steps, cheap to cache.
    photos = photoSubset(realPhotoSet(), { train: 3, validation: 2 });
    cut = layerIndex(base, 'global_average_pooling2d_1');
  });

  /** A transfer model whose flags the learner then sets by hand: layers 0…k frozen. */
  function learnerFrozenAt(k: number): TransferModel {
    const tm = buildTransferModel(base, { seed: 1 });
    tm.model.layers.forEach((layer, i) => (layer.trainable = i > k));
    return tm;
  }

  it('a fresh transfer model, flags untouched: the run freezes the base (the cut) and says so in the flags', async () => {
    const tm = buildTransferModel(base, { seed: 1 });
    const run = await train(tm, photos, { epochs: 1 });
    expect(run.freezeIndex).toBe(cut);
    expect(tm.model.layers.filter((l) => !l.trainable)).toHaveLength(cut + 1);
    expect(run.trainableParams).toBe(256 * 3 + 3);
    tm.model.dispose();
  });

  it('flags set by hand, no freezeAt: the run freezes what the flags freeze and changes only the rest', async () => {
    const k = layerIndex(base, 'conv_pw_13_relu');
    const tm = learnerFrozenAt(k);
    const frozenBefore = weightBytes(tm.model.layers.slice(0, k + 1));
    const headBefore = weightBytes([tm.model.getLayer('head_logits')]);
    const lastBlockBefore = weightBytes([tm.model.getLayer('conv_pw_13')]);
    const run = await train(tm, photos, { epochs: 1, batchSize: 4 });
    // Weightless layers (the ReLU6 and the pooling) lie between: the same weights train either way.
    expect(tm.model.layers[run.freezeIndex]!.name).toMatch(/^(conv_pw_13_relu|global_average_pooling2d_1)$/);
    expect(run.trainableParams).toBe(256 * 3 + 3);
    expect(weightBytes(tm.model.layers.slice(0, k + 1))).toEqual(frozenBefore);
    expect(weightBytes([tm.model.getLayer('conv_pw_13')])).toEqual(lastBlockBefore);
    expect(weightBytes([tm.model.getLayer('head_logits')])).not.toEqual(headBefore);
    tm.model.dispose();
  });

  it('flags that unfreeze block 13 by hand: the run trains block 13 too, without being told freezeAt', () => {
    const k = layerIndex(base, 'conv_pw_12_relu');
    const tm = learnerFrozenAt(k);
    expect(resolveFreezePoint(tm.model, cut)).toBe(k);
    tm.model.dispose();
  });

  it("a freezeAt that contradicts the learner's flags is refused, naming both, and no flag changes", async () => {
    // Frozen up to the ReLU before the pooling: flags the engine never set (it freezes the pooling layer too), so
    // they are the learner's. Flags set by hand to exactly the engine's own cannot be told from them.
    const tm = learnerFrozenAt(cut - 1);
    const flags = tm.model.layers.map((l) => l.trainable);
    const error = await train(tm, photos, { epochs: 1, freezeAt: 'conv_pw_11_relu' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FreezeFlagsError);
    expect((error as Error).message).toContain('conv_pw_11_relu');
    expect((error as Error).message).toContain('global_average_pooling2d_1');
    expect((error as Error).message).toMatch(/will not overwrite/);
    expect(tm.model.layers.map((l) => l.trainable)).toEqual(flags);
    // The same freeze point spelled as freezeAt agrees with the flags, and so does the ReLU before the pooling.
    expect(resolveFreezePoint(tm.model, cut, 'global_average_pooling2d_1')).toBe(cut);
    expect(resolveFreezePoint(tm.model, cut, 'conv_pw_13_relu')).toBe(cut - 1);
    tm.model.dispose();
  });

  it('flags the engine set (a fresh model, an earlier run) may be moved by freezeAt', async () => {
    const tm = buildTransferModel(base, { seed: 1 });
    expect(resolveFreezePoint(tm.model, cut, 'conv_pw_11_relu')).toBe(layerIndex(base, 'conv_pw_11_relu'));
    const run = await train(tm, photos, { epochs: 1, freezeAt: 'global_average_pooling2d_1' });
    expect(run.freezeIndex).toBe(cut);
    tm.model.getLayer('conv_pw_13').trainable = true; // now the learner has spoken
    expect(() => resolveFreezePoint(tm.model, cut, 'global_average_pooling2d_1')).toThrow(FreezeFlagsError);
    tm.model.dispose();
  });

  it('flags that are not a frozen prefix are refused with the reason: a frozen prefix is what gets cached', async () => {
    const tm = learnerFrozenAt(layerIndex(base, 'conv_pw_11_relu'));
    tm.model.getLayer('conv_pw_12').trainable = false; // frozen after the trainable conv_dw_12
    const error = await train(tm, photos, { epochs: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FreezeFlagsError);
    const message = (error as Error).message;
    expect(message).toContain('conv_pw_12');
    expect(message).toContain('conv_dw_12');
    expect(message).toMatch(/prefix/);
    expect(message).toMatch(/cache/);
    tm.model.dispose();
  });

  it('nothing trainable, or a frozen new head, is refused', () => {
    const all = learnerFrozenAt(base.layers.length + 5);
    expect(() => freezeIndexFromFlags(all.model, cut)).toThrow(/training would change nothing/);
    const tm = buildTransferModel(base, { seed: 1, hidden: 8 });
    tm.model.layers.forEach((l) => (l.trainable = l.name === 'head_logits'));
    expect(() => freezeIndexFromFlags(tm.model, cut)).toThrow(/head_hidden.*new head but frozen/);
    all.model.dispose();
    tm.model.dispose();
  });

  it('a model the learner composed keeps its flags: all trainable means all trainable', () => {
    const input = tf.input({ shape: [4] });
    const model = tf.model({
      inputs: input,
      outputs: tf.layers.dense({ units: 3 }).apply(tf.layers.dense({ units: 5 }).apply(input)) as tf.SymbolicTensor,
    });
    markLearnerModel(model);
    expect(resolveFreezePoint(model, 1)).toBe(0);
    expect(() => resolveFreezePoint(model, 1, 1)).toThrow(FreezeFlagsError);
    model.dispose();
  });
});
