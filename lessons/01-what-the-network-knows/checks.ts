/**
 * Lesson 1's checks: the most probable class of one photo, and the learner's translation of ImageNet's 1000 classes
 * into cat, dog and other. Each recomputes the right answer from the real model and its class list and compares
 * meanings: a class index with the real argmax, a function with the right label for every one of the 1000 classes.
 */
import * as tf from '@tensorflow/tfjs';
import { fail, pass, type CheckResult } from '../../src/workbook/checks';
import { what } from '../../src/workbook/checks-helpers';
import { defineLessonChecks } from '../../src/workbook/checks-registry';
import { percent } from '../../src/workbook/dom';
import { noteFigures } from '../../src/workbook/figures';
import { errorMessage } from '../../src/ml/error-message';
import { wilsonInterval } from '../../src/ml/stats';
import type { PhotoPrediction } from '../../src/workbook/classify';

/** ImageNet's dog breeds and domestic cats, by class index (the rest is "other" for us): the reference answer. */
export const IMAGENET_DOGS = { first: 151, last: 268 } as const;
export const IMAGENET_CATS = { first: 281, last: 285 } as const;
/** The wild cats that follow them (cougar, lynx, leopard, snow leopard, jaguar, lion, tiger, cheetah): "other" for us. */
export const IMAGENET_WILD_CATS = { first: 286, last: 293 } as const;

/** Returns our label of an ImageNet class: the reference answer of the `our-label` exercise. */
export function referenceLabel(classId: number): 'cat' | 'dog' | 'other' {
  if (classId >= IMAGENET_DOGS.first && classId <= IMAGENET_DOGS.last) return 'dog';
  if (classId >= IMAGENET_CATS.first && classId <= IMAGENET_CATS.last) return 'cat';
  return 'other';
}

/** Returns whether `classId` (the learner's answer) is the index of the largest of the 1000 probabilities `probs`. */
export function mostProbableClass(
  { classNames }: { classNames: readonly string[] },
  probs: tf.Tensor,
  classId: number,
): CheckResult {
  if (!(probs instanceof tf.Tensor) || probs.size !== classNames.length) {
    return fail(
      `The first argument should be the model's output for one photo, 1000 probabilities; got ${what(probs)}.`,
      ["The check wants the model's answer for the photo first: `probs`, the tensor model.predict(input) returned."],
    );
  }
  const values = probs.dataSync();
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  const name = (i: number) => `“${classNames[i]}”`;
  const ladder = [
    'You want the *position* of the largest of the 1000 probabilities: that position is the class id.',
    'A tensor finds the position of its largest value along an axis with argMax; dataSync() reads numbers out of a tensor.',
    'Call argMax on probs along the last axis (-1), then take the first (and only) number dataSync() gives.',
  ];
  if (typeof classId !== 'number' || !Number.isInteger(classId) || classId < 0 || classId >= values.length)
    return fail(
      `classId should be a whole number from 0 to 999 (a position in the output), got ${what(classId)}.`,
      ladder,
    );
  if (classId !== best) {
    return fail(
      `Class ${classId} (${name(classId)}) has probability ${percent(values[classId]!)}, but class ${best} (${name(best)}) has ${percent(values[best]!)}.`,
      ladder,
    );
  }
  // The figures the prose quotes after this exercise (lessons/01-…/record.json, via npm run record): noted only
  // inside a cell run, so the unit tests of this check record nothing.
  noteFigures('most-probable-class', { id1: best, top1: classNames[best] ?? '', p1: values[best]! });
  return pass(`Class ${best}, ${name(best)}, with ${percent(values[best]!)}: the most probable of the 1000.`);
}

/** Returns whether `toOurLabel` sends every ImageNet class to the right one of cat, dog and other. */
export function ourLabels(
  { classNames }: { classNames: readonly string[] },
  toOurLabel: (classId: number) => string,
): CheckResult {
  if (typeof toOurLabel !== 'function')
    return fail(`Pass your function itself; got ${what(toOurLabel)}.`, [
      'The check calls your function on every class id itself: pass `ourLabel`, without calling it.',
    ]);
  const wrong: { id: number; got: unknown; want: string }[] = [];
  for (let id = 0; id < classNames.length; id++) {
    let got: unknown;
    try {
      got = toOurLabel(id);
    } catch (e) {
      return fail(`Your function threw for class ${id}: ${errorMessage(e)}`, [
        'ourLabel is called with every id from 0 to 999 and must return a label for each, without throwing.',
      ]);
    }
    const want = referenceLabel(id);
    if (got !== want) wrong.push({ id, got, want });
  }
  if (wrong.length === 0) {
    const dogs = IMAGENET_DOGS.last - IMAGENET_DOGS.first + 1;
    const cats = IMAGENET_CATS.last - IMAGENET_CATS.first + 1;
    return pass(
      `All 1000 ImageNet classes get the right label: ${dogs} dog breeds, ${cats} kinds of cat, and ${1000 - dogs - cats} classes that are “other” for us.`,
    );
  }
  const first = wrong[0]!;
  // A plain count, as the class total beside it (“1000 of the 1000”, not “1,000 of the 1000”).
  const message = `${wrong.length} of the 1000 classes get the wrong label; for example class ${first.id} (“${classNames[first.id]}”) becomes ${JSON.stringify(first.got)}, but should be "${first.want}".`;
  const ends = [IMAGENET_DOGS.first, IMAGENET_DOGS.last, IMAGENET_CATS.first, IMAGENET_CATS.last] as number[];
  if (wrong.some((w) => typeof w.got !== 'string' || !['cat', 'dog', 'other'].includes(w.got)))
    return fail(message, [
      'Return exactly one of the three strings "cat", "dog" or "other", spelled so, for every id.',
    ]);
  if (wrong.every((w) => w.id > IMAGENET_CATS.last && w.got === 'cat'))
    return fail(message, [
      'The wild cats that follow the domestic ones (cougar, lynx, leopard … cheetah) are “other” for us.',
      'Your cat run must stop at the index of "Egyptian cat", that class included.',
    ]);
  if (wrong.every((w) => ends.includes(w.id)))
    return fail(message, [
      'Both ends of a run count: the first and the last class of each run belong to it.',
      'Compare with >= and <= (both ends included), not > and <.',
    ]);
  return fail(message, [
    'ImageNet lists its classes in WordNet order, so the dog breeds are one unbroken run of ids, from the Chihuahua to the Mexican hairless, and the domestic cats another, from the tabby to the Egyptian cat. Everything else is “other”.',
    'Find the first and last id of each run in wb.imagenetClasses: indexOf finds an exact name, findIndex with startsWith a name that goes on (“tabby, tabby cat”).',
    'In ourLabel: return "dog" when classId lies between the first and the last dog id, both included; the same for "cat"; "other" for the rest.',
  ]);
}

/**
 * Returns whether `answers` are the model's answers for every validation photo, and how many of them the
 * translation `toOurLabel` gets right: the baseline the later lessons must beat, shown with its 95 % interval
 * (78 photos are few). The counts are noted as figures for the lesson's record: `accuracy` (with `accuracyLow`,
 * `accuracyHigh`, `correct`, `total`), the confusion of the translation `confusion.<is>.<said>`, per label the
 * photos it misses, `missed.<label>`, and the cats ImageNet calls a wild cat: `wildCats` (how many) and, when there
 * are any, `wildCatTop` (the wild-cat class most of them get, first named; its full ImageNet name).
 */
export function baselineScore(
  { photos }: { photos: { select(split: 'validation'): readonly { file: string; label: string }[] } },
  answers: readonly PhotoPrediction[],
  toOurLabel: (classId: number) => string,
): CheckResult {
  const validation = photos.select('validation');
  if (!Array.isArray(answers) || typeof toOurLabel !== 'function')
    return fail(
      `Pass the answers of wb.classify and your ourLabel function; got ${what(answers)} and ${what(toOurLabel)}.`,
      [
        'The check wants what wb.classify returned for the validation photos, then the function that translates a class id.',
      ],
    );
  const asked = new Set(answers.map((a) => a?.photo?.file));
  const missing = validation.filter((p) => !asked.has(p.file));
  if (missing.length > 0 || answers.length !== validation.length)
    return fail(
      `The answers cover ${answers.length} photos, ${missing.length} of the ${validation.length} validation photos missing.`,
      ["Score every validation photo, each once: wb.photos.all('validation') lists them."],
    );
  const labels = ['cat', 'dog', 'other'];
  const confusion: Record<string, number> = {};
  for (const is of labels) for (const said of labels) confusion[`confusion.${is}.${said}`] = 0;
  const missed: Record<string, number> = Object.fromEntries(labels.map((l) => [`missed.${l}`, 0]));
  let correct = 0;
  const wild = new Map<string, number>(); // missed cats by the wild-cat class ImageNet chose
  for (const answer of answers) {
    const id = answer.top[0]?.index ?? -1;
    const said = toOurLabel(id);
    if (said !== referenceLabel(id))
      return fail(`ourLabel(${id}) gives ${what(said)}, but class ${id} is "${referenceLabel(id)}" for us.`, [
        'Pass the ourLabel the check above accepted.',
      ]);
    const is = answer.photo.label;
    confusion[`confusion.${is}.${said}`] = (confusion[`confusion.${is}.${said}`] ?? 0) + 1;
    if (said === is) correct++;
    else missed[`missed.${is}`] = (missed[`missed.${is}`] ?? 0) + 1;
    if (is === 'cat' && id >= IMAGENET_WILD_CATS.first && id <= IMAGENET_WILD_CATS.last) {
      const name = answer.top[0]?.name ?? String(id);
      wild.set(name, (wild.get(name) ?? 0) + 1);
    }
  }
  const wildCats = [...wild.values()].reduce((a, b) => a + b, 0);
  const wildCatTop = [...wild].reduce<[string, number] | undefined>((a, b) => (!a || b[1] > a[1] ? b : a), undefined);
  const total = answers.length;
  const { estimate, low, high } = wilsonInterval(correct, total);
  noteFigures('baseline', {
    accuracy: estimate,
    accuracyLow: low,
    accuracyHigh: high,
    correct,
    total,
    mistakes: total - correct,
    ...confusion,
    ...missed,
    wildCats,
    ...(wildCatTop ? { wildCatTop: wildCatTop[0] } : {}),
  });
  return pass(
    `${correct} of ${total} validation photos right: ${percent(estimate)}, 95 % interval ${percent(low)} to ${percent(high)}. That is the baseline to beat.`,
  );
}

/** Lesson 1's named checks (`wb.check.<name>`). */
export default defineLessonChecks(({ session }) => ({
  /** Checks that `classId` is the index of the largest of the model's 1000 probabilities `probs`. */
  mostProbableClass: (probs: tf.Tensor, classId: number) => mostProbableClass(session, probs, classId),
  /** Checks that `toOurLabel(classId)` gives "cat", "dog" or "other" right for all 1000 ImageNet classes. */
  ourLabels: (toOurLabel: (classId: number) => string) => ourLabels(session, toOurLabel),
  /** Scores the translated ImageNet answers `answers` (wb.classify on the validation photos) with `toOurLabel`. */
  baseline: (answers: readonly PhotoPrediction[], toOurLabel: (classId: number) => string) =>
    baselineScore(session, answers, toOurLabel),
}));
