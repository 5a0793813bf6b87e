/**
 * The page's entry point for cells (Cell.astro's <script>, bundled once per page however many cells it has).
 * It is deliberately small: it wires the controls and restores saved edits. Everything heavy waits —
 * the kernel (sucrase, acorn) until the first Run, TensorFlow.js and Plot until a cell names them, the editor until
 * the learner starts editing.
 */
import { installBrowserGlobals, disposeCellTensors } from './browser-globals';
import { CellController } from './cell-controller';
import { runRestartHooks } from './globals';
import { Notebook } from './notebook';
import { EditStore, browserStorage } from './storage';

/** The controllers of this page, by cell id: only to warn when two cells share an id (their saved edits collide). */
const controllers = new Map<string, CellController>();

/** Starts every cell on the page once. */
export function bootCells(): Notebook | null {
  const roots = [...document.querySelectorAll<HTMLElement>('[data-cell]:not([data-ready])')];
  if (roots.length === 0) return null;
  installBrowserGlobals();
  const lesson = roots[0]!.dataset.lesson ?? location.pathname;
  const store = new EditStore(browserStorage(), lesson);
  const cells: CellController[] = [];
  for (const root of roots) {
    const index = cells.length;
    const cell = new CellController(root, store, () =>
      cells
        .slice(0, index)
        .map((c) => c.source())
        .join('\n\n'),
    );
    if (controllers.has(cell.id))
      console.warn(`Two cells on this page have the id "${cell.id}": their saved edits collide.`);
    controllers.set(cell.id, cell);
    cells.push(cell);
  }

  const bar = notebookBar();
  roots[0]!.before(bar.element);
  const notebook = new Notebook(cells, async () => new (await import('./kernel')).Kernel(), {
    onChange: (summary) => bar.say(summary),
    onRestart: async () => {
      const disposed = disposeCellTensors();
      const failures = await runRestartHooks();
      for (const f of failures) console.error('A lesson restart hook failed:', f);
      return `${disposed} tensor${disposed === 1 ? '' : 's'} disposed`;
    },
  });
  for (const cell of cells) cell.attach(notebook);
  bar.on('run-all', () => notebook.runAll());
  bar.on('stop-all', () => void notebook.stop());
  bar.on('restart', () => void notebook.restart());

  // Errors nobody awaited: attributed to the cell that caused them, and kept out of the console's "Uncaught".
  window.addEventListener('unhandledrejection', (e) => {
    if (notebook.asyncError(e.reason)) e.preventDefault();
  });
  window.addEventListener('error', (e) => {
    if (e.error !== undefined && notebook.asyncError(e.error)) e.preventDefault();
  });
  document.documentElement.dataset.cells = 'ready';
  return notebook;
}

/** The notebook toolbar (Run all, Stop all, Restart, and a status line), placed before the first cell. */
function notebookBar(): { element: HTMLElement; say(text: string): void; on(action: string, f: () => void): void } {
  const element = document.createElement('div');
  element.className = 'notebook-bar';
  element.setAttribute('role', 'group');
  element.setAttribute('aria-label', 'Notebook');
  const buttons = new Map<string, HTMLButtonElement>();
  for (const [action, label, title] of [
    ['run-all', 'Run all', 'Run every cell of this page, in order'],
    ['stop-all', 'Stop all', 'Stop the running cell and cancel the queued ones'],
    ['restart', 'Restart', 'Forget all variables and free all tensors; your code stays'],
  ] as const) {
    const b = document.createElement('button');
    b.type = 'button';
    b.dataset.notebookAction = action;
    b.textContent = label;
    b.title = title;
    element.append(b);
    buttons.set(action, b);
  }
  const status = document.createElement('span');
  status.className = 'notebook-status';
  status.setAttribute('role', 'status');
  status.textContent = 'Nothing has run yet. Cells share their variables, top to bottom.';
  element.append(status);
  return {
    element,
    say: (text) => (status.textContent = text),
    on: (action, f) => buttons.get(action)?.addEventListener('click', f),
  };
}
