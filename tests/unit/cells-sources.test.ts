/**
 * Where a <Cell>'s code comes from (src/site/cell-sources.ts), decided at build time: paths relative to the lesson
 * folder, the id convention, inline code — and a build-stopping error naming the lesson and path when a file is
 * missing.
 */
import { describe, expect, test } from 'vitest';
import { isCodePath, resolveCellSources } from '../../src/site/cell-sources';

const files = {
  '/lessons/03-a-new-head/cells/head.starter.ts': 'starter',
  '/lessons/03-a-new-head/cells/head.solution.ts': 'solution',
  '/lessons/03-a-new-head/cells/load.solution.ts': 'demo',
  '/lessons/03-a-new-head/cells/plain.ts': 'plain',
  '/lessons/01-what-the-network-knows/cells/x.ts': 'other lesson',
};
const page = '/lessons/a-new-head/';

describe('resolveCellSources', () => {
  test('src and solution paths resolve in the lesson folder found from the page URL', () => {
    expect(
      resolveCellSources(
        { id: 'head', src: './cells/head.starter.ts', solution: './cells/head.solution.ts' },
        page,
        files,
      ),
    ).toEqual({ code: 'starter', solution: 'solution', folder: '03-a-new-head', storageKey: 'a-new-head' });
    expect(resolveCellSources({ id: 'head', starter: 'cells/head.starter.ts' }, page, files)).toMatchObject({
      code: 'starter',
      solution: null,
    });
  });

  test('<Cell id> alone finds cells/<id>.starter.ts, cells/<id>.ts and cells/<id>.solution.ts', () => {
    expect(resolveCellSources({ id: 'head' }, page, files)).toMatchObject({ code: 'starter', solution: 'solution' });
    expect(resolveCellSources({ id: 'plain' }, page, files)).toMatchObject({ code: 'plain', solution: null });
    // Only a solution: the learner runs it as it is, and there is nothing to compare with.
    expect(resolveCellSources({ id: 'load' }, page, files)).toMatchObject({ code: 'demo', solution: null });
  });

  test('inline code (an ?raw import) is used as is', () => {
    expect(
      resolveCellSources({ id: 'c', src: 'const x = 1;\nx', solution: 'const x = 2;\nx' }, '/dev/cells/', {}),
    ).toMatchObject({ code: 'const x = 1;\nx', solution: 'const x = 2;\nx', storageKey: '/dev/cells/' });
    expect(isCodePath('./cells/a.ts')).toBe(true);
    expect(isCodePath('const a = "b.ts"')).toBe(false);
  });

  test('a missing file fails with the lesson, the cell and the path it looked for', () => {
    expect(() => resolveCellSources({ id: 'freeze', src: './cells/freeze.ts' }, page, files)).toThrow(
      'lessons/03-a-new-head/index.mdx: <Cell id="freeze">: src="./cells/freeze.ts" does not exist (looked for lessons/03-a-new-head/cells/freeze.ts)',
    );
    expect(() => resolveCellSources({ id: 'nothing' }, page, files)).toThrow(
      /<Cell id="nothing">: no code.*cells\/nothing\.starter\.ts/,
    );
    expect(() => resolveCellSources({ id: 'x', src: './cells/x.ts' }, '/about/', files)).toThrow(/not a lesson/);
    expect(() => resolveCellSources({ id: 'bad id' }, page, files)).toThrow(/letters, digits/);
  });
});
