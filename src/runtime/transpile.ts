/**
 * From the learner's TypeScript to a function body the kernel can run, in three steps:
 *
 * 1. **Sucrase** strips the types. It is small and fast (~2 ms) and, unlike `tsc`, keeps every line on its line,
 *    so error lines stay right. It does not type-check: type errors come from the editor's checker and never
 *    block a run (a notebook should let you run code the checker dislikes, and see what happens).
 * 2. **Acorn** parses the JavaScript, so that we *know* (rather than guess with regular expressions) where the
 *    top-level declarations, the last expression and every loop are.
 * 3. **Edits** turn the cell into a piece of a notebook (see rewrite.ts): declarations become names in the shared
 *    scope, the last expression is returned, and every loop gets a guard.
 *
 * Nothing here touches the DOM: Node unit tests run it as is.
 */
import { parse, type Program } from 'acorn';
import { transform } from 'sucrase';
import type { CellError } from './errors';
import { LineIndex, applyEdits, decodeMappings, originalPosition, type Position } from './positions';
import { NO_MODULES, RUNTIME, rewriteProgram, type Declaration } from './rewrite';

/** A cell ready to run. */
export interface CompiledCell {
  cellId: string;
  /** The body for `new AsyncFunction(RUNTIME, body)`: one wrapper line, then the cell's lines, then "}". */
  body: string;
  /** The plain JavaScript sucrase produced (before our edits), for the curious and for tests. */
  javascript: string;
  /** What the cell declares at top level, in source order. */
  declarations: Declaration[];
  /** Every identifier the code mentions anywhere: the kernel loads lazy globals (tf, Plot, …) the cell names. */
  identifiers: ReadonlySet<string>;
  /** True when the last statement is an expression whose value the cell shows. */
  hasResult: boolean;
  /** Maps a 0-based position in `body` to the 0-based position in the learner's TypeScript (null: wrapper code). */
  toSource(at: Position): Position | null;
}

/** Either the compiled cell or the error that prevents running it. */
export type TranspileResult = { ok: true; cell: CompiledCell } | { ok: false; error: CellError };

/** Number of lines the wrapper puts before the cell's first line inside `body`. */
export const WRAPPER_LINES = 1;

/** Compiles a cell. Never throws: syntax errors come back as `{ ok: false }` with the learner's line and column. */
export function transpileCell(cellId: string, source: string): TranspileResult {
  // 1. Types out. Sucrase reports errors with an offset into the TypeScript.
  let javascript: string;
  let mappings: string;
  try {
    const out = transform(source, {
      transforms: ['typescript'],
      // Keep modern syntax (optional chaining, class fields…) as is: browsers run it, and fewer changes mean
      // more exact positions.
      disableESTransforms: true,
      // TypeScript drops imports whose names are unused; we keep them so that every import gets the same clear
      // "cells cannot import" error instead of some vanishing silently.
      keepUnusedImports: true,
      filePath: `${cellId}.ts`,
      sourceMapOptions: { compiledFilename: `${cellId}.js` },
    });
    javascript = out.code;
    mappings = out.sourceMap?.mappings ?? '';
  } catch (e) {
    return { ok: false, error: sucraseError(source, e) };
  }
  const sourceMap = decodeMappings(mappings);
  const toTs = (at: Position): Position => originalPosition(sourceMap, at);

  // 2. Parse the JavaScript. Script (sloppy) mode because the kernel runs cells inside `with`; top-level await and
  //    return are fine because the cell becomes an async function body.
  let program: Program;
  try {
    program = parse(javascript, {
      ecmaVersion: 'latest',
      sourceType: 'script',
      allowAwaitOutsideFunction: true,
      allowReturnOutsideFunction: true,
      locations: true,
      // Keep "( … )" as nodes: a last expression written `({ a, b })` must be returned with its parentheses.
      preserveParens: true,
    });
  } catch (e) {
    const err = e as { message?: string; loc?: { line: number; column: number } };
    const at = err.loc ? toTs({ line: err.loc.line - 1, column: err.loc.column }) : undefined;
    const message = String(err.message ?? e).replace(/\s*\(\d+:\d+\)$/, '');
    const isModuleSyntax = /'import' and 'export' may appear only/.test(message);
    return {
      ok: false,
      error: {
        kind: isModuleSyntax ? 'unsupported' : 'syntax',
        name: 'SyntaxError',
        message: isModuleSyntax ? NO_MODULES : message,
        line: at && at.line + 1,
        column: at && at.column + 1,
        cellId,
      },
    };
  }

  // 3. Our edits.
  const rewritten = rewriteProgram(program);
  if (!rewritten.ok) {
    const at = toTs(new LineIndex(javascript).position(rewritten.offset));
    return {
      ok: false,
      error: {
        kind: 'unsupported',
        name: 'SyntaxError',
        message: rewritten.message,
        line: at.line + 1,
        column: at.column + 1,
        cellId,
      },
    };
  }
  const edited = applyEdits(javascript, rewritten.edits);
  const body = `${rewritten.prologue}\n${edited.code}\n}`;
  const jsLines = new LineIndex(javascript).lineCount;
  return {
    ok: true,
    cell: {
      cellId,
      body,
      javascript,
      declarations: rewritten.declarations,
      identifiers: rewritten.identifiers,
      hasResult: rewritten.hasResult,
      toSource(at: Position): Position | null {
        const line = at.line - WRAPPER_LINES;
        if (line < 0 || line >= jsLines) return null;
        return toTs(edited.toOriginal({ line, column: at.column }));
      },
    },
  };
}

/** Sucrase's parse errors carry `pos`, an offset in the TypeScript; its message ends with "(line:col)". */
function sucraseError(source: string, e: unknown): CellError {
  const err = e as { message?: string; pos?: number };
  // "Error transforming cell.ts: Unexpected token (2:5)" → "Unexpected token"; we add our own position.
  const message = String(err.message ?? e)
    .replace(/^Error transforming [^:]*: /, '')
    .replace(/\s*\(\d+:\d+\)$/, '');
  if (typeof err.pos !== 'number') return { kind: 'syntax', name: 'SyntaxError', message };
  const at = new LineIndex(source).position(Math.min(err.pos, source.length));
  return { kind: 'syntax', name: 'SyntaxError', message, line: at.line + 1, column: at.column + 1 };
}

export { RUNTIME };
