/**
 * The words the checks use to describe a learner's answer (src/workbook/checks-helpers.ts): exact strings on
 * hand-made values, since a check's message is what the learner reads (a wrong ordinal or a list that drops a name
 * is a message that misleads).
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { count, listed, ordinal, what } from '../../src/workbook/checks-helpers';

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
