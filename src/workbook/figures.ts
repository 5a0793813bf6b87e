/**
 * The page's figures: every number a lesson's prose may quote, named and kept as the cells produce them, so that
 * `npm run record` (scripts/record-lessons.mjs) can write them to lessons/NN-slug/record.json and the lesson e2e
 * specs can compare a live run with that record. The prose then renders its numbers from the record
 * (src/components/Fig.astro) instead of having them typed by hand from some old run.
 *
 * Nothing here is for learners: no cell calls it. The facade's train, evaluate, classify and features feed it one
 * line each (`noteRun(run)`, `noteEvaluation(ev)`, `noteClassification(predictions)`, `noteFeatures(report)`), and
 * it names each figure after the cell that was running: a run in cell "train" gives `train.valAcc`,
 * `train.valCorrect`, `train.valAccLow`, …
 * A second result of the same kind in one run of a cell gets a number: `runs.2.valAcc`, `runs.3.valAcc`.
 * Re-running a cell first drops the figures its previous run left, so the map always describes the cells as they
 * last ran. The map lives on `window.__wbFigures` (plain JSON values), where a test or the recorder reads it.
 *
 * Figures are fractions (0.91, not 91 %), counts, seconds or names; formatting is the prose's job.
 */
import type { Evaluation } from '../ml/evaluate';
import type { RunRecord } from '../ml/runs';
import { wilsonInterval } from '../ml/stats';
import { runningCell, type RunningCell } from '../runtime/globals';

/** A figure: a number, or a name (a class, a photo, a backend). */
export type Figure = number | string | boolean;

/** All figures of the page, by name ("train.valAcc"). */
export type Figures = Record<string, Figure>;

/** The global the recorder and the e2e specs read. */
export const FIGURES_GLOBAL = '__wbFigures';

/** The page's figures, created on first use. */
function store(): Figures {
  const holder = globalThis as unknown as Record<string, Figures | undefined>;
  return (holder[FIGURES_GLOBAL] ??= {});
}

/** The figures of the page as they are now (a copy). */
export function allFigures(): Figures {
  return { ...store() };
}

/**
 * How many results of each kind the current run of each cell has given. A cell run is one RunningCell object (the
 * kernel makes a new one per run), so a WeakMap forgets finished runs and tells a re-run from a second result.
 */
const seen = new WeakMap<RunningCell, Map<string, number>>();

/**
 * The name prefix for the next result of `kind` from the running cell: "train." for the first, "train.2." for a
 * second. The first result of a new cell run clears the figures of that cell's earlier run. Null outside a cell.
 */
function prefixFor(kind: string): string | null {
  const cell = runningCell();
  if (!cell) return null;
  let counts = seen.get(cell);
  if (!counts) {
    counts = new Map();
    seen.set(cell, counts);
    const figures = store();
    for (const key of Object.keys(figures)) if (key.startsWith(`${cell.id}.`)) delete figures[key];
  }
  const n = (counts.get(kind) ?? 0) + 1;
  counts.set(kind, n);
  return n === 1 ? `${cell.id}.` : `${cell.id}.${n}.`;
}

/** Puts figures under a prefix; non-finite numbers (a stopped run's NaN) are left out rather than stored as null. */
function put(prefix: string, values: Figures): void {
  const figures = store();
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === 'number' && !Number.isFinite(value)) continue;
    figures[prefix + key] = value;
  }
}

/**
 * Figures of a result of some other `kind` (a freeze-point sweep: src/workbook/freeze-sweep.ts), named by the module
 * that produced it, under the running cell's prefix as every other result: `sweep.conv_pw_11_relu.valAcc`.
 */
export function noteFigures(kind: string, values: Figures): void {
  const prefix = prefixFor(kind);
  if (prefix !== null) put(prefix, values);
}

/** An accuracy k/n with its 95 % Wilson interval, as `<name>`, `<name>Low`, `<name>High`, and the two counts. */
function accuracyFigures(
  name: string,
  correct: number,
  total: number,
  correctName: string,
  totalName: string,
): Figures {
  if (total <= 0) return {};
  const { estimate, low, high } = wilsonInterval(correct, total);
  return { [name]: estimate, [`${name}Low`]: low, [`${name}High`]: high, [correctName]: correct, [totalName]: total };
}

/**
 * A training run: its final and best validation accuracy (with correct / total and the Wilson interval), losses,
 * epochs, seconds per epoch, and each epoch's losses and validation accuracy as `epoch<N>.valAcc` (N from 1).
 * `photos.perClass`, for a run on `{ perClass: n }` training photos of each class, is kept as `perClass`: the sample
 * size lesson 8's prose names ("5 photos a class, 15 in all" is `perClass` and `trainPhotos`).
 */
export function noteRun(run: RunRecord, photos?: { perClass?: number }): void {
  const prefix = prefixFor('run');
  if (prefix === null) return;
  const history = run.history;
  const last = history.at(-1);
  const total = run.validationPhotos;
  // Accuracies are shares of a whole number of photos: round back to the count, so the record holds k/n exactly.
  const count = (acc: number) => Math.round(acc * total);
  let best = -1;
  history.forEach((h, i) => {
    if (best < 0 || h.valAcc > history[best]!.valAcc) best = i;
  });
  const values: Figures = {
    epochs: history.length,
    epochsAsked: run.epochs,
    stopped: run.stopped === true,
    secondsPerEpoch: run.secondsPerEpoch,
    featureSeconds: run.featureSeconds,
    trainableParams: run.trainableParams,
    frozenParams: run.frozenParams,
    trainPhotos: run.trainPhotos,
    ...(photos?.perClass !== undefined ? { perClass: photos.perClass } : {}),
    batchSize: run.batchSize,
    // As the trainer counts them (src/ml/train.ts): the last, smaller batch is a step too.
    batchesPerEpoch: Math.ceil(run.trainPhotos / run.batchSize),
    freezeAt: run.freezeAt,
    backend: run.backend,
    mode: run.mode,
  };
  if (last) {
    Object.assign(values, accuracyFigures('valAcc', count(last.valAcc), total, 'valCorrect', 'valTotal'), {
      loss: last.loss,
      acc: last.acc,
      valLoss: last.valLoss,
    });
  }
  if (best >= 0) {
    const b = history[best]!;
    Object.assign(values, accuracyFigures('bestValAcc', count(b.valAcc), total, 'bestValCorrect', 'valTotal'), {
      bestEpoch: best + 1,
    });
  }
  history.forEach((h, i) => {
    values[`epoch${i + 1}.valAcc`] = h.valAcc;
    values[`epoch${i + 1}.valLoss`] = h.valLoss;
    values[`epoch${i + 1}.loss`] = h.loss;
  });
  put(prefix, values);
}

/**
 * An evaluation: accuracy (correct / total, Wilson interval), loss, the confusion matrix as
 * `confusion.<is>.<said>`, per class `precision.<c>`, `recall.<c>`, `support.<c>` (photos that are c) and
 * `said.<c>` (photos called c), and the mistakes, most confident first: `mistake<N>.name`, `.is`, `.said`, `.p`.
 */
export function noteEvaluation(ev: Evaluation): void {
  const prefix = prefixFor('evaluation');
  if (prefix === null) return;
  const total = ev.predictions.length;
  const values: Figures = {
    ...accuracyFigures('accuracy', total - ev.misclassified.length, total, 'correct', 'total'),
    loss: ev.loss,
    mistakes: ev.misclassified.length,
  };
  ev.labels.forEach((is, i) => {
    ev.labels.forEach((said, j) => {
      values[`confusion.${is}.${said}`] = ev.confusion[i]?.[j] ?? 0;
    });
    values[`said.${is}`] = ev.confusion.reduce((sum, row) => sum + (row[i] ?? 0), 0);
  });
  for (const c of ev.perClass) {
    values[`precision.${c.label}`] = c.precision;
    values[`recall.${c.label}`] = c.recall;
    values[`support.${c.label}`] = c.support;
  }
  const confidence = (scores: readonly number[]) => Math.max(...scores);
  [...ev.misclassified]
    .sort((a, b) => confidence(b.scores) - confidence(a.scores))
    .forEach((m, i) => {
      Object.assign(values, {
        [`mistake${i + 1}.name`]: m.name,
        [`mistake${i + 1}.is`]: m.label,
        [`mistake${i + 1}.said`]: m.predicted,
        [`mistake${i + 1}.p`]: confidence(m.scores),
      });
    });
  put(prefix, values);
}

/** One photo's answer as classify gives it: the photo and its most probable classes, most probable first. */
export interface ClassifiedPhoto {
  photo: { name: string; label: string; file: string };
  top: readonly { name: string; probability: number; index: number }[];
}

/**
 * A classification: how many photos, how many whose top class is their label (`right`, for a model with our
 * labels), `said.<class>` counts of top classes, and each photo's top classes as `<photo name>.top<K>` (class
 * name) and `<photo name>.p<K>` (probability), the photo named by its file without folder and extension.
 */
export function noteClassification(predictions: readonly ClassifiedPhoto[]): void {
  const prefix = prefixFor('classification');
  if (prefix === null) return;
  const values: Figures = { photos: predictions.length };
  let right = 0;
  for (const { photo, top } of predictions) {
    const first = top[0];
    if (!first) continue;
    if (first.name === photo.label) right++;
    values[`said.${first.name}`] = ((values[`said.${first.name}`] as number | undefined) ?? 0) + 1;
    const id = photo.file.replace(/^.*\//, '').replace(/\.[^.]+$/, '');
    top.forEach((t, k) => {
      values[`${id}.top${k + 1}`] = t.name;
      values[`${id}.p${k + 1}`] = t.probability;
    });
  }
  values.right = right;
  put(prefix, values);
}

/** What computing the frozen activations did (wb.features' report). */
export interface FeatureFigures {
  layer: string;
  photos: number;
  computedFromPhotos: number;
  seconds: number;
  megabytesCached: number;
}

/**
 * The one-off computation of frozen activations: `features.seconds` (a timing, never compared by the drift test),
 * how many photos ran through the frozen layers, and the megabytes the page then keeps.
 */
export function noteFeatures(report: FeatureFigures): void {
  const prefix = prefixFor('features');
  if (prefix === null) return;
  put(prefix, {
    layer: report.layer,
    photos: report.photos,
    computedFromPhotos: report.computedFromPhotos,
    seconds: report.seconds,
    megabytesCached: report.megabytesCached,
  });
}

/**
 * One photo file's probabilities (wb.classify: an upload, or a photo of the set fetched as a file): the top
 * label as `<photo>.top` and each label's probability as `<photo>.<label>`, the photo named by its file name
 * without the extension ("British_Shorthair_139").
 */
export function notePhotoScores(fileName: string, scores: readonly { label: string; probability: number }[]): void {
  const prefix = prefixFor('photo-scores');
  if (prefix === null) return;
  const id = fileName.replace(/^.*\//, '').replace(/\.[^.]+$/, '');
  const values: Figures = {};
  const top = [...scores].sort((a, b) => b.probability - a.probability)[0];
  if (top) values[`${id}.top`] = top.label;
  for (const s of scores) values[`${id}.${s.label}`] = s.probability;
  put(prefix, values);
}
