/**
 * The hook lesson helpers use to reach the cell that called them (globals.ts `runningCell`): a helper global draws
 * its progress under, and sees the stop signal of, the running cell — and nothing is "running" between runs.
 */
import { describe, expect, it } from 'vitest';
import { runningCell } from '../../src/runtime/globals';
import { runCell, testKernel } from '../helpers/cells';

describe('runningCell', () => {
  it('gives helpers the running cell’s progress, display and signal, and null between runs', async () => {
    let seenSignal: AbortSignal | undefined;
    const helper = {
      work: async () => {
        const cell = runningCell();
        if (!cell) throw new Error('no running cell');
        cell.progress(1, 4, 'bytes');
        cell.display('from the helper');
        seenSignal = cell.signal;
        return cell.id;
      },
    };
    const kernel = testKernel({ helper });
    expect(runningCell()).toBeNull();
    const outcome = await runCell(kernel, 'load', 'await helper.work()');
    expect(outcome.ok && outcome.value).toBe('load');
    expect(outcome.recorded.progress).toEqual([{ fraction: 0.25, label: 'bytes 1 / 4' }]);
    expect(outcome.recorded.displayed).toEqual(['from the helper']);
    expect(seenSignal?.aborted).toBe(false);
    expect(runningCell()).toBeNull();
  });
});
