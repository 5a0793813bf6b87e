/**
 * The runs table of a page: every training run a learner does on the page, one row each, in the order they
 * finished. It outlives the cells that made the runs (re-running a cell adds a row, it does not replace one), so
 * the table is the lab notebook of the lesson: change the freeze point, rerun, and compare the rows.
 *
 * The table a cell displays is live: it fills in as later runs finish, wherever on the page it is shown.
 */
import { RunsTable, type RunRecord, type RunRow } from '../ml/runs';
import { accuracyOf } from './intervals';
import { count, duration, textTable, workbookElement } from './dom';
import type { Checkpoint } from './checkpoints';

/** The columns a learner compares, with how each is written. */
const COLUMNS: readonly [string, (row: RunRow, record: RunRecord) => string][] = [
  ['#', (_r, rec) => rec.name ?? ''],
  ['run', (r) => r.name],
  ['freeze point', (r) => r.freezeAt],
  ['trainable params', (r) => count(r.trainableParams)],
  ['epochs', (r, rec) => `${r.epochs}${r.stopped ? ` of ${rec.epochs} (stopped)` : ''}`],
  // Every accuracy with its Wilson 95 % interval and the photos it rests on: at 78 photos one photo is 1.3 points.
  ['val accuracy [95 % interval] · correct/total', (r, rec) => accuracyOf(r.finalValAcc, rec.validationPhotos)],
  [
    'best val accuracy',
    (r, rec) =>
      Number.isFinite(r.bestValAcc)
        ? `${accuracyOf(r.bestValAcc, rec.validationPhotos)} (epoch ${r.bestEpoch + 1})`
        : '–',
  ],
  ['seconds / epoch', (r) => duration(r.secondsPerEpoch)],
  [
    'feature extraction',
    (_r, rec) =>
      rec.mode === 'full'
        ? 'none: whole network each step'
        : rec.featureSeconds >= 0.05
          ? duration(rec.featureSeconds)
          : 'cached',
  ],
  ['backend', (r) => r.backend],
];

/** The runs of one page, and live tables of them. */
export class PageRuns {
  private readonly table = new RunsTable();
  private readonly views = new Set<HTMLElement>();

  /** Every run so far, oldest first (plain data: JSON-safe). */
  get records(): readonly RunRecord[] {
    return this.table.records;
  }

  /** Summary rows (final and best validation accuracy, seconds per epoch …), one per run. */
  rows(): RunRow[] {
    return this.table.rows();
  }

  /** Adds a finished (or stopped) run; every table on the page shows it at once. Returns the record. */
  add(record: RunRecord): RunRecord {
    this.table.add(record);
    this.refresh();
    return record;
  }

  /** The run with the best final validation accuracy. */
  best(): RunRecord | undefined {
    return this.table.best();
  }

  /** Forgets every run (the tables empty too). */
  clear(): void {
    this.table.records.length = 0;
    this.refresh();
  }

  /**
   * A live table of the runs: show it with `display(wb.runs.show())` or as a cell's last expression. Rows are
   * sorted by when the run finished; the newest is in bold.
   */
  show(caption = 'Runs on this page'): HTMLElement {
    const view = workbookElement('div', 'runs-table');
    view.dataset.caption = caption;
    this.views.add(view);
    this.render(view);
    return view;
  }

  private refresh(): void {
    for (const view of this.views) {
      // A view no longer in the document (its cell re-ran) is dropped, so the set does not grow forever.
      if (!view.isConnected && view.dataset.rendered === 'true') this.views.delete(view);
      else this.render(view);
    }
  }

  private render(view: HTMLElement): void {
    view.dataset.rendered = 'true';
    view.dataset.runs = String(this.records.length);
    const rows = this.rows();
    if (rows.length === 0) {
      const empty = document.createElement('p');
      empty.className = 'wb-runs-empty';
      empty.textContent = 'No runs yet: train a model on this page and each run adds a row here.';
      view.replaceChildren(empty);
      return;
    }
    const header = COLUMNS.map(([h]) => h);
    const body = rows.map((row, i) => COLUMNS.map(([h, f]) => (h === '#' ? String(i + 1) : f(row, this.records[i]!))));
    const table = textTable(view.dataset.caption ?? 'Runs', header, body);
    // The table is often wider than the column, so its cell value scrolls sideways; a scroll region must hold
    // something the keyboard can reach (WCAG 2.1.1; axe: scrollable-region-focusable). Focused, arrow keys scroll it.
    table.tabIndex = 0;
    [...table.tBodies[0]!.rows].forEach((tr, i) => {
      const record = this.records[i]!;
      tr.dataset.freezeAt = record.freezeAt;
      tr.dataset.valAcc = String(record.history.at(-1)?.valAcc ?? NaN);
      if (i === rows.length - 1) tr.dataset.latest = 'true';
    });
    const note = document.createElement('p');
    note.className = 'wb-note';
    note.textContent = `Brackets: 95 % intervals (Wilson). Two runs whose intervals overlap may differ by chance alone; wb.compare(a, b) pairs two models on the same photos.`;
    view.replaceChildren(table, note);
  }
}

/**
 * The `wb.runs` group of the facade (its learner-facing docs: surface-groups.ts RunsGroup). Runs are added by
 * wb.train itself; a learner adds only a checkpoint's run, as a baseline row, never a hand-made record.
 */
export function runsApi(runs: PageRuns) {
  return {
    show: (caption?: string): HTMLElement => runs.show(caption),
    rows: (): RunRow[] => runs.rows(),
    best: (): RunRecord | undefined => runs.best(),
    addCheckpoint: (checkpoint: Checkpoint, name?: string): RunRecord => {
      if (!checkpoint || typeof checkpoint.name !== 'string' || !('meta' in checkpoint))
        throw new Error('wb.runs.addCheckpoint(checkpoint): pass what wb.checkpoints.load(name) returned');
      if (!checkpoint.record)
        throw new Error(`checkpoint "${checkpoint.name}" carries no run record, so it has no row to add`);
      return runs.add({ ...checkpoint.record, name: name ?? `checkpoint “${checkpoint.name}”` });
    },
    clear: (): void => runs.clear(),
  };
}
