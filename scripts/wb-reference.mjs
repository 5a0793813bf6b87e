/**
 * The `wb` reference, read from the source so it cannot drift: every member of the facade a cell sees, with the
 * first line of its doc comment, its `@example` one-liner and its signature, grouped by the top-level member's
 * `@group` tag (load, photos, look, build, train, evaluate, compare, save, check).
 *
 * It asks the real TypeScript compiler for the type of the `wb` global exactly as the cells get it: the program of
 * src/runtime/cell-globals.ts plus the generated cell-env.d.ts with every lesson's checks.ts (scripts/cell-env.mjs),
 * so `wb.check` lists every lesson's named checks. The site's reference page (src/pages/reference.astro) renders
 * it at build time; tests/unit/wb-reference.test.ts fails when a member has no doc or no example, and checks that
 * the editor's hover (Monaco, fed by scripts/cell-types-bundle.mjs) shows the same text.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import {
  CELL_COMPILER_OPTIONS,
  CELL_ENV_FILE,
  CELL_GLOBALS_MODULE,
  allLessonChecksModules,
  cachingHost,
  cellEnvSource,
  cellGlobalNames,
} from './cell-env.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** The groups, in the order a learner meets them (src/workbook/index.ts says what goes where). */
export const WB_GROUPS = ['load', 'photos', 'look', 'build', 'train', 'evaluate', 'compare', 'save', 'check'];

/**
 * @typedef {object} WbMember
 * @property {string} path       "wb.photos.mixed"
 * @property {string} group      the top-level member's group tag
 * @property {string} doc        the whole doc comment (what the editor shows on hover)
 * @property {string} summary    its first paragraph, on one line: first what the member returns
 * @property {string} example    the example one-liner ("" when there is none)
 * @property {string} signature  the member's type, as the editor prints it
 * @property {number} depth      0 for wb.x, 1 for wb.x.y
 * @property {string[]} lessons  the lesson folders whose solution cells call it ("04-a-new-head")
 * @property {string} lessonLine the first such call, trimmed: the example of a lesson's named check
 */

/**
 * The solution cells of every lesson, as [lesson folder, line] pairs: where the course itself uses `wb`.
 * @param {string} root
 * @returns {[string, string][]}
 */
function solutionLines(root) {
  const dir = join(root, 'lessons');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'cells')))
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((d) =>
      readdirSync(join(dir, d.name, 'cells'))
        .filter((f) => /\.solution\.ts$|^[^.]+\.ts$/.test(f))
        .sort()
        .flatMap((f) =>
          readFileSync(join(dir, d.name, 'cells', f), 'utf8')
            .split('\n')
            .filter((line) => !/^\s*\/\//.test(line))
            .map((line) => /** @type {[string, string]} */ ([d.name, line.trim()])),
        ),
    );
}

/** The text of a JSDoc tag, whatever TypeScript version shaped it. */
const tagText = (tag) => (Array.isArray(tag.text) ? ts.displayPartsToString(tag.text) : (tag.text ?? '')).trim();

/** Whether a symbol is declared in the project (not in TypeScript's lib or a package). */
const isProjectSymbol = (symbol) =>
  (symbol.declarations ?? []).some((d) => !/[\\/]node_modules[\\/]/.test(d.getSourceFile().fileName));

/**
 * Every member of `wb`, depth first in declaration order.
 * @param {string} [root] project root
 * @returns {WbMember[]}
 */
export function wbReference(root = ROOT) {
  const options = { ...CELL_COMPILER_OPTIONS, noEmit: true, lib: ['lib.esnext.d.ts', 'lib.dom.d.ts'] };
  const { host, setVirtual } = cachingHost(ts, options);
  const globalsPath = join(root, CELL_GLOBALS_MODULE);
  const checksModules = allLessonChecksModules(root);
  const first = ts.createProgram({ rootNames: [globalsPath], options, host });
  const envPath = join(root, CELL_ENV_FILE);
  setVirtual(envPath, cellEnvSource(cellGlobalNames(ts, first, root), checksModules));
  const program = ts.createProgram({
    rootNames: [globalsPath, envPath, ...checksModules.map((m) => join(root, m))],
    options,
    host,
    oldProgram: first,
  });
  const checker = program.getTypeChecker();
  const globals = program.getSourceFile(globalsPath);
  const moduleSymbol = globals && checker.getSymbolAtLocation(globals);
  const wb = moduleSymbol && checker.getExportsOfModule(moduleSymbol).find((s) => s.name === 'wb');
  if (!wb) throw new Error(`${CELL_GLOBALS_MODULE} exports no wb`);
  const wbType = checker.getTypeOfSymbolAtLocation(wb, globals);

  const lines = solutionLines(root);
  /** @type {WbMember[]} */
  const members = [];
  const walk = (type, prefix, group, depth) => {
    for (const symbol of checker.getPropertiesOfType(type)) {
      if (!isProjectSymbol(symbol)) continue; // Function.prototype's members, an array's length …
      const declaration = symbol.valueDeclaration ?? symbol.declarations?.[0];
      const memberType = checker.getTypeOfSymbolAtLocation(symbol, declaration ?? globals);
      const tags = symbol.getJsDocTags(checker);
      const doc = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
      const ownGroup = depth === 0 ? tagText(tags.find((t) => t.name === 'group') ?? { text: '' }) : group;
      const path = `${prefix}.${symbol.name}`;
      const call = new RegExp(`\\b${path.replace(/\./g, '\\.')}\\b(?!\\.)`);
      const uses = lines.filter(([, line]) => call.test(line));
      members.push({
        path,
        group: ownGroup,
        doc,
        summary: (doc.split(/\n\s*\n/)[0] ?? '').replace(/\s+/g, ' ').trim(),
        example: tagText(tags.find((t) => t.name === 'example') ?? { text: '' }),
        signature: checker.typeToString(memberType, declaration, ts.TypeFormatFlags.NoTruncation),
        depth,
        lessons: [...new Set(uses.map(([lesson]) => lesson))],
        lessonLine: (uses.find(([, line]) => line.includes(`${path}(`)) ?? uses[0])?.[1] ?? '',
      });
      if (isGroup(memberType)) walk(memberType, path, ownGroup, depth + 1);
    }
  };
  /** A group is an object of the project's own members (wb.photos, wb.check), not an array or a DOM type. */
  const isGroup = (type) =>
    !checker.isArrayType(type) &&
    !checker.isTupleType(type) &&
    checker.getPropertiesOfType(type).some(isProjectSymbol) &&
    checker.getPropertiesOfType(type).every((p) => isProjectSymbol(p) || type.getCallSignatures().length > 0);
  walk(wbType, 'wb', '', 0);
  return members;
}

/**
 * The members by group, in WB_GROUPS order (members with an unknown group last, under their own name).
 * @param {WbMember[]} members
 * @returns {{ group: string, members: WbMember[] }[]}
 */
export function groupMembers(members) {
  const names = [...WB_GROUPS, ...new Set(members.map((m) => m.group).filter((g) => !WB_GROUPS.includes(g)))];
  return names.map((group) => ({ group, members: members.filter((m) => m.group === group) }));
}

/**
 * What is wrong with the reference, one line each: a member with no doc comment, no `@example` (a lesson's named
 * check may instead be called in a lesson's solution), or a top-level member with no known `@group`. Empty when the
 * reference is complete.
 * @param {WbMember[]} members
 * @returns {string[]}
 */
export function referenceProblems(members) {
  const isNamedCheck = (m) => m.path.startsWith('wb.check.');
  return members.flatMap((m) => [
    ...(m.doc ? [] : [`${m.path} has no doc comment (its first line says what it returns)`]),
    ...(m.example || (isNamedCheck(m) && m.lessonLine) ? [] : [`${m.path} has no @example one-liner`]),
    ...(m.depth === 0 && !WB_GROUPS.includes(m.group)
      ? [`${m.path} has no @group tag of ${WB_GROUPS.join(', ')} (it says "${m.group}")`]
      : []),
  ]);
}
