/**
 * The house rules of the source tree, as a test: which folder may import which. They keep the layers honest —
 * src/ml is the engine and runs in Node (no DOM, no page, no build scripts), src/runtime is the cell machinery and
 * knows nothing of the workbook or Astro, src/platform adapts the outside world to src/ml — so that a rule broken
 * by a hurried import fails here, with the file and the import, instead of in a review months later.
 *
 * Imports are read from the syntax tree (TypeScript's parser), so an import in a comment or a string never counts,
 * and `import type` is told apart from an import that pulls code in.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** One import of a file: what it names, resolved to a path from the repository root when it is relative. */
interface Import {
  file: string;
  specifier: string;
  /** The module it reaches, from the root ("src/ml/train") for a relative import, else the bare specifier. */
  target: string;
  /** `import type …` / `export type … from`: erased at build time, pulls no code in. */
  typeOnly: boolean;
}

/** Every .ts/.mts/.mjs/.js file under a folder, relative to the root. */
function sourceFiles(folder: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(ROOT, folder), { withFileTypes: true })) {
    const rel = `${folder}/${entry.name}`;
    if (entry.isDirectory()) out.push(...sourceFiles(rel));
    else if (/\.(m?ts|m?js)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

/** The imports of one file: static imports and re-exports, and dynamic `import('…')` calls. */
function importsOf(file: string): Import[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Import[] = [];
  const add = (specifier: string, typeOnly: boolean) => {
    const target = specifier.startsWith('.')
      ? path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier))
      : specifier;
    found.push({ file, specifier, target, typeOnly });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      // `import type {…}` or `import { type A, type B }` with nothing else: erased.
      const allTypes =
        !!clause &&
        (clause.isTypeOnly ||
          (!clause.name &&
            !!clause.namedBindings &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier.text, allTypes);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.isTypeOnly);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      add(node.arguments[0].text, false);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      add(node.argument.literal.text, true); // `typeof import('…')` in a type
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Identifiers of a file used as values (not property names, not in comments or strings). */
function globalsUsed(file: string, names: ReadonlySet<string>): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const used: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node) && names.has(node.text)) {
      const parent = node.parent;
      const isPropertyName =
        (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
        ts.isPropertyAssignment(parent) ||
        ts.isPropertySignature(parent);
      if (!isPropertyName)
        used.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1} ${node.text}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return used;
}

/** Imports that break a rule, as "file → specifier" lines (empty when the rule holds). */
function breaking(files: string[], bad: (i: Import) => boolean): string[] {
  return files
    .flatMap(importsOf)
    .filter(bad)
    .map((i) => `${i.file} → ${i.specifier}`);
}

const under = (target: string, folder: string) => target === folder || target.startsWith(`${folder}/`);
const isAstro = (i: Import) =>
  i.target === 'astro' ||
  i.target.startsWith('astro:') ||
  i.target.startsWith('@astrojs/') ||
  i.target.endsWith('.astro');

describe('house rules: who may import what', () => {
  const ml = sourceFiles('src/ml');
  const runtime = sourceFiles('src/runtime');
  const platform = sourceFiles('src/platform');
  const workbook = sourceFiles('src/workbook');

  it('finds the files and their imports (the rules below are not vacuous)', () => {
    expect(ml.length).toBeGreaterThan(10);
    expect(runtime.length).toBeGreaterThan(10);
    expect(importsOf('src/ml/train.ts').some((i) => i.target === 'src/ml/surgery')).toBe(true);
    // A type-only import is recognised as one: the facade imports tf's types only.
    expect(importsOf('src/workbook/index.ts').some((i) => i.typeOnly)).toBe(true);
  });

  it('src/ml (the engine) imports no page code, no platform adapter, no build script and no Astro', () => {
    const bad = breaking(
      ml,
      (i) =>
        ['src/platform', 'src/workbook', 'src/runtime', 'src/pages', 'src/components', 'src/site', 'scripts'].some(
          (f) => under(i.target, f),
        ) ||
        isAstro(i) ||
        i.target.startsWith('node:'),
    );
    expect(bad).toEqual([]);
  });

  it('src/ml uses no DOM (it runs in Node tests exactly as in the page)', () => {
    const dom = new Set([
      'document',
      'window',
      'HTMLElement',
      'HTMLCanvasElement',
      'localStorage',
      'sessionStorage',
      'location',
    ]);
    expect(ml.flatMap((f) => globalsUsed(f, dom))).toEqual([]);
  });

  it('src/runtime (the cell machinery) pulls in no workbook code and no Astro', () => {
    expect(
      breaking(
        runtime,
        (i) =>
          (under(i.target, 'src/workbook') && !i.typeOnly) ||
          isAstro(i) ||
          under(i.target, 'src/pages') ||
          under(i.target, 'src/components'),
      ),
    ).toEqual([]);
  });

  it('src/platform (adapters for src/ml) knows nothing of the workbook, the runtime or the pages', () => {
    expect(
      breaking(
        platform,
        (i) =>
          ['src/workbook', 'src/runtime', 'src/pages', 'src/components', 'scripts'].some((f) => under(i.target, f)) ||
          isAstro(i),
      ),
    ).toEqual([]);
  });

  it('src/workbook (the facade) wires the engine to the page without Astro or page components', () => {
    expect(
      breaking(workbook, (i) => isAstro(i) || under(i.target, 'src/pages') || under(i.target, 'src/components')),
    ).toEqual([]);
  });

  it('the rules catch a broken import (checked on a file written to break them)', () => {
    const imports = (code: string) => {
      const source = ts.createSourceFile('x.ts', code, ts.ScriptTarget.Latest, true);
      return source.statements.filter(ts.isImportDeclaration).length;
    };
    // The parser sees an import in code and none in a comment: what the rules above rely on.
    expect(imports("import { train } from '../ml/train';")).toBe(1);
    expect(imports("// import { train } from '../ml/train';")).toBe(0);
  });
});
