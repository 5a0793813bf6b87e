/**
 * Lessons own their checks. Each lesson folder may hold a `checks.ts` that default-exports its named checks:
 *
 * ```ts
 * // lessons/09-my-lesson/checks.ts
 * export default defineLessonChecks(({ session }) => ({
 *   // (a doc comment here is what the editor shows on hover)
 *   photoCount: (n: number) => (n === session.photos.all.length ? pass('…') : fail('…', ['idea', 'API', 'almost'])),
 * }));
 * ```
 *
 * Each check is a *verdict function*: it returns `pass(…)` or `fail(message, hints)` and knows nothing of cells.
 * `namedChecks` wraps every one in `runCheck` under its own name, so that `await wb.check.photoCount(n)` shows ✓ or
 * ✗ under the cell, stops the cell on ✗ and climbs that check's hint ladder. The lesson page loads the checks of its
 * own lesson only (checks-of-lesson.ts); the editor and `npm run check:cells` type `wb.check` with the same file
 * (scripts/cell-env.mjs), so adding lesson 9's checks means adding lessons/09-…/checks.ts and nothing else.
 */
import { runCheck, type CheckResult } from './checks';
import { cellOutput } from './cell-output';
import type { evidenceApi } from './evidence';
import type { Session } from './session';

/** What a lesson's checks may use: the page's session (model, photos, class names) and its evidence tools. */
export interface LessonCheckContext {
  session: Session;
  /** The same evidence tools as `wb.evidence` (their feature caches are shared with the learner's cells). */
  evidence: ReturnType<typeof evidenceApi>;
}

/** A verdict function: the learner's answer in, a verdict out (each check declares its own argument types). */
type Verdict = (...args: any[]) => CheckResult | Promise<CheckResult>;

/** A lesson's checks, as its checks.ts default-exports them. */
export interface LessonChecks<T extends Record<string, Verdict> = Record<string, Verdict>> {
  /** Makes the lesson's verdict functions for one page. */
  readonly create: (context: LessonCheckContext) => T;
}

/** Declares a lesson's checks (the default export of lessons/NN-slug/checks.ts); returns them, typed. */
export function defineLessonChecks<T extends Record<string, Verdict>>(
  create: (context: LessonCheckContext) => T,
): LessonChecks<T> {
  return { create };
}

/** Verdict functions as `wb.check` members: the same arguments, resolving when the check passes. */
export type NamedChecks<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => unknown ? (...args: A) => Promise<void> : never;
};

/** The `wb.check` members a lesson's checks.ts gives (used by the generated cell types, scripts/cell-env.mjs). */
export type ChecksOf<L> = L extends LessonChecks<infer T> ? NamedChecks<T> : never;

/** Returns the lesson's checks as `wb.check` members, each reported under the running cell by its own name. */
export function namedChecks<T extends Record<string, Verdict>>(
  checks: LessonChecks<T>,
  context: LessonCheckContext,
): NamedChecks<T> {
  const verdicts = checks.create(context);
  const named: Record<string, (...args: unknown[]) => Promise<void>> = {};
  for (const [name, verdict] of Object.entries(verdicts)) {
    named[name] = (...args) => runCheck(() => verdict(...args), cellOutput(), name);
  }
  return named as NamedChecks<T>;
}

declare global {
  /**
   * The named checks of the lesson a cell belongs to. Empty here; the cell types (scripts/cell-env.mjs) extend it
   * with `ChecksOf<typeof import('lessons/NN-slug/checks').default>` for the lesson being edited or checked.
   */
  interface WorkbookLessonChecks {}
}
