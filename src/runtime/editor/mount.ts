/**
 * The cell editor, on demand. The cell runtime shows a cell's code as plain highlighted text and calls
 * `mountEditor` (through `import()`) only when the learner starts editing it: Monaco, its workers and the type
 * declarations of tfjs and Plot (≈0.9 MB + 1.6 MB + 0.3 MB gzip) are never part of page load, and Run never waits
 * for them.
 *
 * This module itself is tiny. `mountEditor` fetches, in parallel, the Monaco chunk (cell-editor.ts →
 * monaco-setup.ts) and the type bundle (a JSON file made by scripts/cell-types-bundle.mjs), installs the types
 * *before* the first model exists — so TypeScript never flashes "cannot find name 'tf'" — and creates the editor.
 *
 * Keyboard: Shift+Enter (or Ctrl/Cmd+Enter) runs the cell; Escape then Tab (or Shift+Tab) leaves the editor, because Tab alone
 * indents; Ctrl+M makes Tab move focus until pressed again. The editor's accessible label says so.
 */

import cellTypesUrl from 'virtual:workbook/cell-types';
import type { CellTypes } from './monaco-setup';

/** One type error (or warning) in the cell, 1-based like every editor. */
export interface EditorDiagnostic {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  severity: 'error' | 'warning' | 'info' | 'hint';
  /** TypeScript's code, e.g. "2304" (cannot find name). */
  code?: string;
}

/** What the runtime gives the editor. */
export interface MountEditorOptions {
  /** The code to start from (the learner's current code of this cell). */
  value: string;
  /** The cell's id, unique in the page. */
  cellId: string;
  /** Every edit, with the whole new code (not called for `setValue`). */
  onChange(value: string): void;
  /** Shift+Enter, Ctrl/Cmd+Enter, or "Run cell" in the context menu. */
  onRun(): void;
  /**
   * TypeScript source of the lesson's earlier cells, concatenated in page order. Called on mount and each time
   * the editor gains focus, so edits made meanwhile in the cells above are seen.
   */
  priorDeclarations(): string;
  /** What the editor is, for screen readers ("Code of cell 3, Replace the head"); keyboard help is appended. */
  ariaLabel: string;
  /**
   * The cell's current type errors, each time they change (an empty list when there are none). Advice only:
   * they never block Run.
   */
  onDiagnostics?(list: EditorDiagnostic[]): void;
}

/** The mounted editor, as the runtime drives it. */
export interface MountedEditor {
  getValue(): string;
  /** Replaces the code as one undoable edit (Ctrl+Z brings the learner's code back). */
  setValue(v: string): void;
  focus(): void;
  /** Removes the editor and its model; `host` is left empty for the runtime's static view. */
  dispose(): void;
}

/**
 * Mounts a Monaco editor for one cell into `host`, which should be empty and as wide as the cell; the editor
 * sets its height (grows with the code, then scrolls). Resolves when the editor is ready to type in.
 */
export async function mountEditor(host: HTMLElement, opts: MountEditorOptions): Promise<MountedEditor> {
  const [{ createCellEditor }, types] = await Promise.all([import('./cell-editor'), loadCellTypes()]);
  return createCellEditor(host, opts, types);
}

let typesPromise: Promise<CellTypes | null> | undefined;

/**
 * The type bundle, fetched once per page (in parallel with Monaco). A failed fetch (offline, a stale deploy) costs
 * the squiggles and completions of tfjs, not the editor: it resolves to null and the editor checks syntax only.
 */
function loadCellTypes(): Promise<CellTypes | null> {
  typesPromise ??= fetch(cellTypesUrl)
    .then((response) => {
      if (!response.ok) throw new Error(`${cellTypesUrl}: HTTP ${response.status}`);
      return response.json() as Promise<CellTypes>;
    })
    .catch((error: unknown) => {
      console.warn('Cell editor: type declarations failed to load; checking syntax only.', error);
      return null;
    });
  return typesPromise;
}
