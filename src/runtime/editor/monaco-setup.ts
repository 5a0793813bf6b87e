/**
 * Monaco, slimmed to what a TypeScript cell needs, configured once per page.
 *
 * `import 'monaco-editor'` would register ~80 languages and every contribution. Instead we take the bare editor API
 * (`monaco-editor/editor/editor.api`), the TypeScript tokenizer and language service, and the contributions a
 * learner uses: completions, hovers, signature help, quick fixes, comment toggling, error navigation (F8).
 *
 * This module is only ever reached through `import()` from mount.ts: nothing here runs on page load.
 */
import * as monaco from 'monaco-editor/editor/editor.api';
import { getTypeScriptWorker, typescriptDefaults } from 'monaco-editor/languages/features/typescript/register';
import 'monaco-editor/languages/definitions/typescript/register';
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/suggest/register';
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
import 'monaco-editor/features/snippet/register';
import 'monaco-editor/features/parameterHints/register';
import 'monaco-editor/features/codeAction/register';
import 'monaco-editor/features/gotoError/register';
import 'monaco-editor/features/comment/register';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/wordHighlighter/register';
import 'monaco-editor/features/linesOperations/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/toggleTabFocusMode/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';

export { getTypeScriptWorker, monaco };

/** The type bundle (scripts/cell-types-bundle.mjs): what Monaco's TypeScript needs to type a cell like check:cells. */
export interface CellTypes {
  /** file:/// URI → declaration text: tfjs, Plot, the workbook's helpers, and cell-env.d.ts. */
  files: Record<string, string>;
  /** The names cell-env.d.ts declares globally (tf, Plot, display, …). */
  globals: string[];
  /** TypeScript compiler options, as enum numbers, shared with scripts/check-cells.mjs. */
  compilerOptions: Record<string, unknown>;
  /** URI of the declaration file that holds the earlier cells' code. */
  priorUri: string;
}

self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    if (label === 'typescript' || label === 'javascript') {
      // The same `new Worker(new URL(…))` that Monaco's own workerManager.js writes, naming the same file: Vite
      // bundles that worker once for both. A `?worker` import would be a second 7 MB bundle of it.
      return new Worker(new URL('monaco-editor/languages/features/typescript/ts.worker.js', import.meta.url), {
        type: 'module',
        name: label,
      });
    }
    // Vite's worker constructors accept WorkerOptions at run time; its typings (vite/client) declare none.
    return new (EditorWorker as unknown as new (options: WorkerOptions) => Worker)({ name: label });
  },
};

/**
 * Diagnostics TypeScript gives as *suggestions* that are wrong in a notebook: a top-level name a cell declares but
 * does not use is used by the cells below, so it must not be greyed out as unused.
 */
const IGNORED_DIAGNOSTICS = [
  6133, // 'x' is declared but its value is never read.
  6196, // 'X' is declared but never used.
  6198, // All destructured elements are unused.
  6199, // All variables are unused.
  6205, // All type parameters are unused.
];

let typesInstalled = false;

/**
 * Hands the cell type bundle to Monaco's TypeScript (once per page) and configures it like `npm run check:cells`.
 * Called before the first cell model exists, so the TS worker starts with its final options: changing compiler
 * or diagnostics options later would restart the 7 MB worker.
 * @param types the bundle, or null when it failed to load: then only syntax errors are reported, since every
 *   `tf` would otherwise be an "unknown name" squiggle.
 */
export function installCellTypes(types: CellTypes | null): void {
  if (typesInstalled) return;
  typesInstalled = true;
  type CompilerOptions = Parameters<typeof typescriptDefaults.setCompilerOptions>[0];
  typescriptDefaults.setCompilerOptions({
    ...(types?.compilerOptions ?? { target: 99, module: 99, moduleDetection: 3 }),
  } as CompilerOptions);
  typescriptDefaults.setDiagnosticsOptions({
    noSemanticValidation: !types,
    noSyntaxValidation: false,
    diagnosticCodesToIgnore: IGNORED_DIAGNOSTICS,
  });
  if (types) {
    // One change event for all of them (Monaco debounces), and the worker receives them when it starts.
    for (const [uri, text] of Object.entries(types.files)) typescriptDefaults.addExtraLib(text, uri);
  }
  followColorScheme();
}

let priorText: string | undefined;

/**
 * Makes `text` (the earlier cells' code) the declarations every cell model sees. TypeScript has one program for
 * all models, so there is one such file; the focused cell's owns it (see cell-editor.ts).
 */
export function setPriorDeclarations(priorUri: string, text: string): void {
  if (text === priorText) return;
  priorText = text;
  typescriptDefaults.addExtraLib(text, priorUri);
}

let followingColorScheme = false;

/** Light or dark editor as the page is, switching live when the system setting changes. */
function followColorScheme(): void {
  if (followingColorScheme) return;
  followingColorScheme = true;
  const dark = window.matchMedia('(prefers-color-scheme: dark)');
  const apply = () => monaco.editor.setTheme(dark.matches ? 'vs-dark' : 'vs');
  apply();
  dark.addEventListener('change', apply);
}
