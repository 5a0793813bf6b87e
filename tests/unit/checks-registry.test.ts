/**
 * Lessons own their checks: each lessons/NN-slug/checks.ts is found by its lesson's slug (checks-of-lesson.ts, the
 * same import.meta.glob the lesson page uses), gives that lesson's named checks and no other lesson's, and every
 * lesson that calls `wb.check.<name>` in a cell defines that name in its own checks.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LessonCheckContext } from '../../src/workbook/checks-registry';
import { checksOfLesson } from '../../src/workbook/checks-of-lesson';

const LESSONS = path.resolve(import.meta.dirname, '../../lessons');
const lessonDirs = readdirSync(LESSONS, { withFileTypes: true })
  .filter((d) => d.isDirectory() && /^\d\d-/.test(d.name))
  .map((d) => d.name)
  .sort();

/** The `wb.check.<name>` calls in a lesson's cells (solutions and starters). */
function namesCalled(dir: string): string[] {
  const cells = path.join(LESSONS, dir, 'cells');
  const names = new Set<string>();
  for (const file of readdirSync(cells))
    for (const m of readFileSync(path.join(cells, file), 'utf8').matchAll(/wb\.check\.([A-Za-z]\w*)\s*\(/g))
      names.add(m[1]!);
  return [...names].sort();
}

/** A lesson's check names, without running anything: create() only builds the functions. */
async function namesDefined(slug: string): Promise<string[]> {
  const checks = await checksOfLesson(slug);
  return checks ? Object.keys(checks.create({} as LessonCheckContext)).sort() : [];
}

describe("a lesson's own checks", () => {
  it('finds lesson 1’s checks by slug or folder name, and nothing for a lesson without checks.ts', async () => {
    expect(await namesDefined('what-the-network-knows')).toEqual(['baseline', 'mostProbableClass', 'ourLabels']);
    expect(await namesDefined('01-what-the-network-knows')).toEqual(['baseline', 'mostProbableClass', 'ourLabels']);
    expect(await checksOfLesson('no-such-lesson')).toBeUndefined();
    expect(await checksOfLesson(undefined)).toBeUndefined();
  });

  it('gives a lesson its own checks only: lesson 1 has no softmax, lesson 2 no ourLabels', async () => {
    expect(await namesDefined('what-the-network-knows')).not.toContain('softmax');
    expect(await namesDefined('inspect-the-layers')).toContain('softmax');
    expect(await namesDefined('inspect-the-layers')).not.toContain('ourLabels');
  });

  it.each(lessonDirs)('%s defines every wb.check.<name> its cells call', async (dir) => {
    const called = namesCalled(dir);
    const defined = await namesDefined(dir);
    expect(called.filter((name) => !defined.includes(name))).toEqual([]);
  });
});
