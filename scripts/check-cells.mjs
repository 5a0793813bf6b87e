#!/usr/bin/env node
/**
 * `npm run check:cells`: type-checks every lesson cell the way it runs, inside its lesson's shared scope.
 *
 * A cell file alone is full of undeclared names: `tf` comes from the page, `model` from the cell above. So, per
 * lesson, in the order of the <Cell> tags in index.mdx, each cell's starter and then its solution is checked with
 * the globals of src/runtime/cell-globals.ts and, as declarations, the *solutions* of all earlier cells (the
 * learner may not have solved them, but the lesson must work when they have); `wb.check` holds the named checks of
 * the lesson's own checks.ts. Errors are printed as
 * `lessons/<lesson>/cells/<file>.ts:line:col - error TSxxxx: message` and make the command exit with 1.
 *
 * Usage: node scripts/check-cells.mjs [lessons-dir ...]   (default: lessons)
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import {
  CELL_COMPILER_OPTIONS,
  CELL_ENV_FILE,
  CELL_GLOBALS_MODULE,
  PRIOR_FILE,
  cachingHost,
  cellEnvSource,
  cellGlobalNames,
  lessonChecksModule,
} from './cell-env.mjs';
import { lessonCells } from './lesson-cells.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

/**
 * @typedef {object} CellDiagnostic
 * @property {string} file     absolute path of the cell file
 * @property {number} line     1-based
 * @property {number} column   1-based
 * @property {number} code     TypeScript's error code (2304: cannot find name, 2322: not assignable, …)
 * @property {string} message
 * @property {'starter' | 'solution'} role
 */

/**
 * Type-checks the cells of every lesson folder (a folder with an index.mdx) directly under `lessonsDir`.
 * Lesson folders without <Cell> tags are skipped.
 * @param {string} lessonsDir absolute path, e.g. <root>/lessons
 * @param {{ root?: string }} [options] project root that holds src/runtime/cell-globals.ts and node_modules
 * @returns {{ diagnostics: CellDiagnostic[], checked: number }} `checked`: how many cell files were checked
 */
export function checkLessons(lessonsDir, { root = ROOT } = {}) {
  const options = {
    ...CELL_COMPILER_OPTIONS,
    lib: ['lib.esnext.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts', 'lib.dom.asynciterable.d.ts'],
  };
  const { host, setVirtual } = cachingHost(ts, options);
  const globalsPath = join(root, CELL_GLOBALS_MODULE);
  const envPath = join(root, CELL_ENV_FILE);
  const priorPath = join(root, PRIOR_FILE);

  /** @type {import('typescript').Program | undefined} */
  let program;
  /** @type {string[]} */
  let names = [];

  /** @type {CellDiagnostic[]} */
  const diagnostics = [];
  let checked = 0;
  const lessons = readdirSync(lessonsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(lessonsDir, d.name, 'index.mdx')))
    .map((d) => join(lessonsDir, d.name))
    .sort();
  for (const lessonDir of lessons) {
    const cells = lessonCells(lessonDir);
    if (cells.length && !program) {
      // First program: just the globals module, to read its export names (and to parse tfjs's types once).
      program = ts.createProgram({ rootNames: [globalsPath], options, host });
      names = cellGlobalNames(ts, program, root);
    }
    // The lesson's own checks (lessons/NN-slug/checks.ts) are its `wb.check.<name>` members, and no other lesson's.
    const checks = lessonChecksModule(root, lessonDir);
    setVirtual(envPath, cellEnvSource(names, checks ? [checks] : []));
    for (const [i, cell] of cells.entries()) {
      // Earlier cells' solutions, each preceded by a comment that names it (handy when reading a stack of types).
      const prior = cells
        .slice(0, i)
        .map((c) => `// ${relative(root, c.solution)}\n${readFileSync(c.solution, 'utf8')}\n`)
        .join('\n');
      setVirtual(priorPath, prior);
      const roles = /** @type {const} */ (
        cell.starter === cell.solution
          ? [['solution', cell.solution]]
          : [
              ['starter', cell.starter],
              ['solution', cell.solution],
            ]
      );
      for (const [role, file] of roles) {
        program = ts.createProgram({ rootNames: [envPath, priorPath, file], options, host, oldProgram: program });
        const source = program.getSourceFile(file);
        if (!source) throw new Error(`could not read ${file}`);
        for (const d of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]) {
          const { line, character } = source.getLineAndCharacterOfPosition(d.start ?? 0);
          diagnostics.push({
            file,
            line: line + 1,
            column: character + 1,
            code: d.code,
            message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
            role,
          });
        }
        checked++;
      }
    }
  }
  return { diagnostics, checked };
}

/**
 * One diagnostic as `path:line:col - error TSxxxx: message`, the format editors and CI turn into links.
 * @param {CellDiagnostic} d
 * @param {string} [cwd]
 */
export function formatDiagnostic(d, cwd = process.cwd()) {
  return `${relative(cwd, d.file)}:${d.line}:${d.column} - error TS${d.code}: ${d.message}`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dirs = process.argv.slice(2);
  const started = performance.now();
  let failed = 0;
  let checked = 0;
  for (const dir of dirs.length ? dirs : [join(ROOT, 'lessons')]) {
    const result = checkLessons(resolve(dir));
    checked += result.checked;
    for (const d of result.diagnostics) console.error(formatDiagnostic(d));
    failed += result.diagnostics.length;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`check:cells: ${checked} cell files, ${failed} error${failed === 1 ? '' : 's'} (${seconds} s)`);
  process.exitCode = failed ? 1 : 0;
}
