/**
 * Loop guards (src/runtime/guards.ts) and stopping: an endless loop ends with a clear error within the limit,
 * honest long work that yields to the event loop is left alone, and Stop ends a run even while it awaits.
 */
import { describe, expect, test } from 'vitest';
import { LoopGuard } from '../../src/runtime/guards';
import { LoopTimeoutError, StopError } from '../../src/runtime/errors';
import { recordingSink, runCell, testKernel } from '../helpers/cells';

describe('LoopGuard with a fake clock', () => {
  function fakeGuard(limitMs = 100) {
    let now = 0;
    const pending: (() => void)[] = [];
    const guard = new LoopGuard({ limitMs, now: () => now, schedule: (f) => pending.push(f) });
    return { guard, advance: (ms: number) => (now += ms), turn: () => pending.splice(0).forEach((f) => f()) };
  }

  test('throws once the page has had no turn for longer than the limit', () => {
    const { guard, advance } = fakeGuard(100);
    expect(() => {
      for (let i = 0; i < 1000; i++) {
        advance(5);
        guard.tick(7);
      }
    }).toThrow(LoopTimeoutError);
  });

  test('the error names the loop line and the limit, and says how to fix it', () => {
    const { guard, advance } = fakeGuard(1500);
    let error: unknown;
    try {
      for (;;) {
        advance(50);
        guard.tick(12);
      }
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LoopTimeoutError);
    expect((error as Error).message).toMatch(/line 12.*more than 1.5 s.*tf\.nextFrame/);
  });

  test('does not throw when the page gets turns, however long the loop runs overall', () => {
    const { guard, advance, turn } = fakeGuard(100);
    for (let i = 0; i < 1000; i++) {
      advance(5);
      guard.tick(1);
      if (i % 10 === 0) turn(); // an await that let the page breathe
    }
    // 5 s in all, never more than ~50 ms without a turn.
  });

  test('stops a loop whose run was stopped, and any loop while the running cell is stopped', () => {
    const own = new AbortController();
    const active = new AbortController();
    const guard = new LoopGuard({ limitMs: 1e9, signal: () => active.signal });
    guard.tick(1, own.signal);
    own.abort();
    expect(() => guard.tick(1, own.signal)).toThrow(StopError);
    const other = new LoopGuard({ limitMs: 1e9, signal: () => active.signal });
    active.abort();
    expect(() => other.tick(1)).toThrow(StopError);
  });
});

describe('LoopGuard sampling: how often it reads the clock', () => {
  /**
   * A guard whose clock moves `step()` ms per read and whose page always gets its turn at once; returns the tick
   * numbers at which the clock was read. Reading the clock every iteration would slow a tight loop many times over;
   * reading it too rarely would let a frozen page go unnoticed, so the stride adapts to keep reads 1–16 ms apart.
   */
  function readsAt(ticks: number, step: (read: number) => number): number[] {
    let now = 1000; // far from 0, where the first gap would look huge
    let tick = 0;
    const reads: number[] = [];
    const guard = new LoopGuard({
      limitMs: 1e12,
      now: () => {
        reads.push(tick);
        return (now += step(reads.length));
      },
      schedule: (f) => f(),
    });
    for (tick = 1; tick <= ticks; tick++) guard.tick(1);
    return reads;
  }
  const gaps = (reads: number[]) => reads.slice(1).map((r, i) => r - reads[i]!);

  test('doubles the stride while reads come less than 1 ms apart, up to 65,536 iterations', () => {
    const reads = readsAt(131_071 + 3 * 65_536, () => 0.001);
    expect(gaps(reads).slice(1, 6)).toEqual([2, 4, 8, 16, 32]);
    expect(gaps(reads).slice(-2)).toEqual([65_536, 65_536]);
  });

  test('halves the stride, down to every iteration, when reads come more than 16 ms apart', () => {
    // Fast for the first 5 reads (the stride grows to 16), then 20 ms per read.
    const reads = readsAt(200, (read) => (read <= 5 ? 0.001 : 20));
    expect(gaps(reads).slice(4, 11)).toEqual([16, 8, 4, 2, 1, 1, 1]);
  });

  test('keeps the stride when reads are exactly 1 ms or exactly 16 ms apart', () => {
    expect(new Set(gaps(readsAt(50, () => 1)).slice(1))).toEqual(new Set([1]));
    // Fast for 4 reads (the stride grows to 8), then exactly 16 ms per read: it stays at 8.
    const reads = readsAt(400, (read) => (read <= 4 ? 0.001 : 16));
    expect(new Set(gaps(reads).slice(4))).toEqual(new Set([8]));
  });

  test('throws only once the time without a turn is more than the limit, not equal to it', () => {
    let now = 1000;
    const guard = new LoopGuard({ limitMs: 100, now: () => now, schedule: () => undefined });
    guard.tick(1); // the period without a turn starts here
    now += 100;
    guard.tick(1);
    now += 1;
    expect(() => guard.tick(1)).toThrow(LoopTimeoutError);
  });
});

describe('the kernel ends runaway cells', () => {
  test('while (true) {} ends with a loop error at the loop, and the kernel keeps working', async () => {
    const k = testKernel({}, 300);
    const started = performance.now();
    const outcome = await runCell(k, 'spin', 'let spins: number = 0;\nwhile (true) {\n  spins++;\n}');
    expect(performance.now() - started).toBeLessThan(3000);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error).toMatchObject({ kind: 'loop', line: 2, cellId: 'spin' });
    // The scope survived, with what the loop had done.
    const spins = await runCell(k, 'after', 'spins > 0');
    expect(spins).toMatchObject({ ok: true, value: true });
  });

  test('a loop that awaits may run longer than the limit', async () => {
    const k = testKernel({}, 100);
    const outcome = await runCell(
      k,
      'patient',
      'let n = 0;\nconst end = Date.now() + 400;\nwhile (Date.now() < end) { n++; await new Promise((r) => setTimeout(r, 5)); }\nn > 10',
    );
    expect(outcome).toMatchObject({ ok: true, value: true });
  });

  test('Stop ends a run stuck in an await at once, and its loop ends in the background', async () => {
    const k = testKernel({}, 10_000);
    const sink = recordingSink();
    const running = k.run(
      'forever',
      'let ticks = 0;\nfor (;;) { ticks++; await new Promise((r) => setTimeout(r, 10)); }',
      sink,
    );
    await new Promise((r) => setTimeout(r, 100));
    k.stop();
    const outcome = await running;
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.kind).toBe('stopped');
    const ticks = (await runCell(k, 'read', 'ticks')) as { value: number };
    await new Promise((r) => setTimeout(r, 100));
    const later = (await runCell(k, 'read', 'ticks')) as { value: number };
    expect(later.value).toBe(ticks.value); // the orphaned loop stopped at its next guard check
  });

  test('a cell can check `signal` itself to end long work cleanly', async () => {
    const k = testKernel();
    const running = k.run(
      'polite',
      'let steps = 0;\nwhile (!signal.aborted) { steps++; await new Promise((r) => setTimeout(r, 5)); }',
      recordingSink(),
    );
    await new Promise((r) => setTimeout(r, 50));
    k.stop();
    expect((await running).ok).toBe(false);
  });
});
