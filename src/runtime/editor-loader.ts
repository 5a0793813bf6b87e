/**
 * The contract with the code editor (Monaco, in src/runtime/editor/mount.ts, written separately) and the way it is
 * loaded: only when the learner starts editing, never with the page. Monaco and its TypeScript worker weigh
 * megabytes; most visits read and run cells without editing them.
 *
 * `import.meta.glob` instead of a plain `import('./editor/mount')`: a glob that matches nothing is an empty object,
 * so the page still builds (and cells stay editable in a plain <textarea>) when the editor module is absent, and a
 * failed download leaves the textarea in place. The cell's code lives in the cell controller, never only in the
 * editor: the editor shows it and reports changes.
 */

/** What the cell gives the editor. */
export interface EditorOptions {
  value: string;
  cellId: string;
  /** Called on every change with the whole new text. */
  onChange(value: string): void;
  /** Shift+Enter (and Ctrl/Cmd+Enter): run the cell. */
  onRun(): void;
  /** TypeScript source of the earlier cells, so the editor knows the names they declare. */
  priorDeclarations(): string;
  ariaLabel: string;
  /** The cell's current type errors, each time they change (advice only: they never block Run). */
  onDiagnostics?(list: EditorDiagnostic[]): void;
}

/** One type-checker finding, 1-based. */
export interface EditorDiagnostic {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  message: string;
  severity: 'error' | 'warning' | 'info' | 'hint';
  code?: string;
}

/** What the editor gives back. */
export interface EditorHandle {
  getValue(): string;
  setValue(value: string): void;
  focus(): void;
  dispose(): void;
}

/** src/runtime/editor/mount.ts's export. */
export type MountEditor = (host: HTMLElement, options: EditorOptions) => Promise<EditorHandle>;

const modules = import.meta.glob<{ mountEditor?: MountEditor }>('./editor/mount.ts');

let loading: Promise<MountEditor | null> | null = null;

/** True when the page asks for plain-text editing (`?editor=plain`: slow devices, and deterministic tests). */
export function plainEditingRequested(search: string = location.search): boolean {
  return new URLSearchParams(search).get('editor') === 'plain';
}

/** Loads the editor module once; resolves null when it does not exist or fails to load (the textarea stays). */
export function loadEditor(): Promise<MountEditor | null> {
  loading ??= (async () => {
    const load = modules['./editor/mount.ts'];
    if (!load || plainEditingRequested()) return null;
    try {
      const mod = await load();
      return typeof mod.mountEditor === 'function' ? mod.mountEditor : null;
    } catch (e) {
      console.warn('The code editor could not load; cells stay editable as plain text.', e);
      loading = null; // a later edit may try again (e.g. after a network hiccup)
      return null;
    }
  })();
  return loading;
}
