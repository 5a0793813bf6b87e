/**
 * One cell on the page: what it *says* (its source: the lesson's code, or the learner's edit) and the controls
 * around it. Its run state belongs to the notebook (notebook.ts); this class only draws it.
 *
 * The markup comes from src/components/Cell.astro (so the page reads well with JavaScript off); this class finds
 * its parts by data attributes, reveals the controls and wires them.
 */
import { formatPosition, type CellError } from './errors';
import { CodeView } from './code-view';
import { renderDiff } from './diff-view';
import { hashCode } from './hash';
import type { RunOutcome, RunSink } from './kernel';
import type { CellStatus, Notebook, NotebookCell, RunState } from './notebook';
import { OutputArea } from './outputs';
import { decideRestore, type EditStore } from './storage';

/** A type-checker finding, from the editor's checker: shown under the code, never blocking Run. */
export interface Diagnostic {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  message: string;
  severity: 'error' | 'warning' | 'info' | 'hint';
}

/** What Cell.astro embeds as JSON: the lesson's code and the solution (null: the cell has none). */
interface CellData {
  code: string;
  solution: string | null;
}

const STATUS_WORDS: Record<CellStatus, string> = {
  idle: 'Not run yet',
  queued: 'Queued',
  running: 'Running',
  done: 'Done',
  error: 'Error',
  stale: 'Stale',
};

const seconds = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

/** The controller of one cell. */
export class CellController implements NotebookCell {
  readonly id: string;
  readonly lessonCode: string;
  readonly solution: string | null;
  private code: string;
  /** While a changed-lesson conflict is open: the hash the learner's edit was based on. */
  private conflictBase: string | null = null;
  private notebook: Notebook | null = null;
  private readonly outputs: OutputArea;
  private readonly view: CodeView;
  private ticker: ReturnType<typeof setInterval> | null = null;

  constructor(
    readonly root: HTMLElement,
    private readonly store: EditStore,
    private readonly priorSources: () => string,
  ) {
    this.id = root.dataset.cellId ?? 'cell';
    const data = JSON.parse(root.querySelector('script[data-cell-data]')?.textContent ?? '{}') as CellData;
    this.lessonCode = data.code ?? '';
    this.solution = data.solution ?? null;
    this.outputs = new OutputArea(this.part('output'), this.id);
    this.view = new CodeView(
      this.part('code'),
      {
        cellId: this.id,
        label: `Code of cell ${this.id}`,
        source: () => this.code,
        onEdit: (value) => this.setSource(value, false),
        onRun: () => this.notebook?.runCell(this.id),
        priorDeclarations: () => this.priorSources(),
        onDiagnostics: (list) => this.setDiagnostics(list),
      },
      this.lessonCode,
    );

    const decision = decideRestore(store.load(this.id), this.lessonCode);
    this.code = decision.code;
    if (decision.kind !== 'lesson') this.view.show(this.code);
    if (decision.kind === 'conflict') {
      this.conflictBase = decision.saved.baseHash;
      this.showConflict();
    }
    this.updateEdited();
    this.wire();
    this.part('controls').hidden = false;
    root.dataset.ready = 'true';
    root.addEventListener('workbook:diagnostics', (e) =>
      this.setDiagnostics((e as CustomEvent<Diagnostic[]>).detail ?? []),
    );
  }

  /** Connects the cell to its notebook (created after all cells exist). */
  attach(notebook: Notebook): void {
    this.notebook = notebook;
  }

  /** The cell's current source. */
  source(): string {
    return this.code;
  }

  /** Replaces the source from code (Reset, Use solution, …); `fromView` false means "tell the view too". */
  setSource(code: string, updateView = true): void {
    if (code === this.code) return;
    this.code = code;
    if (updateView) this.view.show(code);
    if (!this.store.save(this.id, code, this.lessonCode, this.conflictBase ?? hashCode(this.lessonCode))) {
      this.notice(
        `Your edits cannot be saved in this browser (${this.store.lastError}); they last until you leave the page.`,
      );
    }
    this.updateEdited();
    this.notebook?.edited(this.id);
    if (!this.part('solution').hidden) this.renderSolution();
  }

  /** Shows type-checker findings under the code (an empty list clears them). */
  setDiagnostics(diagnostics: readonly Diagnostic[]): void {
    const list = this.part('diagnostics');
    const shown = diagnostics.filter((d) => d.severity !== 'hint');
    list.replaceChildren(
      ...shown.map((d) => {
        const item = document.createElement('li');
        item.className = `diagnostic diagnostic-${d.severity}`;
        item.textContent = `Line ${d.line}, column ${d.column}: ${d.message}`;
        return item;
      }),
    );
    if (shown.length) {
      const note = document.createElement('li');
      note.className = 'diagnostic-note';
      note.textContent = 'Type problems are advice: Run still runs the code.';
      list.append(note);
    }
    list.hidden = shown.length === 0;
  }

  // ---- NotebookCell ------------------------------------------------------------------------------------------

  beginRun(): RunSink {
    this.outputs.clear();
    return this.outputs.sink((error: CellError) => this.notebook?.lateError(this.id, error));
  }

  finish(outcome: RunOutcome): void {
    if (outcome.ok) {
      if (outcome.hasValue && outcome.value !== undefined) this.outputs.value(outcome.value, true);
    } else this.outputs.error(outcome.error);
  }

  render(state: RunState): void {
    this.root.dataset.status = state.status;
    const text = this.part('status-text');
    const elapsed = this.part('elapsed');
    let words = STATUS_WORDS[state.status];
    if (state.status === 'done' && state.durationMs !== undefined) words = `Done in ${seconds(state.durationMs)}`;
    if (state.status === 'error') {
      words =
        state.error?.kind === 'stopped'
          ? 'Stopped'
          : `Error${state.error?.line ? ` at ${formatPosition(state.error, this.id)}` : ''}`;
    }
    if (state.note && (state.status === 'stale' || state.status === 'idle')) words += ` — ${state.note}`;
    text.textContent = words;
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
    elapsed.textContent = '';
    if (state.status === 'running' && state.startedAt !== undefined) {
      const started = state.startedAt;
      const tick = () => (elapsed.textContent = seconds(performance.now() - started));
      tick();
      this.ticker = setInterval(tick, 100);
    }
    this.button('stop').disabled = state.status !== 'running' && state.status !== 'queued';
  }

  // ---- controls ----------------------------------------------------------------------------------------------

  private wire(): void {
    this.button('run').addEventListener('click', () => this.notebook?.runCell(this.id));
    this.button('stop').addEventListener('click', () => void this.notebook?.stop(this.id));
    this.button('run-above').addEventListener('click', () => this.notebook?.runAbove(this.id));
    this.button('reset').addEventListener('click', () => this.replace(this.lessonCode, 'the lesson’s code'));
    const toggle = this.root.querySelector<HTMLButtonElement>('[data-action="solution"]');
    toggle?.addEventListener('click', () => {
      const panel = this.part('solution');
      panel.hidden = !panel.hidden;
      toggle.setAttribute('aria-expanded', String(!panel.hidden));
      toggle.textContent = panel.hidden ? 'Show solution' : 'Hide solution';
      toggle.setAttribute('aria-label', `${toggle.textContent} of cell ${this.id}`);
      if (!panel.hidden) this.renderSolution();
    });
  }

  /** Replaces the learner's code (Reset, Use solution), offering Undo. Resolves an open conflict. */
  private replace(code: string, what: string): void {
    const previous = this.code;
    if (code === previous) return;
    this.conflictBase = null;
    this.setSource(code);
    this.notice(`Your code was replaced by ${what}.`, [
      [
        'Undo',
        () => {
          this.setSource(previous);
          this.clearNotice();
        },
      ],
    ]);
  }

  private renderSolution(): void {
    const panel = this.part('solution');
    if (this.solution === null) return;
    const use = document.createElement('button');
    use.type = 'button';
    use.textContent = 'Use solution';
    use.setAttribute('aria-label', `Use solution in cell ${this.id}`);
    use.addEventListener('click', () => this.replace(this.solution!, 'the solution'));
    panel.replaceChildren(renderDiff(this.code, this.solution, { before: 'your code', after: 'the solution' }), use);
  }

  /** The lesson's code changed since the learner's edit: ask, never decide silently. */
  private showConflict(): void {
    this.notice('The lesson’s code for this cell has changed since you edited it. Your version is shown.', [
      [
        'Keep mine',
        () => {
          this.conflictBase = null;
          this.store.save(this.id, this.code, this.lessonCode);
          this.clearNotice();
        },
      ],
      [
        'Take the new lesson code',
        () => {
          const mine = this.code;
          this.conflictBase = null;
          this.setSource(this.lessonCode);
          this.notice('You took the new lesson code.', [
            [
              'Undo',
              () => {
                this.setSource(mine);
                this.clearNotice();
              },
            ],
          ]);
        },
      ],
      [
        'See diff',
        (button) => {
          const box = this.part('notice');
          const existing = box.querySelector('.cell-diff');
          if (existing) existing.remove();
          else
            box.append(renderDiff(this.code, this.lessonCode, { before: 'your code', after: 'the new lesson code' }));
          button.setAttribute('aria-expanded', String(!existing));
        },
      ],
    ]);
  }

  private notice(text: string, actions: [string, (button: HTMLButtonElement) => void][] = []): void {
    const box = this.part('notice');
    const p = document.createElement('p');
    p.textContent = text;
    box.replaceChildren(p);
    for (const [label, action] of actions) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = label;
      b.addEventListener('click', () => action(b));
      box.append(b);
    }
    box.hidden = false;
  }

  private clearNotice(): void {
    const box = this.part('notice');
    box.replaceChildren();
    box.hidden = true;
  }

  private updateEdited(): void {
    const edited = this.code !== this.lessonCode;
    this.root.dataset.edited = String(edited);
    this.button('reset').disabled = !edited;
  }

  private part(name: string): HTMLElement {
    const el = this.root.querySelector<HTMLElement>(`[data-cell-${name}]`);
    if (!el) throw new Error(`Cell "${this.id}" is missing its [data-cell-${name}] element (Cell.astro)`);
    return el;
  }

  private button(action: string): HTMLButtonElement {
    const el = this.root.querySelector<HTMLButtonElement>(`[data-action="${action}"]`);
    if (!el) throw new Error(`Cell "${this.id}" is missing its ${action} button (Cell.astro)`);
    return el;
  }
}
