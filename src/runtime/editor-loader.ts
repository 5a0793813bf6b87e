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

import type { EditorDiagnostic, MountedEditor, MountEditorOptions } from './editor/mount';

// The contract is declared once, beside its implementation; these names are what the runtime calls it.
export type { EditorDiagnostic };
/** What the cell gives the editor. */
export type EditorOptions = MountEditorOptions;
/** What the editor gives back. */
export type EditorHandle = MountedEditor;
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
