/**
 * Lesson 1's graders (lessons/01-what-the-network-knows/checks.ts) tested as graders: mostProbableClass, ourLabels
 * and baseline, rows of near misses a learner could write (from the cells' starters and solutions) and the right
 * answer, each with the exact message and every rung of its hint ladder. mostProbableClass runs on the real
 * MobileNet's output for the lesson's photo (loaded once, beforeAll) and on hand-made probabilities (ties, class 0,
 * class 999); ourLabels on ImageNet's class list with the translations a learner writes; baseline on the real model's
 * answers for the validation photos, as wb.classify gives them in the cell, and on a hand-made set of photos and
 * answers whose counts are known (confusion, misses, wild cats, the interval). The figures each check notes inside a
 * cell run are read back, the real ones against the lesson's record. Then lesson 1's checks as the page reaches them:
 * the registration, and wb.check's ladder.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import lesson1, {
  baselineScore,
  IMAGENET_CATS,
  IMAGENET_DOGS,
  IMAGENET_WILD_CATS,
  mostProbableClass,
  ourLabels,
  referenceLabel,
} from '../../lessons/01-what-the-network-knows/checks';
import { createWorkbook, type Workbook } from '../../src/workbook';
import { CheckFailed, type CheckResult } from '../../src/workbook/checks';
import type { ChecksOf, LessonCheckContext } from '../../src/workbook/checks-registry';
import type { PhotoPrediction } from '../../src/workbook/classify';
import { allFigures } from '../../src/workbook/figures';
import { Session } from '../../src/workbook/session';
import { nodePlatform } from '../helpers/workbook-node';
import { forgetFigures, noted } from '../helpers/figures';
import { no, yes } from '../helpers/verdicts';

// The ladders, word for word.
const NOT_PROBS = [
  "The check wants the model's answer for the photo first: `probs`, the tensor model.predict(input) returned.",
];
const ARGMAX = [
  'You want the *position* of the largest of the 1000 probabilities: that position is the class id.',
  'A tensor finds the position of its largest value along an axis with argMax; dataSync() reads numbers out of a tensor.',
  'Call argMax on probs along the last axis (-1), then take the first (and only) number dataSync() gives.',
];
const NOT_A_FUNCTION = ['The check calls your function on every class id itself: pass `ourLabel`, without calling it.'];
const THREW = ['ourLabel is called with every id from 0 to 999 and must return a label for each, without throwing.'];
const LABELS = ['Return exactly one of the three strings "cat", "dog" or "other", spelled so, for every id.'];
const WILD = [
  'The wild cats that follow the domestic ones (cougar, lynx, leopard … cheetah) are “other” for us.',
  'Your cat run must stop at the index of "Egyptian cat", that class included.',
];
const ENDS = [
  'Both ends of a run count: the first and the last class of each run belong to it.',
  'Compare with >= and <= (both ends included), not > and <.',
];
const RUNS = [
  'ImageNet lists its classes in WordNet order, so the dog breeds are one unbroken run of ids, from the Chihuahua to the Mexican hairless, and the domestic cats another, from the tabby to the Egyptian cat. Everything else is “other”.',
  'Find the first and last id of each run in wb.imagenetClasses: indexOf finds an exact name, findIndex with startsWith a name that goes on (“tabby, tabby cat”).',
  'In ourLabel: return "dog" when classId lies between the first and the last dog id, both included; the same for "cat"; "other" for the rest.',
];
const NOT_ANSWERS = [
  'The check wants what wb.classify returned for the validation photos, then the function that translates a class id.',
];
const EVERY_PHOTO = ["Score every validation photo, each once: wb.photos.all('validation') lists them."];
const SAME_LABEL = ['Pass the ourLabel the check above accepted.'];
const ALL_RIGHT =
  'All 1000 ImageNet classes get the right label: 118 dog breeds, 5 kinds of cat, and 877 classes that are “other” for us.';

/** The lesson's photo (cells/first-photo.solution.ts). */
const MAU = 'cat/Egyptian_Mau_10.jpg';

let session: Session;
let model: tf.LayersModel;
let wb: Workbook;
/** The model's output for the lesson's photo, [1, 1000], as the first-photo cell makes it. */
let probs: tf.Tensor;
/** wb.classify(model, validation, { top: 1, show: false }), as the baseline cell calls it. */
let answers: PhotoPrediction[];
/** The lesson's record (npm run record -- 01): the figures the prose renders. */
let recorded: Record<string, number | string>;
beforeAll(async () => {
  const platform = await nodePlatform();
  session = await Session.create(platform);
  model = (await platform.loadModel(() => {})).model;
  wb = await createWorkbook(platform, lesson1);
  const input = await wb.photos.batch([wb.photos.find(MAU)]);
  probs = model.predict(input) as tf.Tensor;
  input.dispose();
  answers = await wb.classify(model, wb.photos.all('validation'), { top: 1, show: false });
  recorded = (
    JSON.parse(readFileSync('lessons/01-what-the-network-knows/record.json', 'utf8')) as {
      figures: Record<string, number | string>;
    }
  ).figures;
}, 120_000);

afterEach(forgetFigures);

/** 1000 probabilities: `p` at each listed class, the rest shared evenly. */
function handMade(at: Record<number, number>): tf.Tensor {
  const given = Object.values(at).reduce((a, b) => a + b, 0);
  const rest = (1 - given) / (1000 - Object.keys(at).length);
  return tf.tensor2d([Array.from({ length: 1000 }, (_, i) => at[i] ?? rest)]);
}

describe('lesson 1: mostProbableClass, one row per branch, the exact message and ladder', () => {
  it('the lesson’s photo: the model finds “Egyptian cat” most probable, tabby second', () => {
    const top = Array.from(probs.dataSync())
      .map((p, i) => [i, p] as const)
      .sort((a, b) => b[1] - a[1]);
    expect(probs.shape).toEqual([1, 1000]);
    expect(top.slice(0, 2).map(([i]) => i)).toEqual([285, 281]);
  });

  it('passes the solution, probs.argMax(-1).dataSync()[0]', () => {
    const classId = probs.argMax(-1).dataSync()[0]!;
    expect(mostProbableClass(session, probs, classId)).toEqual(
      yes('Class 285, “Egyptian cat”, with 89.1 %: the most probable of the 1000.'),
    );
  });

  it.each([
    [
      'the starter (0)',
      () => 0,
      'Class 0 (“tench, Tinca tinca”) has probability <0.1 %, but class 285 (“Egyptian cat”) has 89.1 %.',
    ],
    [
      'argMax along the batch axis (0), whose first number is 0',
      () => probs.argMax(0).dataSync()[0]!,
      'Class 0 (“tench, Tinca tinca”) has probability <0.1 %, but class 285 (“Egyptian cat”) has 89.1 %.',
    ],
    [
      'the second most probable class',
      () => 281,
      'Class 281 (“tabby, tabby cat”) has probability 5.7 %, but class 285 (“Egyptian cat”) has 89.1 %.',
    ],
    [
      'the smallest probability’s position (argMin)',
      () => probs.argMin(-1).dataSync()[0]!,
      'Class 874 (“trolleybus, trolley coach, trackless trolley”) has probability <0.1 %, but class 285 (“Egyptian cat”) has 89.1 %.',
    ],
  ])('fails %s, naming both classes', (_, classId, message) => {
    expect(mostProbableClass(session, probs, classId())).toEqual(no(message, ARGMAX));
  });

  it.each([
    ['the argMax tensor itself', () => probs.argMax(-1), 'a tensor of shape [1]'],
    ['dataSync() without [0] (a typed array)', () => probs.argMax(-1).dataSync(), 'an object'],
    ['data() without await', () => probs.argMax(-1).data(), 'a promise (add `await`)'],
    ['the largest probability instead of its position', () => 0.5, '0.5'],
    ['the class name', () => 'Egyptian cat', 'the string "Egyptian cat"'],
    ['the id as a string', () => '285', 'the string "285"'],
    ['indexOf’s “not found”', () => -1, '-1'],
    ['one past the end', () => 1000, '1000'],
    ['a fraction', () => 284.5, '284.5'],
    ['NaN', () => NaN, 'NaN'],
    ['nothing', () => undefined, 'undefined'],
  ])('fails %s as no class id', (_, classId, described) => {
    expect(mostProbableClass(session, probs, classId() as number)).toEqual(
      no(`classId should be a whole number from 0 to 999 (a position in the output), got ${described}.`, ARGMAX),
    );
  });

  it.each([
    [
      'the photo batch (the input, not the output)',
      () => tf.zeros([1, 224, 224, 3]),
      'a tensor of shape [1, 224, 224, 3]',
    ],
    ['the output for two photos', () => tf.concat([probs, probs]), 'a tensor of shape [2, 1000]'],
    ['999 probabilities', () => tf.ones([999]), 'a tensor of shape [999]'],
    ['the numbers, read out with dataSync()', () => probs.dataSync(), 'an object'],
    ['a plain array of 1000', () => Array.from(probs.dataSync()), 'an array of 1000'],
    ['an object with a size of 1000', () => ({ size: 1000 }), 'an object'],
    ['nothing', () => undefined, 'undefined'],
  ])('fails %s as probabilities', (_, make, described) => {
    expect(mostProbableClass(session, make() as tf.Tensor, 285)).toEqual(
      no(
        `The first argument should be the model's output for one photo, 1000 probabilities; got ${described}.`,
        NOT_PROBS,
      ),
    );
  });

  it('reads probabilities of any shape with 1000 numbers: a flat row passes as well', () => {
    expect(mostProbableClass(session, probs.reshape([1000]), 285)).toEqual(
      yes('Class 285, “Egyptian cat”, with 89.1 %: the most probable of the 1000.'),
    );
  });

  it('on hand-made probabilities: class 0 and class 999 pass when largest; a tie goes to the first, as argMax', () => {
    expect(mostProbableClass(session, handMade({ 0: 0.5 }), 0)).toEqual(
      yes('Class 0, “tench, Tinca tinca”, with 50.0 %: the most probable of the 1000.'),
    );
    expect(mostProbableClass(session, handMade({ 999: 0.5 }), 999)).toEqual(
      yes('Class 999, “toilet tissue, toilet paper, bathroom tissue”, with 50.0 %: the most probable of the 1000.'),
    );
    const tie = handMade({ 3: 0.4, 7: 0.4 });
    expect(tie.argMax(-1).dataSync()[0]).toBe(3);
    expect(mostProbableClass(session, tie, 3)).toEqual(
      yes('Class 3, “tiger shark, Galeocerdo cuvieri”, with 40.0 %: the most probable of the 1000.'),
    );
    expect(mostProbableClass(session, tie, 7)).toEqual(
      no(
        'Class 7 (“cock”) has probability 40.0 %, but class 3 (“tiger shark, Galeocerdo cuvieri”) has 40.0 %.',
        ARGMAX,
      ),
    );
    // The largest entry last: the search goes to the end of the row.
    expect(mostProbableClass(session, handMade({ 998: 0.3, 999: 0.31 }), 998)).toEqual(
      no(
        'Class 998 (“ear, spike, capitulum”) has probability 30.0 %, but class 999 (“toilet tissue, toilet paper, bathroom tissue”) has 31.0 %.',
        ARGMAX,
      ),
    );
  });

  it('notes the class, its name and its probability inside a cell run, and nothing for a wrong answer', async () => {
    const figures = await noted(() => mostProbableClass(session, probs, 285));
    expect(Object.keys(figures).sort()).toEqual(['cell.id1', 'cell.p1', 'cell.top1']);
    expect(figures['cell.id1']).toBe(285);
    expect(figures['cell.top1']).toBe('Egyptian cat');
    expect(figures['cell.p1'] as number).toBeCloseTo(probs.dataSync()[285]!, 6);
    // The lesson's record holds the same: the prose's figures come from this check.
    expect([figures['cell.id1'], figures['cell.top1']]).toEqual([
      recorded['top-class.id1'],
      recorded['top-class.top1'],
    ]);
    expect(figures['cell.p1'] as number).toBeCloseTo(recorded['top-class.p1'] as number, 4);
    forgetFigures();
    expect(await noted(() => mostProbableClass(session, probs, 281))).toEqual({});
    expect(await noted(() => mostProbableClass(session, probs, 1000))).toEqual({});
  });

  it('notes nothing outside a cell run', () => {
    expect(mostProbableClass(session, probs, 285).pass).toBe(true);
    expect(allFigures()).toEqual({});
  });
});

/** The solution's ourLabel with the runs `dogs` and `cats`, both ends included. */
const runs =
  (dogs: [number, number], cats: [number, number]) =>
  (id: number): string =>
    id >= dogs[0] && id <= dogs[1] ? 'dog' : id >= cats[0] && id <= cats[1] ? 'cat' : 'other';
const D = [IMAGENET_DOGS.first, IMAGENET_DOGS.last] as [number, number];
const C = [IMAGENET_CATS.first, IMAGENET_CATS.last] as [number, number];
const wrongLabel = (n: number, id: number, name: string, got: string, want: string) =>
  `${n} of the 1000 classes get the wrong label; for example class ${id} (“${name}”) becomes ${got}, but should be "${want}".`;
const COUGAR = 'cougar, puma, catamount, mountain lion, painter, panther, Felis concolor';

describe('lesson 1: ourLabels, one row per branch, the exact message and ladder', () => {
  it('the runs are ImageNet’s: 151–268 dogs, 281–285 cats, 286–293 wild cats', () => {
    expect([D, C, [IMAGENET_WILD_CATS.first, IMAGENET_WILD_CATS.last]]).toEqual([
      [151, 268],
      [281, 285],
      [286, 293],
    ]);
    const names = session.classNames;
    expect([names[151], names[268], names[281], names[285], names[286], names[293]]).toEqual([
      'Chihuahua',
      'Mexican hairless',
      'tabby, tabby cat',
      'Egyptian cat',
      COUGAR,
      'cheetah, chetah, Acinonyx jubatus',
    ]);
  });

  it('passes the solution (runs found by name), and the reference', () => {
    const idOf = (name: string) => session.classNames.findIndex((n) => n === name || n.startsWith(`${name},`));
    const dogs: [number, number] = [idOf('Chihuahua'), idOf('Mexican hairless')];
    const cats: [number, number] = [idOf('tabby'), idOf('Egyptian cat')];
    expect(ourLabels(session, runs(dogs, cats))).toEqual(yes(ALL_RIGHT));
    expect(ourLabels(session, referenceLabel)).toEqual(yes(ALL_RIGHT));
  });

  it('calls the function once with every class id, 0 to 999, in order', () => {
    const asked: number[] = [];
    ourLabels(session, (id) => {
      asked.push(id);
      return referenceLabel(id);
    });
    expect(asked).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  const ROWS: [string, (id: number) => unknown, CheckResult][] = [
    ['the starter (everything "other")', () => 'other', no(wrongLabel(123, 151, 'Chihuahua', '"other"', 'dog'), RUNS)],
    [
      'the solution with the ids still -1',
      runs([-1, -1], [-1, -1]),
      no(wrongLabel(123, 151, 'Chihuahua', '"other"', 'dog'), RUNS),
    ],
    ['dogs and cats swapped', runs(C, D), no(wrongLabel(123, 151, 'Chihuahua', '"cat"', 'dog'), RUNS)],
    [
      'the dog run one class too long (the sea lion)',
      runs([150, 268], C),
      no(wrongLabel(1, 150, 'sea lion', '"dog"', 'other'), RUNS),
    ],
    [
      'the cat run one class too early (the grey fox)',
      runs(D, [280, 285]),
      no(wrongLabel(1, 280, 'grey fox, gray fox, Urocyon cinereoargenteus', '"cat"', 'other'), RUNS),
    ],
    [
      'the big cats as dogs',
      (id) => (id >= 286 && id <= 293 ? 'dog' : referenceLabel(id)),
      no(wrongLabel(8, 286, COUGAR, '"dog"', 'other'), RUNS),
    ],
    [
      'dogs ending one early and cats running on to the cheetah',
      runs([151, 267], [281, 293]),
      no(wrongLabel(9, 268, 'Mexican hairless', '"other"', 'dog'), RUNS),
    ],
    [
      'dogs ending one early (>, <)',
      runs([151, 267], C),
      no(wrongLabel(1, 268, 'Mexican hairless', '"other"', 'dog'), ENDS),
    ],
    ['dogs starting one late', runs([152, 268], C), no(wrongLabel(1, 151, 'Chihuahua', '"other"', 'dog'), ENDS)],
    ['cats starting one late', runs(D, [282, 285]), no(wrongLabel(1, 281, 'tabby, tabby cat', '"other"', 'cat'), ENDS)],
    ['cats ending one early', runs(D, [281, 284]), no(wrongLabel(1, 285, 'Egyptian cat', '"other"', 'cat'), ENDS)],
    [
      'both runs without their ends (> and < everywhere)',
      (id) => (id > 151 && id < 268 ? 'dog' : id > 281 && id < 285 ? 'cat' : 'other'),
      no(wrongLabel(4, 151, 'Chihuahua', '"other"', 'dog'), ENDS),
    ],
    ['the cats running on to the cheetah', runs(D, [281, 293]), no(wrongLabel(8, 286, COUGAR, '"cat"', 'other'), WILD)],
    [
      'the cat run without an upper bound',
      (id) => (id >= 151 && id <= 268 ? 'dog' : id >= 281 ? 'cat' : 'other'),
      no(wrongLabel(714, 286, COUGAR, '"cat"', 'other'), WILD),
    ],
    [
      'capitalised labels',
      (id) => ({ dog: 'Dog', cat: 'Cat', other: 'Other' })[referenceLabel(id)],
      no(wrongLabel(1000, 0, 'tench, Tinca tinca', '"Other"', 'other'), LABELS),
    ],
    [
      '"Dog" capitalised, and the cats forgotten',
      (id) => (referenceLabel(id) === 'dog' ? 'Dog' : 'other'),
      no(wrongLabel(123, 151, 'Chihuahua', '"Dog"', 'dog'), LABELS),
    ],
    [
      'plural labels for the cats only',
      (id) => (referenceLabel(id) === 'cat' ? 'cats' : referenceLabel(id)),
      no(wrongLabel(5, 281, 'tabby, tabby cat', '"cats"', 'cat'), LABELS),
    ],
    [
      'no return for "other" (undefined)',
      (id) => (referenceLabel(id) === 'other' ? undefined : referenceLabel(id)),
      no(wrongLabel(877, 0, 'tench, Tinca tinca', 'undefined', 'other'), LABELS),
    ],
    [
      'the label’s position (0, 1, 2) instead of its name',
      (id) => ['cat', 'dog', 'other'].indexOf(referenceLabel(id)),
      no(wrongLabel(1000, 0, 'tench, Tinca tinca', '2', 'other'), LABELS),
    ],
  ];
  it.each(ROWS)('fails %s', (_, f, verdict) => {
    expect(ourLabels(session, f as (id: number) => string)).toEqual(verdict);
  });

  it('fails a function that throws, at the first class it throws for', () => {
    const lookup: { label: string }[] = [];
    expect(ourLabels(session, (id) => lookup[id]!.label)).toEqual(
      no("Your function threw for class 0: Cannot read properties of undefined (reading 'label')", THREW),
    );
    expect(
      ourLabels(session, (id) => {
        if (id === 500) throw 'not yet';
        return referenceLabel(id);
      }),
    ).toEqual(no('Your function threw for class 500: not yet', THREW));
  });

  it.each([
    ['a label (the function called)', 'cat', 'the string "cat"'],
    ['nothing', undefined, 'undefined'],
    ['the runs object', { first: 151, last: 268 }, 'an object'],
  ])('fails %s instead of the function', (_, value, described) => {
    expect(ourLabels(session, value as never)).toEqual(
      no(`Pass your function itself; got ${described}.`, NOT_A_FUNCTION),
    );
  });
});

/** A hand-made answer: a photo and the one ImageNet class the model chose. */
const answer = (file: string, index: number, classNames: readonly string[]): PhotoPrediction => ({
  photo: { file, label: file.split('/')[0]!, split: 'validation', name: file },
  top: [{ index, name: classNames[index]!, probability: 0.5 }],
});
/** A session whose validation photos are exactly those of `answers`. */
const sessionOf = (list: readonly PhotoPrediction[]) => ({
  photos: { select: (split: 'validation') => (split === 'validation' ? list.map((a) => a.photo) : []) },
});

describe('lesson 1: baseline on hand-made photos and answers, exact counts and figures', () => {
  /**
   * 14 photos: 8 cats (2 right; 4 taken for wild cats, the lynx twice; a brown bear, the class after the cheetah; a
   * pug), 3 dogs (2 right, one a lynx: not a cat, so no wild cat), 3 others (1 right, a tabby, a Mexican hairless).
   */
  let set: PhotoPrediction[];
  beforeAll(() => {
    const names = session.classNames;
    set = (
      [
        ['cat/a.jpg', 281],
        ['cat/b.jpg', 285],
        ['cat/c.jpg', 287],
        ['cat/d.jpg', 293],
        ['cat/e.jpg', 286],
        ['cat/f.jpg', 287],
        ['cat/g.jpg', 294],
        ['cat/h.jpg', 254],
        ['dog/a.jpg', 254],
        ['dog/b.jpg', 151],
        ['dog/c.jpg', 287],
        ['other/a.jpg', 0],
        ['other/b.jpg', 281],
        ['other/c.jpg', 268],
      ] as const
    ).map(([file, index]) => answer(file, index, names));
  });

  it('passes with the count right and its 95 % interval, and notes every count inside a cell run', async () => {
    let v: CheckResult | undefined;
    const figures = await noted(() => (v = baselineScore(sessionOf(set), set, referenceLabel)));
    expect(v).toEqual(
      yes('5 of 14 validation photos right: 35.7 %, 95 % interval 16.3 % to 61.2 %. That is the baseline to beat.'),
    );
    expect(figures).toEqual({
      'cell.accuracy': 5 / 14,
      'cell.accuracyLow': expect.closeTo(0.16345, 4),
      'cell.accuracyHigh': expect.closeTo(0.61237, 4),
      'cell.correct': 5,
      'cell.total': 14,
      'cell.mistakes': 9,
      'cell.confusion.cat.cat': 2,
      'cell.confusion.cat.dog': 1,
      'cell.confusion.cat.other': 5,
      'cell.confusion.dog.cat': 0,
      'cell.confusion.dog.dog': 2,
      'cell.confusion.dog.other': 1,
      'cell.confusion.other.cat': 1,
      'cell.confusion.other.dog': 1,
      'cell.confusion.other.other': 1,
      'cell.missed.cat': 6,
      'cell.missed.dog': 1,
      'cell.missed.other': 2,
      'cell.wildCats': 4,
      'cell.wildCatTop': 'lynx, catamount',
    });
  });

  it('takes the photos in any order', () => {
    expect(baselineScore(sessionOf(set), [...set].reverse(), referenceLabel)).toEqual(
      yes('5 of 14 validation photos right: 35.7 %, 95 % interval 16.3 % to 61.2 %. That is the baseline to beat.'),
    );
  });

  it('names the wild cat most missed cats get: the first met among equals, a later majority over an earlier one', async () => {
    const names = session.classNames;
    const tie = [answer('cat/a.jpg', 293, names), answer('cat/b.jpg', 286, names), answer('dog/a.jpg', 151, names)];
    let figures = await noted(() => baselineScore(sessionOf(tie), tie, referenceLabel));
    expect([figures['cell.wildCats'], figures['cell.wildCatTop']]).toEqual([2, names[293]]);
    const later = [
      answer('cat/a.jpg', 293, names),
      answer('cat/b.jpg', 286, names),
      answer('cat/c.jpg', 286, names),
      answer('cat/d.jpg', 293, names),
      answer('cat/e.jpg', 286, names),
    ];
    forgetFigures();
    figures = await noted(() => baselineScore(sessionOf(later), later, referenceLabel));
    expect([figures['cell.wildCats'], figures['cell.wildCatTop']]).toEqual([5, COUGAR]);
    const earlier = [...later].reverse();
    forgetFigures();
    figures = await noted(() => baselineScore(sessionOf(earlier), earlier, referenceLabel));
    expect([figures['cell.wildCats'], figures['cell.wildCatTop']]).toEqual([5, COUGAR]);
  });

  it('without a missed wild cat: wildCats 0 and no wildCatTop; all right gives the interval up to 100 %', async () => {
    const names = session.classNames;
    const right = [answer('cat/a.jpg', 282, names), answer('dog/a.jpg', 200, names), answer('other/a.jpg', 500, names)];
    let v: CheckResult | undefined;
    const figures = await noted(() => (v = baselineScore(sessionOf(right), right, referenceLabel)));
    expect(v).toEqual(
      yes('3 of 3 validation photos right: 100.0 %, 95 % interval 43.9 % to 100.0 %. That is the baseline to beat.'),
    );
    expect(figures).toEqual({
      'cell.accuracy': 1,
      'cell.accuracyLow': expect.closeTo(0.4385, 4),
      'cell.accuracyHigh': 1,
      'cell.correct': 3,
      'cell.total': 3,
      'cell.mistakes': 0,
      'cell.confusion.cat.cat': 1,
      'cell.confusion.cat.dog': 0,
      'cell.confusion.cat.other': 0,
      'cell.confusion.dog.cat': 0,
      'cell.confusion.dog.dog': 1,
      'cell.confusion.dog.other': 0,
      'cell.confusion.other.cat': 0,
      'cell.confusion.other.dog': 0,
      'cell.confusion.other.other': 1,
      'cell.missed.cat': 0,
      'cell.missed.dog': 0,
      'cell.missed.other': 0,
      'cell.wildCats': 0,
    });
  });

  it('takes an answer without any class as class -1 (ourLabel(-1) must say "other")', () => {
    const names = session.classNames;
    const empty = [{ ...answer('other/a.jpg', 0, names), top: [] }, answer('cat/a.jpg', 281, names)];
    expect(baselineScore(sessionOf(empty), empty, referenceLabel)).toEqual(
      yes('2 of 2 validation photos right: 100.0 %, 95 % interval 34.2 % to 100.0 %. That is the baseline to beat.'),
    );
    // A lookup table over the 1000 ids has no entry for -1.
    const table = names.map((_, id) => referenceLabel(id));
    expect(baselineScore(sessionOf(empty), empty, (id) => table[id]!)).toEqual(
      no('ourLabel(-1) gives undefined, but class -1 is "other" for us.', SAME_LABEL),
    );
  });

  it('notes nothing when it fails, nor outside a cell run', async () => {
    expect(await noted(() => baselineScore(sessionOf(set), set, () => 'other'))).toEqual({});
    expect(await noted(() => baselineScore(sessionOf(set), set.slice(1), referenceLabel))).toEqual({});
    expect(baselineScore(sessionOf(set), set, referenceLabel).pass).toBe(true);
    expect(allFigures()).toEqual({});
  });
});

describe('lesson 1: baseline on the real answers, one row per branch, the exact message and ladder', () => {
  it('wb.classify answers each of the 78 validation photos once, with its most probable class', () => {
    expect(answers).toHaveLength(78);
    expect(new Set(answers.map((a) => a.photo.file)).size).toBe(78);
    expect(answers.every((a) => a.top.length === 1)).toBe(true);
  });

  it('passes the solution’s call, and notes the figures the lesson’s record holds', async () => {
    let v: CheckResult | undefined;
    const figures = await noted(() => (v = baselineScore(session, answers, referenceLabel)));
    expect(v).toEqual(
      yes('66 of 78 validation photos right: 84.6 %, 95 % interval 75.0 % to 91.0 %. That is the baseline to beat.'),
    );
    const names = Object.keys(figures).map((k) => k.slice('cell.'.length));
    expect(names.sort()).toEqual(
      [
        'accuracy',
        'accuracyLow',
        'accuracyHigh',
        'correct',
        'total',
        'mistakes',
        ...['cat', 'dog', 'other'].flatMap((is) => ['cat', 'dog', 'other'].map((said) => `confusion.${is}.${said}`)),
        'missed.cat',
        'missed.dog',
        'missed.other',
        'wildCats',
        'wildCatTop',
      ].sort(),
    );
    for (const name of names) {
      const x = figures[`cell.${name}`];
      if (typeof x === 'number' && !Number.isInteger(x))
        expect(x, name).toBeCloseTo(recorded[`baseline.${name}`] as number, 5);
      else expect(x, name).toBe(recorded[`baseline.${name}`]);
    }
  });

  it.each([
    [
      'the starter’s ourLabel (everything "other")',
      () => 'other',
      (id: number) => `ourLabel(${id}) gives the string "other", but class ${id} is "${referenceLabel(id)}" for us.`,
    ],
    [
      'cats running on to the cheetah (ourLabels would have failed it)',
      runs(D, [281, 293]),
      () => 'ourLabel(287) gives the string "cat", but class 287 is "other" for us.',
    ],
    [
      'capitalised labels',
      (id: number) => referenceLabel(id).toUpperCase(),
      (id: number) =>
        `ourLabel(${id}) gives the string "${referenceLabel(id).toUpperCase()}", but class ${id} is "${referenceLabel(id)}" for us.`,
    ],
  ])('fails %s at the first answer it gets wrong', (_, f, message) => {
    const first = answers.find((a) => f(a.top[0]!.index) !== referenceLabel(a.top[0]!.index))!.top[0]!.index;
    expect(baselineScore(session, answers, f)).toEqual(no(message(first), SAME_LABEL));
  });

  it.each([
    [
      'half the photos',
      () => answers.slice(0, 39),
      'The answers cover 39 photos, 39 of the 78 validation photos missing.',
    ],
    ['no photos', () => [], 'The answers cover 0 photos, 78 of the 78 validation photos missing.'],
    [
      'one photo twice',
      () => [...answers, answers[0]!],
      'The answers cover 79 photos, 0 of the 78 validation photos missing.',
    ],
    [
      'one photo twice in place of another',
      () => [answers[1]!, ...answers.slice(1)],
      'The answers cover 78 photos, 1 of the 78 validation photos missing.',
    ],
    [
      'a hole where one answer should be',
      () => [undefined, ...answers.slice(1)],
      'The answers cover 78 photos, 1 of the 78 validation photos missing.',
    ],
    [
      'the top classes alone (best.map((a) => a.top[0]))',
      () => answers.map((a) => a.top[0]),
      'The answers cover 78 photos, 78 of the 78 validation photos missing.',
    ],
    [
      'the wrong photos only (what the cell filters)',
      () => answers.filter((a) => referenceLabel(a.top[0]!.index) !== a.photo.label),
      'The answers cover 12 photos, 66 of the 78 validation photos missing.',
    ],
  ])('fails %s', (_, list, message) => {
    expect(baselineScore(session, list() as PhotoPrediction[], referenceLabel)).toEqual(no(message, EVERY_PHOTO));
  });

  it('fails the answers for training photos', async () => {
    const train = session.photos.select('train').slice(0, 78);
    const trainAnswers = train.map((photo) => ({ photo, top: answers[0]!.top }));
    expect(baselineScore(session, trainAnswers, referenceLabel)).toEqual(
      no('The answers cover 78 photos, 78 of the 78 validation photos missing.', EVERY_PHOTO),
    );
  });

  it.each([
    [
      'wb.classify without await',
      () => [Promise.resolve(answers), referenceLabel],
      'a promise (add `await`) and a function',
    ],
    ['ourLabel called', () => [answers, referenceLabel(0)], 'an array of 78 and the string "other"'],
    ['no ourLabel', () => [answers, undefined], 'an array of 78 and undefined'],
    ['the arguments swapped', () => [referenceLabel, answers], 'a function and an array of 78'],
    ['one answer', () => [answers[0], referenceLabel], 'an object and a function'],
  ])('fails %s', (_, args, described) => {
    const [a, f] = args();
    expect(baselineScore(session, a as PhotoPrediction[], f as (id: number) => string)).toEqual(
      no(`Pass the answers of wb.classify and your ourLabel function; got ${described}.`, NOT_ANSWERS),
    );
  });
});

describe('lesson 1: its checks as the page reaches them', () => {
  it('lessons/01-what-the-network-knows/checks.ts registers the three checks, each judged on the page’s session', async () => {
    const checks = lesson1.create({ session, evidence: {} } as unknown as LessonCheckContext);
    expect(Object.keys(checks).sort()).toEqual(['baseline', 'mostProbableClass', 'ourLabels']);
    expect(await checks.mostProbableClass(probs, 281)).toEqual(
      no('Class 281 (“tabby, tabby cat”) has probability 5.7 %, but class 285 (“Egyptian cat”) has 89.1 %.', ARGMAX),
    );
    expect(await checks.ourLabels(runs(D, [281, 293]))).toEqual(no(wrongLabel(8, 286, COUGAR, '"cat"', 'other'), WILD));
    expect(await checks.baseline(answers.slice(0, 39), referenceLabel)).toEqual(
      no('The answers cover 39 photos, 39 of the 78 validation photos missing.', EVERY_PHOTO),
    );
    expect((await checks.baseline(answers, referenceLabel)).pass).toBe(true);
  });

  it('wb.check.mostProbableClass resolves for the solution and stops the starter’s cell with the first rung', async () => {
    const check = wb.check as unknown as ChecksOf<typeof lesson1>;
    await expect(check.mostProbableClass(probs, 285)).resolves.toBeUndefined();
    const e = await check.mostProbableClass(probs, 0).then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(CheckFailed);
    expect((e as CheckFailed).result).toMatchObject({
      pass: false,
      message: 'Class 0 (“tench, Tinca tinca”) has probability <0.1 %, but class 285 (“Egyptian cat”) has 89.1 %.',
      shownHints: [ARGMAX[0]],
    });
  });

  it('wb.check.ourLabels and wb.check.baseline resolve for the solution and stop the starter’s cell', async () => {
    const check = wb.check as unknown as ChecksOf<typeof lesson1>;
    await expect(check.ourLabels(referenceLabel)).resolves.toBeUndefined();
    await expect(check.baseline(answers, referenceLabel)).resolves.toBeUndefined();
    const e = await check
      .ourLabels(() => 'other')
      .then(
        () => null,
        (err: unknown) => err,
      );
    expect((e as CheckFailed).result).toMatchObject({
      pass: false,
      message: wrongLabel(123, 151, 'Chihuahua', '"other"', 'dog'),
      shownHints: [RUNS[0]],
    });
  });
});
