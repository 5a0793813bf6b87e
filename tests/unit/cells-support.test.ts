/**
 * The cell runtime's supporting parts that need no page: inspecting values (with real tfjs tensors), the line
 * diff, saved edits with their lesson-code hash, and the tensor tracker behind Restart.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { diffLines, diffStats } from '../../src/runtime/diff';
import { hashCode } from '../../src/runtime/hash';
import { formatConsoleArgs, inspect, summariseTensor } from '../../src/runtime/inspect';
import { decideRestore, editKey, EditStore } from '../../src/runtime/storage';
import {
  checkTensorSize,
  guardBackendWrites,
  guardTfNamespace,
  MAX_TENSOR_VALUES,
  type WritableBackend,
} from '../../src/runtime/tensor-guard';
import { TensorTracker } from '../../src/runtime/tensors';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('inspect', () => {
  test('primitives, arrays, objects, Maps and Sets, with one-line summaries', () => {
    expect(inspect(0.1 + 0.2)).toMatchObject({ kind: 'primitive', text: '0.3' });
    expect(inspect('text')).toMatchObject({ kind: 'primitive', type: 'string', text: 'text' });
    const node = inspect({ a: 1, list: [1, 2, 3], map: new Map([['k', new Set([1])]]) });
    expect(node.kind).toBe('collection');
    expect(node.text).toBe('{a: 1, list: Array(3), map: Map(1)}');
    if (node.kind !== 'collection') return;
    const map = node.entries.find((e) => e.key === 'map')!.value;
    expect(map).toMatchObject({ kind: 'collection', label: 'Map(1)', text: 'Map(1) {"k" => Set(1)}' });
  });

  test('nesting is bounded, long collections are cut with a count, cycles are named', () => {
    const deep = { l1: { l2: { l3: { l4: { l5: 1 } } } } };
    const n = inspect(deep, { depth: 2 });
    const l3 =
      n.kind === 'collection' && n.entries[0]!.value.kind === 'collection'
        ? n.entries[0]!.value.entries[0]!.value
        : null;
    expect(l3).toMatchObject({ kind: 'collection', entries: [], more: 1 });
    const long = inspect(
      Array.from({ length: 500 }, (_, i) => i),
      { maxEntries: 10 },
    );
    expect(long).toMatchObject({ kind: 'collection', label: 'Array(500)', more: 490 });
    const cyclic: Record<string, unknown> = { name: 'me' };
    cyclic.self = cyclic;
    const c = inspect(cyclic);
    expect(c.kind === 'collection' && c.entries[1]!.value.text).toBe('[Circular]');
  });

  test('class instances are labelled by their class; functions and classes by name', () => {
    class Point {
      constructor(public x: number) {}
    }
    expect(inspect(new Point(1)).text).toBe('Point {x: 1}');
    expect(inspect(function train() {}).text).toBe('ƒ train()');
    expect(inspect(Point).text).toBe('class Point');
    expect(inspect(Promise.resolve(1)).text).toMatch(/await/);
  });

  test('a tensor shows shape, dtype and first values, and inspecting it leaks no tensor', () => {
    const t = tf.tensor([
      [1, 2.5],
      [3, 4],
    ]);
    const before = tf.memory().numTensors;
    expect(inspect(t)).toMatchObject({
      kind: 'tensor',
      shape: [2, 2],
      dtype: 'float32',
      text: 'Tensor float32 [2, 2] [1, 2.5, 3, 4]',
    });
    const big = tf.range(0, 1000);
    const afterBig = tf.memory().numTensors;
    expect(summariseTensor(big, 4)).toMatchObject({ shape: [1000], preview: '[0, 1, 2, 3, … 996 more]' });
    expect(tf.memory().numTensors).toBe(afterBig);
    expect(afterBig).toBe(before + 1);
    big.dispose();
    t.dispose();
    expect(inspect(t)).toMatchObject({ kind: 'tensor', preview: 'disposed', disposed: true });
  });

  test('console arguments: strings as they are, the rest inspected', () => {
    const t = tf.tensor1d([1, 2]);
    expect(formatConsoleArgs(['loss', 0.123456, { epoch: 2 }, t])).toBe(
      'loss 0.1235 {epoch: 2} Tensor float32 [2] [1, 2]',
    );
    t.dispose();
  });
});

describe('diffLines', () => {
  test('keeps common lines, shows a changed line as removed then added', () => {
    const lines = diffLines('a\nb\nc\nd', 'a\nB\nc\nd\ne');
    expect(lines.map((l) => `${l.op}:${l.text}`)).toEqual(['same:a', 'del:b', 'add:B', 'same:c', 'same:d', 'add:e']);
    expect(diffStats(lines)).toEqual({ added: 2, removed: 1 });
    expect(lines.find((l) => l.text === 'B')).toMatchObject({ b: 2 });
  });

  test('identical texts (ignoring one trailing newline) have no changes', () => {
    expect(diffStats(diffLines('x\ny\n', 'x\ny'))).toEqual({ added: 0, removed: 0 });
  });
});

describe('saved edits', () => {
  const memory = () => {
    const map = new Map<string, string>();
    return {
      map,
      getItem: (k: string) => map.get(k) ?? null,
      setItem: (k: string, v: string) => void map.set(k, v),
      removeItem: (k: string) => void map.delete(k),
    };
  };

  test('an edit is saved under lesson + cell, and restored while the lesson code is unchanged', () => {
    const storage = memory();
    const store = new EditStore(storage, '03-a-new-head');
    expect(store.save('head', 'mine', 'lesson v1')).toBe(true);
    expect([...storage.map.keys()]).toEqual([editKey('03-a-new-head', 'head')]);
    expect(decideRestore(store.load('head'), 'lesson v1')).toEqual({ kind: 'edit', code: 'mine' });
  });

  test('when the lesson code changed since the edit, it is a conflict holding both versions', () => {
    const store = new EditStore(memory(), 'l');
    store.save('c', 'mine', 'lesson v1');
    const decision = decideRestore(store.load('c'), 'lesson v2');
    expect(decision).toMatchObject({ kind: 'conflict', code: 'mine', lessonCode: 'lesson v2' });
    expect(decision.kind === 'conflict' && decision.saved.baseHash).toBe(hashCode('lesson v1'));
  });

  test('an edit equal to the lesson code is not kept; unreadable or failing storage is reported, not thrown', () => {
    const storage = memory();
    const store = new EditStore(storage, 'l');
    store.save('c', 'mine', 'lesson');
    store.save('c', 'lesson', 'lesson');
    expect(storage.map.size).toBe(0);
    storage.map.set(editKey('l', 'bad'), '{not json');
    expect(store.load('bad')).toBeNull();
    const full = new EditStore(
      {
        getItem: () => null,
        setItem: () => {
          throw new Error('QuotaExceededError');
        },
        removeItem: () => {},
      },
      'l',
    );
    expect(full.save('c', 'mine', 'lesson')).toBe(false);
    expect(full.lastError).toMatch(/Quota/);
  });

  test('hashCode is stable and sensitive to any change', () => {
    expect(hashCode('const x = 1;')).toBe(hashCode('const x = 1;'));
    expect(hashCode('const x = 1;')).not.toBe(hashCode('const x = 2;'));
    expect(hashCode('')).toMatch(/^[0-9a-f]{14}$/);
  });
});

describe('TensorTracker (Restart)', () => {
  test('disposes every tensor and variable made after install, leaving the backend usable', () => {
    const tracker = new TensorTracker();
    tracker.install(tf as unknown as Parameters<TensorTracker['install']>[0]);
    const start = tf.memory().numTensors;
    const a = tf.ones([3, 3]);
    const b = a.mul(2);
    tf.variable(tf.zeros([2]));
    tf.tidy(() => tf.ones([4]).add(1)); // intermediates disposed by tidy; its result leaks
    expect(tf.memory().numTensors).toBeGreaterThan(start);
    const disposed = tracker.disposeAll(tf as unknown as Parameters<TensorTracker['disposeAll']>[0]);
    expect(disposed).toBeGreaterThanOrEqual(3);
    expect(tf.memory().numTensors).toBe(start);
    expect(a.isDisposed && b.isDisposed).toBe(true);
    expect(tf.add(1, 2).dataSync()[0]).toBe(3); // the backend stayed
  });
});

describe('runaway tensors (tensor-guard)', () => {
  test('creators refuse sizes above the limit before allocating, with the call and the size in words', () => {
    const guarded = guardTfNamespace(tf);
    const before = tf.memory().numBytes;
    expect(() => guarded.ones([30000, 30000])).toThrow(
      /tf\.ones\(\[30000, 30000\]\) would hold 900,000,000 values \(3\.6 GB as float32\)/,
    );
    expect(() => guarded.randomNormal([1e5, 1e5], 0, 1, 'float32')).toThrow(RangeError);
    expect(() => guarded.range(0, 1e9)).toThrow(/tf\.range/);
    expect(tf.memory().numBytes).toBe(before);
    const small = guarded.zeros([2, 3]);
    expect(small).toBeInstanceOf(guarded.Tensor); // the same classes: instanceof still works
    small.dispose();
  });

  test('the backend refuses an op output above the limit, and keeps working after', () => {
    const backend = tf.backend() as unknown as WritableBackend;
    guardBackendWrites(backend);
    const column = tf.zeros([20000, 1]);
    const row = tf.zeros([1, 20000]);
    expect(() => tf.matMul(column, row)).toThrow(/shape \[20000, 20000\].*400,000,000 values/);
    expect(tf.add(2, 3).dataSync()[0]).toBe(5);
    tf.dispose([column, row]);
    expect(checkTensorSize(MAX_TENSOR_VALUES, 'float32', 'at the limit')).toBeUndefined();
  });

  test('the limit is exactly 2^27 values: one more is refused, by the creators and by the backend', () => {
    expect(MAX_TENSOR_VALUES).toBe(2 ** 27);
    expect(checkTensorSize(2 ** 27, 'float32', 'at the limit')).toBeUndefined();
    expect(() => checkTensorSize(2 ** 27 + 1, 'float32', 'one more')).toThrow(
      'one more would hold 134,217,729 values (0.5 GB as float32), more than this page can safely allocate: the workbook ' +
        'stops tensors above 134,217,728 values (537 MB of float32). Use a smaller shape, or work in batches.',
    );
    expect(() => checkTensorSize(2 ** 27 + 1, 'bool', 'as bool')).toThrow(/\(0\.1 GB as bool\)/);
    const guarded = guardTfNamespace(tf);
    // 2^27 + 1 = 1539 · 87211: asked of the creators, and as the output of an op whose inputs are tiny.
    expect(() => guarded.zeros([1539, 87211])).toThrow(/tf\.zeros\(\[1539, 87211\]\) would hold 134,217,729 values/);
    expect(() => guarded.fill([1539, 87211], 1, 'int32')).toThrow(
      /tf\.fill\(\[1539, 87211\]\) would hold 134,217,729 values \(0\.5 GB as int32\)/,
    );
    expect(() => guarded.range(0, 2 ** 27 + 1)).toThrow(/134,217,729 values/);
    expect(() => guarded.linspace(0, 1, 2 ** 27 + 1)).toThrow(/134,217,729 values/);
    expect(() => guarded.eye(1539, 87211)).toThrow(/tf\.eye\(1539, 87211\) would hold 134,217,729 values/);
    const backend = tf.backend() as unknown as WritableBackend;
    guardBackendWrites(backend);
    const column = tf.zeros([1539, 1]);
    const row = tf.zeros([1, 87211]);
    expect(() => tf.matMul(column, row)).toThrow(/A tensor of shape \[1539, 87211\] would hold 134,217,729 values/);
    tf.dispose([column, row]);
  });
});
