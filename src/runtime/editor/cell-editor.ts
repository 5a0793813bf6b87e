/**
 * One cell's Monaco editor: the model, the keys a notebook needs, a height that follows the code, and the type
 * errors handed to the runtime. mount.ts loads this (with Monaco) on demand; see it for the contract.
 */
import { getTypeScriptWorker, installCellTypes, monaco, setPriorDeclarations, type CellTypes } from './monaco-setup';
import type { EditorDiagnostic, MountedEditor, MountEditorOptions } from './mount';

/** Never shorter than this (px): a one-line cell still looks like a place to type. */
const MIN_HEIGHT = 3 * 20 + 8;
/** Taller code scrolls inside the editor, so the cell's Run button and output stay near. */
const maxHeight = () => Math.max(240, Math.round(window.innerHeight * 0.7));

/**
 * While one of these is open, Escape belongs to it (closing the suggestions, the hover, the find box…); only
 * otherwise does Escape mean "I want to leave the editor".
 */
const ESCAPE_LEAVES_WHEN = [
  'suggestWidgetVisible',
  'parameterHintsVisible',
  'findWidgetVisible',
  'inSnippetMode',
  'markersNavigationVisible',
  'editorHasMultipleSelections',
  'editorHoverVisible',
  'renameInputVisible',
  'codeActionMenuVisible',
]
  .map((key) => `!${key}`)
  .join(' && ');

/** Text added to the learner-facing label, so a screen reader announces how to run and how to get out. */
export const KEYBOARD_HELP =
  'Shift+Enter or Control+Enter runs the cell. To leave the editor, press Escape, then Tab or Shift+Tab.';

const SEVERITY: Record<number, EditorDiagnostic['severity']> = {
  [monaco.MarkerSeverity.Error]: 'error',
  [monaco.MarkerSeverity.Warning]: 'warning',
  [monaco.MarkerSeverity.Info]: 'info',
  [monaco.MarkerSeverity.Hint]: 'hint',
};

let modelCount = 0;

/**
 * Resolves when TypeScript has checked the model once. Our request queues behind the one Monaco sent when the
 * model appeared, so by then its markers are (about to be) set. The language service registers itself when the
 * first TypeScript model appears; until then getTypeScriptWorker() rejects, so we retry briefly.
 */
async function whenFirstChecked(uri: monaco.Uri): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const worker = await (await getTypeScriptWorker())(uri);
      await worker.getSemanticDiagnostics(uri.toString());
      return;
    } catch (e) {
      if (attempt >= 40) throw e;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/**
 * Creates the editor in `host` (which it sizes and labels). `types` must come from the same page load for every
 * editor; the first call installs it.
 */
export function createCellEditor(host: HTMLElement, opts: MountEditorOptions, types: CellTypes | null): MountedEditor {
  installCellTypes(types);
  const priorUri = types?.priorUri ?? 'file:///cells/__prior__.d.ts';
  const refreshPrior = () => setPriorDeclarations(priorUri, opts.priorDeclarations());
  refreshPrior();

  // A unique URI per mount: the same cell mounted twice (dispose raced a remount) must not share a model.
  const uri = monaco.Uri.parse(`file:///cells/${encodeURIComponent(opts.cellId)}-${++modelCount}.ts`);
  const model = monaco.editor.createModel(opts.value, 'typescript', uri);
  const editor = monaco.editor.create(host, {
    model,
    ariaLabel: `${opts.ariaLabel}. ${KEYBOARD_HELP}`,
    minimap: { enabled: false },
    scrollBeyondLastLine: false,
    // The page scrolls on when the editor has nothing left to scroll.
    scrollbar: { alwaysConsumeMouseWheel: false, vertical: 'auto', horizontal: 'auto' },
    automaticLayout: true,
    fontSize: 14,
    lineHeight: 20,
    tabSize: 2,
    lineNumbersMinChars: 3,
    glyphMargin: false,
    folding: false,
    renderLineHighlightOnlyWhenFocus: true,
    overviewRulerLanes: 0,
    fixedOverflowWidgets: true, // hovers and suggestions may spill over the cell's edges
    padding: { top: 4, bottom: 4 },
    accessibilitySupport: 'auto',
  });

  // Height follows the content, up to a maximum.
  const fitHeight = () => {
    const height = Math.min(maxHeight(), Math.max(MIN_HEIGHT, editor.getContentHeight()));
    if (host.style.height !== `${height}px`) {
      host.style.height = `${height}px`;
      editor.layout();
    }
  };
  const disposables: monaco.IDisposable[] = [editor.onDidContentSizeChange(fitHeight)];
  fitHeight();

  // Shift+Enter runs (Ctrl/Cmd+Enter too, as in other notebooks); also in the context menu, for the mouse.
  editor.addAction({
    id: 'workbook.runCell',
    label: 'Run cell',
    keybindings: [monaco.KeyMod.Shift | monaco.KeyCode.Enter, monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter],
    contextMenuGroupId: 'navigation',
    contextMenuOrder: 0,
    run: () => opts.onRun(),
  });

  // Escape, then Tab: Monaco types Tab as indentation (learners need that), so Escape arms "Tab moves focus" for
  // the next key only. Ctrl+M (Monaco's own toggle) makes it permanent.
  let escapeArmed = false;
  const disarm = () => {
    if (!escapeArmed) return;
    escapeArmed = false;
    editor.updateOptions({ tabFocusMode: false });
  };
  editor.addCommand(
    monaco.KeyCode.Escape,
    () => {
      escapeArmed = true;
      editor.updateOptions({ tabFocusMode: true });
    },
    ESCAPE_LEAVES_WHEN,
  );
  disposables.push(
    editor.onKeyDown((e) => {
      if (
        escapeArmed &&
        e.keyCode !== monaco.KeyCode.Escape &&
        e.keyCode !== monaco.KeyCode.Tab &&
        e.keyCode !== monaco.KeyCode.Shift
      )
        disarm();
    }),
    editor.onDidBlurEditorText(disarm),
    // The cell being edited owns the "earlier cells" declarations (recomputed: an earlier cell may have changed).
    editor.onDidFocusEditorText(refreshPrior),
  );

  // Edits go to the runtime; setValue's own edit does not echo back.
  let settingValue = false;
  disposables.push(
    model.onDidChangeContent(() => {
      if (!settingValue) opts.onChange(model.getValue());
    }),
  );

  // Type errors: Monaco draws the squiggles; the runtime gets the list (they never block Run).
  const reportDiagnostics = () => {
    if (!opts.onDiagnostics || model.isDisposed()) return;
    opts.onDiagnostics(
      monaco.editor.getModelMarkers({ resource: uri }).map((m) => ({
        line: m.startLineNumber,
        column: m.startColumn,
        endLine: m.endLineNumber,
        endColumn: m.endColumn,
        message: m.message,
        severity: SEVERITY[m.severity] ?? 'error',
        code: typeof m.code === 'string' ? m.code : m.code?.value,
      })),
    );
  };
  disposables.push(
    monaco.editor.onDidChangeMarkers((uris) => {
      if (uris.some((u) => u.toString() === uri.toString())) reportDiagnostics();
    }),
  );
  // Monaco only announces marker *changes*, and a correct cell's markers never change from empty: so also report
  // once the first type-check is done, which tells the runtime "checked, nothing wrong".
  if (types && opts.onDiagnostics) {
    whenFirstChecked(uri).then(
      () => setTimeout(reportDiagnostics, 0),
      (e: unknown) => console.warn('Cell editor: type-check failed', e),
    );
  }

  return {
    getValue: () => model.getValue(),
    setValue(value) {
      if (value === model.getValue()) return;
      settingValue = true;
      try {
        // An undoable edit, not model.setValue(): "Reset" or "Show solution" can be taken back with Ctrl+Z.
        editor.pushUndoStop();
        editor.executeEdits('workbook', [{ range: model.getFullModelRange(), text: value }]);
        editor.pushUndoStop();
      } finally {
        settingValue = false;
      }
    },
    focus: () => editor.focus(),
    dispose() {
      for (const d of disposables) d.dispose();
      editor.dispose();
      model.dispose();
      host.style.height = '';
    },
  };
}
