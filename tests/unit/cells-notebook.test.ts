/**
 * The notebook's run states and queue (src/runtime/notebook.ts) with a real kernel and cells without a page:
 * order, stale, cancelled queues, Stop, re-run while running, Restart.
 */
import { describe, expect, test } from 'vitest';
import type { RunOutcome } from '../../src/runtime/kernel';
import { Notebook, type NotebookCell, type RunState } from '../../src/runtime/notebook';
import { recordingSink, testKernel } from '../helpers/cells';

class FakeCell implements NotebookCell {
  states: RunState[] = [];
  outcomes: RunOutcome[] = [];
  constructor(
    readonly id: string,
    public code: string,
  ) {}
  source() {
    return this.code;
  }
  beginRun() {
    return recordingSink();
  }
  render(state: RunState) {
    this.states.push(state);
  }
  finish(outcome: RunOutcome) {
    this.outcomes.push(outcome);
  }
  get status() {
    return this.states.at(-1)?.status ?? 'idle';
  }
}

function notebook(...sources: [string, string][]) {
  const cells = sources.map(([id, code]) => new FakeCell(id, code));
  const kernel = testKernel({}, 2000);
  let restarted = 0;
  const nb = new Notebook(cells, async () => kernel, {
    onRestart: async () => {
      restarted++;
      return 'hook ran';
    },
  });
  return { nb, cells, kernel, restarted: () => restarted };
}

const settled = (nb: Notebook, ...cells: FakeCell[]) =>
  new Promise<void>((resolve) => {
    const check = () =>
      cells.every((c) => ['done', 'error', 'idle', 'stale'].includes(nb.state(c.id).status))
        ? resolve()
        : setTimeout(check, 5);
    setTimeout(check, 5);
  });

describe('Notebook', () => {
  test('Run all runs in page order through queued → running → done', async () => {
    const { nb, cells } = notebook(['a', 'const x = 1;'], ['b', 'x + 1']);
    nb.runAll();
    expect(cells[1]!.status).toBe('queued');
    await settled(nb, ...cells);
    expect(cells[0]!.states.map((s) => s.status)).toEqual(['queued', 'running', 'done']);
    expect(cells[1]!.outcomes[0]).toMatchObject({ ok: true, value: 2 });
  });

  test('a failing cell cancels the queue after it; the cancelled cells say why', async () => {
    const { nb, cells } = notebook(['a', 'throw new Error("no")'], ['b', '1']);
    nb.runAll();
    await settled(nb, ...cells);
    expect(nb.state('a').status).toBe('error');
    expect(nb.state('b')).toMatchObject({ status: 'idle', note: 'Not run: cell “a” failed.' });
  });

  test('re-running or editing a cell makes later runs stale; editing makes the cell itself stale', async () => {
    const { nb, cells } = notebook(['a', 'const x = 1;'], ['b', 'x']);
    nb.runAll();
    await settled(nb, ...cells);
    nb.run(['a']);
    await settled(nb, ...cells);
    expect(nb.state('b').status).toBe('stale');
    nb.run(['b']);
    await settled(nb, ...cells);
    cells[0]!.code = 'const x = 2;';
    nb.edited('a');
    expect(nb.state('a')).toMatchObject({ status: 'stale', note: 'Edited since it ran.' });
    expect(nb.state('b').status).toBe('stale');
  });

  test('Stop ends the running cell and cancels the queue; Run on a running cell restarts it', async () => {
    const { nb, cells } = notebook(['slow', 'for (;;) await new Promise((r) => setTimeout(r, 10));'], ['next', '1']);
    nb.runAll();
    await new Promise((r) => setTimeout(r, 50));
    await nb.stop();
    await settled(nb, ...cells);
    expect(nb.state('slow')).toMatchObject({ status: 'error', error: { kind: 'stopped' } });
    expect(nb.state('next').status).toBe('idle');

    nb.runCell('slow');
    await new Promise((r) => setTimeout(r, 50));
    nb.runCell('slow'); // again while running: the first run stops, a new one starts
    await new Promise((r) => setTimeout(r, 50));
    expect(nb.state('slow').status).toBe('running');
    expect(cells[0]!.outcomes.at(-1)).toMatchObject({ ok: false, error: { kind: 'stopped' } });
    await nb.stop('slow');
    await settled(nb, cells[0]!);
  });

  test('Restart clears the scope, runs the page hook and sets every cell back to idle', async () => {
    const { nb, cells, restarted } = notebook(['a', 'const kept = 1;'], ['b', 'kept']);
    nb.runAll();
    await settled(nb, ...cells);
    expect(await nb.restart()).toBe('Restarted: all variables cleared; hook ran.');
    expect(restarted()).toBe(1);
    expect(nb.state('a').status).toBe('idle');
    nb.run(['b']);
    await settled(nb, cells[1]!);
    expect(cells[1]!.outcomes.at(-1)).toMatchObject({ ok: false, error: { name: 'ReferenceError' } });
  });
});
