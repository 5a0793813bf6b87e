/**
 * The words the checks use to describe a learner's answer (src/workbook/checks-helpers.ts): exact strings on
 * hand-made values, since a check's message is what the learner reads (a wrong ordinal or a list that drops a name
 * is a message that misleads). composedFactsOrFail, the opening of lessons 4 and 7's model checks, on the real
 * MobileNet and photos: a model gives the engine's facts and the labels count; anything else the learner's message.
 * The ladders lessons 4 and 7 share, word for word (each lesson's table pins them again, through its own check).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { baseCopy } from '../../src/ml/adopt';
import {
  composedFactsOrFail,
  count,
  FREEZE_LADDER,
  HEAD_FROZEN_LADDER,
  listed,
  ONE_CHAIN_LADDER,
  ordinal,
  PRETRAINED_LADDER,
  what,
} from '../../src/workbook/checks-helpers';
import type { Session } from '../../src/workbook/session';
import { loadRealModel, realPhotoSet } from '../helpers/training';

describe('count', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [1000, '1,000'],
    [475544, '475,544'],
    [-1234567, '-1,234,567'],
  ])('%d is written %s', (n, text) => expect(count(n)).toBe(text));
});

describe('what: a value of the wrong kind, in the learner’s terms', () => {
  it('names a tensor by its shape and a promise by the missing await', () => {
    const t = tf.zeros([2, 3, 1]);
    expect(what(t)).toBe('a tensor of shape [2, 3, 1]');
    t.dispose();
    expect(what(Promise.resolve(1))).toBe('a promise (add `await`)');
  });

  it.each([
    [null, 'null'],
    [undefined, 'undefined'],
    [[], 'an array of 0'],
    [[1, 2, 3], 'an array of 3'],
    ['conv_pw_13', 'the string "conv_pw_13"'],
    ['', 'the string ""'],
    [() => 1, 'a function'],
    [{ a: 1 }, 'an object'],
    [42, '42'],
    [0, '0'],
    [false, 'false'],
    [Number.NaN, 'NaN'],
  ])('%j is %s', (value, text) => expect(what(value)).toBe(text));
});

describe('listed', () => {
  it.each([
    [[], '', undefined],
    [['a'], 'a', undefined],
    [['a', 'b', 'c'], 'a, b, c', undefined],
    [['a', 'b', 'c', 'd'], 'a, b, c and 1 more', undefined],
    [['a', 'b', 'c', 'd', 'e', 'f', 'g'], 'a, b, c and 4 more', undefined],
    [['a', 'b'], 'a, b', 2],
    [['a', 'b', 'c'], 'a and 2 more', 1],
  ])('%j (max %s) is "%s"', (names, text, max) => expect(listed(names, max)).toBe(text));
});

describe('ordinal', () => {
  it.each([
    [1, '1st'],
    [2, '2nd'],
    [3, '3rd'],
    [4, '4th'],
    [10, '10th'],
    [11, '11th'],
    [12, '12th'],
    [13, '13th'],
    [14, '14th'],
    [21, '21st'],
    [22, '22nd'],
    [23, '23rd'],
    [100, '100th'],
    [101, '101st'],
    [110, '110th'],
    [111, '111th'],
    [112, '112th'],
    [113, '113th'],
    [114, '114th'],
  ])('%d is %s', (k, text) => expect(ordinal(k)).toBe(text));
});

describe('composedFactsOrFail: the opening of the composed-model checks (lessons 4 and 7)', () => {
  const HINT = 'The check needs the model itself: the value tf.model(…) returned.';
  let source: tf.LayersModel;
  let session: Session;
  let loads = 0;
  beforeAll(async () => {
    source = await loadRealModel();
    const photos = realPhotoSet();
    session = { loadModel: async () => (loads++, source), photos } as unknown as Session;
  }, 600_000);

  /** input → frozen copy of the base → Dense(`units`) → softmax. */
  function composed(units: number): tf.LayersModel {
    const base = baseCopy(source);
    base.trainable = false;
    const inputs = tf.input({ shape: [224, 224, 3] });
    const x = tf.layers.dense({ units }).apply(base.apply(inputs)) as tf.SymbolicTensor;
    return tf.model({ inputs, outputs: tf.layers.activation({ activation: 'softmax' }).apply(x) as tf.SymbolicTensor });
  }

  it.each([
    ['a model', 3, [null, 3]],
    ['a model with the wrong labels count (judged by each lesson, not here)', 1000, [null, 1000]],
  ])('%s gives the facts and the 3 labels', async (_, units, shape) => {
    const read = await composedFactsOrFail(session, composed(units), HINT);
    expect('pass' in read).toBe(false);
    if ('pass' in read) return;
    expect(read.labels).toBe(3);
    expect(read.facts.outputShape).toEqual(shape);
    expect(read.facts.notPretrained).toBeFalsy();
    expect(read.facts.headWeights).toBe(256 * units + units);
    expect(read.facts.trainable).toBe(read.facts.headWeights);
  });

  it('compares the base with the model the session loaded', async () => {
    const model = composed(3);
    const layer = (model.layers[1] as tf.LayersModel).getLayer('conv_pw_3');
    layer.setWeights(layer.getWeights().map((w) => tf.zerosLike(w)));
    const read = await composedFactsOrFail(session, model, HINT);
    expect('pass' in read ? read.message : read.facts.notPretrained).toMatch(/conv_pw_3/);
  });

  it.each([
    [null, 'null'],
    [undefined, 'undefined'],
    [Promise.resolve(1), 'a promise (add `await`)'],
    [() => 1, 'a function'],
    [{ layers: 'conv1' }, 'an object'],
    ['model', 'the string "model"'],
    // A function that carries a layers array is still a function (the typeof guard), not a model to read.
    [Object.assign(() => 1, { layers: [] }), 'a function'],
  ])('%j is not a model: the learner reads what they passed, with the lesson’s hint', async (value, kind) => {
    const before = loads;
    const read = await composedFactsOrFail(session, value, HINT);
    expect(read).toEqual({
      pass: false,
      message: `Pass the model you composed with tf.model({ inputs, outputs }); got ${kind}.`,
      hints: [HINT],
    });
    expect(loads, 'nothing is loaded for a wrong argument').toBe(before);
  });
});

describe('the ladders lessons 4 and 7 share, word for word', () => {
  it.each([
    [
      'one chain (a model the engine cannot read as a base with a head)',
      ONE_CHAIN_LADDER,
      [
        'Compose one chain: inputs → the base → the head layers, each applied once to the previous output.',
        'Start from let x = base.apply(inputs), where base = wb.base(pretrained), and apply each head layer to x.',
      ],
    ],
    [
      'pre-trained (a base whose weights are not the loaded ones)',
      PRETRAINED_LADDER,
      [
        'Transfer learning keeps the pre-trained weights: the base must be a copy of the loaded model, not new layers.',
        'wb.base(pretrained) gives copies with the pre-trained weights; build it again and leave its weights alone.',
      ],
    ],
    [
      'freeze (a base that would train)',
      FREEZE_LADDER,
      [
        'Freeze the base: its weights stay as ImageNet trained them, and only the new head learns.',
        'A tfjs model has a `trainable` flag, like Keras’s base_model.trainable; setting it on the base freezes every layer inside.',
        'Set the base’s trainable flag to false before you compose the model.',
      ],
    ],
    [
      'head frozen (a new layer that cannot train)',
      HEAD_FROZEN_LADDER,
      [
        'The new layers start random: they must stay trainable, or they never learn.',
        'Freeze the base only, not the layers you added.',
      ],
    ],
  ])('%s', (_, ladder, words) => expect(ladder).toEqual(words));
});
