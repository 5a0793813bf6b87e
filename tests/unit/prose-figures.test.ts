/**
 * No typed figure in any lesson's prose. Every accuracy, probability or share a lesson quotes comes from a recorded
 * run of its own solutions (lessons/NN-slug/record.json, `npm run record -- NN`) and is rendered by
 * `<Fig of="…" as="percent" />`, so the page cannot quote a number that its cells no longer produce (the drift test
 * in each lesson's e2e spec compares a live run with that record). Every count of the model or the photos (88
 * layers, 475,544 parameters, 390 photos, 78 validation photos) is rendered by `<Fact of="…" />` from the model and
 * photo index the lessons load (src/components/course-facts.ts). A figure typed by hand is how the old "89 %", "92.3 %
 * at epoch 8" and "all 88 layers" (of an 85-layer model) came to disagree with what the lessons compute; this test
 * finds one in every lesson's index.mdx, by line, with the few that are not measurements allowed by name below.
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

/**
 * The typed percentages of an index.mdx that no rule of ALLOWED lets through: "line 48: 89%". A share written in
 * percentage points ("1.3 points", "3 to 4 points") is one too: it comes from a <Fact> or a <Fig> like any other.
 */
export function typedPercentages(mdx: string): string[] {
  const prose = proseOf(mdx);
  const found: string[] = [];
  for (const m of prose.matchAll(/(?<![\w.])\d+(?:[.,]\d+)?(?:\s?%|\s+(?:percentage\s+)?points\b)/g)) {
    const rest = prose.slice(m.index);
    if (ALLOWED.some((a) => a.pattern.test(rest))) continue;
    found.push(`line ${prose.slice(0, m.index).split('\n').length}: ${m[0]}`);
  }
  return found;
}

/**
 * Counts that are not facts of the model or the photos, each with why: a sample size or batch size a cell asks for
 * is a setting the prose may name (the learner changes it in the cell), and so is a check's tolerance. `before` must
 * match the text just before the number when given.
 */
const ALLOWED_COUNTS: { pattern: RegExp; before?: RegExp; why: string }[] = [
  { pattern: /^\d+ photos? (?:per|a|of each) (?:class|label)\b/, why: 'a sample size a cell asks for (a setting)' },
  { pattern: /^\d+ photos?/, before: /batches of $/, why: 'a batch size (a setting)' },
  { pattern: /^\d+ photos?/, before: /within $/, why: "a check's tolerance (a setting)" },
  { pattern: /^\d+ photos?/, before: /(?:at least|fewer than) $/, why: 'the fewest photos a class needs (a rule)' },
  { pattern: /^\d+ /, before: /× $/, why: 'the last factor of a size written as a product, such as a 3 × 3 kernel' },
];

/** The typed counts of layers, parameters, weights or photos in an index.mdx that ALLOWED_COUNTS does not let through. */
export function typedCounts(mdx: string): { line: number; text: string }[] {
  const prose = proseOf(mdx);
  const found: { line: number; text: string }[] = [];
  const count = /(?<![\w.,])\d[\d,]*(?:\.\d+)?\s+(?:[A-Za-z-]+\s+){0,2}?(?:layers|parameters|params|weights|photos)\b/g;
  for (const m of prose.matchAll(count)) {
    const rest = prose.slice(m.index);
    const before = prose.slice(Math.max(0, m.index - 40), m.index);
    if (ALLOWED_COUNTS.some((a) => a.pattern.test(rest) && (!a.before || a.before.test(before)))) continue;
    found.push({ line: prose.slice(0, m.index).split('\n').length, text: m[0].replace(/\s+/g, ' ') });
  }
  // The same count typed after its noun, as the other side of a comparison: "… trainable weights instead of 771".
  const after =
    /\b(?:layers|parameters|params|weights|photos)\s+(?:instead of|rather than|than|versus|vs\.?|against)\s+(\d[\d,]*(?:\.\d+)?)(?![\w,]|\.\d)/g;
  for (const m of prose.matchAll(after)) {
    found.push({ line: prose.slice(0, m.index).split('\n').length, text: m[0].replace(/\s+/g, ' ') });
  }
  return found.sort((a, b) => a.line - b.line);
}

const lessons = readdirSync(join(ROOT, 'lessons'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && /^\d+-/.test(d.name))
  .map((d) => d.name)
  .sort();

describe('lesson prose quotes no typed percentage', () => {
  it('finds a typed percentage or share in points, and none in a <Fig> or <Fact>, in code, or in a confidence level', () => {
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
      'One photo is 1.3 points, a class 3 to 4 percentage points; <Fact of="points.validationPhoto" /> points.',
    ].join('\n');
    expect(typedPercentages(mdx)).toEqual([
      'line 4: 89%',
      'line 4: 5.7 %',
      'line 9: 17 %',
      'line 10: 1.3 points',
      'line 10: 4 percentage points',
    ]);
  });

  it('covers every lesson (lessons 1–8 and any added later)', () => {
    expect(lessons.length).toBeGreaterThanOrEqual(8);
    expect(lessons[0]).toMatch(/^01-/);
  });

  it.each(lessons)('%s: every percentage in the prose is a <Fig> from its record', (lesson) => {
    const mdx = readFileSync(join(ROOT, 'lessons', lesson, 'index.mdx'), 'utf8');
    expect(
      typedPercentages(mdx),
      `lessons/${lesson}/index.mdx types these by hand: render them with <Fig of="…" as="percent" /> from record.json, or a share of the photos with <Fact of="…" />`,
    ).toEqual([]);
  });
});

describe('lesson prose types no count of the model or the photos', () => {
  it('finds a typed count of layers, parameters, weights or photos (before or after its noun), and none in a <Fact>, in code or in a setting', () => {
    const mdx = [
      'MobileNet: 88 layers, 475,544 parameters, the 218,544 frozen weights.',
      'Our set: 390 photos, 78 validation photos; <Fact of="photos" /> photos and `const n = 12; // 12 photos`.',
      'Four photos of each label: 4 photos of each label, 5 photos per class, batches of 4 photos, within 2 photos.',
      'Blocks are not counted: 13 blocks, 3 × 3 kernels.',
      'Every layer: <Fig of="a.trainableParams" as="count" /> trainable weights instead of\n771. After that, fewer',
      'weights than <Fact of="head.params" />, and 20 epochs rather than 4.',
    ].join('\n');
    expect(typedCounts(mdx).map((c) => `line ${c.line}: ${c.text}`)).toEqual([
      'line 1: 88 layers',
      'line 1: 475,544 parameters',
      'line 1: 218,544 frozen weights',
      'line 2: 390 photos',
      'line 2: 78 validation photos',
      'line 5: weights instead of 771',
    ]);
  });

  it.each(lessons)('%s: every count of the model or the photos in the prose is a <Fact>', (lesson) => {
    const mdx = readFileSync(join(ROOT, 'lessons', lesson, 'index.mdx'), 'utf8');
    expect(
      typedCounts(mdx).map((c) => `line ${c.line}: ${c.text}`),
      `lessons/${lesson}/index.mdx types these by hand: render them with <Fact of="…" /> (src/components/course-facts.ts)`,
    ).toEqual([]);
  });
});
