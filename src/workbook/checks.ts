/**
 * The check mechanism: `await wb.check.something(answer)` tests what an answer *means* — the model it built gives 3
 * probabilities summing to 1, the function it wrote maps every ImageNet class right — never how its code is spelled.
 *
 * A check shows its verdict under the cell: ✓ with what was confirmed (often a number worth reading), or ✗ with
 * what is wrong and a ladder of hints. A failed check also stops the cell (it throws `CheckFailed`), so "Run all"
 * halts at the first exercise still to do instead of running later cells on a wrong answer.
 *
 * The hint ladder: a failure carries up to three hints, from the idea to the API to almost the line. The first failed
 * try of a check in a cell shows the first hint; each further failed try with the same mistake shows one more
 * (checks-ladder.ts counts them per cell). A pass resets the count, so the ladder never gives the answer away early.
 *
 * Each lesson's named checks live with the lesson (lessons/NN-slug/checks.ts, see checks-registry.ts);
 * `wb.check(condition, …)` is the plain form for one-off checks an instructor writes in a cell.
 */
import { cellOutput, type CellOutput } from './cell-output';
import { errorMessage } from '../ml/error-message';
import { climbLadder, resetLadder } from './checks-ladder';
import { checkPanel } from './check-panel';

/** A check's verdict. */
export interface CheckResult {
  pass: boolean;
  /** One or two sentences: what was found, in the learner's terms. */
  message: string;
  /** For a failure: the hint ladder, from the idea to the API to almost the line (never the answer itself). */
  hints: readonly string[];
}

/** What a failed verdict shows: the message, and the rungs of its ladder reached so far (newest last). */
export interface ShownVerdict extends CheckResult {
  /** hints[0..try-1]: one more per failed try of the same check, in the same cell, with the same mistake. */
  shownHints: readonly string[];
}

/** A passing verdict. */
export const pass = (message: string): CheckResult => ({ pass: true, message, hints: [] });

/**
 * A failing verdict with its hint ladder: `fail(message, [idea, api, almostTheLine])`. A single string is a ladder
 * of one rung.
 */
export const fail = (message: string, hints: string | readonly string[] = []): CheckResult => ({
  pass: false,
  message,
  hints: typeof hints === 'string' ? [hints] : hints,
});

/** Thrown by a failed check so the cell stops; the ✗ panel above the error says what to change. */
export class CheckFailed extends Error {
  constructor(
    readonly result: ShownVerdict,
    shownAbove: boolean,
  ) {
    super(
      shownAbove
        ? 'see the ✗ above for what to change.'
        : [result.message, ...result.shownHints.map((h) => `Hint: ${h}`)].join(' '),
    );
    this.name = 'Check failed';
    // Keep only the frames in the learner's cells: the error then points at the line of the check, and the
    // collapsed stack shows their code, not the workbook's internals.
    const frames = (this.stack ?? '').split('\n').filter((line) => line.includes('workbook-cell-'));
    this.stack = [`${this.name}: ${this.message}`, ...frames].join('\n');
  }
}

/**
 * Shows a verdict under the running cell and throws CheckFailed when it failed. `name` tells the ladder which
 * check this is (each named check in a cell climbs its own ladder); a pass resets that check's ladders in the cell.
 */
export function report(result: CheckResult, out: CellOutput = cellOutput(), name = 'check'): void {
  let shownHints: readonly string[] = [];
  if (result.pass) resetLadder(out.cellId, name);
  else shownHints = result.hints.slice(0, climbLadder(out.cellId, name, result.hints));
  const shown: ShownVerdict = { ...result, shownHints };
  out.show(() => checkPanel(shown));
  if (!result.pass) throw new CheckFailed(shown, out.cellId !== null);
}

/**
 * Runs a check function and reports it. An exception inside the check (a wrong type passed, a model that cannot
 * run) becomes a failed verdict that says so, rather than a stack trace from deep inside the workbook. Resolves to
 * nothing, so that `await wb.check.x(…)` as a cell's last line adds no value under the ✓.
 */
export async function runCheck(
  check: () => CheckResult | Promise<CheckResult>,
  out: CellOutput = cellOutput(),
  name = 'check',
): Promise<void> {
  let result: CheckResult;
  try {
    result = await check();
  } catch (e) {
    if (e instanceof CheckFailed) throw e;
    out.throwIfStopped();
    result = fail(`The check could not run on your answer: ${errorMessage(e)}`, [
      'Run the cells above first: the check needs what they make.',
      'Pass the check what it asks for: hover its name in the editor to see each argument.',
    ]);
  }
  return report(result, out, name);
}

/**
 * `wb.check(condition, ok, notYet, hints?)`: the plain check for instructors' own cells. `condition` is a boolean
 * (or a function returning one) computed from what the learner's code *did*; `hints` a ladder (or one hint).
 */
export function plainCheck(
  condition: boolean | (() => boolean),
  ok: string,
  notYet: string,
  hints?: string | readonly string[],
): Promise<void> {
  return runCheck(
    () => ((typeof condition === 'function' ? condition() : condition) ? pass(ok) : fail(notYet, hints)),
    cellOutput(),
    `plain: ${notYet}`,
  );
}
