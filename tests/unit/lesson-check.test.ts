/**
 * The build-time lesson check (scripts/lesson-check.mjs) on the fixture lessons in tests/fixtures/lesson-check:
 * 01-ok passes; every cell of 02-problems breaks one rule and is reported at its tag's line; 03-missing-file
 * names the file that is missing. And the check-call detection reads the syntax, not the text.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  callsCheck,
  checkLesson,
  checkLessons,
  formatProblems,
  lessonCheckIntegration,
} from '../../scripts/lesson-check.mjs';

const FIXTURES = resolve('tests/fixtures/lesson-check');
const ROOT = resolve('.');

describe('lesson check', () => {
  it('passes a lesson whose exercises are checked in their solution or by a later check cell', () => {
    expect(checkLesson(resolve(FIXTURES, '01-ok'), ROOT)).toEqual([]);
  });

  it('reports each broken rule at the line of its <Cell> tag', () => {
    const lines = formatProblems(checkLesson(resolve(FIXTURES, '02-problems'), ROOT)).split('\n');
    const mdx = 'tests/fixtures/lesson-check/02-problems/index.mdx';
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^${mdx}:8: cell "same": its solution equals its starter`)),
      expect.stringMatching(new RegExp(`^${mdx}:10: exercise "unchecked" has no check: call one of the wb.check`)),
      `${mdx}:12: cell "points-nowhere": check="no-such-cell" names no cell of this page`,
      expect.stringMatching(new RegExp(`^${mdx}:16: cell "points-back": its check cell "checker" must come after it`)),
      expect.stringMatching(new RegExp(`^${mdx}:18: cell "checks-nothing": its check cell "silent" calls no wb.check`)),
      `${mdx}:22: two cells have the id "checker" (the other is on line 14): their saved edits would collide`,
    ]);
  });

  it('names the missing file of a cell', () => {
    const [problem, ...rest] = checkLesson(resolve(FIXTURES, '03-missing-file'), ROOT);
    expect(rest).toEqual([]);
    expect(problem!.file).toBe('tests/fixtures/lesson-check/03-missing-file/index.mdx');
    expect(problem!.message).toMatch(/expected cells\/gone\.starter\.ts/);
  });

  it('counts lessons and cells over a folder', () => {
    const { lessons, problems } = checkLessons(FIXTURES, ROOT);
    expect(lessons).toBe(3);
    expect(problems).toHaveLength(7);
  });

  it('finds a check call in the syntax tree, not in comments or strings', () => {
    expect(callsCheck('await wb.check.headOutputs(model);')).toBe(true);
    expect(callsCheck('await wb.check(x > 1, "ok", "not yet");')).toBe(true);
    expect(callsCheck('const r = await (wb.check)["cutPoint"](base, "x");')).toBe(true);
    expect(callsCheck('function f() { return wb.check.modelSize(m, a); }')).toBe(true);
    expect(callsCheck('// wb.check.headOutputs(model)\nconsole.log("wb.check(1)");')).toBe(false);
    expect(callsCheck('const check = wb.check;')).toBe(false);
    expect(callsCheck('await other.check.headOutputs(model);')).toBe(false);
  });

  it('fails `astro build` (and only warns in `astro dev`) through its integration hook', () => {
    const messages: string[] = [];
    const logger = { info: (m: string) => messages.push(`info ${m}`), warn: (m: string) => messages.push(`warn ${m}`) };
    type Setup = (options: { command: string; logger: typeof logger }) => void;
    const setup = (dir: string) =>
      lessonCheckIntegration({ lessonsDir: resolve(FIXTURES, dir) }).hooks['astro:config:setup'] as unknown as Setup;
    expect(() => setup('.')({ command: 'build', logger })).toThrow(
      /^The lesson check found 7 problems:\n.*02-problems\/index\.mdx:8: cell "same"/,
    );
    setup('.')({ command: 'dev', logger });
    expect(messages.at(-1)).toMatch(/^warn The lesson check found problems/);
  });

  it('passes the course lessons', () => {
    const { problems } = checkLessons(resolve('lessons'), ROOT);
    expect(formatProblems(problems)).toBe('');
  });
});
