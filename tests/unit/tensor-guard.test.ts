/**
 * How src/runtime/tensor-guard.ts reads each creator's arguments. cells-support.test.ts shows the limit works on the
 * common calls; here every way a creator states its size (a step, a negative range, eye's default columns and
 * batch, a dtype argument or none) is checked, because a guard that misreads one of them either lets a runaway
 * tensor freeze the tab or refuses honest work.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { guardBackendWrites, guardTfNamespace, shapeSize, type WritableBackend } from '../../src/runtime/tensor-guard';

const LIMIT = 2 ** 27;

describe('shapeSize', () => {
  it('multiplies the dimensions, gives 1 for a scalar, takes a number as a size, and NaN for anything else', () => {
    expect(shapeSize([2, 3, 4])).toBe(24);
    expect(shapeSize([])).toBe(1);
    expect(shapeSize(7)).toBe(7);
    expect(shapeSize('7')).toBeNaN();
    expect(shapeSize([2, 'x'])).toBeNaN();
  });
});

describe('the guarded creators read the size each one asks for', () => {
  const guarded = guardTfNamespace(tf);

  it('tf.range: |stop − start| / |step| values, whatever the signs, a step of 0 read as 1', () => {
    // 2^27 + 1 values in every case, none of them allocated.
    expect(() => guarded.range(5, 5 + LIMIT + 1)).toThrow(/tf\.range\(5, 134217734\) would hold 134,217,729 values/);
    expect(() => guarded.range(LIMIT + 1, 0, -1)).toThrow(/134,217,729 values \(0\.5 GB as float32\)/);
    expect(() => guarded.range(0, 2 * LIMIT + 2, 2)).toThrow(/134,217,729 values/);
    expect(() => guarded.range(0, LIMIT + 1, 0)).toThrow(/134,217,729 values/);
    const small = guarded.range(0, 2 * LIMIT, LIMIT); // 2 values: a large span is not a large tensor
    expect(small.shape).toEqual([2]);
    small.dispose();
  });

  it("tf.eye: rows × columns (columns defaulting to rows) × the batch's size, as float32", () => {
    // 11586² = 134,235,396 > 2^27; 1539 · 43606 · 2 = 134,219,268 > 2^27 while 1539 · 43606 alone is half of it.
    expect(() => guarded.eye(11586)).toThrow(/tf\.eye\(11586\) would hold 134,235,396 values \(0\.5 GB as float32\)/);
    expect(() => guarded.eye(1539, 43606, [2])).toThrow(/would hold 134,219,268 values/);
  });

  it('tf.linspace: its third argument, as float32', () => {
    expect(() => guarded.linspace(0, 1, LIMIT + 1)).toThrow(/tf\.linspace\(0, 1, 134217729\) .*\(0\.5 GB as float32\)/);
  });

  it('reads the dtype where each creator takes it, and float32 when none is given', () => {
    expect(() => guarded.zeros([LIMIT + 1])).toThrow(/\(0\.5 GB as float32\)/);
    expect(() => guarded.zeros([LIMIT + 1], 'bool')).toThrow(/\(0\.1 GB as bool\)/);
    expect(() => guarded.randomUniform([LIMIT + 1], 0, 1, 'int32')).toThrow(/as int32/);
  });
});

describe('the guarded namespace', () => {
  it('wraps each creator once, and passes every other member through unchanged', () => {
    const guarded = guardTfNamespace(tf);
    expect(guarded.zeros).toBe(guarded.zeros);
    expect(guarded.zeros).not.toBe(tf.zeros);
    expect(guarded.matMul).toBe(tf.matMul);
    expect(guarded.version).toBe(tf.version);
  });

  it('leaves a creator-named member alone when it is not a function', () => {
    const namespace = { zeros: 42, range: 'not a function' };
    const guarded = guardTfNamespace(namespace);
    expect(guarded.zeros).toBe(42);
    expect(guarded.range).toBe('not a function');
  });
});

describe('guardBackendWrites', () => {
  it('wraps a backend once however often it is called', () => {
    const calls: number[][] = [];
    const backend: WritableBackend = { write: (_values, shape) => calls.push(shape) };
    guardBackendWrites(backend);
    const once = backend.write;
    guardBackendWrites(backend);
    expect(backend.write).toBe(once);
    backend.write(null, [2, 3], 'float32');
    expect(calls).toEqual([[2, 3]]);
    expect(() => backend.write(null, [LIMIT + 1], 'float32')).toThrow(/A tensor of shape \[134217729\]/);
    expect(calls).toHaveLength(1);
  });
});
