/**
 * A lesson's record (lessons/NN-slug/record.json, written by `npm run record`) and the rules that read it, shared by
 * the three places that must agree on them:
 *
 * - src/components/Fig.astro renders `<Fig of="train.valAcc" as="percent" />` in the prose from the record;
 * - scripts/lesson-check.mjs fails the build when a <Fig> names a figure the record lacks (or there is no record);
 * - the lesson e2e specs compare a live run's figures with the record (`driftFrom`), with the tolerances below.
 *
 * A figure is a number (fractions such as 0.91, counts, seconds), a name or a boolean: src/workbook/figures.ts says
 * which figures a run, an evaluation and a classification leave, and how they are named.
 */

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** @typedef {number | string | boolean} Figure */
/** @typedef {Record<string, Figure>} Figures */
/**
 * @typedef {object} LessonRecord
 * @property {string} lesson     the lesson folder, "05-freeze-and-train"
 * @property {string} recorded   ISO date and time of the run
 * @property {string} commit     git commit the site was built from ("+ changes" when the tree was dirty)
 * @property {string} browser    e.g. "Chromium 143.0.7499.169"
 * @property {string} backend    the tfjs backend the page ran on
 * @property {number} threads    wasm threads
 * @property {number} seconds    how long the whole lesson took
 * @property {Figures} figures
 */

/**
 * The ways a figure can be written in prose (<Fig as="…">):
 * - percent: 0.9103 → "91.0 %" (`digits`, default 1);
 * - count: 71 → "71", 218544 → "218,544";
 * - number: `digits` decimals (default 3): 0.301;
 * - interval: an accuracy's 95 % interval, "84.1–95.6 %", from `<of>Low` and `<of>High`;
 * - seconds: as a person says them, "0.21 s", "25 s", "2.5 min";
 * - text: a name (a class, a photo) as recorded;
 * - name: an ImageNet class as a sentence says it, its first name only: "lynx, catamount" → "lynx";
 * - best, worst: the class with the largest or smallest `<of>.<class>` (below).
 */
export const FORMS = ['percent', 'count', 'number', 'interval', 'seconds', 'text', 'name', 'best', 'worst'];

/**
 * The `best` and `worst` forms name the class with the largest or smallest figure among `<of>.<class>` (e.g.
 * of="evaluate.recall"), so a sentence such as "dogs are found best" is computed, not typed. They read every key
 * under the prefix; a tie names both classes ("cat and dog").
 * @param {Figures} figures
 * @param {string} prefix
 * @returns {[string, number][]}
 */
export function familyOf(figures, prefix) {
  return Object.entries(figures)
    .filter(
      ([key, value]) =>
        key.startsWith(`${prefix}.`) && !key.slice(prefix.length + 1).includes('.') && typeof value === 'number',
    )
    .map(([key, value]) => [key.slice(prefix.length + 1), /** @type {number} */ (value)]);
}

/**
 * The text of a figure. Throws, naming the record and the key, when the record lacks what the form needs.
 * @param {LessonRecord} record
 * @param {{ of: string, as?: string, digits?: number }} props
 * @param {string} where  for messages: "lessons/05-x/index.mdx: <Fig of="…">"
 * @returns {string}
 */
export function renderFigure(record, { of, as = 'number', digits }, where) {
  const need = (/** @type {string} */ key) => {
    if (!(key in record.figures)) {
      const cell = key.split('.')[0];
      const near = Object.keys(record.figures)
        .filter((k) => k.startsWith(`${cell}.`))
        .slice(0, 12);
      throw new Error(
        `${where}: lessons/${record.lesson}/record.json has no figure "${key}"` +
          (near.length
            ? ` (cell "${cell}" recorded ${near.join(', ')}${near.length === 12 ? ', …' : ''})`
            : ` (nothing recorded for cell "${cell}")`) +
          '. Run `npm run record` after changing a cell, or fix the name.',
      );
    }
    return record.figures[key];
  };
  const num = (/** @type {string} */ key) => {
    const v = need(key);
    if (typeof v !== 'number') throw new Error(`${where}: figure "${key}" is ${JSON.stringify(v)}, not a number`);
    return v;
  };
  if (as === 'best' || as === 'worst') {
    const family = familyOf(record.figures, of);
    if (family.length === 0)
      throw new Error(
        `${where}: lessons/${record.lesson}/record.json has no figures "${of}.<name>" to pick the ${as} of`,
      );
    const target = as === 'best' ? Math.max(...family.map(([, v]) => v)) : Math.min(...family.map(([, v]) => v));
    return family
      .filter(([, v]) => v === target)
      .map(([name]) => name)
      .join(' and ');
  }
  switch (as) {
    case 'percent':
      return `${(num(of) * 100).toFixed(digits ?? 1)} %`;
    case 'count':
      return Math.round(num(of)).toLocaleString('en-US');
    case 'number':
      return num(of).toFixed(digits ?? 3);
    case 'interval':
      return `${(num(`${of}Low`) * 100).toFixed(digits ?? 1)}–${(num(`${of}High`) * 100).toFixed(digits ?? 1)} %`;
    case 'seconds':
      return seconds(num(of), digits);
    case 'text':
      return String(need(of));
    case 'name':
      return String(need(of)).split(',')[0].trim();
    default:
      throw new Error(`${where}: as="${as}" is not a figure form (${FORMS.join(', ')})`);
  }
}

/**
 * Seconds as a person says them: two significant digits under a minute ("0.21 s", "2.5 s", "25 s"), minutes above.
 * @param {number} s
 * @param {number} [digits] decimals, to override
 */
export function seconds(s, digits) {
  if (digits !== undefined) return `${s.toFixed(digits)} s`;
  if (s >= 90) return `${(s / 60).toFixed(1)} min`;
  return `${s >= 10 ? Math.round(s) : Number(s.toPrecision(2))} s`;
}

/**
 * Figures that depend on the machine rather than on the lesson: compared with nothing (a slower laptop is not a
 * drift). Everything about time.
 * @param {string} key
 */
export const isTiming = (key) => /seconds/i.test(key.split('.').at(-1) ?? '');

/**
 * How far a live figure may be from its record before the drift test fails, and why.
 *
 * Same browser, same backend, same seed: a run repeats its arithmetic, so on the recording machine every figure
 * repeats exactly. Another machine's Chromium may split the wasm work over another number of threads and round a
 * last digit differently, and one photo near a decision boundary may then change side. So:
 * - counts of photos (`correct`, confusion cells, `said`, `support`, `missed`, `right`, `mistakes`, `wildCats`) may
 *   move by 1 photo;
 * - accuracies (and their interval bounds) by one photo's share, 1/total of their set (1/78 for validation);
 * - precisions and recalls by 0.05: one photo of a class of about 26 moves a recall by 0.04 (a precision's
 *   denominator, the photos called that class, moves too);
 * - losses and probabilities by 0.02, and so logits and mean activations (lessons 2 and 3), whose last digits move
 *   with the same arithmetic; a ratio of two probabilities by 0.5 (a 0.02 move of the logits' gap moves e^gap by 2 %);
 * - names and flags (a photo's top class, the freeze point, the backend) exactly, except the names of the mistakes,
 *   which follow the counts;
 * - training sizes (epochs, parameters, photos) exactly: they are settings, not results;
 * - timings are not compared.
 * @param {string} key
 * @returns {{ abs: number } | { photos: string } | 'exact' | 'skip'}
 */
export function toleranceOf(key) {
  const last = key.split('.').at(-1) ?? '';
  if (isTiming(key)) return 'skip';
  if (/^mistake\d+$/.test(key.split('.').at(-2) ?? '')) return 'skip';
  if (
    /^(epochs|epochsAsked|trainableParams|frozenParams|trainPhotos|perClass|batchSize|batchesPerEpoch|valTotal|total|photos|bestEpoch)$/.test(
      last,
    )
  ) {
    // bestEpoch is the epoch of the first maximum: a one-photo wobble can move it anywhere, so it is a result.
    return last === 'bestEpoch' ? 'skip' : 'exact';
  }
  if (
    /^(valCorrect|bestValCorrect|correct|right|mistakes|wildCats)$/.test(last) ||
    /\.(confusion\.[^.]+|said|support|missed)\.[^.]+$/.test(`.${key}`)
  )
    return { abs: 1 };
  // An accuracy's tolerance is one photo of its set: the count of photos is a sibling figure.
  const stem = key.slice(0, key.length - last.length);
  if (/^(valAcc|bestValAcc)(Low|High)?$/.test(last)) return { photos: `${stem}valTotal` };
  if (/^accuracy(Low|High)?$/.test(last)) return { photos: `${stem}total` };
  if (last === 'acc' || /\.(precision|recall)\.[^.]+$/.test(`.${key}`)) return { abs: 0.05 };
  if (/^(loss|valLoss|p\d+|logit\d+|minLogit|logitGap|meanIn|meanOut)$/.test(last)) return { abs: 0.02 };
  if (last === 'probRatio') return { abs: 0.5 };
  return 'exact';
}

/**
 * The figures of a live run that drifted from the record, one sentence each (empty when none did). A figure the
 * record has and the run lacks (or the other way round) is a drift too: the cells changed, so record again.
 * @param {Figures} live
 * @param {Figures} recorded
 * @returns {string[]}
 */
export function driftFrom(live, recorded) {
  /** @type {string[]} */
  const drifts = [];
  for (const [key, want] of Object.entries(recorded)) {
    const rule = toleranceOf(key);
    if (rule === 'skip') continue;
    if (!(key in live)) {
      drifts.push(`${key}: recorded ${JSON.stringify(want)}, missing from the live run`);
      continue;
    }
    const got = live[key];
    if (rule === 'exact' || typeof want !== 'number' || typeof got !== 'number') {
      // The record keeps 6 significant digits (record-lessons.mjs): compare a live number at the same precision.
      const live = typeof got === 'number' && !Number.isInteger(got) ? Number(got.toPrecision(6)) : got;
      if (live !== want)
        drifts.push(`${key}: recorded ${JSON.stringify(want)}, live ${JSON.stringify(got)} (must be equal)`);
      continue;
    }
    const total = 'photos' in rule ? recorded[rule.photos] : undefined;
    const abs = 'abs' in rule ? rule.abs : typeof total === 'number' && total > 0 ? 1 / total : 0;
    if (Math.abs(got - want) > abs + 1e-6) {
      drifts.push(
        `${key}: recorded ${want}, live ${got} (tolerance ±${Number(abs.toPrecision(3))}${'photos' in rule ? ', one photo' : ''})`,
      );
    }
  }
  for (const key of Object.keys(live)) {
    if (!(key in recorded) && toleranceOf(key) !== 'skip')
      drifts.push(`${key}: live ${JSON.stringify(live[key])}, not in the record`);
  }
  return drifts;
}

/**
 * The `<Fig … />` tags of an index.mdx, with their line: `of`, `as` and `digits` as written (string attributes,
 * `digits={2}` or `digits="2"`).
 * @param {string} mdx the file's text
 * @returns {{ line: number, of: string, as?: string, digits?: number }[]}
 */
export function figTags(mdx) {
  /** @type {{ line: number, of: string, as?: string, digits?: number }[]} */
  const tags = [];
  for (const m of mdx.matchAll(/<Fig\b([^>]*?)\/?>/g)) {
    const attr = (/** @type {string} */ name) =>
      m[1]
        ?.match(new RegExp(`\\b${name}=(?:"([^"]*)"|\\{(\\d+)\\})`))
        ?.slice(1)
        .find((v) => v !== undefined);
    const digits = attr('digits');
    tags.push({
      line: mdx.slice(0, m.index).split('\n').length,
      of: attr('of') ?? '',
      as: attr('as'),
      digits: digits === undefined ? undefined : Number(digits),
    });
  }
  return tags;
}

/**
 * What is wrong with a lesson's figures, before the build renders them: a <Fig> without a record, a key the record
 * lacks, a form that does not exist. One message per tag, naming index.mdx's line.
 * @param {string} lessonDir absolute path of a lesson folder
 * @param {string} mdxName index.mdx's path as messages should show it
 * @returns {{ file: string, message: string }[]}
 */
export function figureProblems(lessonDir, mdxName) {
  const tags = figTags(readFileSync(join(lessonDir, 'index.mdx'), 'utf8'));
  if (tags.length === 0) return [];
  const recordFile = join(lessonDir, 'record.json');
  if (!existsSync(recordFile)) {
    return [
      {
        file: `${mdxName}:${tags[0].line}`,
        message: `${tags.length} <Fig> tag${tags.length === 1 ? '' : 's'} but no record.json next to it: run \`npm run build && npm run record\``,
      },
    ];
  }
  /** @type {LessonRecord} */
  const record = JSON.parse(readFileSync(recordFile, 'utf8'));
  /** @type {{ file: string, message: string }[]} */
  const problems = [];
  for (const tag of tags) {
    try {
      renderFigure(record, tag, `<Fig of="${tag.of}">`);
    } catch (e) {
      problems.push({ file: `${mdxName}:${tag.line}`, message: e instanceof Error ? e.message : String(e) });
    }
  }
  return problems;
}
