/**
 * The `signal` a cell sees (src/runtime/kernel.ts) must itself abort on Stop. The loop guard and Stop's own race
 * end a run whether or not the signal fires, so a test that only looks at the run's outcome passes with a signal
 * that never aborts; here the cell has no loop at all and only the signal can tell it to finish.
 */
import { describe, expect, test } from 'vitest';
import { recordingSink, testKernel } from '../helpers/cells';

describe("a cell's signal", () => {
  test('aborts when the learner presses Stop, and its abort listeners run', async () => {
    const k = testKernel();
    const sink = recordingSink();
    const source = [
      'display(signal);',
      'await new Promise((resolve) => signal.addEventListener("abort", () => { console.log("aborted:", signal.aborted); resolve(0); }));',
      'console.log("after the abort");',
    ].join('\n');
    const running = k.run('waits-for-stop', source, sink);
    await new Promise((r) => setTimeout(r, 30));
    const [signal] = sink.recorded.displayed as AbortSignal[];
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(signal!.aborted).toBe(false);
    k.stop();
    const outcome = await running;
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error.kind).toBe('stopped');
    expect(signal!.aborted).toBe(true);
    await new Promise((r) => setTimeout(r, 10));
    expect(sink.recorded.lines.map((l) => l.args.join(' '))).toEqual(['aborted: true', 'after the abort']);
  });

  test('is a fresh, unaborted signal on the next run', async () => {
    const k = testKernel();
    const first = recordingSink();
    const running = k.run('a', 'display(signal); await new Promise(() => {});', first);
    await new Promise((r) => setTimeout(r, 20));
    k.stop();
    await running;
    const second = recordingSink();
    const outcome = await k.run('b', 'display(signal); signal.aborted', second);
    expect(outcome.ok && outcome.value).toBe(false);
    expect(second.recorded.displayed[0]).not.toBe(first.recorded.displayed[0]);
    expect((first.recorded.displayed[0] as AbortSignal).aborted).toBe(true);
  });
});
