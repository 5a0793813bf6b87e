/**
 * Where the facade's output goes: under the cell that called it. Every part of `wb` reaches the running cell
 * through cellOutput(), never through the runtime's runningCell() directly. The runtime tells us which cell is running
 * (src/runtime/globals.ts `runningCell`); we capture it once at the start of an operation, so a model that takes
 * ten seconds to load keeps drawing its progress under the cell that asked for it.
 *
 * No DOM here: things to show are passed as *factories* (`() => element`), called only when a cell is there to show
 * them. In Node tests nothing runs a cell, so nothing is drawn and the facade's data functions still work.
 */
import { runningCell, type RunningCell } from '../runtime/globals';

/** The output of one facade call. */
export interface CellOutput {
  /** Shows what `make()` builds under the cell (not called when no cell is running). */
  show(make: () => unknown): void;
  /** The cell's progress bar, `(fraction, label?)` or `(done, total, label?)` as in a cell; a no-op without a cell. */
  progress(done: number, totalOrLabel?: number | string, label?: string): void;
  /** The cell's stop signal (never aborted without a cell). */
  signal: AbortSignal;
  /** Throws the stop reason when the learner pressed Stop or re-ran the cell. */
  throwIfStopped(): void;
  /** The id of the cell, or null. */
  cellId: string | null;
}

const NEVER = new AbortController().signal;

/** The running cell's output, or a silent one (tests, code run after its cell finished). */
export function cellOutput(cell: RunningCell | null = runningCell()): CellOutput {
  const signal = cell?.signal ?? NEVER;
  return {
    show: (make) => {
      if (cell) cell.display(make());
    },
    progress: (done, totalOrLabel, label) =>
      cell?.progress(typeof totalOrLabel === 'number' ? done : Math.min(1, Math.max(0, done)), totalOrLabel, label),
    signal,
    throwIfStopped: () => signal.throwIfAborted(),
    cellId: cell?.id ?? null,
  };
}

/** Runs `work` over `items` in batches, reporting progress and stopping between batches when the cell is stopped. */
export async function inBatches<T, R>(
  items: readonly T[],
  size: number,
  out: CellOutput,
  label: string,
  work: (batch: T[]) => Promise<R[]>,
): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size) {
    out.throwIfStopped();
    results.push(...(await work(items.slice(start, start + size))));
    if (items.length > size)
      out.progress(results.length / items.length, `${label} ${results.length} / ${items.length}`);
  }
  return results;
}
