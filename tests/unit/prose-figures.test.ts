/**
 * No typed percentage in any lesson's prose. Every accuracy, probability or share a lesson quotes comes from a
 * recorded run of its own solutions (lessons/NN-slug/record.json, `npm run record -- NN`) and is rendered by
 * `<Fig of="…" as="percent" />`, so the page cannot quote a number that its cells no longer produce (the drift test
 * in each lesson's e2e spec compares a live run with that record). A percentage typed by hand is how the old
 * "89 %" and "92.3 % at epoch 8" came to disagree with what the lessons compute; this test finds one in every
 * lesson's index.mdx, by line, with the few that are not measurements allowed by name below.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * Percentages that are not measured figures, each with why. A confidence level ("95 % interval") is a convention;
 * "100 %" is the bound of an accuracy, not a result; lesson 6's "1 %" is its momentum setting (0.99) in words.
 */
const ALLOWED: { pattern: RegExp; why: string }[] = [
  { pattern: /^95 %(?= (?:\w+ ){0,3}interval)/, why: "the interval's confidence level" },
  { pattern: /^100 %/, why: 'the top of the scale: "not 100 %", "100 % means"' },
  { pattern: /^1 %(?= of the way per step)/, why: 'momentum 0.99 (a setting) in words' },
];

/**
 * The prose of an index.mdx as the reader sees it, with everything that is not typed prose blanked out (so lines
 * keep their numbers): the front matter, code fences, `inline code`, and tags such as <Fig … /> and <Cell … />.
 */
export function proseOf(mdx: string): string {
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');
  return mdx
    .replace(/^---\n[\s\S]*?\n---\n/, blank)
    .replace(/```[\s\S]*?```/g, blank)
    .replace(/`[^`\n]*`/g, blank)
    .replace(/<[A-Za-z][^>]*\/?>/g, blank);
}

/** The typed percentages of an index.mdx that no rule of ALLOWED lets through: "line 48: 89%". */
export function typedPercentages(mdx: string): string[] {
  const prose = proseOf(mdx);
  const found: string[] = [];
  for (const m of prose.matchAll(/(?<![\w.])\d+(?:[.,]\d+)?\s?%/g)) {
    const rest = prose.slice(m.index);
    if (ALLOWED.some((a) => a.pattern.test(rest))) continue;
    found.push(`line ${prose.slice(0, m.index).split('\n').length}: ${m[0]}`);
  }
  return found;
}

const lessons = readdirSync(join(ROOT, 'lessons'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && /^\d+-/.test(d.name))
  .map((d) => d.name)
  .sort();

describe('lesson prose quotes no typed percentage', () => {
  it('finds a typed percentage, and none in a <Fig>, in code, or in a confidence level', () => {
    const mdx = [
      '---',
      'title: 50% of it',
      '---',
      'The model puts 89% on class 285, and 5.7 % on the next.',
      'Rendered: <Fig of="x.p1" as="percent" />, with a 95 % interval and `console.log("12%")`.',
      '```ts',
      'const share = "30 %";',
      '```',
      'Not 100 %, and a 95 % interval too; 17 %.',
    ].join('\n');
    expect(typedPercentages(mdx)).toEqual(['line 4: 89%', 'line 4: 5.7 %', 'line 9: 17 %']);
  });

  it('covers every lesson (lessons 1–8 and any added later)', () => {
    expect(lessons.length).toBeGreaterThanOrEqual(8);
    expect(lessons[0]).toMatch(/^01-/);
  });

  it.each(lessons)('%s: every percentage in the prose is a <Fig> from its record', (lesson) => {
    const mdx = readFileSync(join(ROOT, 'lessons', lesson, 'index.mdx'), 'utf8');
    expect(
      typedPercentages(mdx),
      `lessons/${lesson}/index.mdx types these by hand: render them with <Fig of="…" as="percent" /> from record.json`,
    ).toEqual([]);
  });
});
