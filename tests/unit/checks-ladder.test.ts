/**
 * The hint ladder (src/workbook/checks.ts, checks-ladder.ts): the Nth failed try of a check in a cell shows its
 * first N hints, newest last; the same mistake climbs, a different mistake starts its own ladder, another cell or
 * another check has its own count, and a pass starts every ladder of that check in that cell again at the first rung.
 * Run through `runCheck` and `report` with a cell output that records what the cell would show, as in the page.
 */
import { describe, expect, it } from 'vitest';
import type { CellOutput } from '../../src/workbook/cell-output';
import {
  CheckFailed,
  fail,
  pass,
  plainCheck,
  runCheck,
  type CheckResult,
  type ShownVerdict,
} from '../../src/workbook/checks';
import { failedTries } from '../../src/workbook/checks-ladder';
import { defineLessonChecks, namedChecks, type LessonCheckContext } from '../../src/workbook/checks-registry';

const LADDER = ['the idea', 'which API', 'almost the line'];

/** A cell's output that keeps the verdicts a cell would show (panels are only built in the page). */
function cell(id: string) {
  const shown: ShownVerdict[] = [];
  const out: CellOutput = {
    show: () => {},
    progress: () => {},
    signal: new AbortController().signal,
    throwIfStopped: () => {},
    cellId: id,
  };
  return { out, shown };
}

/** Runs a check in a cell and returns the hints the ✗ panel shows (empty on a pass). */
async function hintsShown(out: CellOutput, name: string, verdict: CheckResult): Promise<readonly string[]> {
  try {
    await runCheck(() => verdict, out, name);
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(CheckFailed);
    return (e as CheckFailed).result.shownHints;
  }
}

describe('the hint ladder', () => {
  it('a check failed three times shows 1, 2, 3 hints, newest last, and never more than it has', async () => {
    const { out } = cell('ladder-a');
    const wrong = fail('Not yet.', LADDER);
    expect(await hintsShown(out, 'softmax', wrong)).toEqual(['the idea']);
    expect(await hintsShown(out, 'softmax', wrong)).toEqual(['the idea', 'which API']);
    expect(await hintsShown(out, 'softmax', wrong)).toEqual(LADDER);
    expect(await hintsShown(out, 'softmax', wrong)).toEqual(LADDER);
    expect(failedTries('ladder-a', 'softmax')).toBe(4);
  });

  it('a pass resets the ladder: the next mistake starts again at the first rung', async () => {
    const { out } = cell('ladder-b');
    const wrong = fail('Not yet.', LADDER);
    await hintsShown(out, 'count', wrong);
    expect(await hintsShown(out, 'count', wrong)).toHaveLength(2);
    expect(await hintsShown(out, 'count', pass('Right.'))).toEqual([]);
    expect(failedTries('ladder-b', 'count')).toBe(0);
    expect(await hintsShown(out, 'count', wrong)).toEqual(['the idea']);
  });

  it('a different mistake, another check and another cell each climb their own ladder', async () => {
    const a = cell('ladder-c');
    const b = cell('ladder-d');
    const first = fail('Sums to 30.', LADDER);
    const other = fail('Infinity.', ['shift the logits', 'tf.max', 'subtract the max']);
    await hintsShown(a.out, 'softmax', first);
    expect(await hintsShown(a.out, 'softmax', first)).toHaveLength(2);
    expect(await hintsShown(a.out, 'softmax', other)).toEqual(['shift the logits']);
    expect(await hintsShown(a.out, 'ourLabels', first)).toEqual(['the idea']);
    expect(await hintsShown(b.out, 'softmax', first)).toEqual(['the idea']);
    // The first mistake's count was kept while the learner tried something else.
    expect(await hintsShown(a.out, 'softmax', first)).toEqual(LADDER);
  });

  it('without a cell, the failure message itself carries the hints reached (Node, a callback after its cell)', async () => {
    const noCell: CellOutput = { ...cell('x').out, cellId: null };
    await expect(runCheck(() => fail('Not 3.', ['Use 3.', 'Really.']), noCell, 'solo')).rejects.toThrow(
      'Not 3. Hint: Use 3.',
    );
    await expect(runCheck(() => fail('Not 3.', ['Use 3.', 'Really.']), noCell, 'solo')).rejects.toThrow(
      'Not 3. Hint: Use 3. Hint: Really.',
    );
  });

  it("a lesson's named checks climb one ladder per check name through namedChecks, as wb.check.<name> does", async () => {
    const checks = defineLessonChecks(() => ({
      isThree: (n: number) => (n === 3 ? pass('3.') : fail(`${n} is not 3.`, LADDER)),
      isFour: (n: number) => (n === 4 ? pass('4.') : fail(`${n} is not 4.`, LADDER)),
    }));
    const named = namedChecks(checks, {} as LessonCheckContext);
    // Outside a cell the ladder is shared per check: the message grows one hint per failed try.
    await expect(named.isThree(1)).rejects.toThrow('1 is not 3. Hint: the idea');
    await expect(named.isThree(2)).rejects.toThrow('2 is not 3. Hint: the idea Hint: which API');
    await expect(named.isFour(1)).rejects.toThrow(/^1 is not 4\. Hint: the idea$/);
    await expect(named.isThree(3)).resolves.toBeUndefined();
    await expect(named.isThree(1)).rejects.toThrow(/^1 is not 3\. Hint: the idea$/);
    await named.isFour(4);
  });

  it('an exception inside a check is a failed verdict with its own ladder, and a plain check takes a ladder too', async () => {
    const { out } = cell('ladder-e');
    const shown = await hintsShown(out, 'broken', await Promise.resolve(fail('x', [])));
    expect(shown).toEqual([]);
    await expect(
      runCheck(
        () => {
          throw new Error('model is undefined');
        },
        out,
        'throws',
      ),
    ).rejects.toMatchObject({ result: { message: 'The check could not run on your answer: model is undefined' } });
    await expect(plainCheck(false, 'ok', 'Not yet.', ['one', 'two'])).rejects.toThrow('Not yet. Hint: one');
    await expect(plainCheck(true, 'ok', 'Not yet.', ['one', 'two'])).resolves.toBeUndefined();
  });
});
