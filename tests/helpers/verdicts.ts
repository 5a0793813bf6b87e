/**
 * The verdicts a grader's table expects, written out as plain objects rather than with the graders' own
 * `pass`/`fail` (src/workbook/checks.ts): an expectation built by the code under test would change with it.
 */
import type { CheckResult } from '../../src/workbook/checks';

/** A failing verdict: the exact message and the whole hint ladder a learner can climb. */
export const no = (message: string, hints: string[]): CheckResult => ({ pass: false, message, hints });

/** A passing verdict: the exact message, no hints. */
export const yes = (message: string): CheckResult => ({ pass: true, message, hints: [] });
