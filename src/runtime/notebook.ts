/**
 * The notebook: the page's cells in order, a run queue, and each cell's *run state* — kept apart from what the cell
 * *says* (its source, owned by the cell's controller), as marimo does. A cell's source can change without running;
 * a run can be stale without its source changing (an earlier cell ran again). Mixing the two is how notebooks end
 * up showing outputs that no longer match anything.
 *
 * Run states: idle (never ran) → queued → running → done | error; done/error → stale when the cell itself or an
 * earlier cell changed or re-ran after it. One cell runs at a time (the kernel is single-threaded, like the page);
 * when a queued run fails, the rest of the queue is cancelled, as later cells usually depend on it.
 *
 * The kernel (sucrase, acorn, the scope machinery) is loaded on the first run, not with the page.
 */
import type { CellError } from './errors';
import type { RunOutcome, RunSink } from './kernel';
import { errorMessage } from '../ml/error-message';

/** Where a cell is in its run life. */
export type CellStatus = 'idle' | 'queued' | 'running' | 'done' | 'error' | 'stale';

/** A cell's run state. */
export interface RunState {
  status: CellStatus;
  /** performance.now() when the current run started. */
  startedAt?: number;
  /** How long the last run took. */
  durationMs?: number;
  /** The source the last run used. */
  ranSource?: string;
  /** Why: "an earlier cell re-ran", "not run: cell x failed", … */
  note?: string;
  /** The last run's error. */
  error?: CellError;
}

/** What the notebook needs from a cell (cell-controller.ts implements it). */
export interface NotebookCell {
  readonly id: string;
  /** The cell's current source. */
  source(): string;
  /** A new run begins: clear outputs, return where they go. */
  beginRun(): RunSink;
  /** Draw the run state. */
  render(state: RunState): void;
  /** Draw how the run ended (value or error). */
  finish(outcome: RunOutcome): void;
}

/** The kernel's surface the notebook uses (kernel.ts). */
export interface KernelLike {
  run(cellId: string, source: string, sink: RunSink): Promise<RunOutcome>;
  stop(): void;
  clear(): void;
  reportAsyncError(reason: unknown): boolean;
}

/** Callbacks of the page around the notebook. */
export interface NotebookHooks {
  /** After the scope is cleared on Restart: dispose tensors, run lesson hooks. Returns a line for the UI. */
  onRestart?: () => Promise<string | void>;
  /** Something changed (for the notebook toolbar). */
  onChange?: (summary: string) => void;
}

/** The cells of one page and their runs. */
export class Notebook {
  private readonly states = new Map<string, RunState>();
  private queue: string[] = [];
  private running: string | null = null;
  private kernel: Promise<KernelLike> | null = null;
  private pumping: Promise<void> | null = null;
  private loadedKernel: KernelLike | null = null;

  constructor(
    readonly cells: readonly NotebookCell[],
    private readonly loadKernel: () => Promise<KernelLike>,
    private readonly hooks: NotebookHooks = {},
  ) {
    for (const cell of cells) this.states.set(cell.id, { status: 'idle' });
  }

  /** A cell's run state. */
  state(id: string): RunState {
    return this.states.get(id) ?? { status: 'idle' };
  }

  /** The kernel, loaded on first use; a failed load is retried next time. */
  kernelNow(): Promise<KernelLike> {
    this.kernel ??= this.loadKernel().then(
      (k) => (this.loadedKernel = k),
      (e) => {
        this.kernel = null;
        throw e;
      },
    );
    return this.kernel;
  }

  /**
   * Queues cells to run, in page order. Cells already queued are not queued twice; a running cell is queued again
   * only with `rerunRunning` (the caller stops it first).
   */
  run(ids: readonly string[], rerunRunning = false): void {
    const order = this.cells.map((c) => c.id);
    const wanted = [...new Set(ids)]
      .filter((id) => order.includes(id))
      .sort((a, b) => order.indexOf(a) - order.indexOf(b));
    for (const id of wanted) {
      if ((id === this.running && !rerunRunning) || this.queue.includes(id)) continue;
      this.queue.push(id);
      this.set(id, { ...this.state(id), status: 'queued', note: undefined });
    }
    this.pumping ??= this.pump().finally(() => {
      this.pumping = null;
    });
  }

  /** Runs one cell (Run, Shift+Enter). Running it while it runs restarts it: the old run is stopped first. */
  runCell(id: string): void {
    if (this.running === id) {
      void this.kernelNow().then((k) => k.stop());
      this.run([id], true);
    } else this.run([id]);
  }

  /** Queues every cell. */
  runAll(): void {
    this.run(this.cells.map((c) => c.id));
  }

  /** Queues every cell above `id` (not `id` itself). */
  runAbove(id: string): void {
    const i = this.cells.findIndex((c) => c.id === id);
    this.run(this.cells.slice(0, Math.max(0, i)).map((c) => c.id));
  }

  /** Stops `id` (running: abort; queued: dequeue), or with no id the running cell and the whole queue. */
  async stop(id?: string): Promise<void> {
    const cancelled = id === undefined ? this.queue : this.queue.filter((q) => q === id);
    this.queue = this.queue.filter((q) => !cancelled.includes(q));
    for (const q of cancelled) this.unqueue(q, 'Not run: stopped.');
    if (this.running && (id === undefined || id === this.running)) (await this.kernelNow()).stop();
  }

  /** The learner changed a cell's source: its run (if any) and every later run become stale. */
  edited(id: string): void {
    const state = this.state(id);
    if ((state.status === 'done' || state.status === 'error') && state.ranSource !== this.cell(id)?.source()) {
      this.set(id, { ...state, status: 'stale', note: 'Edited since it ran.' });
      this.staleAfter(id, `An earlier cell (“${id}”) changed since this ran.`);
    }
  }

  /** Restart: stop everything, clear the scope, let the page dispose tensors; every cell back to idle. */
  async restart(): Promise<string> {
    await this.stop();
    await this.pumping; // the stopped run reports back before the states are reset
    const kernel = this.kernel ? await this.kernel : null;
    kernel?.clear();
    const line = (await this.hooks.onRestart?.()) ?? '';
    for (const cell of this.cells) this.set(cell.id, { status: 'idle', note: 'Restarted: its variables are gone.' });
    const summary = `Restarted: all variables cleared${line ? `; ${line}` : ''}.`;
    this.hooks.onChange?.(summary);
    return summary;
  }

  /** Page-level error nobody awaited: the kernel attributes it to a cell. False: not from a cell. */
  asyncError(reason: unknown): boolean {
    return this.loadedKernel?.reportAsyncError(reason) ?? false;
  }

  /** Marks a cell as errored after its run ended (a late async error). */
  lateError(id: string, error: CellError): void {
    this.set(id, { ...this.state(id), status: 'error', error, note: 'An error arrived after the cell finished.' });
  }

  private cell(id: string): NotebookCell | undefined {
    return this.cells.find((c) => c.id === id);
  }

  private set(id: string, state: RunState): void {
    this.states.set(id, state);
    this.cell(id)?.render(state);
  }

  private unqueue(id: string, note: string): void {
    const state = this.state(id);
    this.set(id, { ...state, status: state.ranSource === undefined ? 'idle' : 'stale', note });
  }

  private staleAfter(id: string, note: string): void {
    const i = this.cells.findIndex((c) => c.id === id);
    for (const later of this.cells.slice(i + 1)) {
      const s = this.state(later.id);
      if (s.status === 'done' || s.status === 'error') this.set(later.id, { ...s, status: 'stale', note });
    }
  }

  private async pump(): Promise<void> {
    while (this.queue.length > 0) {
      const id = this.queue.shift()!;
      const cell = this.cell(id);
      if (!cell) continue;
      this.running = id;
      const source = cell.source();
      const startedAt = performance.now();
      this.set(id, { status: 'running', startedAt, ranSource: source });
      this.staleAfter(id, `An earlier cell (“${id}”) re-ran since this ran.`);
      this.hooks.onChange?.(`Running “${id}”${this.queue.length ? ` (${this.queue.length} queued)` : ''}`);
      let outcome: RunOutcome;
      try {
        const kernel = await this.kernelNow();
        outcome = await kernel.run(id, source, cell.beginRun());
      } catch (e) {
        outcome = {
          ok: false,
          durationMs: performance.now() - startedAt,
          error: { kind: 'runtime', name: 'Error', message: `The notebook could not start: ${errorMessage(e)}` },
        };
      }
      this.running = null;
      cell.finish(outcome);
      this.set(
        id,
        outcome.ok
          ? { status: 'done', durationMs: outcome.durationMs, ranSource: source }
          : { status: 'error', durationMs: outcome.durationMs, ranSource: source, error: outcome.error },
      );
      // A stopped run already had its queue cleared by Stop; what is queued now was queued since (a re-run).
      if (!outcome.ok && outcome.error.kind !== 'stopped') {
        const rest = this.queue;
        this.queue = [];
        for (const q of rest) this.unqueue(q, `Not run: cell “${id}” failed.`);
      }
    }
    this.hooks.onChange?.('Idle');
  }
}
