/**
 * The wb reference (scripts/wb-reference.mjs, rendered by src/pages/reference.astro) is generated from the facade's
 * doc comments. This test holds the facade to it: every member has a doc comment and an example, every top-level
 * member a known group, no internal is exposed, and the editor's hover (a language service over exactly the files
 * Monaco's worker gets, scripts/cell-types-bundle.mjs) shows each member's doc text as the reference does.
 */
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { collectCellTypes } from '../../scripts/cell-types-bundle.mjs';
import { monacoLikeService } from '../helpers/monaco-like-service';
import { groupMembers, referenceProblems, wbReference, WB_GROUPS, type WbMember } from '../../scripts/wb-reference.mjs';

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

describe('the wb reference', () => {
  let members: WbMember[];
  beforeAll(() => {
    members = wbReference();
  }, 120_000);

  it('lists the facade, grouped by what a learner does (not vacuous)', () => {
    const paths = members.map((m) => m.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'wb.loadModel',
        'wb.photos.oneHot',
        'wb.photos.file',
        'wb.layers.show',
        'wb.pictures.showEarlyAndLate',
        'wb.classify',
        'wb.evaluate',
        'wb.runs.addCheckpoint',
        'wb.checkpoints.restore',
        'wb.check',
        'wb.check.earlyAndLate',
      ]),
    );
    expect(members.length).toBeGreaterThan(60);
    const groups = groupMembers(members).map((g) => g.group);
    expect(groups.slice(0, WB_GROUPS.length)).toEqual(WB_GROUPS);
  });

  it('exposes no internals and one way to classify', () => {
    const paths = new Set(members.map((m) => m.path));
    for (const gone of [
      'wb.runs.add',
      'wb.checkpoints.url',
      'wb.photos.set',
      'wb.classifyPhoto',
      'wb.pictures.earlyAndLate',
      'wb.photoFile',
      'wb.evidence.score',
    ])
      expect(paths.has(gone), gone).toBe(false);
    // Groups are plain objects of functions, not class instances with private state on show.
    expect(members.filter((m) => /\bprivate\b|#/.test(m.signature)).map((m) => m.path)).toEqual([]);
  });

  it('gives every member a doc comment, an example, and every top-level member a group', () => {
    expect(referenceProblems(members)).toEqual([]);
  });

  it('finds what is missing (the rule can fail)', () => {
    const base: WbMember = {
      path: 'wb.x',
      group: 'load',
      doc: 'A thing.',
      summary: 'A thing.',
      example: 'wb.x()',
      signature: '() => void',
      depth: 0,
      lessons: [],
      lessonLine: '',
    };
    expect(referenceProblems([base])).toEqual([]);
    expect(referenceProblems([{ ...base, doc: '' }])).toEqual([
      'wb.x has no doc comment (its first line says what it returns)',
    ]);
    expect(referenceProblems([{ ...base, example: '' }])).toEqual(['wb.x has no @example one-liner']);
    expect(referenceProblems([{ ...base, group: 'misc' }])[0]).toMatch(/wb\.x has no @group tag/);
    // A lesson's named check may take its example from the lesson that calls it.
    const check = { ...base, path: 'wb.check.y', depth: 1, example: '' };
    expect(referenceProblems([check])).toEqual(['wb.check.y has no @example one-liner']);
    expect(referenceProblems([{ ...check, lessonLine: 'await wb.check.y(1);' }])).toEqual([]);
  });

  it('says in the editor what it says on the page: the hover of every member shows its doc', () => {
    const bundle = collectCellTypes();
    const CELL = 'file:///cells/cell-1.ts';
    // One line per member: `wb.photos.mixed;` — the hover at the last name is the editor's for that member.
    const lines = members.map((m) => `${m.path};`);
    const cell = lines.join('\n');
    const service = monacoLikeService(new Map([...Object.entries(bundle.files), [CELL, cell]]));
    let offset = 0;
    const mismatches: string[] = [];
    members.forEach((m, i) => {
      const at = offset + lines[i]!.length - 2; // on the last character of the member's name
      offset += lines[i]!.length + 1;
      const info = service.getQuickInfoAtPosition(CELL, at);
      const shown = squash(ts.displayPartsToString(info?.documentation));
      if (shown !== squash(m.doc)) mismatches.push(`${m.path}: editor shows "${shown.slice(0, 80)}"`);
      const example = (info?.tags ?? []).find((t) => t.name === 'example');
      if (m.example && squash(ts.displayPartsToString(example?.text)) !== squash(m.example))
        mismatches.push(`${m.path}: editor's example differs`);
    });
    expect(mismatches).toEqual([]);
  }, 180_000);
});
