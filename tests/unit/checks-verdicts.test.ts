/**
 * The check mechanism's small print (src/workbook/checks.ts, checks-ladder.ts), exactly: the verdicts pass() and
 * fail() build, what a failed check throws (its name, its message in a cell and outside one, a stack that keeps only
 * the learner's cell frames), a check that crashes, a nested failed check passed through, the plain wb.check with a
 * condition function, and the ladder's bookkeeping per check, per ladder and per cell. checks-ladder.test.ts has the
 * ladder as a learner climbs it; the ✓/✗ panel itself is built in the page (e2e).
 */
import { describe, expect, it } from 'vitest';
import type { CellOutput } from '../../src/workbook/cell-output';
import { CheckFailed, fail, pass, plainCheck, report, runCheck } from '../../src/workbook/checks';
import { climbLadder, failedTries, resetLadder } from '../../src/workbook/checks-ladder';

/** A cell's output whose panels are not built (no DOM here); `cellId: null` is code outside any cell. */
function cell(cellId: string | null): CellOutput {
  return {
    show: () => {},
    progress: () => {},
    signal: new AbortController().signal,
    throwIfStopped: () => {},
    cellId,
  };
}

/** The error a rejected promise carries. */
async function rejection(p: Promise<unknown>): Promise<CheckFailed> {
  try {
    await p;
  } catch (e) {
    return e as CheckFailed;
  }
  throw new Error('expected the check to fail');
}

describe('pass and fail', () => {
  it('build verdicts with the ladder as given: none for a pass, a string is one rung, none by default', () => {
    expect(pass('Right.')).toEqual({ pass: true, message: 'Right.', hints: [] });
    expect(fail('Not yet.')).toEqual({ pass: false, message: 'Not yet.', hints: [] });
    expect(fail('Not yet.', 'one hint')).toEqual({ pass: false, message: 'Not yet.', hints: ['one hint'] });
    expect(fail('Not yet.', ['a', 'b'])).toEqual({ pass: false, message: 'Not yet.', hints: ['a', 'b'] });
  });
});

describe('CheckFailed', () => {
  it('in a cell says to look at the ✗ above; outside one it carries the message and the hints reached', async () => {
    const inCell = await rejection(runCheck(() => fail('Wrong count.', ['idea']), cell('verdict-a'), 'n'));
    expect(inCell).toBeInstanceOf(CheckFailed);
    expect(inCell.name).toBe('Check failed');
    expect(inCell.message).toBe('see the ✗ above for what to change.');
    expect(inCell.result).toMatchObject({ pass: false, message: 'Wrong count.', shownHints: ['idea'] });
    const outside = await rejection(runCheck(() => fail('Wrong count.', ['idea']), cell(null), 'verdict-b'));
    expect(outside.message).toBe('Wrong count. Hint: idea');
  });

  it('keeps only the frames of the learner’s cells in its stack, under its name and message', () => {
    const make = () => new CheckFailed({ pass: false, message: 'No.', hints: [], shownHints: [] }, false);
    expect(make().stack).toBe('Check failed: No.');
    // A function compiled as a cell is (its source URL names it workbook-cell-…), as the kernel names cells.
    const inCell = new Function('make', 'return make();\n//# sourceURL=workbook-cell-7.js') as (
      f: () => CheckFailed,
    ) => CheckFailed;
    const lines = inCell(make).stack!.split('\n');
    expect(lines[0]).toBe('Check failed: No.');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines.slice(1)) expect(line).toContain('workbook-cell-7.js');
  });
});

describe('runCheck and report', () => {
  it('turns a crash into a failed verdict with its own two hints', async () => {
    const e = await rejection(
      runCheck(
        () => {
          throw new TypeError('x is undefined');
        },
        cell('verdict-c'),
        'crash',
      ),
    );
    expect(e.result.message).toBe('The check could not run on your answer: x is undefined');
    expect(e.result.hints).toEqual([
      'Run the cells above first: the check needs what they make.',
      'Pass the check what it asks for: hover its name in the editor to see each argument.',
    ]);
  });

  it('passes a failed check from inside a check through as it is, not as a crash', async () => {
    const inner = new CheckFailed({ pass: false, message: 'Inner.', hints: [], shownHints: [] }, true);
    const e = await rejection(
      runCheck(
        () => {
          throw inner;
        },
        cell('verdict-d'),
        'outer',
      ),
    );
    expect(e).toBe(inner);
  });

  it('a stopped cell’s crash is the stop, not a verdict', async () => {
    const stopped = {
      ...cell('verdict-e'),
      throwIfStopped: () => {
        throw new Error('stopped');
      },
    };
    await expect(runCheck(() => Promise.reject(new Error('aborted')), stopped, 'stop')).rejects.toThrow('stopped');
  });

  it('shows each verdict under the cell, and counts under the name "check" when none is given', async () => {
    const shown: unknown[] = [];
    const out = { ...cell('verdict-f'), show: (v: unknown) => void shown.push(v) };
    report(pass('Fine.'), out);
    expect(() => report(fail('No.', ['h']), out)).toThrow(CheckFailed);
    expect(shown).toHaveLength(2);
    expect(failedTries('verdict-f', 'check')).toBe(1);
    await expect(runCheck(() => fail('No.', ['h']), out)).rejects.toThrow(CheckFailed);
    expect(failedTries('verdict-f', 'check')).toBe(2);
  });
});

describe('plainCheck', () => {
  it('calls a condition function, and climbs a ladder named after its message', async () => {
    await expect(plainCheck(() => true, 'ok', 'Not yet A.')).resolves.toBeUndefined();
    await expect(plainCheck(() => false, 'ok', 'Not yet A.', 'one')).rejects.toThrow('Not yet A. Hint: one');
    expect(failedTries(null, 'plain: Not yet A.')).toBe(1);
  });
});

describe('the ladder’s bookkeeping', () => {
  it('two ladders that join to the same text are two mistakes', () => {
    expect(climbLadder('ladder-x', 'c', ['ab', 'c'])).toBe(1);
    expect(climbLadder('ladder-x', 'c', ['a', 'bc'])).toBe(1);
    expect(climbLadder('ladder-x', 'c', ['ab', 'c'])).toBe(2);
  });

  it('a pass resets its own check only; counting reads its own check only; an unknown cell has none', () => {
    climbLadder('ladder-y', 'one', ['h1', 'h2']);
    climbLadder('ladder-y', 'one', ['h1', 'h2']);
    climbLadder('ladder-y', 'two', ['h1', 'h2']);
    climbLadder('ladder-y', 'one-more', ['h1', 'h2']); // a name that starts like another is another check
    expect(failedTries('ladder-y', 'one')).toBe(2);
    resetLadder('ladder-y', 'two');
    expect(failedTries('ladder-y', 'one')).toBe(2);
    expect(failedTries('ladder-y', 'two')).toBe(0);
    expect(failedTries('ladder-y', 'one-more')).toBe(1);
    expect(() => resetLadder('never-used', 'one')).not.toThrow();
    expect(failedTries('never-used', 'one')).toBe(0);
  });

  it('code outside any cell shares one ladder, apart from a cell with an empty id', () => {
    climbLadder(null, 'solo-check', ['h']);
    expect(failedTries(null, 'solo-check')).toBe(1);
    expect(failedTries('', 'solo-check')).toBe(0);
  });
});
