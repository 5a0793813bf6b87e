/**
 * Lesson 8's checks: an exported model, loaded back, gives the same probabilities as the model that was exported;
 * and the "fewer photos" experiment really trained one run per size on that many photos of each class, every run
 * scored on the whole validation set. Both judge what the learner's code did (the scores, the runs' records), never
 * how it is spelled.
 */
import type { LabelScore } from '../../src/ml/evaluate';
import type { RunRecord } from '../../src/ml/runs';
import { fail, pass, type CheckResult } from '../../src/workbook/checks';
import { what } from '../../src/workbook/checks-helpers';
import { defineLessonChecks } from '../../src/workbook/checks-registry';
import { percent } from '../../src/workbook/dom';
import { accuracyText } from '../../src/workbook/intervals';

/** The ladder for loading the export back: the idea, the API, almost the line. */
const RELOAD_LADDER = [
  'A saved model is only a backup once it has been loaded back and gives the same answers: load the export, then classify the same photo with it.',
  'wb.loadExported(name) loads a model exported to this browser’s IndexedDB; the report wb.exportModel returned says the name it was saved under.',
  'Set `again` to the awaited wb.loadExported call, passing the name field of `exported`.',
];

/** Lesson 8: two models give the same probabilities for a photo (an exported model loaded back, say). */
export function sameAnswers(
  mine: readonly LabelScore[],
  theirs: readonly LabelScore[] | null | undefined,
): CheckResult {
  if (!Array.isArray(theirs) || theirs.length === 0)
    return fail(`The second list of scores is ${what(theirs)}.`, RELOAD_LADDER);
  if (!Array.isArray(mine) || mine.length !== theirs.length)
    return fail(`The two lists of scores have ${what(mine)} and ${theirs.length} entries.`, RELOAD_LADDER);
  const byLabel = new Map(mine.map((s) => [s.label, s.probability]));
  const diff = Math.max(...theirs.map((s) => Math.abs((byLabel.get(s.label) ?? NaN) - s.probability)));
  if (!(diff < 1e-5))
    return fail(
      `The probabilities differ by up to ${Number.isFinite(diff) ? diff.toFixed(4) : 'a label'}: these are not the same model.`,
      [
        'Both lists must come from the same photo and the same network: the one you exported, and its copy loaded back.',
        'wb.classify(model, photo) gives the scores of one photo file; `photo` is the file the cell above classified.',
        'Classify `photo` with `again` (not another photo, not another model).',
      ],
    );
  return pass(
    `Same answer from the model loaded back: ${theirs.map((s) => `${s.label} ${percent(s.probability)}`).join(', ')} (largest difference ${diff.toExponential(1)}).`,
  );
}

/** One row of the experiment: the size asked for and the run it gave. */
export interface SizeRun {
  perClass: number;
  run: RunRecord;
}

/** The ladder for the loop itself: the idea, the API, almost the line. */
const LOOP_LADDER = [
  'One experiment per size: the same settings every time, only the number of training photos changes; a fresh head each time, so no run starts from another’s training.',
  'wb.buildTransferModel(base) makes a fresh head; wb.train(head, settings) trains it and returns the run; fewer.push adds a row.',
  'Inside a for…of loop over `sizes`: build, train with the size in the settings, then push an object with perClass and run.',
];

/**
 * Lesson 8: `fewer` holds at least three runs of different sizes, each trained on exactly `perClass` photos of each
 * class and scored on every validation photo.
 * @param labels the classes (the runs train a head for each)
 * @param validationPhotos how many validation photos every run must be scored on
 * @param allTrainPhotos the size of the whole training split (a run on all of them forgot the subset)
 */
export function fewerPhotos(
  labels: readonly string[],
  validationPhotos: number,
  allTrainPhotos: number,
  fewer: readonly SizeRun[],
): CheckResult {
  if (!Array.isArray(fewer) || fewer.length === 0) return fail(`\`fewer\` is ${what(fewer)}: no run yet.`, LOOP_LADDER);
  // findIndex, not find: a row left null is a bad row too, and find would return it as a falsy "not found".
  const bad = fewer.findIndex((r) => typeof r?.perClass !== 'number' || !Array.isArray(r?.run?.history));
  if (bad >= 0)
    return fail(`A row of \`fewer\` is ${what(fewer[bad])}, not { perClass, run } with the run wb.train returned.`, [
      'Each row pairs a size with what training at that size gave.',
      'wb.train resolves to the run (await it); a row is an object with two fields.',
      'Push an object with the fields perClass (the size) and run (the awaited wb.train result).',
    ]);
  if (fewer.every((r) => r.run.trainPhotos === allTrainPhotos))
    return fail(`Every run trained on all ${allTrainPhotos} training photos: none used fewer.`, [
      'wb.train learns from every training photo unless a run asks for fewer.',
      'The settings of wb.train take `photos: { perClass: n }`: n seeded training photos of each class, validation untouched.',
      'Add photos: { perClass } to the settings object of the wb.train call in your loop.',
    ]);
  const sizes = new Set(fewer.map((r) => r.perClass));
  if (sizes.size < 3)
    return fail(
      `Only ${sizes.size} different size${sizes.size === 1 ? '' : 's'}: a trend needs at least three.`,
      LOOP_LADDER,
    );
  for (const { perClass, run } of fewer) {
    if (run.trainPhotos !== perClass * labels.length)
      return fail(
        `The run for ${perClass} a class trained on ${run.trainPhotos} photos, not ${perClass} × ${labels.length} = ${perClass * labels.length}.`,
        [
          'Each row’s run must be the one trained at that row’s size.',
          'The perClass of the row and the perClass in the settings of wb.train are the same loop variable.',
          'Use the loop variable both in photos: { perClass } and in the pushed row.',
        ],
      );
    if (run.validationPhotos !== validationPhotos || run.history.length === 0)
      return fail(
        `The run for ${perClass} a class was scored on ${run.validationPhotos} validation photos over ${run.history.length} epochs; every run should finish on all ${validationPhotos}.`,
        LOOP_LADDER,
      );
  }
  const rows = [...fewer].sort((a, b) => a.perClass - b.perClass);
  return pass(
    `${rows.length} runs on the same ${validationPhotos} validation photos: ` +
      rows
        .map(({ perClass, run }) => {
          const last = run.history.at(-1)!;
          return `${perClass} a class, ${accuracyText(Math.round(last.valAcc * validationPhotos), validationPhotos)}`;
        })
        .join('; ') +
      '.',
  );
}

/** Lesson 8's named checks (`wb.check.<name>`). */
export default defineLessonChecks(({ session }) => ({
  /** Checks for the same probabilities from two models (the exported one, loaded back). */
  sameAnswers: (mine: readonly LabelScore[], theirs: readonly LabelScore[] | null | undefined) =>
    sameAnswers(mine, theirs),
  /** Checks the fewer-photos runs: at least three sizes, each trained on perClass photos a class, all validated alike. */
  fewerPhotos: (fewer: readonly SizeRun[]) =>
    fewerPhotos(
      session.photos.labels,
      session.photos.select('validation').length,
      session.photos.select('train').length,
      fewer,
    ),
}));
