/**
 * The cell type-check (scripts/check-cells.mjs) on the fixture lessons in tests/fixtures/cell-lessons:
 * 01-good's cells use each other's declarations, the page globals and all three ways of naming a cell's code,
 * and must pass; 02-broken's second cell must fail at the right file, line and column.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLessons, formatDiagnostic } from '../../scripts/check-cells.mjs';
import { lessonCells } from '../../scripts/lesson-cells.mjs';

const FIXTURES = resolve('tests/fixtures/cell-lessons');

describe('check-cells', () => {
  let result: ReturnType<typeof checkLessons>;
  beforeAll(() => {
    result = checkLessons(FIXTURES);
  });

  it('checks every starter and solution, in page order', () => {
    // 01-good: base (one file), head (starter+solution), plot (starter+solution); 02-broken: rate (one), epochs (two).
    expect(result.checked).toBe(8);
    const cells = lessonCells(join(FIXTURES, '01-good'));
    expect(cells.map((c) => c.id)).toEqual(['base', 'head', 'plot']);
    expect(relative(FIXTURES, cells[2]!.starter)).toBe('01-good/cells/plot.starter.ts');
    expect(cells[0]!.starter).toBe(cells[0]!.solution);
  });

  it('passes cells that use globals and earlier cells, and lets a cell shadow an earlier name', () => {
    const good = result.diagnostics.filter((d) => d.file.includes('01-good'));
    expect(good.map((d) => formatDiagnostic(d))).toEqual([]);
  });

  it('reports an undeclared name and a wrong type at the cell file, line and column', () => {
    const broken = result.diagnostics.map((d) => formatDiagnostic(d, FIXTURES));
    expect(broken).toHaveLength(2);
    expect(broken[0]).toMatch(
      /^02-broken\/cells\/epochs\.starter\.ts:2:31 - error TS2552: Cannot find name 'learningRat'/,
    );
    expect(broken[1]).toMatch(
      /^02-broken\/cells\/epochs\.solution\.ts:3:7 - error TS2322: Type 'number' is not assignable to type 'string'/,
    );
  });
});

describe('lessonCells', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cells-'));
    mkdirSync(join(dir, 'cells'));
    writeFileSync(join(dir, 'cells', 'a.solution.ts'), 'const a = 1;\n');
    writeFileSync(
      join(dir, 'index.mdx'),
      [
        '---',
        'title: x',
        'summary: a <Cell id="in-frontmatter" /> is text here',
        '---',
        '```mdx',
        '<Cell id="in-a-code-fence" />',
        '```',
        '',
        '<Cell id="a" />',
        '',
        'Text with `<Cell id="inline-code" />`.',
        '',
        '<Cell starter="./cells/typo.ts" />',
        '',
      ].join('\n'),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ignores tags in frontmatter and code, and names the line of a tag whose file is missing', () => {
    expect(() => lessonCells(dir)).toThrow(/index\.mdx:13: <Cell> names \.\/cells\/typo\.ts, which does not exist/);
  });
});
