/**
 * A solution checkpoint, once loaded, is the engine's model: its flags are tfjs's defaults (every layer with weights
 * trainable, the InputLayer never), so any freeze point may be asked of it. Lesson 6 fine-tunes the `head` checkpoint
 * at several freeze points; before the loader recorded its flags, the InputLayer's `trainable = false` read as a
 * learner's choice and every freezeAt was refused.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../src/ml/checkpoint';
import { flagsSetByLearner, FreezeFlagsError, resolveFreezePoint } from '../../src/ml/freeze-flags';
import { layerIndex } from '../../src/ml/surgery';
import { nodeLoadIO } from '../../src/platform/node';
import { loadRealModel } from '../helpers/training';

const HEAD = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../public/checkpoints/head');

describe('a loaded checkpoint and the freeze flags', () => {
  let base: tf.LayersModel;
  beforeAll(async () => {
    base = await loadRealModel();
  });

  it('takes any freeze point until the learner sets flags, then refuses one that contradicts them', async () => {
    const { model: tm } = await loadCheckpoint(nodeLoadIO(HEAD), base);
    const m = tm.model;
    const cut = layerIndex(m, tm.cutAt);
    expect(m.layers[0]!.trainable).toBe(false); // tfjs's InputLayer: nobody chose it
    expect(flagsSetByLearner(m)).toBe(false);
    for (const at of ['conv_pw_12_relu', 'conv_pw_11_relu', tm.cutAt]) {
      expect(resolveFreezePoint(m, cut, at)).toBe(layerIndex(m, at));
    }
    // Now the learner freezes the base by hand: a freezeAt inside it contradicts the flags and is refused.
    m.layers.forEach((layer, i) => (layer.trainable = i > cut));
    expect(flagsSetByLearner(m)).toBe(true);
    expect(() => resolveFreezePoint(m, cut, 'conv_pw_12_relu')).toThrow(FreezeFlagsError);
    expect(resolveFreezePoint(m, cut)).toBe(cut);
    m.dispose();
  });
});
