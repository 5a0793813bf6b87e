/**
 * The figures a check notes for a lesson's prose (src/workbook/figures.ts), read the way a cell run leaves them:
 * a check notes figures only while a cell is running, so the tables run it as if inside one and read what it noted.
 */
import { setRunningCell } from '../../src/runtime/globals';
import { allFigures, FIGURES_GLOBAL } from '../../src/workbook/figures';

/** Runs `fn` as if inside the cell `cellId`, and returns the figures it noted. */
export async function noted(fn: () => unknown, cellId = 'cell'): Promise<Record<string, unknown>> {
  setRunningCell({ id: cellId, display: () => {}, progress: () => {}, signal: new AbortController().signal });
  try {
    await fn();
    return { ...allFigures() };
  } finally {
    setRunningCell(null);
  }
}

/** Forgets every figure noted so far (for an afterEach: each row starts from none). */
export function forgetFigures(): void {
  delete (globalThis as Record<string, unknown>)[FIGURES_GLOBAL];
}
