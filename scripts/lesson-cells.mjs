/**
 * Finds a lesson's cells, in page order, from the <Cell> tags of its index.mdx.
 *
 * Cells share one scope, so their order is part of their meaning: a cell may use what an earlier cell declared.
 * The order is the order of the <Cell> tags in the MDX, so that is what we read. A tag names its code in any of
 * three ways, all resolved relative to the lesson folder:
 *
 *   <Cell id="head" />                                     → cells/head.starter.ts (or cells/head.ts) and/or
 *                                                            cells/head.solution.ts
 *   <Cell starter="./cells/head.starter.ts" solution="./cells/head.solution.ts" />
 *   import headStarter from './cells/head.starter.ts?raw';   …   <Cell starter={headStarter} … />
 *
 * An attribute whose name contains "solution" is the solution; any other attribute that names a .ts file is the
 * starter. A cell with only one file uses it as both (a demonstration cell the learner only runs).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, normalize, relative } from 'node:path';

/**
 * @typedef {object} LessonCell
 * @property {string} id         the tag's id (or the starter's file name without extension)
 * @property {number} line       1-based line of the <Cell> tag in index.mdx, for error messages
 * @property {string} starter    absolute path of the code the learner starts from
 * @property {string} solution   absolute path of the reference solution (= starter when the cell has only one)
 * @property {Record<string, string>} attributes  the tag's attributes as written (an imported name resolved to its path)
 */

/** `<Cell` then attributes up to `>` or `/>`; attribute values may be "…", '…' or {…} without nested braces. */
const CELL_TAG = /<Cell\b((?:\s+[\w:-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|\{[^{}]*\}))?)*)\s*\/?>/g;
const ATTRIBUTE = /([\w:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|\{([^{}]*)\}))?/g;
/** `import name from './cells/x.ts?raw'` (with or without a query). */
const IMPORT = /^\s*import\s+(\w+)\s+from\s+['"]([^'"]+)['"]/gm;

/**
 * Reads lessons/<folder>/index.mdx and returns its cells in page order.
 * Throws, naming the file and line, when a tag's code file is missing, so a typo fails the check instead of
 * silently skipping a cell.
 * @param {string} lessonDir absolute path of the lesson folder
 * @returns {LessonCell[]}
 */
export function lessonCells(lessonDir) {
  const mdxPath = join(lessonDir, 'index.mdx');
  const mdx = maskProse(readFileSync(mdxPath, 'utf8'));
  /** @type {Map<string, string>} */
  const imports = new Map();
  for (const m of mdx.matchAll(IMPORT))
    imports.set(/** @type {string} */ (m[1]), stripQuery(/** @type {string} */ (m[2])));

  /** @type {LessonCell[]} */
  const cells = [];
  for (const tag of mdx.matchAll(CELL_TAG)) {
    const line = mdx.slice(0, tag.index).split('\n').length;
    const where = `${relative(process.cwd(), mdxPath)}:${line}`;
    /** @type {Record<string, string>} */
    const attrs = {};
    for (const a of (tag[1] ?? '').matchAll(ATTRIBUTE)) {
      const name = /** @type {string} */ (a[1]);
      const expression = a[4]?.trim();
      attrs[name] = a[2] ?? a[3] ?? (expression !== undefined ? (imports.get(expression) ?? `{${expression}}`) : '');
    }
    let starter;
    let solution;
    for (const [name, value] of Object.entries(attrs)) {
      if (!/\.ts$/.test(value)) continue;
      if (/solution/i.test(name)) solution = value;
      else starter ??= value;
    }
    const id =
      attrs.id ??
      attrs.name ??
      (starter ?? solution ?? '').replace(/^.*\//, '').replace(/(\.starter|\.solution)?\.ts$/, '');
    if (!starter && !solution && id) {
      const byConvention = (/** @type {string} */ kind) => `./cells/${id}.${kind}.ts`;
      if (existsSync(join(lessonDir, byConvention('starter')))) starter = byConvention('starter');
      else if (existsSync(join(lessonDir, `./cells/${id}.ts`))) starter = `./cells/${id}.ts`;
      if (existsSync(join(lessonDir, byConvention('solution')))) solution = byConvention('solution');
    }
    if (!starter && !solution) {
      throw new Error(
        `${where}: <Cell> names no code file (expected cells/${id || '<id>'}.starter.ts, .ts or .solution.ts)`,
      );
    }
    const resolved = (/** @type {string} */ file) => {
      const path = normalize(join(lessonDir, file));
      if (!existsSync(path)) throw new Error(`${where}: <Cell> names ${file}, which does not exist`);
      return path;
    };
    const starterPath = resolved(/** @type {string} */ (starter ?? solution));
    cells.push({
      id,
      line,
      starter: starterPath,
      solution: solution ? resolved(solution) : starterPath,
      attributes: attrs,
    });
  }
  return cells;
}

/**
 * Blanks out the frontmatter, fenced code, inline code and MDX comments — places where "<Cell" is text, not a
 * tag — keeping every newline so that line numbers stay right.
 * @param {string} mdx
 */
function maskProse(mdx) {
  const blank = (/** @type {string} */ s) => s.replace(/[^\n]/g, ' ');
  return mdx
    .replace(/^---\n[\s\S]*?\n---\n/, blank)
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, blank)
    .replace(/\{\/\*[\s\S]*?\*\/\}/g, blank)
    .replace(/`[^`\n]*`/g, blank);
}

/** './cells/a.ts?raw' → './cells/a.ts' */
function stripQuery(/** @type {string} */ specifier) {
  return specifier.replace(/\?.*$/, '');
}
