/**
 * The check mechanism: `await wb.check.something(answer)` tests what an answer *means* — the model it built gives 3
 * probabilities summing to 1, the function it wrote maps every ImageNet class right — never how its code is spelled.
 *
 * A check shows its verdict under the cell: ✓ with what was confirmed (often a number worth reading), or ✗ with
 * what is wrong and a hint. A failed check also stops the cell (it throws `CheckFailed`), so "Run all" halts at the
 * first exercise still to do instead of running later cells on a wrong answer.
 *
 * Lessons attach a check to an exercise by calling one in the solution (the build-time lesson check looks for a
 * `wb.check…` call; see lessons/README.md). Named checks live in checks-*.ts files; `wb.check(condition, …)` is the
 * plain form for one-off checks an instructor writes in a cell.
 */
import { cellOutput, type CellOutput } from './cell-output';
import { errorMessage } from '../ml/error-message';

/** A check's verdict. */
export interface CheckResult {
  pass: boolean;
  /** One or two sentences: what was found, in the learner's terms. */
  message: string;
  /** For a failure: what to try next. */
  hint?: string;
}

/** A passing verdict. */
export const pass = (message: string): CheckResult => ({ pass: true, message });
/** A failing verdict with a hint. */
export const fail = (message: string, hint?: string): CheckResult => ({ pass: false, message, hint });

/** Thrown by a failed check so the cell stops; the ✗ panel above the error says what to change. */
export class CheckFailed extends Error {
  constructor(
    readonly result: CheckResult,
    shownAbove: boolean,
  ) {
    super(
      shownAbove
        ? 'see the ✗ above for what to change.'
        : `${result.message}${result.hint ? ` Hint: ${result.hint}` : ''}`,
    );
    this.name = 'Check failed';
    // Keep only the frames in the learner's cells: the error then points at the line of the check, and the
    // collapsed stack shows their code, not the workbook's internals.
    const frames = (this.stack ?? '').split('\n').filter((line) => line.includes('workbook-cell-'));
    this.stack = [`${this.name}: ${this.message}`, ...frames].join('\n');
  }
}

/** Shows a verdict under the running cell and throws CheckFailed when it failed. */
export function report(result: CheckResult, out: CellOutput = cellOutput()): void {
  out.show(() => checkPanel(result));
  if (!result.pass) throw new CheckFailed(result, out.cellId !== null);
}

/**
 * Runs a check function and reports it. An exception inside the check (a wrong type passed, a model that cannot
 * run) becomes a failed verdict that says so, rather than a stack trace from deep inside the workbook. Resolves to
 * nothing, so that `await wb.check.x(…)` as a cell's last line adds no value under the ✓.
 */
export async function runCheck(
  check: () => CheckResult | Promise<CheckResult>,
  out: CellOutput = cellOutput(),
): Promise<void> {
  let result: CheckResult;
  try {
    result = await check();
  } catch (e) {
    if (e instanceof CheckFailed) throw e;
    out.throwIfStopped();
    result = fail(
      `The check could not run on your answer: ${errorMessage(e)}`,
      'Run the cells above first, and pass the check what it asks for (hover its name to see).',
    );
  }
  return report(result, out);
}

/**
 * `wb.check(condition, ok, notYet, hint?)`: the plain check for instructors' own cells. `condition` is a boolean
 * (or a function returning one) computed from what the learner's code *did*.
 */
export function plainCheck(
  condition: boolean | (() => boolean),
  ok: string,
  notYet: string,
  hint?: string,
): Promise<void> {
  return runCheck(() => ((typeof condition === 'function' ? condition() : condition) ? pass(ok) : fail(notYet, hint)));
}

/** The ✓/✗ panel (DOM: only built when a cell shows it). */
export function checkPanel(result: CheckResult): HTMLElement {
  const box = document.createElement('div');
  box.className = `wb-check ${result.pass ? 'wb-check-pass' : 'wb-check-fail'}`;
  box.dataset.check = result.pass ? 'pass' : 'fail';
  box.setAttribute('role', result.pass ? 'status' : 'alert');
  const mark = document.createElement('strong');
  mark.className = 'wb-check-mark';
  mark.textContent = result.pass ? '✓ Check passed' : '✗ Not yet';
  const message = document.createElement('p');
  message.className = 'wb-check-message';
  message.textContent = result.message;
  box.append(mark, message);
  if (result.hint) {
    const hint = document.createElement('p');
    hint.className = 'wb-check-hint';
    hint.textContent = `Hint: ${result.hint}`;
    box.append(hint);
  }
  return box;
}
