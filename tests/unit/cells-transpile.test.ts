/**
 * The cell transpiler (src/runtime/transpile.ts, rewrite.ts, positions.ts): TypeScript in, a notebook-ready
 * function body out, with the learner's lines and columns recoverable from any position in it.
 */
import { describe, expect, test } from 'vitest';
import { applyEdits, decodeMappings, LineIndex, originalPosition } from '../../src/runtime/positions';
import { transpileCell, WRAPPER_LINES, type CompiledCell } from '../../src/runtime/transpile';

function compile(source: string): CompiledCell {
  const result = transpileCell('t', source);
  if (!result.ok) throw new Error(`did not compile: ${result.error.message}`);
  return result.cell;
}

describe('transpileCell', () => {
  test('strips types and keeps every line on its line', () => {
    const source =
      'const n: number = 1;\ninterface P { x: number }\nfunction f(a: string): void {}\nn as unknown as string;';
    const cell = compile(source);
    expect(cell.javascript.split('\n')).toHaveLength(source.split('\n').length);
    expect(cell.javascript).not.toMatch(/: number|interface|as unknown/);
    expect(cell.body.split('\n')[WRAPPER_LINES]).toContain('const n = 1');
  });

  test('lists top-level declarations by kind, including destructured names, and not nested ones', () => {
    const cell = compile(
      [
        'const a = 1, { b, c: [d, ...e] = [] } = { b: 2 };',
        'let f = 1;',
        'var g;',
        'function h() { const inner = 1; var alsoInner; }',
        'class K {}',
        'for (var i = 0; i < 2; i++) { let blockScoped = i; }',
        'if (true) { var fromBlock = 1; }',
      ].join('\n'),
    );
    const byKind = (kind: string) =>
      cell.declarations
        .filter((d) => d.kind === kind)
        .map((d) => d.name)
        .sort();
    expect(byKind('const')).toEqual(['a', 'b', 'd', 'e']);
    expect(byKind('let')).toEqual(['f']);
    expect(byKind('var')).toEqual(['fromBlock', 'g', 'i']);
    expect(byKind('function')).toEqual(['h']);
    expect(byKind('class')).toEqual(['K']);
    expect(cell.declarations.map((d) => d.name)).not.toContain('inner');
    expect(cell.declarations.map((d) => d.name)).not.toContain('blockScoped');
  });

  test('returns the last expression statement, and only an expression statement', () => {
    expect(compile('const x = 2;\nx * 21').hasResult).toBe(true);
    expect(compile('const x = 2;\nx * 21').body).toContain('return (x * 21)');
    expect(compile('const x = 2;').hasResult).toBe(false);
    expect(compile('for (const v of [1]) v;').hasResult).toBe(false);
  });

  test('puts a guard at the top of every loop, including loops without braces and nested in functions', () => {
    const cell = compile(
      'while (a) b();\ndo { c() } while (d);\nconst f = () => { for (const x of y) for (;;) z(); };',
    );
    expect(cell.body.match(/\$\$wb\.loop\(\d+\)/g)).toEqual([
      '$$wb.loop(1)',
      '$$wb.loop(2)',
      '$$wb.loop(3)',
      '$$wb.loop(3)',
    ]);
    expect(() => new Function(cell.body)).not.toThrow(); // still valid JavaScript
  });

  test('lists every identifier, so lazy globals load only for cells that name them', () => {
    const cell = compile('const t = tf.tensor([1]);\nfunction g() { return Plot.dot([]) }');
    expect(cell.identifiers.has('tf')).toBe(true);
    expect(cell.identifiers.has('Plot')).toBe(true);
    expect(compile('1 + 1').identifiers.has('tf')).toBe(false);
  });

  test('a syntax error sucrase finds is reported at the line and column of the TypeScript', () => {
    const result = transpileCell('t', 'const ok: number = 1;\nconst broken: number = (ok + ;');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ kind: 'syntax', name: 'SyntaxError', line: 2, column: 30 });
    expect(result.error.message).not.toMatch(/\(\d+:\d+\)|Error transforming/);
  });

  test('a syntax error only the JavaScript parser finds is mapped back through the removed types', () => {
    // Sucrase accepts the duplicate declaration; acorn rejects it. `: number` removed before it shifts columns.
    const result = transpileCell('t', 'const a: number = 1; const a: number = 2;');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toMatch(/already been declared/);
    expect(result.error).toMatchObject({ line: 1, column: 28 });
  });

  test('import and export are refused with a message saying what to do instead', () => {
    const result = transpileCell('t', "const x = 1;\nimport { y } from 'z';");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ kind: 'unsupported', line: 2, column: 1 });
    expect(result.error.message).toMatch(/await import/);
  });

  test('positions in the body map back to the TypeScript, across removed types and inserted guards', () => {
    const source =
      'let total: number = 0;\nfor (const v of [1, 2]) { total += v as number; }\nconst name: string = "x"; name.missing.deeper';
    const cell = compile(source);
    const bodyLines = cell.body.split('\n');
    // Find "missing" in the body and map it back: it must land on "missing" in the TypeScript.
    const line = bodyLines.findIndex((l) => l.includes('name.missing'));
    const column = bodyLines[line]!.indexOf('missing');
    expect(cell.toSource({ line, column })).toEqual({ line: 2, column: source.split('\n')[2]!.indexOf('missing') });
    // "total" after the loop guard on line 2.
    const guarded = bodyLines.findIndex((l) => l.includes('total +='));
    expect(cell.toSource({ line: guarded, column: bodyLines[guarded]!.indexOf('total +=') })).toEqual({
      line: 1,
      column: source.split('\n')[1]!.indexOf('total +='),
    });
    expect(cell.toSource({ line: 0, column: 0 })).toBeNull(); // the wrapper line is not the learner's
  });
});

describe('positions', () => {
  test('decodes source-map VLQ segments', () => {
    // "AAAA,MAAM;AACN" → line 0: (0→0:0), (6→0:6); line 1: (0→1:0) — source columns carry over lines (N = −6)
    expect(decodeMappings('AAAA,MAAM;AACN')).toEqual([
      [
        { generatedColumn: 0, sourceLine: 0, sourceColumn: 0 },
        { generatedColumn: 6, sourceLine: 0, sourceColumn: 6 },
      ],
      [{ generatedColumn: 0, sourceLine: 1, sourceColumn: 0 }],
    ]);
    expect(originalPosition(decodeMappings('AAAA,MAAM'), { line: 0, column: 8 })).toEqual({ line: 0, column: 8 });
  });

  test('applyEdits maps edited positions back, inside and after insertions', () => {
    const edited = applyEdits('ab\ncd', [
      { start: 1, end: 1, text: 'XYZ' },
      { start: 3, end: 3, text: '>' },
    ]);
    expect(edited.code).toBe('aXYZb\n>cd');
    expect(edited.toOriginal({ line: 0, column: 4 })).toEqual({ line: 0, column: 1 }); // "b"
    expect(edited.toOriginal({ line: 0, column: 2 })).toEqual({ line: 0, column: 1 }); // inside "XYZ"
    expect(edited.toOriginal({ line: 1, column: 2 })).toEqual({ line: 1, column: 1 }); // "d"
    expect(() =>
      applyEdits('abc', [
        { start: 0, end: 2, text: '' },
        { start: 1, end: 1, text: 'x' },
      ]),
    ).toThrow(/overlapping/);
  });

  test('LineIndex finds lines and columns of offsets', () => {
    const index = new LineIndex('a\nbc\n\nd');
    expect(index.position(0)).toEqual({ line: 0, column: 0 });
    expect(index.position(3)).toEqual({ line: 1, column: 1 });
    expect(index.position(6)).toEqual({ line: 3, column: 0 });
    expect(index.lineCount).toBe(4);
  });
});
