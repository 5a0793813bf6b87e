/**
 * Turning one cell's JavaScript into a piece of a notebook. Cells share ONE scope, like a Jupyter kernel: the
 * `const model` declared in cell 2 is visible in cell 5. How?
 *
 * The kernel runs every cell as `async function ($$wb) { with ($$wb.scope) { …cell… } }`, where `$$wb.scope` is a
 * Proxy over the notebook's variables (scope.ts). Inside `with`, a name the cell does not declare itself is looked
 * up on that object, so reading `model` finds the notebook's `model`, and `count += 1` writes it back. What is left
 * is to make each cell's *declarations* land in the shared scope. Per kind of top-level declaration:
 *
 * - `var x` (anywhere outside functions): a quirk of `with` does the work. `var` is hoisted to the function, but its
 *   initialiser `x = 1` runs *inside* `with`, so if the scope has `x`, the write goes to the scope. The prologue
 *   declares every such name in the scope first (undefined, exactly like var hoisting).
 * - `let x`: we want later cells to be able to reassign it and every function to see the new value, so it becomes
 *   `var x` (same length: columns do not move) and gets the same treatment.
 * - `const x`, `class A`: kept as real local bindings (so the cell keeps const's protection and class TDZ), then
 *   exported just after the declaration with `$$wb.def("const", { x })`. The scope remembers they are constants and
 *   refuses a later `x = …` from another cell.
 * - `function f`: function declarations are hoisted to the top of the block, so the prologue exports them at once.
 *
 * Re-running a cell simply declares again: the latest run wins, as in a kernel.
 * Two more edits: the last expression statement becomes `return (…)` so the cell can show its value, and every
 * loop body starts with `$$wb.loop(line)` (guards.ts), which stops loops that never let the page breathe.
 */
import type { AnyNode, Pattern, Program, VariableDeclaration } from 'acorn';
import type { Edit } from './positions';

/** The runtime object's parameter name; names starting with it never resolve to the notebook scope. */
export const RUNTIME = '$$wb';

/** Why `import`/`export` fail in a cell, and what to write instead. */
export const NO_MODULES =
  'Cells cannot import or export. tf, Plot, display, progress and the lesson helpers are already in scope; for ' +
  "another module write `const m = await import('…')`, and every top-level name is shared with the cells below.";

/** How a name was declared: decides whether later cells may assign to it. */
export type DeclarationKind = 'var' | 'let' | 'const' | 'function' | 'class';

/** One top-level name a cell declares. */
export interface Declaration {
  name: string;
  kind: DeclarationKind;
}

/** The outcome: edits plus what the cell declares, or a construct cells cannot have (with its offset). */
export type RewriteResult =
  | {
      ok: true;
      /** The wrapper's first line: opens `with` and declares hoisted names. Its own line, so no column shifts. */
      prologue: string;
      edits: Edit[];
      declarations: Declaration[];
      identifiers: Set<string>;
      hasResult: boolean;
    }
  | { ok: false; message: string; offset: number };

type AnyNodeLike = AnyNode & { [key: string]: unknown };

const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);
const LOOPS = new Set(['ForStatement', 'ForInStatement', 'ForOfStatement', 'WhileStatement', 'DoWhileStatement']);

/** Calls `visit` on every node below `node`; `visit` returning false skips that node's children. */
export function walk(node: AnyNode, visit: (n: AnyNodeLike) => boolean | void): void {
  if (visit(node as AnyNodeLike) === false) return;
  for (const key of Object.keys(node)) {
    if (key === 'loc') continue;
    const value = (node as AnyNodeLike)[key];
    if (Array.isArray(value)) {
      for (const child of value) if (isNode(child)) walk(child, visit);
    } else if (isNode(value)) walk(value, visit);
  }
}

function isNode(value: unknown): value is AnyNode {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** The names a binding pattern introduces: `{ a, b: [c, ...d] = [] }` → a, c, d. */
export function patternNames(pattern: Pattern, into: string[] = []): string[] {
  switch (pattern.type) {
    case 'Identifier':
      into.push(pattern.name);
      break;
    case 'ObjectPattern':
      for (const p of pattern.properties)
        patternNames(p.type === 'RestElement' ? p.argument : (p.value as Pattern), into);
      break;
    case 'ArrayPattern':
      for (const el of pattern.elements) if (el) patternNames(el, into);
      break;
    case 'AssignmentPattern':
      patternNames(pattern.left, into);
      break;
    case 'RestElement':
      patternNames(pattern.argument, into);
      break;
    default:
      break; // MemberExpression: only in assignments, never in declarations
  }
  return into;
}

function declaredNames(decl: VariableDeclaration): string[] {
  const names: string[] = [];
  for (const d of decl.declarations) patternNames(d.id, names);
  return names;
}

/** `$$wb.def("const", { a, b })`: the object shorthand reads the local bindings right after they exist. */
function defCall(kind: DeclarationKind, names: readonly string[]): string {
  return `${RUNTIME}.def(${JSON.stringify(kind)}, { ${names.join(', ')} })`;
}

/** Computes the edits that make `program` (a parsed cell) a piece of the notebook. */
export function rewriteProgram(program: Program): RewriteResult {
  const edits: Edit[] = [];
  const declarations: Declaration[] = [];
  const hoisted: string[] = []; // var/let names: declared (undefined) in the prologue
  const functions: string[] = [];
  const identifiers = new Set<string>();

  // Every identifier (for lazy globals) and every loop (for guards), at any depth, including inside functions.
  walk(program, (node) => {
    if (node.type === 'Identifier') identifiers.add(node.name);
    if (LOOPS.has(node.type)) {
      const body = node.body as AnyNode;
      const guard = `${RUNTIME}.loop(${node.loc?.start.line ?? 0});`;
      if (body.type === 'BlockStatement') edits.push({ start: body.start + 1, end: body.start + 1, text: guard });
      else {
        edits.push({ start: body.start, end: body.start, text: `{${guard}` });
        edits.push({ start: body.end, end: body.end, text: '}' });
      }
    }
  });
  for (const name of identifiers) {
    if (name.startsWith(RUNTIME)) {
      return { ok: false, message: `Names starting with ${RUNTIME} are reserved for the workbook.`, offset: 0 };
    }
  }

  // `var` anywhere outside functions is function-scoped: it belongs to the notebook scope.
  walk(program, (node) => {
    if (FUNCTIONS.has(node.type) || node.type === 'StaticBlock') return false;
    if (node.type === 'VariableDeclaration' && node.kind === 'var') {
      for (const name of declaredNames(node)) if (!hoisted.includes(name)) hoisted.push(name);
    }
  });
  for (const name of hoisted) declarations.push({ name, kind: 'var' });

  for (const statement of program.body) {
    switch (statement.type) {
      case 'ImportDeclaration':
      case 'ExportNamedDeclaration':
      case 'ExportDefaultDeclaration':
      case 'ExportAllDeclaration':
        return { ok: false, offset: statement.start, message: NO_MODULES };
      case 'VariableDeclaration': {
        const names = declaredNames(statement);
        if (statement.kind === 'let') {
          edits.push({ start: statement.start, end: statement.start + 3, text: 'var' });
          for (const name of names) {
            if (!hoisted.includes(name)) hoisted.push(name);
            declarations.push({ name, kind: 'let' });
          }
        } else if (statement.kind === 'const') {
          edits.push({ start: statement.end, end: statement.end, text: `;${defCall('const', names)};` });
          for (const name of names) declarations.push({ name, kind: 'const' });
        }
        break;
      }
      case 'FunctionDeclaration':
        if (statement.id) {
          functions.push(statement.id.name);
          declarations.push({ name: statement.id.name, kind: 'function' });
        }
        break;
      case 'ClassDeclaration':
        if (statement.id) {
          edits.push({ start: statement.end, end: statement.end, text: `;${defCall('class', [statement.id.name])};` });
          declarations.push({ name: statement.id.name, kind: 'class' });
        }
        break;
      default:
        break;
    }
  }

  // The value of a final expression statement is the cell's result. A cell that is just `"text"` parses as a
  // directive (like "use strict"), but a learner means the string.
  const last = program.body[program.body.length - 1];
  let hasResult = false;
  if (last && last.type === 'ExpressionStatement' && last.directive !== 'use strict') {
    hasResult = true;
    edits.push({ start: last.expression.start, end: last.expression.start, text: 'return (' });
    edits.push({ start: last.expression.end, end: last.expression.end, text: ')' });
  }

  // Guard edits were pushed first: at a shared offset, an inner loop's closing "}" comes before an outer ")".
  const prologue = [
    `with (${RUNTIME}.scope) {`,
    hoisted.length ? `${RUNTIME}.decl(${JSON.stringify(hoisted)});` : '',
    functions.length ? `${defCall('function', functions)};` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return { ok: true, prologue, edits, declarations, identifiers, hasResult };
}
