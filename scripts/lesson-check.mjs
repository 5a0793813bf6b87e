#!/usr/bin/env node
/**
 * The lesson check: what makes a lesson *teachable*, checked before every build (the Astro integration below) and by
 * `npm run check:lessons`. Type errors are check-cells.mjs's business; this file checks the shape of the exercises:
 *
 * - every <Cell> names code files that exist (lesson-cells.mjs reports the file and line of a missing one);
 * - two cells of a page never share an id (their saved edits would overwrite each other);
 * - an exercise's solution differs from its starter (identical files would be an exercise with nothing to do:
 *   a cell the learner only runs has a solution file and no starter);
 * - every exercise — a cell whose starter and solution differ — has a check, so a learner learns whether their
 *   answer is right. A check is attached in one of two ways:
 *     1. the solution calls a check: any call of `wb.check(…)` or `wb.check.<name>(…)` (found in the syntax tree,
 *        so a check in a comment or a string does not count);
 *     2. the tag names a check cell: `<Cell id="head" check="head-check" />`, where head-check is a later cell of
 *        the same page whose solution calls a check (for an exercise whose check needs the cells after it).
 * - every <Fig of="…"> of the prose names a figure of the lesson's record.json (scripts/record-figures.mjs).
 *
 * Usage: node scripts/lesson-check.mjs [lessons-dir ...]   (default: lessons). Exits with 1 when a lesson has a problem.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { lessonCells } from './lesson-cells.mjs';
import { figureProblems } from './record-figures.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

/**
 * True when `code` calls `wb.check` or one of its named checks.
 * @param {string} code TypeScript source of a cell
 * @param {string} [fileName]
 * @returns {boolean}
 */
export function callsCheck(code, fileName = 'cell.ts') {
  // Parsed as a module, as cells run: top-level `await (wb.check).x()` is then an await, not a call of `await`.
  const source = ts.createSourceFile(
    fileName,
    code,
    {
      languageVersion: ts.ScriptTarget.ESNext,
      setExternalModuleIndicator: (file) => Object.assign(file, { externalModuleIndicator: true }),
    },
    false,
    ts.ScriptKind.TS,
  );
  /** `wb.check`, `wb.check.x`, `wb.check['x']`, `wb?.check.x`: walk the callee down to `wb.check`. */
  const rootedAtCheck = (/** @type {import('typescript').Expression} */ node) => {
    let expr = node;
    for (;;) {
      while (ts.isParenthesizedExpression(expr) || ts.isNonNullExpression(expr)) expr = expr.expression;
      if (ts.isPropertyAccessExpression(expr)) {
        if (expr.name.text === 'check' && ts.isIdentifier(expr.expression) && expr.expression.text === 'wb')
          return true;
        expr = expr.expression;
      } else if (ts.isElementAccessExpression(expr)) expr = expr.expression;
      else return false;
    }
  };
  let found = false;
  const visit = (/** @type {import('typescript').Node} */ node) => {
    if (found) return;
    if (ts.isCallExpression(node) && rootedAtCheck(node.expression)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/**
 * @typedef {object} LessonProblem
 * @property {string} file     where to fix it (index.mdx with its line, or a cell file)
 * @property {string} message
 */

/**
 * Checks one lesson folder.
 * @param {string} lessonDir absolute path of a folder with an index.mdx
 * @param {string} [root] paths in messages are relative to this
 * @returns {LessonProblem[]}
 */
export function checkLesson(lessonDir, root = ROOT) {
  const mdx = relative(root, join(lessonDir, 'index.mdx'));
  let cells;
  try {
    cells = lessonCells(lessonDir);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return [{ file: mdx, message: message.replace(/^[^:]*index\.mdx:\d+: /, '') }];
  }
  /** @type {LessonProblem[]} */
  const problems = [];
  const where = (/** @type {{ line: number }} */ cell) => `${mdx}:${cell.line}`;
  const text = (/** @type {string} */ path) => readFileSync(path, 'utf8');
  const seen = new Map();
  for (const [i, cell] of cells.entries()) {
    if (seen.has(cell.id)) {
      problems.push({
        file: where(cell),
        message: `two cells have the id "${cell.id}" (the other is on line ${seen.get(cell.id)}): their saved edits would collide`,
      });
    }
    seen.set(cell.id, cell.line);
    const exercise = cell.starter !== cell.solution;
    const checkId = cell.attributes?.check;
    if (exercise && text(cell.starter).trim() === text(cell.solution).trim()) {
      problems.push({
        file: where(cell),
        message: `cell "${cell.id}": its solution equals its starter (${relative(root, cell.solution)}); put the TODO in the starter, or keep only the solution for a cell the learner just runs`,
      });
      continue;
    }
    if (checkId !== undefined) {
      const target = cells.findIndex((c) => c.id === checkId);
      if (target < 0)
        problems.push({
          file: where(cell),
          message: `cell "${cell.id}": check="${checkId}" names no cell of this page`,
        });
      else if (target <= i)
        problems.push({
          file: where(cell),
          message: `cell "${cell.id}": its check cell "${checkId}" must come after it (it checks what this cell made)`,
        });
      else if (!callsCheck(text(cells[target].solution))) {
        problems.push({
          file: where(cell),
          message: `cell "${cell.id}": its check cell "${checkId}" calls no wb.check… (${relative(root, cells[target].solution)})`,
        });
      }
      continue;
    }
    if (exercise && !callsCheck(text(cell.solution), cell.solution)) {
      problems.push({
        file: where(cell),
        message: `exercise "${cell.id}" has no check: call one of the wb.check… functions in ${relative(root, cell.solution)}, or name a later check cell with check="<cell id>"`,
      });
    }
  }
  // Every <Fig> of the prose names a figure its record.json holds (scripts/record-figures.mjs).
  problems.push(...figureProblems(lessonDir, mdx));
  return problems;
}

/**
 * Checks every lesson folder (a folder with an index.mdx) directly under `lessonsDir`.
 * @param {string} lessonsDir
 * @param {string} [root]
 * @returns {{ problems: LessonProblem[], lessons: number, cells: number }}
 */
export function checkLessons(lessonsDir, root = ROOT) {
  const folders = readdirSync(lessonsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(lessonsDir, d.name, 'index.mdx')))
    .map((d) => join(lessonsDir, d.name))
    .sort();
  const problems = folders.flatMap((dir) => checkLesson(dir, root));
  const cells = folders.reduce((n, dir) => {
    try {
      return n + lessonCells(dir).length;
    } catch {
      return n;
    }
  }, 0);
  return { problems, lessons: folders.length, cells };
}

/** Formats problems, one per line. @param {LessonProblem[]} problems */
export function formatProblems(problems) {
  return problems.map((p) => `${p.file}: ${p.message}`).join('\n');
}

/**
 * The Astro integration: runs the lesson check when the build starts and fails the build on a problem (in `astro
 * dev` it only warns, so a half-written lesson can still be previewed).
 * @param {{ lessonsDir?: string }} [options]
 * @returns {import('astro').AstroIntegration}
 */
export function lessonCheckIntegration({ lessonsDir = join(ROOT, 'lessons') } = {}) {
  return {
    name: 'workbook:lesson-check',
    hooks: {
      'astro:config:setup': ({ command, logger }) => {
        const { problems, lessons, cells } = checkLessons(lessonsDir);
        if (problems.length === 0) {
          logger.info(`${lessons} lessons, ${cells} cells: every cell has its files, every exercise a check`);
          return;
        }
        const report = formatProblems(problems);
        if (command === 'build')
          throw new Error(
            `The lesson check found ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${report}`,
          );
        logger.warn(`The lesson check found problems (the build will fail on them):\n${report}`);
      },
    },
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dirs = process.argv.slice(2);
  const result = (dirs.length ? dirs : ['lessons']).map((d) => checkLessons(resolve(d)));
  const problems = result.flatMap((r) => r.problems);
  const cells = result.reduce((n, r) => n + r.cells, 0);
  if (problems.length) console.error(formatProblems(problems));
  console.log(`check:lessons: ${cells} cells, ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
  process.exit(problems.length ? 1 : 0);
}
