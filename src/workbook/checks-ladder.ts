/**
 * The hint ladder's memory: how many times, in one cell, one check has failed with one mistake. This is the cell's
 * run state, kept apart from its source (the runtime keeps the code; the count lives here, by the cell's id), and it
 * lives as long as the page: a reload starts every ladder again at its first rung.
 *
 * A mistake is known by its ladder (the hints a check gives for it): the same mistake made again climbs one rung, a
 * different mistake starts its own ladder at the first rung. A pass clears every ladder of that check in that cell.
 */

/** failed tries by cell, then by "check name + ladder" */
const tries = new Map<string, Map<string, number>>();

/** Code run outside a cell (Node tests, a callback after its cell ended) shares one ladder per check. */
const NO_CELL = '\u0000no cell';

function key(check: string, hints: readonly string[]): string {
  return `${check}\u0000${hints.join('\u0001')}`;
}

/**
 * Records one more failed try and returns how many rungs to show now: 1 on the first try, one more per try after
 * it, never more than the ladder has.
 */
export function climbLadder(cellId: string | null, check: string, hints: readonly string[]): number {
  const cell = cellId ?? NO_CELL;
  let counts = tries.get(cell);
  if (!counts) tries.set(cell, (counts = new Map()));
  const k = key(check, hints);
  const count = (counts.get(k) ?? 0) + 1;
  counts.set(k, count);
  return Math.min(count, hints.length);
}

/** Clears every ladder of `check` in the cell: it passed, so the next mistake starts again at the first rung. */
export function resetLadder(cellId: string | null, check: string): void {
  const counts = tries.get(cellId ?? NO_CELL);
  if (!counts) return;
  for (const k of [...counts.keys()]) if (k.startsWith(`${check}\u0000`)) counts.delete(k);
}

/** How many failed tries are on record for a check in a cell (all its mistakes together): for tests and views. */
export function failedTries(cellId: string | null, check: string): number {
  let total = 0;
  for (const [k, n] of tries.get(cellId ?? NO_CELL) ?? []) if (k.startsWith(`${check}\u0000`)) total += n;
  return total;
}
