/**
 * The kernel: runs cells, one at a time, in the notebook's shared scope — like a Jupyter kernel, but in the page.
 *
 * A run compiles the cell (transpile.ts), loads the globals it mentions (globals.ts), builds the cell's own
 * `console`, `display`, `progress` and `signal`, and calls the compiled body as an async function. It ends with a
 * RunOutcome: the value of the last expression, or a CellError whose position is in the learner's TypeScript.
 *
 * Three things make a run end even when the cell does not want to:
 * - Stop aborts the run's signal: the run is reported stopped at once; loops (guards.ts) and the lesson engine
 *   check the signal and end the work that is still going on in the background.
 * - Loop guards end loops that starve the page.
 * - Errors nobody awaited (un-awaited rejected promises) are reported by the page to `reportAsyncError` and
 *   attributed to the cell that is running (or, once it finished, to the cell that ran last).
 *
 * No DOM here: the page gives each run a RunSink that draws its outputs. Node tests drive the kernel directly.
 */
import { cellSourceUrl, describeThrown, LoopTimeoutError, parseCellFrame, StopError, type CellError } from './errors';
import { LoopGuard } from './guards';
import { loadGlobalsFor, setRunningCell, type RunningCell } from './globals';
import { NotebookScope, type RuntimeNames } from './scope';
import { RUNTIME, transpileCell, type CompiledCell } from './transpile';
import type { Declaration, DeclarationKind } from './rewrite';

/** Console methods that write a line. */
export type ConsoleLevel = 'log' | 'info' | 'debug' | 'warn' | 'error';

/** Where a run's outputs go (the page draws them; tests record them). */
export interface RunSink {
  console(level: ConsoleLevel, args: unknown[]): void;
  display(value: unknown): void;
  progress(fraction: number, label?: string): void;
  /** An error that arrived after the run had already ended (an un-awaited rejection, a timer that threw). */
  lateError?(error: CellError): void;
}

/** How a run ended. */
export type RunOutcome =
  | { ok: true; durationMs: number; value: unknown; hasValue: boolean; declarations: Declaration[] }
  | { ok: false; durationMs: number; error: CellError };

/** Options of a kernel. */
export interface KernelOptions {
  /** Loads the globals a cell mentions (default: the page's registry, globals.ts). */
  loadGlobals?: (identifiers: ReadonlySet<string>) => Promise<Record<string, unknown>>;
  /** Loop guard limit in ms (guards.ts). */
  loopLimitMs?: number;
}

/** The names every run provides itself. */
const RUN_NAMES = new Set(['console', 'display', 'progress', 'signal']);

/** How many compiled runs to remember for mapping stack frames (functions outlive the run that defined them). */
const REMEMBERED_RUNS = 200;

const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor as new (
  ...args: string[]
) => (runtime: unknown) => Promise<unknown>;

interface ActiveRun {
  cellId: string;
  sink: RunSink;
  controller: AbortController;
  names: Record<string, unknown>;
  asyncErrors: CellError[];
}

/** One lesson page's kernel. */
export class Kernel {
  /** The shared variables of all cells. */
  readonly scope = new NotebookScope();
  private readonly guard: LoopGuard;
  private readonly loadGlobals: (identifiers: ReadonlySet<string>) => Promise<Record<string, unknown>>;
  private readonly globals = new Map<string, unknown>();
  private readonly compiled = new Map<string, CompiledCell>();
  private runCount = 0;
  private active: ActiveRun | null = null;
  private lastRun: ActiveRun | null = null;
  /** Lines the engine puts before a Function body (found by a probe, so it holds in every JS engine). */
  private readonly bodyOffset = measureBodyOffset();

  constructor(options: KernelOptions = {}) {
    // V8 keeps 10 stack frames by default; an error thrown deep inside tfjs (a kernel, its backend) would lose the
    // cell's own frame — the only one that says where in the learner's code it happened.
    const errorClass = Error as { stackTraceLimit?: number };
    if (typeof errorClass.stackTraceLimit === 'number' && errorClass.stackTraceLimit < 50)
      errorClass.stackTraceLimit = 50;
    this.loadGlobals = options.loadGlobals ?? loadGlobalsFor;
    this.guard = new LoopGuard({ limitMs: options.loopLimitMs, signal: () => this.active?.controller.signal });
  }

  /** The cell running now, if any. */
  get runningCell(): string | null {
    return this.active?.cellId ?? null;
  }

  /** Runs one cell's source. Resolves (never rejects) with the outcome. One run at a time: queue in the caller. */
  async run(cellId: string, source: string, sink: RunSink): Promise<RunOutcome> {
    if (this.active) throw new Error(`cell "${this.active.cellId}" is still running`);
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    const compiled = transpileCell(cellId, source);
    if (!compiled.ok) return { ok: false, durationMs: elapsed(), error: { ...compiled.error, cellId } };
    const cell = compiled.cell;

    try {
      for (const [name, value] of Object.entries(await this.loadGlobals(cell.identifiers)))
        this.globals.set(name, value);
    } catch (e) {
      return {
        ok: false,
        durationMs: elapsed(),
        error: { kind: 'runtime', name: 'Error', message: describeThrown(e).message },
      };
    }

    const url = cellSourceUrl(cellId, ++this.runCount);
    let fn: (runtime: unknown) => Promise<unknown>;
    try {
      fn = new AsyncFunction(RUNTIME, `${cell.body}\n//# sourceURL=${url}`);
    } catch (e) {
      return { ok: false, durationMs: elapsed(), error: { kind: 'syntax', ...describeThrown(e), cellId } };
    }
    this.remember(url, cell);

    const run: ActiveRun = { cellId, sink, controller: new AbortController(), names: {}, asyncErrors: [] };
    run.names = runNames(run);
    const runtime = {
      scope: this.scope.view(this.runtimeNames(run)),
      decl: (names: string[]) => this.scope.declare(names, cellId),
      def: (kind: DeclarationKind, entries: Record<string, unknown>) => this.scope.define(kind, entries, cellId),
      loop: (line: number) => this.guard.tick(line, run.controller.signal),
    };

    this.active = run;
    // Lesson helpers (globals.ts `runningCell`) draw their progress under, and stop with, the cell that called them.
    setRunningCell({ id: cellId, ...(run.names as Omit<RunningCell, 'id'>) });
    const stopped = new Promise<'stopped'>((resolve) =>
      run.controller.signal.addEventListener('abort', () => resolve('stopped')),
    );
    let outcome: RunOutcome;
    try {
      const running = fn(runtime);
      running.catch(() => {}); // after a Stop nobody awaits it any more; its failure must not become "unhandled"
      const value = await Promise.race([running, stopped]);
      if (value === 'stopped' && run.controller.signal.aborted) throw new StopError();
      // Let the page take one turn while this run still counts as active, so that promises it rejected without
      // awaiting are reported (browsers and Node report them after the microtask queue drains).
      await nextTurn();
      outcome = run.asyncErrors[0]
        ? { ok: false, durationMs: elapsed(), error: run.asyncErrors[0] }
        : { ok: true, durationMs: elapsed(), value, hasValue: cell.hasResult, declarations: cell.declarations };
    } catch (e) {
      await nextTurn();
      outcome = { ok: false, durationMs: elapsed(), error: this.toCellError(e, cellId) };
    } finally {
      this.active = null;
      this.lastRun = run;
      setRunningCell(null);
    }
    return outcome;
  }

  /** Stops the running cell (if any). Its run resolves at once as stopped. */
  stop(): void {
    this.active?.controller.abort(new StopError());
  }

  /**
   * Attributes an error nobody awaited (the page's `unhandledrejection`/`error` events) to the running cell, or
   * to the last cell that ran when its stack shows cell code. Returns false when it is not the notebook's error.
   */
  reportAsyncError(reason: unknown): boolean {
    const run = this.active ?? this.lastRun;
    if (!run) return false;
    // While a cell runs, every stray error is its doing; afterwards only errors whose stack shows cell code.
    if (!this.active && !parseCellFrame(describeThrown(reason).stack)) return false;
    const error: CellError = { ...this.toCellError(reason, run.cellId), kind: 'async' };
    error.message = `Uncaught (in promise or callback): ${error.message}`;
    if (run === this.active) run.asyncErrors.push(error);
    else run.sink.lateError?.(error);
    return true;
  }

  /** Forgets every variable (Restart). Tensors are the page's business (tensors.ts). */
  clear(): void {
    this.stop();
    this.scope.clear();
  }

  /** Turns anything thrown into a CellError positioned in the learner's TypeScript. */
  toCellError(thrown: unknown, cellId: string): CellError {
    const { name, message, stack } = describeThrown(thrown);
    const kind = thrown instanceof StopError ? 'stopped' : thrown instanceof LoopTimeoutError ? 'loop' : 'runtime';
    const error: CellError = { kind, name, message, stack, cellId };
    const frame = parseCellFrame(stack);
    const compiled = frame && this.compiled.get(frame.url);
    if (frame && compiled) {
      const at = compiled.toSource({ line: frame.line - 1 - this.bodyOffset, column: frame.column - 1 });
      if (at) Object.assign(error, { line: at.line + 1, column: at.column + 1, cellId: compiled.cellId });
    }
    if (thrown instanceof LoopTimeoutError && error.cellId === cellId) error.line ??= thrown.loopLine;
    return error;
  }

  private remember(url: string, cell: CompiledCell): void {
    this.compiled.set(url, cell);
    if (this.compiled.size > REMEMBERED_RUNS) this.compiled.delete(this.compiled.keys().next().value!);
  }

  /** The workbook's names as one run sees them: per-run names follow the *running* cell (helpers defined in an
   * earlier cell log into the cell that calls them), falling back to the run that defined them. */
  private runtimeNames(own: ActiveRun): RuntimeNames {
    return {
      has: (name) => RUN_NAMES.has(name) || this.globals.has(name),
      get: (name) => (RUN_NAMES.has(name) ? (this.active ?? own).names[name] : this.globals.get(name)),
    };
  }
}

/** `console`, `display`, `progress` and `signal` of one run. */
function runNames(run: ActiveRun): Record<string, unknown> {
  const { sink } = run;
  const line =
    (level: ConsoleLevel) =>
    (...args: unknown[]) =>
      sink.console(level, args);
  const timers = new Map<string, number>();
  const cellConsole = {
    log: line('log'),
    info: line('info'),
    debug: line('debug'),
    warn: line('warn'),
    error: line('error'),
    dir: (value: unknown) => sink.display(value),
    table: (value: unknown) => sink.display(value),
    assert: (condition: unknown, ...args: unknown[]) => {
      if (!condition) sink.console('error', ['Assertion failed', ...args]);
    },
    time: (label = 'default') => void timers.set(label, performance.now()),
    timeEnd: (label = 'default') => {
      const t = timers.get(label);
      if (t === undefined) return sink.console('warn', [`Timer "${label}" does not exist`]);
      timers.delete(label);
      sink.console('log', [`${label}: ${(performance.now() - t).toFixed(1)} ms`]);
    },
  };
  return {
    console: cellConsole,
    display: (...values: unknown[]) => {
      for (const value of values) sink.display(value);
    },
    // Two forms: progress(fraction, label?) and progress(done, total, label?).
    progress: (done: number, totalOrLabel?: number | string, maybeLabel?: string) => {
      const total = typeof totalOrLabel === 'number' ? totalOrLabel : 1;
      const label = typeof totalOrLabel === 'string' ? totalOrLabel : maybeLabel;
      const fraction = done / total;
      if (typeof done !== 'number' || !Number.isFinite(fraction)) {
        throw new TypeError(
          `progress() needs (fraction) or (done, total) as numbers, got (${String(done)}, ${String(totalOrLabel)})`,
        );
      }
      const counted = typeof totalOrLabel === 'number' ? `${label ? `${label} ` : ''}${done} / ${total}` : label;
      sink.progress(Math.min(1, Math.max(0, fraction)), counted);
    },
    signal: run.controller.signal,
  };
}

/** One macrotask later. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Compiles a probe that throws on its body's first line and reads the line number back from the stack. A plain
 * `Function` gets the same header as an `AsyncFunction` ("function anonymous($$wb\n) {\n" in V8) and throws
 * synchronously, which keeps this a one-liner.
 */
function measureBodyOffset(): number {
  try {
    const SyncFunction = Function as unknown as new (...args: string[]) => () => void;
    new SyncFunction(RUNTIME, 'throw new Error("probe")\n//# sourceURL=workbook-probe.js')();
  } catch (e) {
    const frame = parseCellFrame((e as Error).stack);
    if (frame) return frame.line - 1;
  }
  return 2;
}
