/**
 * rewriteProgram (src/runtime/rewrite.ts) on hand-written cells, read exactly: the code it makes (its edits applied),
 * its prologue, the declarations it reports and its refusals. The notebook tests (cells-scope, cells-notebook) show
 * that the result runs; these pin each rule of the rewrite, so a dropped loop guard, a `var` hoisted out of a
 * function or an export let through fails here by name.
 */
import { parse, type Options } from 'acorn';
import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../src/runtime/positions';
import { NO_MODULES, patternNames, rewriteProgram, walk, type RewriteResult } from '../../src/runtime/rewrite';

/** The parser options transpile.ts uses for a cell. */
const CELL: Options = {
  ecmaVersion: 'latest',
  sourceType: 'script',
  allowAwaitOutsideFunction: true,
  allowReturnOutsideFunction: true,
  locations: true,
};

function rewrite(source: string, options: Options = CELL): RewriteResult {
  return rewriteProgram(parse(source, options));
}

/** The rewritten cell: prologue, code with the edits applied, declarations, whether it has a result. */
function rewritten(source: string, options: Options = CELL) {
  const r = rewrite(source, options);
  if (!r.ok) throw new Error(`refused: ${r.message}`);
  return {
    prologue: r.prologue,
    code: applyEdits(source, r.edits).code,
    declarations: r.declarations,
    hasResult: r.hasResult,
  };
}

describe('rewriteProgram: declarations', () => {
  it('let becomes var, const and class are exported after their declaration, functions in the prologue', () => {
    const source = [
      'let a = 1, [b, { c, d: [e, ...f] = [] }] = x;',
      'var g; var g;',
      'const h = 2, { i } = y;',
      'function k() { var inner; }',
      'class K {}',
      'a + 1',
    ].join('\n');
    expect(rewritten(source)).toEqual({
      prologue: 'with ($$wb.scope) { $$wb.decl(["g","a","b","c","e","f"]); $$wb.def("function", { k });',
      code: [
        'var a = 1, [b, { c, d: [e, ...f] = [] }] = x;',
        'var g; var g;',
        'const h = 2, { i } = y;;$$wb.def("const", { h, i });',
        'function k() { var inner; }',
        'class K {};$$wb.def("class", { K });',
        'return (a + 1)',
      ].join('\n'),
      declarations: [
        { name: 'g', kind: 'var' },
        { name: 'a', kind: 'let' },
        { name: 'b', kind: 'let' },
        { name: 'c', kind: 'let' },
        { name: 'e', kind: 'let' },
        { name: 'f', kind: 'let' },
        { name: 'h', kind: 'const' },
        { name: 'i', kind: 'const' },
        { name: 'k', kind: 'function' },
        { name: 'K', kind: 'class' },
      ],
      hasResult: true,
    });
  });

  it('hoists var from blocks and loops, but not from any kind of function or a static block', () => {
    const source = [
      'const f = function () { var q; };',
      'const g = () => { var r; };',
      'function h() { var u; }',
      'class A { static { var s = 1; } }',
      '{ var t; }',
      'for (var v of []) {}',
    ].join('\n');
    const r = rewritten(source);
    expect(r.prologue).toBe('with ($$wb.scope) { $$wb.decl(["t","v"]); $$wb.def("function", { h });');
    expect(r.declarations.filter((d) => d.kind === 'var')).toEqual([
      { name: 't', kind: 'var' },
      { name: 'v', kind: 'var' },
    ]);
  });

  it('a cell without declarations has the bare prologue and reports nothing', () => {
    expect(rewritten('x = 1;')).toEqual({
      prologue: 'with ($$wb.scope) {',
      code: 'return (x = 1);',
      declarations: [],
      hasResult: true,
    });
    expect(rewritten('')).toEqual({ prologue: 'with ($$wb.scope) {', code: '', declarations: [], hasResult: false });
  });
});

describe('rewriteProgram: the last expression is the result', () => {
  it.each([
    ['1 + 2', 'return (1 + 2)', true],
    ['"hello"', 'return ("hello")', true],
    ['"use strict"', '"use strict"', false],
    ['x = 1;\nif (x) y()', 'x = 1;\nif (x) y()', false],
    ['const z = 1', 'const z = 1;$$wb.def("const", { z });', false],
  ])('%j → %j (result: %s)', (source, code, hasResult) => {
    const r = rewritten(source);
    expect(r.code).toBe(code);
    expect(r.hasResult).toBe(hasResult);
  });
});

describe('rewriteProgram: loop guards', () => {
  it('every kind of loop, at any depth, starts its body with $$wb.loop(line); a bare body gets braces', () => {
    const source = [
      'for (const k in o) n++;',
      'while (n) { n--; }',
      'for (;;) break;',
      'do { n++; } while (n < 3);',
      'function f() { for (const x of xs) g(x); }',
    ].join('\n');
    expect(rewritten(source).code).toBe(
      [
        'for (const k in o) {$$wb.loop(1);n++;}',
        'while (n) {$$wb.loop(2); n--; }',
        'for (;;) {$$wb.loop(3);break;}',
        'do {$$wb.loop(4); n++; } while (n < 3);',
        'function f() { for (const x of xs) {$$wb.loop(5);g(x);} }',
      ].join('\n'),
    );
  });

  it('without locations the guard says line 0 instead of failing', () => {
    expect(rewritten('while (n) n--;', { ...CELL, locations: false }).code).toBe('while (n) {$$wb.loop(0);n--;}');
  });
});

describe('rewriteProgram: what a cell cannot have', () => {
  it('refuses a name starting with $$wb anywhere, and accepts one that only ends with it', () => {
    expect(rewrite('function f() { return $$wbx; }')).toEqual({
      ok: false,
      message: 'Names starting with $$wb are reserved for the workbook.',
      offset: 0,
    });
    expect(rewrite('const x$$wb = 1;').ok).toBe(true);
  });

  it.each([
    ['import x from "y";', 'ImportDeclaration'],
    ['export const a = 1;', 'ExportNamedDeclaration'],
    ['export default 1;', 'ExportDefaultDeclaration'],
    ['export * from "y";', 'ExportAllDeclaration'],
  ])('refuses %j (%s) at its own offset, saying what to write instead', (statement) => {
    const result = rewrite(`const a0 = 1;\n${statement}`, { ...CELL, sourceType: 'module' });
    expect(result).toEqual({ ok: false, offset: 14, message: NO_MODULES });
    expect(NO_MODULES).toMatch(/^Cells cannot import or export\. tf, Plot, display, progress/);
    expect(NO_MODULES).toContain("const m = await import('…')");
  });
});

describe('patternNames and walk', () => {
  it('lists the names a pattern binds, in order, into a fresh list by default', () => {
    const program = parse('const { a, b: [c, , ...d] = [], ...e } = o;', CELL);
    const decl = program.body[0];
    if (decl?.type !== 'VariableDeclaration') throw new Error('not a declaration');
    expect(patternNames(decl.declarations[0]!.id)).toEqual(['a', 'c', 'd', 'e']);
    expect(patternNames(decl.declarations[0]!.id, ['z'])).toEqual(['z', 'a', 'c', 'd', 'e']);
  });

  it('visits every node once, skips the children of a node whose visitor returns false', () => {
    const program = parse('f(1); function g() { h(2); }', CELL);
    const all: string[] = [];
    walk(program, (n) => void all.push(n.type));
    expect(all).toEqual([
      'Program',
      'ExpressionStatement',
      'CallExpression',
      'Identifier',
      'Literal',
      'FunctionDeclaration',
      'Identifier',
      'BlockStatement',
      'ExpressionStatement',
      'CallExpression',
      'Identifier',
      'Literal',
    ]);
    const outer: string[] = [];
    walk(program, (n) => (outer.push(n.type), n.type !== 'FunctionDeclaration'));
    expect(outer).toEqual([
      'Program',
      'ExpressionStatement',
      'CallExpression',
      'Identifier',
      'Literal',
      'FunctionDeclaration',
    ]);
  });
});
