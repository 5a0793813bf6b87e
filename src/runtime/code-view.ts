/**
 * The code area of a cell, in three successive forms:
 *
 * 1. **static** — what the page was built with: the lesson's code highlighted by Shiki, readable with JavaScript
 *    off and costing no script at all. (If the learner's saved edit differs from the lesson's code, a plain <pre>
 *    shows the edit instead: correct first, pretty once the editor loads.)
 * 2. **textarea** — the moment the learner starts editing (click, or Enter on the focused code), a plain <textarea>
 *    takes over: editing works at once, whatever happens to the editor's download.
 * 3. **editor** — when Monaco has loaded (editor-loader.ts), it replaces the textarea with the same text.
 *
 * Whatever the form, the text itself belongs to the cell controller (`onEdit` reports every change, `show` puts a
 * new text in): no form is the source of truth, so losing one never loses code.
 */
import { loadEditor, type EditorDiagnostic, type EditorHandle } from './editor-loader';

/** What the code view needs from its cell. */
export interface CodeViewOptions {
  cellId: string;
  /** Accessible name of the code ("Code of cell freeze-base"). */
  label: string;
  /** The cell's current source. */
  source(): string;
  /** The learner changed the text. */
  onEdit(value: string): void;
  /** Shift+Enter / Ctrl+Enter. */
  onRun(): void;
  /** TypeScript of the earlier cells (for the editor's types). */
  priorDeclarations(): string;
  /** The editor's type-checker findings. */
  onDiagnostics(list: EditorDiagnostic[]): void;
}

type Mode = 'static' | 'textarea' | 'editor';

/** The code area of one cell. */
export class CodeView {
  private mode: Mode = 'static';
  private textarea: HTMLTextAreaElement | null = null;
  private editor: EditorHandle | null = null;
  private readonly highlighted: HTMLElement | null;
  /** The text the textarea started with: differs once the learner has typed. */
  private typedFrom = '';

  constructor(
    private readonly host: HTMLElement,
    private readonly options: CodeViewOptions,
    private readonly lessonCode: string,
  ) {
    this.highlighted = host.querySelector('pre');
    this.wireStatic(this.highlighted);
  }

  /** The current form (tests and styling). */
  get form(): Mode {
    return this.mode;
  }

  /** Puts new text in the view (Reset, Use solution, restored edit); does not report it back as an edit. */
  show(code: string): void {
    if (this.mode === 'editor' && this.editor) {
      if (this.editor.getValue() !== code) this.editor.setValue(code);
    } else if (this.mode === 'textarea' && this.textarea) {
      this.textarea.value = code;
      this.fitTextarea();
    } else this.showStatic(code);
  }

  /** Switches to editing (textarea now, the editor when it has loaded) and focuses the code. */
  activate(): void {
    if (this.mode !== 'static') {
      this.focus();
      return;
    }
    const textarea = document.createElement('textarea');
    textarea.className = 'cell-textarea';
    textarea.spellcheck = false;
    textarea.autocapitalize = 'off';
    textarea.setAttribute('autocorrect', 'off');
    textarea.setAttribute('aria-label', this.options.label);
    textarea.value = this.options.source();
    this.typedFrom = textarea.value;
    textarea.addEventListener('input', () => {
      this.fitTextarea();
      this.options.onEdit(textarea.value);
    });
    textarea.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.shiftKey || e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        this.options.onRun();
      }
    });
    this.host.replaceChildren(textarea);
    this.textarea = textarea;
    this.mode = 'textarea';
    this.fitTextarea();
    textarea.focus();
    this.host.dataset.form = 'textarea';
    void this.upgrade();
  }

  /** Focuses the code in whatever form it is. */
  focus(): void {
    if (this.editor) this.editor.focus();
    else (this.textarea ?? this.host.querySelector<HTMLElement>('pre'))?.focus();
  }

  /**
   * Loads the editor and swaps it in; on failure the textarea simply stays. If the learner has already typed into
   * the focused textarea, the swap waits until they leave it: swapping under their fingers would move the caret.
   */
  private async upgrade(): Promise<void> {
    const mountEditor = await loadEditor();
    if (!mountEditor || this.mode !== 'textarea' || !this.textarea) return;
    const textarea = this.textarea;
    if (textarea.value !== this.typedFrom && document.activeElement === textarea) {
      await new Promise((resolve) => textarea.addEventListener('blur', resolve, { once: true }));
      if (this.mode !== 'textarea') return;
    }
    const editorHost = document.createElement('div');
    editorHost.className = 'cell-editor-host';
    this.host.append(editorHost);
    try {
      const handle = await mountEditor(editorHost, {
        value: this.options.source(),
        cellId: this.options.cellId,
        ariaLabel: this.options.label,
        onChange: (value) => {
          if (value !== this.options.source()) this.options.onEdit(value);
        },
        onRun: () => this.options.onRun(),
        priorDeclarations: () => this.options.priorDeclarations(),
        onDiagnostics: (list) => this.options.onDiagnostics(list),
      });
      const hadFocus = document.activeElement === this.textarea;
      if (handle.getValue() !== this.options.source()) handle.setValue(this.options.source()); // typed while it loaded
      this.textarea?.remove();
      this.textarea = null;
      this.editor = handle;
      this.mode = 'editor';
      this.host.dataset.form = 'editor';
      if (hadFocus) handle.focus();
    } catch (e) {
      editorHost.remove();
      console.warn(`The code editor could not start for cell "${this.options.cellId}"; plain text editing stays.`, e);
    }
  }

  private fitTextarea(): void {
    if (!this.textarea) return;
    this.textarea.rows = Math.max(3, this.textarea.value.split('\n').length + 1);
  }

  /** The static form: Shiki's highlighting for the lesson's code, a plain <pre> for anything else. */
  private showStatic(code: string): void {
    if (code === this.lessonCode && this.highlighted) {
      if (!this.host.contains(this.highlighted)) this.host.replaceChildren(this.highlighted);
      return;
    }
    const pre = document.createElement('pre');
    pre.className = 'cell-plain';
    pre.tabIndex = 0;
    const codeEl = document.createElement('code');
    codeEl.textContent = code;
    pre.append(codeEl);
    this.wireStatic(pre);
    this.host.replaceChildren(pre);
  }

  /** Click or Enter on the static code starts editing; Shift+Enter runs without editing. */
  private wireStatic(pre: HTMLElement | null): void {
    if (!pre) return;
    pre.tabIndex = 0;
    pre.setAttribute('aria-label', `${this.options.label}. Press Enter to edit, Shift+Enter to run.`);
    pre.addEventListener('click', () => {
      // Selecting text to copy is not a request to edit.
      if (!window.getSelection()?.toString()) this.activate();
    });
    pre.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      e.preventDefault();
      if (e.shiftKey || e.ctrlKey || e.metaKey) this.options.onRun();
      else this.activate();
    });
  }
}
