/**
 * `wb.recordedSweep(name)`: a freeze-point sweep that was trained once, in Chromium on wasm, by the recorder's
 * reference mode (`npm run record -- 06 --reference`, scripts/record-reference.mjs), and is shown here as
 * `wb.freezeSweep` would show it: the same chart, table and paired comparisons, plus the validation accuracy after
 * every epoch. Some runs are too long for a page (lesson 6's whole network: about a minute and a half per epoch
 * on one wasm thread), but the course still owes the learner their result; a recorded run, labelled as one with
 * where, when and how it ran, is the honest way to give it. Nothing is trained or computed on the page.
 *
 * The file is public/reference/<name>.json: the sweep's SweepPoint[] as the engine returned it (runs, per-photo
 * answers, per-epoch history), with the run's provenance. Its figures go to the page's record under the running
 * cell's prefix, as a live sweep's do (figures.ts), so the prose quotes them with <Fig>.
 */
import { compareSweepPoints, type SweepPoint } from '../ml/freeze-sweep';
import { siteUrl } from '../platform/base-url';
import { cellOutput } from './cell-output';
import { duration, percent, textTable, workbookElement } from './dom';
import { noteFigures, type Figures } from './figures';
import { figureKey, sweepFigures } from './freeze-sweep';
import { sweepView } from './freeze-sweep-view';

/** A sweep recorded once, with where, when and how it ran. */
export interface RecordedSweep {
  /** The file's name under reference/, e.g. "everything". */
  name: string;
  /** ISO date and time the run ended. */
  recorded: string;
  /** e.g. "Chromium 156.0.8078.108". */
  browser: string;
  /** The tfjs backend and its threads: "wasm", 1. */
  backend: string;
  threads: number;
  /** The commit the site was built from, and the command that recorded it. */
  commit: string;
  command: string;
  /** The sweep's settings, as passed to wb.freezeSweep. */
  settings: { seeds: number[]; epochs: number; learningRate: number };
  /** Wall-clock seconds of the whole sweep (every point, every seed). */
  seconds: number;
  points: SweepPoint[];
}

/** Refuses a file that is not a recorded sweep, saying what is wrong with it. */
function checkRecorded(data: unknown, file: string): RecordedSweep {
  const r = data as Partial<RecordedSweep> | null;
  const problem =
    !r || typeof r !== 'object'
      ? 'it is not a JSON object'
      : !Array.isArray(r.points) || r.points.length === 0
        ? 'it has no points'
        : r.points.some((p) => !Array.isArray(p?.runs) || p.runs.some((run) => !Array.isArray(run?.right)))
          ? "a point's runs lack their per-photo answers"
          : typeof r.recorded !== 'string' || !r.settings
            ? 'it does not say when and how it was recorded'
            : null;
  if (problem) throw new Error(`${file} is not a recorded freeze-point sweep: ${problem}`);
  return r as RecordedSweep;
}

/** The validation accuracy after each epoch, mean over seeds with its 95 % interval; one row per epoch. */
export function epochCurves(points: readonly SweepPoint[]): { epoch: number; values: (number | undefined)[] }[] {
  const epochs = Math.max(...points.flatMap((p) => p.runs.map((r) => r.record.history.length)));
  return Array.from({ length: epochs }, (_, e) => ({
    epoch: e + 1,
    values: points.map((p) => {
      const accs = p.runs.map((r) => r.record.history[e]?.valAcc).filter((v): v is number => v !== undefined);
      return accs.length ? accs.reduce((a, b) => a + b, 0) / accs.length : undefined;
    }),
  }));
}

/** The per-epoch table: mean validation accuracy over the seeds after each epoch, per point, with each seed's. */
function epochTable(points: readonly SweepPoint[]): HTMLTableElement {
  const table = textTable(
    'Validation accuracy after each epoch (mean over seeds; each seed in brackets)',
    ['epoch', ...points.map((p) => p.label)],
    epochCurves(points).map(({ epoch, values }) => [
      String(epoch),
      ...points.map((p, i) => {
        const seeds = p.runs.map((r) => percent(r.record.history[epoch - 1]?.valAcc ?? NaN)).join(', ');
        return `${percent(values[i] ?? NaN)} (${seeds})`;
      }),
    ]),
  );
  table.className = 'wb-table';
  table.dataset.wb = 'recorded-sweep-epochs';
  return table;
}

/** The label above the view: this was recorded, not run here; where, when, how long it took. */
function provenance(r: RecordedSweep): HTMLElement {
  const note = workbookElement('p', 'recorded-reference');
  note.dataset.recorded = r.recorded;
  const strong = document.createElement('strong');
  strong.textContent = 'Recorded reference run';
  note.append(
    strong,
    `: ${r.browser}, ${r.backend} (${r.threads} thread${r.threads === 1 ? '' : 's'}), ${r.recorded.slice(0, 10)}; ` +
      `${r.settings.epochs} epochs × ${r.settings.seeds.length} seeds per point, learning rate ${r.settings.learningRate}; ` +
      `${duration(r.seconds)} of training there. Nothing was trained on this page.`,
  );
  return note;
}

/** The figures of a recorded sweep: a live sweep's, plus the per-epoch means and when it was recorded. */
export function recordedFigures(r: RecordedSweep): Figures {
  const figures = sweepFigures(r.points);
  // The paired test's p-value against the first point (the head alone), for prose that quotes the verdict.
  const first = r.points[0]!;
  for (const p of r.points.slice(1))
    figures[`${figureKey(p.label)}.vsFirst.pValue`] = compareSweepPoints(p, first).pValue;
  for (const { epoch, values } of epochCurves(r.points))
    r.points.forEach((p, i) => {
      if (values[i] !== undefined) figures[`${figureKey(p.label)}.epoch${epoch}.valAcc`] = values[i]!;
    });
  Object.assign(figures, {
    'reference.epochs': r.settings.epochs,
    'reference.seeds': r.settings.seeds.length,
    'reference.recorded': r.recorded.slice(0, 10),
    'reference.seconds': r.seconds,
  });
  return figures;
}

/** The recorded-sweep member of the facade. */
export function recordedSweepApi() {
  /**
   * Returns a freeze-point sweep recorded once in Chromium (too long to train on a page), and shows it as
   * wb.freezeSweep does, labelled with where, when and how it ran, with its accuracy after every epoch.
   * @example const everything = await wb.recordedSweep('everything');
   */
  return async function recordedSweep(name: string): Promise<RecordedSweep> {
    const out = cellOutput();
    if (!/^[\w-]+$/.test(name))
      throw new Error(`recordedSweep names a recorded run, like "everything"; not ${JSON.stringify(name)}`);
    const file = `reference/${name}.json`;
    const response = await fetch(siteUrl(file));
    if (!response.ok)
      throw new Error(
        `there is no recorded run named ${JSON.stringify(name)} (${file}: HTTP ${response.status}); ` +
          'the recorder writes them: npm run record -- 06 --reference',
      );
    const recorded = checkRecorded(await response.json(), file);
    noteFigures('freeze-sweep', recordedFigures(recorded));
    const Plot = await import('@observablehq/plot');
    out.show(() => {
      const box = workbookElement('div', 'recorded-sweep');
      box.append(provenance(recorded), sweepView(recorded.points, Plot), epochTable(recorded.points));
      return box;
    });
    return recorded;
  };
}
