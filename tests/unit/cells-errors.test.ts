/**
 * Bad input in a cell (src/runtime/kernel.ts, errors.ts): each is an error on that cell, at the learner's line and
 * column, and the kernel keeps its scope and keeps running other cells.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { Kernel } from '../../src/runtime/kernel';
import { runCell, testKernel } from '../helpers/cells';

describe('errors point at the learner’s TypeScript', () => {
  test('a thrown error: line and column of the throw, past removed type annotations', async () => {
    const k = testKernel();
    const outcome = await runCell(
      k,
      'boom',
      'const label: string = "x";\nfunction explode(what: string): never {\n  throw new Error(`boom: ${what}`);\n}\nexplode(label);',
    );
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error).toMatchObject({
      kind: 'runtime',
      name: 'Error',
      message: 'boom: x',
      line: 3,
      column: 9,
      cellId: 'boom',
    });
  });

  test('a TypeError: the column of the failing property read, with types removed before it on the line', async () => {
    const k = testKernel();
    const source = 'const nothing = null as unknown as { deep: { value: number } }; nothing.deep.value';
    const outcome = await runCell(k, 'typeerror', source);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.name).toBe('TypeError');
    expect(outcome.error.line).toBe(1);
    expect(outcome.error.column).toBe(source.indexOf('deep.value') + 1);
  });

  test('an error inside a function from an earlier cell points into that cell', async () => {
    const k = testKernel();
    await runCell(
      k,
      'helpers',
      '// helpers\nfunction check(n: number) {\n  if (n < 0) throw new RangeError("negative");\n  return n;\n}',
    );
    const outcome = await runCell(k, 'caller', 'check(-1)');
    expect(outcome.ok).toBe(false);
    if (!outcome.ok)
      expect(outcome.error).toMatchObject({ name: 'RangeError', line: 3, column: 20, cellId: 'helpers' }); // "new RangeError"
  });

  test('a syntax error stops the cell before it runs, and nothing of it runs', async () => {
    const k = testKernel();
    const outcome = await runCell(k, 'bad', 'const ran = true;\nconst broken: number = (1 + ;');
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error).toMatchObject({ kind: 'syntax', line: 2, column: 29 }); // the ";"
    expect((await runCell(k, 'check', 'typeof ran')).ok).toBe(false); // not declared: the cell never ran
  });

  test('a thrown non-Error value is still reported', async () => {
    const outcome = await runCell(testKernel(), 'str', 'throw "just a string";');
    expect(outcome).toMatchObject({ ok: false, error: { message: 'just a string' } });
  });

  test('a runaway allocation is an error on the cell, and the kernel goes on', async () => {
    const k = testKernel();
    const outcome = await runCell(k, 'huge', 'const huge: number[] = new Array(2 ** 32);');
    expect(outcome).toMatchObject({ ok: false, error: { name: 'RangeError', line: 1, column: 24 } });
    expect(await runCell(k, 'fine', '1 + 1')).toMatchObject({ ok: true, value: 2 });
  });

  test('errors keep the scope as it was: declarations made before the throw stay', async () => {
    const k = testKernel();
    await runCell(k, 'partial', 'const before = 1;\nthrow new Error("midway");\nconst after = 2;');
    expect(await runCell(k, 'read', 'before')).toMatchObject({ ok: true, value: 1 });
  });
});

describe('errors nobody awaited', () => {
  let kernel: Kernel | null = null;
  const forward = (reason: unknown) => void kernel?.reportAsyncError(reason);
  afterEach(() => {
    process.off('unhandledRejection', forward);
    kernel = null;
  });

  test('a promise rejected during the run, never awaited, fails that cell', async () => {
    kernel = testKernel();
    process.on('unhandledRejection', forward);
    const outcome = await runCell(
      kernel,
      'rejects',
      'Promise.reject(new Error("nobody awaited me"));\n"the cell itself finished"',
    );
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.error.kind).toBe('async');
      expect(outcome.error.message).toMatch(/nobody awaited me/);
      expect(outcome.error).toMatchObject({ line: 1, cellId: 'rejects' });
    }
    expect(await runCell(kernel, 'next', '"still fine"')).toMatchObject({ ok: true, value: 'still fine' });
  });

  test('a rejection from cell code after the cell finished is reported late to that cell', async () => {
    kernel = testKernel();
    process.on('unhandledRejection', forward);
    const outcome = await runCell(
      kernel,
      'later',
      'setTimeout(() => Promise.reject(new Error("too late")), 30);\n"done"',
    );
    expect(outcome.ok).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect(outcome.recorded.late.map((e) => e.message)).toEqual([expect.stringMatching(/too late/)]);
  });

  test('an error that is not from cell code is not claimed', () => {
    kernel = testKernel();
    expect(kernel.reportAsyncError(new Error('elsewhere'))).toBe(false); // nothing ran yet
  });
});

describe('errors from deep inside a library', () => {
  test('keep the cell frame, however many frames the library adds', async () => {
    const deep = (n: number): never =>
      n === 0
        ? (() => {
            throw new Error('deep failure');
          })()
        : deep(n - 1);
    const k = testKernel({ lib: { deep } });
    const outcome = await runCell(k, 'caller', '// calls a library that fails 30 frames down\nlib.deep(30);');
    expect(outcome).toMatchObject({ ok: false, error: { message: 'deep failure', line: 2, column: 5 } });
  });
});
