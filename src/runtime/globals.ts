/**
 * The names every cell can use without declaring them, beyond the built-in `console`, `display`, `progress` and
 * `signal`. The workbook registers `tf` and `Plot` (browser-globals.ts); a lesson registers its own helpers, such as
 * the engine facade `wb`, from a script on its page:
 *
 * ```ts
 * import { registerGlobals, onRestart } from '../runtime/globals';
 * registerGlobals(async () => ({ wb: await createWorkbook() }), { names: ['wb'] });
 * onRestart(() => dropCachedModels());
 * ```
 *
 * Providers are *lazy*: a provider with `names` is loaded the first time a cell that mentions one of those names
 * runs (the transpiler lists every identifier a cell uses), so a lesson that never touches `Plot` never downloads
 * it. A provider without `names` is loaded before the first cell runs. Each provider loads once per page.
 *
 * The registry lives on `globalThis` (under a symbol), so two bundles that each include this module still share it.
 */
import { errorMessage } from '../ml/error-message';

/** Loads some globals: a record of name → value. */
export type GlobalsLoader = () => Promise<Record<string, unknown>>;

/** Options of a registration. */
export interface RegisterOptions {
  /** The names the loader provides; when given, the loader only runs for cells that mention one of them. */
  names?: readonly string[];
}

interface Provider {
  load: GlobalsLoader;
  names?: readonly string[];
  loaded?: Promise<Record<string, unknown>>;
}

type RestartHook = () => void | Promise<void>;

interface Registry {
  providers: Provider[];
  restartHooks: Set<RestartHook>;
  running?: RunningCell | null;
}

const KEY = Symbol.for('transfer-learning-workbook.globals');

function registry(): Registry {
  const holder = globalThis as unknown as Record<symbol, Registry | undefined>;
  return (holder[KEY] ??= { providers: [], restartHooks: new Set() });
}

/** Registers a provider of globals for every cell on the page. Returns a function that unregisters it. */
export function registerGlobals(load: GlobalsLoader, options: RegisterOptions = {}): () => void {
  const provider: Provider = { load, names: options.names };
  registry().providers.push(provider);
  return () => {
    const list = registry().providers;
    const i = list.indexOf(provider);
    if (i >= 0) list.splice(i, 1);
  };
}

/** Registers a callback run by the notebook's Restart (after the scope is cleared and tensors disposed). */
export function onRestart(hook: RestartHook): () => void {
  registry().restartHooks.add(hook);
  return () => registry().restartHooks.delete(hook);
}

/**
 * Loads (once) every provider a cell needs: eager ones, and lazy ones whose names the cell mentions.
 * Returns all globals loaded so far that the cell could see. Throws, naming the globals, when a loader fails;
 * the next run tries that loader again.
 */
export async function loadGlobalsFor(identifiers: ReadonlySet<string>): Promise<Record<string, unknown>> {
  const needed = registry().providers.filter((p) => p.loaded || !p.names || p.names.some((n) => identifiers.has(n)));
  const merged: Record<string, unknown> = {};
  for (const provider of needed) {
    provider.loaded ??= provider.load();
    try {
      Object.assign(merged, await provider.loaded);
    } catch (e) {
      provider.loaded = undefined;
      const what = provider.names?.join(', ') ?? 'the lesson helpers';
      throw new Error(`Could not load ${what}: ${errorMessage(e)}`);
    }
  }
  return merged;
}

/** Runs every restart hook, in registration order; one failing does not stop the others. Returns their errors. */
export async function runRestartHooks(): Promise<unknown[]> {
  const errors: unknown[] = [];
  for (const hook of registry().restartHooks) {
    try {
      await hook();
    } catch (e) {
      errors.push(e);
    }
  }
  return errors;
}

/**
 * What lesson helpers (the `wb` facade) may use of the cell that is running now: its own `display`, `progress` and
 * `signal`, the same ones the cell's code sees. A helper that loads a model for ten seconds can thus draw its
 * progress bar under the cell that asked for it, and stop when that cell is stopped, without the learner passing
 * `progress` and `signal` to every call.
 */
export interface RunningCell {
  /** The cell's id. */
  id: string;
  /** Shows values under the cell. */
  display(...values: unknown[]): void;
  /** The cell's progress bar: `(fraction, label?)` or `(done, total, label?)`. */
  progress(done: number, totalOrLabel?: number | string, label?: string): void;
  /** Aborted when the learner stops or re-runs the cell. */
  signal: AbortSignal;
}

/** The cell running now, or null between runs. Capture it once at the start of a long operation. */
export function runningCell(): RunningCell | null {
  return registry().running ?? null;
}

/** Called by the kernel when a run starts (the cell) and ends (null). */
export function setRunningCell(cell: RunningCell | null): void {
  registry().running = cell;
}
