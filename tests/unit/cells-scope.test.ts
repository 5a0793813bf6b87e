/**
 * The shared scope (src/runtime/kernel.ts, scope.ts, rewrite.ts): cells of a page behave like the cells of one
 * notebook kernel.
 */
import { describe, expect, test } from 'vitest';
import { runCell, testKernel, valueOf } from '../helpers/cells';

describe('one scope for all cells', () => {
  test('a const declared in one cell is visible in a later one', async () => {
    const k = testKernel();
    await valueOf(k, 'a', 'const model: { layers: number } = { layers: 88 };');
    expect(await valueOf(k, 'b', 'model.layers + 1')).toBe(89);
  });

  test('re-running a cell redeclares its names, and later cells see the new values', async () => {
    const k = testKernel();
    await valueOf(k, 'a', 'const rate = 0.1;');
    await valueOf(k, 'a', 'const rate = 0.01;');
    expect(await valueOf(k, 'b', 'rate')).toBe(0.01);
    // A later cell may declare the same name again, even with another kind.
    await valueOf(k, 'c', 'let rate = 5;');
    expect(await valueOf(k, 'd', 'rate += 1; rate')).toBe(6);
  });

  test('let can be reassigned from another cell; const cannot', async () => {
    const k = testKernel();
    await valueOf(k, 'a', 'let epochs = 1;\nconst frozen = true;');
    expect(await valueOf(k, 'b', 'epochs = epochs * 10;\nepochs')).toBe(10);
    const refused = await runCell(k, 'c', 'frozen = false;');
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toMatch(/constant variable "frozen".*cell "a"/);
    expect(await valueOf(k, 'd', 'frozen')).toBe(true);
  });

  test('destructuring declares every name it binds: nested, defaults and rest', async () => {
    const k = testKernel();
    await valueOf(
      k,
      'a',
      [
        'const { shape: [rows, cols = 3], dtype, ...others } = { shape: [2], dtype: "float32", rank: 1, size: 2 };',
        'let [first, , third, ...tail] = [1, 2, 3, 4, 5];',
      ].join('\n'),
    );
    expect(await valueOf(k, 'b', '[rows, cols, dtype, others, first, third, tail]')).toEqual([
      2,
      3,
      'float32',
      { rank: 1, size: 2 },
      1,
      3,
      [4, 5],
    ]);
  });

  test('functions are hoisted within their cell and see the current values of the scope when called', async () => {
    const k = testKernel();
    await valueOf(
      k,
      'a',
      'const early = double(2);\nlet factor = 2;\nfunction double(n: number) { return n * (factor ?? 2); }',
    );
    expect(await valueOf(k, 'b', 'early')).toBe(4);
    await valueOf(k, 'c', 'factor = 10;');
    expect(await valueOf(k, 'd', 'double(3)')).toBe(30); // the function reads factor live, not a copy
  });

  test('classes carry across cells: instances, methods and subclasses', async () => {
    const k = testKernel();
    await valueOf(
      k,
      'a',
      'class Counter {\n  count = 0;\n  constructor(public step: number) {}\n  next() { return (this.count += this.step); }\n}',
    );
    await valueOf(
      k,
      'b',
      'class Double extends Counter { constructor() { super(2); } }\nconst c = new Double();\nc.next();',
    );
    expect(await valueOf(k, 'c', 'c.next()')).toBe(4);
    expect(await valueOf(k, 'd', 'c instanceof Counter')).toBe(true);
  });

  test('top-level await works, and declarations after an await are shared too', async () => {
    const k = testKernel();
    const value = await valueOf(
      k,
      'a',
      'const first = await Promise.resolve(20);\nconst second = await new Promise<number>((r) => setTimeout(() => r(22), 5));\nfirst + second',
    );
    expect(value).toBe(42);
    expect(await valueOf(k, 'b', 'second')).toBe(22);
  });

  test('var inside loops and blocks belongs to the scope (as var hoisting says); let in loops stays in the loop', async () => {
    const k = testKernel();
    await valueOf(
      k,
      'a',
      'for (var i = 0; i < 3; i++) {}\nfor (let j = 0; j < 3; j++) {}\nif (true) { var fromBlock = "yes"; }',
    );
    expect(await valueOf(k, 'b', '[i, fromBlock]')).toEqual([3, 'yes']);
    const j = await runCell(k, 'c', 'j');
    expect(j.ok).toBe(false);
  });

  test('closures made in a loop keep their own iteration value (let per iteration survives the rewrite)', async () => {
    const k = testKernel();
    await valueOf(k, 'a', 'const fns: (() => number)[] = [];\nfor (let n = 0; n < 3; n++) fns.push(() => n);');
    expect(await valueOf(k, 'b', 'fns.map((f) => f())')).toEqual([0, 1, 2]);
  });

  test('reading an undeclared name says to run the cell that declares it; assigning one does not make a global', async () => {
    const k = testKernel();
    const read = await runCell(k, 'a', 'notYet + 1');
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.error).toMatchObject({ name: 'ReferenceError', line: 1, column: 1 });
    if (!read.ok) expect(read.error.message).toMatch(/notYet is not defined.*run that cell first/);
    const write = await runCell(k, 'b', 'accidental = 3;');
    expect(write.ok).toBe(false);
    expect((globalThis as Record<string, unknown>).accidental).toBeUndefined();
  });

  test('browser/Node globals stay reachable, and a cell can shadow a workbook global with its own name', async () => {
    const k = testKernel({ tf: { version: 'fake' } });
    expect(await valueOf(k, 'a', 'Math.max(1, 2) + JSON.parse("1")')).toBe(3);
    expect(await valueOf(k, 'b', 'tf.version')).toBe('fake');
    await valueOf(k, 'c', 'const tf = { version: "mine" };');
    expect(await valueOf(k, 'd', 'tf.version')).toBe('mine');
  });

  test('the last expression is the value; a cell ending in a declaration has none', async () => {
    const k = testKernel();
    const withValue = await runCell(k, 'a', 'const x = 1;\n({ x, list: [1, 2] })');
    expect(withValue).toMatchObject({ ok: true, hasValue: true, value: { x: 1, list: [1, 2] } });
    expect(await runCell(k, 'b', 'const y = 2;')).toMatchObject({ ok: true, hasValue: false });
  });

  test('each cell writes to its own console; a helper from an earlier cell logs into the cell that calls it', async () => {
    const k = testKernel();
    const a = await runCell(
      k,
      'a',
      'function shout(s: string) { console.warn(s.toUpperCase()); }\nconsole.log("defined", 1);',
    );
    expect(a.recorded.lines).toEqual([{ level: 'log', args: ['defined', 1] }]);
    const b = await runCell(k, 'b', 'shout("hi");\ndisplay(1, "two");\nprogress(1, 4, "epoch");');
    expect(b.recorded.lines).toEqual([{ level: 'warn', args: ['HI'] }]);
    expect(b.recorded.displayed).toEqual([1, 'two']);
    expect(b.recorded.progress).toEqual([{ fraction: 0.25, label: 'epoch 1 / 4' }]);
  });

  test('clear() (Restart) forgets every name', async () => {
    const k = testKernel();
    await valueOf(k, 'a', 'const kept = 1;');
    k.clear();
    expect((await runCell(k, 'b', 'kept')).ok).toBe(false);
    expect(k.scope.names()).toEqual([]);
  });
});
